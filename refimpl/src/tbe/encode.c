/* SPDX-License-Identifier: Apache-2.0 */
/* TCA-TBE layout v1 encoder (spec 4, 5, 6). One histogram pass chooses the window (spec 4.5) and
 * gives the exact number of in-window elements, which sizes the value streams; one encoding pass
 * then walks the global tiles in traversal order (spec 5.2) and writes planes, TOM, TOG and both
 * value streams. The output is byte-identical to the original ZipServ encoder for M, K multiples
 * of 64 and the same window (spec 9). */
#include <string.h>
#include "tbe/tbe_internal.h"
#include "common/crc32c_internal.h"
#include "tca/checksum.h"

void tca_tbe_encode_options_default(tca_tbe_encode_options *o)
{
    if (!o) return;
    o->layout = TCA_LAYOUT_V1;
    o->window_start = 0;
    o->content_checksum = 1;
}

/* Where the encoder writes: the arrays of the output storage and the running stream positions. */
typedef struct encoder {
    unsigned w0;       /* window start, base = w0 - 1 (spec 4.1) */
    uint8_t *plane[3]; /* B1, B2, B3 (spec 6.1) */
    uint8_t *tom;      /* spec 6.5 */
    uint8_t *tog;      /* spec 6.6 */
    uint8_t *sm;       /* spec 6.2 */
    uint8_t *full;     /* spec 6.3, little-endian u16 */
    uint64_t hf_pos;   /* SignMantissa bytes written so far (padded tiles) */
    uint64_t full_pos; /* Full elements written so far (padded tiles) */
    uint32_t max_hf, max_full;
    /* spec 6.9, computed per section while the bytes are in cache: CRCs of the sections' bytes
     * written up to global tile crc_g (planes B1-B3, SignMantissa, Full) */
    int checksum;
    uint64_t crc_g, crc_hf, crc_full; /* global tiles / SignMantissa bytes / Full elements covered */
    uint32_t crc_plane[3], crc_sm, crc_fl;
} encoder;

/* Global tiles per checksum batch: 24 x 512 bytes of each plane = 12 KiB, one round of the
 * 3-stream SSE4.2 CRC; the batch's input and output (about 300 KiB) are still in L2. */
#define TCA__TBE_CRC_BATCH 24u

/* Extend the section CRCs over the bytes of global tiles [crc_g, g_end), which are final: later
 * tiles only write after them (their scratch stores included). */
static void checksum_batch(encoder *e, uint64_t g_end)
{
    for (unsigned k = 0; k < 3; k++)
        e->crc_plane[k] = tca_crc32c_update(e->crc_plane[k], e->plane[k] + 512 * e->crc_g, (size_t)(512 * (g_end - e->crc_g)));
    e->crc_sm = tca_crc32c_update(e->crc_sm, e->sm + e->crc_hf, (size_t)(e->hf_pos - e->crc_hf));
    e->crc_fl = tca_crc32c_update(e->crc_fl, e->full + 2 * e->crc_full, (size_t)(2 * (e->full_pos - e->crc_full)));
    e->crc_g = g_end;
    e->crc_hf = e->hf_pos;
    e->crc_full = e->full_pos;
}

/* Eight bytes b[0..7] as a uint64_t with b[c] in bits 8c..8c+7. */
static inline uint64_t bytes_to_u64(const uint8_t b[8])
{
    uint64_t v;
#if TCA__TBE_HOST_LE
    memcpy(&v, b, 8);
#else
    v = 0;
    for (unsigned c = 0; c < 8; c++) v |= (uint64_t)b[c] << (8 * c);
#endif
    return v;
}

/* Two rows of 8 elements, row0 and row1 (spec 4.2, 4.3): codes[k] receives row k's codes (byte
 * c = code of element c: e - base if w0 <= e <= w0 + 6, else 0) and smb[k] every element's
 * SignMantissa byte (s << 7) | m. Plain loops over 16 lanes of local arrays, so that compilers
 * vectorise them at full 16-byte width. */
static inline void rows_codes2(const uint16_t *row0, const uint16_t *row1, unsigned w0, uint64_t codes[2],
                               uint64_t smb[2])
{
    uint16_t x[16];
    uint8_t code[16], sb[16];
    memcpy(x, row0, 16);
    memcpy(x + 8, row1, 16);
    uint16_t w = (uint16_t)w0;
    for (unsigned c = 0; c < 16; c++) {
        uint16_t d = (uint16_t)(((x[c] >> 7) & 0xFFu) - w); /* wraps to a huge value below the window */
        code[c] = (uint8_t)(d < 7u ? d + 1u : 0u);          /* code = e - base = d + 1 */
        sb[c] = (uint8_t)(((x[c] >> 8) & 0x80u) | (x[c] & 0x7Fu));
    }
    codes[0] = bytes_to_u64(code);
    codes[1] = bytes_to_u64(code + 8);
    smb[0] = bytes_to_u64(sb);
    smb[1] = bytes_to_u64(sb + 8);
}

