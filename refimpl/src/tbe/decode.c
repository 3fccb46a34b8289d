/* SPDX-License-Identifier: Apache-2.0 */
/* Fast TCA-TBE layout v1 decoder (spec 7.2). tca_tbe_decode checks the structural rules of
 * spec 7.1 (V1-V20, validate.c) and V22 first and only then writes the output; the
 * Content_Checksum (V21) is computed while decoding, a batch of tiles at a time, and a mismatch
 * clears the output and is reported. The portable kernel (the SSSE3 one is in simd_x86.c): per small tile it forms
 * IND = B1 | B2 | B3 once and works row by row (8 positions p = 8r .. 8r + 7): the exponent bytes
 * of a row come from three table look-ups of the plane bytes, rows of only in-window or only
 * fallback elements are block copies (two in-window rows at a time: 16 lanes), mixed rows open
 * gaps in the SignMantissa bytes at their fallback lanes. The values consumed by each row are
 * counted as they go, so the stream starts of the next small tile are the prefix popcounts of
 * spec 7.2; TOG gives each global tile's starts. */
#include <string.h>
#include "common/crc32c_internal.h"
#include "tbe/tbe_internal.h"
#include "tca/checksum.h"

#define TCA__BYTES(x) (0x0101010101010101ull * (x))

/* spec 4.3 for a row of 8 lanes: byte c of s is lane c's SignMantissa byte, byte c of e its
 * exponent field (base + code). Written as a plain loop over local arrays so that compilers can
 * vectorise it (one 16-byte store per row). */
static inline void store_in_window_row(uint64_t s, uint64_t e, uint16_t *out)
{
    uint8_t sb[8], eb[8];
    uint16_t v[8];
#if TCA__TBE_HOST_LE
    memcpy(sb, &s, 8);
    memcpy(eb, &e, 8);
#else
    for (unsigned c = 0; c < 8; c++) {
        sb[c] = (uint8_t)(s >> (8 * c));
        eb[c] = (uint8_t)(e >> (8 * c));
    }
#endif
    for (unsigned c = 0; c < 8; c++) v[c] = (uint16_t)(((sb[c] & 0x80u) << 8) | ((unsigned)eb[c] << 7) | (sb[c] & 0x7Fu));
    memcpy(out, v, 16);
}

/* Two consecutive rows of in-window elements (16 SignMantissa bytes at sm, exponent bytes e0 and
 * e1): the same rule on 16 lanes, which fills a 16-byte vector where compilers vectorise. */
static inline void store_in_window_rows2(const uint8_t *sm, uint64_t e0, uint64_t e1, uint16_t *row0, uint16_t *row1)
{
    uint8_t sb[16], eb[16];
    uint16_t v[16];
    memcpy(sb, sm, 16);
#if TCA__TBE_HOST_LE
    memcpy(eb, &e0, 8);
    memcpy(eb + 8, &e1, 8);
#else
    for (unsigned c = 0; c < 8; c++) {
        eb[c] = (uint8_t)(e0 >> (8 * c));
        eb[8 + c] = (uint8_t)(e1 >> (8 * c));
    }
#endif
    for (unsigned c = 0; c < 16; c++)
        v[c] = (uint16_t)(((sb[c] & 0x80u) << 8) | ((unsigned)eb[c] << 7) | (sb[c] & 0x7Fu));
    memcpy(row0, v, 16);
    memcpy(row1, v + 8, 16);
}

/* A row of 8 fallback elements: the Full patterns, little-endian. */
static inline void copy_full_row(const uint8_t *full, uint16_t *out)
{
#if TCA__TBE_HOST_LE
    memcpy(out, full, 16);
#else
    for (unsigned c = 0; c < 8; c++) out[c] = tca__le16(full + 2 * c);
#endif
}

