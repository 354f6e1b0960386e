// A method's curves over several seeds reduced to mean, min and max at each evaluation point.
package curex.engine.report;

import java.util.List;

/**
 * Accuracy mean and min-max band over seeds. Runs evaluate at the same steps, so curves are aligned by index and
 * cut to the shortest; the FLOPs axis is the mean over seeds at each point.
 */
public record SeedBand(String label, double[] steps, double[] flops, double[] mean, double[] min, double[] max) {

    public static SeedBand of(String label, List<Curve> curves) {
        if (curves.isEmpty()) throw new IllegalArgumentException(label + ": no curves to aggregate");
        int n = curves.stream().mapToInt(Curve::size).min().orElse(0);
        double[] steps = new double[n], flops = new double[n], mean = new double[n];
        double[] min = new double[n], max = new double[n];
        for (int i = 0; i < n; i++) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, sum = 0, fsum = 0;
            for (Curve c : curves) {
                double a = c.accuracy()[i];
                lo = Math.min(lo, a);
                hi = Math.max(hi, a);
                sum += a;
                fsum += c.flops()[i];
            }
            steps[i] = curves.getFirst().steps()[i];
            flops[i] = fsum / curves.size();
            mean[i] = sum / curves.size();
            min[i] = lo;
            max[i] = hi;
        }
        return new SeedBand(label, steps, flops, mean, min, max);
    }
}