/* Append one row's values in increasing p (spec 6.2, 6.3); mask = the row's IND bits, smb = the
 * SignMantissa bytes of all 8 elements. Returns the number of in-window elements. The bytes of
 * the fallback lanes are squeezed out of smb and all 8 bytes are stored, so up to 7 scratch bytes
 * land after the row's data (the caller leaves room; later data or padding overwrites them). */
static inline unsigned append_row(const uint16_t *row, unsigned mask, uint64_t smb, uint8_t *sm, uint8_t *full)
{
    if (mask == 0) {
        for (unsigned c = 0; c < 8; c++) tca__st16(full + 2 * c, row[c]); /* spec 4.4: verbatim */
        return 0;
    }
    unsigned fallback = ~mask & 0xFFu;
    for (unsigned m = fallback; m;) {
        unsigned c = tca__tbe_highest_bit(m);
        uint64_t below = (1ull << (8 * c)) - 1; /* drop byte c: the lanes above move down */
        smb = (smb & below) | ((smb >> 8) & ~below);
        m &= ~(1u << c);
    }
    tca__st64(sm, smb);
    unsigned f = 0;
    for (unsigned m = fallback; m; m &= m - 1) tca__st16(full + 2 * f++, row[tca__tbe_lowest_bit(m)]);
    return 8 - f;
}

/* Encode one 8 x 8 small tile whose element (r, c) is src[r * stride + c] (spec 4, 5.3): row r
 * gives bits 8r..8r+7 of each plane (p = 8r + c; B1, B2, B3 = code bits 0, 1, 2). Appends the
 * values at sm[0..] and full[0..] and returns the number of in-window elements. */
static unsigned encode_small_tile(const uint16_t *src, size_t stride, unsigned w0, uint8_t *sm, uint8_t *full,
                                  uint64_t words[3])
{
    uint64_t b1 = 0, b2 = 0, b3 = 0;
    unsigned n = 0, f = 0;
    for (unsigned r = 0; r < 8; r += 2) {
        uint64_t codes[2], smb[2];
        rows_codes2(src + r * stride, src + (r + 1) * stride, w0, codes, smb);
        for (unsigned k = 0; k < 2; k++) {
            unsigned sh = 8 * (r + k);
            unsigned r1 = tca__tbe_gather_bits(codes[k], 0), r2 = tca__tbe_gather_bits(codes[k], 1),
                     r3 = tca__tbe_gather_bits(codes[k], 2);
            b1 |= (uint64_t)r1 << sh;
            b2 |= (uint64_t)r2 << sh;
            b3 |= (uint64_t)r3 << sh;
            unsigned in = append_row(src + (r + k) * stride, r1 | r2 | r3, smb[k], sm + n, full + 2 * f);
            n += in;
            f += 8 - in;
        }
    }
    words[0] = b1;
    words[1] = b2;
    words[2] = b3;
    return n;
}

/* The portable median-tile kernel (tca__tbe_encode_median_fn): small tiles j = 0..15 in the
 * order of spec 5.2. */
static unsigned encode_median_portable(const uint16_t *src, size_t stride, unsigned w0, uint8_t *sm, uint8_t *full,
                                       uint8_t *p1, uint8_t *p2, uint8_t *p3)
{
    unsigned hf = 0;
    for (unsigned j = 0; j < 16; j++) {
        const uint16_t *tile = src + (size_t)tca__tbe_small_row0(0, j) * stride + tca__tbe_small_col0(j);
        uint64_t words[3];
        unsigned n = encode_small_tile(tile, stride, w0, sm + hf, full + 2u * (64u * j - hf), words);
        tca__st64(p1 + 8 * j, words[0]);
        tca__st64(p2 + 8 * j, words[1]);
        tca__st64(p3 + 8 * j, words[2]);
        hf += n;
    }
    return hf;
}

/* Encode global tile g from a 64 x 64 source (element (r, c) at src[r * stride + c]) in the
 * traversal order of spec 5.2, then pad its streams (spec 6.4) and record TOM (spec 6.5),
 * TOG[g + 1] (spec 6.6) and the maxima (spec 6.7). */
