// Optimizer and learning-rate options shared by the training commands: kind, rate, momentum, decay, schedule.
package curex.cli;

import curex.engine.optim.OptimizerKind;
import curex.engine.optim.ScheduleKind;
import curex.engine.settings.OptimizerSettings;
import picocli.CommandLine.Option;

/**
 * {@code --optimizer --lr --betas --momentum --weight-decay --schedule --warmup --clip}; defaults are the command's (`compare`
 * has none: what is not given keeps the preset's).
 */
public final class OptimizerOptions {

    @Option(names = "--optimizer", description = "Optimizer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OptimizerKind optimizer;

    @Option(names = "--lr", converter = Converters.PositiveDouble.class,
            description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    Double lr;

    @Option(names = "--betas", paramLabel = "B1,B2", converter = Converters.Betas.class,
            description = "AdamW's decay rates of the gradient's mean and square (default: ${DEFAULT-VALUE}); SGD ignores "
                    + "them.")
    Converters.BetaPair betas;

    @Option(names = "--momentum", converter = Converters.UnitInterval.class,
            description = "SGD momentum in [0, 1) (default: ${DEFAULT-VALUE}); AdamW ignores it.")
    Double momentum;

    @Option(names = "--weight-decay", converter = Converters.NonNegativeDouble.class,
            description = "Weight decay (default: ${DEFAULT-VALUE}).")
    Double weightDecay;

    @Option(names = "--schedule",
            description = "Learning-rate schedule after warmup, over the whole budget: ${COMPLETION-CANDIDATES} "
                    + "(default: ${DEFAULT-VALUE}).")
    ScheduleKind schedule;

    @Option(names = "--warmup", converter = Converters.NonNegativeLong.class,
            description = "Linear warmup steps, < --steps (default: ${DEFAULT-VALUE}).")
    Long warmup;

    @Option(names = "--clip", converter = Converters.NonNegativeDouble.class,
            description = "Clip the gradient norm to this value; 0 = off (default: ${DEFAULT-VALUE}).")
    Double clip;

    /** {@code base} with every option that has a value (given, or a default of the command) replacing its field. */
    OptimizerSettings applyTo(OptimizerSettings base) {
        OptimizerSettings.Builder b = base.toBuilder();
        if (optimizer != null) b.kind(optimizer);
        if (lr != null) b.lr(lr);
        if (momentum != null) b.momentum(momentum);
        if (betas != null) b.betas(betas.beta1(), betas.beta2());
        if (weightDecay != null) b.weightDecay(weightDecay);
        if (schedule != null) b.schedule(schedule);
        if (warmup != null) b.warmup(warmup);
        if (clip != null) b.clip(clip);
        return b.build();
    }
}
