/* SPDX-License-Identifier: Apache-2.0 */
/* The educational decoder (refimpl/src/edu/, spec 7).
 *
 * 1. Hand-built streams: the header, tables and value streams are written out here from numbers
 *    derived by hand from the spec (and, for the 8 x 8 tile, from the bitmap words and streams
 *    printed in the reference notes, tca-tbe-layout.md section 4.1); the expected decoded values
 *    are the reference tile itself. Then every rule V1..V22 of spec 7.1 is violated one at a time
 *    and must give its code; a few streams violate two rules and must give the first in spec
 *    order.
 * 2. Differential: random matrices encoded by the fast encoder (src/tbe/) decode identically with
 *    both decoders, and corrupted streams get the same status from both. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/le.h"
#include "tca/tca.h"
#include "tca/edu.h"
#include "test_util.h"

/* ------------------------------------------------------------------ a hand stream builder */

/* Field values of a stream, all given explicitly by the test; hand_write only serialises them
 * (spec 3 byte table, spec 6.8 section order) and computes the two CRCs. */
typedef struct hand {
    uint64_t rows, cols;
    uint8_t base, flags, layout, major, minor;
    uint64_t g_count;          /* G; T = 64 G */
    uint64_t *b[3];            /* T words each */
    uint32_t *tom;             /* 4G x (hf, full) */
    uint64_t *tog;             /* (G+1) x (hf, full) */
    uint8_t *sm;               /* sm_len bytes */
    uint16_t *full;            /* full_len values */
    uint64_t sm_len, full_len; /* header fields AND the number of bytes/values written */
    uint32_t max_sm, max_full;
} hand;

static void hand_alloc(hand *h, uint64_t g_count, uint64_t sm_cap, uint64_t full_cap)
{
    memset(h, 0, sizeof *h);
    h->g_count = g_count;
    h->major = 1;
    h->flags = 1;
    for (int k = 0; k < 3; k++) h->b[k] = calloc(64 * g_count, 8);
    h->tom = calloc(8 * g_count, 4);
    h->tog = calloc(2 * (g_count + 1), 8);
    h->sm = calloc(sm_cap ? sm_cap : 1, 1);
    h->full = calloc(full_cap ? full_cap : 1, 2);
}

static void hand_free(hand *h)
{
    for (int k = 0; k < 3; k++) free(h->b[k]);
    free(h->tom);
    free(h->tog);
    free(h->sm);
    free(h->full);
}

static size_t hand_size(const hand *h)
{
    uint64_t t = 64 * h->g_count;
    return (size_t)(64 + 24 * t + 32 * h->g_count + 16 * (h->g_count + 1) + h->sm_len + 2 * h->full_len +
                    ((h->flags & 1) ? 4 : 0));
}

/* Serialise into a new buffer of hand_size(h) + extra bytes; *size = hand_size(h). */
static uint8_t *hand_write(const hand *h, size_t extra, size_t *size)
{
    size_t n = hand_size(h);
    uint8_t *s = calloc(n + extra + 1, 1);
    ck_assert_ptr_nonnull(s);
    s[0] = 0x89;
    s[1] = 0x54;
    s[2] = 0x43;
    s[3] = 0x41;
    s[4] = h->major;
    s[5] = h->minor;
    s[6] = h->layout;
    s[7] = h->flags;
    tca__st64(s + 8, h->rows);
    tca__st64(s + 16, h->cols);
    s[24] = h->base;
    tca__st32(s + 28, h->max_sm);
    tca__st32(s + 32, h->max_full);
    tca__st64(s + 40, h->sm_len);
    tca__st64(s + 48, h->full_len);
    tca__st32(s + 60, tca_crc32c(s, 60));
    uint8_t *p = s + 64;
    uint64_t t = 64 * h->g_count;
    for (int k = 0; k < 3; k++)
        for (uint64_t i = 0; i < t; i++, p += 8) tca__st64(p, h->b[k][i]);
    for (uint64_t i = 0; i < 8 * h->g_count; i++, p += 4) tca__st32(p, h->tom[i]);
    for (uint64_t i = 0; i < 2 * (h->g_count + 1); i++, p += 8) tca__st64(p, h->tog[i]);
    memcpy(p, h->sm, (size_t)h->sm_len);
    p += h->sm_len;
    for (uint64_t i = 0; i < h->full_len; i++, p += 2) tca__st16(p, h->full[i]);
    if (h->flags & 1) tca__st32(p, tca_crc32c(s + 64, (size_t)(p - (s + 64))));
    *size = n;
    return s;
}

/* Recompute the header checksum after editing header bytes (spec 3.8). */
static void fix_header_crc(uint8_t *s) { tca__st32(s + 60, tca_crc32c(s, 60)); }

static uint8_t *fast_stream(const uint16_t *w, uint64_t rows, uint64_t cols, int checksum, size_t *size);

/* ------------------------------------------------------------------ the reference tile */

/* tca-tbe-layout.md section 4.1: the tile (row r top to bottom, column c left to right). */
static const uint16_t ref_tile[64] = {
    0x0000, 0x3A30, 0x3AD5, 0xBB7A, 0x3B9F, 0x3C44, 0xBCE9, 0x3D0E, /* r0 */
    0x3A33, 0xBAD8, 0x3B7D, 0x3BA2, 0xBC47, 0x3CEC, 0x3D11, 0x8000, /* r1 */
    0x3ADB, 0x3B00, 0xBBA5, 0x3C4A, 0x3CEF, 0xBD14, 0x7FC1, 0x3A5E, /* r2 */
    0xBB03, 0x3BA8, 0x3C4D, 0xBCF2, 0x3D17, 0x7F80, 0xBA61, 0x3A86, /* r3 */
    0x3BAB, 0xBC50, 0x3CF5, 0x3D1A, 0x0005, 0x3A64, 0x3A89, 0xBB2E, /* r4 */
    0x3C53, 0x3CF8, 0xBD1D, 0x3F80, 0x3A67, 0xBA8C, 0x3B31, 0x3BD6, /* r5 */
    0xBCFB, 0x3D20, 0xC2F7, 0xBA6A, 0x3A8F, 0x3B34, 0xBBD9, 0x3C7E, /* r6 */
    0x3D23, 0x3E80, 0x3A6D, 0x3A92, 0xBB37, 0x3BDC, 0x3C01, 0xBCA6, /* r7 */
};
static const uint8_t ref_sm[56] = {
    0x30, 0x55, 0xFA, 0x1F, 0x44, 0xE9, 0x0E, 0x33, 0xD8, 0x7D, 0x22, 0xC7, 0x6C, 0x11,
    0x5B, 0x00, 0xA5, 0x4A, 0x6F, 0x94, 0x5E, 0x83, 0x28, 0x4D, 0xF2, 0x17, 0xE1, 0x06,
    0x2B, 0xD0, 0x75, 0x1A, 0x64, 0x09, 0xAE, 0x53, 0x78, 0x9D, 0x67, 0x8C, 0x31, 0x56,
    0xFB, 0x20, 0xEA, 0x0F, 0x34, 0xD9, 0x7E, 0x23, 0x6D, 0x12, 0xB7, 0x5C, 0x01, 0xA6,
};
static const uint16_t ref_full[8] = {0x0000, 0x8000, 0x7FC1, 0x7F80, 0x0005, 0x3F80, 0xC2F7, 0x3E80};

