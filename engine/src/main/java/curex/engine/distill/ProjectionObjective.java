// A projection stage's loss: the adapted student hidden layer j against the standardized projection of teacher layer t(j).
package curex.engine.distill;

import curex.engine.autograd.Tape;
import curex.engine.loss.Losses;
import curex.engine.nn.Linear;
import curex.engine.nn.Mlp;
import curex.engine.tensor.Tensor;
import curex.engine.train.ClassificationObjective;
import curex.engine.train.Objective;

/**
 * Step s: batch s of the shared data; the teacher runs layers 1..t(j) only and its layer is mapped to z (B, dP) by
 * the stage's {@link StageTarget}; the student runs layers 1..j with gradient, then the adapter A (if any); the loss
 * is {@code mean_batch |A hS - z|^2 / dP} (mse: the mean over all elements) or {@code mean_batch (1 - cos)}.
 */
final class ProjectionObjective implements Objective {
    private final ClassificationObjective data;
    private final Mlp student;
    private final TeacherModel teacher;
    private final StageSpec spec;
    private final StageTarget target;
    private final Linear adapter;      // null: the student layer is compared directly (dP == dS)
    private final StageLoss lossKind;

    ProjectionObjective(ClassificationObjective data, Mlp student, TeacherModel teacher, StageSpec spec,
                        StageTarget target, Linear adapter, StageLoss lossKind) {
        this.data = data;
        this.student = student;
        this.teacher = teacher;
        this.spec = spec;
        this.target = target;
        this.adapter = adapter;
        this.lossKind = lossKind;
    }

    @Override
    public Tensor loss(Tape tape, long step) {
        data.sample(step);
        Tensor x = data.input();
        Tape t = teacher.open(tape);
        Tensor z = target.apply(t, teacher.hidden(t, x, spec.teacherLayer()));     // (B, dP)
        Tensor h = student.forwardTo(tape, x, spec.studentLayer());                 // (B, dS)
        Tensor a = adapter == null ? h : adapter.forward(tape, h);                  // (B, dP)
        return lossKind == StageLoss.COSINE ? Losses.cosine(tape, a, z) : Losses.mse(tape, a, z);
    }

    @Override
    public int batchSize() {
        return data.batchSize();
    }
}
