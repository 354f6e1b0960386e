// Register-blocked GEMM micro-kernels: a tile of C kept in vector registers over panels of A and B.
package curex.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of {@link VectorGemm}. A packed B panel holds {@code NR} (or {@code L} for a narrow tail) columns
 * of op(B), one row per k step. The A rows of a tile come either from a packed panel, one k step after another
 * ({@link #full}, {@link #narrow}, {@link #full4}, {@link #narrow4}), or from rows along k, {@code lda} apart: rows
 * of A read in place, or a last panel of fewer rows packed row by row ({@link #fullRows}, {@link #narrowRows},
 * {@link #fullRows6}, {@link #narrowRows6}). Each kernel sums {@code kc} products per element in increasing k order,
 * one fused multiply-add per product, and writes the sums to {@code d} (C itself, or a tile for
 * {@link #update}). The accumulators start at {@code init[io ..]}: {@link #ZEROS}, or a linear layer's bias in the
 * first k chunk ({@link VectorGemm#gemmBias}). The tile shape therefore never changes a bit of the result.
 *
 * <p>Shapes: 8 x 2 vectors for both kinds where C2 has 32 vector registers (AVX-512, AArch64); where it has 16 (x86
 * below AVX-512: AVX2, SSE), 4 x 2 from a packed panel and 6 x 2 from rows. {@link #PACKED_ROWS} and
 * {@link #ROWS} are static finals chosen once, so C2 folds every test of them and keeps one set of kernels.
 *
 * <p>AVX-512, 8 x 2: 16 accumulators, 2 B vectors and a broadcast use 19 of the 32 registers. In cache, on JDK 25
 * and a 512-bit Zen core, 6x2, 8x2, 12x2, 14x2, 4x3, 6x3 and 7x3 vectors all ran within 5% of each other
 * (~190-200 GFLOP/s); 8x3 and 6x4 spilled (~147). Eight rows also make a packed A step one 256-bit copy.
 *
 * <p>AVX2: with its x86 default, register-pressure scheduling (-XX:+OptoRegScheduling), C2 issues the broadcasts
 * of a k step ahead of their FMAs when the A values come from one packed stream (ap[aOff + r]), so an R x C tile
 * holds R*C accumulators, C B vectors and R broadcasts at once: 8x2, 6x2, 5x2, 4x3 and 3x4 then spill
 * accumulators (a spilled accumulator is a load-FMA-store chain through the stack, ~12 cycles per k step, that
 * bounds the whole kernel) and only 4x2, 3x3, 2x4 and 2x5 fit. In cache (kc 128 and 1024), JDK 25 on a 2-core Zen
 * 3 EPYC (AVX2, 8 lanes, 2.45 GHz base, ~78 GFLOP/s peak at base clock; other jobs shared the machine), GFLOP/s:
 * 8x2 40-53, 6x2 37-39, 4x3 36-41, 5x2 31-33, 3x4 37-41; 4x2 76-91, 3x3 56-85, 2x4 51-84, 2x5 57-84. Read from six
 * rows (ap[a_r + p]), the 6 x 2 tile does not spill: 12 accumulators, 2 B vectors and a broadcast. Its twelve
 * independent FMA chains, against 4x2's eight, leave slack over the four-cycle FMA latency times the two FMA
 * pipes, which tells on a core whose pipes are shared with other work. On the products of the parity teacher's
 * step that read A in place (one thread, in-process turns against the 4 x 2 rows kernel), 6 x 2 was 4-14% faster;
 * from a packed panel, 4 x 2 remains the faster (packing six rows of A row by row for 6 x 2 made the weight
 * gradients 10-15% slower). With -XX:-OptoRegScheduling it is the other way round: the packed 6 x 2 stream does
 * not spill and the rows kernel does. A 256-bit species on an AVX-512 machine (-XX:MaxVectorSize=32) also takes
 * the AVX2 shapes (not measured there).
 *
 * <p>Keep each kernel one method without helpers that take vectors: past C2's inlining node budget a helper is
 * left a call and its vectors are boxed (a 10x slowdown seen with an alpha/beta epilogue inlined).
 */
final class GemmMicroKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    static final int L = S.length();
    /** Whether C2 has only 16 vector registers here: x86 below AVX-512 (AVX2, SSE). */
    static final boolean SIXTEEN_REGISTERS = L < 16 && isX86(System.getProperty("os.arch", ""));
    /** Rows of a tile over a packed A panel: 8 with 32 vector registers, 4 with 16 (see the class comment). */
    static final int PACKED_ROWS = SIXTEEN_REGISTERS ? 4 : 8;
    /** Rows of a tile over rows of A, {@code lda} apart: 8 with 32 vector registers, 6 with 16. */
    static final int ROWS = SIXTEEN_REGISTERS ? 6 : 8;
    /** The most rows a tile has. */
    static final int MAX_ROWS = Math.max(PACKED_ROWS, ROWS);
    /** Columns of a tile (two vectors of B). */
    static final int NR = 2 * L;
    /** A tile row's starting sums when there is nothing to start from (read only). */
    static final float[] ZEROS = new float[NR];

    private GemmMicroKernel() {
    }

    static boolean isX86(String arch) {
        return arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86") || arch.matches("i[3-6]86");
    }

    /** The 8 x NR tile: d[dOff + r * ldd + j] = sum_p ap[aOff + p * 8 + r] * bp[bOff + p * NR + j]. */
    static void full(float[] ap, int aOff, float[] bp, int bOff, int kc,
                     float[] init, int io, float[] d, int dOff, int ldd) {
        FloatVector z0 = FloatVector.fromArray(S, init, io), z1 = FloatVector.fromArray(S, init, io + L);
        FloatVector c00 = z0, c01 = z1, c10 = z0, c11 = z1, c20 = z0, c21 = z1, c30 = z0, c31 = z1;
        FloatVector c40 = z0, c41 = z1, c50 = z0, c51 = z1, c60 = z0, c61 = z1, c70 = z0, c71 = z1;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bOff);
            FloatVector b1 = FloatVector.fromArray(S, bp, bOff + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[aOff]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[aOff + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[aOff + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[aOff + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[aOff + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[aOff + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[aOff + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[aOff + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            aOff += 8;
            bOff += NR;
        }
        int o = dOff;
        c00.intoArray(d, o);
        c01.intoArray(d, o + L);
        o += ldd;
        c10.intoArray(d, o);
        c11.intoArray(d, o + L);
        o += ldd;
        c20.intoArray(d, o);
        c21.intoArray(d, o + L);
        o += ldd;
        c30.intoArray(d, o);
        c31.intoArray(d, o + L);
        o += ldd;
        c40.intoArray(d, o);
        c41.intoArray(d, o + L);
        o += ldd;
        c50.intoArray(d, o);
        c51.intoArray(d, o + L);
        o += ldd;
        c60.intoArray(d, o);
        c61.intoArray(d, o + L);
        o += ldd;
        c70.intoArray(d, o);
        c71.intoArray(d, o + L);
    }

    /** The 8 x L tile over a narrow B panel (L floats per k step), for a last panel of at most L columns. */
    static void narrow(float[] ap, int aOff, float[] bp, int bOff, int kc,
                       float[] init, int io, float[] d, int dOff, int ldd) {
        FloatVector z = FloatVector.fromArray(S, init, io);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bOff);
            c0 = FloatVector.broadcast(S, ap[aOff]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[aOff + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[aOff + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[aOff + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, ap[aOff + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, ap[aOff + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, ap[aOff + 6]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, ap[aOff + 7]).fma(b0, c7);
            aOff += 8;
            bOff += L;
        }
        c0.intoArray(d, dOff);
        c1.intoArray(d, dOff + ldd);
        c2.intoArray(d, dOff + 2 * ldd);
        c3.intoArray(d, dOff + 3 * ldd);
        c4.intoArray(d, dOff + 4 * ldd);
        c5.intoArray(d, dOff + 5 * ldd);
        c6.intoArray(d, dOff + 6 * ldd);
        c7.intoArray(d, dOff + 7 * ldd);
    }

    /** {@link #full} reading op(A) rows in place: row r of the tile is ap[aOff + r * lda + p], p < kc. */
    static void fullRows(float[] ap, int aOff, int lda, float[] bp, int bOff, int kc,
                         float[] init, int io, float[] d, int dOff, int ldd) {
        int a0 = aOff, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        int a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
        FloatVector z0 = FloatVector.fromArray(S, init, io), z1 = FloatVector.fromArray(S, init, io + L);
        FloatVector c00 = z0, c01 = z1, c10 = z0, c11 = z1, c20 = z0, c21 = z1, c30 = z0, c31 = z1;
        FloatVector c40 = z0, c41 = z1, c50 = z0, c51 = z1, c60 = z0, c61 = z1, c70 = z0, c71 = z1;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bOff);
            FloatVector b1 = FloatVector.fromArray(S, bp, bOff + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[a0 + p]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[a1 + p]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[a2 + p]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[a3 + p]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[a4 + p]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[a5 + p]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[a6 + p]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[a7 + p]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            bOff += NR;
        }
        int o = dOff;
        c00.intoArray(d, o);
        c01.intoArray(d, o + L);
        o += ldd;
        c10.intoArray(d, o);
        c11.intoArray(d, o + L);
        o += ldd;
        c20.intoArray(d, o);
        c21.intoArray(d, o + L);
        o += ldd;
        c30.intoArray(d, o);
        c31.intoArray(d, o + L);
        o += ldd;
        c40.intoArray(d, o);
        c41.intoArray(d, o + L);
        o += ldd;
        c50.intoArray(d, o);
        c51.intoArray(d, o + L);
        o += ldd;
        c60.intoArray(d, o);
        c61.intoArray(d, o + L);
        o += ldd;
        c70.intoArray(d, o);
        c71.intoArray(d, o + L);
    }

    /** {@link #narrow} reading op(A) rows in place, as {@link #fullRows}. */
    static void narrowRows(float[] ap, int aOff, int lda, float[] bp, int bOff, int kc,
                           float[] init, int io, float[] d, int dOff, int ldd) {
        int a0 = aOff, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        int a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
        FloatVector z = FloatVector.fromArray(S, init, io);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bOff);
            c0 = FloatVector.broadcast(S, ap[a0 + p]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[a1 + p]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[a2 + p]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[a3 + p]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, ap[a4 + p]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, ap[a5 + p]).fma(b0, c5);
            c6 = FloatVector.broadcast(S, ap[a6 + p]).fma(b0, c6);
            c7 = FloatVector.broadcast(S, ap[a7 + p]).fma(b0, c7);
            bOff += L;
        }
        c0.intoArray(d, dOff);
        c1.intoArray(d, dOff + ldd);
        c2.intoArray(d, dOff + 2 * ldd);
        c3.intoArray(d, dOff + 3 * ldd);
        c4.intoArray(d, dOff + 4 * ldd);
        c5.intoArray(d, dOff + 5 * ldd);
        c6.intoArray(d, dOff + 6 * ldd);
        c7.intoArray(d, dOff + 7 * ldd);
    }

    /** {@link #full} for 4 rows: the 4 x NR tile of a 4-row A panel (4 floats per k step). */
    static void full4(float[] ap, int aOff, float[] bp, int bOff, int kc,
                      float[] init, int io, float[] d, int dOff, int ldd) {
        FloatVector z0 = FloatVector.fromArray(S, init, io), z1 = FloatVector.fromArray(S, init, io + L);
        FloatVector c00 = z0, c01 = z1, c10 = z0, c11 = z1, c20 = z0, c21 = z1, c30 = z0, c31 = z1;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bOff);
            FloatVector b1 = FloatVector.fromArray(S, bp, bOff + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[aOff]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[aOff + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[aOff + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[aOff + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            aOff += 4;
            bOff += NR;
        }
        int o = dOff;
        c00.intoArray(d, o);
        c01.intoArray(d, o + L);
        o += ldd;
        c10.intoArray(d, o);
        c11.intoArray(d, o + L);
        o += ldd;
        c20.intoArray(d, o);
        c21.intoArray(d, o + L);
        o += ldd;
        c30.intoArray(d, o);
        c31.intoArray(d, o + L);
    }

    /** {@link #narrow} for 4 rows. */
    static void narrow4(float[] ap, int aOff, float[] bp, int bOff, int kc,
                        float[] init, int io, float[] d, int dOff, int ldd) {
        FloatVector z = FloatVector.fromArray(S, init, io);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bOff);
            c0 = FloatVector.broadcast(S, ap[aOff]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[aOff + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[aOff + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[aOff + 3]).fma(b0, c3);
            aOff += 4;
            bOff += L;
        }
        c0.intoArray(d, dOff);
        c1.intoArray(d, dOff + ldd);
        c2.intoArray(d, dOff + 2 * ldd);
        c3.intoArray(d, dOff + 3 * ldd);
    }

    /** The 6 x NR tile of six op(A) rows, {@code lda} apart: row r is ap[aOff + r * lda + p], p < kc. */
    static void fullRows6(float[] ap, int aOff, int lda, float[] bp, int bOff, int kc,
                          float[] init, int io, float[] d, int dOff, int ldd) {
        int a0 = aOff, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        FloatVector z0 = FloatVector.fromArray(S, init, io), z1 = FloatVector.fromArray(S, init, io + L);
        FloatVector c00 = z0, c01 = z1, c10 = z0, c11 = z1, c20 = z0, c21 = z1;
        FloatVector c30 = z0, c31 = z1, c40 = z0, c41 = z1, c50 = z0, c51 = z1;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bOff);
            FloatVector b1 = FloatVector.fromArray(S, bp, bOff + L);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[a0 + p]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[a1 + p]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[a2 + p]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[a3 + p]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[a4 + p]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[a5 + p]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            bOff += NR;
        }
        int o = dOff;
        c00.intoArray(d, o);
        c01.intoArray(d, o + L);
        o += ldd;
        c10.intoArray(d, o);
        c11.intoArray(d, o + L);
        o += ldd;
        c20.intoArray(d, o);
        c21.intoArray(d, o + L);
        o += ldd;
        c30.intoArray(d, o);
        c31.intoArray(d, o + L);
        o += ldd;
        c40.intoArray(d, o);
        c41.intoArray(d, o + L);
        o += ldd;
        c50.intoArray(d, o);
        c51.intoArray(d, o + L);
    }

    /** {@link #fullRows6} over a narrow B panel (L floats per k step). */
    static void narrowRows6(float[] ap, int aOff, int lda, float[] bp, int bOff, int kc,
                            float[] init, int io, float[] d, int dOff, int ldd) {
        int a0 = aOff, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        FloatVector z = FloatVector.fromArray(S, init, io);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bOff);
            c0 = FloatVector.broadcast(S, ap[a0 + p]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[a1 + p]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[a2 + p]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[a3 + p]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, ap[a4 + p]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, ap[a5 + p]).fma(b0, c5);
            bOff += L;
        }
        c0.intoArray(d, dOff);
        c1.intoArray(d, dOff + ldd);
        c2.intoArray(d, dOff + 2 * ldd);
        c3.intoArray(d, dOff + 3 * ldd);
        c4.intoArray(d, dOff + 4 * ldd);
        c5.intoArray(d, dOff + 5 * ldd);
    }

    /**
     * C = alpha * tile + beta * C on the top-left {@code rows x cols} of a tile whose rows are {@code NR} apart;
     * beta == 0 overwrites C without reading it. Per element: fma(beta, C, alpha * sum).
     */
    static void update(float[] tile, int rows, int cols, float alpha, float beta, float[] c, int cOff, int ldc) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        FloatVector vb = FloatVector.broadcast(S, beta);
        for (int r = 0; r < rows; r++) {
            int t = r * NR, o = cOff + r * ldc;
            for (int j = 0; j < cols; j += L) {
                if (j + L <= cols) {
                    FloatVector x = FloatVector.fromArray(S, tile, t + j).mul(va);
                    if (beta != 0) x = FloatVector.fromArray(S, c, o + j).fma(vb, x);
                    x.intoArray(c, o + j);
                } else {
                    VectorMask<Float> m = S.indexInRange(j, cols);
                    FloatVector x = FloatVector.fromArray(S, tile, t + j).mul(va);
                    if (beta != 0) x = FloatVector.fromArray(S, c, o + j, m).fma(vb, x);
                    x.intoArray(c, o + j, m);
                }
            }
        }
    }
}
