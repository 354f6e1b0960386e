// Option parsing and validation: methods, kinds, stage lengths, and clear messages for bad values.
package curex.engine.distill;

import curex.engine.autograd.Activation;
import curex.engine.nn.MlpConfig;
import curex.engine.optim.OptimizerKind;
import curex.engine.settings.EvalSettings;
import curex.engine.settings.OptimizerSettings;
import curex.engine.settings.TrainingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistillSettingsTest {

    @Test
    void parsesTheMethodWords() {
        assertEquals(Method.CE, Method.parse("ce"));
        assertEquals(Method.ONESHOT, Method.parse("oneshot"));
        assertEquals(Method.PROGRESSIVE, Method.parse(" Progressive "));
        assertEquals(Method.EXTRACT, Method.parse("EXTRACT"));
        assertFalse(Method.CE.needsTeacher());
        assertTrue(Method.EXTRACT.needsTeacher());
        expect("unknown distillation method 'kd'; expected one of ce|oneshot|progressive|extract",
                () -> Method.parse("kd"));
        expect("expected one of gaussian|rademacher|sparse|orthogonal", () -> Projection.Kind.parse("uniform"));
        expect("expected one of mse|cosine", () -> DistillSettings.StageLoss.parse("l1"));
        expect("expected one of prefix|current", () -> DistillSettings.TrainedLayers.parse("all"));
        assertEquals(Projection.Kind.ORTHOGONAL, Projection.Kind.parse("orthogonal"));
    }

    @Test
    void defaultsFollowTheDesign() {
        DistillSettings s = DistillSettings.of(Method.EXTRACT);
        assertEquals(1, s.temperature());
        assertFalse(s.hardLabels());
        assertEquals(0, s.alpha());
        assertEquals(Projection.Kind.GAUSSIAN, s.projection());
        assertEquals(0, s.projectionDim());
        assertFalse(s.adapter(), "no adapter: on every preset swept it cost FLOPs without saving steps");
        assertEquals(DistillSettings.StageLoss.MSE, s.stageLoss());
        assertEquals(0, s.stages().length);
        assertEquals(DistillSettings.TrainedLayers.PREFIX, s.trainedLayers());
        assertEquals(StageLength.auto(), s.stageLength());
        assertEquals(1, s.speed());
        assertEquals(4096, s.standardizeSamples());
    }

    @Test
    void stageLengthsParse() {
        assertEquals(StageLength.fixed(450), StageLength.parse("450"));
        assertEquals(StageLength.fraction(0.1), StageLength.parse("10%"));
        assertEquals(StageLength.fraction(0.25), StageLength.parse("0.25"));
        assertEquals(StageLength.adaptive(5, 1000, 50), StageLength.parse("adaptive"));
        assertEquals(StageLength.adaptive(3, 800, 25), StageLength.parse("adaptive:3:800:25"));
        assertEquals(200, StageLength.parse("20%").maxStepsFor(1000));
        assertEquals("adaptive:3:800:25", StageLength.parse("adaptive:3:800:25").describe());
        assertEquals("10%", StageLength.parse("0.1").describe());
        expect("bad stage length 'soon'", () -> StageLength.parse("soon"));
        expect("must be >= 1 step", () -> StageLength.parse("0"));
        expect("must lie in (0, 1)", () -> StageLength.parse("150%"));
        expect("at least one check interval", () -> StageLength.parse("adaptive:3:10:50"));
        expect("patience must be >= 1", () -> StageLength.adaptive(0, 100, 10));
    }

    @Test
    void badOptionsAreRejectedWithClearMessages() {
        expect("temperature must be a finite number > 0", () -> DistillSettings.builder().temperature(0).build());
        expect("alpha must lie in [0, 1]", () -> DistillSettings.builder().alpha(1.5).build());
        expect("projection dimension must be >= 1", () -> DistillSettings.builder().projectionDim(-2).build());
        expect("strictly increasing", () -> DistillSettings.builder().stages(2, 1).build());
        expect("numbered from 1", () -> DistillSettings.builder().stages(0).build());
        expect("teacher hidden layers numbered from 1", () -> DistillSettings.builder().layerMap(0).build());
        expect("speed must be a finite number > 0", () -> DistillSettings.builder().speed(0).build());
        expect("standardization needs >= 2 samples", () -> DistillSettings.builder().standardizeSamples(1).build());
        expect("method must be given", () -> DistillSettings.builder().method(null).build());
        expect("needs at least input and output widths", () -> MlpConfig.of(Activation.RELU, 4));
        expect("target accuracy must lie in (0, 1]", () -> new EvalSettings(10, 10, 0, false));
        expect("warmup must lie in 0..10 steps", () -> TrainingSettings.builder().steps(10)
                .optimizer(OptimizerSettings.builder().warmup(11).build()).build());
        expect("learning rate must be > 0", () -> OptimizerSettings.builder().lr(-1).build());
        expect("unknown optimizer 'adam'", () -> OptimizerKind.parse("adam"));
    }

    @Test
    void arraysAreCopied() {
        int[] stages = {1, 2};
        DistillSettings s = DistillSettings.builder().stages(stages).build();
        stages[0] = 5;
        assertArrayEquals(new int[]{1, 2}, s.stages());
        assertEquals("extract", s.toMap().get("method"));
    }

    private static void expect(String fragment, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(fragment), "message: " + ex.getMessage());
    }
}
