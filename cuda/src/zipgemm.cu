/* SPDX-License-Identifier: Apache-2.0 */
/* ZipGEMM: Y = X * W^T with W in TCA-TBE v1, fused decode + mma.sync m16n8k16 (bf16 in, f32
 * accumulate), under the GEMM contract (mma-semantics 6; docs/architecture.md section 6).
 *
 * Work split: one warp owns one 16-row strip of W (a median tile row) and one split-K range of
 * 64-wide K tiles [floor(sT/S), floor((s+1)T/S)) (mma-semantics 6.3), for up to 8*NT columns of
 * Y. It walks its K tiles in increasing order and, inside each, the four k16 slices in increasing
 * order, each one mma.sync into the same accumulators: per output, the k16 chunks of its K range
 * in increasing k, starting from +0 (mma-semantics 6.2). On sm_90 one m16n8k16 is one 16-product
 * step; on sm_80 it is the profile's two 8-product steps in standard k order, which is what the
 * sm80 profile models, so both builds are contract-exact for their profile.
 *
 * S = 1: the epilogue rounds with cvt.rn.bf16.f32 (NaN -> 0x7FFF). S > 1: every split writes its
 * f32 partial to workspace[s][n][m]; a separate kernel adds them with __fadd_rn in increasing s
 * and rounds (no atomics, no BF16 partials: defect D8). Every output element in [0,N) x [0,M) is
 * written by exactly one thread (defect D6). */
#include <cuda_bf16.h>
#include <cuda_runtime.h>
#include <stdint.h>
#include <stdlib.h>
#include "strip_decode.cuh"
#include "tca_cuda_internal.h"

