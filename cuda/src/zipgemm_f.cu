/* SPDX-License-Identifier: Apache-2.0 */
/* ZipGEMM for layout F (spec 8): Y = X * W^T, fused decode + mma.sync m16n8k16 (bf16 in, f32
 * accumulate), under the same GEMM contract and with the same work split, B loads, epilogue and
 * split-K reduction as the v1 kernel (zipgemm.cu, gemm_common.cuh):
 *
 * one warp owns NS = 2 or 4 strip rows (a 32-row slab: strips 4g+0,1 or 4g+2,3 of each global tile
 * of its row; or a 64-row tile row: strips 4g+0..3), which are adjacent records and adjacent
 * exception slices (spec 8.2, 8.6), and one split-K range of
 * 64-wide K tiles [floor(sT/S), floor((s+1)T/S)) (mma-semantics 6.3). It walks its K tiles in
 * increasing order and, inside each, the four k16 slices in increasing order, one mma.sync each
 * into the strip's accumulators starting at +0 (mma-semantics 6.2): the same instruction sequence
 * per output as the v1 kernel, so the results are bit-identical to it and to tca_gemm_ref.
 *
 * Per K tile a warp stages NS x 1408 record bytes plus the strips' exception slices (two bulk
 * copies on sm_90), then walks its strips two at a time: the pair's prelude (one shared scan),
 * strip 0 -> 4 k16 slices of MMAs -> strip 1 -> ... No CTA barrier and no shared lookup table:
 * the exponent table lives in two registers (strip_decode_f.cuh). The B fragments of a K tile are
 * loaded once and shared by the NS strips. Pipeline depth, NS and the register bound are launch
 * knobs (TcaCudaKnobs), chosen from the measurements in docs/kernel-notes.md. */
#include <cuda_runtime.h>
#include <stdint.h>
#include "gemm_common.cuh"
#include "strip_decode_f.cuh"
#include "tca_cuda_internal.h"

