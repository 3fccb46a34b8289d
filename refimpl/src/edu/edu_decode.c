/* SPDX-License-Identifier: Apache-2.0 */
/* The educational decoder: spec/tca-tbe-format.md implemented step by step, in the spec's order,
 * for clarity rather than speed. It parses the header itself (spec 3), computes the geometry
 * (spec 2), checks the exact size (spec 6.8), applies the validation rules V1..V22 in the order
 * of spec 7.1, and decodes every element by the random-access formula of spec 7.2.
 *
 * Independence: nothing here calls refimpl/src/tbe/. Only the tca_tbe_view / tca_tbe_header
 * structs and the constants of tbe.h are shared, so this file is a second implementation that
 * checks the fast one (tests/check_edu.c runs both on the same inputs). */
#include <stdint.h>
#include <string.h>
#include "common/le.h"
#include "tca/bf16.h"
#include "tca/checksum.h"
#include "tca/edu.h"

/* ---------------------------------------------------------------- small helpers */

/* Number of one bits, the obvious way (spec 1: popc). */
static unsigned popc64(uint64_t x)
{
    unsigned n = 0;
    while (x != 0) {
        x &= x - 1; /* clear the lowest set bit */
        n++;
    }
    return n;
}

/* ceil_m(x) = m * ceil(x / m) for the small values used here (x < 2^60). */
static uint64_t round_up(uint64_t x, uint64_t m) { return (x + m - 1) / m * m; }

/* ---------------------------------------------------------------- geometry (spec 2, 5.1) */

typedef struct edu_geometry {
    uint64_t rows, cols; /* logical M x K */
    uint64_t mp, kp;     /* padded: ceil64(Rows), ceil64(Cols) */
    uint64_t gr, gc;     /* global tiles per column, per row */
    uint64_t g_count;    /* G */
    uint64_t t_count;    /* T = 64 G */
} edu_geometry;

/* V7 (spec 3.5): 1 <= Rows, Cols <= 2^32 and ceil64(Rows) * ceil64(Cols) <= 2^44. */
static tca_status edu_geometry_of(uint64_t rows, uint64_t cols, edu_geometry *geo)
{
    if (rows < 1 || rows > TCA_TBE_DIM_MAX || cols < 1 || cols > TCA_TBE_DIM_MAX)
        return TCA_ERROR_FORMAT_SHAPE; /* spec 3.5: Rows and Cols in 1..2^32 */
    uint64_t mp = round_up(rows, 64), kp = round_up(cols, 64), padded;
    if (tca__mul_overflow_u64(mp, kp, &padded) || padded > TCA_TBE_ELEMS_MAX)
        return TCA_ERROR_FORMAT_SHAPE; /* spec 3.5: padded Rows x padded Cols <= 2^44 */
    geo->rows = rows;
    geo->cols = cols;
    geo->mp = mp;
    geo->kp = kp;
    geo->gr = mp / 64;
    geo->gc = kp / 64;
    geo->g_count = geo->gr * geo->gc;
    geo->t_count = 64 * geo->g_count;
    return TCA_OK;
}

/* ---------------------------------------------------------------- section sizes (spec 6.8) */

typedef struct edu_sizes {
    uint64_t bitmap, tom, tog, sign_mantissa, full; /* bytes of each section */
    uint64_t total;                                  /* Stream_Size */
} edu_sizes;

/* Stream_Size = 64 + 24T + 32G + 16(G+1) + Sign_Mantissa_Length + 2 Full_Length (+4).
 * Returns 1 if it does not fit 64 bits (then no input can be that long). */
static int edu_sizes_of(const tca_tbe_header *h, const edu_geometry *geo, edu_sizes *s)
{
    s->bitmap = 8 * geo->t_count;          /* < 2^42 by spec 3.5 */
    s->tom = 32 * geo->g_count;            /* 4G entries of (u32, u32) */
    s->tog = 16 * (geo->g_count + 1);      /* G+1 entries of (u64, u64) */
    s->sign_mantissa = h->sign_mantissa_len;
    if (tca__mul_overflow_u64(h->full_len, 2, &s->full)) return 1;
    uint64_t total = 64 + 3 * s->bitmap + s->tom + s->tog;
    if (tca__add_overflow_u64(total, s->sign_mantissa, &total)) return 1;
    if (tca__add_overflow_u64(total, s->full, &total)) return 1;
    if (h->has_content_checksum && tca__add_overflow_u64(total, 4, &total)) return 1;
    s->total = total;
    return 0;
}

