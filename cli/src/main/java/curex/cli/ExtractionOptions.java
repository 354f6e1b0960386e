// Options of curriculum extraction's projection stages (docs/method.md), for `curex distill --method extract`.
package curex.cli;

import curex.engine.distill.DistillSettings;
import curex.engine.distill.Projection;
import curex.engine.distill.StageLength;
import picocli.CommandLine.Option;

/** Stage j: student layer j (through an adapter) matches a standardized random projection of teacher layer t(j). */
public final class ExtractionOptions {

    @Option(names = "--projection", defaultValue = "gaussian",
            description = "Extraction: random projection P: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Projection.Kind projection;

    @Option(names = "--projection-dim", paramLabel = "D", defaultValue = "0",
            converter = Converters.NonNegativeInt.class,
            description = "Extraction: rows of P; 0 = the student layer's width (default: ${DEFAULT-VALUE}).")
    int projectionDim;

    @Option(names = "--adapter", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Extraction: train a linear adapter between the student layer and the projection, dropped "
                    + "after its stage (default: off, the layer is compared directly: on every preset swept, the "
                    + "adapter's products cost student FLOPs without saving steps).")
    boolean adapter;

    @Option(names = "--stage-loss", defaultValue = "mse",
            description = "Extraction: stage loss: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    DistillSettings.StageLoss stageLoss;

    @Option(names = "--stages", paramLabel = "auto|J[,J...]", converter = Converters.Stages.class,
            description = "Extraction: student hidden layers (from 1, increasing) that get a projection stage, or auto: "
                    + "every layer gets one, and a stage whose loss does not improve ends after three windows of the "
                    + "automatic stage length, recorded as a flat stage (default: all of them).")
    Converters.WidthList stages;

    @Option(names = "--layer-map", paramLabel = "T[,T...]", converter = Converters.Widths.class,
            description = "Extraction: teacher hidden layer for each student hidden layer (or for each stage) "
                    + "(default: t(j) = round(j * teacher layers / student layers)).")
    Converters.WidthList layerMap;

    @Option(names = "--trained-layers", defaultValue = "prefix",
            description = "Extraction: stage j trains student layers 1..j (prefix) or layer j only (current) "
                    + "(default: ${DEFAULT-VALUE}).")
    DistillSettings.TrainedLayers trainedLayers;

    @Option(names = "--stage-length", paramLabel = "LEN", defaultValue = Defaults.STAGE_LENGTH,
            converter = DistillConverters.Length.class,
            description = "Extraction: length of each projection stage: auto (end when the stage loss stops "
                    + "improving: 2 windows in a row, each of 0.25%% of the budget, gaining less than 10%% of what the "
                    + "stage has gained; at most a tenth of the budget, and at least two windows), steps (300), a "
                    + "share of the budget (10%% or 0.1), or adaptive[:PATIENCE[:MAX_STEPS[:CHECK_EVERY]]] to end on "
                    + "a loss plateau (default: ${DEFAULT-VALUE}).")
    StageLength stageLength;

    @Option(names = "--standardize-samples", paramLabel = "N", defaultValue = "4096",
            converter = Converters.PositiveInt.class,
            description = "Extraction: teacher samples for the per-coordinate mean and std of each projection "
                    + "(default: ${DEFAULT-VALUE}).")
    int standardizeSamples;

    DistillSettings.Builder applyTo(DistillSettings.Builder b) {
        if (stages != null && stages.values().length == 0 && stageLength.kind() != StageLength.Kind.AUTO)
            throw new IllegalArgumentException("--stages auto lets the automatic stage length skip a flat stage; it "
                    + "cannot be combined with --stage-length " + stageLength);
        return b.projection(projection).projectionDim(projectionDim).adapter(adapter)
                .stageLoss(stageLoss).stages(stages == null ? new int[0] : stages.values().clone())
                .layerMap(layerMap == null ? new int[0] : layerMap.values().clone())
                .trainedLayers(trainedLayers).stageLength(stageLength).standardizeSamples(standardizeSamples);
    }
}
