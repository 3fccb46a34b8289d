/* SPDX-License-Identifier: Apache-2.0 */
/* The standalone layout F stream (spec 8.1, 8.7): the 64-byte header of spec 3 with Layout = 1 and
 * the layout F meaning of bytes 28-55, then Strips, Exceptions, Exception_Offsets and the optional
 * Content_Checksum. Also the helpers that dispatch on the Layout byte (spec 3.3). */
#include <string.h>
#include "tbe/tbe_internal.h"
#include "tbe_f/tbe_f_internal.h"
#include "tca/checksum.h"

/* Header byte offsets (spec 3, 8.1). */
enum {
    OFF_MAJOR = 4,
    OFF_MINOR = 5,
    OFF_LAYOUT = 6,
    OFF_FLAGS = 7,
    OFF_ROWS = 8,
    OFF_COLS = 16,
    OFF_BASE = 24,
    OFF_MAX_EXC = 28,   /* spec 8.1: Max_Exceptions (u32) */
    OFF_EXC_LEN = 40,   /* spec 8.1: Exception_Length (u64) */
    OFF_HEADER_CRC = 60
};

/* The frame (spec 7.1 V1-V4 = 8.8 F1-F4), the magic and the Reserved-byte test are shared with
 * the v1 module (tbe/tbe_internal.h). */

tca_status tca_tbe_any_stream_layout(const uint8_t *src, size_t size, tca_layout *out)
{
    if (!src || !out) return TCA_ERROR_PARAM_NULL;
    tca_status st = tca__tbe_check_frame(src, size);
    if (st != TCA_OK) return st;
    /* spec 3.3: 0 = v1, 1 = F, 2..255 unassigned */
    if (src[OFF_LAYOUT] > TCA_LAYOUT_F) return TCA_ERROR_FORMAT_LAYOUT;
    *out = (tca_layout)src[OFF_LAYOUT];
    return TCA_OK;
}

tca_status tca_tbe_f_stream_header(const uint8_t *src, size_t size, tca_tbe_f_header *out)
{
    if (!src || !out) return TCA_ERROR_PARAM_NULL;
    tca_status st = tca__tbe_check_frame(src, size); /* F1-F4 */
    if (st != TCA_OK) return st;
    if (src[OFF_LAYOUT] != TCA_LAYOUT_F) return TCA_ERROR_FORMAT_LAYOUT; /* F5 */
    /* F6 (spec 8.1): Flags bits 1-7 and bytes 25-27, 32-39, 48-59 are Reserved in layout F */
    if ((src[OFF_FLAGS] & 0xFEu) || !tca__tbe_all_zero(src + 25, 3) || !tca__tbe_all_zero(src + 32, 8) || !tca__tbe_all_zero(src + 48, 12))
        return TCA_ERROR_FORMAT_RESERVED;
    tca_tbe_f_header h;
    memset(&h, 0, sizeof h);
    h.has_content_checksum = src[OFF_FLAGS] & 1u;
    h.rows = tca__le64(src + OFF_ROWS);
    h.cols = tca__le64(src + OFF_COLS);
    h.base = src[OFF_BASE];
    h.max_exceptions = tca__le32(src + OFF_MAX_EXC);
    h.exception_len = tca__le64(src + OFF_EXC_LEN);
    st = tca__f_header_check(&h); /* F7-F10 */
    if (st != TCA_OK) return st;
    *out = h;
    return TCA_OK;
}

