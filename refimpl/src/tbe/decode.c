/* SPDX-License-Identifier: Apache-2.0 */
/* Fast TCA-TBE layout v1 decoder (spec 7.2). tca_tbe_decode validates the whole view first
 * (spec 7.1, validate.c) and only then writes the output. Per small tile it forms
 * IND = B1 | B2 | B3 once, walks the 64 positions branch-free, and the stream starts of the next
 * tile follow from popc(IND) (spec 7.2); TOG gives each global tile's starts. */
#include <string.h>
#include "tbe/tbe_internal.h"

/* spec 4.3: rebuild an in-window element from its byte and exponent field. */
static inline unsigned in_window_value(unsigned byte, unsigned exponent)
{
    return ((byte & 0x80u) << 8) | (exponent << 7) | (byte & 0x7Fu);
}

/* All 64 elements in-window: no Full reads. */
static void decode_all_in_window(uint64_t b1, uint64_t b2, uint64_t b3, unsigned base, const uint8_t *sm,
                                 uint16_t *out, size_t stride)
{
    for (unsigned r = 0; r < 8; r++) {
        unsigned r1 = (unsigned)(b1 >> (8 * r)) & 0xFFu, r2 = (unsigned)(b2 >> (8 * r)) & 0xFFu,
                 r3 = (unsigned)(b3 >> (8 * r)) & 0xFFu;
        uint16_t *row = out + r * stride;
        const uint8_t *s = sm + 8 * r;
        for (unsigned c = 0; c < 8; c++) {
            unsigned code = ((r1 >> c) & 1u) | (((r2 >> c) & 1u) << 1) | (((r3 >> c) & 1u) << 2);
            row[c] = (uint16_t)in_window_value(s[c], base + code);
        }
    }
}

/* All 64 elements fallback: copy the Full patterns (little-endian). */
static void decode_all_fallback(const uint8_t *full, uint16_t *out, size_t stride)
{
    for (unsigned r = 0; r < 8; r++)
        for (unsigned c = 0; c < 8; c++) out[r * stride + c] = tca__le16(full + 2 * (8 * r + c));
}

unsigned tca__tbe_decode_small_tile(uint64_t b1, uint64_t b2, uint64_t b3, unsigned base, const uint8_t *sm,
                                    const uint8_t *full, uint16_t *out, size_t stride)
{
    uint64_t ind = b1 | b2 | b3; /* spec 7.2: IND bit set = in-window */
    if (ind == ~(uint64_t)0) {
        decode_all_in_window(b1, b2, b3, base, sm, out, stride);
        return 64;
    }
    if (ind == 0) {
        decode_all_fallback(full, out, stride);
        return 0;
    }
    unsigned n = 0, f = 0; /* values consumed so far from each stream (spec 7.2 prefix counts) */
    for (unsigned r = 0; r < 8; r++) {
        uint16_t *row = out + r * stride;
        for (unsigned c = 0; c < 8; c++) {
            unsigned p = 8 * r + c; /* spec 5.3 */
            unsigned in = (unsigned)(ind >> p) & 1u;
            unsigned code = ((unsigned)(b1 >> p) & 1u) | (((unsigned)(b2 >> p) & 1u) << 1) |
                            (((unsigned)(b3 >> p) & 1u) << 2);
            /* both candidates are read (one element past each used part may be touched) */
            unsigned hv = in_window_value(sm[n], base + code);
            unsigned fv = tca__le16(full + 2 * f);
            unsigned mask = 0u - in;
            row[c] = (uint16_t)((hv & mask) | (fv & ~mask));
            n += in;
            f += in ^ 1u;
        }
    }
    return n;
}

/* Decode global tile g with its streams starting at sm and full (element (r, c) of the tile goes
 * to out[r * stride + c]), in traversal order (spec 5.2, 7.2). */
static void decode_tile_at(const tca_tbe_view *v, uint64_t g, const uint8_t *sm, const uint8_t *full, uint16_t *out,
                           size_t stride)
{
    unsigned base = v->hdr.base;
    for (unsigned med = 0; med < 4; med++) {
        for (unsigned j = 0; j < 16; j++) {
            uint64_t t = 64 * g + 16u * med + j;
            uint16_t *dst = out + (size_t)tca__tbe_small_row0(med, j) * stride + tca__tbe_small_col0(j);
            unsigned n = tca__tbe_decode_small_tile(tca__tbe_plane_word(v->bitmap[0], t),
                                                    tca__tbe_plane_word(v->bitmap[1], t),
                                                    tca__tbe_plane_word(v->bitmap[2], t), base, sm, full, dst, stride);
            sm += n;
            full += 2 * (64 - n);
        }
    }
}

/* 1 if global tile g's stream slices end at the end of an array: then the branch-free small-tile
 * decoder's one-element over-read could leave the array, so the slices are decoded from a copy. */
static int tile_ends_an_array(const tca_tbe_view *v, uint64_t g)
{
    const uint8_t *next = v->tog + 16 * (g + 1);
    return tca__le64(next) == v->hdr.sign_mantissa_len || tca__le64(next + 8) == v->hdr.full_len;
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

void tca__tbe_decode_rows(const tca_tbe_view *v, uint64_t tr_begin, uint64_t tr_end, uint16_t *dst)
{
    uint64_t rows = v->hdr.rows, cols = v->hdr.cols;
    uint64_t gcols = tca__tbe_round_up(cols, 64) / 64;
    uint16_t block[TCA__TBE_TILE_ELEMS];
    for (uint64_t gm = tr_begin; gm < tr_end; gm++) {
        unsigned nr = tca__tbe_extent(rows, gm);
        for (uint64_t gk = 0; gk < gcols; gk++) {
            unsigned nc = tca__tbe_extent(cols, gk);
            uint64_t g = gm * gcols + gk;
            uint16_t *out = dst + (size_t)(64 * gm) * (size_t)cols + (size_t)(64 * gk);
            if (nr == 64 && nc == 64) {
                decode_tile_to(v, g, out, (size_t)cols);
                continue;
            }
            /* spec 5.1: a tile with padding elements is decoded whole; only the logical part is
             * copied out (validation has checked that the padding elements are +0.0) */
            decode_tile_to(v, g, block, 64);
            for (unsigned r = 0; r < nr; r++) memcpy(out + (size_t)r * (size_t)cols, block + 64u * r, 2u * nc);
        }
    }
}

tca_status tca_tbe_decode(const tca_tbe_view *v, uint16_t *dst, uint64_t dst_elems)
{
    if (!v || !dst) return TCA_ERROR_PARAM_NULL;
    tca_status st = tca_tbe_validate(v); /* spec 7.1: validate everything before writing */
    if (st != TCA_OK) return st;
    if (dst_elems < v->hdr.rows * v->hdr.cols) return TCA_ERROR_PARAM_DST_TOO_SMALL;
    tca_tbe_geometry geo;
    (void)tca_tbe_geometry_of(v->hdr.rows, v->hdr.cols, &geo);
    tca__tbe_decode_rows(v, 0, geo.global_rows, dst);
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
