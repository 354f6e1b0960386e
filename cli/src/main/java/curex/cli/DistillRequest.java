// Everything `curex distill` was asked to do, validated; written to <out>/config.json and recorded in summary.json.
package curex.cli;

import curex.engine.distill.DistillSettings;
import curex.engine.distill.StudentTraining;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code teacher} is null for {@code ce} without a teacher. */
record DistillRequest(int n, int k, StudentTraining training, DistillSettings distill, Path teacher, Path out,
                      Backends.Kind backend, int threads) {

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("name", "parity");
        task.put("n", n);
        task.put("k", k);
        m.put("task", task);
        m.put("student", training.toMap());
        m.put("distill", distill.toMap());
        m.put("teacher", teacher == null ? null : teacher.toString());
        m.put("out", out.toString());
        m.put("backend", backend.name());
        m.put("threads", threads);
        return m;
    }
}
