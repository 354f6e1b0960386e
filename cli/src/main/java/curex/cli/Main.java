// The curex command line: the top command, its subcommands, and how errors become exit codes.
package curex.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import curex.engine.autograd.Activation;
import curex.engine.distill.DistillSettings;
import curex.engine.distill.Method;
import curex.engine.distill.Projection;
import curex.engine.optim.OptimizerKind;
import curex.engine.nn.TransformerConfig;
import curex.engine.optim.ScheduleKind;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code curex <command>}. Exit codes: 0 success, 2 usage error (bad or missing options), 1 runtime failure,
 * reported as one line unless {@code --debug} or {@code CUREX_DEBUG=1} asks for the stack trace, 130 a run stopped by
 * Ctrl-C or SIGTERM (after saving a checkpoint and its summary).
 */
@Command(name = "curex", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Knowledge distillation by curriculum extraction, from scratch on the JVM.",
        subcommands = {InfoCommand.class, TrainCommand.class, EvalCommand.class, ExportCommand.class,
                DistillCommand.class, CompareCommand.class, DemoCommand.class, TokenizerCommand.class,
                HelpCommand.class})
public final class Main implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces of failures (also CUREX_DEBUG=1).")
    boolean debug;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses and runs {@code args}, returning the exit code. */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {   // the failed run's arrays are unreachable by now: there is room to say so
            if (List.of(args).contains("--debug") || "1".equals(System.getenv("CUREX_DEBUG")))
                e.printStackTrace(cl.getErr());
            return onOutOfMemory(e, cl.getErr(), Runtime.getRuntime().maxMemory());
        }
    }

    /** One line for a run that needed more heap than java may use, and what to change; a runtime failure. */
    static int onOutOfMemory(OutOfMemoryError e, PrintWriter err, long maxHeapBytes) {
        err.println("curex: error: out of memory (" + e.getMessage() + "; java may use "
                + curex.engine.train.MemoryEstimate.format(maxHeapBytes) + "): use a smaller model or --batch, or give "
                + "java more memory (CUREX_JAVA_OPTS=-Xmx<size> with ./curex); a run that saved a checkpoint keeps "
                + "its folder and continues with --resume");
        err.flush();
        return FAILURE;
    }

    /** A fully configured command line (tests set its output and error writers). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::onFailure);
        cl.setParameterExceptionHandler(Main::onUsageError);
        cl.setUsageHelpAutoWidth(true);
        CompareCommand.describePresetDefaults(cl.getSubcommands().get("compare").getCommandSpec());
        Defaults.describeTaskDefaults(cl.getSubcommands().get("train").getCommandSpec(),
                cl.getSubcommands().get("distill").getCommandSpec());
        for (Class<? extends Enum<?>> type : List.of(Method.class, OptimizerKind.class, ScheduleKind.class,
                Activation.class, Projection.Kind.class, DistillSettings.StageLoss.class,
                DistillSettings.TrainedLayers.class, TaskOptions.Kind.class, TransformerConfig.Norm.class,
                TransformerConfig.Init.class))
            register(cl, type);
        return cl;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void register(CommandLine cl, Class type) {
        cl.registerConverter(type, Converters.words(type));
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** Says where an interrupted run stopped and how to continue it; returns the exit code of an interrupted run. */
    static int interrupted(PrintWriter out, long steps, String resumeCommand) {
        out.println(steps == 0 ? "interrupted before the first step; summary saved. Start it again with:"
                : "interrupted after step " + steps + "; checkpoint and summary saved. Continue with:");
        out.println("  " + resumeCommand);
        out.flush();
        return Interrupts.EXIT_CODE;
    }

    private static int onUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String message = e.getMessage();
        // a command with subcommands takes no other words: an unmatched one is a command that does not exist
        if (e instanceof CommandLine.UnmatchedArgumentException u && !cl.getSubcommands().isEmpty()
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().getFirst().startsWith("-"))
            message = "unknown command '" + u.getUnmatched().getFirst() + "'; the commands are "
                    + String.join(", ", cl.getSubcommands().keySet());
        err.println(cl.getCommandSpec().qualifiedName() + ": " + message);
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    private static int onFailure(Exception e, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (debugRequested(parsed)) {
            e.printStackTrace(err);
        } else {
            Throwable shown = e instanceof java.io.UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
            String msg = shown instanceof java.nio.file.FileSystemException fs ? describe(fs) : shown.getMessage();
            err.println("curex: error: " + (msg == null || msg.isBlank() ? shown.getClass().getSimpleName()
                    : msg.lines().findFirst().orElse(msg)));
        }
        err.flush();
        return FAILURE;
    }

    /** "cannot write /x/y: permission denied", where the JDK's message is only the path. */
    static String describe(java.nio.file.FileSystemException e) {
        String what = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                : e instanceof java.nio.file.FileAlreadyExistsException ? "it already exists"
                : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
        return "cannot use " + e.getFile() + (e.getOtherFile() == null ? "" : " (with " + e.getOtherFile() + ")") + ": "
                + what;
    }

    /** Null when {@code dir} can be created or written, else why not ("permission denied on /x"). */
    static String unwritable(java.nio.file.Path dir) {
        java.nio.file.Path p = dir.toAbsolutePath().normalize();
        while (p != null && !java.nio.file.Files.exists(p)) p = p.getParent();
        if (p == null || java.nio.file.Files.isDirectory(p) && java.nio.file.Files.isWritable(p)) return null;
        if (!java.nio.file.Files.isDirectory(p)) return "cannot create '" + dir + "': '" + p + "' is not a folder";
        return "cannot create or write '" + dir + "': permission denied on '" + p + "'";
    }

    static boolean debugRequested(ParseResult parsed) {
        if ("1".equals(System.getenv("CUREX_DEBUG"))) return true;
        for (ParseResult p = parsed; p != null; p = p.subcommand())
            if (p.hasMatchedOption("--debug")) return true;
        return false;
    }
}
