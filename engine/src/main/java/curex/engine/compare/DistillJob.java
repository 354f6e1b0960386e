// One distillation run written to a run folder: config.json, metrics.jsonl, summary.json and model.safetensors.
package curex.engine.compare;

import curex.engine.data.SparseParity;
import curex.engine.distill.DistillRecorder;
import curex.engine.distill.DistillResult;
import curex.engine.distill.DistillRun;
import curex.engine.distill.DistillSettings;
import curex.engine.distill.StudentTraining;
import curex.engine.io.Json;
import curex.engine.io.RunLayout;
import curex.engine.metrics.MetricsLog;
import curex.engine.metrics.Progress;
import curex.kernels.Backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Shared by `curex distill` and comparisons. {@code settings} is written to config.json and recorded under
 * {@value FinishedRun#SETTINGS} in summary.json (followed by every field of the {@link DistillResult}); the
 * student is saved with the task's metadata and the method, so `curex eval` can read it. Outputs of an earlier
 * run in the folder are removed first; summary.json is written last. {@code progress} (may be null) shows the steps,
 * and with {@code stageMessages} a line at the end of each stage.
 */
public final class DistillJob {
    private DistillJob() {
    }

    public static DistillResult run(Backend backend, SparseParity task, StudentTraining training,
                                    DistillSettings distill, Path teacherDir, RunLayout out,
                                    Map<String, Object> settings, Progress progress, boolean stageMessages)
            throws IOException {
        Files.deleteIfExists(out.summary());
        Files.deleteIfExists(out.model());
        Files.createDirectories(out.dir());
        Json.writeAtomic(out.config(), settings);
        Map<String, String> meta = TaskMetadata.parity(task.n(), task.k(), training.seed(),
                Map.of("method", distill.method().id()));
        long every = training.evalEvery() > 0 ? training.evalEvery() : training.steps();
        long logEvery = Math.max(1, Math.min(100, every / 10));
        try (MetricsLog metrics = MetricsLog.open(out.metrics(), false)) {
            DistillRecorder recorder = new DistillRecorder(metrics, stageMessages ? progress : null, out, logEvery,
                    Map.of(FinishedRun.SETTINGS, settings), meta);
            DistillRun run = new DistillRun(backend, task, training, distill).listener(recorder);
            if (!stageMessages && progress != null) run.listener(new ProgressFeed(progress));
            if (teacherDir != null) run.teacher(teacherDir);
            return run.run();
        }
    }
}
