// The student's shape, budget, data seed, evaluation and target accuracy for `curex distill`.
package curex.cli;

import curex.engine.autograd.Activation;
import curex.engine.distill.StudentTraining;
import picocli.CommandLine.Option;

/** Options that, with {@link OptimizerOptions}, make the student's {@link StudentTraining} (the same for every method). */
public final class StudentOptions {

    @Option(names = "--hidden", paramLabel = "W[,W...]", defaultValue = Defaults.STUDENT_HIDDEN,
            converter = Converters.Widths.class,
            description = "Student hidden layer widths, comma-separated (default: ${DEFAULT-VALUE}).")
    Converters.WidthList hidden;

    @Option(names = "--activation", defaultValue = Defaults.ACTIVATION,
            description = "Student hidden activation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Choices.Activation activation;

    @Option(names = "--batch", defaultValue = Defaults.BATCH, converter = Converters.PositiveInt.class,
            description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = Defaults.DISTILL_STEPS, converter = Converters.PositiveLong.class,
            description = "Step budget, all stages together (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--seed", defaultValue = Defaults.SEED,
            description = "Seed of the student's initialisation, the batches and the held-out set; every method "
                    + "given the same seed sees the same data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--eval-every", paramLabel = "STEPS", defaultValue = Defaults.DISTILL_EVAL_EVERY,
            converter = Converters.NonNegativeLong.class,
            description = "Evaluate on the held-out set every STEPS (and at step 0 and the end); 0 = at the end only "
                    + "(default: ${DEFAULT-VALUE}).")
    long evalEvery;

    @Option(names = "--eval-size", defaultValue = Defaults.EVAL_SIZE, converter = Converters.PositiveInt.class,
            description = "Held-out samples (default: ${DEFAULT-VALUE}).")
    int evalSize;

    @Option(names = "--target", paramLabel = "ACC", defaultValue = Defaults.TARGET, converter = DistillConverters.Accuracy.class,
            description = "Target held-out accuracy for the \"to target\" figures (default: ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--stop-at-target",
            description = "End the run at the first evaluation reaching --target (default: run the whole budget).")
    boolean stopAtTarget;

    StudentTraining training(OptimizerOptions optimizer) {
        StudentTraining.Builder b = StudentTraining.builder().hidden(hidden.values().clone())
                .activation(Activation.parse(activation.name())).batch(batch).steps(steps).seed(seed)
                .evalEvery(evalEvery).evalSize(evalSize).targetAccuracy(target).stopAtTarget(stopAtTarget);
        return optimizer.applyTo(b).build();
    }
}
