/* SPDX-License-Identifier: Apache-2.0 */
/* Internal helpers of layout F (spec 8): the position of every element of a 16 x 64 strip in the
 * strip record (spec 8.3, 8.4) and the exception order (spec 8.5). Names are tca__f_*.
 *
 * Vocabulary: s = strip index (= v1 median tile index 4g + med), l = lane 0..31 (group
 * q = l >> 2, thread t = l & 3), i = k16 slice 0..3, n = element 0..7 of the lane in the slice
 * (register n >> 1 of the A fragment, half n & 1), e = 8i + n = the lane's element index. */
#ifndef TCA_TBE_F_INTERNAL_H
#define TCA_TBE_F_INTERNAL_H
#include <stddef.h>
#include <stdint.h>
#include "common/le.h"
#include "tca/tbe.h"
#include "tca/tbe_f.h"

#define TCA__F_STRIP_ELEMS 1024u
#define TCA__F_OFF_SM TCA_TBE_F_CODES_BYTES /* spec 8.2: SignMantissa follows the codes */

/* spec 8.3 (the m16n8k16 A-fragment mapping, spec 7.3): row of element n of lane l in its strip */
static inline unsigned tca__f_row(unsigned l, unsigned n) { return (l >> 2) + 8u * ((n >> 1) & 1u); }
/* ... and its column inside the 64-wide strip, for slice i */
static inline unsigned tca__f_col(unsigned l, unsigned i, unsigned n)
{
    return 16u * i + 8u * (n >> 2) + 2u * (l & 3u) + (n & 1u);
}
/* spec 8.3: byte offset of code word (slice i < 3, lane l) in the record */
static inline unsigned tca__f_code_word_off(unsigned i, unsigned l) { return 4u * (32u * i + l); }
/* spec 8.4: byte offset of the sign-mantissa byte of (l, i, n) in the record */
static inline unsigned tca__f_sm_off(unsigned l, unsigned i, unsigned n)
{
    return TCA__F_OFF_SM + 512u * (i >> 1) + 16u * l + 8u * (i & 1u) + n;
}
/* spec 8.3: the codes of slice 3 are the spare bits (bit 3 of every nibble) of the words of
 * slices 0, 1, 2, which hold code bits 0, 1, 2 respectively. Result: 8 nibbles of 3-bit codes. */
static inline uint32_t tca__f_slice3(uint32_t w0, uint32_t w1, uint32_t w2)
{
    return ((w0 >> 3) & 0x11111111u) | ((w1 >> 2) & 0x22222222u) | ((w2 >> 1) & 0x44444444u);
}
/* In-window flags of 8 nibbles of codes (bit 4n set when nibble n's code is non-zero). */
static inline uint32_t tca__f_inwin_nibbles(uint32_t codes)
{
    codes &= 0x77777777u;
    return (codes | (codes >> 1) | (codes >> 2)) & 0x11111111u;
}
static inline unsigned tca__f_popc32(uint32_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_popcount(x);
#else
    unsigned n = 0;
    for (; x; x &= x - 1) n++;
    return n;
#endif
}
/* Logical rows (or columns) of global-tile row (column) `index`: 1..64 (spec 5.1). */
static inline unsigned tca__tbe_extent_f(uint64_t logical, uint64_t index)
{
    uint64_t left = logical - 64 * index;
    return left >= 64 ? 64u : (unsigned)left;
}
static inline uint64_t tca__f_ceil16(uint64_t n) { return (n + 15u) / 16u * 16u; }

/** Header rules of spec 8.8 F7-F10 (shape, base, length and maximum bounds). */
tca_status tca__f_header_check(const tca_tbe_f_header *h);
/** CRC-32C of the sections in stream order (spec 8.7). */
uint32_t tca__f_content_checksum(const tca_tbe_f_view *v, const tca_tbe_f_sizes *sz);

/** Number of fallback (code 0) elements of a strip record, from its codes alone (spec 8.5). */
unsigned tca__f_strip_exceptions(const uint8_t *rec);
/** Decode a strip record and its exception bytes (at least tca__f_strip_exceptions(rec) bytes):
 *  element (r, c) goes to out[r * stride + c]; its code to codes[r * stride + c] when codes is not
 *  NULL. Returns the number of exception bytes used. */
unsigned tca__f_strip_decode(const uint8_t *rec, const uint8_t *exc, unsigned base, uint16_t *out, size_t stride,
                             uint8_t *codes);
/** Output offsets r * stride + c of the 1024 elements of a strip, indexed 32 l + 8 i + n. */
void tca__f_strip_offsets(size_t stride, size_t off[TCA__F_STRIP_ELEMS]);
/** tca__f_strip_decode into out[off[32 l + 8 i + n]] (offsets from tca__f_strip_offsets), without
 *  codes: the decoder's inner loop. */
unsigned tca__f_strip_decode_at(const uint8_t *rec, const uint8_t *exc, unsigned base, uint16_t *out,
                                const size_t off[TCA__F_STRIP_ELEMS]);
/** Encode a 16 x 64 strip: element k = 32 l + 8 i + n is vals[off[k]] (offsets from
 *  tca__f_strip_offsets), its code derived from base (spec 4.2: e - base if in the window, else 0).
 *  Writes the 1408-byte record and the exception bytes (unpadded, spec 8.5); returns their number.
 *  The encoder's inner loop. Writes one byte past the last exception (scratch: the
 *  caller's buffer has room; padding or the next strip overwrites it). */
unsigned tca__f_strip_encode_at(const uint16_t *vals, const size_t off[TCA__F_STRIP_ELEMS], unsigned base,
                                uint8_t *rec, uint8_t *exc);
/** The transcoder's forms: codes given (encode) or returned (decode) at the same offsets. */
unsigned tca__f_strip_encode_codes_at(const uint16_t *vals, const uint8_t *codes, const size_t off[TCA__F_STRIP_ELEMS],
                                      uint8_t *rec, uint8_t *exc);
unsigned tca__f_strip_decode_codes_at(const uint8_t *rec, const uint8_t *exc, unsigned base, uint16_t *out,
                                      uint8_t *codes, const size_t off[TCA__F_STRIP_ELEMS]);
/** Allocate a matrix whose storage holds the three arrays of a header (sizes computed). */
tca_status tca__f_matrix_alloc(const tca_tbe_f_header *h, uint64_t exc_capacity, const tca_allocator *alloc,
                               tca_tbe_f_matrix **out, uint8_t **strips, uint8_t **exc, uint8_t **offsets);
#endif
