// `curex info`: what this installation runs on (version, Java, backend, SIMD width, threads, processors), or a file.
package curex.cli;

import curex.kernels.Backend;
import curex.kernels.BackendProvider;
import curex.kernels.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Prints one {@code key: value} line per fact, for bug reports and for checking a setup. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show the version, Java runtime, compute backend (a GPU's device, memory and CUDA library "
                + "versions), vector width, threads, and why any backend found cannot run here.",
                "With FILE: what a safetensors file holds (a model, a checkpoint, its resume state, a logits file; a "
                        + "run folder stands for its model): its metadata and its tensors' names and shapes."})
public final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "A safetensors file or a run folder to describe.")
    Path file;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (file != null) {
            Path f = FileInfo.resolve(file);
            if (f == null)
                throw new ParameterException(spec.commandLine(), "FILE: no such file '" + file + "'"
                        + (Files.isDirectory(file) ? " (a folder without model.safetensors)" : ""));
            FileInfo.print(f, out);   // a damaged or foreign file: a CheckpointException, exit 1 as for eval
            return Main.OK;
        }
        if (!Backends.names().contains(backendOptions.name())) backendOptions.check();   // unknown: exit 2 first
        Runtime rt = Runtime.getRuntime();
        out.println("curex: " + VersionProvider.version());
        out.println("java: " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ", "
                + System.getProperty("java.home", "?") + ")");
        out.println("os: " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        out.println("available processors: " + rt.availableProcessors());
        out.println("max heap: " + rt.maxMemory() / (1024 * 1024) + " MiB");
        out.println("simd: " + SimdInfo.describe());
        java.util.Optional<String> why = Backends.names().contains(backendOptions.name())
                ? backendOptions.unavailableReason() : java.util.Optional.empty();
        if (why.isPresent()) unavailable(out, why.get());
        else try (Backend b = backendOptions.open()) {
            b.describe().forEach((k, v) -> out.println(k + ": " + v));
        } catch (IllegalStateException | LinkageError e) {
            unavailable(out, e.getMessage());
        }
        out.println("backends found: " + String.join(", ", Backends.names()));
        for (BackendProvider p : Backends.providers()) {
            if (p.name().equals(backendOptions.name())) continue;
            p.unavailableReason().ifPresentOrElse(
                    reason -> out.println("  " + p.name() + ": unavailable (" + reason + ")"),
                    () -> out.println("  " + p.name() + ": available (" + p.description() + ")"));
        }
        out.flush();
        return Main.OK;
    }

    private void unavailable(PrintWriter out, String why) {
        out.println("backend: " + backendOptions.name() + " (unavailable: " + why + ")");
        out.println("vector width: " + SimdInfo.floatLanes() + " floats (Vector API preferred species)");
        out.println("threads: " + backendOptions.threads());
    }
}