/* ---------------------------------------------------------------- reading the arrays */

/* Word t of a bitmap plane (spec 6.1). */
static uint64_t plane_word(const tca_tbe_view *v, int plane, uint64_t t)
{
    return tca__le64(v->bitmap[plane] + 8 * t);
}

/* IND[t] = B1[t] | B2[t] | B3[t] (spec 6.1). */
static uint64_t ind_word(const tca_tbe_view *v, uint64_t t)
{
    return plane_word(v, 0, t) | plane_word(v, 1, t) | plane_word(v, 2, t);
}

/* TOM entry i = (u32 hf, u32 full) (spec 6.5). */
static uint64_t tom_hf(const tca_tbe_view *v, uint64_t i) { return tca__le32(v->tom + 8 * i); }
static uint64_t tom_full(const tca_tbe_view *v, uint64_t i) { return tca__le32(v->tom + 8 * i + 4); }

/* TOG entry g = (u64 hf, u64 full) (spec 6.6). */
static uint64_t tog_hf(const tca_tbe_view *v, uint64_t g) { return tca__le64(v->tog + 16 * g); }
static uint64_t tog_full(const tca_tbe_view *v, uint64_t g) { return tca__le64(v->tog + 16 * g + 8); }

/* In-window elements of small tiles first .. first+count-1 (spec 6.1: hf(t) = popc(IND[t])). */
static uint64_t hf_of_tiles(const tca_tbe_view *v, uint64_t first, uint64_t count)
{
    uint64_t n = 0;
    for (uint64_t t = first; t < first + count; t++) n += popc64(ind_word(v, t));
    return n;
}

/* hf_g: in-window elements of global tile g, padding excluded (spec 6.2). full_g = 4096 - hf_g. */
static uint64_t hf_of_global(const tca_tbe_view *v, uint64_t g) { return hf_of_tiles(v, 64 * g, 64); }

/* ---------------------------------------------------------------- spec 7.2: one element */

/* The random-access formula of spec 7.2 for element (r, c) of the padded matrix. Assumes the
 * view has passed V13..V16 for the element's global tile (every index then lies inside its
 * section). */
static void edu_element(const tca_tbe_view *v, const edu_geometry *geo, uint64_t r, uint64_t c,
                        tca_edu_trace *tr)
{
    /* spec 5.2: element to location */
    uint64_t g = (r / 64) * geo->gc + c / 64;
    unsigned med = (unsigned)((r % 64) / 16);
    unsigned j = (unsigned)(((c % 64) / 8) * 2 + (r % 16) / 8);
    unsigned p = (unsigned)(8 * (r % 8) + c % 8); /* spec 5.3 */
    uint64_t first = 64 * g + 16 * (uint64_t)med;  /* small tile j = 0 of the median tile */
    uint64_t t = first + j;

    /* spec 7.2: stream starts = TOG + TOM + popcounts of the preceding small tiles */
    uint64_t hf_start = tog_hf(v, g) + tom_hf(v, 4 * g + med);
    uint64_t full_start = tog_full(v, g) + tom_full(v, 4 * g + med);
    for (unsigned jj = 0; jj < j; jj++) {
        unsigned n = popc64(ind_word(v, first + jj));
        hf_start += n;
        full_start += 64 - n;
    }

    uint64_t ind = ind_word(v, t);
    unsigned below = popc64(ind & ((UINT64_C(1) << p) - 1)); /* in-window elements before p */
    unsigned code = (unsigned)(((plane_word(v, 0, t) >> p) & 1) | (((plane_word(v, 1, t) >> p) & 1) << 1) |
                               (((plane_word(v, 2, t) >> p) & 1) << 2));
    uint64_t index;
    uint16_t x;
    if (code != 0) {
        /* spec 4.3: x = ((b & 0x80) << 8) | ((base + c) << 7) | (b & 0x7F) */
        index = hf_start + below;
        unsigned b = v->sign_mantissa[index];
        x = (uint16_t)(((b & 0x80u) << 8) | (((unsigned)v->hdr.base + code) << 7) | (b & 0x7Fu));
    } else {
        /* spec 4.4: fallback values are stored verbatim */
        index = full_start + (p - below);
        x = tca__le16(v->full + 2 * index);
    }

    tr->g = g;
    tr->med = med;
    tr->j = j;
    tr->t = t;
    tr->p = p;
    tr->ind = ind;
    tr->below = below;
    tr->code = code;
    tr->hf_start = hf_start;
    tr->full_start = full_start;
    tr->index = index;
    tr->value = x;
}