/* A row with both kinds (spec 7.2). The next 8 SignMantissa bytes are loaded at once and a gap
 * is opened at every fallback lane, so in-window lane c gets byte (c - fallbacks before c); the
 * fallback lanes are then overwritten from Full in order. Reads up to 8 SignMantissa bytes from
 * sm (see tca__tbe_decode_small_tile for why that stays inside the arrays). Returns the number
 * of in-window elements of the row. */
static inline unsigned decode_mixed_row(unsigned mask, uint64_t e, const uint8_t *sm, const uint8_t *full,
                                        uint16_t *out)
{
    unsigned fallback = ~mask & 0xFFu;
    uint64_t s = tca__le64(sm);
    for (unsigned m = fallback; m; m &= m - 1) {
        uint64_t below = (1ull << (8 * tca__tbe_lowest_bit(m))) - 1; /* lanes before the gap keep their bytes */
        s = (s & below) | ((s << 8) & ~below);
    }
    store_in_window_row(s, e, out);
    unsigned f = 0;
    for (unsigned m = fallback; m; m &= m - 1) out[tca__tbe_lowest_bit(m)] = tca__le16(full + 2 * f++);
    return 8 - f;
}

/* Exponent bytes of row r (byte c = base + code of element (r, c)): code bits from B1, B2, B3
 * (spec 4.1, 6.1); base <= 248, so no byte carries into the next. */
static inline uint64_t row_exponents(uint64_t b1, uint64_t b2, uint64_t b3, unsigned r, uint64_t base8)
{
    unsigned sh = 8 * r;
    return (tca__tbe_spread_bits[(b1 >> sh) & 0xFFu] | (tca__tbe_spread_bits[(b2 >> sh) & 0xFFu] << 1) |
            (tca__tbe_spread_bits[(b3 >> sh) & 0xFFu] << 2)) +
           base8;
}

/* Decode row r of a small tile; returns the number of in-window elements. */
static inline unsigned decode_row(unsigned mask, uint64_t e, const uint8_t *sm, const uint8_t *full, uint16_t *row)
{
    if (mask == 0xFFu) {
        store_in_window_row(tca__le64(sm), e, row);
        return 8;
    }
    if (mask == 0) {
        copy_full_row(full, row);
        return 0;
    }
    return decode_mixed_row(mask, e, sm, full, row);
}

/* The small-tile decoder, inlined into the tile loop below (a call per 64 elements costs ~10%);
 * tca__tbe_decode_small_tile is its exported form for other modules. */
static inline unsigned decode_small_tile(uint64_t b1, uint64_t b2, uint64_t b3, unsigned base, const uint8_t *sm,
                                         const uint8_t *full, uint16_t *out, size_t stride)
{
    uint64_t ind = b1 | b2 | b3; /* spec 7.2: IND bit set = in-window */
    uint64_t base8 = TCA__BYTES(base);
    unsigned n = 0, f = 0; /* values consumed so far from each stream (spec 7.2 prefix counts) */
    for (unsigned r = 0; r < 8; r += 2) { /* rows r, r + 1 = positions 8r .. 8r + 15 */
        unsigned pair = (unsigned)(ind >> (8 * r)) & 0xFFFFu;
        uint16_t *row0 = out + r * stride, *row1 = row0 + stride;
        uint64_t e0 = row_exponents(b1, b2, b3, r, base8), e1 = row_exponents(b1, b2, b3, r + 1, base8);
        if (pair == 0xFFFFu) { /* the common case for weights: 16 in-window elements */
            store_in_window_rows2(sm + n, e0, e1, row0, row1);
            n += 16;
            continue;
        }
        unsigned k = decode_row(pair & 0xFFu, e0, sm + n, full + 2 * f, row0);
        n += k;
        f += 8 - k;
        k = decode_row(pair >> 8, e1, sm + n, full + 2 * f, row1);
        n += k;
        f += 8 - k;
    }
    return n;
}

