// Vectorised losses: cross-entropy with ignore-index, mean squared error and the temperature KL, with backwards.
package curex.kernels;

import static curex.kernels.VectorMath.F;
import static curex.kernels.VectorMath.W;
import static curex.kernels.VectorMath.exp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Row losses compute one value per row in parallel row groups and add them in row order in double, and mse
 * adds fixed-size partial sums in order, so a loss never depends on the thread count. Class indices are
 * checked on the calling thread before any work starts.
 */
final class VectorLosses {
    private VectorLosses() {
    }

    /** Checked class index per row, -1 where the target equals ignoreIndex. */
    static int[] targets(String op, int[] t, int to, int rows, int cols, int ignoreIndex) {
        int[] idx = new int[rows];
        for (int r = 0; r < rows; r++) {
            int v = t[to + r];
            idx[r] = v == ignoreIndex ? -1 : Check.index(op, "target", v, cols);
        }
        return idx;
    }

    private static int counted(int[] targets) {
        int n = 0;
        for (int t : targets) if (t >= 0) n++;
        return n;
    }

    /** Mean over counted rows of {@code logsumexp(row) - row[target]}; 0 when no row counts. */
    static float crossEntropy(WorkerPool pool, float[] x, int xo, int rows, int cols, int[] targets) {
        double[] rowLoss = Scratch.zeroDoubles(rows);
        Chunks.rows(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                if (targets[r] < 0) continue;
                int o = xo + r * cols;
                float max = VectorMath.max(x, o, cols);
                rowLoss[r] = max + Math.log(expSum(x, o, cols, 1f, max)) - x[o + targets[r]];
            }
        });
        int counted = counted(targets);
        return counted == 0 ? 0f : (float) (sumInOrder(rowLoss, rows) / counted);
    }

    /**
     * {@code dX[r] += dLoss * (softmax(x[r]) - onehot(target[r])) / counted} for counted rows; when
     * {@code overwrite}, {@code dX[r] = ...} and ignored rows become 0. Each row's exponentials are computed
     * once ({@link #expInto}: into the output row when overwriting, else into a scratch row).
     */
    static void crossEntropyBackward(WorkerPool pool, float[] x, int xo, int rows, int cols, int[] targets,
                                     float dLoss, float[] d, int dd, boolean overwrite) {
        int counted = counted(targets);
        if (counted == 0 && !overwrite) return;
        double g = counted == 0 ? 0 : dLoss / (double) counted;
        Chunks.rows(pool, rows, cols, (p, r0, r1) -> {
            float[] scratch = overwrite ? null : new float[cols];
            for (int r = r0; r < r1; r++) {
                int t = targets[r], o = xo + r * cols, dr = dd + r * cols;
                if (t < 0) {
                    if (overwrite) java.util.Arrays.fill(d, dr, dr + cols, 0f);
                    continue;
                }
                float max = VectorMath.max(x, o, cols);
                float old = overwrite ? 0f : d[dr + t];
                float sum = expInto(x, o, cols, max, overwrite ? d : scratch, overwrite ? dr : 0);
                if (overwrite) probabilitiesSet(sum, (float) g, d, dr, cols);
                else probabilitiesAdd(scratch, sum, (float) g, d, dr, cols);
                double pt = Math.exp((double) x[o + t] - max) / sum;
                d[dr + t] = (float) (old + g * (pt - 1));
            }
        });
    }

    /**
     * {@code e[c] = exp(x[c] - max)} over one row, max the row's maximum; returns their sum, added as
     * {@link #expSum} adds them. The masked last vector and the sum are methods of their own, taking arrays: with
     * them beside the unmasked loop, C2 stopped inlining at its node-count cutoff and boxed vectors on every row
     * (1.2 MB of garbage per parity step, in some runs).
     */
    static float expInto(float[] x, int o, int cols, float max, float[] e, int eo) {
        int c = 0;
        for (; c <= cols - W; c += W)   // whole vectors without masks (a softmax row padded to them, say); <= 0
            VectorMath.expUpTo88(FloatVector.fromArray(F, x, o + c).sub(max)).intoArray(e, eo + c);
        if (c < cols) expLast(x, o + c, cols - c, max, e, eo + c);
        return rowSum(e, eo, cols);
    }

    /** {@link #expInto}'s last, partial vector: {@code e[c] = exp(x[c] - max)} for c < n (n < W). */
    private static void expLast(float[] x, int o, int n, float max, float[] e, int eo) {
        VectorMask<Float> m = F.indexInRange(0, n);
        VectorMath.expUpTo88(FloatVector.fromArray(F, x, o, m).sub(max)).intoArray(e, eo, m);
    }

    /**
     * Sum of a row, vector by vector (a last partial one masked), then across the lanes in {@link VectorMath#sumLanes}'s
     * order, its steps written out: C2 inlines this method into {@link #expInto} and then stopped at its node-count
     * cutoff before sumLanes.
     */
    private static float rowSum(float[] e, int eo, int cols) {
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        for (; c <= cols - W; c += W) acc = acc.add(FloatVector.fromArray(F, e, eo + c));
        if (c < cols) {
            VectorMask<Float> m = F.indexInRange(c, cols);
            acc = acc.add(FloatVector.fromArray(F, e, eo + c, m), m);
        }
        if (W > 8) acc = acc.add(acc.rearrange(VectorMath.ROTATE_8));
        if (W > 4) acc = acc.add(acc.rearrange(VectorMath.ROTATE_4));
        if (W > 2) acc = acc.add(acc.rearrange(VectorMath.ROTATE_2));
        if (W > 1) acc = acc.add(acc.rearrange(VectorMath.ROTATE_1));
        return acc.lane(0);
    }

    /** {@code d[c] = g * e[c] / sum} over one row whose exponentials e are already in d. */
    private static void probabilitiesSet(float sum, float g, float[] d, int dr, int cols) {
        FloatVector gv = FloatVector.broadcast(F, g);
        for (int c = 0; c < cols; c += W) {
            VectorMask<Float> m = F.indexInRange(c, cols);
            FloatVector.fromArray(F, d, dr + c, m).div(sum).mul(gv).intoArray(d, dr + c, m);
        }
    }

    /** {@code d[c] += g * e[c] / sum} over one row, the exponentials e in a scratch row. */
    private static void probabilitiesAdd(float[] e, float sum, float g, float[] d, int dr, int cols) {
        FloatVector gv = FloatVector.broadcast(F, g);
        for (int c = 0; c < cols; c += W) {
            VectorMask<Float> m = F.indexInRange(c, cols);
            FloatVector prob = FloatVector.fromArray(F, e, c, m).div(sum);
            prob.fma(gv, FloatVector.fromArray(F, d, dr + c, m)).intoArray(d, dr + c, m);
        }
    }

    /** Mean of {@code (a - b)^2}; 0 for empty arrays. */
    static float mse(WorkerPool pool, float[] a, int ao, float[] b, int bo, int n) {
        if (n == 0) return 0f;
        double[] partial = new double[Chunks.count(n, Chunks.REDUCE)];
        Chunks.run(pool, n, Chunks.REDUCE, n >= Chunks.PARALLEL_CHEAP, (p, from, to) -> {
            FloatVector acc = FloatVector.zero(F), acc2 = acc;
            int i = from;
            for (; i <= to - 2 * W; i += 2 * W) {
                FloatVector d0 = FloatVector.fromArray(F, a, ao + i).sub(FloatVector.fromArray(F, b, bo + i));
                FloatVector d1 = FloatVector.fromArray(F, a, ao + i + W).sub(FloatVector.fromArray(F, b, bo + i + W));
                acc = d0.fma(d0, acc);
                acc2 = d1.fma(d1, acc2);
            }
            double s = VectorMath.sumLanes(acc.add(acc2));
            for (; i < to; i++) {
                double d = (double) a[ao + i] - b[bo + i];
                s += d * d;
            }
            partial[p] = s;
        });
        return (float) (sumInOrder(partial, partial.length) / n);
    }

    /**
     * {@code dA += g (a - b); dB -= g (a - b)} with {@code g = 2 dLoss / n}; dA or dB may be null. When
     * {@code overwrite}: {@code dA = g (a - b); dB = -g (a - b)}.
     */
    static void mseBackward(WorkerPool pool, float[] a, int ao, float[] b, int bo, float dLoss,
                            float[] da, int dao, float[] db, int dbo, int n, boolean overwrite) {
        float g = (float) (2.0 * dLoss / n);
        if (overwrite) {
            mseGradient(pool, a, ao, b, bo, g, da, dao, db, dbo, n);
            return;
        }
        Chunks.elements(pool, n, false, (p, from, to) -> {
            FloatVector plus = FloatVector.broadcast(F, g), minus = FloatVector.broadcast(F, -g);
            int i = from;
            for (; i <= to - W; i += W) {
                FloatVector diff = FloatVector.fromArray(F, a, ao + i).sub(FloatVector.fromArray(F, b, bo + i));
                if (da != null) diff.fma(plus, FloatVector.fromArray(F, da, dao + i)).intoArray(da, dao + i);
                if (db != null) diff.fma(minus, FloatVector.fromArray(F, db, dbo + i)).intoArray(db, dbo + i);
            }
            for (; i < to; i++) {
                float diff = a[ao + i] - b[bo + i];
                if (da != null) da[dao + i] = Math.fma(diff, g, da[dao + i]);
                if (db != null) db[dbo + i] = Math.fma(diff, -g, db[dbo + i]);
            }
        });
    }

    /** {@code dA = g (a - b); dB = -g (a - b)}, either may be null. */
    private static void mseGradient(WorkerPool pool, float[] a, int ao, float[] b, int bo, float g,
                                    float[] da, int dao, float[] db, int dbo, int n) {
        Chunks.elements(pool, n, false, (p, from, to) -> {
            int i = from;
            for (; i <= to - W; i += W) {
                FloatVector diff = FloatVector.fromArray(F, a, ao + i).sub(FloatVector.fromArray(F, b, bo + i));
                if (da != null) diff.mul(g).intoArray(da, dao + i);
                if (db != null) diff.mul(-g).intoArray(db, dbo + i);
            }
            for (; i < to; i++) {
                float diff = a[ao + i] - b[bo + i];
                if (da != null) da[dao + i] = diff * g;
                if (db != null) db[dbo + i] = diff * -g;
            }
        });
    }

    /** {@code T^2 mean_r sum_c pT (log pT - log pS)}, p = softmax(logits / T); 0 for 0 rows. */
    static float klDiv(WorkerPool pool, float[] s, int so, float[] t, int to, int rows, int cols, float temperature) {
        if (rows == 0) return 0f;
        float inv = 1f / temperature;
        double[] rowKl = Scratch.zeroDoubles(rows);
        Chunks.rows(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                if (cols == 0) continue;
                int sr = so + r * cols, tr = to + r * cols;
                float maxS = VectorMath.max(s, sr, cols) * inv, maxT = VectorMath.max(t, tr, cols) * inv;
                double lseS = maxS + Math.log(expSum(s, sr, cols, inv, maxS));
                double lseT = maxT + Math.log(expSum(t, tr, cols, inv, maxT));
                float lseTf = (float) lseT, shift = (float) (lseT - lseS);
                FloatVector acc = FloatVector.zero(F);
                for (int c = 0; c < cols; c += W) {
                    VectorMask<Float> m = F.indexInRange(c, cols);
                    FloatVector tv = FloatVector.fromArray(F, t, tr + c, m);
                    FloatVector pT = exp(tv.mul(inv).sub(lseTf));
                    // log pT - log pS = (t - s) / T - (lseT - lseS); 0 log 0 counts as 0
                    FloatVector gap = tv.sub(FloatVector.fromArray(F, s, sr + c, m)).mul(inv).sub(shift);
                    acc = acc.add(pT.mul(gap), m.and(pT.compare(VectorOperators.NE, 0f)));
                }
                rowKl[r] = VectorMath.sumLanes(acc);
            }
        });
        return (float) ((double) temperature * temperature * sumInOrder(rowKl, rows) / rows);
    }

    /** {@code dS += dLoss * T * (softmax(s / T) - softmax(t / T)) / rows}, or {@code dS = ...} when overwriting. */
    static void klDivBackward(WorkerPool pool, float[] s, int so, float[] t, int to, int rows, int cols,
                              float temperature, float dLoss, float[] d, int dd, boolean overwrite) {
        if (rows == 0) return;
        float inv = 1f / temperature;
        float g = (float) (dLoss * (double) temperature / rows);
        Chunks.rows(pool, rows, cols, (p, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int sr = so + r * cols, tr = to + r * cols, dr = dd + r * cols;
                float maxS = VectorMath.max(s, sr, cols) * inv, maxT = VectorMath.max(t, tr, cols) * inv;
                float sumS = expSum(s, sr, cols, inv, maxS), sumT = expSum(t, tr, cols, inv, maxT);
                if (overwrite) klRowSet(s, sr, t, tr, inv, maxS, maxT, sumS, sumT, g, d, dr, cols);
                else klRowAdd(s, sr, t, tr, inv, maxS, maxT, sumS, sumT, g, d, dr, cols);
            }
        });
    }

    /** {@code d[c] = g (pS[c] - pT[c])} over one row (each helper keeps its two exps at one call site each). */
    private static void klRowSet(float[] s, int sr, float[] t, int tr, float inv, float maxS, float maxT,
                                 float sumS, float sumT, float g, float[] d, int dr, int cols) {
        for (int c = 0; c < cols; c += W) {
            VectorMask<Float> m = F.indexInRange(c, cols);
            FloatVector pS = exp(FloatVector.fromArray(F, s, sr + c, m).mul(inv).sub(maxS)).div(sumS);
            FloatVector pT = exp(FloatVector.fromArray(F, t, tr + c, m).mul(inv).sub(maxT)).div(sumT);
            pS.sub(pT).mul(g).intoArray(d, dr + c, m);
        }
    }

    /** {@code d[c] += g (pS[c] - pT[c])} over one row. */
    private static void klRowAdd(float[] s, int sr, float[] t, int tr, float inv, float maxS, float maxT,
                                 float sumS, float sumT, float g, float[] d, int dr, int cols) {
        FloatVector gv = FloatVector.broadcast(F, g);
        for (int c = 0; c < cols; c += W) {
            VectorMask<Float> m = F.indexInRange(c, cols);
            FloatVector pS = exp(FloatVector.fromArray(F, s, sr + c, m).mul(inv).sub(maxS)).div(sumS);
            FloatVector pT = exp(FloatVector.fromArray(F, t, tr + c, m).mul(inv).sub(maxT)).div(sumT);
            pS.sub(pT).fma(gv, FloatVector.fromArray(F, d, dr + c, m)).intoArray(d, dr + c, m);
        }
    }

    /** {@code sum_c exp(x[c] * scale - max)} over one row. */
    static float expSum(float[] x, int o, int cols, float scale, float max) {
        FloatVector acc = FloatVector.zero(F);
        for (int c = 0; c < cols; c += W) {
            VectorMask<Float> m = F.indexInRange(c, cols);
            acc = acc.add(exp(FloatVector.fromArray(F, x, o + c, m).mul(scale).sub(max)), m);
        }
        return VectorMath.sumLanes(acc);
    }

    static double sumInOrder(double[] values, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += values[i];
        return s;
    }
}