/* The 8 x 8 matrix W = ref_tile as a stream (spec 5.1: padded to 64 x 64, G = 1). Derived by
 * hand: small tile 0 holds the tile (56 in-window, 8 fallback); small tiles 1..63 hold padding
 * elements only (64 fallback 0x0000 each). Median tile 0 = small tiles 0..15: hf 56, full 968.
 * hf_0 = 56 -> padded 64 (8 zero bytes); full_0 = 4040 -> padded 4040 (no padding). */
static void hand_ref_tile(hand *h)
{
    hand_alloc(h, 1, 64 + 64, 4040 + 64);
    h->rows = 8;
    h->cols = 8;
    h->base = 115; /* w0 = 116 */
    h->b[0][0] = 0x55AA55AA55AA55AAull;
    h->b[1][0] = 0x993366CC993366CCull;
    h->b[2][0] = 0xE1C3870F1E3C78F0ull;
    uint32_t tom[8] = {0, 0, 56, 968, 56, 1992, 56, 3016};
    memcpy(h->tom, tom, sizeof tom);
    uint64_t tog[4] = {0, 0, 64, 4040};
    memcpy(h->tog, tog, sizeof tog);
    memcpy(h->sm, ref_sm, 56); /* + 8 zero padding bytes (calloc) */
    memcpy(h->full, ref_full, sizeof ref_full); /* + 4032 padding elements 0x0000 */
    h->sm_len = 64;
    h->full_len = 4040;
    h->max_sm = 64;
    h->max_full = 4040;
}

START_TEST(test_edu_reference_tile_decodes)
{
    hand h;
    hand_ref_tile(&h);
    size_t n;
    uint8_t *s = hand_write(&h, 0, &n);
    ck_assert_uint_eq(n, 64 + 24 * 64 + 32 + 32 + 64 + 2 * 4040 + 4); /* spec 6.8 */
    uint16_t out[64];
    tca_ck_assert_status(tca_edu_decode_stream(s, n, out, 64), TCA_OK);
    for (int i = 0; i < 64; i++) tca_ck_assert_bits16(out[i], ref_tile[i]);
    /* without Content_Checksum: 4 bytes shorter, same values */
    h.flags = 0;
    free(s);
    s = hand_write(&h, 0, &n);
    memset(out, 0xEE, sizeof out);
    tca_ck_assert_status(tca_edu_decode_stream(s, n, out, 64), TCA_OK);
    for (int i = 0; i < 64; i++) tca_ck_assert_bits16(out[i], ref_tile[i]);
    /* destination too small: the stream is valid, the call is not */
    tca_ck_assert_status(tca_edu_decode_stream(s, n, out, 63), TCA_ERROR_PARAM_DST_TOO_SMALL);
    tca_ck_assert_status(tca_edu_decode_stream(NULL, n, out, 64), TCA_ERROR_PARAM_NULL);
    free(s);
    hand_free(&h);
}
END_TEST

/* The lanes of the reference's table (section 4.1 of the notes, spec 7.3): lane l decodes
 * p = 2l, 2l+1; the prefix counts and results below are the reference's numbers. */
START_TEST(test_edu_reference_tile_lanes)
{
    hand h;
    hand_ref_tile(&h);
    size_t n;
    uint8_t *s = hand_write(&h, 0, &n);
    tca_tbe_view v;
    memset(&v, 0, sizeof v);
    v.hdr.layout = TCA_LAYOUT_V1;
    v.hdr.rows = 8;
    v.hdr.cols = 8;
    v.hdr.base = 115;
    v.hdr.max_sign_mantissa = 64;
    v.hdr.max_full = 4040;
    v.hdr.sign_mantissa_len = 64;
    v.hdr.full_len = 4040;
    v.hdr.has_content_checksum = 1;
    v.bitmap[0] = s + 64;
    v.bitmap[1] = s + 64 + 512;
    v.bitmap[2] = s + 64 + 1024;
    v.tom = s + 64 + 1536;
    v.tog = v.tom + 32;
    v.sign_mantissa = v.tog + 32;
    v.full = v.sign_mantissa + 64;
    v.hdr.content_checksum = tca__le32(v.full + 2 * 4040);
    tca_ck_assert_status(tca_edu_validate_view(&v), TCA_OK);
    uint16_t out[64];
    tca_ck_assert_status(tca_edu_decode_view(&v, out, 64), TCA_OK);
    for (int i = 0; i < 64; i++) tca_ck_assert_bits16(out[i], ref_tile[i]);

    static const struct {
        unsigned p, below, code;
        uint16_t value;
    } lanes[] = {
        {0, 0, 0, 0x0000},  /* lane 0: fallback index 0 - 0 = 0 */
        {1, 0, 1, 0x3A30},  /* lane 0: byte 0x30, code 1 */
        {12, 11, 5, 0xBC47}, /* lane 6: byte 0xC7, code 5 */
        {38, 33, 2, 0x3A89}, /* lane 19: byte 0x09, code 2 */
        {63, 55, 6, 0xBCA6}, /* lane 31: byte 0xA6, code 6 */
    };
    for (size_t i = 0; i < sizeof lanes / sizeof lanes[0]; i++) {
        tca_edu_trace tr;
        tca_ck_assert_status(tca_edu_decode_element(&v, lanes[i].p / 8, lanes[i].p % 8, &tr), TCA_OK);
        ck_assert_uint_eq(tr.p, lanes[i].p);
        ck_assert_uint_eq(tr.below, lanes[i].below);
        ck_assert_uint_eq(tr.code, lanes[i].code);
        tca_ck_assert_bits16(tr.value, lanes[i].value);
        ck_assert_uint_eq(tr.ind, 0xFDFBF7EFDFBF7FFEull); /* IND printed in the notes */
    }
    /* a padding element at row 0, column 8: small tile j = (8 / 8) * 2 + 0 = 2 (k8 outer, m8
     * inner), after small tile 0 (8 fallback) and small tile 1 (rows 8..15: 64 fallback), so
     * its Full index is 8 + 64 + 0 = 72 (spec 7.2) */
    tca_edu_trace tr;
    tca_ck_assert_status(tca_edu_decode_element(&v, 0, 8, &tr), TCA_OK);
    ck_assert_uint_eq(tr.t, 2);
    ck_assert_uint_eq(tr.full_start, 72);
    ck_assert_uint_eq(tr.index, 72);
    tca_ck_assert_bits16(tr.value, 0x0000);
    /* row 8, column 0: small tile j = 1 (lower half of the strip) */
    tca_ck_assert_status(tca_edu_decode_element(&v, 8, 0, &tr), TCA_OK);
    ck_assert_uint_eq(tr.t, 1);
    ck_assert_uint_eq(tr.hf_start, 56);
    ck_assert_uint_eq(tr.full_start, 8);
    tca_ck_assert_status(tca_edu_decode_element(&v, 64, 0, &tr), TCA_ERROR_PARAM_INVALID);
    free(s);
    hand_free(&h);
}
END_TEST

