/* SPDX-License-Identifier: Apache-2.0 */
/* ZipGEMM for layout F (spec 8): Y = X * W^T, fused decode + mma.sync m16n8k16 (bf16 in, f32
 * accumulate), under the same GEMM contract and with the same work split, B loads, epilogue and
 * split-K reduction as the v1 kernel (zipgemm.cu, gemm_common.cuh):
 *
 * one warp owns one 32-row slab (strips 4g+0,1 or 4g+2,3 of each global tile of its row, which
 * are adjacent records and adjacent exception slices, spec 8.2, 8.6) and one split-K range of
 * 64-wide K tiles [floor(sT/S), floor((s+1)T/S)) (mma-semantics 6.3). It walks its K tiles in
 * increasing order and, inside each, the four k16 slices in increasing order, one mma.sync each
 * into the strip's accumulators starting at +0 (mma-semantics 6.2): the same instruction sequence
 * per output as the v1 kernel, so the results are bit-identical to it and to tca_gemm_ref.
 *
 * Per K tile a warp stages 2 x 1408 record bytes plus the two strips' exception slices (two bulk
 * copies on sm_90), runs the prelude of both strips (one interleaved scan), then decodes strip 0
 * -> 4 k16 slices of MMAs -> strip 1 -> 4 slices of MMAs. No CTA barrier and no shared lookup
 * table: the exponent table lives in two registers (strip_decode_f.cuh). */
#include <cuda_runtime.h>
#include <stdint.h>
#include "gemm_common.cuh"
#include "strip_decode_f.cuh"
#include "tca_cuda_internal.h"

