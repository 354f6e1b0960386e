// curex's VectorGemm against OpenBLAS's sgemm in one process, in alternating windows, on a training step's products.
package curex.bench;

import curex.kernels.VectorGemm;
import curex.kernels.WorkerPool;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bench/run --main curex.bench.GemmVsOpenBlas [--lib PATH] [--threads N] [--rounds R] [--window-ms W]
 * [--shapes MxNxK:TT,...]} times each product with both libraries in turns of W ms (R rounds, after two
 * unmeasured ones), both on the same inputs in the same process, so that a machine whose speed changes from
 * second to second slows both alike. It prints per product the median GFLOP/s of each side and the median,
 * over the rounds, of OpenBLAS's time over curex's (above 1: curex is faster). The default products are those
 * of one parity-teacher step (B 128, T 21, d 128, MLP 512: 2688 rows), with how many times a step runs each.
 * OpenBLAS is found at --lib or in Debian's usual places; run with {@code OPENBLAS_CORETYPE} and
 * {@code OPENBLAS_L2_SIZE} unset so that it picks its best kernel for the machine (the header names it).
 */
public final class GemmVsOpenBlas {
    private static final List<String> LIBRARIES = List.of(
            "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "/usr/lib/aarch64-linux-gnu/openblas-openmp/libopenblas.so.0",
            "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0");
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    /** One product: C (m, n) = op(A) op(B), run {@code calls} times per step. */
    private record Product(String name, boolean ta, boolean tb, int m, int n, int k, int calls) {
        static Product parse(String spec) {
            String[] p = spec.split(":");
            String[] d = p[0].split("x");
            if (d.length != 3 || p.length > 2 || p.length == 2 && !p[1].matches("[NT]{2}")
                    || !p[0].matches("[0-9]+x[0-9]+x[0-9]+"))
                throw new IllegalArgumentException("bad product '" + spec + "' (MxNxK or MxNxK:NT, NN, TN, TT)");
            String t = p.length == 2 ? p[1] : "NN";
            return new Product(spec, t.charAt(0) == 'T', t.charAt(1) == 'T', Integer.parseInt(d[0]),
                    Integer.parseInt(d[1]), Integer.parseInt(d[2]), 1);
        }

        double flops() {
            return 2.0 * m * n * k;
        }
    }

    private static final List<Product> PARITY_STEP = List.of(
            new Product("forward, q k v o     2688x128x128:NT", false, true, 2688, 128, 128, 6),
            new Product("forward, MLP up      2688x512x128:NT", false, true, 2688, 512, 128, 1),
            new Product("forward, MLP down    2688x128x512:NT", false, true, 2688, 128, 512, 1),
            new Product("dW, q k v o           128x128x2688:TN", true, false, 128, 128, 2688, 6),
            new Product("dW, MLP up            512x128x2688:TN", true, false, 512, 128, 2688, 1),
            new Product("dW, MLP down          128x512x2688:TN", true, false, 128, 512, 2688, 1),
            new Product("dX, q k v o          2688x128x128:NN", false, false, 2688, 128, 128, 6),
            new Product("dX, MLP up           2688x128x512:NN", false, false, 2688, 128, 512, 1),
            new Product("dX, MLP down         2688x512x128:NN", false, false, 2688, 512, 128, 1));

    private GemmVsOpenBlas() {
    }

