/* SPDX-License-Identifier: Apache-2.0 */
/* Warp-private staging and decoding of one 16 x 64 strip (median tile, spec 5) into the sixteen
 * bf16x2 mma.sync A-fragment registers of its 16 small tiles (spec 7.3).
 *
 * Staging: 16-byte cp.async copies of the strip's 3 x 16 bitmap words, its SignMantissa range and
 * its Full range (each widened to 16-byte boundaries, which stay inside the global tile's padded
 * slice, spec 6.4, so no copy reads past an array). Offsets come from TOG[g] + TOM[4g+med]; the
 * end of the range from TOM[4g+med+1] or, for the last median tile, TOG[g+1] (both inside their
 * arrays: no read-ahead past TOG, defect D7).
 *
 * Decoding: one popcount per lane per strip (lane l owns 32-bit half-word l of IND = B1|B2|B3)
 * and a 5-step shuffle scan give every half-word its SignMantissa start; a lane then decodes its
 * pair (positions 2l, 2l+1 of each small tile, spec 7.3) with one popcount of the half-word below
 * its position. Fallback positions take Full[(elements before) - (in-window before)]. */
#ifndef TCA_STRIP_DECODE_CUH
#define TCA_STRIP_DECODE_CUH
#include <cuda_runtime.h>
#include <stdint.h>
#include "tca_cuda_internal.h"

namespace tca_cuda {

__device__ __forceinline__ void cp_async16(void *smem_dst, const void *gmem_src) {
    unsigned s = (unsigned)__cvta_generic_to_shared(smem_dst);
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(s), "l"(gmem_src) : "memory");
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::: "memory"); }
template <int N>
__device__ __forceinline__ void cp_async_wait() { asm volatile("cp.async.wait_group %0;\n" ::"n"(N) : "memory"); }

/* sm_90: 1-D bulk copies (TMA engine) completing on a per-stage mbarrier. One lane issues five
 * copies per strip instead of every lane issuing 16-byte cp.async. TCA_CUDA_FORCE_CP_ASYNC (CMake
 * option of the same name) builds the sm_80 cp.async path for sm_90 too, to test it on Hopper. */
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900 && !defined(TCA_CUDA_FORCE_CP_ASYNC)
#define TCA_BULK_COPY 1
#else
#define TCA_BULK_COPY 0
#endif