unsigned tca__tbe_decode_small_tile(uint64_t b1, uint64_t b2, uint64_t b3, unsigned base, const uint8_t *sm,
                                    const uint8_t *full, uint16_t *out, size_t stride)
{
    return decode_small_tile(b1, b2, b3, base, sm, full, out, stride);
}

/* The portable median-tile kernel (tca__tbe_decode_median_fn). */
static unsigned decode_median_portable(const uint8_t *p1, const uint8_t *p2, const uint8_t *p3, unsigned base,
                                       const uint8_t *sm, const uint8_t *full, uint16_t *out, size_t stride)
{
    unsigned hf = 0;
    for (unsigned j = 0; j < 16; j++) {
        uint16_t *dst = out + (size_t)tca__tbe_small_row0(0, j) * stride + tca__tbe_small_col0(j);
        hf += decode_small_tile(tca__le64(p1 + 8 * j), tca__le64(p2 + 8 * j), tca__le64(p3 + 8 * j), base, sm + hf,
                                full + 2u * (64u * j - hf), dst, stride);
    }
    return hf;
}

/* Decode global tile g with its streams starting at sm and full (element (r, c) of the tile goes
 * to out[r * stride + c]), in traversal order (spec 5.2, 7.2). */
static void decode_tile_at(const tca_tbe_view *v, uint64_t g, const uint8_t *sm, const uint8_t *full, uint16_t *out,
                           size_t stride)
{
    tca__tbe_decode_median_fn kernel = tca__tbe_decode_median_simd();
    if (!kernel) kernel = decode_median_portable;
    unsigned base = v->hdr.base;
    for (unsigned med = 0; med < 4; med++) {
        uint64_t t = 64 * g + 16u * med; /* first small tile of the median tile */
        unsigned n = kernel(v->bitmap[0] + 8 * t, v->bitmap[1] + 8 * t, v->bitmap[2] + 8 * t, base, sm, full,
                            out + (size_t)(16u * med) * stride, stride);
        sm += n;
        full += 2 * (1024u - n);
    }
}

/* 1 if fewer than 16 SignMantissa bytes or 8 Full elements follow global tile g's slices: then
 * the kernels' look-ahead (up to 16 bytes from the current position of each stream) could leave
 * the arrays, so the slices are decoded from copies. In a valid stream every slice is a multiple
 * of 16 bytes / 8 elements (spec 6.4), so this is the case only for the slices that end an array;
 * during validation the lengths may still be anything, and this test keeps the look-ahead inside
 * them. The caller has checked TOG[g + 1] <= (Sign_Mantissa_Length, Full_Length) (spec 7.1). */
static int tile_ends_an_array(const tca_tbe_view *v, uint64_t g)
{
    const uint8_t *next = v->tog + 16 * (g + 1);
    return v->hdr.sign_mantissa_len - tca__le64(next) < 16 || v->hdr.full_len - tca__le64(next + 8) < 8;
}

/* Decode global tile g through local copies of its slices [TOG[g], TOG[g+1]) with slack. */
static void decode_tile_copied(const tca_tbe_view *v, uint64_t g, uint16_t *out, size_t stride)
{
    uint8_t sm[TCA__TBE_TILE_ELEMS + 16], full[2 * TCA__TBE_TILE_ELEMS + 16];
    const uint8_t *tog = v->tog + 16 * g;
    uint64_t hf0 = tca__le64(tog), fl0 = tca__le64(tog + 8);
    uint64_t hf_n = tca__le64(tog + 16) - hf0, fl_n = tca__le64(tog + 24) - fl0; /* <= 4096 (validated) */
    memset(sm + hf_n, 0, 16);
    memset(full + 2 * fl_n, 0, 16);
    if (hf_n) memcpy(sm, v->sign_mantissa + hf0, (size_t)hf_n);
    if (fl_n) memcpy(full, v->full + 2 * fl0, (size_t)(2 * fl_n));
    decode_tile_at(v, g, sm, full, out, stride);
}

