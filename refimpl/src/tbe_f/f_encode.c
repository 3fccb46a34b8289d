/* SPDX-License-Identifier: Apache-2.0 */
/* Layout F encoder (spec 8): the window of spec 4.5 (the same as v1's), then one pass over the
 * strips in v1's traversal order (spec 5.2) writing each strip record, its exception bytes with
 * minimal zero padding, and its exception offset. */
#include <string.h>
#include "tbe_f/tbe_f_internal.h"

/* Encode global tile g from a 64 x 64 source (element (r, c) at src[r * stride + c]; off: the
 * strip offsets for that stride). */
static void encode_global_tile(uint64_t g, const uint16_t *src, size_t stride, const size_t *off, unsigned base,
                               uint8_t *strips, uint8_t *exc, uint8_t *offsets, uint64_t *pos, uint32_t *max_exc)
{
    for (unsigned med = 0; med < 4; med++) {
        uint64_t s = 4 * g + med;
        unsigned n = tca__f_strip_encode_at(src + (size_t)16 * med * stride, off, base,
                                            strips + (size_t)TCA_TBE_F_STRIP_BYTES * s, exc + *pos);
        uint64_t padded = tca__f_ceil16(n);
        memset(exc + *pos + n, 0, (size_t)(padded - n)); /* spec 8.5: minimal zero padding */
        *pos += padded;
        tca__st64(offsets + 8 * (s + 1), *pos); /* spec 8.6: exclusive prefix sums */
        if (padded > *max_exc) *max_exc = (uint32_t)padded;
    }
}

tca_status tca_tbe_f_encode(const uint16_t *w, uint64_t rows, uint64_t cols, const tca_tbe_encode_options *opt,
                            const tca_allocator *alloc, tca_tbe_f_matrix **out)
{
    tca_tbe_encode_options o;
    tca_tbe_encode_options_default(&o);
    if (opt) o = *opt;
    if (!w || !out) return TCA_ERROR_PARAM_NULL;
    if (o.window_start != 0 && (o.window_start < 1 || o.window_start > 249)) return TCA_ERROR_PARAM_WINDOW;
    tca_tbe_geometry geo;
    tca_status st = tca_tbe_geometry_of(rows, cols, &geo);
    if (st != TCA_OK) return st;
    if (rows * cols > SIZE_MAX / 2) return TCA_ERROR_PARAM_SHAPE;

    /* spec 4.5, as v1: the exact in-window count bounds the exception bytes */
    uint64_t hist[256], covered = 0;
    tca_tbe_exponent_histogram(w, rows, cols, hist);
    unsigned w0 = o.window_start ? (unsigned)o.window_start : tca_tbe_select_window(hist, NULL);
    for (unsigned x = w0; x <= w0 + 6; x++) covered += hist[x];
    uint64_t fallback = geo.n_global * 4096u - covered;

    tca_tbe_f_header h;
    memset(&h, 0, sizeof h);
    h.rows = rows;
    h.cols = cols;
    h.base = (uint8_t)(w0 - 1);
    tca_tbe_f_matrix *m = NULL;
    uint8_t *strips, *exc, *offsets;
    /* capacity: every fallback byte plus at most 15 padding bytes per strip (+16 slack from
     * tca__f_matrix_alloc covers the encoder's one scratch byte) */
    st = tca__f_matrix_alloc(&h, fallback + 15u * geo.n_median, alloc, &m, &strips, &exc, &offsets);
    if (st != TCA_OK) return st;

    uint16_t block[4096];
    size_t off_cols[TCA__F_STRIP_ELEMS], off_block[TCA__F_STRIP_ELEMS]; /* spec 8.2 element positions */
    tca__f_strip_offsets((size_t)cols, off_cols);
    tca__f_strip_offsets(64, off_block);
    uint64_t pos = 0;
    uint32_t max_exc = 0;
    tca__st64(offsets, 0); /* spec 8.6: Exception_Offsets[0] = 0 */
    for (uint64_t gm = 0; gm < geo.global_rows; gm++) {
        unsigned nr = tca__tbe_extent_f(rows, gm);
        for (uint64_t gk = 0; gk < geo.global_cols; gk++) {
            unsigned nc = tca__tbe_extent_f(cols, gk);
            uint64_t g = gm * geo.global_cols + gk;
            const uint16_t *src = w + (size_t)(64 * gm) * (size_t)cols + (size_t)(64 * gk);
            if (nr == 64 && nc == 64) {
                encode_global_tile(g, src, (size_t)cols, off_cols, h.base, strips, exc, offsets, &pos, &max_exc);
                continue;
            }
            /* spec 5.1: padding elements are +0.0 */
            memset(block, 0, sizeof block);
            for (unsigned r = 0; r < nr; r++) memcpy(block + 64u * r, src + (size_t)r * (size_t)cols, 2u * nc);
            encode_global_tile(g, block, 64, off_block, h.base, strips, exc, offsets, &pos, &max_exc);
        }
    }
    m->view.hdr.exception_len = pos;
    m->view.hdr.max_exceptions = max_exc;
    if (o.content_checksum) {
        tca_tbe_f_sizes sz;
        if (tca_tbe_f_sizes_of(&m->view.hdr, &sz) != TCA_OK) {
            tca_tbe_f_matrix_free(m);
            return TCA_ERROR_INTERNAL;
        }
        m->view.hdr.has_content_checksum = 1;
        m->view.hdr.content_checksum = tca__f_content_checksum(&m->view, &sz);
    }
    *out = m;
    return TCA_OK;
}
