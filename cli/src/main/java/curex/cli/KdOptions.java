// Options of the knowledge-distillation loss (oneshot, progressive, extract's final stage) and of progressive KD.
package curex.cli;

import curex.engine.distill.DistillSettings;
import picocli.CommandLine.Option;

/** KD loss = (1 - alpha) * T^2 * KL(softmax(t/T) || softmax(s/T)) + alpha * CE(ground truth). */
public final class KdOptions {

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1",
            converter = Converters.PositiveDouble.class,
            description = "KD: softmax temperature T (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--hard-labels",
            description = "KD: cross-entropy on the teacher's argmax labels instead of its soft outputs (default: off).")
    boolean hardLabels;

    @Option(names = "--alpha", defaultValue = "0", converter = DistillConverters.Weight.class,
            description = "KD: weight of the ground-truth cross-entropy mixed into the KD loss, in [0, 1] "
                    + "(default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--speed", defaultValue = "1", converter = Converters.PositiveDouble.class,
            description = "Progressive: at student step s distil from the first teacher checkpoint whose step >= "
                    + "s * speed, then from the final teacher (default: ${DEFAULT-VALUE}).")
    double speed;

    DistillSettings.Builder applyTo(DistillSettings.Builder b) {
        return b.temperature(temperature).hardLabels(hardLabels).alpha(alpha).speed(speed);
    }
}