static void decode_tile_to(const tca_tbe_view *v, uint64_t g, uint16_t *out, size_t stride)
{
    if (tile_ends_an_array(v, g)) {
        decode_tile_copied(v, g, out, stride);
        return;
    }
    const uint8_t *tog = v->tog + 16 * g;
    decode_tile_at(v, g, v->sign_mantissa + tca__le64(tog), v->full + 2 * tca__le64(tog + 8), out, stride);
}

void tca__tbe_decode_global_tile(const tca_tbe_view *v, uint64_t g, uint16_t tile[TCA__TBE_TILE_ELEMS])
{
    decode_tile_to(v, g, tile, 64);
}

/* The Content_Checksum (spec 6.9) computed during decoding: CRCs of the sections' bytes of the
 * global tiles [0, g), per section, joined at the end. */
typedef struct crc_walk {
    uint64_t g;
    uint32_t plane[3], sm, fl;
} crc_walk;

/* Global tiles per checksum batch: 24 x 512 bytes of each plane = 12 KiB, one round of the
 * 3-stream SSE4.2 CRC; the batch's bytes (about 120 KiB) are still in L2 after decoding. */
#define TCA__TBE_CRC_BATCH 24u

/* Extend the CRCs over the bytes of global tiles [c->g, g_end) of a structurally validated view
 * (TOG is then non-decreasing and inside the arrays). */
static void crc_batch(const tca_tbe_view *v, crc_walk *c, uint64_t g_end)
{
    const uint8_t *t0 = v->tog + 16 * c->g, *t1 = v->tog + 16 * g_end;
    uint64_t hf0 = tca__le64(t0), hf1 = tca__le64(t1), fl0 = tca__le64(t0 + 8), fl1 = tca__le64(t1 + 8);
    for (unsigned k = 0; k < 3; k++)
        c->plane[k] = tca_crc32c_update(c->plane[k], v->bitmap[k] + 512 * c->g, (size_t)(512 * (g_end - c->g)));
    if (hf1 > hf0) c->sm = tca_crc32c_update(c->sm, v->sign_mantissa + hf0, (size_t)(hf1 - hf0));
    if (fl1 > fl0) c->fl = tca_crc32c_update(c->fl, v->full + 2 * fl0, (size_t)(2 * (fl1 - fl0)));
    c->g = g_end;
}

/* Decode global-tile rows [tr_begin, tr_end); with c, also checksum each batch of tiles right
 * after decoding it, while its bytes are in cache (c->g must be the first tile of tr_begin;
 * before instead of after was 1 ms slower at best, 4096 x 4096). */
static void decode_rows(const tca_tbe_view *v, uint64_t tr_begin, uint64_t tr_end, uint16_t *dst, crc_walk *c)
{
    uint64_t rows = v->hdr.rows, cols = v->hdr.cols;
    uint64_t gcols = tca__tbe_round_up(cols, 64) / 64, n_global = gcols * (tca__tbe_round_up(rows, 64) / 64);
    uint16_t block[TCA__TBE_TILE_ELEMS];
    for (uint64_t gm = tr_begin; gm < tr_end; gm++) {
        unsigned nr = tca__tbe_extent(rows, gm);
        for (uint64_t gk = 0; gk < gcols; gk++) {
            unsigned nc = tca__tbe_extent(cols, gk);
            uint64_t g = gm * gcols + gk;
            uint16_t *out = dst + (size_t)(64 * gm) * (size_t)cols + (size_t)(64 * gk);
            if (nr == 64 && nc == 64) {
                if (gk + 1 < gcols && tca__tbe_extent(cols, gk + 1) == 64)
                    tca__tbe_prefetch_tile(out + 64, (size_t)cols, 1); /* the next tile's rows */
                decode_tile_to(v, g, out, (size_t)cols);
            } else {
                /* spec 5.1: a tile with padding elements is decoded whole; only the logical part
                 * is copied out (validation has checked that the padding elements are +0.0) */
                decode_tile_to(v, g, block, 64);
                for (unsigned r = 0; r < nr; r++) memcpy(out + (size_t)r * (size_t)cols, block + 64u * r, 2u * nc);
            }
            if (c && (g + 1 - c->g == TCA__TBE_CRC_BATCH || g + 1 == n_global)) crc_batch(v, c, g + 1);
        }
    }
}

