// One flat parameter buffer per model, gradients in the same layout, with named views in declaration order.
package curex.engine.nn;

import curex.engine.tensor.Shapes;
import curex.engine.tensor.Tensor;
import curex.kernels.Backend;
import curex.kernels.Buffer;
import curex.kernels.Span;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's parameters: one backend buffer of values and one of gradients, same layout, holding the named
 * tensors one after another in the order they were declared (so layers 1..j form a prefix). Names and shapes
 * follow PyTorch ({@code layers.0.weight} (out, in), {@code layers.0.bias} (out)). Optimizers and gradient
 * zeroing act on the whole buffer or on a {@link ParamRange} of it with one kernel call.
 */
public final class Parameters implements AutoCloseable {

    /** One named tensor: its shape and its element range in the flat buffer. */
    public record Entry(String name, int[] shape, long offset, long length) {
        public ParamRange range() {
            return new ParamRange(offset, offset + length);
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }
    }

    private final Backend backend;
    private final Buffer values;
    private final Buffer grads;
    private final LinkedHashMap<String, Entry> entries;
    private final Map<String, Tensor> views = new LinkedHashMap<>();

    private Parameters(Backend backend, LinkedHashMap<String, Entry> entries, long count) {
        this.backend = backend;
        this.entries = entries;
        this.values = backend.allocate(count);
        this.grads = backend.allocate(count);
        for (Entry e : entries.values())
            views.put(e.name, Tensor.parameter(values.span(e.offset, e.length), grads.span(e.offset, e.length),
                    e.shape));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Declares named tensors in layout order. */
    public static final class Builder {
        private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
        private long count;

        public Builder add(String name, int... shape) {
            if (entries.containsKey(name)) throw new IllegalArgumentException("parameter '" + name + "' declared twice");
            long n = Shapes.numel(shape);
            entries.put(name, new Entry(name, shape.clone(), count, n));
            count += n;
            return this;
        }

        /** Elements declared so far. */
        public long count() {
            return count;
        }

        public Parameters build(Backend backend) {
            return new Parameters(backend, new LinkedHashMap<>(entries), count);
        }
    }

    public Backend backend() {
        return backend;
    }

    /** Total number of parameters. */
    public long count() {
        return values.length();
    }

    /** The named tensor (a view of the flat buffer; its gradient is the same view of the gradient buffer). */
    public Tensor get(String name) {
        Tensor t = views.get(name);
        if (t == null) throw new IllegalArgumentException("no parameter '" + name + "'; have " + entries.keySet());
        return t;
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) throw new IllegalArgumentException("no parameter '" + name + "'; have " + entries.keySet());
        return e;
    }

    /** Entries in layout order. */
    public List<Entry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries.values()));
    }

    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** The whole buffer as a range. */
    public ParamRange all() {
        return new ParamRange(0, count());
    }

    /** Values of a range (the whole buffer: {@code values(all())}). */
    public Span values(ParamRange r) {
        check(r);
        return values.span(r.from(), r.length());
    }

    /** Gradients of a range, same layout as {@link #values}. */
    public Span grads(ParamRange r) {
        check(r);
        return grads.span(r.from(), r.length());
    }

    public Span values() {
        return values.all();
    }

    public Span grads() {
        return grads.all();
    }

    /** Zeroes every gradient (one kernel call); contributions then accumulate. */
    public void zeroGrad() {
        settleGrads();
        backend.fill(grads.all(), 0f);
    }

    /**
     * Starts a step's gradients without touching memory: every named gradient becomes stale, so the first
     * contribution of the step overwrites it (a weight gradient's product runs with beta = 0) and no fill pass
     * is needed. Call {@link #settleGrads()} after the backward pass, before reading gradients.
     */
    public void invalidateGrads() {
        for (Tensor t : views.values()) t.invalidateGrad();
    }

    /** Zero-fills the gradients that received no contribution since {@link #invalidateGrads()}. */
    public void settleGrads() {
        for (Tensor t : views.values()) t.settleGrad();
    }

    /**
     * Freezes every named tensor outside {@code ranges} for the steps to come (see {@link Tensor#freeze}), so that a
     * step training layer j only computes no gradient for layers 1..j-1; {@link #trainAll()} undoes it.
     */
    public void trainOnly(List<ParamRange> ranges) {
        for (Entry e : entries.values()) {
            boolean inside = false;
            for (ParamRange r : ranges) inside |= r.contains(e.range());
            views.get(e.name).freeze(!inside);
        }
    }

    /** Unfreezes every named tensor. */
    public void trainAll() {
        for (Tensor t : views.values()) t.freeze(false);
    }

    /** Zeroes the gradients of a range. */
    public void zeroGrad(ParamRange r) {
        settleGrads();
        backend.fill(grads(r), 0f);
    }

    /** A host copy of all values, in layout order. */
    public float[] valuesToHost() {
        float[] out = new float[Math.toIntExact(count())];
        backend.copyToHost(values.all(), out, 0);
        return out;
    }

    /** A host copy of all gradients, in layout order. */
    public float[] gradsToHost() {
        float[] out = new float[Math.toIntExact(count())];
        backend.copyToHost(grads.all(), out, 0);
        return out;
    }

    /** Overwrites all values from a host array in layout order. */
    public void loadValues(float[] data) {
        if (data.length != count())
            throw new IllegalArgumentException(data.length + " floats for " + count() + " parameters");
        backend.copyFromHost(data, 0, values.all());
    }

    /** A host copy of one named tensor. */
    public float[] toHost(String name) {
        return get(name).toHost();
    }

    /** Overwrites one named tensor from a host array. */
    public void load(String name, float[] data) {
        Entry e = entry(name);
        if (data.length != e.length)
            throw new IllegalArgumentException("parameter '" + name + "' " + Arrays.toString(e.shape) + " needs "
                    + e.length + " floats, got " + data.length);
        backend.copyFromHost(data, 0, values.span(e.offset, e.length));
    }

    private void check(ParamRange r) {
        if (r.to() > count())
            throw new IllegalArgumentException("range [" + r.from() + ", " + r.to() + ") beyond " + count()
                    + " parameters");
    }

    @Override
    public void close() {
        values.close();
        grads.close();
    }
}