/* Base 248 (w0 = 249) is the largest legal base: code 1 then means exponent 249. Derived by
 * hand from spec 4.3: byte 0x30, code 1 -> (249 << 7) | 0x30 = 0x7CB0; byte 0xC7, code 5 ->
 * 0x8000 | (253 << 7) | 0x47 = 0xFEC7. */
START_TEST(test_edu_base_248_is_legal)
{
    hand h;
    hand_ref_tile(&h);
    h.base = 248;
    size_t n;
    /* The tile's fallback values 0x7FC1 and 0x7F80 (Full[2], Full[3]) have exponent 255, inside
     * the window 249..255: such a stream is non-canonical (spec 4.4, V22). */
    uint8_t *s = hand_write(&h, 0, &n);
    tca_ck_assert_status(tca_edu_validate_stream(s, n), TCA_ERROR_FORMAT_NONCANONICAL);
    free(s);
    h.full[2] = 0x3F80; /* exponent 127: outside the window */
    h.full[3] = 0xC000; /* exponent 128 */
    s = hand_write(&h, 0, &n);
    uint16_t out[64];
    tca_ck_assert_status(tca_edu_decode_stream(s, n, out, 64), TCA_OK);
    tca_ck_assert_bits16(out[1], 0x7CB0);
    tca_ck_assert_bits16(out[8 + 4], 0xFEC7);
    tca_ck_assert_bits16(out[0], 0x0000); /* fallback values do not depend on the base */
    tca_ck_assert_bits16(out[22], 0x3F80); /* p = 22 is the third fallback element */
    free(s);
    hand_free(&h);
}
END_TEST

/* ------------------------------------------------------------------ one element per global tile */

/* A 1 x (64 * gc) matrix (or 1 x cols with cols <= 64 gc) whose element (0, 64 i) is 0x3F80
 * (1.0: exponent 127) for every global tile i, all else +0. Window w0 = 127, base 126: code 1.
 * Per global tile (hand derivation): small tile 0, position 0 in-window; hf_g = 1 -> padded 16
 * (15 zero bytes); full_g = 4095 -> padded 4096 (1 zero element). TOM: (0,0), (1,1023),
 * (1,2047), (1,3071). TOG[i] = (16 i, 4096 i). The byte of 1.0 is (0 << 7) | 0x00 = 0x00. */
static void hand_ones(hand *h, uint64_t gc, uint64_t cols)
{
    hand_alloc(h, gc, 16 * gc + 64, 4096 * gc + 64);
    h->rows = 1;
    h->cols = cols;
    h->base = 126;
    for (uint64_t g = 0; g < gc; g++) {
        h->b[0][64 * g] = 1;
        uint32_t tom[8] = {0, 0, 1, 1023, 1, 2047, 1, 3071};
        memcpy(h->tom + 8 * g, tom, sizeof tom);
        h->tog[2 * (g + 1)] = 16 * (g + 1);
        h->tog[2 * (g + 1) + 1] = 4096 * (g + 1);
    }
    h->sm_len = 16 * gc;
    h->full_len = 4096 * gc;
    h->max_sm = 16;
    h->max_full = 4096;
}

START_TEST(test_edu_one_element_per_tile)
{
    hand h;
    hand_ones(&h, 3, 130); /* 1 x 130: G = 3, the last tile ragged */
    size_t n;
    uint8_t *s = hand_write(&h, 0, &n);
    uint16_t out[130];
    tca_ck_assert_status(tca_edu_decode_stream(s, n, out, 130), TCA_OK);
    for (int c = 0; c < 130; c++) tca_ck_assert_bits16(out[c], (c % 64 == 0) ? 0x3F80 : 0x0000);
    free(s);
    hand_free(&h);
}
END_TEST

/* The fast encoder's stream equals the hand-built one byte for byte: an independent check of the
 * encoder (and of the hand derivations) against the reference notes and spec 3-6. */
START_TEST(test_edu_encoder_matches_hand_streams)
{
    hand h;
    hand_ref_tile(&h);
    size_t n_hand, n_fast;
    uint8_t *want = hand_write(&h, 0, &n_hand);
    uint8_t *got = fast_stream(ref_tile, 8, 8, 1, &n_fast); /* window by spec 4.5: w0 = 116 */
    ck_assert_uint_eq(n_fast, n_hand);
    for (size_t i = 0; i < n_hand; i++) ck_assert_msg(got[i] == want[i], "byte %zu: 0x%02x, expected 0x%02x", i, got[i], want[i]);
    free(got);
    free(want);
    hand_free(&h);

    /* 1 x 130, 1.0 at columns 0, 64, 128; window forced to w0 = 127 (spec 4.5 would pick the
     * lowest of the equally covering windows, w0 = 121) */
    hand_ones(&h, 3, 130);
    want = hand_write(&h, 0, &n_hand);
    uint16_t w[130] = {0};
    w[0] = w[64] = w[128] = 0x3F80;
    tca_tbe_encode_options o;
    tca_tbe_encode_options_default(&o);
    o.window_start = 127;
    tca_tbe_matrix *m = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, 1, 130, &o, NULL, &m), TCA_OK);
    got = malloc(n_hand + 64);
    tca_ck_assert_status(tca_tbe_stream_write(&m->view, got, n_hand + 64, &n_fast), TCA_OK);
    ck_assert_uint_eq(n_fast, n_hand);
    for (size_t i = 0; i < n_hand; i++) ck_assert_msg(got[i] == want[i], "byte %zu: 0x%02x, expected 0x%02x", i, got[i], want[i]);
    tca_tbe_matrix_free(m);
    /* and by default the window is the lowest of the best ones: w0 = 121, base 120 */
    tca_ck_assert_status(tca_tbe_encode(w, 1, 130, NULL, NULL, &m), TCA_OK);
    ck_assert_uint_eq(m->view.hdr.base, 120);
    tca_tbe_matrix_free(m);
    free(got);
    free(want);
    hand_free(&h);
}
END_TEST