__device__ __forceinline__ uint32_t shared_ptr(const void *p) { return (uint32_t)__cvta_generic_to_shared(p); }
__device__ __forceinline__ void mbar_init(uint32_t bar) {
    asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;\n" ::"r"(bar) : "memory");
}
__device__ __forceinline__ void mbar_expect_tx(uint32_t bar, uint32_t bytes) {
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;\n" ::"r"(bar), "r"(bytes) : "memory");
}
__device__ __forceinline__ void mbar_wait(uint32_t bar, uint32_t parity) {
    asm volatile(
        "{\n .reg .pred p;\n"
        "WAIT_%=:\n"
        " mbarrier.try_wait.parity.shared::cta.b64 p, [%0], %1;\n"
        " @!p bra WAIT_%=;\n}\n" ::"r"(bar),
        "r"(parity)
        : "memory");
}
__device__ __forceinline__ void bulk_copy(uint32_t dst, const void *src, uint32_t bytes, uint32_t bar) {
    asm volatile("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], %2, [%3];\n" ::"r"(dst),
                 "l"(src), "r"(bytes), "r"(bar)
                 : "memory");
}
__device__ __forceinline__ void fence_proxy_async() { asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory"); }

/** Where a staged strip's data sit in its stage, plus whether its offsets were consistent. */
struct StripInfo {
    uint32_t sm_off;  /* byte offset of the strip's first SignMantissa byte in the sm area */
    uint32_t fu_off;  /* element offset of the strip's first Full element in the full area */
    uint32_t n_sm;    /* SignMantissa bytes in the strip's range (padding included for med 3) */
    uint32_t n_fu;    /* Full elements likewise */
    uint32_t med;     /* median tile index 0..3 */
    uint32_t ok;      /* 1 if the ranges were inside the arrays and the staging area */
};

/** Issue the copies of strip `strip`, K tile `kt` into `stage`. sm_90: lane 0 issues bulk copies
 *  completing on mbarrier `bar` (shared address); earlier GPUs: every lane issues cp.async and
 *  the warp commits one group (always, so the wait counts stay uniform). */
__device__ __forceinline__ StripInfo stage_strip(const TcaDevArrays &a, uint8_t *stage, uint32_t strip, uint32_t kt,
                                                 uint32_t lane, uint32_t bar) {
    StripInfo info;
    const uint64_t g = (uint64_t)(strip >> 2) * a.ktiles + kt;
    const uint32_t med = strip & 3u;
    const uint64_t tog_hf = __ldg(a.tog + 2 * g), tog_fu = __ldg(a.tog + 2 * g + 1);
    const uint64_t hf0 = tog_hf + __ldg(a.tom + 2 * (4 * g + med));
    const uint64_t fu0 = tog_fu + __ldg(a.tom + 2 * (4 * g + med) + 1);
    uint64_t hfe, fue;
    if (med < 3) { /* spec 6.5: the next median tile's start ends this one */
        hfe = tog_hf + __ldg(a.tom + 2 * (4 * g + med + 1));
        fue = tog_fu + __ldg(a.tom + 2 * (4 * g + med + 1) + 1);
    } else { /* spec 6.6: TOG[g+1] (padded) ends the last median tile; g+1 <= G is inside TOG */
        hfe = __ldg(a.tog + 2 * (g + 1));
        fue = __ldg(a.tog + 2 * (g + 1) + 1);
    }
    const uint64_t sa = hf0 & ~(uint64_t)15, sb = (hfe + 15) & ~(uint64_t)15;
    const uint64_t fa = fu0 & ~(uint64_t)7, fb = (fue + 7) & ~(uint64_t)7;
    /* The last 16 bytes of each staging area are never copied into: the pair decoder may read up
     * to 2 bytes / 2 elements past a strip's values (results discarded). */
    uint32_t ok = hf0 <= hfe && sb <= a.sm_len && fu0 <= fue && fb <= a.full_len && (sb - sa) + 16 <= a.cap_sm &&
                  (fb - fa) * 2 + 16 <= a.cap_full;
    uint32_t ns = 0, nf = 0;
    if (ok) {
        ns = (uint32_t)((sb - sa) >> 4);
        nf = (uint32_t)((fb - fa) >> 3);
    } else if (lane == 0) {
        atomicOr(a.err, TCA_CUDA_ERR_OFFSETS);
    }
    /* spec 6.1: small tile t = 64g + 16med + j; three plane ranges of 128 bytes. */
    const uint64_t word0 = 64 * g + 16 * med;
#if TCA_BULK_COPY
    if (lane == 0) {
        fence_proxy_async(); /* the stage's earlier generic reads come before the new async writes */
        const uint32_t dst = shared_ptr(stage);
        mbar_expect_tx(bar, TCA_STRIP_BITMAP_BYTES + 16 * ns + 16 * nf);
        bulk_copy(dst, a.bm[0] + word0, 128, bar);
        bulk_copy(dst + 128, a.bm[1] + word0, 128, bar);
        bulk_copy(dst + 256, a.bm[2] + word0, 128, bar);
        if (ns) bulk_copy(dst + TCA_STRIP_BITMAP_BYTES, a.sm + sa, 16 * ns, bar);
        if (nf) bulk_copy(dst + TCA_STRIP_BITMAP_BYTES + a.cap_sm, a.full + fa, 16 * nf, bar);
    }
#else
    if (lane < 24) {
        const uint32_t plane = lane >> 3, c = lane & 7;
        const uint64_t *src = (plane == 0 ? a.bm[0] : plane == 1 ? a.bm[1] : a.bm[2]) + word0 + 2 * c;
        cp_async16(stage + plane * 128 + c * 16, src);
    }
    {
        const uint8_t *src = a.sm + sa;
        uint8_t *dst = stage + TCA_STRIP_BITMAP_BYTES;
        for (uint32_t c = lane; c < ns; c += 32) cp_async16(dst + 16 * c, src + 16 * (uint64_t)c);
    }
    {
        const uint16_t *src = a.full + fa;
        uint8_t *dst = stage + TCA_STRIP_BITMAP_BYTES + a.cap_sm;
        for (uint32_t c = lane; c < nf; c += 32) cp_async16(dst + 16 * c, src + 8 * (uint64_t)c);
    }
    cp_async_commit();
#endif
    info.sm_off = (uint32_t)(hf0 - sa);
    info.fu_off = (uint32_t)(fu0 - fa);
    info.n_sm = ok ? (uint32_t)(hfe - hf0) : 0;
    info.n_fu = ok ? (uint32_t)(fue - fu0) : 0;
    info.med = med;
    info.ok = ok;
    return info;
}

/** Where a staged pair of strips (median tiles med0, med0+1 of one global tile) sits. */
struct PairInfo {
    uint32_t sm_off, fu_off; /* offsets of the first strip's values in the sm / full areas */
    uint32_t n_sm, n_fu;     /* values in the pair's ranges (padding included for med0 = 2) */
    uint32_t med0;           /* 0 or 2 */
    uint32_t ok;
};

/** Stage strips 2*pair and 2*pair+1 (contiguous in every array, spec 6.1-6.5) for K tile kt:
 *  bitmaps 3 x 256 bytes, one SignMantissa range, one Full range. */
__device__ __forceinline__ PairInfo stage_pair(const TcaDevArrays &a, uint8_t *stage, uint32_t pair, uint32_t kt,
                                               uint32_t lane, uint32_t bar) {
    PairInfo info;
    const uint64_t g = (uint64_t)(pair >> 1) * a.ktiles + kt;
    const uint32_t med0 = (pair & 1u) * 2;
    const uint64_t tog_hf = __ldg(a.tog + 2 * g), tog_fu = __ldg(a.tog + 2 * g + 1);
    const uint64_t hf0 = tog_hf + __ldg(a.tom + 2 * (4 * g + med0));
    const uint64_t fu0 = tog_fu + __ldg(a.tom + 2 * (4 * g + med0) + 1);
    uint64_t hfe, fue;
    if (med0 == 0) { /* spec 6.5: median tile 2 starts where the pair ends */
        hfe = tog_hf + __ldg(a.tom + 2 * (4 * g + 2));
        fue = tog_fu + __ldg(a.tom + 2 * (4 * g + 2) + 1);
    } else { /* spec 6.6: TOG[g+1] (padded); g+1 <= G is inside TOG (no read-ahead, D7) */
        hfe = __ldg(a.tog + 2 * (g + 1));
        fue = __ldg(a.tog + 2 * (g + 1) + 1);
    }
    const uint64_t sa = hf0 & ~(uint64_t)15, sb = (hfe + 15) & ~(uint64_t)15;
    const uint64_t fa = fu0 & ~(uint64_t)7, fb = (fue + 7) & ~(uint64_t)7;
    uint32_t ok = hf0 <= hfe && sb <= a.sm_len && fu0 <= fue && fb <= a.full_len && (sb - sa) + 16 <= a.cap_sm2 &&
                  (fb - fa) * 2 + 16 <= a.cap_full2;
    uint32_t ns = 0, nf = 0;
    if (ok) {
        ns = (uint32_t)((sb - sa) >> 4);
        nf = (uint32_t)((fb - fa) >> 3);
    } else if (lane == 0) {
        atomicOr(a.err, TCA_CUDA_ERR_OFFSETS);
    }
    const uint64_t word0 = 64 * g + 16 * med0;
    uint8_t *const sm_dst = stage + 2 * TCA_STRIP_BITMAP_BYTES;
    uint8_t *const fu_dst = sm_dst + a.cap_sm2;
#if TCA_BULK_COPY
    if (lane == 0) {
        fence_proxy_async();
        const uint32_t dst = shared_ptr(stage);
        mbar_expect_tx(bar, 2 * TCA_STRIP_BITMAP_BYTES + 16 * ns + 16 * nf);
        bulk_copy(dst, a.bm[0] + word0, 256, bar);
        bulk_copy(dst + 256, a.bm[1] + word0, 256, bar);
        bulk_copy(dst + 512, a.bm[2] + word0, 256, bar);
        if (ns) bulk_copy(shared_ptr(sm_dst), a.sm + sa, 16 * ns, bar);
        if (nf) bulk_copy(shared_ptr(fu_dst), a.full + fa, 16 * nf, bar);
    }
#else
    for (uint32_t c = lane; c < 48; c += 32) {
        const uint32_t plane = c >> 4, k = c & 15;
        const uint64_t *src = (plane == 0 ? a.bm[0] : plane == 1 ? a.bm[1] : a.bm[2]) + word0 + 2 * k;
        cp_async16(stage + plane * 256 + k * 16, src);
    }
    for (uint32_t c = lane; c < ns; c += 32) cp_async16(sm_dst + 16 * c, a.sm + sa + 16 * (uint64_t)c);
    for (uint32_t c = lane; c < nf; c += 32) cp_async16(fu_dst + 16 * c, a.full + fa + 8 * (uint64_t)c);
    cp_async_commit();
#endif
    info.sm_off = (uint32_t)(hf0 - sa);
    info.fu_off = (uint32_t)(fu0 - fa);
    info.n_sm = ok ? (uint32_t)(hfe - hf0) : 0;
    info.n_fu = ok ? (uint32_t)(fue - fu0) : 0;
    info.med0 = med0;
    info.ok = ok;
    return info;
}

/** Nothing to stage this iteration (keeps cp.async group counts uniform). */
__device__ __forceinline__ void stage_none() {
#if !TCA_BULK_COPY
    cp_async_commit();
#endif
}
/** Wait until stage use number `it` (iteration index from 0) has landed, all lanes. */
template <int STAGES>
__device__ __forceinline__ void stage_wait(uint32_t bars, uint32_t it) {
#if TCA_BULK_COPY
    mbar_wait(bars + 8 * (it % STAGES), (it / STAGES) & 1u);
#else
    cp_async_wait<STAGES - 1>();
#endif
    __syncwarp();
}
/** Per-warp barrier setup (lane 0), before the first stage_strip. */
template <int STAGES>
__device__ __forceinline__ void stage_init(uint32_t bars, uint32_t lane) {
#if TCA_BULK_COPY
    if (lane == 0) {
        for (int i = 0; i < STAGES; ++i) mbar_init(bars + 8 * i);
        asm volatile("fence.mbarrier_init.release.cluster;\n" ::: "memory");
    }
#endif
    __syncwarp();
}
__device__ __forceinline__ void stage_drain() {
#if !TCA_BULK_COPY
    cp_async_wait<0>();
#endif
}

/* ---------------------------------------------------------------- shared-memory access helpers */

/* The kernels' dynamic shared memory. "Addresses" below are byte offsets into it; plain C++
 * accesses let the compiler schedule the loads freely while __syncwarp still orders them. */
extern __shared__ __align__(16) uint8_t tca_smem[];

__device__ __forceinline__ uint32_t smem_addr(const void *p) {
    return (uint32_t)(reinterpret_cast<const uint8_t *>(p) - tca_smem);
}
__device__ __forceinline__ uint32_t lds_u8(uint32_t a) { return tca_smem[a]; }
__device__ __forceinline__ uint32_t lds_u16(uint32_t a) { return *reinterpret_cast<const uint16_t *>(tca_smem + a); }
__device__ __forceinline__ uint32_t lds_u32(uint32_t a) { return *reinterpret_cast<const uint32_t *>(tca_smem + a); }
__device__ __forceinline__ uint4 lds_v4(uint32_t a) { return *reinterpret_cast<const uint4 *>(tca_smem + a); }
__device__ __forceinline__ void sts_v4(uint32_t a, uint32_t x, uint32_t y, uint32_t z, uint32_t w) {
    *reinterpret_cast<uint4 *>(tca_smem + a) = make_uint4(x, y, z, w);
}
/** Write a decoded 16 x 64 strip staged in shared memory (`out`, row stride `stride` elements)
 *  to the row-major M x K destination at strip row `strip`, K tile kt: 16-byte row segments when
 *  vec_ok (K a multiple of 8, dst 16-byte aligned) and the segment is inside the matrix, element
 *  by element otherwise; padding rows and columns (spec 5.1) are not written. */
__device__ __forceinline__ void store_strip_tile(const uint16_t *out, uint32_t stride, uint16_t *dst, uint32_t strip,
                                                 uint32_t kt, uint64_t rows, uint64_t cols, bool vec_ok,
                                                 uint32_t lane) {
    const uint64_t col0 = (uint64_t)kt * 64;
#pragma unroll
    for (int i = 0; i < 4; ++i) {
        const uint32_t c = lane + 32 * i, row = c >> 3, seg = c & 7;
        const uint64_t m = (uint64_t)strip * 16 + row, k = col0 + seg * 8;
        if (m >= rows || k >= cols) continue;
        const uint16_t *srow = out + row * stride + seg * 8;
        uint16_t *drow = dst + m * cols + k;
        if (vec_ok && k + 8 <= cols) {
            *reinterpret_cast<uint4 *>(drow) = *reinterpret_cast<const uint4 *>(srow);
        } else {
            const uint64_t lim = cols - k < 8 ? cols - k : 8;
            for (uint64_t e = 0; e < lim; ++e) drow[e] = srow[e];
        }
    }
}
__device__ __forceinline__ void sts_u32(uint32_t a, uint32_t x) { *reinterpret_cast<uint32_t *>(tca_smem + a) = x; }
__device__ __forceinline__ uint32_t prmt(uint32_t a, uint32_t b, uint32_t sel) {
    uint32_t d;
    asm("prmt.b32 %0, %1, %2, %3;\n" : "=r"(d) : "r"(a), "r"(b), "r"(sel));
    return d;
}
__device__ __forceinline__ uint32_t rotr(uint32_t x, uint32_t s) { return __funnelshift_r(x, x, s); }
__device__ __forceinline__ uint32_t rotl(uint32_t x, uint32_t s) { return __funnelshift_l(x, x, s); }

/* ---------------------------------------------------------------- pair lookup table
 * Entry for a lane's pair of codes (c0 at position 2l, c1 at 2l+1), index bits as the decoder
 * gathers them: bit0 = c0.b0, bit1 = c1.b0, bit2 = c0.b1, bit3 = c1.b1, bit4 = c0.b2, bit5 = c1.b2.
 * Low half: (base + c0) << 7 with the in-window flag in bit 15 and again in bit 0; high half:
 * (base + c1) << 7 with its flag in bit 31. Fallback codes (0) give 0 in their half.
 * spec 4.2: exponent = base + code for codes 1..7. */
constexpr int kLutBytes = 64 * 4;

__device__ __forceinline__ uint32_t lut_entry(uint32_t idx, uint32_t base) {
    const uint32_t c0 = (idx & 1u) | ((idx >> 1) & 2u) | ((idx >> 2) & 4u);
    const uint32_t c1 = ((idx >> 1) & 1u) | ((idx >> 2) & 2u) | ((idx >> 3) & 4u);
    const uint32_t lo = c0 ? (0x8000u | ((base + c0) << 7) | 1u) : 0u;
    const uint32_t hi = c1 ? (0x8000u | ((base + c1) << 7)) : 0u;
    return lo | (hi << 16);
}

/** Per-lane constants of the pair decoder. */
struct LaneConsts {
    uint32_t q;    /* bit position of the lane's pair inside its 32-bit half-word: (2*lane) % 32 */
    uint32_t q2;   /* (q - 2) mod 32: rotating by it puts the 6-bit index at bits 2..7 (word index) */
    uint32_t m1;   /* bits q, q+1 */
    uint32_t m12;  /* bits q .. q+3 (cyclic) */
    uint32_t low;  /* bits below q */
    uint32_t half; /* which 32-bit half of each 64-bit bitmap word holds the lane's pair */
};
__device__ __forceinline__ LaneConsts lane_consts(uint32_t lane) {
    LaneConsts c;
    c.q = (2 * lane) & 31;
    c.q2 = (c.q + 30) & 31;
    c.m1 = 3u << c.q;
    c.m12 = rotl(15u, c.q);
    c.low = (1u << c.q) - 1u;
    c.half = lane >> 4;
    return c;
}

/* Per-warp scratch for one strip: 32 quads {IND, B1, rotl(B2, 2), rotl(B3, 4)} per 32-bit
 * half-word (512 B), then the half-words' SignMantissa start addresses as [half][tile] (128 B),
 * then the stages' mbarriers (sm_90). */
constexpr uint32_t kScratchBytes = 512 + 128 + 32; /* + up to 4 stage mbarriers */

/** The per-tile pair decode of a strip whose scratch is filled (see decode_strip). BOTH: the
 *  strip may hold pairs whose two elements are both fallback (then Full[f+1] is loaded too). */
template <bool BOTH>
__device__ __forceinline__ void decode_tiles(uint32_t sm_addr, uint32_t fu_addr, uint32_t lane, const LaneConsts &lc,
                                             uint32_t lut, uint32_t scratch, uint32_t regs[16]) {
    /* Fallback element address of the pair's first position, given the in-window count before
     * it as a SignMantissa address: Full[64j + 2l - below] (spec 7.2). */
    const uint32_t fk = fu_addr + 2 * sm_addr + 4 * lane;
    const uint32_t starts = scratch + 512 + 64 * lc.half;
    uint4 st4;
#pragma unroll
    for (int j = 0; j < 16; ++j) {
        if ((j & 3) == 0) st4 = lds_v4(starts + 4 * j);
        const uint32_t start = (j & 3) == 0 ? st4.x : (j & 3) == 1 ? st4.y : (j & 3) == 2 ? st4.z : st4.w;
        const uint4 qd = lds_v4(scratch + 16 * (2 * j + lc.half));
        const uint32_t below = start + __popc(qd.x & lc.low);     /* SignMantissa address of pair */
        const uint32_t t = (qd.y & lc.m1) | (qd.z & ~lc.m1);       /* codes' bit 0 and bit 1 */
        const uint32_t t2 = (t & lc.m12) | (qd.w & ~lc.m12);       /* and bit 2 */
        const uint32_t entry = lds_u32(lut + (rotr(t2, lc.q2) & 0xFCu));
        const uint32_t b0 = lds_u8(below);
        const uint32_t b1 = lds_u8(below + (entry & 1u)); /* second byte follows the first if in-window */
        const uint32_t pm = prmt(b0, b1, 0x4400u);        /* [b0, b0, b1, b1] */
        const uint32_t faddr = fk + 128u * j - 2u * below;
        const uint32_t f0 = lds_u16(faddr);
        uint32_t fb = prmt(f0, 0, 0x1010u); /* at most one fallback: both halves use Full[f] */
        const uint32_t mask = prmt(entry, 0, 0xBB99u); /* flags (bits 15, 31) -> half-word masks */
        const uint32_t vi = (pm & 0x807F807Fu) | (entry & 0x7F807F80u); /* spec 4.3 */
        if (BOTH && mask == 0) fb = f0 | (lds_u16(faddr + 2) << 16); /* both fallback: Full[f], Full[f+1] */
        regs[j] = (vi & mask) | (fb & ~mask);
    }
}

/** Decode a staged strip into regs[j] = the bf16x2 A value of small tile j for this lane
 *  (low half = position 2*lane, high half = 2*lane+1). Zero on inconsistent data (error set).
 *  lut: shared address of the pair table; scratch: shared address of this warp's scratch. */
__device__ __forceinline__ void decode_strip(const TcaDevArrays &a, const uint8_t *stage, const StripInfo &info,
                                             uint32_t lane, const LaneConsts &lc, uint32_t lut, uint32_t scratch,
                                             uint32_t regs[16]) {
    const uint32_t *bm32 = reinterpret_cast<const uint32_t *>(stage);
    const uint32_t sm_addr = smem_addr(stage + TCA_STRIP_BITMAP_BYTES) + info.sm_off;
    const uint32_t fu_addr = smem_addr(stage + TCA_STRIP_BITMAP_BYTES + a.cap_sm) + 2 * info.fu_off;
    /* Half-word `lane` of the strip (tile lane/2, half lane%2) of each plane. */
    const uint32_t w1 = bm32[lane], w2 = bm32[32 + lane], w3 = bm32[64 + lane];
    const uint32_t ind_l = w1 | w2 | w3; /* spec 6.1: in-window indicator */
    const uint32_t cnt = __popc(ind_l);
    uint32_t incl = cnt;
#pragma unroll
    for (int d = 1; d < 32; d <<= 1) {
        const uint32_t v = __shfl_up_sync(0xFFFFFFFFu, incl, d);
        if (lane >= (uint32_t)d) incl += v;
    }
    const uint32_t total = __shfl_sync(0xFFFFFFFFu, incl, 31);
    /* spec 6.5/6.4: the ranges must hold exactly the strip's values (plus the global tile's
     * minimal padding after the last median tile). */
    bool consistent;
    if (info.med < 3)
        consistent = info.n_sm == total && info.n_fu == 1024u - total;
    else
        consistent = info.n_sm >= total && info.n_sm - total < 16u && info.n_fu >= 1024u - total &&
                     info.n_fu - (1024u - total) < 8u;
    if (!info.ok || !consistent) {
        if (info.ok && lane == 0) atomicOr(a.err, TCA_CUDA_ERR_COUNTS);
#pragma unroll
        for (int j = 0; j < 16; ++j) regs[j] = 0;
        return;
    }
    sts_v4(scratch + 16 * lane, ind_l, w1, rotl(w2, 2), rotl(w3, 4));
    sts_u32(scratch + 512 + 4 * ((lane & 1) * 16 + (lane >> 1)), sm_addr + incl - cnt);
    __syncwarp();
    /* About 80% of Gaussian strips have no pair with two fallback elements: they take the
     * variant without the second Full load (warp-uniform choice, decode-performance.md 3.3). */
    const bool both = __any_sync(0xFFFFFFFFu, ((~ind_l) & (~ind_l >> 1) & 0x55555555u) != 0);
    if (both) decode_tiles<true>(sm_addr, fu_addr, lane, lc, lut, scratch, regs);
    else decode_tiles<false>(sm_addr, fu_addr, lane, lc, lut, scratch, regs);
}

/** Prelude of a staged pair: each lane's half-words of both strips and their scans. */
struct PairPrelude {
    uint32_t w[2][3], ind[2], excl[2];
    uint32_t sm_addr[2], fu_addr[2];
    bool ok;
};

__device__ __forceinline__ PairPrelude pair_prelude(const TcaDevArrays &a, const uint8_t *stage,
                                                    const PairInfo &info, uint32_t lane) {
    PairPrelude pp;
    const uint32_t *bm32 = reinterpret_cast<const uint32_t *>(stage); /* plane stride 64 words */
    uint32_t incl[2], cnt[2];
#pragma unroll
    for (int h = 0; h < 2; ++h) {
#pragma unroll
        for (int p = 0; p < 3; ++p) pp.w[h][p] = bm32[64 * p + 32 * h + lane];
        pp.ind[h] = pp.w[h][0] | pp.w[h][1] | pp.w[h][2]; /* spec 6.1 */
        cnt[h] = __popc(pp.ind[h]);
        incl[h] = cnt[h];
    }
#pragma unroll
    for (int d = 1; d < 32; d <<= 1) {
        const uint32_t v0 = __shfl_up_sync(0xFFFFFFFFu, incl[0], d);
        const uint32_t v1 = __shfl_up_sync(0xFFFFFFFFu, incl[1], d);
        if (lane >= (uint32_t)d) {
            incl[0] += v0;
            incl[1] += v1;
        }
    }
    const uint32_t t0 = __shfl_sync(0xFFFFFFFFu, incl[0], 31), t1 = __shfl_sync(0xFFFFFFFFu, incl[1], 31);
    const uint32_t total = t0 + t1;
    /* spec 6.5/6.4: the pair's ranges hold exactly its values (plus the global tile's minimal
     * padding when it ends the tile). */
    bool consistent;
    if (info.med0 == 0)
        consistent = info.n_sm == total && info.n_fu == 2048u - total;
    else
        consistent = info.n_sm >= total && info.n_sm - total < 16u && info.n_fu >= 2048u - total &&
                     info.n_fu - (2048u - total) < 8u;
    pp.ok = info.ok && consistent;
    if (info.ok && !consistent && lane == 0) atomicOr(a.err, TCA_CUDA_ERR_COUNTS);
    pp.excl[0] = incl[0] - cnt[0];
    pp.excl[1] = incl[1] - cnt[1];
    pp.sm_addr[0] = smem_addr(stage + 2 * TCA_STRIP_BITMAP_BYTES) + info.sm_off;
    pp.fu_addr[0] = smem_addr(stage + 2 * TCA_STRIP_BITMAP_BYTES + a.cap_sm2) + 2 * info.fu_off;
    pp.sm_addr[1] = pp.sm_addr[0] + t0;               /* strip B follows strip A (spec 6.2) */
    pp.fu_addr[1] = pp.fu_addr[0] + 2 * (1024u - t0); /* (spec 6.3) */
    return pp;
}

/** Decode strip h (0 or 1) of a pair whose prelude is pp. Ends with the scratch free again. */
template <int H>
__device__ __forceinline__ void decode_pair_strip(const PairPrelude &pp, uint32_t lane, const LaneConsts &lc,
                                                  uint32_t lut, uint32_t scratch, uint32_t regs[16]) {
    if (!pp.ok) {
#pragma unroll
        for (int j = 0; j < 16; ++j) regs[j] = 0;
        return;
    }
    sts_v4(scratch + 16 * lane, pp.ind[H], pp.w[H][0], rotl(pp.w[H][1], 2), rotl(pp.w[H][2], 4));
    sts_u32(scratch + 512 + 4 * ((lane & 1) * 16 + (lane >> 1)), pp.sm_addr[H] + pp.excl[H]);
    __syncwarp();
    const uint32_t ind = pp.ind[H];
    const bool both = __any_sync(0xFFFFFFFFu, ((~ind) & (~ind >> 1) & 0x55555555u) != 0);
    if (both) decode_tiles<true>(pp.sm_addr[H], pp.fu_addr[H], lane, lc, lut, scratch, regs);
    else decode_tiles<false>(pp.sm_addr[H], pp.fu_addr[H], lane, lc, lut, scratch, regs);
    __syncwarp(); /* the scratch is rewritten by the next strip */
}

} // namespace tca_cuda
#endif
