/* SPDX-License-Identifier: Apache-2.0 */
/* Standalone decompressor: TCA-TBE v1 arrays -> row-major M x K BF16, bit-identical to
 * tca_tbe_decode (spec 7.2). Any M, K >= 1: padding elements (spec 5.1) are decoded like any other
 * and simply not written.
 *
 * One warp owns one 16-row strip and a contiguous range of its K tiles, staged two deep with
 * cp.async (strip_decode.cuh). Each decoded 16 x 64 strip goes through a padded shared tile
 * (row stride 72 elements: the pair stores are conflict-free) and leaves as 16-byte row segments
 * when K is a multiple of 8 and the segment is inside the logical matrix, element by element
 * otherwise. */
#include <cuda_runtime.h>
#include <stdint.h>
#include "strip_decode.cuh"
#include "tca_cuda_internal.h"

namespace tca_cuda {

constexpr int kDecWarps = 4;
constexpr uint32_t kOutStride = 72;                  /* elements per staged output row */
constexpr uint32_t kOutBytes = 16 * kOutStride * 2;  /* 2304 */

template <int STAGES>
__global__ void __launch_bounds__(kDecWarps * 32) decompress_kernel(const TcaDevArrays a, uint16_t *dst,
                                                                     uint32_t splits) {
    uint8_t *const smem = tca_smem;
    const uint32_t lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (threadIdx.x < 64) reinterpret_cast<uint32_t *>(smem)[threadIdx.x] = lut_entry(threadIdx.x, a.base);
    __syncthreads(); /* the only CTA barrier: the table is read-only from here on */
    const uint32_t strip = blockIdx.x * kDecWarps + warp;
    if (strip >= a.strips) return;
    const uint32_t s = blockIdx.y;
    const uint32_t t0 = (uint32_t)(((uint64_t)s * a.ktiles) / splits);
    const uint32_t t1 = (uint32_t)(((uint64_t)(s + 1) * a.ktiles) / splits);
    if (t0 >= t1) return;
    uint8_t *wsm = smem + kLutBytes + (size_t)warp * (kScratchBytes + kOutBytes + STAGES * a.stage_bytes);
    const uint32_t scratch = smem_addr(wsm), lut = smem_addr(smem);
    uint16_t *out = reinterpret_cast<uint16_t *>(wsm + kScratchBytes);
    uint8_t *stages = wsm + kScratchBytes + kOutBytes;
    const bool vec_ok = (a.cols & 7) == 0 && (reinterpret_cast<uintptr_t>(dst) & 15) == 0;
    const LaneConsts lc = lane_consts(lane);

    const uint32_t bars = shared_ptr(smem) + scratch + 640;
    stage_init<STAGES>(bars, lane);
    StripInfo ring[STAGES];
#pragma unroll
    for (int i = 0; i < STAGES - 1; ++i) {
        if (t0 + i < t1) ring[i] = stage_strip(a, stages + i * a.stage_bytes, strip, t0 + i, lane, bars + 8 * i);
        else stage_none();
    }
    for (uint32_t kt = t0; kt < t1; ++kt) {
        const uint32_t it = kt - t0;
        if (kt + STAGES - 1 < t1)
            ring[STAGES - 1] = stage_strip(a, stages + ((it + STAGES - 1) % STAGES) * a.stage_bytes, strip,
                                           kt + STAGES - 1, lane, bars + 8 * ((it + STAGES - 1) % STAGES));
        else
            stage_none();
        stage_wait<STAGES>(bars, it);
        uint32_t regs[16];
        decode_strip(a, stages + (it % STAGES) * a.stage_bytes, ring[0], lane, lc, lut, scratch, regs);
        /* small tile j = 2*k8 + m8 (spec 5.2): rows 8*m8 + lane/4, columns 8*k8 + 2*(lane%4) */
#pragma unroll
        for (int j = 0; j < 16; ++j) {
            const uint32_t row = (j & 1) * 8 + (lane >> 2), col = (j >> 1) * 8 + 2 * (lane & 3);
            *reinterpret_cast<uint32_t *>(out + row * kOutStride + col) = regs[j];
        }
        __syncwarp();
        store_strip_tile(out, kOutStride, dst, strip, kt, a.rows, a.cols, vec_ok, lane);
        __syncwarp(); /* stage, scratch and output tile are reused next iteration */
#pragma unroll
        for (int i = 0; i < STAGES - 1; ++i) ring[i] = ring[i + 1];
    }
    stage_drain();
}

} // namespace tca_cuda

template <int STAGES>
static cudaError_t launch_decompress(const TcaDevArrays &a, uint16_t *dst, cudaStream_t stream) {
    using namespace tca_cuda;
    const size_t smem = kLutBytes + (size_t)kDecWarps * (kScratchBytes + kOutBytes + STAGES * a.stage_bytes);
    cudaError_t e =
        cudaFuncSetAttribute(decompress_kernel<STAGES>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem);
    if (e != cudaSuccess) return e;
    const uint64_t ctas_m = (a.strips + kDecWarps - 1) / kDecWarps;
    const uint32_t splits = tca_decompress_splits(ctas_m, a.ktiles);
    dim3 grid((unsigned)ctas_m, splits);
    decompress_kernel<STAGES><<<grid, kDecWarps * 32, smem, stream>>>(a, dst, splits);
    return cudaGetLastError();
}

uint32_t tca_decompress_splits(uint64_t ctas_m, uint32_t ktiles) {
    const uint64_t want = (uint64_t)tca_cuda_sm_count() * 24;
    uint64_t splits = (want + ctas_m - 1) / ctas_m;
    const uint64_t max_splits = ktiles >= 4 ? ktiles / 2 : 1;
    if (splits > max_splits) splits = max_splits;
    if (splits < 1) splits = 1;
    if (splits > 65535) splits = 65535;
    return (uint32_t)splits;
}

cudaError_t tca_launch_decompress(const TcaDevArrays &a, uint16_t *dst, cudaStream_t stream) {
    if (tca_pipeline_stages() == 3) return launch_decompress<3>(a, dst, stream);
    return launch_decompress<2>(a, dst, stream);
}
