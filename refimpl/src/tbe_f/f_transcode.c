/* SPDX-License-Identifier: Apache-2.0 */
/* The lossless v1 <-> F transcoder (spec 8.9). Both layouts hold, per element, the same code and
 * the same 16-bit pattern, so a transcoder rebuilds each 64 x 64 global tile's (code, value) pairs
 * from one layout and writes them in the other. The codes are carried over as stored (for a valid,
 * hence canonical, stream they equal the codes of spec 4.2). One pass per direction after the
 * source's complete validation, plus one pass over the codes to size the output exactly: linear
 * time. */
#include <string.h>
#include "tbe/tbe_internal.h"
#include "tbe_f/tbe_f_internal.h"

/* ------------------------------------------------------------------------------ v1 -> F */

/* Codes of global tile g of a v1 view as a 64 x 64 row-major array (spec 5.2, 6.1). */
static void v1_tile_codes(const tca_tbe_view *v, uint64_t g, uint8_t codes[4096])
{
    for (unsigned med = 0; med < 4; med++)
        for (unsigned j = 0; j < 16; j++) {
            uint64_t t = 64 * g + 16u * med + j;
            uint64_t b1 = tca__tbe_plane_word(v->bitmap[0], t), b2 = tca__tbe_plane_word(v->bitmap[1], t),
                     b3 = tca__tbe_plane_word(v->bitmap[2], t);
            unsigned r0 = tca__tbe_small_row0(med, j), c0 = tca__tbe_small_col0(j);
            for (unsigned r = 0; r < 8; r++) { /* row r = bits 8r .. 8r + 7 (spec 5.3), one byte per code */
                unsigned sh = 8 * r;
                uint64_t row = tca__tbe_spread_bits[(b1 >> sh) & 0xFFu] | (tca__tbe_spread_bits[(b2 >> sh) & 0xFFu] << 1) |
                               (tca__tbe_spread_bits[(b3 >> sh) & 0xFFu] << 2);
                tca__st64(codes + 64 * (r0 + r) + c0, row);
            }
        }
}

