// Knowledge distillation on the teacher's outputs, optionally with hard teacher labels and ground-truth mixing.
package curex.engine.distill;

import curex.engine.autograd.Ops;
import curex.engine.autograd.Tape;
import curex.engine.loss.Losses;
import curex.engine.model.Model;
import curex.engine.tensor.Tensor;
import curex.engine.train.Objective;
import curex.engine.train.TaskObjective;

/**
 * Step s: batch s of the shared data, the teacher's logits on it (the teacher of step s: fixed, or a progressive
 * checkpoint), and {@code loss = (1 - alpha) KD + alpha CE(labels)} where KD is {@code T^2 KL(softmax(t/T) ||
 * softmax(s/T))}, or with hard labels the cross-entropy against the teacher's argmax; for masked LM, over the
 * positions that carry a label only. With alpha = 1 the teacher is not run.
 */
final class KdObjective implements Objective {
    private final TaskObjective data;
    private final Model student;
    private final TeacherSource teachers;
    private final float temperature;
    private final boolean hardLabels;
    private final float alpha;
    private final TeacherOutputs shared;

    /**
     * {@code shared}: the final teacher's targets other runs recorded on the same batches, or null (a progressive
     * checkpoint's are never shared: no other run reads it on the same step).
     */
    KdObjective(TaskObjective data, Model student, TeacherSource teachers, DistillSettings s, TeacherOutputs shared) {
        this.data = data;
        this.student = student;
        this.teachers = teachers;
        this.temperature = (float) s.temperature();
        this.hardLabels = s.hardLabels();
        this.alpha = (float) s.alpha();
        this.shared = shared;
    }

    @Override
    public Tensor loss(Tape tape, long step) {
        data.sample(step);
        Tensor x = data.input();
        int ignore = data.task().ignoreIndex();
        if (alpha == 1f) return Losses.crossEntropy(tape, data.readoutLogits(tape), data.readoutLabels(), ignore);
        TeacherModel teacher = teachers.at(step);
        Tape t = teacher.open(tape);
        Tensor readout = data.labelledRows();                 // masked LM: (n) the labelled positions
        Tensor target = shared == null || !teachers.isFinal(step) ? targets(t, teacher, x, readout)
                : shared.targets(t, teacher, step, x, readout, () -> targets(t, teacher, x, readout));
        Tensor studentOut = student.forward(tape, x, readout);   // (rows, classes) or (n, vocab)
        Tensor kd;
        if (hardLabels) {
            Tensor labels = t.outputInts(target.rows());      // (n) teacher argmax
            t.backend().argmaxRows(target.span(), target.rows(), target.cols(), labels.span());
            kd = Losses.crossEntropy(tape, studentOut, labels, Losses.NO_IGNORE);
        } else {
            kd = Losses.klDiv(tape, studentOut, target, temperature);
        }
        if (alpha == 0f) return kd;
        Tensor ce = Losses.crossEntropy(tape, studentOut, data.readoutLabels(), ignore);
        return Ops.add(tape, Ops.scale(tape, kd, 1f - alpha), Ops.scale(tape, ce, alpha));
    }

    /** The teacher's logits (rows, classes), or at the readout rows only (n, classes): KD reads nothing else. */
    private static Tensor targets(Tape t, TeacherModel teacher, Tensor x, Tensor readout) {
        return teacher.logits(t, x, readout);
    }

    @Override
    public int batchSize() {
        return data.batchSize();
    }
}
