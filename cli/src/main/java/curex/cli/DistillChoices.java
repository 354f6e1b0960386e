// The named choices of `curex distill` options (lower-case, as typed), mapped onto the engine's enums.
package curex.cli;

import curex.engine.distill.Method;
import curex.engine.distill.ProjectionKind;
import curex.engine.distill.StageLoss;
import curex.engine.distill.TrainedLayers;

/** picocli matches option values against these; {@code ${COMPLETION-CANDIDATES}} lists them in help. */
final class DistillChoices {
    private DistillChoices() {
    }

    enum MethodName {
        ce, oneshot, progressive, extract;

        Method engine() {
            return Method.parse(name());
        }
    }

    enum Projection {
        gaussian, rademacher, sparse, orthogonal;

        ProjectionKind engine() {
            return ProjectionKind.parse(name());
        }
    }

    enum Loss {
        mse, cosine;

        StageLoss engine() {
            return StageLoss.parse(name());
        }
    }

    enum Layers {
        prefix, current;

        TrainedLayers engine() {
            return TrainedLayers.parse(name());
        }
    }
}