static void encode_global_tile(encoder *e, tca__tbe_encode_median_fn kernel, uint64_t g, const uint16_t *src,
                               size_t stride)
{
    uint32_t hf = 0, fl = 0; /* counts inside this global tile, padding excluded */
    uint8_t *sm = e->sm + e->hf_pos;
    uint8_t *full = e->full + 2 * e->full_pos;
    for (unsigned med = 0; med < 4; med++) {
        uint8_t *tom = e->tom + 8 * (4 * g + med);
        tca__st32(tom, hf); /* spec 6.5: counts before this median tile within g */
        tca__st32(tom + 4, fl);
        uint64_t t = 64 * g + 16u * med; /* first small tile of the median tile */
        unsigned n = kernel(src + (size_t)(16u * med) * stride, stride, e->w0, sm + hf, full + 2u * fl,
                            e->plane[0] + 8 * t, e->plane[1] + 8 * t, e->plane[2] + 8 * t);
        hf += n;
        fl += 1024u - n;
    }
    /* spec 6.4: minimal zero padding to 16 bytes / 8 elements at the end of each global tile */
    uint32_t hf_pad = (uint32_t)tca__tbe_pad_sm(hf), fl_pad = (uint32_t)tca__tbe_pad_full(fl);
    memset(sm + hf, 0, hf_pad - hf);
    memset(full + 2u * fl, 0, 2u * (fl_pad - fl));
    e->hf_pos += hf_pad;
    e->full_pos += fl_pad;
    tca__st64(e->tog + 16 * (g + 1), e->hf_pos); /* spec 6.6: exclusive prefix sums */
    tca__st64(e->tog + 16 * (g + 1) + 8, e->full_pos);
    if (hf_pad > e->max_hf) e->max_hf = hf_pad; /* spec 6.7: maxima of the padded counts */
    if (fl_pad > e->max_full) e->max_full = fl_pad;
}

/* Walk all global tiles row-major (spec 5.2). Interior tiles are read in place; tiles that
 * reach past row M or column K are first copied into a zero-filled 64 x 64 block, so padding
 * elements are +0.0 (spec 5.1, defect D3). */
static void encode_all_tiles(encoder *e, const uint16_t *w, uint64_t rows, uint64_t cols, const tca_tbe_geometry *geo)
{
    uint16_t block[TCA__TBE_TILE_ELEMS];
    tca__tbe_encode_median_fn kernel = tca__tbe_encode_median_simd();
    if (!kernel) kernel = encode_median_portable;
    tca__st64(e->tog, 0); /* spec 6.6: TOG[0] = (0, 0) */
    tca__st64(e->tog + 8, 0);
    for (uint64_t gm = 0; gm < geo->global_rows; gm++) {
        unsigned nr = tca__tbe_extent(rows, gm);
        for (uint64_t gk = 0; gk < geo->global_cols; gk++) {
            unsigned nc = tca__tbe_extent(cols, gk);
            uint64_t g = gm * geo->global_cols + gk;
            const uint16_t *src = w + (size_t)(64 * gm) * (size_t)cols + (size_t)(64 * gk);
            if (nr == 64 && nc == 64) {
                if (gk + 1 < geo->global_cols && tca__tbe_extent(cols, gk + 1) == 64)
                    tca__tbe_prefetch_tile(src + 64, (size_t)cols, 0); /* the next tile's rows */
                encode_global_tile(e, kernel, g, src, (size_t)cols);
            } else {
                memset(block, 0, sizeof block);
                for (unsigned r = 0; r < nr; r++) memcpy(block + 64u * r, src + (size_t)r * (size_t)cols, 2u * nc);
                encode_global_tile(e, kernel, g, block, 64);
            }
            if (e->checksum && (g + 1 - e->crc_g == TCA__TBE_CRC_BATCH || g + 1 == geo->n_global))
                checksum_batch(e, g + 1);
        }
    }
}

/* Sizes of the arrays the encoder writes, with room for the stream capacities:
 * SignMantissa holds exactly `covered` bytes plus at most 15 padding bytes per global tile, Full
 * holds the remaining elements plus at most 7 per tile; +16 each for scratch writes. */
typedef struct storage_plan {
    uint64_t bitmap, tom, tog, sm_cap, full_cap, total;
} storage_plan;

static int plan_storage(const tca_tbe_geometry *geo, uint64_t covered, storage_plan *p)
{
    uint64_t padded_elems = geo->n_global * TCA__TBE_TILE_ELEMS;
    p->bitmap = 8 * geo->n_small;
    p->tom = 8 * geo->n_median;
    p->tog = 16 * (geo->n_global + 1);
    p->sm_cap = covered + 15 * geo->n_global + 16; /* +16: scratch bytes of append_row */
    p->full_cap = (padded_elems - covered) + 7 * geo->n_global + 16;
    /* all terms are bounded by a few times 2^44 (spec 3.5), so the u64 sum cannot overflow */
    p->total = 3 * p->bitmap + p->tom + p->tog + 2 * p->full_cap + p->sm_cap;
    return p->total <= SIZE_MAX;
}

