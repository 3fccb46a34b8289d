/* SPDX-License-Identifier: Apache-2.0 */
/* Layout F validation (spec 8.8) and decoding (spec 8.5). Validation is complete and runs before
 * any output is written: every exception offset is compared with the prefix sums of the
 * minimally padded per-strip counts derived from the codes, the padding bytes must be zero, the
 * padding elements +0.0, the length and the maximum exact, the Content_Checksum must match, and no
 * exception byte may lie in the window (the encoding is canonical). */
#include <string.h>
#include "tbe_f/tbe_f_internal.h"

/* Stand-in for an empty Exceptions array given as NULL (no pointer arithmetic on NULL). */
static const uint8_t no_exceptions[1] = {0};
static const uint8_t *exceptions_of(const tca_tbe_f_view *v) { return v->exceptions ? v->exceptions : no_exceptions; }

static int all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

/* spec 8.8 F14: Exception_Offsets[s + 1] MUST be Exception_Offsets[s] + ceil16(n_s). An entry
 * larger by whole 16-byte units (at most a strip's worth) is non-minimal padding. */
static tca_status check_offset(uint64_t got, uint64_t want)
{
    if (got == want) return TCA_OK;
    if (got > want && (got - want) % TCA_TBE_F_EXC_ALIGN == 0 && got - want <= TCA__F_STRIP_ELEMS)
        return TCA_ERROR_FORMAT_PADDING;
    return TCA_ERROR_FORMAT_EXCEPTIONS;
}

/* spec 8.8 F17 (spec 5.1): every element of strip s outside the logical shape MUST be +0.0, that
 * is code 0, sign-mantissa byte 0x00 and exception byte 0x00. nr, nc: logical rows / columns of
 * the strip (rows counted from the strip's first row, may be <= 0). */
static tca_status check_pad_elements(const tca_tbe_f_view *v, uint64_t s, uint64_t exc_pos, long nr, unsigned nc)
{
    uint16_t block[TCA__F_STRIP_ELEMS];
    uint8_t codes[TCA__F_STRIP_ELEMS];
    tca__f_strip_decode(v->strips + (size_t)TCA_TBE_F_STRIP_BYTES * s, exceptions_of(v) + exc_pos, v->hdr.base, block,
                        64, codes);
    for (long r = 0; r < 16; r++)
        for (unsigned c = (r < nr ? nc : 0); c < 64; c++)
            if (codes[64 * r + c] != 0 || block[64 * r + c] != 0) return TCA_ERROR_FORMAT_PAD_ELEMENT;
    return TCA_OK;
}

