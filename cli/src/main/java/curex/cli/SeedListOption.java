// The seeds of a comparison (`compare`, `demo`): each seed trains its own teacher and students.
package curex.cli;

import picocli.CommandLine.Option;

import java.util.List;

/** {@code --seeds N}, {@code --seeds 3,4,5} or {@code --seeds 3..5}. */
public final class SeedListOption {

    @Option(names = "--seeds", paramLabel = "N|A,B,...|A..B", defaultValue = Defaults.SEEDS,
            converter = Converters.Seeds.class,
            description = "Seeds: N for 0..N-1, a list 3,4,5 or a range 3..5; each seed has its own teacher, "
                    + "unless the preset trains one for all (the PCFG and text presets) "
                    + "(default: ${DEFAULT-VALUE}).")
    Converters.SeedList seeds;

    List<Long> values() {
        return seeds.values();
    }
}
