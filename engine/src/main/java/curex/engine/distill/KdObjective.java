// Knowledge distillation on the teacher's outputs, optionally with hard teacher labels and ground-truth mixing.
package curex.engine.distill;

import curex.engine.autograd.Ops;
import curex.engine.autograd.Tape;
import curex.engine.loss.Losses;
import curex.engine.nn.Mlp;
import curex.engine.tensor.Tensor;
import curex.engine.train.ClassificationObjective;
import curex.engine.train.Objective;

/**
 * Step s: batch s of the shared data, the teacher's logits on it (the teacher of step s: fixed, or a progressive
 * checkpoint), and {@code loss = (1 - alpha) KD + alpha CE(labels)} where KD is {@code T^2 KL(softmax(t/T) ||
 * softmax(s/T))}, or with hard labels the cross-entropy against the teacher's argmax. With alpha = 1 the teacher
 * is not run.
 */
final class KdObjective implements Objective {
    private final ClassificationObjective data;
    private final Mlp student;
    private final TeacherSource teachers;
    private final float temperature;
    private final boolean hardLabels;
    private final float alpha;

    KdObjective(ClassificationObjective data, Mlp student, TeacherSource teachers, DistillSettings s) {
        this.data = data;
        this.student = student;
        this.teachers = teachers;
        this.temperature = (float) s.temperature();
        this.hardLabels = s.hardLabels();
        this.alpha = (float) s.alpha();
    }

    @Override
    public Tensor loss(Tape tape, long step) {
        data.sample(step);
        Tensor x = data.input();
        if (alpha == 1f) return Losses.crossEntropy(tape, student.forward(tape, x), data.labels(), Losses.NO_IGNORE);
        TeacherModel teacher = teachers.at(step);
        Tape t = teacher.open(tape);
        Tensor target = teacher.logits(t, x);                 // (B, classes)
        Tensor logits = student.forward(tape, x);             // (B, classes)
        Tensor kd;
        if (hardLabels) {
            Tensor labels = t.output(false, target.rows());   // (B) teacher argmax
            t.backend().argmaxRows(target.span(), target.rows(), target.cols(), labels.span());
            kd = Losses.crossEntropy(tape, logits, labels, Losses.NO_IGNORE);
        } else {
            kd = Losses.klDiv(tape, logits, target, temperature);
        }
        if (alpha == 0f) return kd;
        Tensor ce = Losses.crossEntropy(tape, logits, data.labels(), Losses.NO_IGNORE);
        return Ops.add(tape, Ops.scale(tape, kd, 1f - alpha), Ops.scale(tape, ce, alpha));
    }

    @Override
    public int batchSize() {
        return data.batchSize();
    }
}
