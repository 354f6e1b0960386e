// A shaped, strided view of backend memory with an optional gradient in the same layout.
package curex.engine.tensor;

import curex.kernels.Backend;
import curex.kernels.DType;
import curex.kernels.Span;

import java.util.Arrays;

/**
 * An n-dimensional view (shape, strides, offset) of a backend {@link Span} of floats, or of ints (token ids, labels;
 * never with a gradient). Views (reshape, slice along dim 0, select, permute, transpose of the last two dims) share memory and
 * gradient with their base; {@link curex.engine.autograd.Ops#contiguous} copies a view into row-major order. Kernels need contiguous spans:
 * {@link #span()} and {@link #grad()} give them and refuse non-contiguous views; {@link #extent()} gives the span a
 * strided view (e.g. a transposed matrix) covers, for products that take a leading dimension.
 *
 * <p>Gradients live in a span of the same layout as the data. A leaf (a parameter, an input) accumulates into its
 * gradient, allocated on demand. An activation made by a {@link curex.engine.autograd.Tape} starts each step with
 * a stale gradient: ops call {@link #accumulateGrad()} (zero-fills on the first contribution) or
 * {@link #overwriteGradBeta()} (lets the first contribution overwrite, saving the fill).
 */
public final class Tensor implements AutoCloseable {
    private final Storage storage;
    private final long offset;
    private final int[] shape;
    private final long[] strides;
    private final boolean requiresGrad;

