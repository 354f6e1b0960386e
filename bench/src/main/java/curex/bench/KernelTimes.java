// A Backend wrapper that times every kernel call, per kernel and shape, for profiling a training step.
package curex.bench;

import curex.kernels.Backend;
import curex.kernels.CpuBackend;
import curex.kernels.Span;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link #wrap} returns a {@link Backend} that forwards every call to the wrapped one and, while {@link #recording},
 * adds its wall time to a total per key: the method's name, with the transposes and (m x n x k) of a product, the
 * (rows x cols) of a row op, or the length of its first span. A host backend's call returns when its work is done; a
 * GPU backend's would need a synchronize to be timed. One thread calls the backend at a time, as a training step
 * does.
 */
final class KernelTimes {
    private final Map<String, long[]> totals = new HashMap<>();   // key -> {nanoseconds, calls}
    boolean recording;

    /**
     * A backend that times its calls into this. It is a {@link CpuBackend} when {@code inner} is one, so that the
     * engine takes the same paths as on {@code inner} (the shared (token, position) pairs run on CPU backends only).
     */
    Backend wrap(Backend inner) {
        Class<?> kind = inner instanceof CpuBackend ? CpuBackend.class : Backend.class;
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {kind},
                (proxy, method, args) -> recording ? timed(inner, method, args) : call(inner, method, args));
    }

    private Object timed(Backend inner, Method method, Object[] args) throws Throwable {
        long start = System.nanoTime();
        try {
            return call(inner, method, args);
        } finally {
            long[] t = totals.computeIfAbsent(key(method, args), k -> new long[2]);
            t[0] += System.nanoTime() - start;
            t[1]++;
        }
    }

    private static Object call(Backend inner, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(inner, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String key(Method method, Object[] args) {
        String name = method.getName();
        if (name.equals("gemmBiasGrad"))   // (m, n, k, ...): A^T B
            return String.format(Locale.ROOT, "%s TN %dx%dx%d", name, args[0], args[1], args[2]);
        if (name.startsWith("gemm"))   // (transA, transB, m, n, k, ...)
            return String.format(Locale.ROOT, "%s %s%s %dx%dx%d", name, (boolean) args[0] ? "T" : "N",
                    (boolean) args[1] ? "T" : "N", args[2], args[3], args[4]);
        if (name.startsWith("layerNorm") || name.startsWith("bias"))   // (span, rows, cols, ...)
            return name + " " + args[1] + "x" + args[2];
        if (args != null && args.length > 0 && args[0] instanceof Span s) return name + " n=" + s.length();
        return name;
    }

    /** The totals over {@code steps} steps, largest first, as lines "ms-per-step calls-per-step key". */
    List<String> report(int steps) {
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(totals.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, long[]> e : rows)
            lines.add(String.format(Locale.ROOT, "%9.3f ms %5d  %s", e.getValue()[0] / 1e6 / steps,
                    e.getValue()[1] / steps, e.getKey()));
        return lines;
    }

    /** Milliseconds per step in all recorded calls. */
    double totalMillis(int steps) {
        return totals.values().stream().mapToLong(t -> t[0]).sum() / 1e6 / steps;
    }
}