namespace tca_cuda {

constexpr int kWarps = 4;   /* warps per CTA: 4 strips = one 64-row global tile row */

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

/* Shared memory: the 64-entry pair table, then per warp its decode scratch and STAGES stages of
 * a strip pair (sizes per matrix from its stored maxima, defect D4). */
template <int STAGES>
__host__ __device__ constexpr size_t warp_smem_bytes(uint32_t stage_bytes) {
    return kScratchBytes + (size_t)STAGES * stage_bytes;
}

/* One warp = one 32-row slab (two strips, median tiles 0-1 or 2-3 of a global-tile row): the two
 * strips share every staging copy, offset lookup and B fragment of a K tile. */
template <int NT, int STAGES>
__global__ void __launch_bounds__(kWarps * 32) zipgemm_kernel(const TcaDevArrays a, const uint16_t *__restrict__ x,
                                                               uint64_t n_rows, uint32_t split_k, uint16_t *y,
                                                               uint32_t *y_f32, float *ws) {
    uint8_t *const smem = tca_smem;
    const uint32_t lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (threadIdx.x < 64) reinterpret_cast<uint32_t *>(smem)[threadIdx.x] = lut_entry(threadIdx.x, a.base);
    __syncthreads(); /* the only CTA barrier: the table is read-only from here on */
    const uint32_t pair = blockIdx.x * kWarps + warp;
    if (pair >= a.strips / 2) return; /* strips is a multiple of 4 */
    const uint32_t s = blockIdx.y;
    /* mma-semantics 6.3: split s covers K tiles [floor(sT/S), floor((s+1)T/S)) */
    const uint32_t t0 = (uint32_t)(((uint64_t)s * a.ktiles) / split_k);
    const uint32_t t1 = (uint32_t)(((uint64_t)(s + 1) * a.ktiles) / split_k);
    const uint64_t n_base = (uint64_t)blockIdx.z * (8 * NT);
    uint8_t *wsm = smem + kLutBytes + (size_t)warp * warp_smem_bytes<STAGES>(a.stage2_bytes);
    const uint32_t scratch = smem_addr(wsm), lut = smem_addr(smem);
    uint8_t *stages = wsm + kScratchBytes;
    const bool even_k = (a.cols & 1) == 0 && (reinterpret_cast<uintptr_t>(x) & 3) == 0;
    const uint64_t my_n = n_base + (lane >> 2);
    const LaneConsts lc = lane_consts(lane);

    float acc[2][NT][4];
#pragma unroll
    for (int h = 0; h < 2; ++h)
#pragma unroll
        for (int i = 0; i < NT; ++i) acc[h][i][0] = acc[h][i][1] = acc[h][i][2] = acc[h][i][3] = 0.0f;

    const uint32_t bars = shared_ptr(smem) + scratch + 640;
    stage_init<STAGES>(bars, lane);
    PairInfo ring[STAGES];
#pragma unroll
    for (int i = 0; i < STAGES - 1; ++i) {
        if (t0 + i < t1) ring[i] = stage_pair(a, stages + i * a.stage2_bytes, pair, t0 + i, lane, bars + 8 * i);
        else stage_none();
    }
    for (uint32_t kt = t0; kt < t1; ++kt) {
        const uint32_t it = kt - t0;
        if (kt + STAGES - 1 < t1)
            ring[STAGES - 1] = stage_pair(a, stages + ((it + STAGES - 1) % STAGES) * a.stage2_bytes, pair,
                                          kt + STAGES - 1, lane, bars + 8 * ((it + STAGES - 1) % STAGES));
        else
            stage_none();
        /* B fragments for this K tile (shared by both strips), loaded before the wait. */
        constexpr int PRE = NT <= 4 ? 4 : 1;
        uint32_t bfr[PRE][NT][2];
        if (PRE == 4) load_b_tile<NT, 0, PRE>(x, n_rows, a.cols, even_k, my_n, kt, lane, bfr);
        stage_wait<STAGES>(bars, it);
        const PairPrelude pp = pair_prelude(a, stages + (it % STAGES) * a.stage2_bytes, ring[0], lane);
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            uint32_t regs[16];
            if (h == 0) decode_pair_strip<0>(pp, lane, lc, lut, scratch, regs);
            else decode_pair_strip<1>(pp, lane, lc, lut, scratch, regs);
#pragma unroll
            for (int sl = 0; sl < 4; ++sl) {
                const uint32_t af[4] = {regs[4 * sl], regs[4 * sl + 1], regs[4 * sl + 2], regs[4 * sl + 3]};
                if (PRE == 1) {
                    uint32_t one[1][NT][2];
                    if (sl == 0) load_b_tile<NT, 0, 1>(x, n_rows, a.cols, even_k, my_n, kt, lane, one);
                    if (sl == 1) load_b_tile<NT, 1, 1>(x, n_rows, a.cols, even_k, my_n, kt, lane, one);
                    if (sl == 2) load_b_tile<NT, 2, 1>(x, n_rows, a.cols, even_k, my_n, kt, lane, one);
                    if (sl == 3) load_b_tile<NT, 3, 1>(x, n_rows, a.cols, even_k, my_n, kt, lane, one);
#pragma unroll
                    for (int nb = 0; nb < NT; ++nb) {
                        bfr[0][nb][0] = one[0][nb][0];
                        bfr[0][nb][1] = one[0][nb][1];
                    }
                }
#pragma unroll
                for (int nb = 0; nb < NT; ++nb)
                    mma_bf16_16816(acc[h][nb], af, bfr[PRE == 4 ? sl : 0][nb][0], bfr[PRE == 4 ? sl : 0][nb][1]);
            }
        }
#pragma unroll
        for (int i = 0; i < STAGES - 1; ++i) ring[i] = ring[i + 1];
    }
    stage_drain();

