/* SPDX-License-Identifier: Apache-2.0 */
/* Pieces shared by the ZipGEMM kernels of both layouts (v1: zipgemm.cu, F: zipgemm_f.cu): the
 * m16n8k16 instruction, the B-fragment loads from X, the epilogue (direct BF16 rounding at S = 1,
 * f32 partials otherwise) and the deterministic split-K reduction (mma-semantics 6.3, 6.4). Both
 * kernels use the same work split (4 warps per CTA, one warp per 32-row slab and split-K range),
 * so the split-K rule (tca_cuda_gemm_auto_split) and the workspace layout ws[s][n][m] are shared
 * too. */
#ifndef TCA_GEMM_COMMON_CUH
#define TCA_GEMM_COMMON_CUH
#include <cuda_bf16.h>
#include <cuda_runtime.h>
#include <stdint.h>

namespace tca_cuda {

constexpr int kWarps = 4;   /* warps per CTA: 4 strips = one 64-row global tile row */

/* Programmatic dependent launch (sm_90+; no-ops before): a GEMM kernel lets the split-K reduction
 * launch once all its CTAs run; the reduction waits for the GEMM grid's completion and memory. */
__device__ __forceinline__ void grid_dependents_launch() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.launch_dependents;\n" ::: "memory");
#endif
}
__device__ __forceinline__ void grid_dependency_wait() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.wait;\n" ::: "memory");
#endif
}

