// One run's learning curve: held-out accuracy at each evaluation, against steps and FLOPs.
package curex.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluation points of one run, in step order. {@code flops} is the total compute spent up to that step
 * (student forward+backward plus teacher forward).
 */
public record Curve(long[] steps, double[] flops, double[] accuracy) {

    public Curve {
        if (steps.length != flops.length || steps.length != accuracy.length)
            throw new IllegalArgumentException("curve arrays differ in length");
    }

    public int size() {
        return steps.length;
    }

    /**
     * Reads the evaluation records (lines with an {@code accuracy} field) of a metrics JSON-lines file. FLOPs
     * are {@code train_flops + teacher_flops}.
     */
    public static Curve read(Path metrics) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<double[]> rows = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(metrics)) {
            lineNo++;
            if (line.isBlank()) continue;
            JsonNode r;
            try {
                r = json.readTree(line);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new IOException(metrics + ": line " + lineNo + " is not JSON: " + e.getOriginalMessage());
            }
            if (!r.has("accuracy") || !r.has("step")) continue;
            double flops = r.path("train_flops").asDouble() + r.path("teacher_flops").asDouble();
            rows.add(new double[] {r.get("step").asDouble(), flops, r.get("accuracy").asDouble()});
        }
        long[] s = new long[rows.size()];
        double[] f = new double[rows.size()];
        double[] a = new double[rows.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = (long) rows.get(i)[0];
            f[i] = rows.get(i)[1];
            a[i] = rows.get(i)[2];
        }
        return new Curve(s, f, a);
    }
}
