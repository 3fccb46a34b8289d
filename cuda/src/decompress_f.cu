/* SPDX-License-Identifier: Apache-2.0 */
/* Standalone decompressor for layout F: strips + exceptions -> row-major M x K BF16, bit-identical
 * to tca_tbe_f_decode (spec 8.9). Any M, K >= 1: padding elements (spec 5.1) are decoded like any
 * other and not written.
 *
 * Same structure as the v1 decompressor (decompress.cu): one warp owns one 16-row strip row and a
 * contiguous range of its K tiles, staged two deep (strip_decode_f.cuh, one strip per stage); each
 * decoded 16 x 64 strip goes through a padded shared tile (row stride 72 elements: the pair stores
 * are conflict-free) and leaves as 16-byte row segments when K is a multiple of 8 and the segment
 * is inside the logical matrix, element by element otherwise. */
#include <cuda_runtime.h>
#include <stdint.h>
#include "strip_decode_f.cuh"
#include "tca_cuda_internal.h"

namespace tca_cuda {

constexpr int kDecFWarps = 4;
constexpr uint32_t kFOutStride = 72;                 /* elements per staged output row */
constexpr uint32_t kFOutBytes = 16 * kFOutStride * 2; /* 2304 */
constexpr uint32_t kFDecBarBytes = 32;

template <int STAGES>
__host__ __device__ constexpr size_t f_dec_warp_bytes(uint32_t stage_bytes) {
    return kFDecBarBytes + kFOutBytes + (size_t)STAGES * stage_bytes;
}

template <int STAGES>
__global__ void __launch_bounds__(kDecFWarps * 32) decompress_f_kernel(const TcaDevArraysF a, uint16_t *dst,
                                                                        uint32_t splits) {
    const uint32_t lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    const uint32_t strip = blockIdx.x * kDecFWarps + warp;
    if (strip >= a.strips_m) return;
    const uint32_t s = blockIdx.y;
    const uint32_t t0 = (uint32_t)(((uint64_t)s * a.ktiles) / splits);
    const uint32_t t1 = (uint32_t)(((uint64_t)(s + 1) * a.ktiles) / splits);
    if (t0 >= t1) return;
    const uint32_t stage_bytes = f_stage_bytes(a, 1);
    uint8_t *wsm = tca_smem + (size_t)warp * f_dec_warp_bytes<STAGES>(stage_bytes);
    uint16_t *out = reinterpret_cast<uint16_t *>(wsm + kFDecBarBytes);
    uint8_t *stages = wsm + kFDecBarBytes + kFOutBytes;
    const bool vec_ok = (a.cols & 7) == 0 && (reinterpret_cast<uintptr_t>(dst) & 15) == 0;
    const FConsts K = f_consts(a);

    const uint32_t bars = shared_ptr(wsm);
    stage_init<STAGES>(bars, lane);
    FStageInfo ring[STAGES];
#pragma unroll
    for (int i = 0; i < STAGES - 1; ++i) {
        if (t0 + i < t1) ring[i] = stage_f<1>(a, stages + i * stage_bytes, strip, t0 + i, lane, bars + 8 * i);
        else stage_none();
    }
    for (uint32_t kt = t0; kt < t1; ++kt) {
        const uint32_t it = kt - t0;
        if (kt + STAGES - 1 < t1)
            ring[STAGES - 1] = stage_f<1>(a, stages + ((it + STAGES - 1) % STAGES) * stage_bytes, strip,
                                          kt + STAGES - 1, lane, bars + 8 * ((it + STAGES - 1) % STAGES));
        else
            stage_none();
        stage_wait<STAGES>(bars, it);
        const uint8_t *stage = stages + (it % STAGES) * stage_bytes;
        FCursor X = f_cursor(stage, 1, ring[0]);
        const FGroup<1> G = f_group<1>(stage, 0, X, lane, K.mul);
        f_cursor_check(a, X, lane);
        uint32_t regs[16];
        f_decode_strip<1>(stage, G, 0, 0, lane, K, regs);
        /* regs[4i + k]: slice i, register k = rows 8*(k & 1) + lane/4, columns 16i + 8*(k >> 1) +
         * 2*(lane % 4) (spec 8.2) */
#pragma unroll
        for (int j = 0; j < 16; ++j) {
            const uint32_t i = j >> 2, k = j & 3;
            const uint32_t row = (k & 1) * 8 + (lane >> 2), col = 16 * i + (k >> 1) * 8 + 2 * (lane & 3);
            *reinterpret_cast<uint32_t *>(out + row * kFOutStride + col) = regs[j];
        }
        __syncwarp();
        store_strip_tile(out, kFOutStride, dst, strip, kt, a.rows, a.cols, vec_ok, lane);
        __syncwarp(); /* stage and output tile are reused next iteration */
#pragma unroll
        for (int i = 0; i < STAGES - 1; ++i) ring[i] = ring[i + 1];
    }
    stage_drain();
}

} // namespace tca_cuda

template <int STAGES>
static cudaError_t launch_decompress_f(const TcaDevArraysF &a, uint16_t *dst, cudaStream_t stream) {
    using namespace tca_cuda;
    const size_t smem = (size_t)kDecFWarps * f_dec_warp_bytes<STAGES>(f_stage_bytes(a, 1));
    cudaError_t e =
        cudaFuncSetAttribute(decompress_f_kernel<STAGES>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem);
    if (e != cudaSuccess) return e;
    const uint64_t ctas_m = (a.strips_m + kDecFWarps - 1) / kDecFWarps;
    const uint32_t splits = tca_decompress_splits(ctas_m, a.ktiles); /* the same rule as v1 */
    dim3 grid((unsigned)ctas_m, splits);
    decompress_f_kernel<STAGES><<<grid, kDecFWarps * 32, smem, stream>>>(a, dst, splits);
    return cudaGetLastError();
}

cudaError_t tca_launch_decompress_f(const TcaDevArraysF &a, uint16_t *dst, cudaStream_t stream) {
    const int stages = tca_cuda_knobs().stages;
#if TCA_CUDA_TUNING
    if (stages == 4) return launch_decompress_f<4>(a, dst, stream);
#endif
    if (stages == 3) return launch_decompress_f<3>(a, dst, stream);
    return launch_decompress_f<2>(a, dst, stream);
}
