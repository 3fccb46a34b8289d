/* SPDX-License-Identifier: Apache-2.0 */
/* x86-64 SSSE3 + POPCNT paths of the layout v1 encoder and decoder, one median tile (16 small
 * tiles, spec 5.2) per call, chosen at run time. They compute exactly what the portable paths in
 * encode.c and decode.c compute (check_tbe_simd compares the two bit for bit), without a branch
 * per row: a row's 8-bit in-window mask m (spec 7.2: IND) indexes pshufb control vectors
 * (simd_x86_tables.h) that squeeze the fallback lanes out of the SignMantissa bytes and the
 * in-window lanes out of the Full values when encoding (spec 6.2, 6.3), and open the gaps again
 * when decoding. Every row stores a whole vector of each stream and advances by the row's count,
 * so up to 8 SignMantissa bytes / 8 Full elements of scratch land after the data written so far
 * (the encoder's arrays have room; later data or the padding of spec 6.4 overwrites them), and
 * the decoder reads up to 16 bytes from its current position in each stream (the caller
 * guarantees that they are readable). Also here: the exponent histogram of the window selection
 * (spec 4.5; SSSE3 and AVX2) and validation's median-tile popcounts (POPCNT). Elsewhere (other
 * CPUs, other compilers) the getters return NULL and the portable paths run; the level set by
 * tca__tbe_simd_allow lets the tests run every path on one machine. */
#include "tbe/tbe_internal.h"

static int simd_allowed = 2;

void tca__tbe_simd_allow(int level) { simd_allowed = level < 0 ? 0 : level > 2 ? 2 : level; }

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include "tbe/simd_x86_tables.h"

#define TCA_TBE_TARGET __attribute__((target("ssse3,popcnt")))

static int cpu_has_ssse3_popcnt(void)
{
    /* libgcc initialises the CPU model in a constructor, before any caller can get here */
    return __builtin_cpu_supports("ssse3") && __builtin_cpu_supports("popcnt");
}

static inline __m128i load_ctrl(const uint8_t *row) { return _mm_loadu_si128((const __m128i *)(const void *)row); }

