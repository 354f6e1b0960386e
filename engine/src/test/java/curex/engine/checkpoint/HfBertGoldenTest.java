// A curex masked-LM checkpoint as Hugging Face's BertForMaskedLM loaded it: curex's logits match the library's.
package curex.engine.checkpoint;

import curex.engine.TestBackends;
import curex.engine.autograd.Tape;
import curex.engine.io.NamedArray;
import curex.engine.io.Safetensors;
import curex.engine.io.SafetensorsFile;
import curex.engine.model.Model;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.ReferenceBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * test-data/golden/hf-bert.safetensors is a checkpoint that {@code curex train --task pcfg --norm post} wrote (2
 * blocks, d 16, 2 heads, 30 steps), with what bench/scripts/hf_bert_golden.py added after loading it into the
 * transformers library's BertForMaskedLM (from a BertConfig built from the file's metadata, with no missing,
 * unexpected or mis-shaped tensor): a padded batch (input_ids, attention_mask) and the library's float32 logits.
 * curex reads the same file with its checkpoint reader and must give each real token's logits within {@value #ABS} +
 * {@value #REL} x |value|, as in {@code TransformerGoldenTest}. Padded positions are not compared: neither side
 * defines them.
 */
class HfBertGoldenTest {
    private static final double ABS = 2e-5, REL = 1e-4;

    @ParameterizedTest(name = "on the {0} backend")
    @ValueSource(strings = {"test", "reference"})
    void curexComputesWhatHuggingFaceComputesFromTheSameFile(String backendName) throws Exception {
        Path file = Path.of("../test-data/golden/hf-bert.safetensors");
        SafetensorsFile golden = Safetensors.read(file);
        assertEquals("{\"error_msgs\": [], \"mismatched_keys\": [], \"missing_keys\": [], \"unexpected_keys\": []}",
                golden.metadata().get("golden.load_report"), "Hugging Face loaded every tensor by name and shape");
        NamedArray ids = golden.tensor("input_ids"), mask = golden.tensor("attention_mask");
        float[] expected = golden.tensor("hf.logits").data();
        int[] m = mask.ints();
        try (Backend be = backendName.equals("test") ? TestBackends.open() : new ReferenceBackend();
             Model model = ModelCheckpoint.load(file, be);
             Tensor x = Tensor.fromHost(be, ids.ints(), ids.shape());
             Tape tape = Tape.noGrad(new ExecContext(be))) {
            Tensor logits = model.forward(tape, x);                              // (N * T, V)
            int vocab = logits.dim(1);
            assertArrayEquals(new int[] {m.length, vocab}, logits.shape());
            assertEquals(expected.length, m.length * vocab);
            float[] actual = logits.toHost();
            int compared = 0;
            for (int pos = 0; pos < m.length; pos++) {
                if (m[pos] == 0) continue;
                for (int v = 0; v < vocab; v++) {
                    int i = pos * vocab + v;
                    if (!(Math.abs(expected[i] - actual[i]) <= ABS + REL * Math.abs(expected[i])))
                        fail("position " + pos + ", token " + v + ": Hugging Face " + expected[i] + ", curex " + actual[i]);
                    compared++;
                }
            }
            assertEquals(46 * vocab, compared, "the batch's 46 real tokens");
        }
    }
}