tca_status tca_tbe_f_from_v1(const tca_tbe_view *v1, const tca_allocator *alloc, tca_tbe_f_matrix **out)
{
    if (!v1 || !out) return TCA_ERROR_PARAM_NULL;
    tca_status st = tca_tbe_validate(v1); /* spec 7.1: the source is trusted only after this */
    if (st != TCA_OK) return st;
    tca_tbe_geometry geo;
    (void)tca_tbe_geometry_of(v1->hdr.rows, v1->hdr.cols, &geo);
    /* exact exception length: a strip's fallback count is 1024 minus its median tile's hf count */
    uint64_t len = 0;
    uint32_t max_exc = 0;
    for (uint64_t g = 0; g < geo.n_global; g++) {
        uint32_t hf_med[4];
        tca__tbe_median_counts(v1, g, hf_med);
        for (unsigned med = 0; med < 4; med++) {
            uint64_t padded = tca__f_ceil16(TCA__F_STRIP_ELEMS - hf_med[med]);
            len += padded;
            if (padded > max_exc) max_exc = (uint32_t)padded;
        }
    }
    tca_tbe_f_header h;
    memset(&h, 0, sizeof h);
    h.rows = v1->hdr.rows;
    h.cols = v1->hdr.cols;
    h.base = v1->hdr.base;
    h.exception_len = len;
    h.max_exceptions = max_exc;
    tca_tbe_f_matrix *m = NULL;
    uint8_t *strips, *exc, *offsets;
    st = tca__f_matrix_alloc(&h, len, alloc, &m, &strips, &exc, &offsets);
    if (st != TCA_OK) return st;
    uint16_t vals[4096];
    uint8_t codes[4096];
    size_t off[TCA__F_STRIP_ELEMS];
    tca__f_strip_offsets(64, off);
    uint64_t pos = 0;
    tca__st64(offsets, 0);
    for (uint64_t g = 0; g < geo.n_global; g++) {
        tca__tbe_decode_global_tile(v1, g, vals); /* padding elements included (validated +0) */
        v1_tile_codes(v1, g, codes);
        for (unsigned med = 0; med < 4; med++) {
            uint64_t s = 4 * g + med;
            unsigned n = tca__f_strip_encode_codes_at(vals + 1024u * med, codes + 1024u * med, off,
                                                      strips + (size_t)TCA_TBE_F_STRIP_BYTES * s, exc + pos);
            uint64_t padded = tca__f_ceil16(n);
            memset(exc + pos + n, 0, (size_t)(padded - n));
            pos += padded;
            tca__st64(offsets + 8 * (s + 1), pos);
        }
    }
    if (v1->hdr.has_content_checksum) {
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

/* ------------------------------------------------------------------------------ F -> v1 */

typedef struct v1_writer {
    uint8_t *plane[3], *tom, *tog, *sm, *full;
    uint64_t hf_pos, full_pos;
} v1_writer;

/* Write global tile g of the v1 arrays from its codes and values (spec 5.2, 6.1-6.6). */
static void v1_write_tile(v1_writer *w, uint64_t g, const uint8_t codes[4096], const uint16_t vals[4096])
{
    uint32_t hf = 0, fl = 0;
    uint8_t *sm = w->sm + w->hf_pos, *full = w->full + 2 * w->full_pos;
    for (unsigned med = 0; med < 4; med++) {
        tca__st32(w->tom + 8 * (4 * g + med), hf); /* spec 6.5 */
        tca__st32(w->tom + 8 * (4 * g + med) + 4, fl);
        for (unsigned j = 0; j < 16; j++) {
            unsigned r0 = tca__tbe_small_row0(med, j), c0 = tca__tbe_small_col0(j);
            uint64_t b[3] = {0, 0, 0};
            for (unsigned r = 0; r < 8; r++) {
                unsigned at = 64 * (r0 + r) + c0;
                uint64_t row = tca__le64(codes + at); /* byte c = code of element (r, c) */
                for (unsigned k = 0; k < 3; k++) b[k] |= (uint64_t)tca__tbe_gather_bits(row, k) << (8 * r);
                for (unsigned c = 0; c < 8; c++) {
                    uint16_t x = vals[at + c];
                    if (codes[at + c]) sm[hf++] = (uint8_t)(((x >> 8) & 0x80u) | (x & 0x7Fu)); /* spec 4.3 */
                    else tca__st16(full + 2u * fl++, x);                                        /* spec 4.4 */
                }
            }
            uint64_t t = 64 * g + 16u * med + j;
            for (unsigned k = 0; k < 3; k++) tca__st64(w->plane[k] + 8 * t, b[k]);
        }
    }
    uint32_t hf_pad = (uint32_t)tca__tbe_pad_sm(hf), fl_pad = (uint32_t)tca__tbe_pad_full(fl); /* spec 6.4 */
    memset(sm + hf, 0, hf_pad - hf);
    memset(full + 2u * fl, 0, 2u * (fl_pad - fl));
    w->hf_pos += hf_pad;
    w->full_pos += fl_pad;
    tca__st64(w->tog + 16 * (g + 1), w->hf_pos); /* spec 6.6 */
    tca__st64(w->tog + 16 * (g + 1) + 8, w->full_pos);
}

tca_status tca_tbe_f_to_v1(const tca_tbe_f_view *f, const tca_allocator *alloc, tca_tbe_matrix **out)
{
    if (!f || !out) return TCA_ERROR_PARAM_NULL;
    tca_status st = tca_tbe_f_validate(f); /* spec 8.8 */
    if (st != TCA_OK) return st;
    tca_tbe_geometry geo;
    (void)tca_tbe_geometry_of(f->hdr.rows, f->hdr.cols, &geo);
    tca_tbe_header h;
    memset(&h, 0, sizeof h);
    h.layout = TCA_LAYOUT_V1;
    h.rows = f->hdr.rows;
    h.cols = f->hdr.cols;
    h.base = f->hdr.base;
    for (uint64_t g = 0; g < geo.n_global; g++) { /* spec 6.2-6.7: lengths and maxima from the codes */
        uint32_t fl = 0;
        for (unsigned med = 0; med < 4; med++)
            fl += tca__f_strip_exceptions(f->strips + (size_t)TCA_TBE_F_STRIP_BYTES * (4 * g + med));
        uint32_t hf_pad = (uint32_t)tca__tbe_pad_sm(4096u - fl), fl_pad = (uint32_t)tca__tbe_pad_full(fl);
        h.sign_mantissa_len += hf_pad;
        h.full_len += fl_pad;
        if (hf_pad > h.max_sign_mantissa) h.max_sign_mantissa = hf_pad;
        if (fl_pad > h.max_full) h.max_full = fl_pad;
    }
    tca_tbe_sizes sz;
    st = tca_tbe_sizes_of(&h, &sz);
    if (st != TCA_OK) return st;
    uint64_t total = 3 * (uint64_t)sz.bitmap + sz.tom + sz.tog + sz.full + sz.sign_mantissa + 16u;
    if (total > SIZE_MAX) return TCA_ERROR_FORMAT_LIMIT;
    tca_tbe_matrix *m = (tca_tbe_matrix *)tca_alloc(alloc, sizeof *m);
    if (!m) return TCA_ERROR_ALLOC;
    uint8_t *mem = (uint8_t *)tca_alloc(alloc, (size_t)total);
    if (!mem) {
        tca_free(alloc, m);
        return TCA_ERROR_ALLOC;
    }
    v1_writer w;
    memset(&w, 0, sizeof w);
    for (unsigned k = 0; k < 3; k++) w.plane[k] = mem + k * sz.bitmap;
    w.tom = mem + 3 * sz.bitmap;
    w.tog = w.tom + sz.tom;
    w.full = w.tog + sz.tog;
    w.sm = w.full + sz.full;
    tca__st64(w.tog, 0);
    tca__st64(w.tog + 8, 0);
    uint16_t vals[4096];
    uint8_t codes[4096];
    size_t off[TCA__F_STRIP_ELEMS];
    tca__f_strip_offsets(64, off);
    static const uint8_t no_exceptions[1] = {0};
    const uint8_t *exc = f->exceptions ? f->exceptions : no_exceptions;
    for (uint64_t g = 0; g < geo.n_global; g++) {
        for (unsigned med = 0; med < 4; med++) {
            uint64_t s = 4 * g + med;
            tca__f_strip_decode_codes_at(f->strips + (size_t)TCA_TBE_F_STRIP_BYTES * s,
                                         exc + tca__le64(f->exception_offsets + 8 * s), h.base, vals + 1024u * med,
                                         codes + 1024u * med, off);
        }
        v1_write_tile(&w, g, codes, vals);
    }
    memset(m, 0, sizeof *m);
    m->storage = mem;
    m->alloc = alloc;
    m->view.hdr = h;
    for (unsigned k = 0; k < 3; k++) m->view.bitmap[k] = w.plane[k];
    m->view.tom = w.tom;
    m->view.tog = w.tog;
    m->view.sign_mantissa = w.sm;
    m->view.full = w.full;
    if (f->hdr.has_content_checksum) {
        m->view.hdr.has_content_checksum = 1;
        m->view.hdr.content_checksum = tca__tbe_content_checksum(&m->view, &sz);
    }
    *out = m;
    return TCA_OK;
}
