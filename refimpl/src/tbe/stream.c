/* SPDX-License-Identifier: Apache-2.0 */
/* The standalone TCA-TBE stream: 64-byte header (spec 3) followed by the sections in the order of
 * spec 6.8 and the optional Content_Checksum (spec 6.9). Parsing checks the header and the exact
 * stream size; tca_tbe_validate checks the sections. */
#include <string.h>
#include "common/crc32c_internal.h"
#include "tbe/tbe_internal.h"
#include "tca/checksum.h"

/* Header byte offsets (spec 3, docs/architecture.md section 4). */
enum {
    OFF_MAGIC = 0,
    OFF_MAJOR = 4,
    OFF_MINOR = 5,
    OFF_LAYOUT = 6,
    OFF_FLAGS = 7,
    OFF_ROWS = 8,
    OFF_COLS = 16,
    OFF_BASE = 24,
    OFF_RESERVED1 = 25, /* 3 bytes */
    OFF_MAX_SM = 28,
    OFF_MAX_FULL = 32,
    OFF_RESERVED2 = 36, /* 4 bytes */
    OFF_SM_LEN = 40,
    OFF_FULL_LEN = 48,
    OFF_RESERVED3 = 56, /* 4 bytes */
    OFF_HEADER_CRC = 60
};

const uint8_t tca__tbe_magic[4] = {TCA__TBE_MAGIC0, 0x54, 0x43, 0x41}; /* spec 3.1: "\x89TCA" */

void tca__tbe_header_write(const tca_tbe_header *h, uint8_t out[TCA_TBE_HEADER_SIZE])
{
    memset(out, 0, TCA_TBE_HEADER_SIZE); /* spec 3.4: every Reserved byte is zero */
    memcpy(out + OFF_MAGIC, tca__tbe_magic, 4);
    out[OFF_MAJOR] = TCA__TBE_VERSION_MAJOR;
    out[OFF_MINOR] = TCA__TBE_VERSION_MINOR;
    out[OFF_LAYOUT] = (uint8_t)h->layout;
    out[OFF_FLAGS] = h->has_content_checksum ? TCA__TBE_FLAG_CONTENT_CHECKSUM : 0;
    tca__st64(out + OFF_ROWS, h->rows);
    tca__st64(out + OFF_COLS, h->cols);
    out[OFF_BASE] = h->base;
    tca__st32(out + OFF_MAX_SM, h->max_sign_mantissa);
    tca__st32(out + OFF_MAX_FULL, h->max_full);
    tca__st64(out + OFF_SM_LEN, h->sign_mantissa_len);
    tca__st64(out + OFF_FULL_LEN, h->full_len);
    tca__st32(out + OFF_HEADER_CRC, tca_crc32c(out, OFF_HEADER_CRC)); /* spec 3.8 */
}

int tca__tbe_all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

tca_status tca__tbe_check_frame(const uint8_t *src, size_t size)
{
    if (size < TCA_TBE_HEADER_SIZE) return TCA_ERROR_FORMAT_TRUNCATED; /* spec 6.8, 7.1 V1 */
    if (memcmp(src + OFF_MAGIC, tca__tbe_magic, 4) != 0) return TCA_ERROR_FORMAT_MAGIC; /* spec 3.1 */
    /* spec 3.2: reject another major version (before anything whose meaning it may change);
     * accept any minor */
    if (src[OFF_MAJOR] != TCA__TBE_VERSION_MAJOR) return TCA_ERROR_FORMAT_VERSION;
    /* spec 3.8: the checksum covers bytes 0..59; checked before the fields' values so that a
     * corrupted header is reported as such */
    if (tca__le32(src + OFF_HEADER_CRC) != tca_crc32c(src, OFF_HEADER_CRC)) return TCA_ERROR_FORMAT_HEADER_CHECKSUM;
    return TCA_OK;
}

tca_status tca_tbe_stream_header(const uint8_t *src, size_t size, tca_tbe_header *out)
{
    if (!src || !out) return TCA_ERROR_PARAM_NULL;
    tca_status fst = tca__tbe_check_frame(src, size); /* spec 7.1 V1-V4 */
    if (fst != TCA_OK) return fst;
    /* spec 3.3, 7.1 V5: these functions read layout v1 (0); layout F (1) has its own parser
     * (tca/tbe_f.h), any other value is unknown */
    if (src[OFF_LAYOUT] != TCA_LAYOUT_V1) return TCA_ERROR_FORMAT_LAYOUT;
    /* spec 3.4: Flags bits 1-7 and all Reserved bytes MUST be zero */
    if ((src[OFF_FLAGS] & ~TCA__TBE_FLAG_CONTENT_CHECKSUM) || !tca__tbe_all_zero(src + OFF_RESERVED1, 3) ||
        !tca__tbe_all_zero(src + OFF_RESERVED2, 4) || !tca__tbe_all_zero(src + OFF_RESERVED3, 4))
        return TCA_ERROR_FORMAT_RESERVED;
    tca_tbe_header h;
    memset(&h, 0, sizeof h);
    h.layout = (tca_layout)src[OFF_LAYOUT];
    h.has_content_checksum = src[OFF_FLAGS] & TCA__TBE_FLAG_CONTENT_CHECKSUM;
    h.rows = tca__le64(src + OFF_ROWS);
    h.cols = tca__le64(src + OFF_COLS);
    h.base = src[OFF_BASE];
    h.max_sign_mantissa = tca__le32(src + OFF_MAX_SM);
    h.max_full = tca__le32(src + OFF_MAX_FULL);
    h.sign_mantissa_len = tca__le64(src + OFF_SM_LEN);
    h.full_len = tca__le64(src + OFF_FULL_LEN);
    /* spec 3.3 (layout F not implemented), 3.5, 3.6, 3.7 */
    tca_status st = tca__tbe_header_check(&h);
    if (st != TCA_OK) return st;
    *out = h;
    return TCA_OK;
}

