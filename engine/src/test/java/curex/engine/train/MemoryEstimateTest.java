// The memory a run needs, estimated before it starts: long sequences, and a distilled student's teacher.
package curex.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import curex.engine.data.Grammar;
import curex.engine.data.PcfgTask;
import curex.engine.nn.TransformerConfig;
import curex.engine.settings.EvalSettings;
import curex.engine.settings.OptimizerSettings;
import curex.engine.settings.TrainingSettings;
import org.junit.jupiter.api.Test;

class MemoryEstimateTest {
    private static final PcfgTask LONG = new PcfgTask(Grammar.builtin("cfg3b"), "22");
    private static final TransformerConfig DEFAULT =
            TransformerConfig.forTask(LONG, 2, 128, 4, 4, TransformerConfig.Norm.PRE);

    private static TrainingSettings training(int batch) {
        return TrainingSettings.builder().batch(batch).steps(10).seed(0)
                .optimizer(OptimizerSettings.builder().lr(1e-3).build())
                .eval(new EvalSettings(5, EvalSettings.DEFAULT_SIZE, 1.0, false)).build();
    }

    @Test
    void thePublishedPcfgRootsWithTheDefaultModelFitSixGigabytes() {
        // ./curex train --task pcfg --roots 22: the default model and batch; ran in 3.8 GB of resident memory
        long bytes = MemoryEstimate.bytes(LONG, DEFAULT, training(64));
        assertTrue(bytes < 6_000_000_000L, MemoryEstimate.format(bytes));
    }

    @Test
    void aDistilledStudentAlsoNeedsItsTeachersParametersAndBatchForward() {
        TransformerConfig student = TransformerConfig.forTask(LONG, 2, 32, 2, 4, TransformerConfig.Norm.PRE);
        TrainingSettings training = training(128);
        long alone = MemoryEstimate.bytes(LONG, student, training);
        long withTeacher = MemoryEstimate.bytes(LONG, student, training, DEFAULT);
        double teacherFloats = DEFAULT.parameterCount() + 128 * (double) DEFAULT.activationFloatsPerRow() / 2;
        assertEquals(alone + teacherFloats * Float.BYTES, withTeacher, 8.0);
        // ./curex distill --method extract from a root-22 default teacher: ran in 6.1 GB, ran out of a 3.4 GB heap
        assertTrue(withTeacher > 3_400_000_000L && withTeacher < 6_300_000_000L, MemoryEstimate.format(withTeacher));
    }
}
