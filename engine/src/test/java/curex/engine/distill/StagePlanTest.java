// Planning projection stages: the default layer map, explicit maps and stage subsets, and every validation message.
package curex.engine.distill;

import curex.engine.autograd.Activation;
import curex.engine.nn.MlpConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StagePlanTest {
    private static final MlpConfig STUDENT = MlpConfig.of(Activation.RELU, 12, 8, 9, 10, 11, 2);   // 4 hidden
    private static final MlpConfig TEACHER = MlpConfig.of(Activation.RELU, 12, 20, 21, 2);        // 2 hidden

    @Test
    void defaultMapRoundsOverHiddenLayersAndClamps() {
        // t(j) = round(j * 2 / 4) = round(0.5, 1, 1.5, 2) -> 1 (clamped from 0 or 1), 1, 2, 2
        List<StagePlan.Spec> plan = StagePlan.extraction(DistillSettings.of(Method.EXTRACT), STUDENT, TEACHER, 10_000);
        assertEquals(List.of(1, 2, 3, 4), plan.stream().map(StagePlan.Spec::studentLayer).toList());
        assertEquals(List.of(1, 1, 2, 2), plan.stream().map(StagePlan.Spec::teacherLayer).toList());
        assertEquals(List.of(8, 9, 10, 11), plan.stream().map(StagePlan.Spec::projectionDim).toList());
        assertEquals(List.of(20, 20, 21, 21), plan.stream().map(StagePlan.Spec::teacherWidth).toList());
        assertEquals(1000, plan.getFirst().maxSteps(), "the automatic length: at most a tenth of the budget");
        assertEquals("project-1", plan.getFirst().name());
        // a deeper teacher: round(j * 6 / 3) = 2, 4, 6
        for (int j = 1; j <= 3; j++) assertEquals(2 * j, StagePlan.defaultTeacherLayer(j, 3, 6));
        assertEquals(1, StagePlan.defaultTeacherLayer(1, 5, 1));
    }

    @Test
    void explicitStagesAndMaps() {
        DistillSettings perStage = DistillSettings.builder().stages(2, 4).layerMap(2, 1).projectionDim(5).adapter(true)
                .stageLength(StageLength.fraction(0.1)).build();
        List<StagePlan.Spec> plan = StagePlan.extraction(perStage, STUDENT, TEACHER, 1000);
        assertEquals(List.of(2, 4), plan.stream().map(StagePlan.Spec::studentLayer).toList());
        assertEquals(List.of(2, 1), plan.stream().map(StagePlan.Spec::teacherLayer).toList());
        assertEquals(List.of(5, 5), plan.stream().map(StagePlan.Spec::projectionDim).toList());
        assertEquals(100, plan.getFirst().maxSteps());
        DistillSettings perLayer = DistillSettings.builder().stages(3).layerMap(1, 1, 1, 2).build();
        assertEquals(1, StagePlan.extraction(perLayer, STUDENT, TEACHER, 1000).getFirst().teacherLayer());
    }

    @Test
    void invalidPlansExplainThemselves() {
        assertMessage("not a student hidden layer", DistillSettings.builder().stages(5).build(), 10_000);
        assertMessage("one teacher layer per student hidden layer (4) or per stage (2)",
                DistillSettings.builder().stages(1, 2).layerMap(1, 1, 1).build(), 10_000);
        assertMessage("teacher layer 3", DistillSettings.builder().layerMap(1, 1, 3, 2).build(), 10_000);
        assertMessage("without an adapter", DistillSettings.builder().adapter(false).projectionDim(4).build(), 10_000);
        assertMessage("orthogonal projection rows need dP <= dT",
                DistillSettings.builder().projection(Projection.Kind.ORTHOGONAL).projectionDim(21).adapter(true).build(), 10_000);
        assertMessage("leaving nothing for the final KD stage",
                DistillSettings.builder().stageLength(StageLength.fixed(300)).build(), 1200);
        assertMessage("leaving nothing for the final KD stage",
                DistillSettings.builder().stageLength(StageLength.adaptive(3, 500, 50)).build(), 2000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StagePlan.extraction(
                DistillSettings.of(Method.EXTRACT), MlpConfig.of(Activation.RELU, 12, 2), TEACHER, 1000));
        assertTrue(e.getMessage().contains("at least one hidden layer"), e.getMessage());
    }

    private static void assertMessage(String expected, DistillSettings s, long budget) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StagePlan.extraction(s, STUDENT, TEACHER, budget));
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
    }
}
