/* SPDX-License-Identifier: Apache-2.0 */
/* Layout F sizes (spec 8.2, 8.7), the header's own rules (spec 8.8 F7-F10), the stream bound, the
 * content checksum and the storage of an encoded matrix. */
#include <string.h>
#include "tbe_f/tbe_f_internal.h"
#include "tca/checksum.h"

tca_status tca__f_header_check(const tca_tbe_f_header *h)
{
    tca_tbe_geometry geo;
    /* spec 3.5 */
    if (tca_tbe_geometry_of(h->rows, h->cols, &geo) != TCA_OK) return TCA_ERROR_FORMAT_SHAPE;
    /* spec 3.6 */
    if (h->base > TCA_TBE_BASE_MAX) return TCA_ERROR_FORMAT_BASE_RANGE;
    /* spec 8.8 F9: a strip holds at most 1024 exception bytes, and every slice is padded to 16 */
    if (h->exception_len > (uint64_t)TCA__F_STRIP_ELEMS * geo.n_median || h->exception_len % TCA_TBE_F_EXC_ALIGN)
        return TCA_ERROR_FORMAT_COUNTS;
    /* spec 8.8 F10: a maximum of padded slice lengths is a multiple of 16, at most 1024 and at
     * most the total */
    if (h->max_exceptions > TCA__F_STRIP_ELEMS || h->max_exceptions % TCA_TBE_F_EXC_ALIGN ||
        h->max_exceptions > h->exception_len)
        return TCA_ERROR_FORMAT_MAXIMA;
    return TCA_OK;
}

static int fits_size(uint64_t v, size_t *out)
{
    if (v > SIZE_MAX) return 0;
    *out = (size_t)v;
    return 1;
}

tca_status tca_tbe_f_sizes_of(const tca_tbe_f_header *h, tca_tbe_f_sizes *out)
{
    if (!h || !out) return TCA_ERROR_PARAM_NULL;
    tca_status st = tca__f_header_check(h);
    if (st != TCA_OK) return st;
    tca_tbe_geometry geo;
    (void)tca_tbe_geometry_of(h->rows, h->cols, &geo);
    /* spec 8.7: 4G <= 2^34 strips, so every term stays below 2^46 */
    uint64_t strips = (uint64_t)TCA_TBE_F_STRIP_BYTES * geo.n_median;
    uint64_t offsets = 8u * (geo.n_median + 1);
    uint64_t total = TCA_TBE_HEADER_SIZE + strips + h->exception_len + offsets + (h->has_content_checksum ? 4u : 0u);
    tca_tbe_f_sizes s;
    if (!fits_size(strips, &s.strips) || !fits_size(h->exception_len, &s.exceptions) ||
        !fits_size(offsets, &s.offsets) || !fits_size(total, &s.stream_total))
        return TCA_ERROR_FORMAT_LIMIT;
    *out = s;
    return TCA_OK;
}

uint64_t tca_tbe_f_stream_bound(uint64_t rows, uint64_t cols)
{
    tca_tbe_geometry geo;
    if (tca_tbe_geometry_of(rows, cols, &geo) != TCA_OK) return 0;
    /* every element a fallback: 1024 exception bytes per strip, no padding */
    return TCA_TBE_HEADER_SIZE + (uint64_t)(TCA_TBE_F_STRIP_BYTES + TCA__F_STRIP_ELEMS) * geo.n_median +
           8u * (geo.n_median + 1) + 4u;
}

static uint32_t crc_part(uint32_t crc, const uint8_t *p, size_t n) { return n ? tca_crc32c_update(crc, p, n) : crc; }

uint32_t tca__f_content_checksum(const tca_tbe_f_view *v, const tca_tbe_f_sizes *sz)
{
    /* spec 8.7: CRC-32C of Strips, Exceptions, Exception_Offsets, in stream order */
    uint32_t crc = crc_part(0, v->strips, sz->strips);
    crc = crc_part(crc, v->exceptions, sz->exceptions);
    return crc_part(crc, v->exception_offsets, sz->offsets);
}

tca_status tca__f_matrix_alloc(const tca_tbe_f_header *h, uint64_t exc_capacity, const tca_allocator *alloc,
                               tca_tbe_f_matrix **out, uint8_t **strips, uint8_t **exc, uint8_t **offsets)
{
    tca_tbe_geometry geo;
    if (tca_tbe_geometry_of(h->rows, h->cols, &geo) != TCA_OK) return TCA_ERROR_PARAM_SHAPE;
    uint64_t n_strips = (uint64_t)TCA_TBE_F_STRIP_BYTES * geo.n_median;
    uint64_t n_off = 8u * (geo.n_median + 1);
    uint64_t total = n_strips + n_off + exc_capacity + 16u; /* all well below 2^47 */
    if (total > SIZE_MAX) return TCA_ERROR_PARAM_SHAPE;
    tca_tbe_f_matrix *m = (tca_tbe_f_matrix *)tca_alloc(alloc, sizeof *m);
    if (!m) return TCA_ERROR_ALLOC;
    uint8_t *mem = (uint8_t *)tca_alloc(alloc, (size_t)total);
    if (!mem) {
        tca_free(alloc, m);
        return TCA_ERROR_ALLOC;
    }
    memset(m, 0, sizeof *m);
    m->storage = mem;
    m->alloc = alloc;
    m->view.hdr = *h;
    *strips = mem;
    *offsets = mem + n_strips; /* 8-byte aligned: n_strips is a multiple of 16 */
    *exc = mem + n_strips + n_off;
    m->view.strips = *strips;
    m->view.exception_offsets = *offsets;
    m->view.exceptions = *exc;
    *out = m;
    return TCA_OK;
}

void tca_tbe_f_matrix_free(tca_tbe_f_matrix *m)
{
    if (!m) return;
    const tca_allocator *a = m->alloc;
    tca_free(a, m->storage);
    tca_free(a, m);
}
