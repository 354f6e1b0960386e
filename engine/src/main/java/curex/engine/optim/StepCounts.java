// Per-tensor update counts of an optimizer and the grouping of a range into runs of equal count.
package curex.engine.optim;

import curex.engine.nn.ParamRange;
import curex.engine.nn.Parameters;

import java.util.List;

/**
 * PyTorch keeps a step count per parameter tensor; so do we, so that a tensor first trained in a later stage
 * starts its bias correction at 1. A range is processed as maximal runs of adjacent tensors with equal counts:
 * in a steady state that is one run, i.e. one kernel call.
 */
final class StepCounts {
    private final List<Parameters.Entry> entries;
    private final long[] counts;

    StepCounts(Parameters params) {
        this.entries = params.entries();
        this.counts = new long[entries.size()];
    }

    /** Receives one run [from, to) of elements whose tensors have all been updated {@code done} times before. */
    interface Run {
        void apply(ParamRange run, long done);
    }

    /** Splits {@code r} (aligned to whole tensors) into runs of equal count, applies each, then counts the update. */
    void forEachRun(ParamRange r, Run body) {
        int first = -1, last = -1;
        for (int i = 0; i < entries.size(); i++) {
            Parameters.Entry e = entries.get(i);
            if (e.offset() == r.from() && first < 0 && (e.length() > 0 || r.length() == 0)) first = i;
            if (e.offset() + e.length() == r.to() && first >= 0) last = i;
        }
        if (r.length() == 0) return;
        if (first < 0 || last < first)
            throw new IllegalArgumentException("range [" + r.from() + ", " + r.to()
                    + ") does not start and end at parameter tensor boundaries");
        int start = first;
        for (int i = first + 1; i <= last + 1; i++) {
            if (i == last + 1 || counts[i] != counts[start]) {
                long from = entries.get(start).offset();
                Parameters.Entry end = entries.get(i - 1);
                body.apply(new ParamRange(from, end.offset() + end.length()), counts[start]);
                start = i;
            }
        }
        for (int i = first; i <= last; i++) counts[i]++;
    }

    long[] export() {
        return counts.clone();
    }

    void restore(long[] steps) {
        if (steps.length != counts.length)
            throw new IllegalArgumentException("optimizer state has step counts for " + steps.length
                    + " tensors, model has " + counts.length);
        System.arraycopy(steps, 0, counts, 0, counts.length);
    }

    void reset() {
        java.util.Arrays.fill(counts, 0);
    }
}
