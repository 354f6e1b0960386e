// The pieces a distillation method combines: a teacher on its own no-grad tape and counter, KL to its logits,
// and a projection stage that trains the student's first layer plus an adapter (two optimizers) only.
package curex.engine.train;

import curex.engine.autograd.Activation;
import curex.engine.autograd.Arena;
import curex.engine.autograd.MatMul;
import curex.engine.autograd.Tape;
import curex.engine.data.SparseParity;
import curex.engine.loss.Losses;
import curex.engine.nn.Linear;
import curex.engine.nn.Mlp;
import curex.engine.nn.MlpConfig;
import curex.engine.nn.Parameters;
import curex.engine.optim.AdamW;
import curex.engine.tensor.ExecContext;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.engine.TestBackends;
import curex.engine.flops.FlopCounter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistillationWiringTest {
    private final Backend be = TestBackends.open();
    private final SparseParity task = new SparseParity(10, 2);
    private static final int B = 16;

    @Test
    void oneShotKdCountsTeacherSeparately() {
        ExecContext student = new ExecContext(be), teacherCtx = student.withOwnCounter();
        try (Mlp teacher = Mlp.create(be, MlpConfig.of(Activation.RELU, 10, 40, 2), 1);
             Mlp mlp = Mlp.create(be, MlpConfig.of(Activation.RELU, 10, 8, 2), 2);
             AdamW opt = new AdamW(mlp.parameters(), AdamW.Config.defaults());
             TrainStep step = new TrainStep(student, opt, 0f);
             Arena teacherArena = new Arena(be);
             TaskObjective data = new TaskObjective(be, mlp, task, B, 3)) {
            Objective kd = new Objective() {
                @Override
                public Tensor loss(Tape tape, long s) {
                    data.sample(s);
                    Tape t = tape.closeWith(Tape.noGrad(teacherCtx, teacherArena));
                    Tensor target = teacher.forward(t, data.input());
                    return Losses.klDiv(tape, mlp.forward(tape, data.input()), target, 2f);
                }

                @Override
                public int batchSize() {
                    return B;
                }

                @Override
                public FlopCounter teacherFlops() {
                    return teacherCtx.flops();
                }
            };
            Trainer trainer = new Trainer(step, kd, s -> 1e-2f, 61);
            float first = step.run(kd, 0, 1e-2f).loss();
            long teacherAllocations = teacherArena.allocations();
            TrainState end = trainer.run(new TrainState(1, B, 0, 0, 0));   // counts from here
            assertEquals(60 * 2L * B * (10 * 40 + 40 * 2), end.teacherFlops());
            assertEquals(60 * 2L * B * (2 * (10 * 8 + 8 * 2) + 8 * 2), end.flops());
            assertEquals(teacherAllocations, teacherArena.allocations());
            float last = step.run(kd, 61, 1e-2f).loss();
            assertTrue(last < 0.5f * first, "KL " + first + " -> " + last);
        }
    }

    @Test
    void projectionStageTrainsPrefixAndAdapterOnly() {
        ExecContext student = new ExecContext(be), teacherCtx = student.withOwnCounter();
        try (Mlp teacher = Mlp.create(be, MlpConfig.of(Activation.RELU, 10, 30, 30, 2), 1);
             Mlp mlp = Mlp.create(be, MlpConfig.of(Activation.RELU, 10, 6, 6, 2), 2);
             Parameters adapterParams = adapterLayout().build(be);
             AdamW opt = new AdamW(mlp.parameters(), AdamW.Config.defaults());
             AdamW adapterOpt = new AdamW(adapterParams, AdamW.Config.defaults());
             TrainStep step = new TrainStep(student, opt, 1f);
             Arena teacherArena = new Arena(be);
             Tensor projection = Tensor.zeros(be, 6, 30);   // fixed random P (dS x dT)
             TaskObjective data = new TaskObjective(be, mlp, task, B, 4)) {
            be.fillNormal(projection.span(), 0f, (float) (1 / Math.sqrt(6)), 9);
            Linear adapter = new Linear(adapterParams, "adapter", Activation.NONE);
            adapter.initialize(5);
            Objective stage1 = new Objective() {
                @Override
                public Tensor loss(Tape tape, long s) {
                    data.sample(s);
                    Tape t = tape.closeWith(Tape.noGrad(teacherCtx, teacherArena));
                    Tensor hT = teacher.hidden(t, data.input(), 1);                      // (B, 30)
                    Tensor z = MatMul.matmul(t, hT, projection.transposeLast2());           // (B, 6)
                    Tensor hS = adapter.forward(tape, mlp.hidden(tape, data.input(), 1));
                    return Losses.mse(tape, hS, z);
                }

                @Override
                public int batchSize() {
                    return B;
                }
            };
            float[] before = mlp.parameters().valuesToHost(), adapterBefore = adapterParams.valuesToHost();
            List<ParamGroup> groups = List.of(new ParamGroup(opt, mlp.layersRange(1)), ParamGroup.all(adapterOpt));
            float first = Float.NaN, last = Float.NaN;
            for (int s = 0; s < 100; s++) {
                StepResult r = step.run(stage1, s, 1e-2f, groups);
                if (s == 0) first = r.loss();
                last = r.loss();
            }
            assertTrue(last < first, "stage loss " + first + " -> " + last);
            float[] after = mlp.parameters().valuesToHost();
            int prefix = (int) mlp.layersRange(1).to();
            assertFalse(Arrays.equals(Arrays.copyOf(before, prefix), Arrays.copyOf(after, prefix)));
            assertArrayEquals(Arrays.copyOfRange(before, prefix, before.length), Arrays.copyOfRange(after, prefix, after.length));
            assertFalse(Arrays.equals(adapterBefore, adapterParams.valuesToHost()));
            // the teacher ran layer 1 and the projection only: 2 B (10*30 + 30*6) per step
            assertEquals(100 * 2L * B * (10 * 30 + 30 * 6), teacherCtx.flops().total());
        }
    }

    private static Parameters.Builder adapterLayout() {
        Parameters.Builder b = Parameters.builder();
        Linear.declare(b, "adapter", 6, 6);
        return b;
    }
}
