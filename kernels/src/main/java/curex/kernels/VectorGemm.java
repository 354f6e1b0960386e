// Single-precision matrix multiply on the Vector API, register- and cache-blocked, multi-threaded.
package curex.kernels;

import static curex.kernels.GemmMicroKernel.NR;
import static curex.kernels.GemmMicroKernel.PACKED_ROWS;
import static curex.kernels.GemmMicroKernel.ROWS;

/**
 * {@code C = alpha op(A) op(B) + beta C} over host arrays, row-major. Arguments are already validated by the
 * caller. The result does not depend on the pool's thread count.
 *
 * <p>Small products take {@link GemmSmall}. Otherwise op(B) is packed into NR-column panels and the
 * {@link GemmMicroKernel} runs over every (row panel, B panel) pair; a row panel is {@link GemmMicroKernel#ROWS}
 * rows of A read in place, or {@link GemmMicroKernel#PACKED_ROWS} rows when A is packed. With several threads the
 * work is cut into tasks: ranges of row panels sharing one packed op(B), or, when there are fewer row than column
 * panels, ranges of B panels that each task packs itself. When the B panels fit in L2, a stored (m, k) A is read in
 * place, row panel by row panel, each meeting every B panel while it is in L1; otherwise A is packed block by block
 * (a block stays in L2 while the B panels stream past it), or read in place when too few B panels would reuse a
 * packed copy. K is cut into chunks whose bounds depend on k only, and every C element is summed in k order inside a
 * chunk, so which thread computes which tile never changes a bit of the result.
 */
public final class VectorGemm {
    /** Products with fewer multiply-adds than this take the unpacked single-threaded path. */
    static final long SMALL = 1 << 16;
    /** Products with fewer multiply-adds than this stay on one thread. */
    static final long PARALLEL = 1 << 21;
    /** Largest k chunk: a packed B panel chunk is KC_MAX * NR floats. */
    static final int KC_MAX = 1024;
    /** Target floats of an A block (MC x kc), sized to stay in a 1 MiB per-core L2 cache with a B panel. */
    static final int A_BLOCK = 144 * 1024;
    /**
     * A stored (m, k) is packed when a task has at least this many B panels to reuse it and they do not fit in L2
     * ({@link #B_IN_L2}); else read in place.
     */
    static final int PACK_A_MIN_PANELS = 16;
    /** Floats of packed B panels (one k chunk) that fit in L2 beside the A panels streaming through L1. */
    static final int B_IN_L2 = 96 * 1024;
    /** Tasks per thread in a parallel product, so that a thread that falls behind is helped by the others. */
    static final int TASKS_PER_THREAD = 4;
    /** Rows a task should have at least (when there are enough), each row panel rereading all of op(B). */
    static final int TASK_ROWS = 64;
    /** Batched items up to this many multiply-adds run one per thread instead of each in parallel. */
    static final long BATCH_ITEM = 1 << 22;

    private final WorkerPool pool;
    private final GemmScratch.Pool scratch;

