/* SPDX-License-Identifier: Apache-2.0 */
/* Complete validation of a layout v1 view (spec 7.1). TOM, TOG, the stream lengths and the
 * maxima are fully determined by the bitmaps, so each is checked for equality with the counts
 * derived from popcounts; the padding bytes must be zero and minimal, the padding elements +0.0,
 * and the Content_Checksum must match. One linear pass over the planes and offset tables, plus
 * the padding bytes and the edge tiles; then the checksum. Nothing is written. */
#include <string.h>
#include "tbe/tbe_internal.h"

static void median_counts_portable(const uint8_t *b1, const uint8_t *b2, const uint8_t *b3, uint32_t hf_med[4])
{
    for (unsigned med = 0; med < 4; med++) {
        unsigned n = 0;
        for (unsigned j = 16 * med; j < 16 * med + 16; j++)
            n += tca__tbe_popc64(tca__le64(b1 + 8 * j) | tca__le64(b2 + 8 * j) | tca__le64(b3 + 8 * j));
        hf_med[med] = n; /* spec 6.5: in-window elements of the median tile */
    }
}

void tca__tbe_median_counts(const tca_tbe_view *v, uint64_t g, uint32_t hf_med[4])
{
    tca__tbe_median_counts_fn count = tca__tbe_median_counts_simd();
    if (!count) count = median_counts_portable;
    count(v->bitmap[0] + 8 * 64 * g, v->bitmap[1] + 8 * 64 * g, v->bitmap[2] + 8 * 64 * g, hf_med);
}

/* Running state of the pass over the global tiles. */
typedef struct walk {
    uint64_t hf_pos, full_pos;          /* derived TOG[g] */
    uint32_t max_hf, max_full;          /* derived maxima (spec 6.7) */
} walk;

/* spec 6.5: TOM[4g + med] MUST equal the counts of the preceding median tiles of g. Returns the
 * unpadded counts of the whole tile in *hf, *fl. */
static tca_status check_tom(const tca_tbe_view *v, uint64_t g, uint32_t *hf, uint32_t *fl)
{
    uint32_t hf_med[4];
    tca__tbe_median_counts(v, g, hf_med);
    uint32_t h = 0, f = 0;
    for (unsigned med = 0; med < 4; med++) {
        const uint8_t *tom = v->tom + 8 * (4 * g + med);
        if (tca__le32(tom) != h || tca__le32(tom + 4) != f) return TCA_ERROR_FORMAT_TOM;
        h += hf_med[med];
        f += 1024u - hf_med[med];
    }
    *hf = h;
    *fl = f;
    return TCA_OK;
}

/* spec 6.6: TOG[g + 1] MUST equal TOG[g] plus the minimally padded counts of tile g. A slice that
 * is larger by whole padding units is reported as non-minimal padding (spec 6.4). */
static tca_status check_tog_entry(const tca_tbe_view *v, uint64_t g, uint64_t want_hf, uint64_t want_fl)
{
    const uint8_t *e = v->tog + 16 * (g + 1);
    uint64_t hf = tca__le64(e), fl = tca__le64(e + 8);
    if (hf == want_hf && fl == want_fl) return TCA_OK;
    if (hf >= want_hf && fl >= want_fl && (hf - want_hf) % TCA__TBE_SM_ALIGN == 0 &&
        (fl - want_fl) % TCA__TBE_FULL_ALIGN == 0 && hf - want_hf <= TCA__TBE_TILE_ELEMS &&
        fl - want_fl <= TCA__TBE_TILE_ELEMS)
        return TCA_ERROR_FORMAT_PADDING;
    return TCA_ERROR_FORMAT_TOG;
}

static int all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

/* spec 6.4: the padding after tile g's values MUST be zero bytes / +0.0 elements. The caller has
 * checked that the padded slice lies inside the arrays. */
static tca_status check_padding(const tca_tbe_view *v, const walk *w, uint32_t hf, uint32_t fl)
{
    uint64_t hf_pad = tca__tbe_pad_sm(hf), fl_pad = tca__tbe_pad_full(fl);
    if (!all_zero(v->sign_mantissa + w->hf_pos + hf, (size_t)(hf_pad - hf))) return TCA_ERROR_FORMAT_PADDING;
    if (!all_zero(v->full + 2 * (w->full_pos + fl), (size_t)(2 * (fl_pad - fl)))) return TCA_ERROR_FORMAT_PADDING;
    return TCA_OK;
}

/* spec 5.1: every element of global tile (gm, gk) outside the logical M x K shape MUST be +0.0
 * (0x0000: code 0 and a zero Full pattern). Only tiles on the bottom or right edge have any. */
static tca_status check_pad_elements(const tca_tbe_view *v, uint64_t gm, uint64_t gk, uint64_t g)
{
    unsigned nr = tca__tbe_extent(v->hdr.rows, gm), nc = tca__tbe_extent(v->hdr.cols, gk);
    if (nr == 64 && nc == 64) return TCA_OK;
    uint16_t tile[TCA__TBE_TILE_ELEMS];
    tca__tbe_decode_global_tile(v, g, tile); /* TOG[g], TOG[g + 1] checked already */
    for (unsigned r = 0; r < 64; r++)
        for (unsigned c = (r < nr ? nc : 0); c < 64; c++)
            if (tile[64 * r + c] != 0) return TCA_ERROR_FORMAT_PAD_ELEMENT;
    return TCA_OK;
}

