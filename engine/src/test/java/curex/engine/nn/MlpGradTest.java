// Gradient checks of Linear and of whole 3-layer MLPs (relu and gelu) against finite differences.
package curex.engine.nn;

import curex.engine.GradCheck;
import curex.engine.autograd.Activation;
import curex.engine.loss.Losses;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.engine.TestBackends;
import org.junit.jupiter.api.Test;

import java.util.List;

import static curex.engine.GradCheck.values;

class MlpGradTest {
    private final Backend be = TestBackends.open();

    @Test
    void linearModule() {
        Parameters p = Parameters.builder().add("l.weight", 4, 5).add("l.bias", 4).build(be);
        Linear lin = new Linear(p, "l", Activation.NONE);
        lin.initialize(3);
        Tensor x = Tensor.leaf(be, values(1, 15, 0f), 3, 5);
        Tensor y = Tensor.fromHost(be, values(2, 12, 0f), 3, 4);
        GradCheck.LossFn f = tape -> Losses.mse(tape, lin.forward(tape, x), y);
        GradCheck.checkFlat(be, p.values(), p.grads(), f, 1e-3f, 1e-3, 1e-2);
        GradCheck.check(be, List.of(x), f, 1e-3f, 1e-3, 1e-2);
    }

    @Test
    void threeLayerMlp() {
        for (Activation act : new Activation[]{Activation.RELU, Activation.GELU}) {
            try (Mlp mlp = Mlp.create(be, MlpConfig.of(act, 6, 9, 7, 3), 42)) {
                Tensor x = Tensor.fromHost(be, values(5, 8 * 6, 0f), 8, 6);
                Tensor y = Tensor.fromHost(be, new int[]{0, 1, 2, 1, 0, 2, 2, 1}, 8);
                GradCheck.checkFlat(be, mlp.parameters().values(), mlp.parameters().grads(),
                        tape -> Losses.crossEntropy(tape, mlp.forward(tape, x), y, Losses.NO_IGNORE),
                        1e-3f, 1e-3, 1e-2);
            }
        }
    }
}
