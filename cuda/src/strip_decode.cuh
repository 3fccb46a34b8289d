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

/** Where a staged strip's data sit in its stage, plus whether its offsets were consistent. */
struct StripInfo {
    uint32_t sm_off;  /* byte offset of the strip's first SignMantissa byte in the sm area */
    uint32_t fu_off;  /* element offset of the strip's first Full element in the full area */
    uint32_t n_sm;    /* SignMantissa bytes in the strip's range (padding included for med 3) */
    uint32_t n_fu;    /* Full elements likewise */
    uint32_t med;     /* median tile index 0..3 */
    uint32_t ok;      /* 1 if the ranges were inside the arrays and the staging area */
};

/** Issue (all lanes) the copies of strip `strip`, K tile `kt` into `stage`, and commit them as
 *  one group. Always commits a group, so the wait counts stay uniform. */
__device__ __forceinline__ StripInfo stage_strip(const TcaDevArrays &a, uint8_t *stage, uint32_t strip, uint32_t kt,
                                                 uint32_t lane) {
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
    uint32_t ok = hf0 <= hfe && sb <= a.sm_len && fu0 <= fue && fb <= a.full_len && (sb - sa) <= a.cap_sm &&
                  (fb - fa) * 2 <= a.cap_full;
    uint32_t ns = 0, nf = 0;
    if (ok) {
        ns = (uint32_t)((sb - sa) >> 4);
        nf = (uint32_t)((fb - fa) >> 3);
    } else if (lane == 0) {
        atomicOr(a.err, TCA_CUDA_ERR_OFFSETS);
    }
    const uint64_t word0 = 64 * g + 16 * med; /* spec 6.1: small tile t = 64g + 16med + j */
    const uint32_t total = 24 + ns + nf;
    for (uint32_t i = lane; i < total; i += 32) {
        const void *src;
        uint32_t dst;
        if (i < 24) {
            const uint32_t plane = i >> 3, c = i & 7;
            src = (plane == 0 ? a.bm[0] : plane == 1 ? a.bm[1] : a.bm[2]) + word0 + 2 * c;
            dst = plane * 128 + c * 16;
        } else if (i < 24 + ns) {
            const uint32_t c = i - 24;
            src = a.sm + sa + 16 * (uint64_t)c;
            dst = TCA_STRIP_BITMAP_BYTES + 16 * c;
        } else {
            const uint32_t c = i - 24 - ns;
            src = a.full + fa + 8 * (uint64_t)c;
            dst = TCA_STRIP_BITMAP_BYTES + a.cap_sm + 16 * c;
        }
        cp_async16(stage + dst, src);
    }
    cp_async_commit();
    info.sm_off = (uint32_t)(hf0 - sa);
    info.fu_off = (uint32_t)(fu0 - fa);
    info.n_sm = ok ? (uint32_t)(hfe - hf0) : 0;
    info.n_fu = ok ? (uint32_t)(fue - fu0) : 0;
    info.med = med;
    info.ok = ok;
    return info;
}

__device__ __forceinline__ uint32_t make_in_window(uint32_t byte, uint32_t exponent) {
    /* spec 4.3: sign from bit 7, mantissa from bits 6..0, exponent = base + code */
    return ((byte & 0x80u) << 8) | (exponent << 7) | (byte & 0x7Fu);
}

/** Decode a staged strip into regs[j] = the bf16x2 A value of small tile j for this lane
 *  (low half = position 2*lane, high half = 2*lane+1). Zero on inconsistent data (error set). */
__device__ __forceinline__ void decode_strip(const TcaDevArrays &a, const uint8_t *stage, const StripInfo &info,
                                             uint32_t lane, uint32_t regs[16]) {
    const uint32_t *bm32 = reinterpret_cast<const uint32_t *>(stage);
    const uint8_t *smb = stage + TCA_STRIP_BITMAP_BYTES + info.sm_off;
    const uint16_t *fu = reinterpret_cast<const uint16_t *>(stage + TCA_STRIP_BITMAP_BYTES + a.cap_sm) + info.fu_off;
    /* Half-word `lane` of the strip's IND (tile lane/2, half lane%2). */
    const uint32_t ind_l = bm32[lane] | bm32[32 + lane] | bm32[64 + lane];
    const uint32_t cnt = __popc(ind_l);
    uint32_t incl = cnt;
#pragma unroll
    for (int d = 1; d < 32; d <<= 1) {
        const uint32_t v = __shfl_up_sync(0xFFFFFFFFu, incl, d);
        if (lane >= (uint32_t)d) incl += v;
    }
    const uint32_t total = __shfl_sync(0xFFFFFFFFu, incl, 31);
    const uint32_t excl = incl - cnt;
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
    const uint32_t half = lane >> 4;
    const uint32_t q = (2 * lane) & 31;
    const uint32_t low = (1u << q) - 1u;
    const uint32_t base = a.base;
#pragma unroll
    for (int j = 0; j < 16; ++j) {
        const uint32_t hw = 2 * j + half;
        const uint32_t start = __shfl_sync(0xFFFFFFFFu, excl, hw);
        const uint32_t w1 = bm32[hw], w2 = bm32[32 + hw], w3 = bm32[64 + hw];
        const uint32_t ind = w1 | w2 | w3;
        const uint32_t below0 = start + __popc(ind & low);
        const uint32_t t1 = w1 >> q, t2 = w2 >> q, t3 = w3 >> q;
        const uint32_t i0 = (ind >> q) & 1u, i1 = (ind >> q >> 1) & 1u;
        const uint32_t c0 = (t1 & 1u) | ((t2 & 1u) << 1) | ((t3 & 1u) << 2);
        const uint32_t c1 = ((t1 >> 1) & 1u) | (t2 & 2u) | ((t3 & 2u) << 1);
        const uint32_t before = 64u * j + 2u * lane; /* elements of the strip before position 2l */
        uint32_t x0, x1;
        if (i0) x0 = make_in_window(smb[below0], base + c0);
        else x0 = fu[before - below0];
        const uint32_t below1 = below0 + i0;
        if (i1) x1 = make_in_window(smb[below1], base + c1);
        else x1 = fu[before + 1 - below1];
        regs[j] = x0 | (x1 << 16);
    }
}

} // namespace tca_cuda
#endif
