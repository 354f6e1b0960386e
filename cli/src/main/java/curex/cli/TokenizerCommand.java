// `curex tokenizer`: the group of tokenizer commands (train, encode).
package curex.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** Byte-level BPE tokenizers: {@code curex tokenizer train} and {@code curex tokenizer encode}. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
        description = "Train a byte-level BPE tokenizer on a text corpus, or encode text with one.",
        subcommands = {TokenizerTrainCommand.class, TokenizerEncodeCommand.class, HelpCommand.class})
public final class TokenizerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
