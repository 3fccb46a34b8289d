/* SPDX-License-Identifier: Apache-2.0 */
/* Layout F (spec 8): warp-private staging of one or two adjacent 16 x 64 strips and their decoding
 * into the sixteen bf16x2 mma.sync A-fragment registers per strip (spec 8.2 = spec 7.3 mapping).
 *
 * Staging (per K tile): the strip records are fixed-size and contiguous (strip s = 4g + med, spec
 * 8.2), so NS strips are one copy of 1408*NS bytes; their exception slices are contiguous too,
 * Exception_Offsets[s] .. Exception_Offsets[s+NS], 16-byte aligned and a multiple of 16 long
 * (spec 8.5, 8.6), so they are a second copy. sm_90: two cp.async.bulk copies by one lane on a
 * per-stage mbarrier; sm_80: 16-byte cp.async by all lanes (strip_decode.cuh primitives).
 *
 * Decoding, per lane and strip (docs/kernel-notes.md "Layout F", "Layout F v3"):
 *   prelude  three conflict-free 32-bit code-word loads (spec 8.3), slice 3's codes from the
 *            spare bits, fallback flags per nibble as bit 3 (~(c + 7) & 8), the lane's exception
 *            count (one popc), a 5-step shfl.up scan for start(l) (spec 8.5, two strips per scan
 *            word), and two 16-byte loads of the lane's sign-mantissa bytes (spec 8.4);
 *   window   fast path: the lane's first 7 exception bytes and a zero byte (three aligned 32-bit
 *            loads, two funnel shifts), each byte rotated right by one bit; a warp-uniform rare
 *            path (vote.any: some lane has more than kFWindowFast = 7 exceptions in the strip)
 *            loads an 8-byte window per slice instead;
 *   slice    per 4 elements: exponent bytes by one prmt over the table {rot(base + c)} with the
 *            nibble codes as selectors (code 0 selects byte 0 = 0, spec 8.3 "why" (2)); exception
 *            bytes by one prmt over the window with selectors rank(l, e) (one IMAD per slice:
 *            flags * 0x02222222 + running rank replicated in every nibble), non-fallback
 *            selectors forced onto the zero byte, added to the table bytes by one IMAD;
 *   merge    per 4 elements, two LOP3 bit-selects make the low bytes (rot(E) & 0x80) | (b & 0x7F)
 *            and the high bytes (b & 0x80) | (rot(E) & 0x7F) of four BF16 values and two prmt
 *            interleave them: x = (s << 15) | (E << 7) | m (spec 4.3, 8.5).
 * Shifts, disjoint-byte adds and flag arithmetic run as IMAD on the FMA pipe (FMul): the ALU pipe
 * bounded the kernels. */
#ifndef TCA_STRIP_DECODE_F_CUH
#define TCA_STRIP_DECODE_F_CUH
#include <cuda_runtime.h>
#include <stdint.h>
#include "strip_decode.cuh"
#include "tca_cuda_internal.h"

