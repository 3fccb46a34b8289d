/* SPDX-License-Identifier: Apache-2.0 */
/* Statistics of an encoding (non-normative; for `tca info`, docs and tests): in-window count,
 * encoded size, bits per weight and the exponent-entropy bound (spec 11 of the reference
 * layout: 8 + H(exponent) bits for any coder that keeps sign and mantissa raw). */
#include <math.h>
#include <string.h>
#include "tbe/tbe_internal.h"

/* Exponent histogram of the logical elements, read from the encoding itself: in-window elements
 * from their codes (exponent = base + code), fallback elements from their Full patterns. The
 * padding elements are +0.0 (validated) and are taken back out of hist[0]. */
static void histogram_of_encoding(const tca_tbe_view *v, const tca_tbe_geometry *geo, uint64_t hist[256])
{
    memset(hist, 0, 256 * sizeof hist[0]);
    for (uint64_t t = 0; t < geo->n_small; t++) {
        uint64_t b1 = tca__tbe_plane_word(v->bitmap[0], t), b2 = tca__tbe_plane_word(v->bitmap[1], t),
                 b3 = tca__tbe_plane_word(v->bitmap[2], t);
        for (unsigned code = 1; code < 8; code++) {
            uint64_t m = ((code & 1u) ? b1 : ~b1) & ((code & 2u) ? b2 : ~b2) & ((code & 4u) ? b3 : ~b3);
            hist[v->hdr.base + code] += tca__tbe_popc64(m);
        }
    }
    /* Full holds fallback patterns plus zero stream padding (spec 6.4); both padding kinds are
     * 0x0000, so count everything and subtract the zeros that are not logical elements */
    for (uint64_t i = 0; i < v->hdr.full_len; i++) hist[(tca__le16(v->full + 2 * i) >> 7) & 0xFFu]++;
    uint64_t padded = geo->n_global * TCA__TBE_TILE_ELEMS;
    uint64_t in_window = 0;
    for (unsigned code = 1; code < 8; code++) in_window += hist[v->hdr.base + code];
    uint64_t fallback_slots = padded - in_window;            /* Full entries that are elements */
    uint64_t stream_padding = v->hdr.full_len - fallback_slots;
    uint64_t pad_elements = padded - v->hdr.rows * v->hdr.cols;
    hist[0] -= stream_padding + pad_elements;
}

static double entropy_bits(const uint64_t hist[256], uint64_t n)
{
    double h = 0.0;
    for (unsigned e = 0; e < 256; e++) {
        if (!hist[e]) continue;
        double p = (double)hist[e] / (double)n;
        h -= p * log2(p);
    }
    return h;
}

tca_status tca_tbe_stats_of(const tca_tbe_view *v, const uint16_t *decoded_or_null, tca_tbe_stats *out)
{
    if (!v || !out) return TCA_ERROR_PARAM_NULL;
    tca_status st = tca_tbe_validate(v); /* the statistics below rely on a consistent encoding */
    if (st != TCA_OK) return st;
    tca_tbe_geometry geo;
    tca_tbe_sizes sz;
    (void)tca_tbe_geometry_of(v->hdr.rows, v->hdr.cols, &geo);
    (void)tca_tbe_sizes_of(&v->hdr, &sz);
    uint64_t hist[256];
    if (decoded_or_null)
        tca_tbe_exponent_histogram(decoded_or_null, v->hdr.rows, v->hdr.cols, hist);
    else
        histogram_of_encoding(v, &geo, hist);
    tca_tbe_stats s;
    memset(&s, 0, sizeof s);
    s.elements = v->hdr.rows * v->hdr.cols;
    for (unsigned code = 1; code < 8; code++) s.in_window += hist[v->hdr.base + code];
    s.encoded_bytes = 3 * (uint64_t)sz.bitmap + sz.tom + sz.tog + sz.sign_mantissa + sz.full;
    s.bits_per_weight = 8.0 * (double)s.encoded_bytes / (double)s.elements;
    s.exponent_entropy_bits = 8.0 + entropy_bits(hist, s.elements);
    *out = s;
    return TCA_OK;
}
