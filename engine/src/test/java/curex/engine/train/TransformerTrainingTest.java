// Transformers on the one training path: PCFG masked LM learns, and an interrupted run resumes to the same model.
package curex.engine.train;

import curex.engine.TestBackends;
import curex.engine.data.Grammar;
import curex.engine.data.ParitySequence;
import curex.engine.data.PcfgTask;
import curex.engine.io.RunLayout;
import curex.engine.io.Safetensors;
import curex.engine.metrics.EvalPoint;
import curex.engine.metrics.RunSummary;
import curex.engine.nn.TransformerConfig;
import curex.engine.settings.EvalSettings;
import curex.engine.settings.OptimizerSettings;
import curex.engine.settings.TrainingSettings;
import curex.kernels.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformerTrainingTest {
    private static final Backend BE = TestBackends.open();
    private static final PcfgTask PCFG = new PcfgTask(Grammar.builtin("cfg3b"), "16", "17", "18");

    @TempDir
    Path dir;

    @AfterAll
    static void close() {
        BE.close();
    }

    private static TrainingSettings training(long steps, int batch, double lr) {
        return TrainingSettings.builder().batch(batch).steps(steps).seed(5)
                .optimizer(OptimizerSettings.builder().lr(lr).betas(0.9, 0.95).warmup(5).clip(1).build())
                .eval(new EvalSettings(steps / 2, 64, 0.99, false)).build();
    }

    private static TransformerConfig small(curex.engine.data.Task task) {
        return TransformerConfig.forTask(task, 1, 16, 2, 2, TransformerConfig.Norm.PRE);
    }

    @Test
    void maskedLmOnTheGrammarLearnsBeyondGuessing() throws IOException {
        RunSummary s = new TrainingRun(BE, PCFG, small(PCFG), training(240, 16, 1e-2)).run();
        List<EvalPoint> evals = s.evals();
        double first = evals.getFirst().accuracy(), last = evals.getLast().accuracy();
        double guess = unigramGuess();
        assertTrue(first < guess, "untrained: " + first + ", guessing " + guess);
        assertTrue(last > guess + 0.03, "after 240 steps: " + first + " -> " + last + ", guessing " + guess);
    }

    /**
     * The accuracy of a guess that knows the terminals' frequencies but no grammar: a visible terminal is taken as its
     * own label (right for the 10% kept, and a third of the 10% replaced), a MASK as the most frequent terminal.
     */
    private static double unigramGuess() {
        curex.engine.data.Batch b = PCFG.batch(99, 0, 512);
        int[] counts = new int[PCFG.vocabulary()], tokens = b.tokens(), labels = b.labels();
        for (int i = 0; i < b.labelCount(); i++) if (labels[i] >= 0) counts[labels[i]]++;
        int majority = 0;
        for (int t = 1; t < counts.length; t++) if (counts[t] > counts[majority]) majority = t;
        int right = 0, total = 0;
        for (int i = 0; i < b.labelCount(); i++) {
            if (labels[i] < 0) continue;
            total++;
            if ((tokens[i] < PCFG.grammar().terminals() ? tokens[i] : majority) == labels[i]) right++;
        }
        return (double) right / total;
    }

    @Test
    void aStepAllocatesNoBackendMemoryOnceTheLongestBatchHasBeenSeen() {
        // parity-tf: every batch has the same shape, so the arena holds after the first step
        ParitySequence parity = new ParitySequence(8, 2);
        try (curex.engine.nn.Transformer m = small(parity).create(BE, 1);
             TaskObjective objective = new TaskObjective(BE, m, parity, 8, 1);
             TrainStep step = new TrainStep(new curex.engine.tensor.ExecContext(BE),
                     new curex.engine.optim.AdamW(m.parameters(), curex.engine.optim.AdamW.Config.defaults()), 1f)) {
            step.run(objective, 0, 1e-3f);
            long afterFirst = step.arena().allocations(), bytes = step.arena().bytes();
            assertTrue(bytes >= 8L * 9 * 16 * Float.BYTES, "the tape holds at least the (B, T, d) embeddings: " + bytes);
            for (int s = 1; s < 5; s++) step.run(objective, s, 1e-3f);
            assertEquals(afterFirst, step.arena().allocations());
            assertEquals(bytes, step.arena().bytes());
        }
    }

    @Test
    void anInterruptedTransformerRunResumesToTheSameModel() throws IOException {
        for (curex.engine.data.Task task : List.of(PCFG, new ParitySequence(8, 2))) {
            Path straight = dir.resolve(task.name() + "-straight"), cut = dir.resolve(task.name() + "-cut");
            TrainingSettings t = training(20, 8, 3e-3);
            new TrainingRun(BE, task, small(task), t).output(new RunLayout(straight)).run();
            StopSignal ctrlC = new StopSignal();
            new TrainingRun(BE, task, small(task), t).output(new RunLayout(cut)).stopOn(ctrlC)
                    .listener(new TrainingListener() {
                        @Override
                        public void onStep(StepResult r, TrainState s) {
                            if (s.step() == 7) ctrlC.request();
                        }
                    }).run();
            RunLayout layout = new RunLayout(cut);
            new TrainingRun(BE, task, small(task), t).output(layout).resumeFrom(layout.checkpoint(7)).run();
            var a = Safetensors.read(new RunLayout(straight).model()).tensors();
            var b = Safetensors.read(layout.model()).tensors();
            assertEquals(a.keySet(), b.keySet());
            for (String name : a.keySet()) assertArrayEquals(a.get(name).data(), b.get(name).data(), task.name() + " " + name);
        }
    }
}