    public static void main(String[] args) throws Throwable {
        String lib = null;
        int threads = 1, rounds = 15, windowMs = 50;
        List<Product> products = PARITY_STEP;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) usage(args[i] + " needs a value");
            try {
                switch (args[i]) {
                    case "--lib" -> lib = value;
                    case "--threads" -> threads = Integer.parseInt(value);
                    case "--rounds" -> rounds = Integer.parseInt(value);
                    case "--window-ms" -> windowMs = Integer.parseInt(value);
                    case "--shapes" -> products = Arrays.stream(value.split(",")).map(Product::parse).toList();
                    default -> usage("unknown option " + args[i]);
                }
            } catch (IllegalArgumentException e) {   // a number that is not one, or a bad product
                usage(args[i] + ": " + e.getMessage());
            }
            i++;
        }
        if (threads < 1 || rounds < 1 || windowMs < 1) usage("--threads, --rounds and --window-ms must be positive");
        if (lib == null) lib = LIBRARIES.stream().filter(p -> Files.exists(Path.of(p))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OpenBLAS found in " + LIBRARIES + "; pass --lib"));
        run(lib, threads, rounds, windowMs, products);
    }

    private static void usage(String problem) {
        System.err.println("GemmVsOpenBlas: " + problem + "\nusage: GemmVsOpenBlas [--lib PATH] [--threads N] "
                + "[--rounds R] [--window-ms W] [--shapes MxNxK:TT,...]");
        System.exit(2);
    }

    private static void run(String libPath, int threads, int rounds, int windowMs, List<Product> products)
            throws Throwable {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(libPath), Arena.global());
        ValueLayout I = ValueLayout.JAVA_INT, F = ValueLayout.JAVA_FLOAT, P = ValueLayout.ADDRESS;
        MethodHandle sgemm = linker.downcallHandle(lib.find("cblas_sgemm").orElseThrow(),
                FunctionDescriptor.ofVoid(I, I, I, I, I, I, F, P, I, P, I, F, P, I));
        MethodHandle setThreads = linker.downcallHandle(lib.find("openblas_set_num_threads").orElseThrow(),
                FunctionDescriptor.ofVoid(I));
        MethodHandle coreName = linker.downcallHandle(lib.find("openblas_get_corename").orElseThrow(),
                FunctionDescriptor.of(P));
        setThreads.invokeExact(threads);
        String core = ((MemorySegment) coreName.invokeExact()).reinterpret(64).getString(0);
        String coreType = System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(unset)");
        System.out.printf(Locale.ROOT, "# OpenBLAS %s (core %s); OPENBLAS_CORETYPE=%s; %d thread(s); %d rounds of "
                + "%d ms windows%n", libPath, core, coreType, threads, rounds, windowMs);

        long most = products.stream().mapToLong(p -> Math.max((long) p.m * p.k, Math.max((long) p.k * p.n,
                (long) p.m * p.n))).max().orElse(1);
        float[] a = random(most, 1), b = random(most, 2), c = new float[(int) most];
        Arena arena = Arena.ofConfined();
        MemorySegment na = arena.allocate(4 * most, 64), nb = arena.allocate(4 * most, 64),
                nc = arena.allocate(4 * most, 64);
        MemorySegment.copy(a, 0, na, ValueLayout.JAVA_FLOAT, 0, a.length);
        MemorySegment.copy(b, 0, nb, ValueLayout.JAVA_FLOAT, 0, b.length);

        try (WorkerPool pool = new WorkerPool(threads)) {
            VectorGemm gemm = new VectorGemm(pool);
            double[][][] ms = new double[2][products.size()][rounds];
            for (int round = -2; round < rounds; round++)
                for (int i = 0; i < products.size(); i++)
                    for (int side = 0; side < 2; side++) {
                        Product p = products.get(i);
                        int lda = p.ta ? p.m : p.k, ldb = p.tb ? p.k : p.n;
                        long start = System.nanoTime(), calls = 0;
                        do {
                            if (side == 0)
                                gemm.gemm(p.ta, p.tb, p.m, p.n, p.k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, p.n);
                            else sgemm.invokeExact(ROW_MAJOR, p.ta ? TRANS : NO_TRANS, p.tb ? TRANS : NO_TRANS,
                                    p.m, p.n, p.k, 1f, na, lda, nb, ldb, 0f, nc, p.n);
                            calls++;
                        } while (System.nanoTime() - start < windowMs * 1_000_000L);
                        if (round >= 0) ms[side][i][round] = (System.nanoTime() - start) / 1e6 / calls;
                    }
            report(products, ms, rounds);
        } finally {
            arena.close();
        }
    }

    private static void report(List<Product> products, double[][][] ms, int rounds) {
        System.out.println("| product | per step | curex GFLOP/s | OpenBLAS GFLOP/s | OpenBLAS time / curex time |");
        System.out.println("|---|---:|---:|---:|---:|");
        double curexStep = 0, blasStep = 0;
        for (int i = 0; i < products.size(); i++) {
            Product p = products.get(i);
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) ratio[r] = ms[1][i][r] / ms[0][i][r];
            double curex = median(ms[0][i]), blas = median(ms[1][i]);
            curexStep += p.calls * curex;
            blasStep += p.calls * blas;
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.2f [%.2f..%.2f] |%n", p.name, p.calls,
                    p.flops() / curex / 1e6, p.flops() / blas / 1e6, median(ratio), quantile(ratio, 0.25),
                    quantile(ratio, 0.75));
        }
        System.out.printf(Locale.ROOT, "products of one step (medians x calls): curex %.1f ms, OpenBLAS %.1f ms%n",
                curexStep, blasStep);
    }

    private static float[] random(long n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[(int) n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble(-1, 1);
        return x;
    }

    private static double median(double[] x) {
        return quantile(x, 0.5);
    }

    /** The q-quantile of x, nearest rank. */
    private static double quantile(double[] x, double q) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    }
}
