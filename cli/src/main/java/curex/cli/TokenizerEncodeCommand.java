// `curex tokenizer encode`: prints the token ids (or tokens) of a text given on the command line or on stdin.
package curex.cli;

import curex.engine.text.BpeTokenizer;
import curex.engine.text.TokenizerJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** Encodes one text (all of stdin, newlines included, when --text is not given) and prints the ids on one line. */
@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the token ids of a text, separated by spaces.")
public final class TokenizerEncodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "A tokenizer.json.")
    Path tokenizer;

    @Option(names = "--text", paramLabel = "S", description = "The text to encode (default: all of standard input).")
    String text;

    @Option(names = "--tokens", description = "Print the tokens (byte-level strings, as in tokenizer.json) instead of ids.")
    boolean tokens;

    /** Where the text comes from without --text (tests replace it). */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws Exception {
        BpeTokenizer t;
        try {
            t = TokenizerJson.load(tokenizer);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String s = text != null ? text : new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        int[] ids = t.encode(s);
        PrintWriter out = spec.commandLine().getOut();
        out.println(Arrays.stream(ids).mapToObj(id -> tokens ? t.token(id) : Integer.toString(id))
                .collect(Collectors.joining(" ")));
        out.flush();
        return Main.OK;
    }
}
