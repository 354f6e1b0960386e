// `curex demo`: the quick comparison (all four methods, teachers included) with its table printed at the end.
package curex.cli;

import curex.engine.compare.ComparisonPlan;
import curex.engine.compare.Preset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Equivalent to {@code curex compare --preset quick --out <out> --seeds <seeds>}, then prints the Markdown table. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the quick comparison (ce, oneshot, progressive, extract on parity(40, 6), teachers "
                + "included; minutes on a CPU) and print its table.",
                "Re-running resumes or reuses the finished runs in --out."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = Defaults.DEMO_OUT,
            description = "Comparison folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    SeedListOption seeds;

    @Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() throws Exception {
        ComparisonPlan plan = new ComparisonPlan(Preset.quick(), seeds.values(), ComparisonPlan.allMethods());
        PrintWriter w = spec.commandLine().getOut();
        int code = ComparisonLauncher.run(plan, out, backendOptions, spec.commandLine());
        if (code != Main.OK) return code;
        w.println("report with plots: " + out.resolve("report.md"));
        w.flush();
        return Main.OK;
    }
}