/* ------------------------------------------------------------------ every rule of spec 7.1 */

/* Status of the stream h, validated with size_delta bytes more (or fewer) than its size. */
static tca_status status_of(const hand *h, long size_delta)
{
    size_t n;
    uint8_t *s = hand_write(h, 16, &n);
    tca_status st = tca_edu_validate_stream(s, (size_t)((long)n + size_delta));
    free(s);
    return st;
}

/* Edit header byte `off` to `val`, fix (or not) the header CRC, validate. */
static tca_status status_header_edit(const hand *h, size_t off, uint8_t val, int fix_crc)
{
    size_t n;
    uint8_t *s = hand_write(h, 0, &n);
    s[off] = val;
    if (fix_crc) fix_header_crc(s);
    tca_status st = tca_edu_validate_stream(s, n);
    free(s);
    return st;
}

/* Edit a u64 header field, fix the header CRC, validate. */
static tca_status status_header_u64(const hand *h, size_t off, uint64_t val)
{
    size_t n;
    uint8_t *s = hand_write(h, 0, &n);
    tca__st64(s + off, val);
    fix_header_crc(s);
    tca_status st = tca_edu_validate_stream(s, n);
    free(s);
    return st;
}

START_TEST(test_edu_rules_header)
{
    hand h;
    hand_ref_tile(&h);
    tca_ck_assert_status(status_of(&h, 0), TCA_OK);
    /* V1 */
    size_t n;
    uint8_t *s = hand_write(&h, 0, &n);
    tca_ck_assert_status(tca_edu_validate_stream(s, 63), TCA_ERROR_FORMAT_TRUNCATED);
    tca_ck_assert_status(tca_edu_validate_stream(s, 0), TCA_ERROR_FORMAT_TRUNCATED);
    free(s);
    /* V2: each magic byte */
    for (size_t i = 0; i < 4; i++) tca_ck_assert_status(status_header_edit(&h, i, 0x00, 1), TCA_ERROR_FORMAT_MAGIC);
    /* V3: major 0, 2, 255 (with or without a fixed header CRC: the version comes first) */
    tca_ck_assert_status(status_header_edit(&h, 4, 2, 0), TCA_ERROR_FORMAT_VERSION);
    tca_ck_assert_status(status_header_edit(&h, 4, 0, 1), TCA_ERROR_FORMAT_VERSION);
    tca_ck_assert_status(status_header_edit(&h, 4, 255, 1), TCA_ERROR_FORMAT_VERSION);
    /* spec 3.2: any minor version is accepted */
    tca_ck_assert_status(status_header_edit(&h, 5, 7, 1), TCA_OK);
    tca_ck_assert_status(status_header_edit(&h, 5, 255, 1), TCA_OK);
    /* V4: a changed field without a new CRC, and a changed CRC */
    tca_ck_assert_status(status_header_edit(&h, 24, 116, 0), TCA_ERROR_FORMAT_HEADER_CHECKSUM);
    tca_ck_assert_status(status_header_edit(&h, 61, 0x5A, 0), TCA_ERROR_FORMAT_HEADER_CHECKSUM);
    tca_ck_assert_status(status_header_edit(&h, 6, 1, 0), TCA_ERROR_FORMAT_HEADER_CHECKSUM);
    /* V5: layout F (1) and unknown layouts */
    tca_ck_assert_status(status_header_edit(&h, 6, 1, 1), TCA_ERROR_FORMAT_LAYOUT);
    tca_ck_assert_status(status_header_edit(&h, 6, 2, 1), TCA_ERROR_FORMAT_LAYOUT);
    tca_ck_assert_status(status_header_edit(&h, 6, 255, 1), TCA_ERROR_FORMAT_LAYOUT);
    /* V6: every Reserved bit and byte */
    for (unsigned bit = 1; bit < 8; bit++)
        tca_ck_assert_status(status_header_edit(&h, 7, (uint8_t)(1 | (1u << bit)), 1), TCA_ERROR_FORMAT_RESERVED);
    static const size_t reserved[] = {25, 26, 27, 36, 37, 38, 39, 56, 57, 58, 59};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        tca_ck_assert_status(status_header_edit(&h, reserved[i], 0x80, 1), TCA_ERROR_FORMAT_RESERVED);
    /* V7 */
    hand e = h;
    e.rows = 0;
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_SHAPE);
    e = h;
    e.cols = 0;
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_SHAPE);
    e = h;
    e.cols = (1ull << 32) + 1;
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_SHAPE);
    e = h;
    e.rows = 1ull << 32;
    e.cols = 1ull << 32; /* padded product 2^64 */
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_SHAPE);
    e = h;
    e.rows = 1ull << 23;
    e.cols = (1ull << 21) + 1; /* padded product 2^23 (2^21 + 64) > 2^44 */
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_SHAPE);
    e = h;
    e.rows = 1ull << 32;
    e.cols = 1; /* legal shape (2^38 padded elements): the stream is then far too short */
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_TRUNCATED);
    e = h;
    e.rows = 1ull << 22;
    e.cols = 1ull << 22; /* exactly 2^44: legal */
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_TRUNCATED);
    /* V8 */
    tca_ck_assert_status(status_header_edit(&h, 24, 249, 1), TCA_ERROR_FORMAT_BASE_RANGE);
    tca_ck_assert_status(status_header_edit(&h, 24, 255, 1), TCA_ERROR_FORMAT_BASE_RANGE);
    /* V9: lengths above 4096 G (header edits: the sections are not reached) */
    tca_ck_assert_status(status_header_u64(&h, 40, 4096 + 16), TCA_ERROR_FORMAT_COUNTS);
    tca_ck_assert_status(status_header_u64(&h, 48, 4104), TCA_ERROR_FORMAT_COUNTS);
    tca_ck_assert_status(status_header_u64(&h, 48, UINT64_MAX), TCA_ERROR_FORMAT_COUNTS);
    tca_ck_assert_status(status_header_u64(&h, 40, 4096), TCA_ERROR_FORMAT_TRUNCATED); /* bound itself ok */
    /* V10: maxima above 4096 or above the lengths */
    e = h;
    e.max_full = 4097;
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_MAXIMA);
    e = h;
    e.max_sm = 80; /* > Sign_Mantissa_Length = 64 */
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_MAXIMA);
    /* V11, V12 */
    tca_ck_assert_status(status_of(&h, -1), TCA_ERROR_FORMAT_TRUNCATED);
    tca_ck_assert_status(status_of(&h, -4), TCA_ERROR_FORMAT_TRUNCATED); /* checksum cut off */
    tca_ck_assert_status(status_of(&h, 1), TCA_ERROR_FORMAT_TRAILING);
    e = h;
    e.flags = 0; /* flag cleared, checksum bytes still there: 4 trailing bytes */
    tca_ck_assert_status(status_of(&e, 4), TCA_ERROR_FORMAT_TRAILING);
    hand_free(&h);
}
END_TEST