TCA_TBE_TARGET static unsigned encode_median_ssse3(const uint16_t *src, size_t stride, unsigned w0, uint8_t *sm,
                                                   uint8_t *full, uint8_t *p1, uint8_t *p2, uint8_t *p3)
{
    const __m128i w0v = _mm_set1_epi16((short)w0), six = _mm_set1_epi16(6), one = _mm_set1_epi16(1);
    const __m128i zero = _mm_setzero_si128(), ff = _mm_set1_epi16(0xFF), m80 = _mm_set1_epi16(0x80),
                  m7f = _mm_set1_epi16(0x7F);
    unsigned n = 0, f = 0; /* SignMantissa bytes / Full elements written for this median tile */
    for (unsigned j = 0; j < 16; j++) {
        const uint16_t *tile = src + (size_t)tca__tbe_small_row0(0, j) * stride + tca__tbe_small_col0(j);
        uint64_t w1 = 0, w2 = 0, w3 = 0;
        for (unsigned r = 0; r < 8; r += 2) { /* rows r, r + 1: positions p = 8r .. 8r + 15 */
            __m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)(tile + r * stride));
            __m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(tile + (r + 1) * stride));
            /* spec 4.2: d = e - w0 (16-bit, wraps below the window); code = d + 1 if d <= 6 */
            __m128i d0 = _mm_sub_epi16(_mm_and_si128(_mm_srli_epi16(x0, 7), ff), w0v);
            __m128i d1 = _mm_sub_epi16(_mm_and_si128(_mm_srli_epi16(x1, 7), ff), w0v);
            __m128i c0 = _mm_and_si128(_mm_add_epi16(d0, one), _mm_cmpeq_epi16(_mm_subs_epu16(d0, six), zero));
            __m128i c1 = _mm_and_si128(_mm_add_epi16(d1, one), _mm_cmpeq_epi16(_mm_subs_epu16(d1, six), zero));
            __m128i codes = _mm_packus_epi16(c0, c1); /* byte 8k + c: code of element (r + k, c) */
            /* spec 4.3: (s << 7) | m */
            __m128i s0 = _mm_or_si128(_mm_and_si128(_mm_srli_epi16(x0, 8), m80), _mm_and_si128(x0, m7f));
            __m128i s1 = _mm_or_si128(_mm_and_si128(_mm_srli_epi16(x1, 8), m80), _mm_and_si128(x1, m7f));
            __m128i smb = _mm_packus_epi16(s0, s1);
            /* spec 6.1: plane k holds code bit k; bit k of each byte moved to bit 7 for movemask
             * (16-bit shifts by at most 7 keep each byte's bit 7 from its own byte) */
            unsigned q1 = (unsigned)_mm_movemask_epi8(_mm_slli_epi16(codes, 7));
            unsigned q2 = (unsigned)_mm_movemask_epi8(_mm_slli_epi16(codes, 6));
            unsigned q3 = (unsigned)_mm_movemask_epi8(_mm_slli_epi16(codes, 5));
            unsigned ind = q1 | q2 | q3, m0 = ind & 0xFFu, m1 = ind >> 8;
            /* spec 6.2: in-window bytes in increasing p; spec 6.3: fallback values likewise */
            _mm_storel_epi64((__m128i *)(void *)(sm + n), _mm_shuffle_epi8(smb, load_ctrl(tbe_sse_compress8[m0])));
            n += (unsigned)__builtin_popcount(m0);
            _mm_storel_epi64((__m128i *)(void *)(sm + n),
                             _mm_shuffle_epi8(_mm_srli_si128(smb, 8), load_ctrl(tbe_sse_compress8[m1])));
            n += (unsigned)__builtin_popcount(m1);
            _mm_storeu_si128((__m128i *)(void *)(full + 2 * f), _mm_shuffle_epi8(x0, load_ctrl(tbe_sse_compress16[m0 ^ 0xFFu])));
            f += 8u - (unsigned)__builtin_popcount(m0);
            _mm_storeu_si128((__m128i *)(void *)(full + 2 * f), _mm_shuffle_epi8(x1, load_ctrl(tbe_sse_compress16[m1 ^ 0xFFu])));
            f += 8u - (unsigned)__builtin_popcount(m1);
            w1 = (w1 >> 16) | ((uint64_t)q1 << 48); /* after 4 pairs rows 0, 1 are in bits 0..15 */
            w2 = (w2 >> 16) | ((uint64_t)q2 << 48);
            w3 = (w3 >> 16) | ((uint64_t)q3 << 48);
        }
        tca__st64(p1 + 8 * j, w1);
        tca__st64(p2 + 8 * j, w2);
        tca__st64(p3 + 8 * j, w3);
    }
    return n;
}

/* Decode one row of a small tile: plane bytes x1, x2, x3 (spec 6.1), SignMantissa bytes from
 * sm + *n, Full values from full + 2 * *f (both advanced), 8 values to out. */
TCA_TBE_TARGET static inline void decode_row_ssse3(unsigned x1, unsigned x2, unsigned x3, __m128i base7,
                                                   const uint8_t *sm, const uint8_t *full, unsigned *n, unsigned *f,
                                                   uint16_t *out)
{
    const __m128i m807f = _mm_set1_epi16((short)0x807F);
    /* spec 4.1: code << 7 in each 16-bit lane; non-zero exactly in the in-window lanes */
    __m128i code7 = _mm_or_si128(_mm_or_si128(load_ctrl(tbe_sse_code16[0][x1]), load_ctrl(tbe_sse_code16[1][x2])),
                                 load_ctrl(tbe_sse_code16[2][x3]));
    __m128i in = _mm_cmpgt_epi16(code7, _mm_setzero_si128());
    __m128i exp7 = _mm_add_epi16(code7, _mm_and_si128(in, base7)); /* (base + code) << 7, base <= 248 */
    unsigned m = x1 | x2 | x3, fm = m ^ 0xFFu; /* spec 7.2: IND bits of the row */
    /* spec 4.3: the in-window lanes' SignMantissa bytes s, as s << 8 | s masked to sign and mantissa */
    __m128i sb = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(sm + *n)),
                                  load_ctrl(tbe_sse_expand8[m]));
    __m128i sm16 = _mm_and_si128(_mm_unpacklo_epi8(sb, sb), m807f);
    /* spec 4.4: fallback lanes take the next Full values verbatim (zero in the other lanes) */
    __m128i fv = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(full + 2 * *f)),
                                  load_ctrl(tbe_sse_expand16[fm]));
    *n += (unsigned)__builtin_popcount(m);
    *f += (unsigned)__builtin_popcount(fm);
    _mm_storeu_si128((__m128i *)(void *)out, _mm_or_si128(_mm_or_si128(exp7, sm16), fv));
}