tca_status tca_tbe_stream_parse(const uint8_t *src, size_t size, tca_tbe_view *out)
{
    if (!src || !out) return TCA_ERROR_PARAM_NULL;
    tca_tbe_header h;
    tca_status st = tca_tbe_stream_header(src, size, &h);
    if (st != TCA_OK) return st;
    tca_tbe_sizes sz;
    st = tca_tbe_sizes_of(&h, &sz);
    if (st != TCA_OK) return st;
    /* spec 6.8: the stream size MUST equal the size its header declares */
    if (size < sz.stream_total) return TCA_ERROR_FORMAT_TRUNCATED;
    if (size > sz.stream_total) return TCA_ERROR_FORMAT_TRAILING;
    const uint8_t *p = src + TCA_TBE_HEADER_SIZE;
    tca_tbe_view v;
    v.hdr = h;
    for (unsigned k = 0; k < 3; k++, p += sz.bitmap) v.bitmap[k] = p;
    v.tom = p;
    p += sz.tom;
    v.tog = p;
    p += sz.tog;
    v.sign_mantissa = p;
    p += sz.sign_mantissa;
    v.full = p;
    p += sz.full;
    if (h.has_content_checksum) v.hdr.content_checksum = tca__le32(p); /* spec 6.9 */
    *out = v;
    return TCA_OK;
}

/* Append n bytes to a CRC, tolerating a NULL pointer for an empty array. */
static uint32_t crc_part(uint32_t crc, const uint8_t *p, size_t n) { return n ? tca_crc32c_update(crc, p, n) : crc; }

uint32_t tca__tbe_content_checksum(const tca_tbe_view *v, const tca_tbe_sizes *sz)
{
    /* spec 6.9: CRC-32C over all section bytes in stream order */
    uint32_t crc = 0;
    for (unsigned k = 0; k < 3; k++) crc = crc_part(crc, v->bitmap[k], sz->bitmap);
    crc = crc_part(crc, v->tom, sz->tom);
    crc = crc_part(crc, v->tog, sz->tog);
    crc = crc_part(crc, v->sign_mantissa, sz->sign_mantissa);
    return crc_part(crc, v->full, sz->full);
}

uint32_t tca__tbe_content_checksum_join(const tca_tbe_view *v, const tca_tbe_sizes *sz, const uint32_t plane[3],
                                        uint32_t sign_mantissa, uint32_t full)
{
    /* spec 6.9: the sections in stream order, B1 B2 B3 TOM TOG SignMantissa Full, joined; TOM
     * and TOG are small and checksummed here directly */
    uint32_t crc = plane[0];
    crc = tca__crc32c_combine(crc, plane[1], sz->bitmap);
    crc = tca__crc32c_combine(crc, plane[2], sz->bitmap);
    crc = crc_part(crc, v->tom, sz->tom);
    crc = crc_part(crc, v->tog, sz->tog);
    crc = tca__crc32c_combine(crc, sign_mantissa, sz->sign_mantissa);
    return tca__crc32c_combine(crc, full, sz->full);
}

static void put(uint8_t **dst, const uint8_t *src, size_t n)
{
    if (n) memcpy(*dst, src, n);
    *dst += n;
}

tca_status tca_tbe_stream_write(const tca_tbe_view *v, uint8_t *dst, size_t capacity, size_t *written)
{
    if (!v || !dst || !written) return TCA_ERROR_PARAM_NULL;
    tca_tbe_sizes sz;
    tca_status st = tca_tbe_sizes_of(&v->hdr, &sz);
    if (st != TCA_OK) return st;
    if (capacity < sz.stream_total) return TCA_ERROR_PARAM_DST_TOO_SMALL;
    uint8_t *p = dst;
    tca__tbe_header_write(&v->hdr, p);
    p += TCA_TBE_HEADER_SIZE;
    /* spec 6.8: B1, B2, B3, TOM, TOG, SignMantissa, Full, then Content_Checksum if flagged */
    for (unsigned k = 0; k < 3; k++) put(&p, v->bitmap[k], sz.bitmap);
    put(&p, v->tom, sz.tom);
    put(&p, v->tog, sz.tog);
    put(&p, v->sign_mantissa, sz.sign_mantissa);
    put(&p, v->full, sz.full);
    if (v->hdr.has_content_checksum) tca__st32(p, v->hdr.content_checksum);
    *written = sz.stream_total;
    return TCA_OK;
}

tca_status tca_tbe_decode_stream(const uint8_t *src, size_t size, uint16_t *dst, uint64_t dst_elems)
{
    tca_tbe_view v;
    tca_status st = tca_tbe_stream_parse(src, size, &v);
    if (st != TCA_OK) return st;
    return tca_tbe_decode(&v, dst, dst_elems);
}