    public VectorGemm(WorkerPool pool) {
        this.pool = pool;
        this.scratch = new GemmScratch.Pool(pool.threads() + 2);
    }

    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        run(true, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, 0, null, null);
    }

    /** {@code C = op(A) op(B) + bias}, C (m, n) contiguous, bias (n) added to every row as the tiles are written. */
    public void gemmBias(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb, float[] bias, int biasOff, float[] c, int cOff) {
        run(true, transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0f, c, cOff, n, bias, biasOff, null, null);
    }

    /**
     * {@code C = beta C + A^T B} and {@code dBias = biasBeta dBias + sum_p A[p, :]}, A (k, m), B (k, n) and C (m, n)
     * contiguous: a linear layer's weight and bias gradients, A its output gradient. The column sums are taken as
     * the product packs A ({@link GemmRowSums}), with {@link VectorColumns#biasGrad}'s bits. When A is the wider
     * operand ({@link #transposes}), the product runs as {@code C^T = B^T A} into scratch, so that the big matrix is
     * packed as B, row after row, and its sums are taken there; the same bits either way.
     */
    public void gemmBiasGrad(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float beta, float[] c,
                             int cOff, float biasBeta, float[] dBias, int dBiasOff) {
        GemmScratch own = scratch.take();
        try {
            GemmRowSums sums = own.rowSums(a, aOff, m, k);
            if (transposes(m, n, k)) {
                float[] ct = own.c(m * n);                                    // (n, m): C^T
                if (beta != 0) VectorTranspose.block(c, cOff, n, m, n, ct, m);
                run(true, true, false, n, m, k, 1f, b, bOff, n, a, aOff, m, beta, ct, 0, m, null, 0, null, sums);
                VectorTranspose.block(ct, 0, m, n, m, c, cOff, n);
            } else {
                run(true, true, false, m, n, k, 1f, a, aOff, m, b, bOff, n, beta, c, cOff, n, null, 0, sums, null);
            }
            sums.finish(biasBeta, dBias, dBiasOff);
        } finally {
            scratch.give(own);
        }
    }

    /**
     * Whether {@link #gemmBiasGrad} runs transposed: A (k, m) wider than B (k, n), both widths whole tiles of the
     * transposes ({@link VectorTranspose}), and k long enough for the packing saved to outweigh the two transposes
     * of C. Packing the wide A^T column strip by column strip is what it saves: the parity teacher's (512, 128,
     * 2688) MLP weight gradient took 5.5-5.9 ms in the step that way, 4.8-5.1 transposed; a (512, 128, 128) one
     * was slower transposed (0.35 against 0.29 ms).
     */
    static boolean transposes(int m, int n, int k) {
        return m > n && m % 8 == 0 && n % 8 == 0 && k >= KC_MAX;
    }

    public void gemmBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, int strideA, float[] b, int bOff, int ldb, int strideB,
                            float beta, float[] c, int cOff, int ldc, int strideC, int batch) {
        if (batch > 1 && pool.threads() > 1 && (long) m * n * k <= BATCH_ITEM) {
            pool.parallelFor(batch, i -> run(false, transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda,
                    b, bOff + i * strideB, ldb, beta, c, cOff + i * strideC, ldc, null, 0, null, null));
            return;
        }
        for (int i = 0; i < batch; i++)
            run(true, transA, transB, m, n, k, alpha, a, aOff + i * strideA, lda, b, bOff + i * strideB, ldb,
                    beta, c, cOff + i * strideC, ldc, null, 0, null, null);
    }

    /**
     * The product; with a bias (bias != null: alpha 1, beta 0, ldc == n), that bias added to every row of C; with
     * sums (a stored (k, m) A), the rows of op(A) added to them: as A is packed, or in a pass of their own when the
     * product packs no A; with bSums (a stored (k, n) B), the rows of B added to them as B is packed.
     */
    private void run(boolean mayFork, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
                     int ldc, float[] bias, int biasOff, GemmRowSums sums, GemmRowSums bSums) {
        if (m == 0 || n == 0) {
            if (sums != null) sums.add(0, m, 0, k);
            if (bSums != null) bSums.add(0, n, 0, k);
            return;
        }
        long work = (long) m * n * k;
        if (k == 0 || alpha == 0 || work < SMALL) {   // no tiles to add the bias to: a pass after the product
            if (k == 0 || alpha == 0) GemmSmall.scale(m, n, beta, c, cOff, ldc);
            else {
                GemmScratch own = scratch.take();
                try {
                    GemmSmall.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                            own);
                } finally {
                    scratch.give(own);
                }
            }
            if (bias != null) VectorColumns.biasAdd(pool, c, cOff, m, n, bias, biasOff, c, cOff);
            if (sums != null) sums.add(0, m, 0, k);
            if (bSums != null) bSums.add(0, n, 0, k);
            return;
        }
        GemmScratch own = scratch.take();
        try {
            Blocked job = Blocked.of(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff,
                    ldc, bias, biasOff, sums, own.b(GemmPacking.bPackedLength(k, n)));
            int threads = mayFork && work >= PARALLEL ? pool.threads() : 1;
            if (threads == 1) {
                GemmPacking.packB(transB, b, bOff, ldb, k, n, job.bp, 0, job.nPanels, bSums);
                job.task(0, job.mPanels, 0, job.nPanels, own);
                return;
            }
            if (job.mPanels >= job.nPanels) { // rows split: op(B) packed once, shared
                int packTasks = Math.min(threads * TASKS_PER_THREAD, job.nPanels);
                pool.parallelFor(packTasks, t -> GemmPacking.packB(transB, b, bOff, ldb, k, n, job.bp,
                        split(job.nPanels, packTasks, t), split(job.nPanels, packTasks, t + 1), bSums));
                int rows = job.mPanels * job.mr();
                int tasks = Math.min(threads * TASKS_PER_THREAD, Math.max(threads, rows / TASK_ROWS));
                pool.parallelFor(tasks, t -> {
                    GemmScratch s = scratch.take();
                    try {
                        job.task(split(job.mPanels, tasks, t), split(job.mPanels, tasks, t + 1), 0, job.nPanels, s);
                    } finally {
                        scratch.give(s);
                    }
                });
            } else { // columns split: each task packs its own B panels (and all of A, which is the smaller)
                int tasks = Math.min(threads * TASKS_PER_THREAD, Math.max(1, job.nPanels / 2));
                pool.parallelFor(tasks, t -> {
                    GemmScratch s = scratch.take();
                    try {
                        int q0 = split(job.nPanels, tasks, t), q1 = split(job.nPanels, tasks, t + 1);
                        GemmPacking.packB(transB, b, bOff, ldb, k, n, job.bp, q0, q1, bSums);
                        job.task(0, job.mPanels, q0, q1, s);
                    } finally {
                        scratch.give(s);
                    }
                });
            }
        } finally {
            scratch.give(own);
        }
    }

    /** Start of part t of [0, total) cut into parts of near-equal size. */
    private static int split(int total, int parts, int t) {
        return (int) ((long) total * t / parts);
    }

    /** One blocked product: its operands, its packed op(B), whether it packs A, its row panels and its k chunks. */
    private record Blocked(boolean transA, boolean transB, int m, int n, int k, float alpha,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float beta, float[] c, int cOff, int ldc, float[] bias, int biasOff, GemmRowSums sums,
                           float[] bp, boolean packA, int mPanels, int nPanels, int kc, int blockPanels) {
        /**
         * A stored (k, m) is packed; a stored (m, k) A is read in place, unless enough B panels would reuse a packed
         * copy ({@link #PACK_A_MIN_PANELS}) and do not fit in L2 ({@link #B_IN_L2}). Row panels are
         * {@link GemmMicroKernel#PACKED_ROWS} rows when A is packed, {@link GemmMicroKernel#ROWS} when read in place.
         */
        static Blocked of(boolean transA, boolean transB, int m, int n, int k, float alpha,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float beta, float[] c, int cOff, int ldc, float[] bias, int biasOff, GemmRowSums sums,
                          float[] bp) {
            int nPanels = (n + NR - 1) / NR, kc = chunk(k);
            boolean packA = transA || (long) nPanels * kc * NR > B_IN_L2 && nPanels >= PACK_A_MIN_PANELS;
            int mr = rows(packA);
            return new Blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, bias,
                    biasOff, sums, bp, packA, (m + mr - 1) / mr, nPanels, kc, Math.max(1, A_BLOCK / (mr * kc)));
        }

        /** Rows of a row panel: PACKED_ROWS when A is packed, ROWS when it is read in place. */
        private static int rows(boolean packA) {
            return packA ? PACKED_ROWS : ROWS;
        }

        /** Rows of this product's row panels. */
        int mr() {
            return rows(packA);
        }

        /** k chunk length: k cut into near-equal chunks of at most KC_MAX (bounds depend on k only). */
        private static int chunk(int k) {
            int chunks = (k + KC_MAX - 1) / KC_MAX;
            return (k + chunks - 1) / chunks;
        }

        /**
         * C rows of row panels [r0, r1) times columns of B panels [q0, q1). When A is read in place and the B
         * panels fit in L2, tiles go row panel by row panel, so that each A panel is read from memory once and stays
         * in L1 while the B panels stream from L2 (a last panel of fewer rows is copied, row by row); otherwise
         * block by block, each block of A (packed, or read in place) meeting every B panel in turn. On the parity
         * step's (2688, 128) x (128, 512) products (the MLP's up projection and the down projection's input
         * gradient), reading A in place row panel by row panel, rather than packing 1152-row blocks that then
         * stream past each B panel, was about 20% faster on one thread in alternating in-process rounds on a busy
         * machine; the results are the same bits either way.
         */
        void task(int r0, int r1, int q0, int q1, GemmScratch s) {
            int mr = mr();
            float[] ap = s.a(packA ? blockPanels * mr * kc : mr * kc);
            boolean rowsOuter = !packA && (long) (q1 - q0) * kc * NR <= B_IN_L2;
            for (int rb = r0; rb < r1; rb += blockPanels) {
                int re = Math.min(r1, rb + blockPanels);
                boolean partialLast = !packA && re * mr > m;
                for (int p0 = 0; p0 < k; p0 += kc) {
                    int kcc = Math.min(kc, k - p0);
                    float betaChunk = p0 == 0 ? beta : 1f;
                    if (packA) GemmPacking.packA(transA, a, aOff, lda, m, rb * mr, (re - rb) * mr, p0, kcc, ap);
                    else if (partialLast) GemmPacking.packRows(a, aOff, lda, m, (re - 1) * mr, p0, kcc, ap);
                    // the column sums of a stored (k, m) A, once: by the task of the first B panel (every task when
                    // the rows are split; one when each task packs all of A for its own B panels)
                    if (sums != null && q0 == 0) sums.add(rb * mr, Math.min(re * mr, m) - rb * mr, p0, kcc);
                    if (rowsOuter) {
                        for (int r = rb; r < re; r++)
                            for (int q = q0; q < q1; q++) tile(r, rb, q, p0, kcc, betaChunk, ap, s);
                    } else {
                        for (int q = q0; q < q1; q++)
                            for (int r = rb; r < re; r++) tile(r, rb, q, p0, kcc, betaChunk, ap, s);
                    }
                }
            }
        }

        /** One tile of mr rows and NR (or fewer) columns: row panel r of block rb, B panel q, k steps [p0, p0+kcc). */
        private void tile(int r, int rb, int q, int p0, int kcc, float betaChunk, float[] ap, GemmScratch s) {
            int mr = mr();
            int j = q * NR, cols = Math.min(NR, n - j), w = GemmPacking.bPanelWidth(q, n);
            int bo = q * NR * k + p0 * w;
            int i = r * mr, rows = Math.min(mr, m - i), co = cOff + i * ldc + j;
            boolean toC = betaChunk == 0 && alpha == 1 && rows == mr && cols == NR;
            float[] d = toC ? c : s.tile;
            float[] init = GemmMicroKernel.ZEROS;   // the sums start at zero, or at the bias in the first k chunk
            int io = 0;
            if (bias != null && p0 == 0) {
                if (cols == NR) {
                    init = bias;
                    io = biasOff + j;
                } else {   // a last, narrower panel: its columns of the bias, zero-padded
                    init = s.bias;
                    System.arraycopy(bias, biasOff + j, init, 0, cols);
                    java.util.Arrays.fill(init, cols, NR, 0f);
                }
            }
            int dOff = toC ? co : 0, ldd = toC ? ldc : NR;
            if (packA) {
                int ao = (r - rb) * mr * kcc;
                if (PACKED_ROWS == 8) { // a constant: C2 keeps one of the two branches
                    if (w == NR) GemmMicroKernel.full(ap, ao, bp, bo, kcc, init, io, d, dOff, ldd);
                    else GemmMicroKernel.narrow(ap, ao, bp, bo, kcc, init, io, d, dOff, ldd);
                } else {
                    if (w == NR) GemmMicroKernel.full4(ap, ao, bp, bo, kcc, init, io, d, dOff, ldd);
                    else GemmMicroKernel.narrow4(ap, ao, bp, bo, kcc, init, io, d, dOff, ldd);
                }
            } else {
                boolean inPlace = rows == mr;   // else the last panel, copied row by row into ap
                float[] rowsOf = inPlace ? a : ap;
                int ao = inPlace ? aOff + i * lda + p0 : 0, ld = inPlace ? lda : kcc;
                if (ROWS == 8) {
                    if (w == NR) GemmMicroKernel.fullRows(rowsOf, ao, ld, bp, bo, kcc, init, io, d, dOff, ldd);
                    else GemmMicroKernel.narrowRows(rowsOf, ao, ld, bp, bo, kcc, init, io, d, dOff, ldd);
                } else {
                    if (w == NR) GemmMicroKernel.fullRows6(rowsOf, ao, ld, bp, bo, kcc, init, io, d, dOff, ldd);
                    else GemmMicroKernel.narrowRows6(rowsOf, ao, ld, bp, bo, kcc, init, io, d, dOff, ldd);
                }
            }
            if (!toC) GemmMicroKernel.update(s.tile, rows, cols, alpha, betaChunk, c, co, ldc);
        }
    }
}