namespace tca_cuda {

/* Per warp: 32 bytes of mbarriers (up to 4 stages), then STAGES stages of NS strips. */
constexpr uint32_t kFBarBytes = 32;

template <int STAGES>
__host__ __device__ constexpr size_t f_warp_smem_bytes(uint32_t stage_bytes) {
    return kFBarBytes + (size_t)STAGES * stage_bytes;
}

template <int NT, int STAGES, int NS, int W>
__device__ __forceinline__ void zipgemm_f_body(const TcaDevArraysF &a, const uint16_t *__restrict__ x, uint64_t n_rows,
                                               uint32_t split_k, uint16_t *y, uint32_t *y_f32, float *ws) {
    grid_dependents_launch();
    /* W = 1: one warp per CTA, so the warp's row and every staging address derive from blockIdx
     * alone and ptxas can keep them in uniform registers (off the integer ALU pipe) */
    const uint32_t lane = threadIdx.x & 31, warp = W == 1 ? 0u : threadIdx.x >> 5;
    const uint32_t srow0 = (blockIdx.x * W + warp) * NS; /* first strip row of this warp */
    if (srow0 >= a.strips_m) return; /* strips_m is a multiple of 4; warps are independent */
    const uint32_t s = blockIdx.y;
    /* mma-semantics 6.3: split s covers K tiles [floor(sT/S), floor((s+1)T/S)) */
    const uint32_t t0 = (uint32_t)(((uint64_t)s * a.ktiles) / split_k);
    const uint32_t t1 = (uint32_t)(((uint64_t)(s + 1) * a.ktiles) / split_k);
    const uint64_t n_base = (uint64_t)blockIdx.z * (8 * NT);
    const uint32_t stage_bytes = f_stage_bytes(a, NS);
    uint8_t *wsm = tca_smem + (size_t)warp * f_warp_smem_bytes<STAGES>(stage_bytes);
    uint8_t *stages = wsm + kFBarBytes;
    const bool even_k = (a.cols & 1) == 0 && (reinterpret_cast<uintptr_t>(x) & 3) == 0;
    const uint64_t my_n = n_base + (lane >> 2);
    const FConsts K = f_consts(a);

    float acc[NS][NT][4];
#pragma unroll
    for (int h = 0; h < NS; ++h)
#pragma unroll
        for (int i = 0; i < NT; ++i) acc[h][i][0] = acc[h][i][1] = acc[h][i][2] = acc[h][i][3] = 0.0f;

    const uint32_t bars = shared_ptr(wsm);
    stage_init<STAGES>(bars, lane);
    FStageInfo ring[STAGES];
#pragma unroll
    for (int i = 0; i < STAGES - 1; ++i) {
        if (t0 + i < t1) ring[i] = stage_f<NS>(a, stages + i * stage_bytes, srow0, t0 + i, lane, bars + 8 * i);
        else stage_none();
    }
    /* Launched with programmatic dependent launch (sm_90), the kernel may start while the previous
     * kernel of the stream still runs: W is the caller's immutable upload, so its first tiles are
     * already on their way; X, Y and the workspace may belong to that kernel, so nothing touches
     * them before it has completed and its memory is visible. A no-op without PDL. */
    grid_dependency_wait();
    for (uint32_t kt = t0; kt < t1; ++kt) {
        const uint32_t it = kt - t0;
        if (kt + STAGES - 1 < t1)
            ring[STAGES - 1] = stage_f<NS>(a, stages + ((it + STAGES - 1) % STAGES) * stage_bytes, srow0,
                                           kt + STAGES - 1, lane, bars + 8 * ((it + STAGES - 1) % STAGES));
        else
            stage_none();
        /* B fragments for this K tile (shared by the NS strips), loaded before the wait. */
        constexpr int PRE = NT <= 4 ? 4 : 1;
        uint32_t bfr[PRE][NT][2];
        if (PRE == 4) load_b_tile<NT, 0, PRE>(x, n_rows, a.cols, even_k, my_n, kt, lane, bfr);
        stage_wait<STAGES>(bars, it);
        const uint8_t *stage = stages + (it % STAGES) * stage_bytes;
        /* strips in groups of two (spec 8.5 scans two at a time): fewer live registers at NS = 4 */
        constexpr int NG = NS < 2 ? NS : 2;
        FCursor X = f_cursor(stage, NS, ring[0]);
        bool probe_skip = false;
#if TCA_CUDA_TUNING
        probe_skip = (a.probe & 2u) != 0; /* timing probe: staging and B loads only, no decode or MMA */
        if (probe_skip && lane == 32) acc[0][0][0] += __uint_as_float(bfr[0][0][0]); /* keeps bfr live */
#endif
        if (!probe_skip) {
#pragma unroll
            for (int h0 = 0; h0 < NS; h0 += NG) {
                const FGroup<NG> G = f_group<NG>(stage, h0, X, lane, K.mul);
#pragma unroll
                for (int h = 0; h < NG; ++h) {
                    uint32_t regs[16];
                    f_decode_strip<NG>(stage, G, h0, h, lane, K, regs);
                    mma_strip<NT, PRE>(acc[h0 + h], regs, bfr, x, n_rows, a.cols, even_k, my_n, kt, lane);
                }
            }
            f_cursor_check(a, X, lane);
        }
        __syncwarp(); /* every lane is done with this stage before lane 0 refills it */
#pragma unroll
        for (int i = 0; i < STAGES - 1; ++i) ring[i] = ring[i + 1];
    }
    stage_drain();
    store_acc<NT>(acc, srow0, lane, a.rows, n_rows, n_base, split_k, s, y, y_f32, ws);
}

/* The kernel; an explicit minimum-blocks bound changes ptxas's register choices even when it is
 * 1 (67 -> 92 registers for NT = 1), so the unbounded kernel is separate from the bounded one. */
template <int NT, int STAGES, int NS, int W>
__global__ void __launch_bounds__(W * 32)
    zipgemm_f_kernel(const TcaDevArraysF a, const uint16_t *__restrict__ x, uint64_t n_rows, uint32_t split_k,
                     uint16_t *y, uint32_t *y_f32, float *ws) {
    zipgemm_f_body<NT, STAGES, NS, W>(a, x, n_rows, split_k, y, y_f32, ws);
}
template <int NT, int STAGES, int NS, int W, int MINB>
__global__ void __launch_bounds__(W * 32, MINB)
    zipgemm_f_kernel_bounded(const TcaDevArraysF a, const uint16_t *__restrict__ x, uint64_t n_rows,
                             uint32_t split_k, uint16_t *y, uint32_t *y_f32, float *ws) {
    zipgemm_f_body<NT, STAGES, NS, W>(a, x, n_rows, split_k, y, y_f32, ws);
}

using FKernel = void (*)(const TcaDevArraysF, const uint16_t *, uint64_t, uint32_t, uint16_t *, uint32_t *, float *);

/** One launch configuration: the kernel and the parameters its grid and shared memory follow. */
struct FLaunch {
    FKernel kernel;
    int nt, stages, ns, w;
    size_t smem(const TcaDevArraysF &a) const {
        return (size_t)w * (kFBarBytes + (size_t)stages * f_stage_bytes(a, ns));
    }
    uint32_t ctas_m(const TcaDevArraysF &a) const { /* CTAs per split and column block */
        return (a.strips_m / (uint32_t)ns + (uint32_t)w - 1) / (uint32_t)w; /* strips_m: a multiple of 4 */
    }
};

template <int NT, int STAGES, int NS, int W>
static FKernel pick_bound(int minb) {
#if TCA_CUDA_TUNING
    if (minb == 4) return zipgemm_f_kernel_bounded<NT, STAGES, NS, W, 4>;
    if (minb == 6) return zipgemm_f_kernel_bounded<NT, STAGES, NS, W, 6>;
#endif
    (void)minb;
    return zipgemm_f_kernel<NT, STAGES, NS, W>;
}

template <int STAGES, int NS, int W>
static FLaunch pick_nt(uint64_t n, int minb) {
    if (n <= 8) return {zipgemm_f_kernel<1, STAGES, NS, W>, 1, STAGES, NS, W};
    if (n <= 16) return {pick_bound<2, STAGES, NS, W>(minb), 2, STAGES, NS, W};
    if (n <= 32) return {pick_bound<4, STAGES, NS, W>(minb), 4, STAGES, NS, W};
    return {zipgemm_f_kernel<8, STAGES, NS, W>, 8, STAGES, NS, W};
}

template <int STAGES, int NS>
static FLaunch pick_w(uint64_t n, int minb, int w) {
    if (w == 1) return pick_nt<STAGES, NS, 1>(n, minb);
    return pick_nt<STAGES, NS, 4>(n, minb);
}

/* The default configuration (docs/kernel-notes.md, "Layout F v2" measurements on an H200): two
 * stages; 32-row slabs (2 strips per warp) for N <= 8, where more warps per SM win, and 64-row
 * tile rows (4 strips per warp) above, where sharing each K tile's B fragments over 4 strips
 * wins; one warp per CTA (measured 1.030x vs 1.014x at N = 1, 0.984x vs 0.995x at N = 8, equal at
 * N = 16: within run-to-run noise, kept for the simpler uniform addressing;
 * TCA_CUDA_F_CTA_WARPS = 4 selects four). A tuning build
 * (-DTCA_CUDA_TUNING=1) instantiates every configuration the knobs name. */
constexpr int kFDefaultStages = 2;
constexpr int kFDefaultWarps = 1;
static int f_default_strips(uint64_t n) { return n <= 8 ? 2 : 4; }

static FLaunch pick_f_kernel(uint64_t n) {
    const TcaCudaKnobs &kn = tca_cuda_knobs();
    const int w = kn.f_cta_warps == 1 || kn.f_cta_warps == 4 ? kn.f_cta_warps : kFDefaultWarps;
    const int minb = kn.f_min_blocks;
#if TCA_CUDA_TUNING
    const int stages = kn.stages ? kn.stages : kFDefaultStages;
    const int ns = kn.f_strips ? kn.f_strips : f_default_strips(n);
    if (ns == 4) {
        if (stages == 3) return pick_w<3, 4>(n, minb, w);
        if (stages == 4) return pick_w<4, 4>(n, minb, w);
        return pick_w<2, 4>(n, minb, w);
    }
    if (stages == 3) return pick_w<3, 2>(n, minb, w);
    if (stages == 4) return pick_w<4, 2>(n, minb, w);
    return pick_w<2, 2>(n, minb, w);
#else
    /* only the default stages and strips per warp are instantiated */
    if (f_default_strips(n) == 2) return w == 1 ? FLaunch{zipgemm_f_kernel<1, kFDefaultStages, 2, 1>, 1, kFDefaultStages, 2, 1}
                              : FLaunch{zipgemm_f_kernel<1, kFDefaultStages, 2, 4>, 1, kFDefaultStages, 2, 4};
    return pick_w<kFDefaultStages, 4>(n, minb, w);
#endif
}

} // namespace tca_cuda