START_TEST(test_edu_rules_sections)
{
    /* hand is a struct of pointers: a copy `e = h` shares the arrays, so array edits are made on
     * h and undone; scalar edits are made on copies. */
    hand h;
    hand_ref_tile(&h);
    hand e;
    /* V13 */
    h.tog[0] = 16;
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_TOG);
    h.tog[0] = 0;
    h.tog[1] = 8;
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_TOG);
    h.tog[1] = 0;
    /* V14: each TOM entry, each half */
    for (int i = 0; i < 8; i++) {
        h.tom[i] ^= 1;
        tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_TOM);
        h.tom[i] ^= 1;
    }
    tca_ck_assert_status(status_of(&h, 0), TCA_OK);
    /* V15: TOG[1] wrong; larger by whole padding units = non-minimal padding */
    h.tog[2] = 48;
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_TOG);
    h.tog[2] = 65;
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_TOG);
    h.tog[2] = 64;
    h.tog[3] = 4041;
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_TOG);
    h.tog[3] = 4040;
    h.tog[2] = 80; /* 16 more SignMantissa bytes than minimal, */
    e = h;
    e.sm_len = 80; /* consistently in the header, the maxima, and the section (zeros) */
    e.max_sm = 80;
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_PADDING);
    h.tog[2] = 64;
    h.tog[3] = 4048; /* 8 more Full elements than minimal */
    e = h;
    e.full_len = 4048;
    e.max_full = 4048;
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_PADDING);
    h.tog[3] = 4040;
    h.tog[2] = 64 + 4096 + 16; /* more than 4096 extra: not a padding error */
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_TOG);
    h.tog[2] = 64;
    tca_ck_assert_status(status_of(&h, 0), TCA_OK);
    /* V16: TOG[1] right but the section shorter than the tile's slice */
    e = h;
    e.sm_len = 48;
    e.max_sm = 48;
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_COUNTS);
    /* V17: a non-zero SignMantissa padding byte */
    h.sm[60] = 0x01;
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_PADDING);
    h.sm[60] = 0x00;
    /* V18: the Full value of a padding element (Full index 8: row 0, column 8) */
    h.full[8] = 0x8000; /* -0 is not +0 */
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_PAD_ELEMENT);
    h.full[8] = 0x0000;
    h.full[4039] = 0x0001; /* the last padding element of the tile */
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_PAD_ELEMENT);
    h.full[4039] = 0x0000;
    /* V19: Sign_Mantissa_Length larger than TOG[G] (stream consistent otherwise) */
    e = h;
    e.sm_len = 80;
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_COUNTS);
    e = h;
    e.full_len = 4048;
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_COUNTS);
    /* V20 */
    e = h;
    e.max_sm = 48;
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_MAXIMA);
    e = h;
    e.max_full = 4032;
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_MAXIMA);
    /* V21: a data byte changed after the checksum was computed */
    size_t n;
    uint8_t *s = hand_write(&h, 0, &n);
    size_t sm_off = 64 + 24 * 64 + 32 + 32;
    s[sm_off + 5] ^= 0x01;
    tca_ck_assert_status(tca_edu_validate_stream(s, n), TCA_ERROR_FORMAT_CONTENT_CHECKSUM);
    s[sm_off + 5] ^= 0x01;
    s[n - 1] ^= 0x80; /* the checksum itself */
    tca_ck_assert_status(tca_edu_validate_stream(s, n), TCA_ERROR_FORMAT_CONTENT_CHECKSUM);
    free(s);
    /* V22 (spec 4.4): a Full value inside the window [116, 122] is non-canonical. h.full[0] is
     * the tile's first fallback value, 0x0000; give it exponent 116, then 123 (outside). */
    h.full[0] = (uint16_t)(116u << 7);
    s = hand_write(&h, 0, &n);
    tca_ck_assert_status(tca_edu_validate_stream(s, n), TCA_ERROR_FORMAT_NONCANONICAL);
    free(s);
    h.full[0] = (uint16_t)(123u << 7);
    s = hand_write(&h, 0, &n);
    tca_ck_assert_status(tca_edu_validate_stream(s, n), TCA_OK);
    free(s);
    h.full[0] = 0x0000;
    /* without the checksum the same data change is a valid stream with another value */
    h.flags = 0;
    h.sm[5] ^= 0x01;
    s = hand_write(&h, 0, &n);
    uint16_t out[64];
    tca_ck_assert_status(tca_edu_decode_stream(s, n, out, 64), TCA_OK);
    tca_ck_assert_bits16(out[6], 0xBCE8); /* was 0xBCE9 (byte 0xE9 -> 0xE8) */
    free(s);
    hand_free(&h);
}
END_TEST

