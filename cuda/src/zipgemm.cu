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
#include <type_traits>
#include "gemm_common.cuh"
#include "strip_decode.cuh"
#include "tca_cuda_internal.h"

namespace tca_cuda {

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
    grid_dependents_launch();
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
            mma_strip<NT, PRE>(acc[h], regs, bfr, x, n_rows, a.cols, even_k, my_n, kt, lane);
        }
#pragma unroll
        for (int i = 0; i < STAGES - 1; ++i) ring[i] = ring[i + 1];
    }
    stage_drain();

    store_acc<NT>(acc, 2 * pair, lane, a.rows, n_rows, n_base, split_k, s, y, y_f32, ws);
}

/** mma-semantics 6.3: r = p0; r = r + p1; ... in increasing split order, binary32 RNE adds.
 *  Each thread folds V consecutive outputs (V = 4: 16-byte loads, when the output count is a
 *  multiple of 4) and issues the loads of 8 splits before their adds: the partials sit in L2
 *  after the GEMM, so the kernel is bound by load latency rather than bandwidth. (The whole
 *  reduction step, dependency wait included, costs 2.5-4 us on the small layer shapes; batching
 *  the loads recovered about 0.5 us of it: docs/kernel-notes.md "Layout F v4".) */
constexpr uint32_t kReduceBatch = 8;
template <int V>
__global__ void splitk_reduce_kernel(const float *__restrict__ ws, uint64_t count, uint32_t split_k, uint16_t *y,
                                     uint32_t *y_f32) {
    grid_dependents_launch(); /* a following PDL kernel (the next ZipGEMM-F) may start its prologue */
    grid_dependency_wait();   /* launched early (PDL): wait until the GEMM's partials are all written */
    using Vec = typename std::conditional<V == 4, float4, float>::type;
    const Vec *w = reinterpret_cast<const Vec *>(ws);
    const uint64_t vcount = count / V; /* count % V == 0 */
    for (uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; i < vcount;
         i += (uint64_t)gridDim.x * blockDim.x) {
        float r[V];
        for (uint32_t q0 = 0; q0 < split_k; q0 += kReduceBatch) {
            Vec p[kReduceBatch];
#pragma unroll
            for (uint32_t j = 0; j < kReduceBatch; ++j)
                if (q0 + j < split_k) p[j] = w[(uint64_t)(q0 + j) * vcount + i];
#pragma unroll
            for (uint32_t j = 0; j < kReduceBatch; ++j) {
                if (q0 + j >= split_k) break;
                const float *pv = reinterpret_cast<const float *>(&p[j]);
#pragma unroll
                for (int c = 0; c < V; ++c) r[c] = q0 + j == 0 ? pv[c] : __fadd_rn(r[c], pv[c]);
            }
        }
#pragma unroll
        for (int c = 0; c < V; ++c) {
            if (y) y[V * i + c] = bf16_rne(r[c]);
            if (y_f32) y_f32[V * i + c] = f32_bits(r[c]);
        }
    }
}

#if TCA_CUDA_TUNING
/** The previous reduction (one dependent load per split), kept in tuning builds for A/B timing
 *  (cuda_bench_tune_f probe 4). */
__global__ void splitk_reduce_kernel_chain(const float *__restrict__ ws, uint64_t count, uint32_t split_k,
                                           uint16_t *y, uint32_t *y_f32) {
    grid_dependency_wait();
    for (uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; i < count;
         i += (uint64_t)gridDim.x * blockDim.x) {
        float r = ws[i];
        for (uint32_t s = 1; s < split_k; ++s) r = __fadd_rn(r, ws[(uint64_t)s * count + i]);
        if (y) y[i] = bf16_rne(r);
        if (y_f32) y_f32[i] = f32_bits(r);
    }
}
#endif

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
    return tca_launch_splitk_reduce(ws, n * a.rows, split_k, y, y_f32, stream);
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

