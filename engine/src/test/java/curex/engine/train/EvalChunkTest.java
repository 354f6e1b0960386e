// Evaluation chunks shrink for long sequences, so that the published PCFG setting fits an ordinary heap.
package curex.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import curex.engine.autograd.Activation;
import curex.engine.data.Grammar;
import curex.engine.data.SparseParity;
import curex.engine.data.PcfgTask;
import curex.engine.nn.MlpConfig;
import curex.engine.nn.TransformerConfig;
import org.junit.jupiter.api.Test;

class EvalChunkTest {
    private static final PcfgTask LONG = new PcfgTask(Grammar.builtin("cfg3b"), "22");

    @Test
    void smallModelsKeepTheDefaultChunk() {
        MlpConfig mlp = MlpConfig.forTask(new SparseParity(100, 6), Activation.RELU, 1000);
        assertEquals(HeldOutAccuracy.DEFAULT_CHUNK, HeldOutAccuracy.chunkFor(mlp));
    }

    @Test
    void longSequencesGetTheChunkTheirActivationsFitIn() {
        TransformerConfig model = TransformerConfig.forTask(LONG, 2, 128, 4, 4, TransformerConfig.Norm.PRE);
        long perSample = model.activationFloatsPerRow();
        int chunk = HeldOutAccuracy.chunkFor(model);
        assertTrue(chunk >= 1 && chunk < HeldOutAccuracy.DEFAULT_CHUNK, "chunk " + chunk);
        assertTrue(chunk * perSample <= HeldOutAccuracy.CHUNK_FLOATS, chunk + " x " + perSample);
        assertTrue((chunk + 1) * perSample > HeldOutAccuracy.CHUNK_FLOATS, "the largest such chunk: " + chunk);
    }

    @Test
    void aSampleLargerThanTheBudgetIsEvaluatedAlone() {
        TransformerConfig wide = TransformerConfig.forTask(LONG, 8, 1024, 8, 4, TransformerConfig.Norm.PRE);
        assertTrue(wide.activationFloatsPerRow() > HeldOutAccuracy.CHUNK_FLOATS);
        assertEquals(1, HeldOutAccuracy.chunkFor(wide));
    }
}
