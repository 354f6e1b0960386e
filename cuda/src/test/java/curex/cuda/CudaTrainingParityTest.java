// Training on the GPU follows training on the CPU: an MLP and a small transformer, a few hundred AdamW steps each.
package curex.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import curex.engine.train.StepResult;
import curex.kernels.Backend;
import curex.kernels.VectorBackend;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same run (seed, initial weights, batches) on cuda and on vector (2 threads). The two differ only in
 * rounding (cuBLAS against the blocked CPU gemm, tree against lane sums), which training amplifies slowly, so
 * the tolerance widens with the step: every loss within {@code 1e-4 + 2e-3 |loss|} for the first 20 steps and
 * within {@code 2e-2 + 5e-2 |loss|} up to the last; the final parameters within {@code 5e-2 * max|p|} each, and
 * the initial ones equal bit for bit (counter-based fills).
 */
@ExtendWith(RequiresCuda.class)
class CudaTrainingParityTest {

    private static void sameRun(Function<Backend, TrainingSetup> setup, int steps) {
        try (Backend cpu = new VectorBackend(2); Backend gpu = new CudaBackend();
             TrainingSetup a = setup.apply(cpu); TrainingSetup b = setup.apply(gpu)) {
            assertArrayEquals(a.parameters(), b.parameters(), "initial weights");
            for (int s = 0; s < steps; s++) {
                StepResult ra = a.step(s), rb = b.step(s);
                double tol = s < 20 ? 1e-4 + 2e-3 * Math.abs(ra.loss()) : 2e-2 + 5e-2 * Math.abs(ra.loss());
                assertEquals(ra.loss(), rb.loss(), tol, "loss at step " + s);
            }
            float[] pa = a.parameters(), pb = b.parameters();
            double max = 0;
            for (float v : pa) max = Math.max(max, Math.abs(v));
            for (int i = 0; i < pa.length; i++) assertEquals(pa[i], pb[i], 5e-2 * max, "parameter " + i);
            assertTrue(max > 0);
        }
    }

    @Test
    void mlpOnSparseParity() {
        sameRun(be -> TrainingSetup.mlp(be, 20, 3, 128, 64, 3e-3f, 7), 300);
    }

    @Test
    void transformerOnParitySequence() {
        sameRun(be -> TrainingSetup.transformer(be, 10, 2, 2, 32, 4, 32, 3e-3f, 3), 200);
    }

    /** After the first step has allocated the tape and the optimizer state, later steps ask the driver for nothing. */
    @Test
    void aSteadyStepMakesNoDeviceAllocation() {
        try (CudaBackend gpu = new CudaBackend(); TrainingSetup t = TrainingSetup.mlp(gpu, 20, 3, 128, 64, 3e-3f, 7)) {
            t.step(0);
            t.step(1);
            long before = gpu.deviceAllocations();
            for (int s = 2; s < 20; s++) t.step(s);
            assertEquals(before, gpu.deviceAllocations());
        }
    }
}