/* ---------------------------------------------------------------- spec 7.1: the rules */

/* V9, V10 (spec 3.7): header-only bounds of the lengths and maxima. */
static tca_status check_header_bounds(const tca_tbe_header *h, const edu_geometry *geo)
{
    uint64_t bound = 4096 * geo->g_count; /* no global tile holds more than 4096 padded values */
    if (h->sign_mantissa_len > bound || h->full_len > bound) return TCA_ERROR_FORMAT_COUNTS; /* V9 */
    if (h->max_sign_mantissa > 4096 || h->max_full > 4096 || h->max_sign_mantissa > h->sign_mantissa_len ||
        h->max_full > h->full_len)
        return TCA_ERROR_FORMAT_MAXIMA; /* V10 */
    return TCA_OK;
}

/* V14 (g), spec 6.5: TOM[4g+med] = counts of the preceding median tiles of global tile g. */
static tca_status check_tom(const tca_tbe_view *v, uint64_t g)
{
    for (uint64_t med = 0; med < 4; med++) {
        uint64_t hf = hf_of_tiles(v, 64 * g, 16 * med); /* the small tiles before this median tile */
        uint64_t full = 64 * 16 * med - hf;
        if (tom_hf(v, 4 * g + med) != hf || tom_full(v, 4 * g + med) != full) return TCA_ERROR_FORMAT_TOM;
    }
    return TCA_OK;
}

/* V15 (g), spec 6.6: TOG[g+1] = E_{g+1}. A larger entry by whole padding units (at most 4096
 * each) means non-minimal padding (spec 6.4): ERROR_FORMAT_PADDING; anything else is a TOG error. */
static tca_status check_tog_next(const tca_tbe_view *v, uint64_t g, uint64_t want_hf, uint64_t want_full)
{
    uint64_t hf = tog_hf(v, g + 1), full = tog_full(v, g + 1);
    if (hf == want_hf && full == want_full) return TCA_OK;
    if (hf >= want_hf && full >= want_full && (hf - want_hf) % 16 == 0 && (full - want_full) % 8 == 0 &&
        hf - want_hf <= 4096 && full - want_full <= 4096)
        return TCA_ERROR_FORMAT_PADDING;
    return TCA_ERROR_FORMAT_TOG;
}

/* V17 (g), spec 6.4: the padding after global tile g's values is zero. TOG[g], TOG[g+1] hold
 * (V13, V15) and lie inside the sections (V16). */
static tca_status check_padding(const tca_tbe_view *v, uint64_t g, uint64_t hf_g)
{
    for (uint64_t i = tog_hf(v, g) + hf_g; i < tog_hf(v, g + 1); i++)
        if (v->sign_mantissa[i] != 0x00) return TCA_ERROR_FORMAT_PADDING;
    for (uint64_t i = tog_full(v, g) + (4096 - hf_g); i < tog_full(v, g + 1); i++)
        if (tca__le16(v->full + 2 * i) != 0x0000) return TCA_ERROR_FORMAT_PADDING;
    return TCA_OK;
}

/* V18 (g), spec 5.1: every padding element (r >= Rows or c >= Cols) of global tile g has code 0
 * and Full value 0x0000. Only the last global-tile row and column can hold padding elements. */