namespace tca_cuda {

constexpr uint32_t kFRec = TCA_TBE_F_STRIP_BYTES; /* 1408: codes (384) + sign-mantissa (1024) */
constexpr uint32_t kFSm = TCA_TBE_F_CODES_BYTES;  /* 384: record offset of the sign-mantissa bytes */
constexpr uint32_t kFSlack = 16;                  /* never-copied bytes after the exceptions */

/** A staged group's exception bytes and whether its offsets were usable. Only the group's two
 *  outer offsets are read: the per-strip slice starts inside the group follow from the strips'
 *  codes (spec 8.6: XO[s+1] - XO[s] = ceil16(n_s)), which the upload validated against the table
 *  (spec 8.8) and f_group re-derives, so two loads and two registers per stage instead of NS + 1. */
struct FStageInfo {
    uint32_t nexc; /* XO[s+NS] - XO[s] bytes of exception slices staged; 0 when !ok */
    uint32_t ok;   /* offsets ordered, 16-aligned, inside Exceptions and the staging capacity */
};

/** Staging bytes of one stage of NS strips: the records, NS strips' worth of exception capacity
 *  (each slice <= cap_exc1, spec 8.6 Max_Exceptions) and the never-copied slack (D4: per matrix). */
__host__ __device__ __forceinline__ uint32_t f_stage_bytes(const TcaDevArraysF &a, int ns) {
    return (uint32_t)ns * (TCA_TBE_F_STRIP_BYTES + a.cap_exc1) + 16u;
}

/** Strip index in the F stream of strip row `srow` (16-row units of the padded matrix) at K tile
 *  kt, with GC = ktiles global-tile columns: g = (srow / 4) * GC + kt, s = 4g + srow % 4 (spec
 *  5.2, 8.2). Strip rows 2p and 2p+1 are strips s and s+1 of one global tile. */
__host__ __device__ __forceinline__ uint64_t f_strip_index(uint32_t ktiles, uint32_t srow, uint32_t kt) {
    return 4 * ((uint64_t)(srow >> 2) * ktiles + kt) + (srow & 3u);
}

/** Issue the copies of NS strips starting at strip row srow (NS = 2: srow even, strips 4g+0,1 or
 *  4g+2,3 of one global tile; NS = 4: srow a multiple of 4, the whole global tile) for K tile kt
 *  into `stage`. */
template <int NS>
__device__ __forceinline__ FStageInfo stage_f(const TcaDevArraysF &a, uint8_t *stage, uint32_t srow, uint32_t kt,
                                              uint32_t lane, uint32_t bar) {
    static_assert(NS == 1 || NS == 2 || NS == 4, "strips of one global tile row");
    const uint64_t s = f_strip_index(a.ktiles, srow, kt);
    /* spec 8.6: the group's slices are [XO[s], XO[s+NS]); s + NS <= 4G is inside the table */
    const uint64_t x0 = __ldg(a.xo + s), x1 = __ldg(a.xo + s + NS);
    const bool ok = x0 <= x1 && x1 <= a.exc_len && x1 - x0 <= (uint64_t)NS * a.cap_exc1 && ((x0 | x1) & 15u) == 0;
    if (!ok && lane == 0) atomicOr(a.err, TCA_CUDA_ERR_F_OFFSETS);
    const uint32_t nexc = ok ? (uint32_t)(x1 - x0) : 0;
    const uint8_t *rec = a.strips + (uint64_t)kFRec * s;
#if TCA_BULK_COPY
    if (lane == 0) {
        fence_proxy_async(); /* the stage's earlier generic reads come before the new async writes */
        const uint32_t dst = shared_ptr(stage);
        mbar_expect_tx(bar, kFRec * NS + nexc);
        bulk_copy(dst, rec, kFRec * NS, bar);
        if (nexc) bulk_copy(dst + kFRec * NS, a.exc + x0, nexc, bar);
    }
#else
    for (uint32_t c = lane; c < kFRec * NS / 16; c += 32) cp_async16(stage + 16 * c, rec + 16 * c);
    for (uint32_t c = lane; c < nexc / 16; c += 32) cp_async16(stage + kFRec * NS + 16 * c, a.exc + x0 + 16 * c);
    cp_async_commit();
#endif
    return FStageInfo{nexc, ok ? 1u : 0u};
}

/* ---------------------------------------------------------------- pure decode arithmetic
 * Everything from here to f_decode is __host__ __device__ and reads memory only through a `Mem`
 * accessor (u32 / v4 at a byte address): the device uses shared memory (SharedMem), and the
 * host-side test cuda/tests/test_f_decode_host.cu runs the very same code over a byte array. */
#define TCA_F_HD __host__ __device__ __forceinline__
#ifdef __CUDA_ARCH__
#define TCA_F_UNROLL _Pragma("unroll")
#else
#define TCA_F_UNROLL /* the host compiler does not know the pragma */
#endif

/** prmt.b32 (default mode): byte j of the result is byte (sel_j & 7) of {b:a}; when bit 3 of the
 *  selector nibble is set, that byte's sign bit replicated (0x00 or 0xFF). */
TCA_F_HD uint32_t f_prmt(uint32_t a, uint32_t b, uint32_t sel) {
#ifdef __CUDA_ARCH__
    uint32_t d;
    asm("prmt.b32 %0, %1, %2, %3;\n" : "=r"(d) : "r"(a), "r"(b), "r"(sel));
    return d;
#else
    const uint64_t src = ((uint64_t)b << 32) | a;
    uint32_t d = 0;
    for (int j = 0; j < 4; ++j) {
        const uint32_t nib = (sel >> (4 * j)) & 0xFu;
        uint32_t byte = (uint32_t)(src >> (8 * (nib & 7u))) & 0xFFu;
        if (nib & 8u) byte = (byte & 0x80u) ? 0xFFu : 0u;
        d |= byte << (8 * j);
    }
    return d;
#endif
}
TCA_F_HD uint32_t f_popc(uint32_t x) {
#ifdef __CUDA_ARCH__
    return __popc(x);
#else
    return (uint32_t)__builtin_popcount(x);
#endif
}
/** (a & m) | (b & ~m) as one LOP3 (ptxas splits a constant-mask select written in C into two;
 *  decode-performance.md 3.5). */
TCA_F_HD uint32_t f_select(uint32_t a, uint32_t b, uint32_t m) {
#ifdef __CUDA_ARCH__
    uint32_t d;
    asm("lop3.b32 %0, %1, %2, %3, 0xE4;\n" : "=r"(d) : "r"(a), "r"(b), "r"(m)); /* a:F0 b:CC m:AA */
    return d;
#else
    return (a & m) | (b & ~m);
#endif
}
/** funnel shift right of {hi:lo} by sh (0..31) */
TCA_F_HD uint32_t f_shr64(uint32_t lo, uint32_t hi, uint32_t sh) {
#ifdef __CUDA_ARCH__
    return __funnelshift_r(lo, hi, sh);
#else
    return (uint32_t)((((uint64_t)hi << 32) | lo) >> (sh & 31u));
#endif
}

/** Multipliers that let the decoder run shifts, adds and flag arithmetic as IMAD on the FMA pipe
 *  instead of on the integer ALU pipe, which bounds the F kernels (ncu: ALU 75 % busy, stalls on
 *  its throttle; docs/kernel-notes.md "Layout F v3"). They must reach the kernel as data the
 *  compilers cannot see (a field of the matrix descriptor, i.e. a kernel parameter): a literal 1
 *  or 2^16 is folded back into an ALU add or shift. */
struct FMul {
    uint32_t one;    /* 1: a * one + b = a + b */
    uint32_t minus1; /* 0xFFFFFFFF: a * minus1 + b = b - a */
    uint32_t shr16;  /* 0x10000: mulhi(a, shr16) = a >> 16 */
};
TCA_F_HD FMul f_mul_host() { return FMul{1u, 0xFFFFFFFFu, 0x10000u}; }
TCA_F_HD uint32_t f_mad(uint32_t a, uint32_t b, uint32_t c) { return a * b + c; }
TCA_F_HD uint32_t f_mulhi(uint32_t a, uint32_t b) {
#ifdef __CUDA_ARCH__
    return __umulhi(a, b);
#else
    return (uint32_t)(((uint64_t)a * b) >> 32);
#endif
}

/** Shared-memory accessor of the device kernels: byte addresses into tca_smem. */
struct SharedMem {
    __device__ __forceinline__ uint32_t u32(uint32_t a) const { return lds_u32(a); }
    __device__ __forceinline__ uint4 v4(uint32_t a) const { return lds_v4(a); }
};

/** rot(E) = (E >> 1) | ((E & 1) << 7) in each byte: its low 7 bits are the exponent's bits 1..7
 *  (bits 8..14 of the BF16 pattern), its sign bit the exponent's bit 0 (bit 7 of the pattern). */
TCA_F_HD uint32_t rot_bytes(uint32_t w) {
    return f_select(w >> 1, w << 7, 0x7F7F7F7Fu);
}
/** The exponent table: byte c of {t0, t1} = rot(base + c) for c = 1..7 (spec 4.2: exponent =
 *  base + code; base + 7 <= 255, no carry between bytes), byte 0 = 0 (fallback: the exception
 *  byte is merged in instead). */
TCA_F_HD void f_table(uint32_t base, uint32_t &t0, uint32_t &t1) {
    const uint32_t b = base * 0x01010101u;
    t0 = rot_bytes(b + 0x03020100u) & 0xFFFFFF00u; /* code 0 -> 0 */
    t1 = rot_bytes(b + 0x07060504u);
}

/** Per-lane prelude of one strip: codes and fallback flags of the four slices. */
struct FLane {
    uint32_t c[4];  /* slice i's eight 3-bit codes, one per nibble (bit 3 of each nibble clear) */
    uint32_t f[4];  /* bit 3 of nibble n set iff element n of slice i is a fallback (code 0) */
    uint32_t cnt;   /* the lane's fallback elements in the strip, 0..32 */
};

/** From the lane's three code words (i, l), i = 0..2 (spec 8.3). */
TCA_F_HD FLane f_lane_words(uint32_t w0, uint32_t w1, uint32_t w2, const FMul &M) {
    FLane L;
    /* spec 8.3: slice 3's code bit i is the spare bit 4n+3 of word (i, l) */
    L.c[3] = ((w0 >> 3) & 0x11111111u) | ((w1 >> 2) & 0x22222222u) | ((w2 >> 1) & 0x44444444u);
    L.c[0] = w0 & 0x77777777u;
    L.c[1] = w1 & 0x77777777u;
    L.c[2] = w2 & 0x77777777u;
    uint32_t all = 0;
TCA_F_UNROLL
    for (int i = 0; i < 4; ++i) {
        /* code + 7 reaches 8 exactly for codes 1..7 (no carry between nibbles: at most 14) */
        L.f[i] = ~f_mad(L.c[i], M.one, 0x77777777u) & 0x88888888u;
        all |= L.f[i] >> (3 - i); /* disjoint bits: one popc for the four slices */
    }
    L.cnt = f_popc(all);
    return L;
}

/** 8 exception bytes at byte address xa (any alignment) as two words, each byte rotated
 *  (rot_bytes). Reads the 12 bytes from xa & ~3 (up to 11 past the 8th: the stage's slack). */
template <class Mem>
TCA_F_HD void f_window(const Mem &mem, uint32_t xa, uint32_t &w0, uint32_t &w1) {
    const uint32_t al = xa & ~3u, sh = (xa & 3u) * 8;
    const uint32_t u0 = mem.u32(al), u1 = mem.u32(al + 4), u2 = mem.u32(al + 8);
    w0 = rot_bytes(f_shr64(u0, u1, sh));
    w1 = rot_bytes(f_shr64(u1, u2, sh));
}

/** Merge rotated exponent bytes e (4 elements) with their sign-mantissa bytes sm (4 bytes) into
 *  two bf16x2 registers: x = (b & 0x80) << 8 | E << 7 | (b & 0x7F) (spec 8.5). The low byte of
 *  x is (rot(E) & 0x80) | (b & 0x7F) and the high byte (b & 0x80) | (rot(E) & 0x7F), so one
 *  LOP3 makes the four low bytes, one the four high bytes, and two PRMTs interleave them. */
TCA_F_HD void f_merge(uint32_t e, uint32_t sm, uint32_t &r0, uint32_t &r1) {
    const uint32_t lo = f_select(sm, e, 0x7F7F7F7Fu), hi = f_select(e, sm, 0x7F7F7F7Fu);
    r0 = f_prmt(lo, hi, 0x5140u); /* [lo0, hi0, lo1, hi1] */
    r1 = f_prmt(lo, hi, 0x7362u); /* [lo2, hi2, lo3, hi3] */
}

/** The fast path's window holds a lane's first kFWindowFast exception bytes and a zero byte (byte
 *  7); a strip where some lane has more fallbacks takes the rare path (warp-uniform choice). */
constexpr uint32_t kFWindowFast = 7;

/** Decode one staged strip for lane `lane`: regs[4i + k] = A register k of slice i (spec 8.2:
 *  register k holds elements 2k, 2k+1). rec: byte address of the strip record; xa: byte address
 *  of the lane's first exception byte (strip slice start + start(l), spec 8.5). RARE: some lane
 *  of the warp has more than kFWindowFast exceptions in this strip (warp-uniform choice).
 *
 *  Exception bytes (spec 8.5): one PRMT per 4 elements over the lane's window with the ranks as
 *  selectors. Fast path: byte 7 of the window is zero and every non-fallback selector nibble is
 *  forced to 7 (rank | 7, or 15 = sign mode on the zero byte: still 0), so the exception bytes are
 *  zero outside fallbacks, the table bytes are zero at fallbacks, and one IMAD adds them: no byte
 *  masks, no ALU op. Rare path: an 8-byte window per slice, masked by the codes. */
template <bool RARE, class Mem>
TCA_F_HD void f_decode(const Mem &mem, uint32_t rec, const FLane &L, uint32_t xa, uint32_t lane, uint32_t t0,
                       uint32_t t1, const FMul &M, uint32_t regs[16]) {
    /* spec 8.4: slices 2h, 2h+1 of lane l are 16 contiguous bytes at 384 + 512h + 16l */
    const uint32_t sma = rec + kFSm + 16 * lane;
    const uint4 s01 = mem.v4(sma), s23 = mem.v4(sma + 512);
    const uint32_t smw[8] = {s01.x, s01.y, s01.z, s01.w, s23.x, s23.y, s23.z, s23.w};
    uint32_t w0 = 0, w1 = 0, rrep = 0, r = 0;
    if (!RARE) {
        f_window(mem, xa, w0, w1);
        w1 &= 0x00FFFFFFu; /* byte 7: the zero the non-fallback selectors point at */
    }
TCA_F_UNROLL
    for (int i = 0; i < 4; ++i) {
        const uint32_t c = L.c[i], f = L.f[i];
        if (RARE) { /* at most 8 fallbacks per slice: a window at the slice's first rank */
            f_window(mem, xa + r, w0, w1);
            r += f_popc(f);
        }
        /* nibble n: rank of element n among the lane's fallbacks (spec 8.5 rank(l, e)), relative
         * to the window: running count replicated + fallbacks before n in this slice (<= 14, so
         * no carry between nibbles) */
        uint32_t sel = f * 0x02222222u + rrep;
        const uint32_t chi = f_mulhi(c, M.shr16);
        const uint32_t x0 = f_prmt(t0, t1, c), x1 = f_prmt(t0, t1, chi);
        uint32_t ex0, ex1;
        if (!RARE) {
            /* 7 in every non-fallback nibble: 0x88888888 - f has 8 there, and mulhi(g, 7 << 29)
             * is 7g/8 exactly */
            sel |= f_mulhi(f_mad(f, M.minus1, 0x88888888u), 0xE0000000u);
            ex0 = f_mad(f_prmt(w0, w1, sel), M.one, x0); /* disjoint bytes: + is | */
            ex1 = f_mad(f_prmt(w0, w1, f_mulhi(sel, M.shr16)), M.one, x1);
            rrep += f_popc(f) * 0x11111111u;
        } else {
            const uint32_t e0 = f_prmt(w0, w1, sel), e1 = f_prmt(w0, w1, f_mulhi(sel, M.shr16));
            /* 0xFF where code 0: the codes select byte 0 of {0, 0xFF} (no shift of the flags) */
            const uint32_t m0 = f_prmt(0xFFu, 0, c), m1 = f_prmt(0xFFu, 0, chi);
            ex0 = x0 | (e0 & m0);
            ex1 = x1 | (e1 & m1);
        }
        f_merge(ex0, smw[2 * i], regs[4 * i + 0], regs[4 * i + 1]);
        f_merge(ex1, smw[2 * i + 1], regs[4 * i + 2], regs[4 * i + 3]);
    }
}

/** Prelude of NG adjacent staged strips: per-lane codes and the scan giving each lane's exception
 *  start. A stage of NS strips is walked in groups (NG = 2 for NS = 4: only two strips' codes are
 *  live at a time, which keeps the N = 16 kernel's registers down); the exception cursor X runs
 *  through the stage's exception bytes from group to group. */
template <int NG>
struct FGroup {
    FLane L[NG];
    uint32_t xa[NG]; /* shared byte address of the lane's first exception byte per strip */
    bool rare[NG];
    bool ok;         /* the group's exceptions lie inside the staged bytes (else: f_decode_strip) */
};

/** The exception cursor of one stage: `next` is the shared address of the next strip's slice,
 *  `end` the end of the staged exception bytes. spec 8.6: each slice is ceil16(n_s) bytes. */
struct FCursor {
    uint32_t next, end;
    bool ok;
};
__device__ __forceinline__ FCursor f_cursor(const uint8_t *stage, int ns, const FStageInfo &info) {
    const uint32_t x = smem_addr(stage + kFRec * ns);
    return FCursor{x, x + info.nexc, info.ok != 0};
}

/** Inclusive warp scan step: x += (value of lane - d) where that lane exists; the shuffle's own
 *  predicate guards the add (one SHFL + one predicated IADD, no compare and select). */
template <int D>
__device__ __forceinline__ void f_scan_step(uint32_t &x) {
    asm("{\n\t.reg .pred p;\n\t.reg .b32 v;\n\t"
        "shfl.sync.up.b32 v|p, %0, %1, 0, -1;\n\t"
        "@p add.u32 %0, %0, v;\n\t}"
        : "+r"(x)
        : "n"(D));
}

/** Group of NG strips starting at stage strip h0 (records at stage + 1408 h0). */
template <int NG>
__device__ __forceinline__ FGroup<NG> f_group(const uint8_t *stage, int h0, FCursor &X, uint32_t lane, const FMul &M) {
    FGroup<NG> G;
    /* Two strips' counts share one scan word (16 bits each: a strip holds at most 1024
     * exceptions, so no carry crosses into the upper half). */
    constexpr int NP = (NG + 1) / 2;
    uint32_t incl[NP];
#pragma unroll
    for (int j = 0; j < NP; ++j) incl[j] = 0;
#pragma unroll
    for (int h = 0; h < NG; ++h) {
        /* spec 8.3: word (i, l) at record byte 4 (32 i + l): three conflict-free loads */
        const uint32_t *cw = reinterpret_cast<const uint32_t *>(stage + kFRec * (h0 + h));
        G.L[h] = f_lane_words(cw[lane], cw[32 + lane], cw[64 + lane], M);
        incl[h / 2] += G.L[h].cnt << (16 * (h & 1));
    }
    /* spec 8.5: start(l) = exclusive prefix sum of the lanes' counts */
#pragma unroll
    for (int j = 0; j < NP; ++j) {
        f_scan_step<1>(incl[j]);
        f_scan_step<2>(incl[j]);
        f_scan_step<4>(incl[j]);
        f_scan_step<8>(incl[j]);
        f_scan_step<16>(incl[j]);
    }
#pragma unroll
    for (int j = 0; j < NP; ++j) {
        const uint32_t tot = __shfl_sync(0xFFFFFFFFu, incl[j], 31);
#pragma unroll
        for (int h = 2 * j; h < 2 * j + 2 && h < NG; ++h) {
            const uint32_t sh = 16 * (h & 1);
            const uint32_t total = (tot >> sh) & 0xFFFFu, mine = (incl[j] >> sh) & 0xFFFFu;
            G.xa[h] = X.next + mine - G.L[h].cnt;
            X.next += (total + 15u) & ~15u; /* spec 8.6: the slice is ceil16(n_s) bytes */
            G.rare[h] = __any_sync(0xFFFFFFFFu, G.L[h].cnt > kFWindowFast);
        }
    }
    /* every lane's reads (windows up to 11 bytes past the 8th exception: the slack) stay inside
     * the staged exception bytes */
    G.ok = X.ok && X.next <= X.end;
    return G;
}

/** After the stage's last group: the slices must fill the staged bytes exactly (spec 8.6). */
__device__ __forceinline__ void f_cursor_check(const TcaDevArraysF &a, const FCursor &X, uint32_t lane) {
    if (X.ok && X.next != X.end && lane == 0) atomicOr(a.err, TCA_CUDA_ERR_F_COUNTS);
}

/** The per-warp constants of the decode: the exponent table and the FMA-pipe multipliers (FMul,
 *  from the matrix descriptor). The table is moved into per-lane registers by an identity shuffle:
 *  computed from a kernel parameter it is warp-uniform, ptxas keeps such values in uniform
 *  registers, and a PRMT cannot read those, so every table lookup paid an IMAD.MOV (8 per strip
 *  in the H200 SASS) in a kernel bound by instruction issue. One SHFL per value, once per warp. */
struct FConsts {
    uint32_t t0, t1;
    FMul mul;
};
__device__ __forceinline__ FConsts f_consts(const TcaDevArraysF &a) {
    uint32_t t0, t1;
    f_table(a.base, t0, t1);
    const uint32_t l = threadIdx.x & 31u;
    return FConsts{__shfl_sync(0xFFFFFFFFu, t0, l), __shfl_sync(0xFFFFFFFFu, t1, l),
                   FMul{a.mul_one, a.mul_minus1, a.mul_shr16}};
}

/** Decode strip h of a staged group. An inconsistent group (its error bit is already set; upload
 *  validation makes this unreachable, spec 8.8) is decoded with the record's own first bytes as its
 *  exceptions (xa = rec): the result is unspecified, every read stays inside the stage, and no
 *  branch or register zeroing is spent on it. */
template <int NG>
__device__ __forceinline__ void f_decode_strip(const uint8_t *stage, const FGroup<NG> &G, int h0, int h, uint32_t lane,
                                               const FConsts &K, uint32_t regs[16]) {
    const SharedMem mem;
    const uint32_t rec = smem_addr(stage + kFRec * (h0 + h));
    const uint32_t xa = G.ok ? G.xa[h] : rec; /* rare path reads at most xa + 32 + 12 < rec + 1408 */
    if (G.rare[h]) f_decode<true>(mem, rec, G.L[h], xa, lane, K.t0, K.t1, K.mul, regs);
    else f_decode<false>(mem, rec, G.L[h], xa, lane, K.t0, K.t1, K.mul, regs);
}

} // namespace tca_cuda
#endif
