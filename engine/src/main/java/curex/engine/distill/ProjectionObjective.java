// A projection stage's loss: the adapted student hidden layer j against the standardized projection of teacher layer t(j).
package curex.engine.distill;

import curex.engine.autograd.RowOps;
import curex.engine.autograd.Tape;
import curex.engine.loss.Losses;
import curex.engine.model.Model;
import curex.engine.nn.Linear;
import curex.engine.tensor.Tensor;
import curex.engine.train.Objective;
import curex.engine.train.TaskObjective;

/**
 * Step s: batch s of the shared data; the teacher runs layers 1..t(j) only and its layer is mapped to z (rows, dP) by
 * the stage's {@link StageTarget}; the student runs layers 1..j with gradient, then the adapter A (if any); the loss
 * is {@code mean_rows |A hS - z|^2 / dP} (mse: the mean over all elements) or {@code mean_rows (1 - cos)}, the rows
 * being every position that is not padding.
 */
final class ProjectionObjective implements Objective {
    private final TaskObjective data;
    private final Model student;
    private final TeacherModel teacher;
    private final StagePlan.Spec spec;
    private final StageTarget target;
    private final Linear adapter;      // null: the student layer is compared directly (dP == dS)
    private final DistillSettings.StageLoss lossKind;

    ProjectionObjective(TaskObjective data, Model student, TeacherModel teacher, StagePlan.Spec spec,
                        StageTarget target, Linear adapter, DistillSettings.StageLoss lossKind) {
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
        Tensor z = target.apply(t, teacher.hidden(t, x, spec.teacherLayer()));     // (rows, dP)
        Tensor h = student.hidden(tape, x, spec.studentLayer());                    // (rows, dS)
        Tensor real = data.realRows();                                              // padded tasks: (n) real tokens
        if (real != null) {
            z = RowOps.gatherRows(t, z, real);                                      // (n, dP)
            h = RowOps.gatherRows(tape, h, real);                                   // (n, dS)
        }
        Tensor a = adapter == null ? h : adapter.forward(tape, h);                  // (rows, dP)
        return lossKind == DistillSettings.StageLoss.COSINE ? Losses.cosine(tape, a, z) : Losses.mse(tape, a, z);
    }

    @Override
    public int batchSize() {
        return data.batchSize();
    }
}
