// The text presets: built on a prepared corpus, listed (text-quick, text-paper) or for tests (text-tiny), refused without one.
package curex.engine.compare;

import curex.engine.data.TextTask;
import curex.engine.distill.Method;
import curex.engine.nn.TransformerConfig;
import curex.engine.text.PreparedText;
import curex.engine.text.TextPreparation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TextPresetTest {
    @TempDir
    Path dir;

    private PreparedText prepared() throws Exception {
        return TextPreparation.prepare(new TextPreparation.Options(Path.of("..", "test-data", "text", "stories.txt"),
                null, 300, 0.05, dir), TextPreparation.Listener.NONE);
    }

    private TextTask task(int seqLen) throws Exception {
        return prepared().task(seqLen, 0.15);
    }

    @Test
    void textPresetsAreBuiltOnTheirCorpusAndListed() throws Exception {
        assertTrue(Preset.names().containsAll(List.of("text-quick", "text-paper")));
        assertFalse(Preset.names().contains("text-tiny"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Preset.named("text-quick"));
        assertTrue(e.getMessage().contains("--corpus"), e.getMessage());

        TextTask t = task(Preset.textSeqLen("text-quick"));
        Preset q = Preset.named("text-quick", t);
        assertSame(t, q.task());
        assertTrue(q.listed());
        assertEquals(64, Preset.textSeqLen("text-quick"));
        assertEquals(2048, Preset.textVocabSize("text-quick"));
        TransformerConfig teacher = (TransformerConfig) q.teacher().model(), student = (TransformerConfig) q.student().model();
        assertEquals(128, teacher.dModel());
        assertEquals(32, student.dModel());
        assertTrue(q.rules().sharedTeacher());
        for (long step : q.rules().accuracyAt()) assertEquals(0, step % q.student().training().eval().every());
        assertEquals(q.student().training().steps(), q.rules().accuracyAt().getLast());

        Preset p = Preset.named("text-paper", task(Preset.textSeqLen("text-paper")));
        assertEquals(768, ((TransformerConfig) p.teacher().model()).dModel());
        assertEquals(12, ((TransformerConfig) p.teacher().model()).layers());
        assertEquals(256, p.teacher().training().batch());
        assertEquals(1e-4, p.teacher().training().optimizer().lr());

        assertFalse(Preset.named("text-tiny", task(16)).listed());
        assertThrows(IllegalArgumentException.class, () -> Preset.named("quick", t));
    }

    @Test
    void wholeWordMaskingIsAComparisonSettingOnlyWhenOn() throws Exception {
        PreparedText p = prepared();
        Map<String, Object> off = new ComparisonPlan(Preset.named("text-tiny", p.task(16, 0.15)), 1, List.of(Method.CE))
                .settings();
        Map<String, Object> on = new ComparisonPlan(Preset.named("text-tiny", p.task(16, 0.15, true)), 1,
                List.of(Method.CE)).settings();
        assertEquals(List.of("task.whole_word_masking (there absent, now true)"), SettingsDiff.differences(off, on));
        Path cmp = dir.resolve("cmp");
        SettingsFile.claim(cmp, off);
        SettingsFile.MismatchException e = assertThrows(SettingsFile.MismatchException.class,
                () -> SettingsFile.check(cmp, on));
        assertTrue(e.getMessage().contains("whole_word_masking"), e.getMessage());
    }
}
