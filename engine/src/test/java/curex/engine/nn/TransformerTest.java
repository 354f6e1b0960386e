// The transformer as a model: gradients of the whole network, padding that never leaks, layer ranges, checkpoints.
package curex.engine.nn;

import curex.engine.GradCheck;
import curex.engine.TestBackends;
import curex.engine.autograd.Activation;
import curex.engine.autograd.Ops;
import curex.engine.autograd.Tape;
import curex.engine.checkpoint.ModelCheckpoint;
import curex.engine.data.ParitySequence;
import curex.engine.data.PcfgTask;
import curex.engine.data.Grammar;
import curex.engine.io.CheckpointException;
import curex.engine.io.NamedArray;
import curex.engine.io.Safetensors;
import curex.engine.io.SafetensorsFile;
import curex.engine.loss.Losses;
import curex.engine.model.Model;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformerTest {
    private static final Backend BE = TestBackends.open();
    private static final int PAD = 5;

    @TempDir
    Path dir;

    @AfterAll
    static void close() {
        BE.close();
    }

    static TransformerConfig tiny(TransformerConfig.Norm norm, TransformerConfig.Head head) {
        boolean mlm = head == TransformerConfig.Head.MLM;
        return new TransformerConfig(6, 8, 4, 2, 2, 2, norm, head, mlm ? 6 : 2, mlm ? PAD : -1, 1e-5f);
    }

    /** Every parameter uniform in [-0.5, 0.5) (LayerNorm gains near 1), so that each one's gradient matters. */
    static void randomize(Model m, long seed) {
        Parameters p = m.parameters();
        float[] v = GradCheck.values(seed, (int) p.count(), 0f);
        for (int i = 0; i < v.length; i++) v[i] *= 0.5f;
        p.loadValues(v);
        for (Parameters.Entry e : p.entries())
            if (e.name().endsWith("LayerNorm.weight")) {
                float[] g = p.toHost(e.name());
                for (int i = 0; i < g.length; i++) g[i] += 1;
                p.load(e.name(), g);
            }
    }

    @ParameterizedTest
    @EnumSource(TransformerConfig.Norm.class)
    void gradientsOfEveryParameterMatchFiniteDifferences(TransformerConfig.Norm norm) {
        for (TransformerConfig.Head head : TransformerConfig.Head.values()) {
            TransformerConfig c = tiny(norm, head);
            boolean mlm = head == TransformerConfig.Head.MLM;
            try (Transformer m = Transformer.create(BE, c, 1);
                 Tensor ids = Tensor.fromHost(BE, mlm ? new int[]{0, 3, 2, PAD, 1, 4, 0, 2} : new int[]{0, 3, 2, 4, 1, 4, 0, 2}, 2, 4);
                 Tensor y = Tensor.fromHost(BE, mlm ? new int[]{-100, 1, 3, -100, 2, -100, 4, 0} : new int[]{1, 0}, mlm ? 8 : 2)) {
                randomize(m, 7);
                Parameters p = m.parameters();
                GradCheck.checkFlat(BE, p.values(), p.grads(),
                        tape -> Losses.crossEntropy(tape, m.forward(tape, ids), y, -100), 1e-3f, 3e-3, 2e-2);
            }
        }
    }

    @Test
    void aConfigMismatchTheDescriptionsHideNamesTheDifferingField() throws Exception {
        TransformerConfig a = TransformerConfig.forTask(new ParitySequence(20, 3), 1, 16, 2, 4, TransformerConfig.Norm.PRE);
        TransformerConfig b = TransformerConfig.forTask(new ParitySequence(21, 3), 1, 16, 2, 4, TransformerConfig.Norm.PRE);
        assertEquals(a.describe(), b.describe(), "only the maximum length differs");
        Path file = dir.resolve("mismatch.safetensors");
        try (Transformer t = Transformer.create(BE, a, 1)) {
            ModelCheckpoint.save(file, t, Map.of());
        }
        try (Transformer other = Transformer.create(BE, b, 1)) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> ModelCheckpoint.loadInto(file, other));
            assertTrue(e.getMessage().contains("(maxLength 21 in the file, 22)"), e.getMessage());
        }
    }

    @Test
    void paddingNeverReachesARealPosition() {
        TransformerConfig c = tiny(TransformerConfig.Norm.POST, TransformerConfig.Head.MLM);
        int[] seq = {0, 3, 2, 1};
        try (Transformer m = Transformer.create(BE, c, 2);
             Tensor shortBatch = Tensor.fromHost(BE, seq, 1, 4);
             Tensor padded = Tensor.fromHost(BE, new int[]{0, 3, 2, 1, PAD, PAD, PAD}, 1, 7)) {
            randomize(m, 3);
            float[] unpadded = logits(m, shortBatch);
            float[] withPad = logits(m, padded);
            for (int i = 0; i < 4 * 6; i++) assertEquals(unpadded[i], withPad[i], 1e-5f, "logit " + i);
            float[] word = m.parameters().toHost("bert.embeddings.word_embeddings.weight");
            for (int j = 0; j < 4; j++) word[PAD * 4 + j] = 100 * (j + 1);    // what the padding embeds is irrelevant
            m.parameters().load("bert.embeddings.word_embeddings.weight", word);
            float[] changedPad = logits(m, padded);
            for (int i = 0; i < 4 * 6; i++) assertEquals(withPad[i], changedPad[i], 1e-5f, "logit " + i);
        }
    }

    private static float[] logits(Model m, Tensor ids) {
        try (Tape tape = Tape.noGrad(new ExecContext(BE))) {
            return m.forward(tape, ids).toHost();
        }
    }

    @Test
    void layersOneToJAndTheEmbeddingsAreAPrefixOfTheBuffer() {
        try (Transformer m = Transformer.zeros(BE, tiny(TransformerConfig.Norm.PRE, TransformerConfig.Head.CLASSIFY))) {
            Parameters p = m.parameters();
            assertEquals(p.entry("bert.embeddings.position_embeddings.weight").range().to(), m.layersRange(0).to());
            assertEquals(p.entry("bert.encoder.layer.1.attention.LayerNorm.weight").range().from(), m.layersRange(1).to());
            assertEquals(p.entry("bert.encoder.LayerNorm.weight").range().from(), m.layersRange(2).to());
            assertEquals(p.count(), m.layersRange(3).to());
            assertEquals(p.count(), m.config().parameterCount());
            assertThrows(IllegalArgumentException.class, () -> m.layersRange(4));
        }
    }

    @Test
    void hiddenStatesAreTheResidualStreamPerToken() {
        try (Transformer m = Transformer.create(BE, tiny(TransformerConfig.Norm.PRE, TransformerConfig.Head.MLM), 4);
             Tensor ids = Tensor.fromHost(BE, new int[]{0, 3, 2, PAD, 1, 4, 0, 2}, 2, 4);
             Tape tape = Tape.noGrad(new ExecContext(BE))) {
            assertArrayEquals(new int[]{8, 4}, m.hidden(tape, ids, 1).shape());
            assertArrayEquals(new int[]{8, 6}, m.forward(tape, ids).shape());
            assertEquals(4, m.width(2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.hidden(tape, ids, 3));
            assertTrue(e.getMessage().contains("expected 1..2"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(TransformerConfig.Norm.class)
    void theClassifierReadsTheLastPositionOfTheFullLastBlock(TransformerConfig.Norm norm) {
        // forward runs the last block on the read-out row only, its keys and values folded into the query; the full
        // block's last row must give the same logits and the same gradients, padding keys included
        TransformerConfig c = tiny(norm, TransformerConfig.Head.CLASSIFY);
        try (Transformer m = Transformer.create(BE, c, 5);
             Tensor ids = Tensor.fromHost(BE, new int[]{0, 3, 2, 4, PAD, PAD, 0, 2, 3, PAD, 1, 0}, 3, 4);
             Tensor y = Tensor.fromHost(BE, new int[]{1, 0, 1}, 3)) {
            randomize(m, 9);
            ExecContext ctx = new ExecContext(BE);
            float[] logits, full, foldedGrad, fullGrad;
            m.parameters().zeroGrad();
            try (Tape tape = Tape.recording(ctx)) {
                Tensor out = m.forward(tape, ids);                                                  // (B, C)
                logits = out.toHost();
                tape.backward(Losses.crossEntropy(tape, out, y, -100));
                foldedGrad = grads(m);
            }
            try (Tape tape = Tape.recording(ctx)) {
                Tensor h = m.hidden(tape, ids, c.layers()).reshape(3, 4, c.dModel());             // (B, T, d)
                Tensor last = Ops.contiguous(tape, h.select(1, 3));                               // (B, d)
                if (norm == TransformerConfig.Norm.PRE)
                    last = new LayerNorm(m.parameters(), Transformer.FINAL_NORM, c.layerNormEps()).forward(tape, last);
                Tensor out = new Linear(m.parameters(), Transformer.CLASSIFIER, Activation.NONE).forward(tape, last);
                full = out.toHost();
                tape.backward(Losses.crossEntropy(tape, out, y, -100));
                fullGrad = grads(m);
            }
            assertEquals(6, logits.length);
            for (int i = 0; i < logits.length; i++) assertEquals(full[i], logits[i], 1e-5f, "logit " + i);
            for (int i = 0; i < fullGrad.length; i++) assertEquals(fullGrad[i], foldedGrad[i], 1e-5f, "gradient " + i);
            Parameters p = m.parameters();
            GradCheck.checkFlat(BE, p.values(), p.grads(),
                    tape -> Losses.crossEntropy(tape, m.forward(tape, ids), y, -100), 1e-3f, 3e-3, 2e-2);
        }
    }

    @ParameterizedTest
    @EnumSource(TransformerConfig.Norm.class)
    void aMaskedLmComputesTheLabelledRowsAloneAsTheFullModelDoes(TransformerConfig.Norm norm) {
        // the last block and the head run on the rows asked for; their logits and gradients must be the full model's
        TransformerConfig c = tiny(norm, TransformerConfig.Head.MLM);
        int[] rows = {1, 2, 4, 6, 7};
        try (Transformer m = Transformer.create(BE, c, 6);
             Tensor ids = Tensor.fromHost(BE, new int[]{0, 3, 2, PAD, 1, 4, 0, 2}, 2, 4);
             Tensor picked = Tensor.fromHost(BE, rows, rows.length);
             Tensor y = Tensor.fromHost(BE, new int[]{-100, 1, 3, -100, 2, -100, 4, 0}, 8);
             Tensor yPicked = Tensor.fromHost(BE, new int[]{1, 3, 2, 4, 0}, rows.length)) {
            randomize(m, 11);
            float[] full, part, fullGrad, partGrad;
            float fullLoss, partLoss;
            ExecContext ctx = new ExecContext(BE);
            m.parameters().zeroGrad();
            try (Tape tape = Tape.recording(ctx)) {
                full = m.forward(tape, ids).toHost();
                Tensor loss = Losses.crossEntropy(tape, m.forward(tape, ids), y, -100);
                fullLoss = loss.item();
                tape.backward(loss);
                fullGrad = grads(m);
            }
            try (Tape tape = Tape.recording(ctx)) {
                Tensor logits = m.forward(tape, ids, picked);
                assertArrayEquals(new int[]{rows.length, 6}, logits.shape());
                part = logits.toHost();
                Tensor loss = Losses.crossEntropy(tape, logits, yPicked, -100);
                partLoss = loss.item();
                tape.backward(loss);
                partGrad = grads(m);
            }
            for (int r = 0; r < rows.length; r++)
                for (int v = 0; v < 6; v++)
                    assertEquals(full[rows[r] * 6 + v], part[r * 6 + v], 1e-5f, "row " + rows[r] + " logit " + v);
            assertEquals(fullLoss, partLoss, 1e-5f);
            for (int i = 0; i < fullGrad.length; i++) assertEquals(fullGrad[i], partGrad[i], 1e-5f, "gradient " + i);
            Parameters p = m.parameters();
            GradCheck.checkFlat(BE, p.values(), p.grads(),
                    tape -> Losses.crossEntropy(tape, m.forward(tape, ids, picked), yPicked, -100), 1e-3f, 3e-3, 2e-2);
        }
    }

    /** The gradients one backward left, zeroed again for the next. */
    private static float[] grads(Model m) {
        float[] g = m.parameters().gradsToHost();
        m.parameters().zeroGrad();
        return g;
    }

    @Test
    void aSequenceLongerThanTheModelReadsIsRefused() {
        try (Transformer m = Transformer.zeros(BE, tiny(TransformerConfig.Norm.PRE, TransformerConfig.Head.MLM));
             Tensor ids = Tensor.ints(BE, 1, 9); Tape tape = Tape.noGrad(new ExecContext(BE))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(tape, ids));
            assertTrue(e.getMessage().contains("9 tokens is longer than the model's maximum length 8"), e.getMessage());
        }
    }

    @Test
    void configsRefuseShapesThatDoNotFitAndTasksTheyCannotRead() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TransformerConfig(8, 8, 128, 5,
                2, 4, TransformerConfig.Norm.PRE, TransformerConfig.Head.MLM, 8, 5, 1e-5f));
        assertTrue(e.getMessage().contains("5 heads do not divide d_model 128"), e.getMessage());
        TransformerConfig parity = TransformerConfig.forTask(new ParitySequence(20, 3), 2, 16, 2, 4, TransformerConfig.Norm.PRE);
        assertEquals("transformer 2 x d16 (2 heads, MLP 64, pre-LN, 2-way classifier)", parity.describe());
        assertTrue(TransformerConfig.forTask(new ParitySequence(20, 3), 1, 16, 1, 4, TransformerConfig.Norm.PRE)
                .describe().contains("(1 head, MLP 64"));
        assertEquals(TransformerConfig.Head.CLASSIFY, parity.head());
        assertEquals(21, parity.maxLength());
        e = assertThrows(IllegalArgumentException.class, () -> parity.checkTask(new ParitySequence(30, 3)));
        assertTrue(e.getMessage().contains("at most 21 positions"), e.getMessage());
        PcfgTask pcfg = new PcfgTask(Grammar.builtin("cfg3b"), "16", "17", "18");
        e = assertThrows(IllegalArgumentException.class, () -> parity.checkTask(pcfg));
        assertTrue(e.getMessage().contains("classify head"), e.getMessage());
        TransformerConfig mlm = TransformerConfig.forTask(pcfg, 2, 16, 2, 4, TransformerConfig.Norm.POST);
        mlm.checkTask(pcfg);
        assertEquals(pcfg.padToken(), mlm.padToken());
        assertEquals(mlm, TransformerConfig.fromMetadata(mlm.metadata()));
        assertEquals(parity, TransformerConfig.fromMetadata(parity.metadata()));
    }

    @Test
    void eachInitDrawsItsOwnDistributions() {
        TransformerConfig torch = new TransformerConfig(8, 64, 64, 4, 1, 4, TransformerConfig.Norm.POST,
                TransformerConfig.Head.MLM, 8, PAD, 1e-5f);
        assertEquals(TransformerConfig.Init.TORCH, torch.init());
        TransformerConfig bert = torch.withInit(TransformerConfig.Init.BERT);
        assertEquals(bert, TransformerConfig.fromMetadata(bert.metadata()));
        assertEquals(torch, TransformerConfig.fromMetadata(torch.metadata()));
        try (Transformer t = Transformer.create(BE, torch, 3); Transformer b = Transformer.create(BE, bert, 3)) {
            Parameters pt = t.parameters(), pb = b.parameters();
            String word = "bert.embeddings.word_embeddings.weight", query = "bert.encoder.layer.0.attention.self.query.weight";
            String bias = "bert.encoder.layer.0.attention.self.query.bias", norm = "bert.embeddings.LayerNorm.weight";
            assertEquals(1.0, std(pt.toHost(word)), 0.1);
            assertEquals(0.02, std(pb.toHost(word)), 0.003);
            float bound = 1f / 8;   // 1/sqrt(fan_in 64)
            assertEquals(bound / Math.sqrt(3), std(pt.toHost(query)), 0.004);
            for (float w : pt.toHost(query)) assertTrue(Math.abs(w) <= bound, "torch weight " + w + " beyond +-1/8");
            assertEquals(0.02, std(pb.toHost(query)), 0.001);
            assertTrue(std(pt.toHost(bias)) > 0.03, "torch biases are drawn");
            for (float v : pb.toHost(bias)) assertEquals(0f, v, "bert biases are zero");
            for (float v : pt.toHost(norm)) assertEquals(1f, v, "norm gains start at 1");
            for (float v : pt.toHost("cls.predictions.bias")) assertEquals(0f, v, "the decoder bias starts at 0");
        }
    }

    private static double std(float[] v) {
        double sum = 0, sq = 0;
        for (float x : v) {
            sum += x;
            sq += (double) x * x;
        }
        double mean = sum / v.length;
        return Math.sqrt(sq / v.length - mean * mean);
    }

    @Test
    void checkpointsCarryHuggingFaceNamesAndConfigKeys() throws Exception {
        TransformerConfig c = tiny(TransformerConfig.Norm.POST, TransformerConfig.Head.MLM);
        Path file = dir.resolve("m.safetensors");
        try (Transformer m = Transformer.create(BE, c, 5)) {
            ModelCheckpoint.save(file, m, Map.of());
            SafetensorsFile f = Safetensors.read(file);
            Map<String, String> meta = f.metadata();
            for (String key : List.of("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                    "vocab_size", "max_position_embeddings", "layer_norm_eps", "hidden_act", "tie_word_embeddings"))
                assertTrue(meta.containsKey(key), key);
            assertEquals("gelu_pytorch_tanh", meta.get("hidden_act"));
            assertEquals("8", meta.get("intermediate_size"));
            NamedArray type = f.tensor("bert.embeddings.token_type_embeddings.weight");
            assertArrayEquals(new int[]{1, 4}, type.shape());
            assertArrayEquals(new float[4], type.data());
            for (String name : List.of("bert.encoder.layer.0.attention.self.query.weight",
                    "bert.encoder.layer.1.output.LayerNorm.bias", "cls.predictions.transform.dense.weight",
                    "cls.predictions.decoder.weight", "cls.predictions.bias"))
                assertTrue(f.tensors().containsKey(name), name);
            try (Model back = ModelCheckpoint.load(file, BE)) {
                assertEquals(c, back.config());
                assertArrayEquals(m.parameters().valuesToHost(), back.parameters().valuesToHost());
            }
            List<NamedArray> tampered = new ArrayList<>(f.tensors().values());
            tampered.replaceAll(a -> a.name().equals(type.name()) ? new NamedArray(a.name(), a.shape(), new float[]{0, 1, 0, 0}) : a);
            Path bad = dir.resolve("bad.safetensors");
            Safetensors.write(bad, meta, tampered);
            CheckpointException e = assertThrows(CheckpointException.class, () -> ModelCheckpoint.load(bad, BE));
            assertTrue(e.getMessage().contains("token_type_embeddings") && e.getMessage().contains("all zeros"), e.getMessage());

            // the decoder bias also under transformers 5's name, equal to it; a file without it (older) still loads
            NamedArray bias = f.tensor("cls.predictions.bias"), own = f.tensor("cls.predictions.decoder.bias");
            assertArrayEquals(m.parameters().toHost("cls.predictions.bias"), own.data());
            assertArrayEquals(bias.shape(), own.shape());
            List<NamedArray> without = new ArrayList<>(f.tensors().values());
            without.removeIf(a -> a.name().equals(own.name()));
            Path old = dir.resolve("old.safetensors");
            Safetensors.write(old, meta, without);
            try (Model back = ModelCheckpoint.load(old, BE)) {
                assertArrayEquals(m.parameters().valuesToHost(), back.parameters().valuesToHost());
            }
            List<NamedArray> differing = new ArrayList<>(f.tensors().values());
            float[] shifted = own.data().clone();
            shifted[0] += 1;
            differing.replaceAll(a -> a.name().equals(own.name()) ? new NamedArray(a.name(), a.shape(), shifted) : a);
            Path split = dir.resolve("split.safetensors");
            Safetensors.write(split, meta, differing);
            CheckpointException d = assertThrows(CheckpointException.class, () -> ModelCheckpoint.load(split, BE));
            assertTrue(d.getMessage().contains("cls.predictions.decoder.bias") && d.getMessage().contains("must equal"),
                    d.getMessage());
        }
        assertTrue(Transformer.aliases(tiny(TransformerConfig.Norm.PRE, TransformerConfig.Head.CLASSIFY)).isEmpty());
        assertFalse(Transformer.constants(tiny(TransformerConfig.Norm.PRE, TransformerConfig.Head.MLM)).iterator().hasNext());
    }
}