static tca_status check_pad_elements(const tca_tbe_view *v, const edu_geometry *geo, uint64_t g)
{
    uint64_t r0 = 64 * (g / geo->gc), c0 = 64 * (g % geo->gc);
    for (uint64_t r = r0; r < r0 + 64; r++) {
        for (uint64_t c = c0; c < c0 + 64; c++) {
            if (r < geo->rows && c < geo->cols) continue; /* a logical element */
            tca_edu_trace tr;
            edu_element(v, geo, r, c, &tr);
            if (tr.code != 0 || tr.value != 0x0000) return TCA_ERROR_FORMAT_PAD_ELEMENT;
        }
    }
    return TCA_OK;
}

/* V21 (spec 6.9): CRC-32C over all section bytes in order. */
static tca_status check_content_checksum(const tca_tbe_view *v, const edu_sizes *s)
{
    if (!v->hdr.has_content_checksum) return TCA_OK;
    const uint8_t *part[7] = {v->bitmap[0], v->bitmap[1], v->bitmap[2], v->tom, v->tog, v->sign_mantissa, v->full};
    uint64_t len[7] = {s->bitmap, s->bitmap, s->bitmap, s->tom, s->tog, s->sign_mantissa, s->full};
    uint32_t crc = 0;
    for (int k = 0; k < 7; k++)
        if (len[k] != 0) crc = tca_crc32c_update(crc, part[k], (size_t)len[k]);
    if (crc != v->hdr.content_checksum) return TCA_ERROR_FORMAT_CONTENT_CHECKSUM;
    return TCA_OK;
}

/* V22 (spec 4.4): a value stored in Full is a fallback element, so its exponent field lies outside
 * the window [w0, w0 + 6]; otherwise the element should have had code e - base. */
static tca_status check_fallbacks_canonical(const tca_tbe_view *v)
{
    unsigned w0 = (unsigned)v->hdr.base + 1;
    for (uint64_t i = 0; i < v->hdr.full_len; i++) {
        uint16_t x = tca__le16(v->full + 2 * i);
        unsigned e = TCA_BF16_EXP(x);
        if (e >= w0 && e <= w0 + 6) return TCA_ERROR_FORMAT_NONCANONICAL;
    }
    return TCA_OK;
}

/* The header rules that still apply to a view (V5, V7..V10), then V13..V22 in the order of
 * spec 7.1: V13, then V14..V18 per global tile, then V19..V22. */
static tca_status edu_validate_view_geo(const tca_tbe_view *v, edu_geometry *geo)
{
    tca_status st;
    /* V5 (spec 3.3): only layout v1 exists in version 1.0 */
    if (v->hdr.layout != TCA_LAYOUT_V1) return TCA_ERROR_FORMAT_LAYOUT;
    /* V7 (spec 3.5) */
    if ((st = edu_geometry_of(v->hdr.rows, v->hdr.cols, geo)) != TCA_OK) return st;
    /* V8 (spec 3.6): base + 7 must fit 8 bits */
    if (v->hdr.base > TCA_TBE_BASE_MAX) return TCA_ERROR_FORMAT_BASE_RANGE;
    /* V9, V10 (spec 3.7) */
    if ((st = check_header_bounds(&v->hdr, geo)) != TCA_OK) return st;

    edu_sizes s;
    if (edu_sizes_of(&v->hdr, geo, &s) || s.total > (uint64_t)SIZE_MAX) return TCA_ERROR_FORMAT_LIMIT;
    if (!v->bitmap[0] || !v->bitmap[1] || !v->bitmap[2] || !v->tom || !v->tog ||
        (s.sign_mantissa && !v->sign_mantissa) || (s.full && !v->full))
        return TCA_ERROR_PARAM_NULL;

    /* V13 (spec 6.6): TOG[0] = (0, 0) */
    if (tog_hf(v, 0) != 0 || tog_full(v, 0) != 0) return TCA_ERROR_FORMAT_TOG;

    uint64_t e_hf = 0, e_full = 0;     /* E_g: the expected TOG[g] */
    uint64_t max_sm = 0, max_full = 0; /* for V20 */
    for (uint64_t g = 0; g < geo->g_count; g++) {
        uint64_t hf_g = hf_of_global(v, g);
        uint64_t pad16 = round_up(hf_g, 16), pad8 = round_up(4096 - hf_g, 8);
        if ((st = check_tom(v, g)) != TCA_OK) return st;                              /* V14 */
        if ((st = check_tog_next(v, g, e_hf + pad16, e_full + pad8)) != TCA_OK) return st; /* V15 */
        e_hf += pad16;
        e_full += pad8;
        /* V16 (spec 6.2, 6.3): the tile's slices lie inside the sections */
        if (e_hf > v->hdr.sign_mantissa_len || e_full > v->hdr.full_len) return TCA_ERROR_FORMAT_COUNTS;
        if ((st = check_padding(v, g, hf_g)) != TCA_OK) return st;                   /* V17 */
        if ((st = check_pad_elements(v, geo, g)) != TCA_OK) return st;               /* V18 */
        if (pad16 > max_sm) max_sm = pad16;
        if (pad8 > max_full) max_full = pad8;
    }
    /* V19 (spec 6.2, 6.3, 6.6): TOG[G] = (Sign_Mantissa_Length, Full_Length) */
    if (e_hf != v->hdr.sign_mantissa_len || e_full != v->hdr.full_len) return TCA_ERROR_FORMAT_COUNTS;
    /* V20 (spec 3.7, 6.7): the maxima are exactly the largest padded counts */
    if (v->hdr.max_sign_mantissa != max_sm || v->hdr.max_full != max_full) return TCA_ERROR_FORMAT_MAXIMA;
    if ((st = check_content_checksum(v, &s)) != TCA_OK) return st; /* V21 */
    return check_fallbacks_canonical(v);                               /* V22 */
}

