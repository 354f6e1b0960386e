// How a model is trained, from the command line: batch, budget, evaluation, target, optimizer.
package curex.cli;

import curex.engine.settings.EvalSettings;
import curex.engine.settings.TrainingSettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Options of {@link TrainingSettings}. `train` and `distill` fill what is not given with their defaults
 * ({@link Defaults}); `compare` leaves it unset, so that only what is given replaces the preset's settings.
 */
public final class TrainingOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--batch", converter = Converters.PositiveInt.class, description = "Batch size (default: ${DEFAULT-VALUE}).")
    Integer batch;

    @Option(names = "--steps", converter = Converters.PositiveLong.class,
            description = "Training steps, all stages together (default: ${DEFAULT-VALUE}).")
    Long steps;

    @Option(names = "--eval-every", paramLabel = "STEPS", converter = Converters.NonNegativeLong.class,
            description = "Evaluate on the held-out set every STEPS (and at step 0 and the end); 0 = at the end only "
                    + "(default: ${DEFAULT-VALUE}).")
    Long evalEvery;

    @Option(names = "--eval-size", converter = Converters.PositiveInt.class,
            description = "Held-out samples (default: ${DEFAULT-VALUE}).")
    Integer evalSize;

    @Option(names = "--target", paramLabel = "ACC", converter = DistillConverters.Accuracy.class,
            description = "Target held-out accuracy for the \"to target\" figures (default: ${DEFAULT-VALUE}).")
    Double target;

    @Option(names = "--stop-at-target", negatable = true,
            description = "End the run at the first evaluation reaching --target; --no-stop-at-target runs the whole "
                    + "budget (default: the whole budget; train --task parity-tf and compare --sweep end at the target).")
    Boolean stopAtTarget;

    @Mixin
    OptimizerOptions optimizer;

    /** {@code base} with every option that has a value (given, or the command's default) replacing its field. */
    TrainingSettings applyTo(TrainingSettings base, long seed) {
        long budget = steps != null ? steps : base.steps();
        Long warmup = optimizer.warmup;
        if (warmup != null && warmup >= budget && warmup > 0)
            throw new ParameterException(spec.commandLine(), "--warmup: must be < --steps (" + budget + "), got " + warmup);
        String noRoom = warmup == null ? warmupLeavesNothing("--steps", budget, base.optimizer().warmup(), "the ")
                : null;   // a preset's warmup, say
        if (noRoom != null) throw new ParameterException(spec.commandLine(), noRoom);
        EvalSettings e = base.eval();
        try {
            return base.toBuilder().batch(batch != null ? batch : base.batch()).steps(budget).seed(seed)
                    .optimizer(optimizer.applyTo(base.optimizer()))
                    .eval(new EvalSettings(evalEvery != null ? evalEvery : e.every(), evalSize != null ? evalSize : e.size(),
                            target != null ? target : e.target(), stopAtTarget != null ? stopAtTarget : e.stopAtTarget()))
                    .build();
        } catch (IllegalArgumentException ex) {
            throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
    }

    /**
     * "--steps: 50 steps leave nothing after the 100-step warmup; raise --steps or lower --warmup" when a budget given
     * with {@code option} is not longer than a warmup that comes from elsewhere ({@code whose}: "the ", "the
     * teacher's "), else null.
     */
    static String warmupLeavesNothing(String option, long budget, long warmup, String whose) {
        if (warmup < budget || warmup == 0) return null;
        return option + ": " + budget + " steps leave nothing after " + whose + warmup + "-step warmup; raise " + option
                + " or lower --warmup";
    }

    /** The settings of `train` and `distill`: every field from its option or the command's default. */
    TrainingSettings settings(long seed) {
        return applyTo(TrainingSettings.builder().build(), seed);
    }
}
