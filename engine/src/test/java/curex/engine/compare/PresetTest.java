// The listed transformer presets hold the settings their documentation promises.
package curex.engine.compare;

import curex.engine.data.PcfgTask;
import curex.engine.distill.Method;
import curex.engine.nn.TransformerConfig;
import curex.engine.optim.ScheduleKind;
import curex.engine.settings.TrainingSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PresetTest {

    private static void assertShape(RunSpec spec, int layers, int d, int heads) {
        TransformerConfig c = assertInstanceOf(TransformerConfig.class, spec.model());
        assertEquals(List.of(layers, d, heads), List.of(c.layers(), c.dModel(), c.heads()), c.describe());
    }

    @Test
    void pcfgQuickIsTheShortGrammarWithASharedTeacherAndATargetBelowIt() {
        Preset p = Preset.named("pcfg-quick");
        PcfgTask task = assertInstanceOf(PcfgTask.class, p.task());
        assertEquals(List.of("16", "17", "18"), List.of(task.roots()));
        assertShape(p.teacher(), 2, 128, 4);
        assertShape(p.student(), 2, 32, 2);
        TrainingSettings t = p.teacher().training(), s = p.student().training();
        assertEquals(List.of(64, 64), List.of(t.batch(), s.batch()));
        assertEquals(List.of(3000L, 2000L), List.of(t.steps(), s.steps()));
        assertEquals(List.of(1e-3, 3e-3), List.of(t.optimizer().lr(), s.optimizer().lr()));
        assertEquals(100, p.checkpointEvery());
        assertEquals(200, p.settingsFor(Method.EXTRACT).stageLength().maxStepsFor(s.steps()));
        assertTrue(p.rules().sharedTeacher());
        assertEquals(0.02, p.rules().targetBelowTeacher());
        assertEquals(List.of(250L, 500L, 1000L, 2000L), p.rules().accuracyAt());
        for (long step : p.rules().accuracyAt()) assertEquals(0, step % s.eval().every(), "evaluated at " + step);
        assertEquals(t.eval().size(), s.eval().size(), "teacher and students measured on as many sequences");

        // a shorter budget (compare --steps 1000) cuts the table at it rather than refusing the comparison
        Preset shorter = p.withStudent(new RunSpec(p.student().model(), s.toBuilder().steps(1000).build()));
        assertEquals(List.of(250L, 500L, 1000L), shorter.rules().accuracyAt());
        assertEquals(p.rules().targetBelowTeacher(), shorter.rules().targetBelowTeacher());
        assertSame(p.rules(), p.withStudent(p.student()).rules(), "the same budget keeps the rules");
    }

    @Test
    void pcfgPaperIsThePublishedSizesWithHardLabels() {
        Preset p = Preset.named("pcfg-paper");
        PcfgTask task = assertInstanceOf(PcfgTask.class, p.task());
        assertEquals(List.of("22"), List.of(task.roots()));
        assertShape(p.teacher(), 4, 256, 32);
        assertShape(p.student(), 4, 64, 8);
        TrainingSettings s = p.student().training();
        assertEquals(512, s.batch());
        assertEquals(5e-3, s.optimizer().lr());
        assertEquals(List.of(0.9, 0.95), List.of(s.optimizer().beta1(), s.optimizer().beta2()));
        assertEquals(ScheduleKind.COSINE, s.optimizer().schedule());
        assertEquals(s.steps() * 6 / 100, s.optimizer().warmup());
        assertTrue(p.settingsFor(Method.ONESHOT).hardLabels());
        assertTrue(p.settingsFor(Method.PROGRESSIVE).hardLabels());
        assertEquals(List.of(2000L, 4000L, 8000L, 16_000L), p.rules().accuracyAt());
        for (long step : p.rules().accuracyAt()) assertEquals(0, step % s.eval().every(), "evaluated at " + step);
    }

    @Test
    void everyListedPresetBuildsAndAnAccuracyStepPastTheBudgetIsRefused() {
        for (String name : Preset.names()) if (!Preset.isText(name)) assertEquals(name, Preset.named(name).name());
        Preset q = Preset.tfTiny();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> q.withRules(new ComparisonRules(false, Double.NaN, List.of(10L, 1000L))));
        assertTrue(e.getMessage().contains("step 1000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ComparisonRules(false, 1.5, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ComparisonRules(false, Double.NaN, List.of(20L, 10L)));
    }
}