/** The deterministic split-K reduction, shared by ZipGEMM v1 and F. */
cudaError_t tca_launch_splitk_reduce(const float *ws, uint64_t count, uint32_t split_k, uint16_t *y, uint32_t *y_f32,
                                     cudaStream_t stream) {
    /* 16-byte loads when every split's plane of partials is 16-byte aligned: the workspace is
     * (any device allocation is) and each plane holds a multiple of 4 outputs */
    const int v = count % 4 == 0 && (reinterpret_cast<uintptr_t>(ws) & 15u) == 0 ? 4 : 1;
    /* 128-thread blocks: the small shapes (a few thousand outputs) spread over more SMs */
    uint64_t blocks = (count / v + 127) / 128;
    if (blocks > 65535ull * 16) blocks = 65535ull * 16;
    if (blocks < 1) blocks = 1;
    /* sm_90: programmatic dependent launch, so the reduction's launch overlaps the GEMM's tail
     * (the GEMM kernels trigger it once all their CTAs run; the reduction waits for their memory
     * with griddepcontrol.wait). Saves a few microseconds on the small layer shapes. */
    cudaLaunchConfig_t cfg = {};
    cfg.gridDim = dim3((unsigned)blocks);
    cfg.blockDim = dim3(128);
    cfg.stream = stream;
    cudaLaunchAttribute attr[1];
    attr[0].id = cudaLaunchAttributeProgrammaticStreamSerialization;
    attr[0].val.programmaticStreamSerializationAllowed = 1;
    if (tca_cuda_has_pdl()) {
        cfg.attrs = attr;
        cfg.numAttrs = 1;
    }
#if TCA_CUDA_TUNING
    if (tca_cuda_knobs().f_probe & 4) {
        cfg.gridDim = dim3((unsigned)((count + 255) / 256 < 65535ull * 16 ? (count + 255) / 256 : 65535ull * 16));
        cfg.blockDim = dim3(256);
        return cudaLaunchKernelEx(&cfg, tca_cuda::splitk_reduce_kernel_chain, ws, count, split_k, y, y_f32);
    }
#endif
    if (v == 4) return cudaLaunchKernelEx(&cfg, tca_cuda::splitk_reduce_kernel<4>, ws, count, split_k, y, y_f32);
    return cudaLaunchKernelEx(&cfg, tca_cuda::splitk_reduce_kernel<1>, ws, count, split_k, y, y_f32);
}

/** Pipeline depth: 2 by default; TCA_CUDA_STAGES=3 selects 3 (for measurements). */
TcaCudaKnobs &tca_cuda_knobs(void) {
    static TcaCudaKnobs k = [] {
        TcaCudaKnobs d;
        const char *e = getenv("TCA_CUDA_STAGES");
        d.stages = e ? atoi(e) : 0;
        if (d.stages < 2 || d.stages > 4) d.stages = 0; /* 0: each kernel's default */
        e = getenv("TCA_CUDA_F_STRIPS");
        d.f_strips = e ? atoi(e) : 0;
        e = getenv("TCA_CUDA_F_MIN_BLOCKS");
        d.f_min_blocks = e ? atoi(e) : -1; /* -1: default */
        e = getenv("TCA_CUDA_F_CTA_WARPS");
        d.f_cta_warps = e ? atoi(e) : 0;
        e = getenv("TCA_CUDA_F_PDL");
        d.f_pdl = e ? atoi(e) != 0 : 1;
        d.f_probe = 0; /* set by cuda_bench_tune_f only */
        return d;
    }();
    return k;
}

int tca_pipeline_stages(void) { return tca_cuda_knobs().stages == 3 ? 3 : 2; }

int tca_cuda_has_pdl(void) {
    int dev = 0, major = 0;
    if (cudaGetDevice(&dev) != cudaSuccess) return 0;
    if (cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev) != cudaSuccess) return 0;
    return major >= 9;
}


cudaError_t tca_launch_zipgemm(const TcaDevArrays &a, const uint16_t *x, uint64_t n, uint32_t split_k, uint16_t *y,
                               uint32_t *y_f32, float *workspace, cudaStream_t stream) {
    using namespace tca_cuda;
    if (tca_pipeline_stages() == 3) return launch_stages<3>(a, x, n, split_k, y, y_f32, workspace, stream);
    return launch_stages<2>(a, x, n, split_k, y, y_f32, workspace, stream);
}