void tca__tbe_decode_rows(const tca_tbe_view *v, uint64_t tr_begin, uint64_t tr_end, uint16_t *dst)
{
    decode_rows(v, tr_begin, tr_end, dst, NULL);
}

tca_status tca_tbe_decode(const tca_tbe_view *v, uint16_t *dst, uint64_t dst_elems)
{
    if (!v || !dst) return TCA_ERROR_PARAM_NULL;
    /* spec 7.1 V1-V20 before anything is written: afterwards every offset is in bounds */
    tca_tbe_sizes sz;
    tca_status st = tca__tbe_validate_structure(v, &sz);
    if (st != TCA_OK) return st;
    uint64_t n = v->hdr.rows * v->hdr.cols, global_rows = tca__tbe_round_up(v->hdr.rows, 64) / 64;
    int have_crc = v->hdr.has_content_checksum;
    if (!have_crc || dst_elems < n) { /* V21 (if flagged) and V22 first, then the size */
        if (have_crc && tca__tbe_content_checksum(v, &sz) != v->hdr.content_checksum)
            return TCA_ERROR_FORMAT_CONTENT_CHECKSUM;
        st = tca__tbe_check_canonical(v);
        if (st != TCA_OK) return st;
        if (dst_elems < n) return TCA_ERROR_PARAM_DST_TOO_SMALL;
        decode_rows(v, 0, global_rows, dst, NULL);
        return TCA_OK;
    }
    /* V22 reads only the Full section; it is reported after V21 (spec 7.1 order) */
    st = tca__tbe_check_canonical(v);
    if (st != TCA_OK)
        return tca__tbe_content_checksum(v, &sz) != v->hdr.content_checksum ? TCA_ERROR_FORMAT_CONTENT_CHECKSUM : st;
    /* V21 in the decoding pass (the note of spec 7.1 allows one pass): each batch of tiles is
     * checksummed right after it is decoded, while its bytes are in cache, instead of in a
     * separate pass over the whole stream */
    crc_walk c;
    memset(&c, 0, sizeof c);
    decode_rows(v, 0, global_rows, dst, &c);
    const uint32_t crc = tca__tbe_content_checksum_join(v, &sz, c.plane, c.sm, c.fl); /* spec 6.9 */
    if (crc != v->hdr.content_checksum) {
        /* spec 7.1: no decoded matrix for a stream that fails V21: the output is cleared (dst
         * holds n elements, so 2n bytes fit a size_t) */
        memset(dst, 0, (size_t)(2 * n));
        return TCA_ERROR_FORMAT_CONTENT_CHECKSUM;
    }
    return TCA_OK;
}

tca_status tca_tbe_decode_tile_rows(const tca_tbe_view *v, uint64_t tile_row_begin, uint64_t tile_row_end,
                                    uint16_t *dst, uint64_t dst_elems)
{
    if (!v || !dst) return TCA_ERROR_PARAM_NULL;
    tca_tbe_geometry geo;
    if (tca_tbe_geometry_of(v->hdr.rows, v->hdr.cols, &geo) != TCA_OK) return TCA_ERROR_FORMAT_SHAPE;
    if (tile_row_begin > tile_row_end || tile_row_end > geo.global_rows) return TCA_ERROR_PARAM_INVALID;
    if (dst_elems < v->hdr.rows * v->hdr.cols) return TCA_ERROR_PARAM_DST_TOO_SMALL;
    tca__tbe_decode_rows(v, tile_row_begin, tile_row_end, dst);
    return TCA_OK;
}