/* Code at a padding position, with every table consistent (V18, first part). */
START_TEST(test_edu_rules_pad_element_code)
{
    hand h;
    hand_ones(&h, 1, 1); /* 1 x 1 matrix: element (0, 0) = 1.0 */
    tca_ck_assert_status(status_of(&h, 0), TCA_OK);
    /* make padding element (0, 1) in-window (code 1), tables updated by hand: hf_0 = 2 ->
     * padded 16; full_0 = 4094 -> padded 4096 (2 padding elements) */
    h.b[0][0] = 3;
    uint32_t tom[8] = {0, 0, 2, 1022, 2, 2046, 2, 3070};
    memcpy(h.tom, tom, sizeof tom);
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_PAD_ELEMENT);
    /* the same code in plane B3 only (code 4) */
    h.b[0][0] = 1;
    h.b[2][0] = 2;
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_PAD_ELEMENT);
    hand_free(&h);
    /* a non-zero Full padding element (V17): 1 x 1 has 1 padding element at Full index 4095 */
    hand_ones(&h, 1, 1);
    h.full[4095] = 0x0001;
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_PADDING);
    hand_free(&h);
}
END_TEST

/* Two violated rules: the first in the order of spec 7.1 is reported. */
START_TEST(test_edu_rules_order)
{
    hand h;
    hand_ones(&h, 2, 128); /* G = 2 */
    tca_ck_assert_status(status_of(&h, 0), TCA_OK);
    hand e = h;
    /* PADDING in tile 0 (V17) before TOM in tile 1 (V14): the walk is per global tile */
    h.sm[3] = 0x01;
    h.tom[8 + 2] = 7;
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_PADDING);
    h.sm[3] = 0x00;
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_TOM);
    /* TOM in tile 1 before MAXIMA (V20) and CONTENT_CHECKSUM (V21) */
    h.max_full = 4088;
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_TOM);
    h.tom[8 + 2] = 1;
    tca_ck_assert_status(status_of(&h, 0), TCA_ERROR_FORMAT_MAXIMA);
    h.max_full = 4096;
    tca_ck_assert_status(status_of(&h, 0), TCA_OK);
    /* TOM (V14) before TOG (V15) of the same tile (arrays shared with h: undone below) */
    e.tom[3] = 5;
    e.tog[2] = 32;
    tca_ck_assert_status(status_of(&e, 0), TCA_ERROR_FORMAT_TOM);
    e.tom[3] = 1023;
    e.tog[2] = 16;
    tca_ck_assert_status(status_of(&h, 0), TCA_OK);
    /* header checksum (V4) before layout (V5), reserved (V6), base (V8) */
    size_t n;
    uint8_t *s = hand_write(&h, 0, &n);
    s[6] = 1;
    s[25] = 1;
    s[24] = 250;
    tca_ck_assert_status(tca_edu_validate_stream(s, n), TCA_ERROR_FORMAT_HEADER_CHECKSUM);
    fix_header_crc(s);
    tca_ck_assert_status(tca_edu_validate_stream(s, n), TCA_ERROR_FORMAT_LAYOUT);
    s[6] = 0;
    fix_header_crc(s);
    tca_ck_assert_status(tca_edu_validate_stream(s, n), TCA_ERROR_FORMAT_RESERVED);
    s[25] = 0;
    fix_header_crc(s);
    tca_ck_assert_status(tca_edu_validate_stream(s, n), TCA_ERROR_FORMAT_BASE_RANGE);
    /* magic (V2) before version (V3) */
    s[0] = 0;
    s[4] = 9;
    tca_ck_assert_status(tca_edu_validate_stream(s, n), TCA_ERROR_FORMAT_MAGIC);
    free(s);
    /* content checksum (V21) comes after the structural rules: a TOG error with a stale
     * checksum reports TOG */
    s = hand_write(&h, 0, &n);
    size_t tog_off = 64 + 24 * 128 + 32 * 2;
    s[tog_off + 16] ^= 0x10; /* TOG[1].hf 16 -> 0 */
    tca_ck_assert_status(tca_edu_validate_stream(s, n), TCA_ERROR_FORMAT_TOG);
    free(s);
    hand_free(&h);
}
END_TEST

/* ------------------------------------------------------------------ differential (fast vs edu) */

/* Edge distributions, each element drawn from r. */
enum { DIST_GAUSS, DIST_GAUSS_ZEROS, DIST_ZEROS, DIST_RANDOM_BITS, DIST_LOW_EXP, DIST_SPECIALS, DIST_TWO_EXP,
       DIST_TOP_EXP, DIST_COUNT };

static uint16_t draw(tca_prng *r, int dist)
{
    static const uint16_t specials[] = {
        0x0000, /* +0 */
        0x8000, /* -0 */
        0x0001, /* smallest positive subnormal */
        0x807F, /* negative subnormal */
        0x7F80, /* +Inf */
        0xFF80, /* -Inf */
        0x7FC0, /* quiet NaN */
        0xFFC1, /* negative NaN with payload */
        0x7F81, /* signalling NaN */
        0x7F7F, /* largest finite */
        0x0080, /* smallest normal */
    };
    switch (dist) {
    case DIST_GAUSS: return tca_bf16_from_double_rne(0.02 * tca_prng_normal(r));
    case DIST_GAUSS_ZEROS:
        return tca_prng_below(r, 100) < 3 ? 0x0000 : tca_bf16_from_double_rne(0.02 * tca_prng_normal(r));
    case DIST_ZEROS: return 0x0000;
    case DIST_RANDOM_BITS: return (uint16_t)tca_prng_u32(r);
    case DIST_LOW_EXP: /* exponents 0..7: the original's D1 trigger */
        return (uint16_t)((tca_prng_below(r, 2) << 15) | (tca_prng_below(r, 8) << 7) | tca_prng_below(r, 128));
    case DIST_SPECIALS:
        if (tca_prng_below(r, 4) == 0) return specials[tca_prng_below(r, sizeof specials / sizeof specials[0])];
        return tca_bf16_from_double_rne(0.02 * tca_prng_normal(r));
    case DIST_TWO_EXP: /* only exponents 100 and 130 */
        return (uint16_t)((tca_prng_below(r, 2) ? 100u : 130u) << 7 | tca_prng_below(r, 128));
    default: /* exponents 249..255: the top window, Inf and NaN in-window */
        return (uint16_t)((tca_prng_below(r, 2) << 15) | ((249 + tca_prng_below(r, 7)) << 7) | tca_prng_below(r, 128));
    }
}