tca_status tca_tbe_f_validate(const tca_tbe_f_view *v)
{
    if (!v) return TCA_ERROR_PARAM_NULL;
    tca_tbe_f_sizes sz;
    tca_status st = tca_tbe_f_sizes_of(&v->hdr, &sz); /* spec 8.8 F7-F10 */
    if (st != TCA_OK) return st;
    if (!v->strips || !v->exception_offsets || (v->hdr.exception_len && !v->exceptions)) return TCA_ERROR_PARAM_NULL;
    tca_tbe_geometry geo;
    (void)tca_tbe_geometry_of(v->hdr.rows, v->hdr.cols, &geo);
    /* spec 8.8 F13: Exception_Offsets[0] MUST be 0 */
    if (tca__le64(v->exception_offsets) != 0) return TCA_ERROR_FORMAT_EXCEPTIONS;
    uint64_t pos = 0;
    uint32_t max_exc = 0;
    for (uint64_t g = 0; g < geo.n_global; g++) {
        uint64_t gm = g / geo.global_cols, gk = g % geo.global_cols;
        unsigned nr = tca__tbe_extent_f(v->hdr.rows, gm), nc = tca__tbe_extent_f(v->hdr.cols, gk);
        for (unsigned med = 0; med < 4; med++) {
            uint64_t s = 4 * g + med;
            unsigned n = tca__f_strip_exceptions(v->strips + (size_t)TCA_TBE_F_STRIP_BYTES * s);
            uint64_t padded = tca__f_ceil16(n), next = pos + padded;
            st = check_offset(tca__le64(v->exception_offsets + 8 * (s + 1)), next); /* F14 */
            if (st != TCA_OK) return st;
            if (next > v->hdr.exception_len) return TCA_ERROR_FORMAT_COUNTS; /* F15 */
            /* F16 (spec 8.5): padding bytes MUST be zero */
            if (!all_zero(exceptions_of(v) + pos + n, (size_t)(padded - n))) return TCA_ERROR_FORMAT_PADDING;
            if (nr < 64 || nc < 64) { /* F17: only edge tiles hold padding elements */
                st = check_pad_elements(v, s, pos, (long)nr - 16 * (long)med, nc);
                if (st != TCA_OK) return st;
            }
            if (padded > max_exc) max_exc = (uint32_t)padded;
            pos = next;
        }
    }
    if (pos != v->hdr.exception_len) return TCA_ERROR_FORMAT_COUNTS;      /* F18 */
    if (max_exc != v->hdr.max_exceptions) return TCA_ERROR_FORMAT_MAXIMA; /* F19 */
    if (v->hdr.has_content_checksum && tca__f_content_checksum(v, &sz) != v->hdr.content_checksum)
        return TCA_ERROR_FORMAT_CONTENT_CHECKSUM; /* F20 */
    /* F21 (spec 8.5, as V22 for v1): every exception byte lies outside [w0, w0 + 6], so the
     * encoding is canonical; the padding bytes are zero (F16) and exponent 0 is never in a window */
    const uint8_t *exc = exceptions_of(v);
    unsigned w0 = v->hdr.base + 1u, bad = 0;
    for (uint64_t k = 0; k < v->hdr.exception_len; k++) bad |= (unsigned)((unsigned)exc[k] - w0 < 7u);
    return bad ? TCA_ERROR_FORMAT_NONCANONICAL : TCA_OK;
}

tca_status tca_tbe_f_decode(const tca_tbe_f_view *v, uint16_t *dst, uint64_t dst_elems)
{
    if (!v || !dst) return TCA_ERROR_PARAM_NULL;
    tca_status st = tca_tbe_f_validate(v); /* spec 8.8: everything before the first write */
    if (st != TCA_OK) return st;
    uint64_t rows = v->hdr.rows, cols = v->hdr.cols;
    if (dst_elems < rows * cols) return TCA_ERROR_PARAM_DST_TOO_SMALL;
    tca_tbe_geometry geo;
    (void)tca_tbe_geometry_of(rows, cols, &geo);
    uint16_t block[TCA__F_STRIP_ELEMS];
    size_t off_cols[TCA__F_STRIP_ELEMS], off_block[TCA__F_STRIP_ELEMS]; /* 16 KB: output offsets per strip */
    tca__f_strip_offsets((size_t)cols, off_cols);
    tca__f_strip_offsets(64, off_block);
    for (uint64_t g = 0; g < geo.n_global; g++) {
        uint64_t gm = g / geo.global_cols, gk = g % geo.global_cols;
        unsigned nr = tca__tbe_extent_f(rows, gm), nc = tca__tbe_extent_f(cols, gk);
        for (unsigned med = 0; med < 4; med++) {
            uint64_t s = 4 * g + med;
            if (16u * med >= nr) break; /* the rest of the tile is padding rows */
            const uint8_t *rec = v->strips + (size_t)TCA_TBE_F_STRIP_BYTES * s;
            const uint8_t *exc = exceptions_of(v) + tca__le64(v->exception_offsets + 8 * s); /* validated */
            uint16_t *out = dst + (size_t)(64 * gm + 16u * med) * (size_t)cols + (size_t)(64 * gk);
            if (nc == 64 && 16u * med + 16u <= nr) {
                tca__f_strip_decode_at(rec, exc, v->hdr.base, out, off_cols);
                continue;
            }
            /* spec 5.1: output only the logical elements */
            tca__f_strip_decode_at(rec, exc, v->hdr.base, block, off_block);
            unsigned lr = nr - 16u * med < 16u ? nr - 16u * med : 16u;
            for (unsigned r = 0; r < lr; r++) memcpy(out + (size_t)r * (size_t)cols, block + 64u * r, 2u * nc);
        }
    }
    return TCA_OK;
}
