// Optimizer and learning-rate options shared by the training commands: kind, rate, momentum, decay, schedule.
package curex.cli;

import curex.engine.distill.StudentTraining;
import picocli.CommandLine.Option;

/**
 * {@code --optimizer --lr --momentum --weight-decay --schedule --warmup --clip}, with `curex train`'s defaults and
 * converters; {@link #applyTo} copies them into a student's training settings.
 */
public final class OptimizerOptions {

    @Option(names = "--optimizer", defaultValue = Defaults.OPTIMIZER,
            description = "Optimizer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Choices.Optimizer optimizer;

    @Option(names = "--lr", defaultValue = Defaults.LR, converter = Converters.PositiveDouble.class,
            description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", defaultValue = Defaults.MOMENTUM, converter = Converters.UnitInterval.class,
            description = "SGD momentum in [0, 1) (default: ${DEFAULT-VALUE}); AdamW ignores it.")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = Defaults.WEIGHT_DECAY, converter = Converters.NonNegativeDouble.class,
            description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", defaultValue = Defaults.SCHEDULE,
            description = "Learning-rate schedule after warmup, over the whole budget: ${COMPLETION-CANDIDATES} "
                    + "(default: ${DEFAULT-VALUE}).")
    Choices.Schedule schedule;

    @Option(names = "--warmup", defaultValue = Defaults.WARMUP, converter = Converters.NonNegativeLong.class,
            description = "Linear warmup steps, < --steps (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--clip", defaultValue = Defaults.CLIP, converter = Converters.NonNegativeDouble.class,
            description = "Clip the gradient norm to this value; 0 = off (default: ${DEFAULT-VALUE}).")
    double clip;

    /** Null when the warmup fits a budget of {@code steps}, else the usage message. */
    String checkWarmup(long steps) {
        return warmup >= steps && warmup > 0 ? "--warmup: must be < --steps (" + steps + "), got " + warmup : null;
    }

    StudentTraining.Builder applyTo(StudentTraining.Builder b) {
        return b.optimizer(StudentTraining.OptimizerKind.parse(optimizer.name())).lr(lr).momentum(momentum)
                .weightDecay(weightDecay).schedule(StudentTraining.ScheduleKind.parse(schedule.name())).warmup(warmup)
                .clip(clip);
    }
}
