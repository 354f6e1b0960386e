// Helpers shared by every kernel family: index types, grid-stride loops, the CPU backends' rules in device code.
//
// Arithmetic mirrors ReferenceBackend: sums and row statistics in double, each result rounded to float once;
// NVRTC compiles with --fmad=false so that a * b + c rounds twice, as Java does. Every block has a multiple of
// 32 threads (the launcher uses 256).

typedef long long i64;
typedef unsigned long long u64;

#define CUREX_INF __int_as_float(0x7f800000)
#define FOR_EACH(i, n) for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < (i64)(n); \
                            i += (i64)gridDim.x * blockDim.x)
#define FOR_ROW(c, cols) for (int c = threadIdx.x; c < (cols); c += blockDim.x)

// What a backward kernel adds its contribution to (HostBackend.prior): 0, the old value, or beta * old in float.
__device__ __forceinline__ float prior(float beta, float old) {
    return beta == 0.f ? 0.f : (beta == 1.f ? old : beta * old);
}

// Math.max on doubles: NaN if either is NaN.
__device__ __forceinline__ double jmax(double a, double b) {
    if (a != a) return a;
    if (b != b) return b;
    return a >= b ? a : b;
}

// Sum of v over the block, the same fixed tree every time; every thread gets the result.
__device__ double block_sum(double v) {
    __shared__ double partial[32];
    __shared__ double result;
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
    __syncthreads();
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < warps ? partial[lane] : 0.0;
        for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
        if (lane == 0) result = v;
    }
    __syncthreads();
    return result;
}

// Maximum (Math.max semantics) of v over the block; every thread gets the result.
__device__ double block_max(double v) {
    __shared__ double partial[32];
    __shared__ double result;
    for (int o = 16; o > 0; o >>= 1) v = jmax(v, __shfl_down_sync(0xffffffffu, v, o));
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
    __syncthreads();
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < warps ? partial[lane] : -CUREX_INF;
        for (int o = 16; o > 0; o >>= 1) v = jmax(v, __shfl_down_sync(0xffffffffu, v, o));
        if (lane == 0) result = v;
    }
    __syncthreads();
    return result;
}