__device__ __forceinline__ void mma_bf16_16816(float d[4], const uint32_t a[4], uint32_t b0, uint32_t b1) {
    asm volatile(
        "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
        "{%0,%1,%2,%3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

__device__ __forceinline__ uint16_t bf16_rne(float v) {
    if (v != v) return 0x7FFF; /* mma-semantics 5: NaN -> 0x7FFF */
    return __bfloat16_as_ushort(__float2bfloat16_rn(v));
}
__device__ __forceinline__ uint32_t f32_bits(float v) {
    return v != v ? 0x7FFFFFFFu : __float_as_uint(v); /* canonical NaN */
}

/** B fragment (mma .col operand) for k16 slice at column k0 of X rows n: b = X[n][k0+2t .. +1]
 *  (t = lane%4) and b' = X[n][k0+8+2t .. +1]; zero beyond N or K (padding products are zero).
 *  General path: any K, any alignment, bounds-checked per element. */
__device__ __forceinline__ void load_b(const uint16_t *__restrict__ x, uint64_t n_rows, uint64_t k_cols, bool even_k,
                                       uint64_t n, uint64_t k, uint32_t &b0, uint32_t &b1) {
    b0 = 0;
    b1 = 0;
    if (n >= n_rows) return;
    const uint16_t *row = x + n * k_cols;
    if (even_k) { /* k even, K even: the pair is inside or outside together, 4-byte aligned */
        if (k < k_cols) b0 = __ldg(reinterpret_cast<const unsigned int *>(row + k));
        if (k + 8 < k_cols) b1 = __ldg(reinterpret_cast<const unsigned int *>(row + k + 8));
    } else {
        uint32_t lo = 0, hi = 0;
        if (k < k_cols) lo = __ldg(reinterpret_cast<const unsigned short *>(row + k));
        if (k + 1 < k_cols) hi = __ldg(reinterpret_cast<const unsigned short *>(row + k + 1));
        b0 = lo | (hi << 16);
        lo = hi = 0;
        if (k + 8 < k_cols) lo = __ldg(reinterpret_cast<const unsigned short *>(row + k + 8));
        if (k + 9 < k_cols) hi = __ldg(reinterpret_cast<const unsigned short *>(row + k + 9));
        b1 = lo | (hi << 16);
    }
}

/** B fragments of one 64-wide K tile for NT column blocks (the tile's slices sl = 0..3).
 *  Fast path (warp-uniform): K even, X 4-byte aligned and the whole tile inside K: 8 aligned
 *  32-bit loads per column block at constant offsets from one row pointer per block. */
template <int NT, int SL0, int NSL>
__device__ __forceinline__ void load_b_tile(const uint16_t *__restrict__ x, uint64_t n_rows, uint64_t k_cols,
                                            bool fast_ok, uint64_t my_n, uint32_t kt, uint32_t lane,
                                            uint32_t (&bfr)[NSL][NT][2]) {
    const uint64_t kb = (uint64_t)kt * 64 + 2 * (lane & 3);
    if (fast_ok && (uint64_t)kt * 64 + 64 <= k_cols) {
#pragma unroll
        for (int nb = 0; nb < NT; ++nb) {
            const uint64_t n = my_n + 8 * nb;
            const unsigned int *p = reinterpret_cast<const unsigned int *>(x + n * k_cols + kb);
            const bool in = n < n_rows;
#pragma unroll
            for (int sl = 0; sl < NSL; ++sl) {
                bfr[sl][nb][0] = in ? __ldg(p + 8 * (SL0 + sl)) : 0u;
                bfr[sl][nb][1] = in ? __ldg(p + 8 * (SL0 + sl) + 4) : 0u;
            }
        }
    } else {
#pragma unroll
        for (int sl = 0; sl < NSL; ++sl)
#pragma unroll
            for (int nb = 0; nb < NT; ++nb)
                load_b(x, n_rows, k_cols, fast_ok, my_n + 8 * nb, kb + 16 * (SL0 + sl), bfr[sl][nb][0],
                       bfr[sl][nb][1]);
    }
}

/** The four k16 slices of one decoded strip (regs[4 sl + r]: A register r of slice sl) times the
 *  K tile's B fragments, in increasing slice order into acc (mma-semantics 6.2). PRE = 4: all
 *  four slices' B fragments are already in bfr; PRE = 1: each slice's are loaded here into bfr[0]
 *  (wide N, to bound registers). */
template <int NT, int PRE>
__device__ __forceinline__ void mma_strip(float (&acc)[NT][4], const uint32_t (&regs)[16], uint32_t (&bfr)[PRE][NT][2],
                                          const uint16_t *__restrict__ x, uint64_t n_rows, uint64_t k_cols,
                                          bool even_k, uint64_t my_n, uint32_t kt, uint32_t lane) {
#pragma unroll
    for (int sl = 0; sl < 4; ++sl) {
        const uint32_t af[4] = {regs[4 * sl], regs[4 * sl + 1], regs[4 * sl + 2], regs[4 * sl + 3]};
        if constexpr (PRE == 1) {
            uint32_t one[1][NT][2];
            if (sl == 0) load_b_tile<NT, 0, 1>(x, n_rows, k_cols, even_k, my_n, kt, lane, one);
            if (sl == 1) load_b_tile<NT, 1, 1>(x, n_rows, k_cols, even_k, my_n, kt, lane, one);
            if (sl == 2) load_b_tile<NT, 2, 1>(x, n_rows, k_cols, even_k, my_n, kt, lane, one);
            if (sl == 3) load_b_tile<NT, 3, 1>(x, n_rows, k_cols, even_k, my_n, kt, lane, one);
#pragma unroll
            for (int nb = 0; nb < NT; ++nb) {
                bfr[0][nb][0] = one[0][nb][0];
                bfr[0][nb][1] = one[0][nb][1];
            }
        }
#pragma unroll
        for (int nb = 0; nb < NT; ++nb)
            mma_bf16_16816(acc[nb], af, bfr[PRE == 4 ? sl : 0][nb][0], bfr[PRE == 4 ? sl : 0][nb][1]);
    }
}

/** Epilogue of one warp's NS strips (strips strip0 .. strip0+NS-1, i.e. rows from 16*strip0):
 *  C fragment c0,c1 at (m = 16*strip + lane/4, n = 2*(lane%4) + {0,1}), c2,c3 at m+8. S = 1 rounds
 *  to BF16 here (and writes the f32 value if asked); S > 1 writes the f32 partial of split s to
 *  ws[s][n][m] for splitk_reduce_kernel. Every (n, m) inside [0,N) x [0,M) is written once (D6). */
template <int NT, int NS>
__device__ __forceinline__ void store_acc(const float (&acc)[NS][NT][4], uint32_t strip0, uint32_t lane, uint64_t m_rows,
                                          uint64_t n_rows, uint64_t n_base, uint32_t split_k, uint32_t s, uint16_t *y,
                                          uint32_t *y_f32, float *ws) {
#pragma unroll
    for (int h = 0; h < NS; ++h)
#pragma unroll
        for (int nb = 0; nb < NT; ++nb) {
#pragma unroll
            for (int r = 0; r < 4; ++r) {
                const uint64_t m = (uint64_t)(strip0 + h) * 16 + (lane >> 2) + (r >= 2 ? 8 : 0);
                const uint64_t n = n_base + 8 * nb + 2 * (lane & 3) + (r & 1);
                if (m >= m_rows || n >= n_rows) continue;
                const uint64_t idx = n * m_rows + m;
                const float v = acc[h][nb][r];
                if (split_k == 1) {
                    if (y) y[idx] = bf16_rne(v);
                    if (y_f32) y_f32[idx] = f32_bits(v);
                } else {
                    ws[(uint64_t)s * n_rows * m_rows + idx] = v;
                }
            }
        }
}

} // namespace tca_cuda
#endif
