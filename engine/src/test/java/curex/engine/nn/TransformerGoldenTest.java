// curex's transformer against PyTorch: forward, hidden states, loss and every parameter gradient of a tiny model.
package curex.engine.nn;

import curex.engine.TestBackends;
import curex.engine.autograd.Tape;
import curex.engine.io.NamedArray;
import curex.engine.io.Safetensors;
import curex.engine.io.SafetensorsFile;
import curex.engine.loss.Losses;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.ReferenceBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * test-data/golden/transformer-{pre,post}.safetensors hold a 2-block encoder (d 16, 2 heads, vocabulary 8, MLM head)
 * under Hugging Face's names, a batch of two sequences of 5 and 7 tokens padded to 7, and PyTorch's logits, hidden
 * states, loss and gradients, computed in float64 by bench/scripts/golden_transformer.py. curex computes in float32,
 * so each value must agree within {@value #ABS} + {@value #REL} x |value|: the float32 rounding of a few hundred
 * operations on values of order 1. Both CPU backends agree today within 2e-6 + 1e-5 x |value|; the margin leaves room
 * for other summation orders (a GPU's), and a wrong op is off by far more (an attention scale 1% off fails at once).
 */
class TransformerGoldenTest {
    private static final double ABS = 2e-5, REL = 1e-4;

    @ParameterizedTest(name = "{0}-LN on {1}")
    @CsvSource({"pre, test", "post, test", "pre, reference", "post, reference"})
    void forwardAndBackwardMatchPyTorch(String norm, String backendName) throws Exception {
        SafetensorsFile golden = Safetensors.read(Path.of("../test-data/golden/transformer-" + norm + ".safetensors"));
        TransformerConfig config = new TransformerConfig(8, 8, 16, 2, 2, 4,
                norm.equals("pre") ? TransformerConfig.Norm.PRE : TransformerConfig.Norm.POST,
                TransformerConfig.Head.MLM, 8, 5, 1e-5f);
        try (Backend be = backendName.equals("test") ? TestBackends.open() : new ReferenceBackend();
             Transformer model = Transformer.zeros(be, config)) {
            Parameters p = model.parameters();
            Set<String> weights = new TreeSet<>();
            for (String name : golden.tensors().keySet())
                if (name.startsWith("bert.") || name.startsWith("cls.")) weights.add(name);
            for (NamedArray constant : config.constants()) weights.remove(constant.name());
            assertEquals(weights, new TreeSet<>(p.names()), "curex's tensors are exactly PyTorch's, by name");
            for (String name : p.names()) p.load(name, golden.tensor(name).data());

            NamedArray ids = golden.tensor("input_ids"), labels = golden.tensor("labels");
            ExecContext ctx = new ExecContext(be);
            try (Tensor x = Tensor.fromHost(be, ids.ints(), ids.shape());
                 Tensor y = Tensor.fromHost(be, labels.ints(), labels.ints().length)) {
                p.zeroGrad();
                try (Tape tape = Tape.recording(ctx)) {
                    Tensor logits = model.forward(tape, x);
                    Tensor loss = Losses.crossEntropy(tape, logits, y, -100);
                    close("logits", golden.tensor("logits").data(), logits.toHost());
                    close("loss", golden.tensor("loss").data(), loss.toHost());
                    tape.backward(loss);
                }
                for (String name : p.names()) close("grad of " + name, golden.tensor("grad." + name).data(), p.get(name).gradToHost());
                for (int l = 1; l <= 2; l++)
                    try (Tape tape = Tape.noGrad(ctx)) {
                        close("hidden " + l, golden.tensor("hidden." + l).data(), model.hidden(tape, x, l).toHost());
                    }
            }
        }
    }

    private static void close(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": element count");
        for (int i = 0; i < expected.length; i++)
            if (!(Math.abs(expected[i] - actual[i]) <= ABS + REL * Math.abs(expected[i])))
                fail(what + " element " + i + ": PyTorch " + expected[i] + ", curex " + actual[i]);
    }
}
