// The kernel-timing wrapper forwards every call, counts only while recording, and keeps the wrapped backend's kind.
package curex.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import curex.kernels.Backend;
import curex.kernels.CpuBackend;
import curex.kernels.ReferenceBackend;
import curex.kernels.Span;
import curex.kernels.VectorBackend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelTimesTest {
    @Test
    void aCpuBackendStaysACpuBackendSoThatTheStepTakesItsOwnPaths() {
        KernelTimes times = new KernelTimes();
        Backend wrapped = times.wrap(new VectorBackend(2));
        CpuBackend cpu = assertInstanceOf(CpuBackend.class, wrapped);
        assertEquals(2, cpu.threads());
    }

    @Test
    void anotherBackendIsNotMadeACpuBackend() {
        Backend reference = new ReferenceBackend();
        Backend plain = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(reference, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        assertFalse(new KernelTimes().wrap(plain) instanceof CpuBackend);
    }

    @Test
    void productsAreForwardedAndCountedOnlyWhileRecording() {
        KernelTimes times = new KernelTimes();
        Backend b = times.wrap(new ReferenceBackend());
        Span a = span(b, 1, 2, 3, 4, 5, 6), x = span(b, 1, 0, 0, 1, 1, 1), c = b.allocate(4).all();
        b.gemm(false, false, 2, 2, 3, 1f, a, 3, x, 2, 0f, c, 2);   // not recording: forwarded, not counted
        times.recording = true;
        for (int i = 0; i < 2; i++) b.gemm(false, false, 2, 2, 3, 1f, a, 3, x, 2, 0f, c, 2);
        float[] out = new float[4];
        b.copyToHost(c, out, 0);
        assertArrayEquals(new float[] {4, 5, 10, 11}, out);   // (2, 3) (3, 2): rows (1 2 3) and (4 5 6)
        List<String> report = times.report(1);
        assertTrue(report.stream().anyMatch(l -> l.matches(" *[0-9.]+ ms +2  gemm NN 2x2x3")), report::toString);
        assertTrue(report.stream().anyMatch(l -> l.endsWith("  copyToHost n=4")), report::toString);
        assertEquals(2, report.size(), report::toString);
    }

    private static Span span(Backend b, float... values) {
        Span s = b.allocate(values.length).all();
        b.copyFromHost(values, 0, s);
        return s;
    }
}
