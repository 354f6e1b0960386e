// `help [COMMAND...]`: the usage help of a command, following nested subcommands (curex help tokenizer train).
package curex.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Picocli's own help command reads one command name, so {@code curex help tokenizer train} showed the help of
 * {@code tokenizer}. This one walks the names from the command it is a subcommand of; an unknown name is a usage
 * error that names it and the commands there are.
 */
@Command(name = "help", helpCommand = true,
        description = "Show the help of a command, or of one of its subcommands: help COMMAND [SUBCOMMAND].")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, then its subcommands.")
    List<String> path = new ArrayList<>();

    private CommandLine self;
    private CommandLine.Help.ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter out,
                     PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : path) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null)
                throw new CommandLine.ParameterException(self, "Unknown subcommand '" + name + "' of '"
                        + target.getCommandSpec().qualifiedName() + "'" + (target.getSubcommands().isEmpty()
                        ? " (it has none)." : "; its subcommands: "
                        + String.join(", ", target.getSubcommands().keySet()) + "."));
            target = sub;
        }
        target.usage(out, colors);
    }
}
