// A few training steps on the backend under test match ReferenceBackend: same losses and parameters within tolerance.
package curex.engine.train;

import curex.engine.data.SparseParity;
import curex.kernels.Backend;
import curex.kernels.ReferenceBackend;
import curex.engine.TestBackends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BackendParityTest {

    @Test
    void trainingStepsAgree() {
        SparseParity task = new SparseParity(17, 3);       // awkward sizes: 17 inputs, 33 hidden, batch 7
        try (Backend ref = new ReferenceBackend(); Backend vec = TestBackends.open(2);
             TrainingFixtures a = new TrainingFixtures(ref, task, 3, 33, 7, 1f);
             TrainingFixtures b = new TrainingFixtures(vec, task, 3, 33, 7, 1f)) {
            assertArrayEquals(a.mlp.parameters().valuesToHost(), b.mlp.parameters().valuesToHost());
            for (int s = 0; s < 4; s++) {
                StepResult ra = a.step.run(a.objective, s, 1e-2f), rb = b.step.run(b.objective, s, 1e-2f);
                assertEquals(ra.loss(), rb.loss(), 1e-5 * Math.max(1, Math.abs(ra.loss())));
                assertEquals(ra.gradNorm(), rb.gradNorm(), 1e-4 * ra.gradNorm());
            }
            float[] pa = a.mlp.parameters().valuesToHost(), pb = b.mlp.parameters().valuesToHost();
            for (int i = 0; i < pa.length; i++) assertEquals(pa[i], pb[i], 1e-4, "parameter " + i);
        }
    }
}