TCA_TBE_TARGET static unsigned decode_median_ssse3(const uint8_t *p1, const uint8_t *p2, const uint8_t *p3,
                                                   unsigned base, const uint8_t *sm, const uint8_t *full, uint16_t *out,
                                                   size_t stride)
{
    const __m128i base7 = _mm_set1_epi16((short)(base << 7));
    unsigned n = 0, f = 0; /* values consumed from each stream (spec 7.2 prefix counts) */
    for (unsigned j = 0; j < 16; j++) {
        uint64_t b1 = tca__le64(p1 + 8 * j), b2 = tca__le64(p2 + 8 * j), b3 = tca__le64(p3 + 8 * j);
        uint16_t *tile = out + (size_t)tca__tbe_small_row0(0, j) * stride + tca__tbe_small_col0(j);
        /* row r: bits 8r .. 8r + 7 of each plane word (spec 5.3); constant shifts */
        for (unsigned r = 0; r < 8; r++, b1 >>= 8, b2 >>= 8, b3 >>= 8)
            decode_row_ssse3((unsigned)b1 & 0xFFu, (unsigned)b2 & 0xFFu, (unsigned)b3 & 0xFFu, base7, sm, full, &n, &f,
                             tile + r * stride);
    }
    return n;
}

/* spec 4.5: exponent counts of n elements added to sub. Weights concentrate on a few exponents,
 * so a range of RANGE exponents [lo, lo + RANGE - 1] (the densest one in a sample of the first
 * elements) is counted with byte compares into RANGE vectors of byte counters (RANGE + 4 vectors
 * fit the 16 registers), which are summed (psadbw) every 255 blocks of 16 elements; the few
 * elements outside that range are counted one by one. When more than 1/32 of the sample lies
 * outside its densest range, all are counted one by one. Every element is counted exactly once
 * either way. */
#define RANGE 12
static const uint8_t range_values[RANGE][16] = {
#define TCA_V16(v) {v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v}
    TCA_V16(0), TCA_V16(1), TCA_V16(2), TCA_V16(3), TCA_V16(4),  TCA_V16(5),
    TCA_V16(6), TCA_V16(7), TCA_V16(8), TCA_V16(9), TCA_V16(10), TCA_V16(11),
#undef TCA_V16
};

/* The densest range of RANGE exponents in a sample (the first 4096 elements): its first exponent
 * in *lo; returns 0 when more than 1/32 of the sample lies outside it (then counting one by one
 * is faster). */
static int densest_range(const uint16_t *w, uint64_t n, unsigned *lo)
{
    uint32_t sample[256] = {0};
    uint64_t ns = n < 4096 ? n : 4096;
    for (uint64_t i = 0; i < ns; i++) sample[(w[i] >> 7) & 0xFFu]++;
    uint64_t cov = 0, best;
    for (unsigned e = 0; e < RANGE; e++) cov += sample[e];
    best = cov;
    *lo = 0;
    for (unsigned e = 1; e + RANGE <= 256; e++) {
        cov = cov - sample[e - 1] + sample[e + RANGE - 1];
        if (cov > best) {
            best = cov;
            *lo = e;
        }
    }
    return 32 * (ns - best) <= ns;
}

