/* SPDX-License-Identifier: Apache-2.0 */
/* Internal helpers of the TCA-TBE format core (spec 3-7), shared by the files of src/tbe/ and
 * usable by other modules of this repository (the reference GEMM, tests, benchmarks). Not part
 * of the public API: names are tca__tbe_*.
 *
 * Vocabulary: g = global tile index (row-major over 64 x 64 tiles), med = median tile 0..3 in g,
 * j = small tile 0..15 in its median tile (k8 = j >> 1 outer, m8 = j & 1 inner), p = 8r + c
 * inside a small tile (spec 5.2, 5.3). "hf" counts SignMantissa bytes, "full" counts Full
 * elements. */
#ifndef TCA_TBE_INTERNAL_H
#define TCA_TBE_INTERNAL_H
#include <stddef.h>
#include <stdint.h>
#include "common/le.h"
#include "tca/tbe.h"

#define TCA__TBE_TILE_ELEMS 4096u  /* elements of one 64 x 64 global tile */
#define TCA__TBE_SM_ALIGN 16u      /* spec 6.4: SignMantissa padded to 16 bytes per global tile */
#define TCA__TBE_FULL_ALIGN 8u     /* spec 6.4: Full padded to 8 elements per global tile */
#define TCA__TBE_MAGIC0 0x89u      /* spec 3.1: 89 54 43 41 */
#define TCA__TBE_VERSION_MAJOR 1u  /* spec 3.2 */
#define TCA__TBE_VERSION_MINOR 0u
#define TCA__TBE_FLAG_CONTENT_CHECKSUM 0x01u /* spec 3.4: Flags bit 0 */

#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TCA__TBE_HOST_LE 1 /* byte copies between uint64_t and byte arrays keep lane order */
#else
#define TCA__TBE_HOST_LE 0
#endif

/* Lowest / highest set bit of a non-zero 8-bit mask. */
static inline unsigned tca__tbe_lowest_bit(unsigned m)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctz(m);
#else
    unsigned c = 0;
    while (!((m >> c) & 1u)) c++;
    return c;
#endif
}
static inline unsigned tca__tbe_highest_bit(unsigned m)
{
#if defined(__GNUC__) || defined(__clang__)
    return 31u - (unsigned)__builtin_clz(m);
#else
    unsigned c = 7;
    while (!((m >> c) & 1u)) c--;
    return c;
#endif
}

/* Population count. Portable SWAR form unless the compiler has a popcnt instruction enabled
 * (a libgcc call would be slower than SWAR). */
static inline unsigned tca__tbe_popc64(uint64_t x)
{
#if defined(__POPCNT__) && (defined(__GNUC__) || defined(__clang__))
    return (unsigned)__builtin_popcountll(x);
#else
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
#endif
}

/* Bit k of every byte of x gathered into an 8-bit value (bit c = bit k of byte c): the
 * multiplier moves byte c's bit to bit 56 + c without carries. */
static inline unsigned tca__tbe_gather_bits(uint64_t x, unsigned k)
{
    return (unsigned)((((x >> k) & 0x0101010101010101ull) * 0x0102040810204080ull) >> 56);
}

/* The inverse: bit c of an 8-bit value to byte c (0 or 1) of the result. */
extern const uint64_t tca__tbe_spread_bits[256];

static inline uint64_t tca__tbe_round_up(uint64_t x, uint64_t a) { return (x + a - 1) / a * a; }

/* spec 6.4: padded per-global-tile counts (minimal padding). */
static inline uint64_t tca__tbe_pad_sm(uint64_t n) { return tca__tbe_round_up(n, TCA__TBE_SM_ALIGN); }
static inline uint64_t tca__tbe_pad_full(uint64_t n) { return tca__tbe_round_up(n, TCA__TBE_FULL_ALIGN); }

/* spec 5.2: first row / column (inside the 64 x 64 global tile) of small tile j of median
 * tile med: k8 = j >> 1 is the outer loop, m8 = j & 1 the inner one. */
static inline unsigned tca__tbe_small_row0(unsigned med, unsigned j) { return 16u * med + 8u * (j & 1u); }
static inline unsigned tca__tbe_small_col0(unsigned j) { return 8u * (j >> 1); }