cudaError_t tca_launch_zipgemm_f(const TcaDevArraysF &a, const uint16_t *x, uint64_t n, uint32_t split_k, uint16_t *y,
                                 uint32_t *y_f32, float *workspace, cudaStream_t stream) {
    using namespace tca_cuda;
    const FLaunch L = pick_f_kernel(n);
    const size_t smem = L.smem(a);
    cudaError_t e = cudaFuncSetAttribute(L.kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem);
    if (e != cudaSuccess) return e;
    const uint64_t nz = (n + 8 * (uint64_t)L.nt - 1) / (8 * (uint64_t)L.nt);
    if (nz > 65535) return cudaErrorInvalidConfiguration;
    dim3 grid(L.ctas_m(a), split_k, (unsigned)nz);
    TcaDevArraysF ap = a;
    ap.probe = 0;
#if TCA_CUDA_TUNING
    ap.probe = (uint32_t)tca_cuda_knobs().f_probe; /* timing probes: wrong results by design */
#endif
    cudaLaunchConfig_t cfg = {};
    cfg.gridDim = grid;
    cfg.blockDim = dim3((unsigned)L.w * 32);
    cfg.dynamicSmemBytes = smem;
    cfg.stream = stream;
    cudaLaunchAttribute attr[1];
    attr[0].id = cudaLaunchAttributeProgrammaticStreamSerialization;
    attr[0].val.programmaticStreamSerializationAllowed = 1;
    if (tca_cuda_has_pdl() && tca_cuda_knobs().f_pdl) { /* overlap the previous kernel's tail */
        cfg.attrs = attr;
        cfg.numAttrs = 1;
    }
    e = cudaLaunchKernelEx(&cfg, L.kernel, ap, x, n, split_k, y, y_f32, workspace);
    if (e != cudaSuccess || split_k == 1 || (ap.probe & 1u)) return e;
    return tca_launch_splitk_reduce(workspace, n * a.rows, split_k, y, y_f32, stream);
}

