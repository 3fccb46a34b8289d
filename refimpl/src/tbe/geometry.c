/* SPDX-License-Identifier: Apache-2.0 */
/* TCA-TBE geometry: padded shape and tile counts (spec 5.1), array sizes and the stream size
 * (spec 6.8), the stream bound, and the header's own field rules (spec 3.3-3.7). All sizes are
 * computed in uint64_t with overflow checks, then checked against size_t. */
#include <stdint.h>
#include "tbe/tbe_internal.h"

tca_status tca_tbe_geometry_of(uint64_t rows, uint64_t cols, tca_tbe_geometry *out)
{
    if (!out) return TCA_ERROR_PARAM_NULL;
    /* spec 3.5: Rows and Cols in 1..2^32 */
    if (rows == 0 || cols == 0 || rows > TCA_TBE_DIM_MAX || cols > TCA_TBE_DIM_MAX) return TCA_ERROR_PARAM_SHAPE;
    /* spec 5.1: pad both dimensions to multiples of 64 (2^32 is one, so no overflow) */
    uint64_t rp = tca__tbe_round_up(rows, TCA_TBE_GLOBAL_TILE);
    uint64_t cp = tca__tbe_round_up(cols, TCA_TBE_GLOBAL_TILE);
    uint64_t elems;
    /* spec 3.5: padded Rows x padded Cols <= 2^44 */
    if (tca__mul_overflow_u64(rp, cp, &elems) || elems > TCA_TBE_ELEMS_MAX) return TCA_ERROR_PARAM_SHAPE;
    out->rows_padded = rp;
    out->cols_padded = cp;
    out->global_rows = rp / TCA_TBE_GLOBAL_TILE;
    out->global_cols = cp / TCA_TBE_GLOBAL_TILE;
    out->n_global = out->global_rows * out->global_cols; /* <= 2^32 */
    out->n_median = 4 * out->n_global;
    out->n_small = 64 * out->n_global;
    return TCA_OK;
}

tca_status tca__tbe_header_check(const tca_tbe_header *h)
{
    tca_tbe_geometry geo;
    /* spec 3.3: only layout v1 is implemented here (layout F, spec 8, is not yet) */
    if (h->layout != TCA_LAYOUT_V1) return TCA_ERROR_FORMAT_LAYOUT;
    /* spec 3.5 */
    if (tca_tbe_geometry_of(h->rows, h->cols, &geo) != TCA_OK) return TCA_ERROR_FORMAT_SHAPE;
    /* spec 3.6: base in 0..248 so that base + 7 fits the exponent field (defect D1) */
    if (h->base > TCA_TBE_BASE_MAX) return TCA_ERROR_FORMAT_BASE_RANGE;
    /* spec 6.4, 6.8: a global tile holds at most 4096 padded values of each stream, so neither
     * length can exceed 4096 G (this also keeps every size below 2^64) */
    uint64_t bound = geo.n_global * TCA__TBE_TILE_ELEMS;
    if (h->sign_mantissa_len > bound || h->full_len > bound) return TCA_ERROR_FORMAT_COUNTS;
    /* spec 3.7: a maximum of per-tile counts is at most 4096 and at most the total */
    if (h->max_sign_mantissa > TCA__TBE_TILE_ELEMS || h->max_full > TCA__TBE_TILE_ELEMS ||
        h->max_sign_mantissa > h->sign_mantissa_len || h->max_full > h->full_len)
        return TCA_ERROR_FORMAT_MAXIMA;
    return TCA_OK;
}

/* Store a uint64_t size into a size_t, or report that this platform cannot address it. */
static int fits_size(uint64_t v, size_t *out)
{
    if (v > SIZE_MAX) return 0;
    *out = (size_t)v;
    return 1;
}

tca_status tca_tbe_sizes_of(const tca_tbe_header *h, tca_tbe_sizes *out)
{
    if (!h || !out) return TCA_ERROR_PARAM_NULL;
    tca_status st = tca__tbe_header_check(h);
    if (st != TCA_OK) return st;
    tca_tbe_geometry geo;
    (void)tca_tbe_geometry_of(h->rows, h->cols, &geo); /* checked above */
    /* spec 6.8: bounded by the checks above: T <= 2^38, lengths <= 2^44, so no u64 overflow */
    uint64_t bitmap = 8 * geo.n_small;
    uint64_t tom = 8 * geo.n_median;
    uint64_t tog = 16 * (geo.n_global + 1);
    uint64_t full = 2 * h->full_len;
    uint64_t total = TCA_TBE_HEADER_SIZE + 3 * bitmap + tom + tog + h->sign_mantissa_len + full +
                     (h->has_content_checksum ? 4u : 0u);
    tca_tbe_sizes s;
    if (!fits_size(bitmap, &s.bitmap) || !fits_size(tom, &s.tom) || !fits_size(tog, &s.tog) ||
        !fits_size(h->sign_mantissa_len, &s.sign_mantissa) || !fits_size(full, &s.full) ||
        !fits_size(total, &s.stream_total))
        return TCA_ERROR_FORMAT_LIMIT;
    *out = s;
    return TCA_OK;
}

uint64_t tca_tbe_stream_bound(uint64_t rows, uint64_t cols)
{
    tca_tbe_geometry geo;
    if (tca_tbe_geometry_of(rows, cols, &geo) != TCA_OK) return 0;
    /* The largest padded value payload of one global tile is NOT the all-fallback one (8192 B):
     * with n in-window elements it is pad16(n) + 2 pad8(4096 - n), largest at n = 1:
     * 16 + 2 * 4096 = 8208 bytes (spec 6.4). */
    uint64_t per_tile_values = 16 + 2 * TCA__TBE_TILE_ELEMS;
    return TCA_TBE_HEADER_SIZE + 3 * 8 * geo.n_small + 8 * geo.n_median + 16 * (geo.n_global + 1) +
           per_tile_values * geo.n_global + 4;
}