/* Plane word of small tile t (spec 6.1): little-endian u64 at byte 8t of each plane. */
static inline uint64_t tca__tbe_plane_word(const uint8_t *plane, uint64_t t) { return tca__le64(plane + 8 * t); }

/* Cache prefetch of a 64 x 64 block of BF16 elements (64 rows of 128 bytes, `stride` elements
 * apart). The tiles of one 64-row strip are 64 interleaved row streams, more than hardware
 * prefetchers follow, so the encoder (reading) and decoder (writing) fetch the next global tile
 * while working on the current one. A no-op where the compiler has no prefetch builtin. */
static inline void tca__tbe_prefetch_tile(const uint16_t *block, size_t stride, int for_write)
{
#if defined(__GNUC__) || defined(__clang__)
    for (unsigned r = 0; r < 64; r++) {
        const char *p = (const char *)(block + r * stride);
        if (for_write) {
            __builtin_prefetch(p, 1, 3);
            __builtin_prefetch(p + 64, 1, 3);
            __builtin_prefetch(p + 127, 1, 3);
        } else {
            __builtin_prefetch(p, 0, 3);
            __builtin_prefetch(p + 64, 0, 3);
            __builtin_prefetch(p + 127, 0, 3);
        }
    }
#else
    (void)block;
    (void)stride;
    (void)for_write;
#endif
}

/* Logical extent of global tile (gm, gk): rows/cols in 1..64 that lie inside the M x K matrix;
 * the rest are padding elements (spec 5.1). */
static inline unsigned tca__tbe_extent(uint64_t logical, uint64_t tile_index)
{
    uint64_t left = logical - 64 * tile_index;
    return left >= 64 ? 64u : (unsigned)left;
}

/* ------------------------------------------------------------------------------- header */

/** Check the header fields' own rules (spec 3.3, 3.5, 3.6, 3.7, bounds of the lengths): layout is
 *  v1, shape within limits, base 0..248, lengths and maxima not above their all-tile bounds.
 *  Cheap; run before any size computation. */
tca_status tca__tbe_header_check(const tca_tbe_header *h);
/** Serialise a header into 64 bytes, Header_Checksum included (spec 3). */
void tca__tbe_header_write(const tca_tbe_header *h, uint8_t out[TCA_TBE_HEADER_SIZE]);
/* spec 7.1 V1-V4, the frame both layouts share: size >= 64, magic, major version, header
 * checksum. Layout F's parser (src/tbe_f) uses it too. */
tca_status tca__tbe_check_frame(const uint8_t *src, size_t size);
/* spec 3.1: Magic_Number "\x89TCA". */
extern const uint8_t tca__tbe_magic[4];
/* 1 if the n bytes at p are all zero (Reserved fields, padding). */
int tca__tbe_all_zero(const uint8_t *p, size_t n);
/** spec 7.1 V5-V20 (everything but the Content_Checksum, V21, and the canonical-Full rule, V22):
 *  after it, every offset of spec 7.2 is in bounds and the view can be decoded safely. Fills
 *  *sz. tca_tbe_validate = this, then V21, then V22. */
tca_status tca__tbe_validate_structure(const tca_tbe_view *v, tca_tbe_sizes *sz);
/** spec 7.1 V22 alone: every Full value's exponent lies outside the window. */
tca_status tca__tbe_check_canonical(const tca_tbe_view *v);
/** CRC-32C over the sections of a view in stream order (spec 6.9). */
uint32_t tca__tbe_content_checksum(const tca_tbe_view *v, const tca_tbe_sizes *sz);
/** The same from the CRC-32C of each bitmap plane, of SignMantissa and of Full computed
 *  separately (the encoder and decoder checksum them tile batch by tile batch). */
uint32_t tca__tbe_content_checksum_join(const tca_tbe_view *v, const tca_tbe_sizes *sz, const uint32_t plane[3],
                                        uint32_t sign_mantissa, uint32_t full);

/* ------------------------------------------------------------------------------- decoding */

/** Decode one small tile (spec 7.2): planes b1, b2, b3, the SignMantissa bytes sm and Full
 *  elements full (little-endian u16) starting at this tile's first value. Writes the 8 x 8
 *  values to out[r * stride + c]. Reads the tile's n = popc(IND) SignMantissa bytes and 64 - n
 *  Full elements, and may read up to 7 bytes past sm[n - 1]: 8 bytes after the tile's last
 *  SignMantissa byte must be readable (inside a global tile's 16-byte padded slice that holds
 *  whenever more bytes follow the slice). Returns n. */