uint32_t tca_zipgemm_f_auto_split(const TcaDevArraysF &a, uint64_t n) {
    /* From the best-S columns of the H200 tuning runs (docs/kernel-notes.md, "Layout F v2"): the
     * time steps up whenever the grid spills a few CTAs into one more wave, so S fills whole waves
     * of resident CTAs (occupancy of the kernel that will run, at this matrix's shared memory):
     * S = floor(k * slots / CTAs per split) for the smallest k >= 1 that leaves each warp at most
     * 12 K tiles (N <= 8: many short warps hide the copy latency best) or 32 K tiles (N > 8: a
     * longer warp amortises its B fragments), and at least 4 K tiles per warp (cap T/4). */
    using namespace tca_cuda;
    const FLaunch L = pick_f_kernel(n);
    const size_t smem = L.smem(a);
    int per_sm = 0;
    if (cudaFuncSetAttribute(L.kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)smem) != cudaSuccess ||
        cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, L.kernel, L.w * 32, smem) != cudaSuccess ||
        per_sm < 1)
        per_sm = 1;
    const uint64_t slots = (uint64_t)tca_cuda_sm_count() * (uint64_t)per_sm;
    const uint64_t nz = (n + 8 * (uint64_t)L.nt - 1) / (8 * (uint64_t)L.nt);
    const uint64_t ctas = (uint64_t)L.ctas_m(a) * nz; /* per split */
    const uint64_t t = a.ktiles;
    const uint64_t tmax = n <= 8 ? 12 : 32;
    uint64_t smax = t / 4;
    if (smax < 1) smax = 1;
    uint64_t s = 1;
    for (uint64_t k = 1; k <= 64; ++k) {
        s = k * slots / ctas;
        if (s < 1) s = 1;
        if (s >= smax || (t + s - 1) / s <= tmax) break;
    }
    if (s > smax) s = smax;
    if (s > 65535) s = 65535;
    return (uint32_t)s;
}
