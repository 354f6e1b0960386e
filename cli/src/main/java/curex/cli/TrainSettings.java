// Everything `curex train` was asked to do, validated; written to <out>/config.json.
package curex.cli;

import curex.engine.distill.StudentTraining;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The validated settings of one training run. {@code evalEvery} and {@code checkpointEvery} of 0 mean "only at
 * the end"; {@code clip} of 0 means no clipping; {@code resumeFrom} is null for a fresh run.
 */
public record TrainSettings(Choices.Task task, int n, int k, int[] hidden, Choices.Activation activation,
                            int batch, long steps, double lr, Choices.Optimizer optimizer, double momentum,
                            double weightDecay, Choices.Schedule schedule, long warmup, double clip, long seed,
                            int threads, long evalEvery, long checkpointEvery, int evalSize, Path out,
                            Path resumeFrom, Backends.Kind backend) {

    /** Layer widths from input to output: [n, hidden..., 2]. */
    public int[] widths() {
        int[] w = new int[hidden.length + 2];
        w[0] = n;
        System.arraycopy(hidden, 0, w, 1, hidden.length);
        w[w.length - 1] = 2;
        return w;
    }

    /** The settings as written to config.json (snake_case keys, plain values). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", task.name());
        m.put("n", n);
        m.put("k", k);
        m.put("hidden", Arrays.stream(hidden).boxed().toList());
        m.put("widths", Arrays.stream(widths()).boxed().toList());
        m.put("activation", activation.name());
        m.put("batch", batch);
        m.put("steps", steps);
        m.put("lr", lr);
        m.put("optimizer", optimizer.name());
        m.put("momentum", momentum);
        m.put("weight_decay", weightDecay);
        m.put("schedule", schedule.name());
        m.put("warmup", warmup);
        m.put("clip", clip);
        m.put("seed", seed);
        m.put("threads", threads);
        m.put("eval_every", evalEvery);
        m.put("checkpoint_every", checkpointEvery);
        m.put("eval_size", evalSize);
        m.put("out", out.toString());
        m.put("resume_from", resumeFrom == null ? null : resumeFrom.toString());
        m.put("backend", backend.name());
        return m;
    }

    /** The optimizer and schedule settings in the engine's form, so `train` builds them as distillation does. */
    StudentTraining optimization() {
        return StudentTraining.builder().steps(steps).optimizer(StudentTraining.OptimizerKind.parse(optimizer.name()))
                .lr(lr).momentum(momentum).weightDecay(weightDecay)
                .schedule(StudentTraining.ScheduleKind.parse(schedule.name())).warmup(warmup).clip(clip).build();
    }
}