TCA_TBE_TARGET static void count_exponents_ssse3(const uint16_t *w, uint64_t n, uint32_t sub[8][256])
{
    uint32_t *h = sub[0];
    unsigned lo;
    uint64_t i = 0;
    if (densest_range(w, n, &lo)) {
        const __m128i ff = _mm_set1_epi16(0xFF), lov = _mm_set1_epi8((char)lo), zero = _mm_setzero_si128(),
                      top = _mm_set1_epi8((char)(255 - RANGE));
        while (i + 16 <= n) {
            __m128i a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero,
                    a8 = zero, a9 = zero, a10 = zero, a11 = zero;
            uint64_t blocks = (n - i) / 16;
            if (blocks > 255) blocks = 255; /* byte counters: at most 255 per lane */
            for (uint64_t b = 0; b < blocks; b++, i += 16) {
                __m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)(w + i));
                __m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(w + i + 8));
                __m128i e = _mm_packus_epi16(_mm_and_si128(_mm_srli_epi16(x0, 7), ff),
                                             _mm_and_si128(_mm_srli_epi16(x1, 7), ff));
                __m128i d = _mm_sub_epi8(e, lov); /* wraps: outside the range means d >= RANGE */
                /* d >= RANGE (unsigned) <=> saturating d + (255 - RANGE) == 255 */
                unsigned out = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_adds_epu8(d, top), _mm_set1_epi8(-1)));
                for (; out; out &= out - 1) h[(w[i + (unsigned)__builtin_ctz(out)] >> 7) & 0xFFu]++;
#define TCA_ACC(k) a##k = _mm_sub_epi8(a##k, _mm_cmpeq_epi8(d, _mm_loadu_si128((const __m128i *)(const void *)range_values[k])))
                TCA_ACC(0);
                TCA_ACC(1);
                TCA_ACC(2);
                TCA_ACC(3);
                TCA_ACC(4);
                TCA_ACC(5);
                TCA_ACC(6);
                TCA_ACC(7);
                TCA_ACC(8);
                TCA_ACC(9);
                TCA_ACC(10);
                TCA_ACC(11);
#undef TCA_ACC
            }
            const __m128i acc[RANGE] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11};
            for (unsigned v = 0; v < RANGE; v++) {
                __m128i t = _mm_sad_epu8(acc[v], zero);
                h[lo + v] += (uint32_t)_mm_cvtsi128_si32(t) + (uint32_t)_mm_cvtsi128_si32(_mm_unpackhi_epi64(t, t));
            }
        }
    }
    for (; i < n; i++) sub[i & 7u][(w[i] >> 7) & 0xFFu]++;
}
/* The same with 32 elements per step (AVX2). _mm256_packus_epi16 packs within 128-bit lanes, so
 * byte k of the packed vector holds element lane_element(k) of the 32; counting does not care,
 * naming an outlier does. */
static inline unsigned lane_element(unsigned k)
{
    /* bytes 0-7: x0[0..7], 8-15: x1[0..7], 16-23: x0[8..15], 24-31: x1[8..15] */
    return (k & 7u) + ((k & 8u) ? 16u : 0u) + ((k & 16u) ? 8u : 0u);
}

static const uint8_t range_values32[RANGE][32] = {
#define TCA_V16(v) {v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v}
    TCA_V16(0), TCA_V16(1), TCA_V16(2), TCA_V16(3), TCA_V16(4),  TCA_V16(5),
    TCA_V16(6), TCA_V16(7), TCA_V16(8), TCA_V16(9), TCA_V16(10), TCA_V16(11),
#undef TCA_V16
};