/* ---------------------------------------------------------------- spec 3: the stream header */

/* V1..V8 in the order of spec 7.1, then fill *h. */
static tca_status edu_parse_header(const uint8_t *src, size_t size, tca_tbe_header *h, edu_geometry *geo)
{
    static const uint8_t magic[4] = {0x89, 0x54, 0x43, 0x41};
    tca_status st;

    if (size < TCA_TBE_HEADER_SIZE) return TCA_ERROR_FORMAT_TRUNCATED;          /* V1 */
    if (memcmp(src, magic, 4) != 0) return TCA_ERROR_FORMAT_MAGIC;                /* V2, spec 3.1 */
    if (src[4] != 1) return TCA_ERROR_FORMAT_VERSION;                             /* V3, spec 3.2 */
    /* (src[5], Format_Version_Minor, is deliberately not checked: spec 3.2) */
    if (tca__le32(src + 60) != tca_crc32c(src, 60)) return TCA_ERROR_FORMAT_HEADER_CHECKSUM; /* V4 */
    if (src[6] != 0) return TCA_ERROR_FORMAT_LAYOUT;                              /* V5, spec 3.3 */

    /* V6, spec 3.4: Flags bits 1-7 and bytes 25-27, 36-39, 56-59 are Reserved */
    if ((src[7] & 0xFE) != 0) return TCA_ERROR_FORMAT_RESERVED;
    static const unsigned reserved[][2] = {{25, 28}, {36, 40}, {56, 60}};
    for (unsigned k = 0; k < 3; k++)
        for (unsigned i = reserved[k][0]; i < reserved[k][1]; i++)
            if (src[i] != 0) return TCA_ERROR_FORMAT_RESERVED;

    memset(h, 0, sizeof *h);
    h->layout = TCA_LAYOUT_V1;
    h->has_content_checksum = src[7] & 1;
    h->rows = tca__le64(src + 8);
    h->cols = tca__le64(src + 16);
    if ((st = edu_geometry_of(h->rows, h->cols, geo)) != TCA_OK) return st;       /* V7, spec 3.5 */
    if (src[24] > TCA_TBE_BASE_MAX) return TCA_ERROR_FORMAT_BASE_RANGE;           /* V8, spec 3.6 */
    h->base = src[24];
    h->max_sign_mantissa = tca__le32(src + 28);
    h->max_full = tca__le32(src + 32);
    h->sign_mantissa_len = tca__le64(src + 40);
    h->full_len = tca__le64(src + 48);
    return TCA_OK;
}