/* Encode with the fast encoder and serialise; returns the stream (malloc'd). */
static uint8_t *fast_stream(const uint16_t *w, uint64_t rows, uint64_t cols, int checksum, size_t *size)
{
    tca_tbe_encode_options o;
    tca_tbe_encode_options_default(&o);
    o.content_checksum = checksum;
    tca_tbe_matrix *m = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, rows, cols, &o, NULL, &m), TCA_OK);
    size_t cap = (size_t)tca_tbe_stream_bound(rows, cols);
    uint8_t *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    tca_ck_assert_status(tca_tbe_stream_write(&m->view, s, cap, size), TCA_OK);
    /* the view API of the edu decoder agrees on the encoder's own view */
    uint16_t *out = malloc((size_t)(rows * cols) * 2);
    tca_ck_assert_status(tca_edu_decode_view(&m->view, out, rows * cols), TCA_OK);
    for (uint64_t i = 0; i < rows * cols; i++) tca_ck_assert_bits16(out[i], w[i]);
    free(out);
    tca_tbe_matrix_free(m);
    return s;
}

/* Both decoders on one input: same status, and the same output when valid. */
static void compare_decoders(const uint8_t *s, size_t n, uint64_t elems, const char *what)
{
    uint16_t *a = malloc((size_t)elems * 2 + 2), *b = malloc((size_t)elems * 2 + 2);
    /* a corrupted header may declare fewer elements than elems: the rest must compare equal */
    memset(a, 0xA5, (size_t)elems * 2 + 2);
    memset(b, 0xA5, (size_t)elems * 2 + 2);
    tca_status sa = tca_tbe_decode_stream(s, n, a, elems);
    tca_status sb = tca_edu_decode_stream(s, n, b, elems);
    ck_assert_msg(sa == sb, "%s: fast decoder %s, educational decoder %s", what, tca_status_name(sa),
                  tca_status_name(sb));
    if (sa == TCA_OK)
        for (uint64_t i = 0; i < elems; i++)
            ck_assert_msg(a[i] == b[i], "%s: element %llu: fast 0x%04x, educational 0x%04x", what,
                          (unsigned long long)i, a[i], b[i]);
    free(a);
    free(b);
}

START_TEST(test_edu_differential_valid)
{
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(tca_test_seed(), 0xED0));
    uint64_t cases = tca_test_count(24, 400);
    for (uint64_t k = 0; k < cases; k++) {
        int dist = (int)(k % DIST_COUNT);
        uint64_t rows = 1 + tca_prng_below(&r, k < 8 ? 70 : 150);
        uint64_t cols = 1 + tca_prng_below(&r, k < 8 ? 70 : 150);
        uint16_t *w = malloc((size_t)(rows * cols) * 2);
        for (uint64_t i = 0; i < rows * cols; i++) w[i] = draw(&r, dist);
        size_t n;
        uint8_t *s = fast_stream(w, rows, cols, (int)(k & 1), &n);
        uint16_t *out = malloc((size_t)(rows * cols) * 2);
        tca_ck_assert_status(tca_edu_decode_stream(s, n, out, rows * cols), TCA_OK);
        for (uint64_t i = 0; i < rows * cols; i++) tca_ck_assert_bits16(out[i], w[i]);
        compare_decoders(s, n, rows * cols, "valid stream");
        free(out);
        free(s);
        free(w);
    }
}
END_TEST

/* One random corruption of a copy of s. Header edits fix the header CRC so that the deeper
 * rules are reached. */
static size_t corrupt(tca_prng *r, const uint8_t *s, size_t n, uint8_t *c, char *what, size_t what_size)
{
    memcpy(c, s, n);
    uint64_t kind = tca_prng_below(r, 8);
    size_t pos = (size_t)tca_prng_below(r, n);
    switch (kind) {
    case 0: /* flip one bit anywhere */
        c[pos] ^= (uint8_t)(1u << tca_prng_below(r, 8));
        snprintf(what, what_size, "bit flip at %zu", pos);
        return n;
    case 1: /* truncate */
        snprintf(what, what_size, "truncated to %zu", pos);
        return pos;
    case 2: /* append */
        c[n] = (uint8_t)tca_prng_u32(r);
        snprintf(what, what_size, "one trailing byte");
        return n + 1;
    case 3: { /* a header byte set to a random value, header CRC fixed */
        size_t off = (size_t)tca_prng_below(r, 60);
        c[off] = (uint8_t)tca_prng_u32(r);
        fix_header_crc(c);
        snprintf(what, what_size, "header byte %zu = 0x%02x, CRC fixed", off, c[off]);
        return n;
    }
    case 4: { /* a length or maximum field nudged by a small amount, CRC fixed */
        static const size_t fields[] = {28, 32, 40, 48, 8, 16};
        size_t off = fields[tca_prng_below(r, 6)];
        int64_t delta = tca_prng_range(r, -17, 17);
        uint32_t v = tca__le32(c + off);
        tca__st32(c + off, (uint32_t)((int64_t)v + delta));
        fix_header_crc(c);
        snprintf(what, what_size, "header field at %zu %+lld, CRC fixed", off, (long long)delta);
        return n;
    }
    case 5: /* zero byte in the sections */
    case 6: /* 0xFF byte in the sections */
        pos = 64 + (size_t)tca_prng_below(r, n - 64);
        c[pos] = kind == 5 ? 0x00 : 0xFF;
        snprintf(what, what_size, "section byte %zu = 0x%02x", pos, c[pos]);
        return n;
    default: /* a byte of the offset tables or value streams plus 1 */
        pos = 64 + (size_t)tca_prng_below(r, n - 64);
        c[pos]++;
        snprintf(what, what_size, "section byte %zu incremented", pos);
        return n;
    }
}

START_TEST(test_edu_differential_corrupt)
{
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(tca_test_seed(), 0xED1));
    uint64_t matrices = tca_test_count(12, 120);
    uint64_t per_matrix = tca_test_count(60, 300);
    uint64_t rejected = 0, total = 0;
    uint64_t by_code[100] = {0}; /* how often each status came up */
    for (uint64_t k = 0; k < matrices; k++) {
        int dist = (int)(k % DIST_COUNT);
        uint64_t rows = 1 + tca_prng_below(&r, 140);
        uint64_t cols = 1 + tca_prng_below(&r, 140);
        uint16_t *w = malloc((size_t)(rows * cols) * 2);
        for (uint64_t i = 0; i < rows * cols; i++) w[i] = draw(&r, dist);
        size_t n;
        /* mostly without Content_Checksum, so that the structural rules decide */
        uint8_t *s = fast_stream(w, rows, cols, k % 4 == 3, &n);
        uint8_t *c = malloc(n + 1);
        for (uint64_t i = 0; i < per_matrix; i++) {
            char what[96];
            size_t m = corrupt(&r, s, n, c, what, sizeof what);
            tca_status st = tca_edu_validate_stream(c, m);
            rejected += st != TCA_OK;
            total++;
            by_code[(int)st < 100 ? (int)st : 99]++;
            compare_decoders(c, m, rows * cols, what);
        }
        free(c);
        free(s);
        free(w);
    }
    ck_assert_uint_gt(rejected, total / 2); /* the corruptions do exercise the rules */
    /* one line of coverage: which codes the corruptions reached */
    unsigned distinct = 0;
    fprintf(stderr, "edu differential: %llu corrupted streams:", (unsigned long long)total);
    for (int c = 0; c < 100; c++)
        if (by_code[c]) {
            distinct++;
            fprintf(stderr, " %s=%llu", tca_status_name((tca_status)c), (unsigned long long)by_code[c]);
        }
    fprintf(stderr, "\n");
    ck_assert_uint_ge(distinct, 10);
}
END_TEST