    private Tensor(Storage storage, long offset, int[] shape, long[] strides, boolean requiresGrad) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.requiresGrad = requiresGrad;
    }

    // ---------------------------------------------------------------- factories

    /** A new zero-filled tensor in its own buffer, without gradient; {@link #close()} frees it. */
    public static Tensor zeros(Backend backend, int... shape) {
        long n = Shapes.numel(shape);
        return new Tensor(new Storage(backend.allocate(n).all(), null, Storage.GradState.LEAF, true), 0,
                shape.clone(), Shapes.contiguousStrides(shape), false);
    }

    /** A new tensor holding a copy of {@code data}, without gradient; {@link #close()} frees it. */
    public static Tensor fromHost(Backend backend, float[] data, int... shape) {
        Tensor t = zeros(backend, shape);
        t.copyFromHost(data);
        return t;
    }

    /** A new zero-filled tensor of ints (ids, labels) in its own buffer; {@link #close()} frees it. */
    public static Tensor ints(Backend backend, int... shape) {
        long n = Shapes.numel(shape);
        return new Tensor(new Storage(backend.allocateInts(n).all(), null, Storage.GradState.LEAF, true), 0,
                shape.clone(), Shapes.contiguousStrides(shape), false);
    }

    /** A new tensor of ints holding a copy of {@code data}; {@link #close()} frees it. */
    public static Tensor fromHost(Backend backend, int[] data, int... shape) {
        Tensor t = ints(backend, shape);
        t.copyFromHost(data);
        return t;
    }

    /** A new leaf holding a copy of {@code data} whose gradient (zero-filled) is allocated on first use. */
    public static Tensor leaf(Backend backend, float[] data, int... shape) {
        long n = Shapes.numel(shape);
        Tensor t = new Tensor(new Storage(backend.allocate(n).all(), null, Storage.GradState.LEAF, true), 0,
                shape.clone(), Shapes.contiguousStrides(shape), true);
        t.copyFromHost(data);
        return t;
    }

    /** A view over existing memory, without gradient; not owned. */
    public static Tensor wrap(Span data, int... shape) {
        Shapes.checkLength(data, shape);
        return new Tensor(new Storage(data, null, Storage.GradState.LEAF, false), 0, shape.clone(),
                Shapes.contiguousStrides(shape), false);
    }

    /** A leaf over existing memory whose gradient accumulates into {@code grad} (a parameter's views). */
    public static Tensor parameter(Span data, Span grad, int... shape) {
        Shapes.checkLength(data, shape);
        return new Tensor(new Storage(data, grad, Storage.GradState.LEAF, false), 0, shape.clone(),
                Shapes.contiguousStrides(shape), true);
    }

    /**
     * An activation over memory owned by a tape's arena that requires grad, its gradient span taken from
     * {@code source} at the first contribution (see {@link GradientSource}); it starts stale.
     */
    public static Tensor activation(Span data, GradientSource source, int... shape) {
        Shapes.checkLength(data, shape);
        return new Tensor(new Storage(data, source), 0, shape.clone(), Shapes.contiguousStrides(shape), true);
    }

    // ---------------------------------------------------------------- shape

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The strides in elements (a copy). */
    public long[] strides() {
        return strides.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}; negative counts from the end. */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    /** Stride of dimension {@code i} in elements; negative counts from the end. */
    public long stride(int i) {
        return strides[i < 0 ? strides.length + i : i];
    }

    public long numel() {
        return Shapes.numel(shape);
    }

    /** Rows when the tensor is read as a (rows, lastDim) matrix. */
    public int rows() {
        return shape.length == 0 ? 1 : Math.toIntExact(numel() / Math.max(1, shape[shape.length - 1]));
    }

    /** The last dimension (1 for a scalar). */
    public int cols() {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    public boolean isContiguous() {
        return Arrays.equals(strides, Shapes.contiguousStrides(shape)) || numel() <= 1;
    }

    /** Whether ops compute this tensor's gradient: false for a parameter frozen by {@link #freeze}. */
    public boolean requiresGrad() {
        return requiresGrad && !storage.frozen;
    }

    /**
     * Freezes (or unfreezes) a parameter for the steps to come: a frozen tensor requires no gradient, so no op computes
     * one for it, nor for anything that depends only on it (the backward below a frozen layer is skipped).
     */
    public void freeze(boolean frozen) {
        storage.frozen = frozen;
    }

    public Backend backend() {
        return storage.backend();
    }

    /** F32, or I32 for ids and labels. */
    public DType dtype() {
        return storage.data.dtype();
    }

    // ---------------------------------------------------------------- memory

    /** The contiguous span of this tensor's elements. */
    public Span span() {
        requireContiguous("span");
        return storage.data.slice(offset, numel());
    }

    /** The span from this view's first to its last element, for strided views read with a leading dimension. */
    public Span extent() {
        return storage.data.slice(offset, Shapes.extent(shape, strides));
    }

    /** The contiguous gradient span (allocated zero-filled on first use for a leaf), as it is. */
    public Span grad() {
        requireGrad();
        requireContiguous("grad");
        return storage.grad().slice(offset, numel());
    }

    /** The gradient counterpart of {@link #extent()}. */
    public Span gradExtent() {
        requireGrad();
        return storage.grad().slice(offset, Shapes.extent(shape, strides));
    }

    /**
     * The gradient span, ready for a kernel to accumulate ({@code +=}) into: a stale activation gradient is
     * zero-filled first (its whole storage, so that views stay consistent).
     */
    public Span accumulateGrad() {
        requireGrad();
        storage.makeLive();
        return grad();
    }

    /**
     * The beta a product should use to write this tensor's gradient: 0 (overwrite) when this is the first
     * contribution of the pass and this view covers its whole storage, else 1 (accumulate, after zero-filling a
     * stale gradient). The caller must then write every element of {@link #grad()} / {@link #gradExtent()}.
     */
    public float overwriteGradBeta() {
        requireGrad();
        if (storage.state == Storage.GradState.STALE && coversStorage()) {
            storage.state = Storage.GradState.LIVE;
            return 0f;
        }
        storage.makeLive();
        return 1f;
    }

    /**
     * Declares the gradient's contents obsolete without clearing them (a cheap "zero grad"): the next
     * contribution overwrites it, or zero-fills it first. Call {@link #settleGrad()} before reading it.
     */
    public void invalidateGrad() {
        requireGrad();
        storage.grad();
        storage.state = Storage.GradState.STALE;
    }

    /** Makes an invalidated gradient that received no contribution read as zeros (no-op otherwise). */
    public void settleGrad() {
        requireGrad();
        storage.makeLive();
    }

    /**
     * Gives this activation's gradient back to the source it came from, once the backward of the op that made it
     * has read it: later reads of the gradient (through any view) fail. A no-op for a gradient from no source, or
     * for a view that does not cover its storage.
     */
    public void releaseGrad() {
        if (coversStorage()) storage.releaseGrad();
    }

    /** Whether the gradient holds a value: a leaf's always, an activation's once something contributed to it. */
    public boolean gradReceived() {
        return requiresGrad() && storage.state != Storage.GradState.STALE;
    }

    private boolean coversStorage() {
        return offset == 0 && numel() == storage.data.length() && isDenseLayout();
    }

    private boolean isDenseLayout() {   // contiguous or a transposed view that still covers every element once
        return Shapes.extent(shape, strides) == numel();
    }

    /** A copy of the elements in row-major order of this view's shape. */
    public float[] toHost() {
        return gather(extent());
    }

    /** A copy of the gradient in row-major order of this view's shape. */
    public float[] gradToHost() {
        requireGrad();
        return gather(gradExtent());
    }

    /** A copy of the elements of an int tensor in row-major order (contiguous tensors only). */
    public int[] intsToHost() {
        requireContiguous("intsToHost");
        int[] out = new int[Math.toIntExact(numel())];
        backend().copyToHost(span(), out, 0);
        return out;
    }

    /** The single element of a one-element tensor (a loss). */
    public float item() {
        if (numel() != 1) throw new IllegalStateException("item() of a tensor of shape " + Arrays.toString(shape));
        float[] out = new float[1];
        backend().copyToHost(storage.data.slice(offset, 1), out, 0);
        return out[0];
    }

    /** Overwrites this contiguous int tensor with {@code data} (exactly numel ints). */
    public void copyFromHost(int[] data) {
        if (data.length != numel())
            throw new IllegalArgumentException("copyFromHost: " + data.length + " ints for a tensor of shape "
                    + Arrays.toString(shape));
        backend().copyFromHost(data, 0, span());
    }

    /** Overwrites this contiguous tensor with {@code data} (exactly numel floats). */
    public void copyFromHost(float[] data) {
        if (data.length != numel())
            throw new IllegalArgumentException("copyFromHost: " + data.length + " floats for a tensor of shape "
                    + Arrays.toString(shape));
        backend().copyFromHost(data, 0, span());
    }

    private float[] gather(Span ext) {
        float[] raw = new float[ext.intLength()];
        backend().copyToHost(ext, raw, 0);
        if (isContiguous()) return raw.length == numel() ? raw : Arrays.copyOf(raw, (int) numel());
        float[] out = new float[Math.toIntExact(numel())];
        int[] idx = new int[shape.length];
        for (int i = 0; i < out.length; i++) {
            long pos = 0;
            for (int d = 0; d < shape.length; d++) pos += idx[d] * strides[d];
            out[i] = raw[(int) pos];
            for (int d = shape.length - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
        }
        return out;
    }

    // ---------------------------------------------------------------- views

    /** The same contiguous elements under another shape; one dimension may be -1 (inferred). */
    public Tensor reshape(int... newShape) {
        requireContiguous("reshape");
        int[] s = Shapes.infer(newShape, numel());
        return new Tensor(storage, offset, s, Shapes.contiguousStrides(s), requiresGrad);
    }

    /** Rows {@code [from, to)} along dimension 0. */
    public Tensor slice0(int from, int to) {
        if (shape.length == 0 || from < 0 || to < from || to > shape[0])
            throw new IllegalArgumentException("slice0(" + from + ", " + to + ") of shape " + Arrays.toString(shape));
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(storage, offset + from * strides[0], s, strides.clone(), requiresGrad);
    }

    /** The view at {@code index} of dimension {@code dim}, which it drops: (B, T, C).select(1, T - 1) is (B, C). */
    public Tensor select(int dim, int index) {
        if (dim < 0 || dim >= shape.length || index < 0 || index >= shape[dim])
            throw new IllegalArgumentException("select(" + dim + ", " + index + ") of shape " + Arrays.toString(shape));
        int[] s = new int[shape.length - 1];
        long[] st = new long[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i == dim) continue;
            s[j] = shape[i];
            st[j++] = strides[i];
        }
        return new Tensor(storage, offset + index * strides[dim], s, st, requiresGrad);
    }

    /**
     * The view whose dimension i is this tensor's dimension {@code dims[i]} (no copy): {@code permute(0, 2, 1, 3)}
     * turns (B, T, H, d) into (B, H, T, d).
     */
    public Tensor permute(int... dims) {
        if (dims.length != shape.length)
            throw new IllegalArgumentException("permute" + Arrays.toString(dims) + " of shape " + Arrays.toString(shape)
                    + ": give one source dimension per dimension");
        boolean[] seen = new boolean[dims.length];
        int[] s = new int[dims.length];
        long[] st = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = dims[i];
            if (d < 0 || d >= dims.length || seen[d])
                throw new IllegalArgumentException("permute" + Arrays.toString(dims) + " of shape "
                        + Arrays.toString(shape) + " is not a permutation of 0.." + (dims.length - 1));
            seen[d] = true;
            s[i] = shape[d];
            st[i] = strides[d];
        }
        return new Tensor(storage, offset, s, st, requiresGrad);
    }

    /** The view with the last two dimensions swapped (no copy). */
    public Tensor transposeLast2() {
        if (shape.length < 2) throw new IllegalArgumentException("transposeLast2 of shape " + Arrays.toString(shape));
        int[] s = shape.clone();
        long[] st = strides.clone();
        int a = s.length - 2, b = s.length - 1;
        int ts = s[a]; s[a] = s[b]; s[b] = ts;
        long tt = st[a]; st[a] = st[b]; st[b] = tt;
        return new Tensor(storage, offset, s, st, requiresGrad);
    }

    /** The same memory without gradient tracking. */
    public Tensor detach() {
        return new Tensor(new Storage(storage.data, null, Storage.GradState.LEAF, false), offset, shape.clone(),
                strides.clone(), false);
    }

    /** Frees the memory if this tensor was made by {@link #zeros}, {@link #fromHost} or {@link #leaf}. */
    @Override
    public void close() {
        storage.close();
    }

    private void requireContiguous(String what) {
        if (!isContiguous())
            throw new IllegalStateException(what + " of a non-contiguous view: shape " + Arrays.toString(shape)
                    + ", strides " + Arrays.toString(strides));
    }

    private void requireGrad() {
        if (!requiresGrad) throw new IllegalStateException("tensor of shape " + Arrays.toString(shape)
                + " does not require grad");
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + (requiresGrad ? " (grad)" : "");
    }
}