static tca_status check_encode_args(const uint16_t *w, uint64_t rows, uint64_t cols, const tca_tbe_encode_options *o,
                                    tca_tbe_matrix **out, tca_tbe_geometry *geo)
{
    if (!w || !out) return TCA_ERROR_PARAM_NULL;
    if (o->layout != TCA_LAYOUT_V1) return TCA_ERROR_PARAM_LAYOUT; /* layout F (spec 8): not yet */
    if (o->window_start != 0 && (o->window_start < 1 || o->window_start > 249)) return TCA_ERROR_PARAM_WINDOW;
    tca_status st = tca_tbe_geometry_of(rows, cols, geo);
    if (st != TCA_OK) return st;
    if (rows * cols > SIZE_MAX / 2) return TCA_ERROR_PARAM_SHAPE; /* input not addressable */
    return TCA_OK;
}

tca_status tca_tbe_encode(const uint16_t *w, uint64_t rows, uint64_t cols, const tca_tbe_encode_options *opt,
                          const tca_allocator *alloc, tca_tbe_matrix **out)
{
    tca_tbe_encode_options o;
    tca_tbe_encode_options_default(&o);
    if (opt) o = *opt;
    tca_tbe_geometry geo;
    tca_status st = check_encode_args(w, rows, cols, &o, out, &geo);
    if (st != TCA_OK) return st;

    /* spec 4.5: one histogram pass; coverage of the window = exact in-window count, since
     * padding elements (+0.0, exponent 0) are never in a window with w0 >= 1 */
    uint64_t hist[256], covered = 0;
    tca_tbe_exponent_histogram(w, rows, cols, hist);
    unsigned w0 = o.window_start ? (unsigned)o.window_start : tca_tbe_select_window(hist, NULL);
    for (unsigned x = w0; x <= w0 + 6; x++) covered += hist[x];

    storage_plan plan;
    if (!plan_storage(&geo, covered, &plan)) return TCA_ERROR_PARAM_SHAPE;
    tca_tbe_matrix *m = (tca_tbe_matrix *)tca_alloc(alloc, sizeof *m);
    if (!m) return TCA_ERROR_ALLOC;
    uint8_t *mem = (uint8_t *)tca_alloc(alloc, (size_t)plan.total);
    if (!mem) {
        tca_free(alloc, m);
        return TCA_ERROR_ALLOC;
    }

    encoder e;
    memset(&e, 0, sizeof e);
    e.w0 = w0;
    e.checksum = o.content_checksum != 0;
    for (unsigned k = 0; k < 3; k++) e.plane[k] = mem + k * plan.bitmap;
    e.tom = mem + 3 * plan.bitmap;
    e.tog = e.tom + plan.tom;
    e.full = e.tog + plan.tog; /* Full before SignMantissa keeps it 8-byte aligned */
    e.sm = e.full + 2 * plan.full_cap;
    encode_all_tiles(&e, w, rows, cols, &geo);

    memset(m, 0, sizeof *m);
    m->storage = mem;
    m->alloc = alloc;
    tca_tbe_view *v = &m->view;
    v->hdr.layout = TCA_LAYOUT_V1;
    v->hdr.rows = rows;
    v->hdr.cols = cols;
    v->hdr.base = (uint8_t)(w0 - 1); /* spec 4.1: base = w0 - 1 in 0..248 */
    v->hdr.max_sign_mantissa = e.max_hf;
    v->hdr.max_full = e.max_full;
    v->hdr.sign_mantissa_len = e.hf_pos; /* spec 3: = TOG[G] */
    v->hdr.full_len = e.full_pos;
    for (unsigned k = 0; k < 3; k++) v->bitmap[k] = e.plane[k];
    v->tom = e.tom;
    v->tog = e.tog;
    v->sign_mantissa = e.sm;
    v->full = e.full;
    if (o.content_checksum) {
        tca_tbe_sizes sz;
        if (tca_tbe_sizes_of(&v->hdr, &sz) != TCA_OK) { /* cannot happen for our own output */
            tca_tbe_matrix_free(m);
            return TCA_ERROR_INTERNAL;
        }
        v->hdr.has_content_checksum = 1;
        v->hdr.content_checksum = tca__tbe_content_checksum_join(v, &sz, e.crc_plane, e.crc_sm, e.crc_fl); /* spec 6.9 */
    }
    *out = m;
    return TCA_OK;
}

void tca_tbe_matrix_free(tca_tbe_matrix *m)
{
    if (!m) return;
    const tca_allocator *a = m->alloc;
    tca_free(a, m->storage);
    tca_free(a, m);
}