tca_status tca_tbe_f_stream_parse(const uint8_t *src, size_t size, tca_tbe_f_view *out)
{
    if (!src || !out) return TCA_ERROR_PARAM_NULL;
    tca_tbe_f_header h;
    tca_status st = tca_tbe_f_stream_header(src, size, &h);
    if (st != TCA_OK) return st;
    tca_tbe_f_sizes sz;
    st = tca_tbe_f_sizes_of(&h, &sz);
    if (st != TCA_OK) return st;
    /* spec 8.8 F11, F12: the size MUST be exactly the one the header declares */
    if (size < sz.stream_total) return TCA_ERROR_FORMAT_TRUNCATED;
    if (size > sz.stream_total) return TCA_ERROR_FORMAT_TRAILING;
    tca_tbe_f_view v;
    v.hdr = h;
    v.strips = src + TCA_TBE_HEADER_SIZE; /* spec 8.7: Strips, Exceptions, Exception_Offsets */
    v.exceptions = v.strips + sz.strips;
    v.exception_offsets = v.exceptions + sz.exceptions;
    if (h.has_content_checksum) v.hdr.content_checksum = tca__le32(v.exception_offsets + sz.offsets);
    *out = v;
    return TCA_OK;
}

tca_status tca_tbe_f_stream_write(const tca_tbe_f_view *v, uint8_t *dst, size_t capacity, size_t *written)
{
    if (!v || !dst || !written) return TCA_ERROR_PARAM_NULL;
    tca_tbe_f_sizes sz;
    tca_status st = tca_tbe_f_sizes_of(&v->hdr, &sz);
    if (st != TCA_OK) return st;
    if (capacity < sz.stream_total) return TCA_ERROR_PARAM_DST_TOO_SMALL;
    memset(dst, 0, TCA_TBE_HEADER_SIZE); /* every Reserved byte zero */
    memcpy(dst, tca__tbe_magic, 4);
    dst[OFF_MAJOR] = 1;
    dst[OFF_MINOR] = TCA_TBE_F_VERSION_MINOR; /* spec 3.2, Appendix A: layout F is 1.1 */
    dst[OFF_LAYOUT] = TCA_LAYOUT_F;
    dst[OFF_FLAGS] = v->hdr.has_content_checksum ? 1u : 0u;
    tca__st64(dst + OFF_ROWS, v->hdr.rows);
    tca__st64(dst + OFF_COLS, v->hdr.cols);
    dst[OFF_BASE] = v->hdr.base;
    tca__st32(dst + OFF_MAX_EXC, v->hdr.max_exceptions);
    tca__st64(dst + OFF_EXC_LEN, v->hdr.exception_len);
    tca__st32(dst + OFF_HEADER_CRC, tca_crc32c(dst, OFF_HEADER_CRC));
    uint8_t *p = dst + TCA_TBE_HEADER_SIZE;
    memcpy(p, v->strips, sz.strips);
    p += sz.strips;
    if (sz.exceptions) memcpy(p, v->exceptions, sz.exceptions);
    p += sz.exceptions;
    memcpy(p, v->exception_offsets, sz.offsets);
    p += sz.offsets;
    if (v->hdr.has_content_checksum) tca__st32(p, v->hdr.content_checksum);
    *written = sz.stream_total;
    return TCA_OK;
}

tca_status tca_tbe_f_decode_stream(const uint8_t *src, size_t size, uint16_t *dst, uint64_t dst_elems)
{
    tca_tbe_f_view v;
    tca_status st = tca_tbe_f_stream_parse(src, size, &v);
    if (st != TCA_OK) return st;
    return tca_tbe_f_decode(&v, dst, dst_elems);
}

tca_status tca_tbe_any_decode_stream(const uint8_t *src, size_t size, uint16_t *dst, uint64_t dst_elems)
{
    tca_layout layout;
    tca_status st = tca_tbe_any_stream_layout(src, size, &layout);
    if (st != TCA_OK) return st;
    return layout == TCA_LAYOUT_F ? tca_tbe_f_decode_stream(src, size, dst, dst_elems)
                                  : tca_tbe_decode_stream(src, size, dst, dst_elems);
}

tca_status tca_tbe_any_stream_shape(const uint8_t *src, size_t size, uint64_t *rows, uint64_t *cols)
{
    tca_layout layout;
    tca_status st = tca_tbe_any_stream_layout(src, size, &layout);
    if (st != TCA_OK) return st;
    if (layout == TCA_LAYOUT_F) {
        tca_tbe_f_header h;
        st = tca_tbe_f_stream_header(src, size, &h);
        if (st == TCA_OK && rows) *rows = h.rows;
        if (st == TCA_OK && cols) *cols = h.cols;
        return st;
    }
    tca_tbe_header h;
    st = tca_tbe_stream_header(src, size, &h);
    if (st == TCA_OK && rows) *rows = h.rows;
    if (st == TCA_OK && cols) *cols = h.cols;
    return st;
}