/* Whole stream: V1..V10, V11..V12 (exact size, spec 6.8), point a view at the sections, V13..V22. */
static tca_status edu_stream_view(const uint8_t *src, size_t size, tca_tbe_view *v, edu_geometry *geo)
{
    tca_status st = edu_parse_header(src, size, &v->hdr, geo);
    if (st != TCA_OK) return st;

    if ((st = check_header_bounds(&v->hdr, geo)) != TCA_OK) return st; /* V9, V10 */

    edu_sizes s;
    if (edu_sizes_of(&v->hdr, geo, &s) || size < s.total) return TCA_ERROR_FORMAT_TRUNCATED; /* V11 */
    if (size > s.total) return TCA_ERROR_FORMAT_TRAILING;                                  /* V12 */

    /* spec 6.8: sections in order, no gaps */
    const uint8_t *p = src + TCA_TBE_HEADER_SIZE;
    for (int k = 0; k < 3; k++) {
        v->bitmap[k] = p;
        p += s.bitmap;
    }
    v->tom = p;
    p += s.tom;
    v->tog = p;
    p += s.tog;
    v->sign_mantissa = p;
    p += s.sign_mantissa;
    v->full = p;
    p += s.full;
    v->hdr.content_checksum = v->hdr.has_content_checksum ? tca__le32(p) : 0; /* spec 6.9 */

    return edu_validate_view_geo(v, geo); /* V13..V22 (V5, V7..V10 hold already) */
}

/* spec 7.2: every logical element, by random access. */
static tca_status edu_decode_all(const tca_tbe_view *v, const edu_geometry *geo, uint16_t *dst, uint64_t dst_elems)
{
    if (dst_elems < geo->rows * geo->cols) return TCA_ERROR_PARAM_DST_TOO_SMALL;
    for (uint64_t r = 0; r < geo->rows; r++)
        for (uint64_t c = 0; c < geo->cols; c++) {
            tca_edu_trace tr;
            edu_element(v, geo, r, c, &tr);
            dst[r * geo->cols + c] = tr.value;
        }
    return TCA_OK;
}

/* ---------------------------------------------------------------- public API */

tca_status tca_edu_validate_stream(const uint8_t *src, size_t size)
{
    if (!src) return TCA_ERROR_PARAM_NULL;
    tca_tbe_view v;
    edu_geometry geo;
    return edu_stream_view(src, size, &v, &geo);
}

tca_status tca_edu_decode_stream(const uint8_t *src, size_t size, uint16_t *dst, uint64_t dst_elems)
{
    if (!src || !dst) return TCA_ERROR_PARAM_NULL;
    tca_tbe_view v;
    edu_geometry geo;
    tca_status st = edu_stream_view(src, size, &v, &geo);
    if (st != TCA_OK) return st;
    return edu_decode_all(&v, &geo, dst, dst_elems);
}

tca_status tca_edu_validate_view(const tca_tbe_view *v)
{
    if (!v) return TCA_ERROR_PARAM_NULL;
    edu_geometry geo;
    return edu_validate_view_geo(v, &geo);
}

tca_status tca_edu_decode_view(const tca_tbe_view *v, uint16_t *dst, uint64_t dst_elems)
{
    if (!v || !dst) return TCA_ERROR_PARAM_NULL;
    edu_geometry geo;
    tca_status st = edu_validate_view_geo(v, &geo);
    if (st != TCA_OK) return st;
    return edu_decode_all(v, &geo, dst, dst_elems);
}

tca_status tca_edu_decode_element(const tca_tbe_view *v, uint64_t r, uint64_t c, tca_edu_trace *trace)
{
    if (!v) return TCA_ERROR_PARAM_NULL;
    edu_geometry geo;
    if (edu_geometry_of(v->hdr.rows, v->hdr.cols, &geo) != TCA_OK) return TCA_ERROR_PARAM_INVALID;
    if (r >= geo.mp || c >= geo.kp) return TCA_ERROR_PARAM_INVALID;
    tca_edu_trace tr;
    edu_element(v, &geo, r, c, &tr);
    if (trace) *trace = tr;
    return TCA_OK;
}