/* Check global tile g (TOM, TOG[g + 1], bounds, padding, padding elements) and advance w. */
static tca_status check_global_tile(const tca_tbe_view *v, const tca_tbe_geometry *geo, uint64_t g, walk *w)
{
    uint32_t hf, fl;
    tca_status st = check_tom(v, g, &hf, &fl);
    if (st != TCA_OK) return st;
    uint64_t hf_next = w->hf_pos + tca__tbe_pad_sm(hf), fl_next = w->full_pos + tca__tbe_pad_full(fl);
    st = check_tog_entry(v, g, hf_next, fl_next);
    if (st != TCA_OK) return st;
    /* spec 6.2, 6.3: the arrays MUST hold the tile's padded slice (before reading its padding) */
    if (hf_next > v->hdr.sign_mantissa_len || fl_next > v->hdr.full_len) return TCA_ERROR_FORMAT_COUNTS;
    st = check_padding(v, w, hf, fl);
    if (st != TCA_OK) return st;
    st = check_pad_elements(v, g / geo->global_cols, g % geo->global_cols, g);
    if (st != TCA_OK) return st;
    uint32_t hf_pad = (uint32_t)tca__tbe_pad_sm(hf), fl_pad = (uint32_t)tca__tbe_pad_full(fl);
    if (hf_pad > w->max_hf) w->max_hf = hf_pad;
    if (fl_pad > w->max_full) w->max_full = fl_pad;
    w->hf_pos = hf_next;
    w->full_pos = fl_next;
    return TCA_OK;
}

/* spec 4.4, 7.1 V22: every Full value has an exponent outside [w0, w0 + 6], so the encoding of a
 * matrix under a given window is unique (a value in the window MUST be coded in window). Padding
 * values (0x0000, exponent 0) pass because w0 >= 1. Branch-free over the whole section. */
static tca_status check_fallbacks_outside_window(const tca_tbe_view *v)
{
    const unsigned w0 = v->hdr.base + 1u;
    const uint8_t *p = v->full;
    unsigned bad = 0;
    for (uint64_t i = 0; i < v->hdr.full_len; i++) {
        unsigned e = ((unsigned)p[2 * i] >> 7 | (unsigned)p[2 * i + 1] << 1) & 0xFFu;
        bad |= (unsigned)(e - w0 < 7u);
    }
    return bad ? TCA_ERROR_FORMAT_NONCANONICAL : TCA_OK;
}

static tca_status check_pointers(const tca_tbe_view *v)
{
    if (!v->bitmap[0] || !v->bitmap[1] || !v->bitmap[2] || !v->tom || !v->tog) return TCA_ERROR_PARAM_NULL;
    if ((v->hdr.sign_mantissa_len && !v->sign_mantissa) || (v->hdr.full_len && !v->full)) return TCA_ERROR_PARAM_NULL;
    return TCA_OK;
}

tca_status tca__tbe_validate_structure(const tca_tbe_view *v, tca_tbe_sizes *sz)
{
    if (!v) return TCA_ERROR_PARAM_NULL;
    tca_status st = tca_tbe_sizes_of(&v->hdr, sz); /* spec 3.3-3.7 field rules, sizes */
    if (st != TCA_OK) return st;
    st = check_pointers(v);
    if (st != TCA_OK) return st;
    tca_tbe_geometry geo;
    (void)tca_tbe_geometry_of(v->hdr.rows, v->hdr.cols, &geo);
    /* spec 6.6: TOG[0] MUST be (0, 0) */
    if (tca__le64(v->tog) != 0 || tca__le64(v->tog + 8) != 0) return TCA_ERROR_FORMAT_TOG;
    walk w;
    memset(&w, 0, sizeof w);
    for (uint64_t g = 0; g < geo.n_global; g++) {
        st = check_global_tile(v, &geo, g, &w);
        if (st != TCA_OK) return st;
    }
    /* spec 6.8: the lengths MUST be TOG[G] */
    if (w.hf_pos != v->hdr.sign_mantissa_len || w.full_pos != v->hdr.full_len) return TCA_ERROR_FORMAT_COUNTS;
    /* spec 3.7: the maxima MUST be the maxima of the padded per-tile counts */
    if (w.max_hf != v->hdr.max_sign_mantissa || w.max_full != v->hdr.max_full) return TCA_ERROR_FORMAT_MAXIMA;
    return TCA_OK;
}

tca_status tca__tbe_check_canonical(const tca_tbe_view *v) { return check_fallbacks_outside_window(v); }

tca_status tca_tbe_validate(const tca_tbe_view *v)
{
    tca_tbe_sizes sz;
    tca_status st = tca__tbe_validate_structure(v, &sz);
    if (st != TCA_OK) return st;
    /* spec 6.9 */
    if (v->hdr.has_content_checksum && tca__tbe_content_checksum(v, &sz) != v->hdr.content_checksum)
        return TCA_ERROR_FORMAT_CONTENT_CHECKSUM;
    return check_fallbacks_outside_window(v);
}