unsigned tca__tbe_decode_small_tile(uint64_t b1, uint64_t b2, uint64_t b3, unsigned base, const uint8_t *sm,
                                    const uint8_t *full, uint16_t *out, size_t stride);

/** Decode global tile g of a VALIDATED view into tile[64 * 64] (row-major, padding elements
 *  included as stored). Uses TOG[g] for the stream starts; safe for every g, including the last
 *  one (whose streams end at the arrays' ends). This is the entry point for code that needs
 *  decoded 64 x 64 blocks (e.g. the reference GEMM). */
void tca__tbe_decode_global_tile(const tca_tbe_view *v, uint64_t g, uint16_t tile[TCA__TBE_TILE_ELEMS]);

/** Decode global-tile rows [tr_begin, tr_end) of a VALIDATED view into dst (row-major rows x
 *  cols, the whole matrix). Threads may call it on disjoint ranges. */
void tca__tbe_decode_rows(const tca_tbe_view *v, uint64_t tr_begin, uint64_t tr_end, uint16_t *dst);

/** Per-global-tile counts derived from the bitmaps (spec 6.5-6.7): in-window elements of each
 *  median tile. Reads the 64 plane words of each plane for tile g. */
void tca__tbe_median_counts(const tca_tbe_view *v, uint64_t g, uint32_t hf_med[4]);

/* ------------------------------------------------------------------- median-tile kernels */

/** Encode one median tile (spec 5.2: 16 small tiles, element (r, c) of its 16 x 64 block at
 *  src[r * stride + c]) with window start w0: plane words of its small tiles at p1/p2/p3 + 8j,
 *  in-window bytes appended at sm, fallback values at full (spec 6.1-6.3). Returns the number of
 *  in-window elements n (so 1024 - n Full elements). May store up to 8 scratch bytes past the
 *  SignMantissa data and 16 past the Full data. */
typedef unsigned (*tca__tbe_encode_median_fn)(const uint16_t *src, size_t stride, unsigned w0, uint8_t *sm,
                                              uint8_t *full, uint8_t *p1, uint8_t *p2, uint8_t *p3);
/** Decode one median tile (the inverse: plane words at p1/p2/p3 + 8j, streams starting at sm and
 *  full) into out[r * stride + c]. Returns the SignMantissa bytes consumed. May read up to 16
 *  bytes past its current position in either stream: 16 bytes after the global tile's
 *  SignMantissa slice and 8 elements after its Full slice must be readable. */
typedef unsigned (*tca__tbe_decode_median_fn)(const uint8_t *p1, const uint8_t *p2, const uint8_t *p3, unsigned base,
                                              const uint8_t *sm, const uint8_t *full, uint16_t *out, size_t stride);
/** spec 6.5: in-window counts of the four median tiles of one global tile (plane words at b1, b2,
 *  b3); the popcnt-instruction form where available (validation's main cost besides the CRC). */
typedef void (*tca__tbe_median_counts_fn)(const uint8_t *b1, const uint8_t *b2, const uint8_t *b3, uint32_t hf_med[4]);
tca__tbe_median_counts_fn tca__tbe_median_counts_simd(void);
/** Add the exponent counts (spec 4.5) of w[0 .. n-1], n <= 2^31, to sub[k][e] (any k). */
typedef void (*tca__tbe_count_exponents_fn)(const uint16_t *w, uint64_t n, uint32_t sub[8][256]);
tca__tbe_count_exponents_fn tca__tbe_count_exponents_simd(void);
/** The SIMD kernels (simd_x86.c) where this CPU and compiler have them and they are allowed, else
 *  NULL (then the portable C kernels run). Both produce identical bytes (check_tbe_simd). */
tca__tbe_encode_median_fn tca__tbe_encode_median_simd(void);
tca__tbe_decode_median_fn tca__tbe_decode_median_simd(void);
/** Tests and benchmarks: 0 forces the portable kernels, 1 allows SSSE3/POPCNT ones, 2 (the
 *  default) also AVX2 ones (the exponent histogram). Not thread-safe: set it only while no
 *  encoder or decoder runs. */
void tca__tbe_simd_allow(int level);

#endif