__attribute__((target("avx2,popcnt"))) static void count_exponents_avx2(const uint16_t *w, uint64_t n, uint32_t sub[8][256])
{
    uint32_t *h = sub[0];
    unsigned lo;
    uint64_t i = 0;
    if (densest_range(w, n, &lo)) {
        const __m256i ff = _mm256_set1_epi16(0xFF), lov = _mm256_set1_epi8((char)lo), zero = _mm256_setzero_si256(),
                      top = _mm256_set1_epi8((char)(255 - RANGE));
        while (i + 32 <= n) {
            __m256i a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero,
                    a8 = zero, a9 = zero, a10 = zero, a11 = zero;
            uint64_t blocks = (n - i) / 32;
            if (blocks > 255) blocks = 255; /* byte counters: at most 255 per lane */
            for (uint64_t b = 0; b < blocks; b++, i += 32) {
                __m256i x0 = _mm256_loadu_si256((const __m256i *)(const void *)(w + i));
                __m256i x1 = _mm256_loadu_si256((const __m256i *)(const void *)(w + i + 16));
                __m256i e = _mm256_packus_epi16(_mm256_and_si256(_mm256_srli_epi16(x0, 7), ff),
                                             _mm256_and_si256(_mm256_srli_epi16(x1, 7), ff));
                __m256i d = _mm256_sub_epi8(e, lov); /* wraps: outside the range means d >= RANGE */
                /* d >= RANGE (unsigned) <=> saturating d + (255 - RANGE) == 255 */
                unsigned out = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_adds_epu8(d, top), _mm256_set1_epi8(-1)));
                for (; out; out &= out - 1) h[(w[i + lane_element((unsigned)__builtin_ctz(out))] >> 7) & 0xFFu]++;
#define TCA_ACC(k) a##k = _mm256_sub_epi8(a##k, _mm256_cmpeq_epi8(d, _mm256_loadu_si256((const __m256i *)(const void *)range_values32[k])))
                TCA_ACC(0);
                TCA_ACC(1);
                TCA_ACC(2);
                TCA_ACC(3);
                TCA_ACC(4);
                TCA_ACC(5);
                TCA_ACC(6);
                TCA_ACC(7);
                TCA_ACC(8);
                TCA_ACC(9);
                TCA_ACC(10);
                TCA_ACC(11);
#undef TCA_ACC
            }
            const __m256i acc[RANGE] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11};
            for (unsigned v = 0; v < RANGE; v++) {
                __m256i t = _mm256_sad_epu8(acc[v], zero); /* four 64-bit partial sums */
                h[lo + v] += (uint32_t)(_mm256_extract_epi64(t, 0) + _mm256_extract_epi64(t, 1) +
                                        _mm256_extract_epi64(t, 2) + _mm256_extract_epi64(t, 3));
            }
        }
    }
    for (; i < n; i++) sub[i & 7u][(w[i] >> 7) & 0xFFu]++;
}
#undef RANGE

/* spec 6.5: in-window elements of each median tile of a global tile whose plane words start at
 * b1, b2, b3 (64 words each), with the popcnt instruction. */
__attribute__((target("popcnt"))) static void median_counts_popcnt(const uint8_t *b1, const uint8_t *b2,
                                                                   const uint8_t *b3, uint32_t hf_med[4])
{
    for (unsigned med = 0; med < 4; med++) {
        unsigned n = 0;
        for (unsigned j = 16 * med; j < 16 * med + 16; j++)
            n += (unsigned)__builtin_popcountll(tca__le64(b1 + 8 * j) | tca__le64(b2 + 8 * j) | tca__le64(b3 + 8 * j));
        hf_med[med] = n;
    }
}

tca__tbe_median_counts_fn tca__tbe_median_counts_simd(void)
{
    return simd_allowed && __builtin_cpu_supports("popcnt") ? median_counts_popcnt : NULL;
}

tca__tbe_count_exponents_fn tca__tbe_count_exponents_simd(void)
{
    if (simd_allowed >= 2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt"))
        return count_exponents_avx2;
    return simd_allowed && cpu_has_ssse3_popcnt() ? count_exponents_ssse3 : NULL;
}

tca__tbe_encode_median_fn tca__tbe_encode_median_simd(void)
{
    return simd_allowed && cpu_has_ssse3_popcnt() ? encode_median_ssse3 : NULL;
}

tca__tbe_decode_median_fn tca__tbe_decode_median_simd(void)
{
    return simd_allowed && cpu_has_ssse3_popcnt() ? decode_median_ssse3 : NULL;
}

#else
tca__tbe_median_counts_fn tca__tbe_median_counts_simd(void) { return NULL; }
tca__tbe_count_exponents_fn tca__tbe_count_exponents_simd(void) { return NULL; }
tca__tbe_encode_median_fn tca__tbe_encode_median_simd(void) { return NULL; }
tca__tbe_decode_median_fn tca__tbe_decode_median_simd(void) { return NULL; }
#endif
