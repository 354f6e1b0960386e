// Strided copy of a rank 1..6 index space: permutes, splits and merges attention heads, and is its own backward.

// For every index tuple of shape (row-major): dst[dot(i, ds)] = beta dst[...] + src[dot(i, ss)]. Unused
// dimensions have extent 1. No two tuples address one dst element, so threads never collide.
extern "C" __global__ void strided_copy_f32(const float* src, float* dst, float beta, i64 total,
                                           i64 n0, i64 n1, i64 n2, i64 n3, i64 n4, i64 n5,
                                           i64 s0, i64 s1, i64 s2, i64 s3, i64 s4, i64 s5,
                                           i64 d0, i64 d1, i64 d2, i64 d3, i64 d4, i64 d5) {
    FOR_EACH(e, total) {
        i64 rest = e, so = 0, dof = 0, k;
        k = rest % n5; rest /= n5; so += k * s5; dof += k * d5;
        k = rest % n4; rest /= n4; so += k * s4; dof += k * d4;
        k = rest % n3; rest /= n3; so += k * s3; dof += k * d3;
        k = rest % n2; rest /= n2; so += k * s2; dof += k * d2;
        k = rest % n1; rest /= n1; so += k * s1; dof += k * d1;
        so += rest * s0; dof += rest * d0;
        dst[dof] = prior(beta, dst[dof]) + src[so];
    }
}