/* Copy a validated stream into a fresh allocation. */
static tca_status copy_stream(const uint8_t *src, size_t size, const tca_allocator *alloc, uint8_t **out,
                              size_t *out_size)
{
    uint8_t *p = (uint8_t *)tca_alloc(alloc, size);
    if (!p) return TCA_ERROR_ALLOC;
    memcpy(p, src, size);
    *out = p;
    *out_size = size;
    return TCA_OK;
}

static tca_status write_f(const tca_tbe_f_matrix *m, const tca_allocator *alloc, uint8_t **out, size_t *out_size)
{
    tca_tbe_f_sizes sz;
    tca_status st = tca_tbe_f_sizes_of(&m->view.hdr, &sz);
    if (st != TCA_OK) return st;
    uint8_t *p = (uint8_t *)tca_alloc(alloc, sz.stream_total);
    if (!p) return TCA_ERROR_ALLOC;
    st = tca_tbe_f_stream_write(&m->view, p, sz.stream_total, out_size);
    if (st != TCA_OK) {
        tca_free(alloc, p);
        return st;
    }
    *out = p;
    return TCA_OK;
}

static tca_status write_v1(const tca_tbe_matrix *m, const tca_allocator *alloc, uint8_t **out, size_t *out_size)
{
    tca_tbe_sizes sz;
    tca_status st = tca_tbe_sizes_of(&m->view.hdr, &sz);
    if (st != TCA_OK) return st;
    uint8_t *p = (uint8_t *)tca_alloc(alloc, sz.stream_total);
    if (!p) return TCA_ERROR_ALLOC;
    st = tca_tbe_stream_write(&m->view, p, sz.stream_total, out_size);
    if (st != TCA_OK) {
        tca_free(alloc, p);
        return st;
    }
    *out = p;
    return TCA_OK;
}

tca_status tca_tbe_transcode_stream(const uint8_t *src, size_t size, tca_layout target, const tca_allocator *alloc,
                                    uint8_t **out, size_t *out_size)
{
    if (!src || !out || !out_size) return TCA_ERROR_PARAM_NULL;
    if (target != TCA_LAYOUT_V1 && target != TCA_LAYOUT_F) return TCA_ERROR_PARAM_LAYOUT;
    tca_layout layout;
    tca_status st = tca_tbe_any_stream_layout(src, size, &layout);
    if (st != TCA_OK) return st;
    if (layout == TCA_LAYOUT_F) {
        tca_tbe_f_view f;
        st = tca_tbe_f_stream_parse(src, size, &f);
        if (st != TCA_OK) return st;
        if (target == TCA_LAYOUT_F) {
            st = tca_tbe_f_validate(&f);
            return st != TCA_OK ? st : copy_stream(src, size, alloc, out, out_size);
        }
        tca_tbe_matrix *m = NULL;
        st = tca_tbe_f_to_v1(&f, alloc, &m);
        if (st != TCA_OK) return st;
        st = write_v1(m, alloc, out, out_size);
        tca_tbe_matrix_free(m);
        return st;
    }
    tca_tbe_view v;
    st = tca_tbe_stream_parse(src, size, &v);
    if (st != TCA_OK) return st;
    if (target == TCA_LAYOUT_V1) {
        st = tca_tbe_validate(&v);
        return st != TCA_OK ? st : copy_stream(src, size, alloc, out, out_size);
    }
    tca_tbe_f_matrix *m = NULL;
    st = tca_tbe_f_from_v1(&v, alloc, &m);
    if (st != TCA_OK) return st;
    st = write_f(m, alloc, out, out_size);
    tca_tbe_f_matrix_free(m);
    return st;
}