/* The view API (used by the safetensors container): header fields edited in the view struct and
 * section bytes corrupted; both decoders must agree. Edits never enlarge the arrays the view
 * describes (the view API trusts its caller for the array sizes). */
static void edit_view(tca_prng *r, tca_tbe_view *v, uint8_t *sections, size_t sections_size, char *what, size_t n)
{
    tca_tbe_header *h = &v->hdr;
    uint64_t mp = (h->rows + 63) / 64 * 64, kp = (h->cols + 63) / 64 * 64;
    switch (tca_prng_below(r, 9)) {
    case 0:
        h->layout = (tca_layout)(1 + tca_prng_below(r, 3));
        snprintf(what, n, "layout %d", (int)h->layout);
        break;
    case 1:
        h->base = (uint8_t)tca_prng_below(r, 256);
        snprintf(what, n, "base %u", h->base);
        break;
    case 2:
        h->max_sign_mantissa += (uint32_t)tca_prng_range(r, -20, 20);
        h->max_full += (uint32_t)tca_prng_range(r, -20, 20);
        snprintf(what, n, "maxima %u %u", (unsigned)h->max_sign_mantissa, (unsigned)h->max_full);
        break;
    case 3:
        h->sign_mantissa_len -= 16 * tca_prng_below(r, h->sign_mantissa_len / 16 + 1);
        snprintf(what, n, "sign_mantissa_len %llu", (unsigned long long)h->sign_mantissa_len);
        break;
    case 4:
        h->full_len -= 8 * tca_prng_below(r, h->full_len / 8 + 1);
        snprintf(what, n, "full_len %llu", (unsigned long long)h->full_len);
        break;
    case 5:
        h->rows = 1 + tca_prng_below(r, mp);
        h->cols = 1 + tca_prng_below(r, kp);
        snprintf(what, n, "shape %llu x %llu", (unsigned long long)h->rows, (unsigned long long)h->cols);
        break;
    case 6:
        h->has_content_checksum = 1;
        h->content_checksum ^= 1u << tca_prng_below(r, 32);
        snprintf(what, n, "content checksum changed");
        break;
    default: {
        size_t pos = (size_t)tca_prng_below(r, sections_size);
        sections[pos] ^= (uint8_t)(1u << tca_prng_below(r, 8));
        snprintf(what, n, "section byte %zu flipped", pos);
        break;
    }
    }
}

START_TEST(test_edu_differential_view)
{
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(tca_test_seed(), 0xED2));
    uint64_t matrices = tca_test_count(8, 80);
    uint64_t per_matrix = tca_test_count(50, 200);
    for (uint64_t k = 0; k < matrices; k++) {
        int dist = (int)(k % DIST_COUNT);
        uint64_t rows = 1 + tca_prng_below(&r, 140), cols = 1 + tca_prng_below(&r, 140);
        uint16_t *w = malloc((size_t)(rows * cols) * 2);
        for (uint64_t i = 0; i < rows * cols; i++) w[i] = draw(&r, dist);
        size_t n;
        uint8_t *s = fast_stream(w, rows, cols, (int)(k & 1), &n);
        uint8_t *c = malloc(n);
        uint16_t *a = malloc((size_t)(rows * cols) * 2), *b = malloc((size_t)(rows * cols) * 2);
        for (uint64_t i = 0; i < per_matrix; i++) {
            memcpy(c, s, n);
            tca_tbe_view v;
            tca_ck_assert_status(tca_tbe_stream_parse(c, n, &v), TCA_OK);
            char what[96];
            edit_view(&r, &v, c + 64, n - 64 - (v.hdr.has_content_checksum ? 4 : 0), what, sizeof what);
            memset(a, 0xA5, (size_t)(rows * cols) * 2);
            memset(b, 0xA5, (size_t)(rows * cols) * 2);
            tca_status sa = tca_tbe_decode(&v, a, rows * cols);
            tca_status sb = tca_edu_decode_view(&v, b, rows * cols);
            ck_assert_msg(sa == sb, "view, %s: fast decoder %s, educational decoder %s", what, tca_status_name(sa),
                          tca_status_name(sb));
            if (sa == TCA_OK) ck_assert_msg(memcmp(a, b, (size_t)(rows * cols) * 2) == 0, "view, %s: outputs differ", what);
        }
        free(a);
        free(b);
        free(c);
        free(s);
        free(w);
    }
}
END_TEST

Suite *tca_edu_suite(void);
Suite *tca_edu_suite(void)
{
    Suite *s = suite_create("edu");
    TCase *tc = tcase_create("hand");
    tcase_add_test(tc, test_edu_reference_tile_decodes);
    tcase_add_test(tc, test_edu_reference_tile_lanes);
    tcase_add_test(tc, test_edu_base_248_is_legal);
    tcase_add_test(tc, test_edu_one_element_per_tile);
    tcase_add_test(tc, test_edu_encoder_matches_hand_streams);
    tcase_add_test(tc, test_edu_rules_header);
    tcase_add_test(tc, test_edu_rules_sections);
    tcase_add_test(tc, test_edu_rules_pad_element_code);
    tcase_add_test(tc, test_edu_rules_order);
    suite_add_tcase(s, tc);
    TCase *td = tcase_create("differential");
    tcase_add_test(td, test_edu_differential_valid);
    tcase_add_test(td, test_edu_differential_corrupt);
    tcase_add_test(td, test_edu_differential_view);
    suite_add_tcase(s, td);
    return s;
}