    /* Epilogue: C fragment c0,c1 at (m = 16*strip + lane/4, n = 2*(lane%4) + {0,1}), c2,c3 at m+8. */
    const uint64_t m_rows = a.rows;
#pragma unroll
    for (int h = 0; h < 2; ++h)
#pragma unroll
        for (int nb = 0; nb < NT; ++nb) {
#pragma unroll
            for (int r = 0; r < 4; ++r) {
                const uint64_t m = (uint64_t)(2 * pair + h) * 16 + (lane >> 2) + (r >= 2 ? 8 : 0);
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

/** mma-semantics 6.3: r = p0; r = r + p1; ... in increasing split order, binary32 RNE adds. */
__global__ void splitk_reduce_kernel(const float *__restrict__ ws, uint64_t count, uint32_t split_k, uint16_t *y,
                                     uint32_t *y_f32) {
    for (uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; i < count;
         i += (uint64_t)gridDim.x * blockDim.x) {
        float r = ws[i];
        for (uint32_t s = 1; s < split_k; ++s) r = __fadd_rn(r, ws[(uint64_t)s * count + i]);
        if (y) y[i] = bf16_rne(r);
        if (y_f32) y_f32[i] = f32_bits(r);
    }
}

template <int NT, int STAGES>
static cudaError_t launch_nt(const TcaDevArrays &a, const uint16_t *x, uint64_t n, uint32_t split_k, uint16_t *y,
                             uint32_t *y_f32, float *ws, cudaStream_t stream) {
    const size_t smem = kLutBytes + (size_t)kWarps * warp_smem_bytes<STAGES>(a.stage2_bytes);
    cudaError_t e =
        cudaFuncSetAttribute(zipgemm_kernel<NT, STAGES>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem);
    if (e != cudaSuccess) return e;
    const uint64_t nz = (n + 8 * NT - 1) / (8 * NT);
    if (nz > 65535) return cudaErrorInvalidConfiguration;
    dim3 grid((a.strips / 2 + kWarps - 1) / kWarps, split_k, (unsigned)nz);
    zipgemm_kernel<NT, STAGES><<<grid, kWarps * 32, smem, stream>>>(a, x, n, split_k, y, y_f32, ws);
    e = cudaGetLastError();
    if (e != cudaSuccess || split_k == 1) return e;
    const uint64_t count = n * a.rows;
    uint64_t blocks = (count + 255) / 256;
    if (blocks > 65535ull * 16) blocks = 65535ull * 16;
    splitk_reduce_kernel<<<(unsigned)blocks, 256, 0, stream>>>(ws, count, split_k, y, y_f32);
    return cudaGetLastError();
}

template <int STAGES>
static cudaError_t launch_stages(const TcaDevArrays &a, const uint16_t *x, uint64_t n, uint32_t split_k, uint16_t *y,
                                 uint32_t *y_f32, float *ws, cudaStream_t stream) {
    if (n <= 8) return launch_nt<1, STAGES>(a, x, n, split_k, y, y_f32, ws, stream);
    if (n <= 16) return launch_nt<2, STAGES>(a, x, n, split_k, y, y_f32, ws, stream);
    if (n <= 32) return launch_nt<4, STAGES>(a, x, n, split_k, y, y_f32, ws, stream);
    return launch_nt<8, STAGES>(a, x, n, split_k, y, y_f32, ws, stream);
}

} // namespace tca_cuda

/** Pipeline depth: 2 by default; TCA_CUDA_STAGES=3 selects 3 (for measurements). */
int tca_pipeline_stages(void) {
    static int stages = 0;
    if (!stages) {
        const char *e = getenv("TCA_CUDA_STAGES");
        stages = (e && atoi(e) == 3) ? 3 : 2;
    }
    return stages;
}


cudaError_t tca_launch_zipgemm(const TcaDevArrays &a, const uint16_t *x, uint64_t n, uint32_t split_k, uint16_t *y,
                               uint32_t *y_f32, float *workspace, cudaStream_t stream) {
    using namespace tca_cuda;
    if (tca_pipeline_stages() == 3) return launch_stages<3>(a, x, n, split_k, y, y_f32, workspace, stream);
    return launch_stages<2>(a, x, n, split_k, y, y_f32, workspace, stream);
}