namespace tca_cuda {

/* Minimum resident CTAs per SM asked of ptxas for 16 < N <= 32 (NT = 4): 1 (default) leaves it
 * free (153 registers, 3 CTAs per SM); 4 gives 127 registers without spills (ptxas, sm_90a),
 * 4 CTAs per SM. An experiment knob for the GPU run (-DTCA_CUDA_F_WIDE_MIN_BLOCKS=4 in
 * CMAKE_CUDA_FLAGS), see docs/kernel-notes.md "Layout F". */
#ifndef TCA_CUDA_F_WIDE_MIN_BLOCKS
#define TCA_CUDA_F_WIDE_MIN_BLOCKS 1
#endif

/* Per warp: 32 bytes of mbarriers (up to 4 stages), then STAGES stages of a strip pair. */
constexpr uint32_t kFBarBytes = 32;

template <int STAGES>
__host__ __device__ constexpr size_t f_warp_smem_bytes(uint32_t stage_bytes) {
    return kFBarBytes + (size_t)STAGES * stage_bytes;
}

template <int NT, int STAGES>
__device__ __forceinline__ void zipgemm_f_body(const TcaDevArraysF &a, const uint16_t *__restrict__ x, uint64_t n_rows,
                                               uint32_t split_k, uint16_t *y, uint32_t *y_f32, float *ws) {
    const uint32_t lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const uint32_t pair = blockIdx.x * kWarps + warp;
    if (pair >= a.strips_m / 2) return; /* strips_m is a multiple of 4; warps are independent */
    const uint32_t s = blockIdx.y;
    /* mma-semantics 6.3: split s covers K tiles [floor(sT/S), floor((s+1)T/S)) */
    const uint32_t t0 = (uint32_t)(((uint64_t)s * a.ktiles) / split_k);
    const uint32_t t1 = (uint32_t)(((uint64_t)(s + 1) * a.ktiles) / split_k);
    const uint64_t n_base = (uint64_t)blockIdx.z * (8 * NT);
    uint8_t *wsm = tca_smem + (size_t)warp * f_warp_smem_bytes<STAGES>(a.stage2_bytes);
    uint8_t *stages = wsm + kFBarBytes;
    const bool even_k = (a.cols & 1) == 0 && (reinterpret_cast<uintptr_t>(x) & 3) == 0;
    const uint64_t my_n = n_base + (lane >> 2);
    uint32_t tab0, tab1;
    f_table(a.base, tab0, tab1);

    float acc[2][NT][4];
#pragma unroll
    for (int h = 0; h < 2; ++h)
#pragma unroll
        for (int i = 0; i < NT; ++i) acc[h][i][0] = acc[h][i][1] = acc[h][i][2] = acc[h][i][3] = 0.0f;

    const uint32_t bars = shared_ptr(wsm);
    stage_init<STAGES>(bars, lane);
    FStageInfo ring[STAGES];
#pragma unroll
    for (int i = 0; i < STAGES - 1; ++i) {
        if (t0 + i < t1) ring[i] = stage_f<2>(a, stages + i * a.stage2_bytes, 2 * pair, t0 + i, lane, bars + 8 * i);
        else stage_none();
    }
    for (uint32_t kt = t0; kt < t1; ++kt) {
        const uint32_t it = kt - t0;
        if (kt + STAGES - 1 < t1)
            ring[STAGES - 1] = stage_f<2>(a, stages + ((it + STAGES - 1) % STAGES) * a.stage2_bytes, 2 * pair,
                                          kt + STAGES - 1, lane, bars + 8 * ((it + STAGES - 1) % STAGES));
        else
            stage_none();
        /* B fragments for this K tile (shared by both strips), loaded before the wait. */
        constexpr int PRE = NT <= 4 ? 4 : 1;
        uint32_t bfr[PRE][NT][2];
        if (PRE == 4) load_b_tile<NT, 0, PRE>(x, n_rows, a.cols, even_k, my_n, kt, lane, bfr);
        stage_wait<STAGES>(bars, it);
        const uint8_t *stage = stages + (it % STAGES) * a.stage2_bytes;
        const FGroup<2> G = f_group<2>(a, stage, ring[0], lane);
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            uint32_t regs[16];
            f_decode_strip<2>(stage, G, h, lane, tab0, tab1, regs);
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
        __syncwarp(); /* every lane is done with this stage before lane 0 refills it */
#pragma unroll
        for (int i = 0; i < STAGES - 1; ++i) ring[i] = ring[i + 1];
    }
    stage_drain();
    store_acc<NT>(acc, 2 * pair, lane, a.rows, n_rows, n_base, split_k, s, y, y_f32, ws);
}

/* The kernel; an explicit minimum-blocks bound changes ptxas's register choices even when it is
 * 1 (67 -> 92 registers for NT = 1), so the plain bound is the default and the bounded variant
 * exists only for the NT = 4 experiment. */
template <int NT, int STAGES>
__global__ void __launch_bounds__(kWarps * 32)
    zipgemm_f_kernel(const TcaDevArraysF a, const uint16_t *__restrict__ x, uint64_t n_rows, uint32_t split_k,
                     uint16_t *y, uint32_t *y_f32, float *ws) {
    zipgemm_f_body<NT, STAGES>(a, x, n_rows, split_k, y, y_f32, ws);
}
#if TCA_CUDA_F_WIDE_MIN_BLOCKS > 1
template <int NT, int STAGES>
__global__ void __launch_bounds__(kWarps * 32, TCA_CUDA_F_WIDE_MIN_BLOCKS)
    zipgemm_f_kernel_bounded(const TcaDevArraysF a, const uint16_t *__restrict__ x, uint64_t n_rows,
                             uint32_t split_k, uint16_t *y, uint32_t *y_f32, float *ws) {
    zipgemm_f_body<NT, STAGES>(a, x, n_rows, split_k, y, y_f32, ws);
}
#endif

template <int NT, int STAGES>
static cudaError_t launch_f_nt(const TcaDevArraysF &a, const uint16_t *x, uint64_t n, uint32_t split_k, uint16_t *y,
                               uint32_t *y_f32, float *ws, cudaStream_t stream) {
    const size_t smem = (size_t)kWarps * f_warp_smem_bytes<STAGES>(a.stage2_bytes);
    auto kernel = zipgemm_f_kernel<NT, STAGES>;
#if TCA_CUDA_F_WIDE_MIN_BLOCKS > 1
    if constexpr (NT == 4) kernel = zipgemm_f_kernel_bounded<NT, STAGES>;
#endif
    cudaError_t e = cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem);
    if (e != cudaSuccess) return e;
    const uint64_t nz = (n + 8 * NT - 1) / (8 * NT);
    if (nz > 65535) return cudaErrorInvalidConfiguration;
    dim3 grid((a.strips_m / 2 + kWarps - 1) / kWarps, split_k, (unsigned)nz);
    kernel<<<grid, kWarps * 32, smem, stream>>>(a, x, n, split_k, y, y_f32, ws);
    e = cudaGetLastError();
    if (e != cudaSuccess || split_k == 1) return e;
    return tca_launch_splitk_reduce(ws, n * a.rows, split_k, y, y_f32, stream);
}

template <int STAGES>
static cudaError_t launch_f_stages(const TcaDevArraysF &a, const uint16_t *x, uint64_t n, uint32_t split_k,
                                   uint16_t *y, uint32_t *y_f32, float *ws, cudaStream_t stream) {
    if (n <= 8) return launch_f_nt<1, STAGES>(a, x, n, split_k, y, y_f32, ws, stream);
    if (n <= 16) return launch_f_nt<2, STAGES>(a, x, n, split_k, y, y_f32, ws, stream);
    if (n <= 32) return launch_f_nt<4, STAGES>(a, x, n, split_k, y, y_f32, ws, stream);
    return launch_f_nt<8, STAGES>(a, x, n, split_k, y, y_f32, ws, stream);
}

} // namespace tca_cuda

cudaError_t tca_launch_zipgemm_f(const TcaDevArraysF &a, const uint16_t *x, uint64_t n, uint32_t split_k, uint16_t *y,
                                 uint32_t *y_f32, float *workspace, cudaStream_t stream) {
    using namespace tca_cuda;
    if (tca_pipeline_stages() == 3) return launch_f_stages<3>(a, x, n, split_k, y, y_f32, workspace, stream);
    return launch_f_stages<2>(a, x, n, split_k, y, y_f32, workspace, stream);
}
