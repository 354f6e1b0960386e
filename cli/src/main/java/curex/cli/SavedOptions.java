// The options a run was started with, kept in its config.json, so that --resume continues the run as configured.
package curex.cli;

import curex.engine.io.Json;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every option's value as text ({@code --steps: "20000"}), under {@value #KEY} in config.json. Resuming takes them
 * back: an option given again must say the same (after conversion, so 3e-3 and 0.003 agree); only the options in
 * {@link #FREE}, which cannot change the result, may differ.
 */
final class SavedOptions {
    static final String KEY = "options";
    /** Options that do not change what a run computes, or that say where and how to continue it. */
    static final Set<String> FREE = Set.of("--threads", "--resume", "--force", "--out", "--debug", "--keep-checkpoints",
            "--help", "--version");

    private SavedOptions() {
    }

    /** The value of every option of the command that has one. */
    static Map<String, String> of(CommandSpec spec) {
        Map<String, String> m = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            if (FREE.contains(o.longestName()) || o.usageHelp() || o.versionHelp()) continue;
            Object v = o.getValue();
            if (v != null) m.put(o.longestName(), String.valueOf(v));
        }
        return m;
    }

    /** The options recorded in a run's config.json, or null when it records none. */
    @SuppressWarnings("unchecked")
    static Map<String, String> read(Path config) throws IOException {
        return Json.readMap(config).get(KEY) instanceof Map<?, ?> m ? (Map<String, String>) m : null;
    }

    /**
     * "--steps (the run has 20000, given 5000)" for each option given now that differs from the saved value, and
     * "--mask-rate (the run left it unset, given 0.2)" for one the run did not set (it ran on the option's default).
     */
    static List<String> conflicts(ParseResult given, Map<String, String> saved) {
        List<String> out = new ArrayList<>();
        for (OptionSpec o : given.matchedOptions()) {
            Object value = o.getValue();
            String name = o.longestName(), then = saved.get(name), now = String.valueOf(value);
            if (FREE.contains(name) || now.equals(then) || samePath(now, then)) continue;
            out.add(name + " (the run " + (then == null ? "left it unset" : "has " + then) + ", given " + now + ")");
        }
        return out;
    }

    /**
     * Whether {@code now} is an existing file or folder that {@code then} names absolutely: runs save the paths of
     * their inputs absolute, so that they resume from any folder, and the path given again may be relative.
     */
    private static boolean samePath(String now, String then) {
        if (then == null) return false;
        try {
            Path p = Path.of(now);
            return Files.exists(p) && p.toAbsolutePath().normalize().toString().equals(then);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /**
     * Sets every option of {@code spec} that the run saved to the saved value, converted as the command line converts
     * it (the saved text is parsed by a fresh command of the same name).
     */
    static void apply(CommandSpec spec, Map<String, String> saved) {
        CommandLine fresh = Main.commandLine();
        List<String> args = new ArrayList<>(List.of(spec.name()));
        for (Map.Entry<String, String> e : saved.entrySet()) {
            OptionSpec o = spec.findOption(e.getKey());
            if (o == null || FREE.contains(e.getKey())) continue;
            if (o.arity().max() == 0) {                  // a flag: --x, or --no-x for a negatable one set false
                boolean on = Boolean.parseBoolean(e.getValue());
                if (on) args.add(o.longestName());
                else if (o.negatable()) args.add("--no-" + o.longestName().substring(2));
            } else {
                args.add(o.longestName() + "=" + e.getValue());
            }
        }
        fresh.parseArgs(args.toArray(String[]::new));
        CommandSpec parsed = fresh.getSubcommands().get(spec.name()).getCommandSpec();
        for (OptionSpec o : spec.options())
            if (saved.containsKey(o.longestName()) && !FREE.contains(o.longestName()))
                o.setValue(parsed.findOption(o.longestName()).getValue());
    }
}
