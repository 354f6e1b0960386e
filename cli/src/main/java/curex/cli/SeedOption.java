// The seed of a single run (`train`, `distill`, `eval` choose one; a comparison takes several with --seeds).
package curex.cli;

import picocli.CommandLine.Option;

/** {@code --seed}: initialisation, batches and held-out set are streams of it. */
public final class SeedOption {

    @Option(names = "--seed",
            description = "Seed of initialisation, batches and held-out set; every method given the same seed sees "
                    + "the same data (default: ${DEFAULT-VALUE}).")
    Long seed;

    long value() {
        return seed != null ? seed : 0L;
    }
}
