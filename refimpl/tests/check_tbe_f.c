/* SPDX-License-Identifier: Apache-2.0 */
/* Layout F (spec 8): round trips on every distribution the v1 tests use, the transcoder
 * equalities (v1 -> F equals the F encoder byte for byte; F -> v1 equals the v1 encoder; both
 * directions invert each other), rejection of non-canonical streams, a hand-derived stream, an
 * arrangement check against a spec-literal builder, and the size against v1.
 *
 * Independent expectations: the input matrix itself (round trips), the v1 encoder (a separate
 * implementation of the same codes and values), bytes derived by hand from spec 8 (hand stream),
 * and a builder that places elements by inverting the table of spec 7.3 rather than by the
 * library's forward formulas. */
#include <stdlib.h>
#include <string.h>
#include "tca/tca.h"
#include "tca/tbe_f.h"
#include "test_util.h"

static unsigned ex_of(uint16_t x) { return (x >> 7) & 0xFFu; }
static uint64_t tca__le64_test(const uint8_t *p)
{
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--) v = (v << 8) | p[k];
    return v;
}

static uint8_t *f_stream(const tca_tbe_f_view *v, size_t *n)
{
    tca_tbe_f_sizes sz;
    tca_ck_assert_status(tca_tbe_f_sizes_of(&v->hdr, &sz), TCA_OK);
    uint8_t *s = malloc(sz.stream_total);
    tca_ck_assert_status(tca_tbe_f_stream_write(v, s, sz.stream_total, n), TCA_OK);
    ck_assert_uint_eq(*n, sz.stream_total);
    return s;
}

static uint8_t *v1_stream(const tca_tbe_view *v, size_t *n)
{
    tca_tbe_sizes sz;
    tca_ck_assert_status(tca_tbe_sizes_of(&v->hdr, &sz), TCA_OK);
    uint8_t *s = malloc(sz.stream_total);
    tca_ck_assert_status(tca_tbe_stream_write(v, s, sz.stream_total, n), TCA_OK);
    return s;
}

static void assert_matrix_eq(const uint16_t *d, const uint16_t *w, uint64_t n, const char *what)
{
    for (uint64_t i = 0; i < n; i++)
        ck_assert_msg(d[i] == w[i], "%s: element %llu: got 0x%04x, expected 0x%04x", what, (unsigned long long)i, d[i],
                      w[i]);
}

/* Encode in both layouts with window w0 (0 = chosen), then check: F decodes to w (view, arrays
 * in exact-size separate allocations, stream, dispatching decoder); transcoding v1 -> F gives the
 * F encoder's stream byte for byte; F -> v1 gives the v1 encoder's stream byte for byte; the
 * stream transcoder agrees. Returns the base. */
static unsigned roundtrip(const uint16_t *w, uint64_t M, uint64_t K, int w0)
{
    tca_tbe_encode_options o;
    tca_tbe_encode_options_default(&o);
    o.window_start = w0;
    tca_tbe_f_matrix *f = NULL;
    tca_tbe_matrix *v1 = NULL;
    tca_ck_assert_status(tca_tbe_f_encode(w, M, K, &o, NULL, &f), TCA_OK);
    tca_ck_assert_status(tca_tbe_encode(w, M, K, &o, NULL, &v1), TCA_OK);
    ck_assert_uint_eq(f->view.hdr.base, v1->view.hdr.base);
    tca_ck_assert_status(tca_tbe_f_validate(&f->view), TCA_OK);
    uint16_t *d = malloc(M * K * 2);
    memset(d, 0xA5, M * K * 2);
    tca_ck_assert_status(tca_tbe_f_decode(&f->view, d, M * K), TCA_OK);
    assert_matrix_eq(d, w, M * K, "F view");

    /* separate exact-size arrays (ASan catches any read past one) */
    tca_tbe_f_sizes sz;
    tca_ck_assert_status(tca_tbe_f_sizes_of(&f->view.hdr, &sz), TCA_OK);
    tca_tbe_f_view sep = f->view;
    uint8_t *a0 = malloc(sz.strips), *a1 = sz.exceptions ? malloc(sz.exceptions) : NULL, *a2 = malloc(sz.offsets);
    memcpy(a0, f->view.strips, sz.strips);
    if (a1) memcpy(a1, f->view.exceptions, sz.exceptions);
    memcpy(a2, f->view.exception_offsets, sz.offsets);
    sep.strips = a0;
    sep.exceptions = a1;
    sep.exception_offsets = a2;
    memset(d, 0x5A, M * K * 2);
    tca_ck_assert_status(tca_tbe_f_decode(&sep, d, M * K), TCA_OK);
    assert_matrix_eq(d, w, M * K, "F separate arrays");
    free(a0);
    free(a1);
    free(a2);

    size_t nf = 0, nv = 0;
    uint8_t *sf = f_stream(&f->view, &nf), *sv = v1_stream(&v1->view, &nv);
    ck_assert_uint_le(nf, tca_tbe_f_stream_bound(M, K));
    ck_assert_uint_eq(sf[5], 1); /* spec 3.2: layout F streams are minor version 1 */
    ck_assert_uint_eq(sf[6], 1); /* spec 3.3 */
    memset(d, 0x33, M * K * 2);
    tca_ck_assert_status(tca_tbe_any_decode_stream(sf, nf, d, M * K), TCA_OK);
    assert_matrix_eq(d, w, M * K, "F stream");

    /* transcoder: v1 -> F == F encoder, F -> v1 == v1 encoder */
    tca_tbe_f_matrix *f2 = NULL;
    tca_ck_assert_status(tca_tbe_f_from_v1(&v1->view, NULL, &f2), TCA_OK);
    size_t nf2 = 0;
    uint8_t *sf2 = f_stream(&f2->view, &nf2);
    ck_assert_uint_eq(nf2, nf);
    ck_assert_mem_eq(sf2, sf, nf);
    tca_tbe_matrix *v2 = NULL;
    tca_ck_assert_status(tca_tbe_f_to_v1(&f->view, NULL, &v2), TCA_OK);
    size_t nv2 = 0;
    uint8_t *sv2 = v1_stream(&v2->view, &nv2);
    ck_assert_uint_eq(nv2, nv);
    ck_assert_mem_eq(sv2, sv, nv);
    /* the stream transcoder, both directions, and identity */
    uint8_t *t = NULL;
    size_t nt = 0;
    tca_ck_assert_status(tca_tbe_transcode_stream(sv, nv, TCA_LAYOUT_F, NULL, &t, &nt), TCA_OK);
    ck_assert_uint_eq(nt, nf);
    ck_assert_mem_eq(t, sf, nf);
    free(t);
    tca_ck_assert_status(tca_tbe_transcode_stream(sf, nf, TCA_LAYOUT_V1, NULL, &t, &nt), TCA_OK);
    ck_assert_uint_eq(nt, nv);
    ck_assert_mem_eq(t, sv, nv);
    free(t);
    tca_ck_assert_status(tca_tbe_transcode_stream(sf, nf, TCA_LAYOUT_F, NULL, &t, &nt), TCA_OK);
    ck_assert_mem_eq(t, sf, nf);
    free(t);

    unsigned base = f->view.hdr.base;
    free(sf);
    free(sv);
    free(sf2);
    free(sv2);
    free(d);
    tca_tbe_f_matrix_free(f);
    tca_tbe_f_matrix_free(f2);
    tca_tbe_matrix_free(v1);
    tca_tbe_matrix_free(v2);
    return base;
}

static uint16_t gauss(tca_prng *r, double sigma) { return tca_bf16_from_double_rne(sigma * tca_prng_normal(r)); }

START_TEST(test_tbe_f_all_patterns)
{
    uint16_t *w = malloc(65536 * 2);
    for (uint32_t i = 0; i < 65536; i++) w[i] = (uint16_t)i;
    roundtrip(w, 256, 256, 0);
    roundtrip(w, 256, 256, 1);
    roundtrip(w, 256, 256, 249); /* exponent 255 in-window */
    roundtrip(w, 1, 65536, 0);
    roundtrip(w, 65536, 1, 0);
    /* every pattern at every position class of a strip: 64 x 1024, rotated */
    static const uint32_t shifts[] = {0, 1, 4097, 32771};
    for (size_t s = 0; s < 4; s++) {
        for (uint32_t i = 0; i < 65536; i++) w[i] = (uint16_t)(i * 40503u + shifts[s]);
        roundtrip(w, 64, 1024, 0);
        roundtrip(w, 64, 1024, 249);
    }
    free(w);
}
END_TEST

START_TEST(test_tbe_f_specials)
{
    static const uint16_t specials[] = {0x0000, 0x8000, 0x7F80, 0xFF80, 0x7FC0, 0xFFC1, 0x7F81,
                                        0x7FFF, 0x0001, 0x807F, 0x0080, 0x7F7F, 0xFF7F, 0x3F80};
    const size_t ns = sizeof specials / sizeof specials[0];
    uint64_t M = 70, K = 90;
    uint16_t *w = malloc(M * K * 2);
    for (uint64_t i = 0; i < M * K; i++) w[i] = specials[i % ns];
    roundtrip(w, M, K, 0);
    roundtrip(w, M, K, 1);
    roundtrip(w, M, K, 249);
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed());
    for (size_t s = 0; s < ns; s++) {
        for (uint64_t i = 0; i < M * K; i++) w[i] = (i % 7 == 0) ? specials[s] : gauss(&r, 0.02);
        roundtrip(w, M, K, 0);
        for (uint64_t i = 0; i < M * K; i++) w[i] = specials[s];
        roundtrip(w, M, K, 0);
    }
    free(w);
}
END_TEST

START_TEST(test_tbe_f_window_extremes_and_one_exponent)
{
    uint64_t M = 65, K = 67;
    uint16_t *w = malloc(M * K * 2);
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 1);
    for (uint64_t i = 0; i < M * K; i++)
        w[i] = (uint16_t)((tca_prng_below(&r, 2) << 15) | ((1 + tca_prng_below(&r, 7)) << 7) | tca_prng_below(&r, 128));
    ck_assert_uint_eq(roundtrip(w, M, K, 0), 0);
    for (uint64_t i = 0; i < M * K; i++)
        w[i] = (uint16_t)((tca_prng_below(&r, 2) << 15) | ((249 + tca_prng_below(&r, 7)) << 7) | tca_prng_below(&r, 128));
    ck_assert_uint_eq(roundtrip(w, M, K, 0), 248);
    for (unsigned e = 0; e < 256; e++) {
        for (uint64_t i = 0; i < M * K; i++)
            w[i] = (uint16_t)((tca_prng_below(&r, 2) << 15) | (e << 7) | tca_prng_below(&r, 128));
        unsigned w0 = e == 0 ? 1 : (e >= 7 ? e - 6 : 1);
        ck_assert_uint_eq(roundtrip(w, M, K, 0), w0 - 1);
    }
    /* all fallback */
    for (uint64_t i = 0; i < M * K; i++) w[i] = (uint16_t)(((i & 1) ? 100u : 130u) << 7 | (i & 0x7F));
    roundtrip(w, M, K, 1);
    roundtrip(w, M, K, 249);
    free(w);
}
END_TEST

START_TEST(test_tbe_f_gaussian_zeros)
{
    static const unsigned zero_pct[] = {0, 2, 3, 10, 33, 50};
    uint64_t M = 256, K = 256;
    uint16_t *w = malloc(M * K * 2);
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 3);
    for (size_t z = 0; z < sizeof zero_pct / sizeof zero_pct[0]; z++) {
        for (uint64_t i = 0; i < M * K; i++)
            w[i] = tca_prng_below(&r, 100) < zero_pct[z] ? (tca_prng_below(&r, 2) ? 0x8000 : 0) : gauss(&r, 0.02);
        ck_assert_uint_eq(roundtrip(w, M, K, 0), 115);
    }
    free(w);
}
END_TEST

START_TEST(test_tbe_f_ragged_shapes)
{
    static const uint64_t shapes[][2] = {{1, 1},   {1, 65}, {65, 1}, {63, 63},   {64, 64}, {65, 129}, {16, 64},
                                         {17, 64}, {130, 70}, {1, 64}, {64, 1}, {127, 129}, {2, 500}, {500, 2}};
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 4);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        uint64_t M = shapes[s][0], K = shapes[s][1];
        uint16_t *w = malloc(M * K * 2);
        for (uint64_t i = 0; i < M * K; i++) w[i] = tca_prng_below(&r, 10) ? gauss(&r, 0.05) : (uint16_t)tca_prng_u32(&r);
        roundtrip(w, M, K, 0);
        free(w);
    }
    uint64_t n = tca_test_count(10, 200);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t M = 1 + tca_prng_below(&r, 200), K = 1 + tca_prng_below(&r, 200);
        uint16_t *w = malloc(M * K * 2);
        for (uint64_t k = 0; k < M * K; k++) w[k] = tca_prng_below(&r, 4) ? gauss(&r, 1.0) : (uint16_t)tca_prng_u32(&r);
        roundtrip(w, M, K, 0);
        free(w);
    }
}
END_TEST

/* ------------------------------------------------------------------------ hand-derived stream */

/* A 16 x 64 matrix, zero except four elements, worked out by hand from spec 8 (see the comments):
 * base 121 (exponents 126, 127, 128 in the window 122..128, lowest w0 on ties), one slice-3 code
 * split over the spare bits, one NaN in the exception stream. */
START_TEST(test_tbe_f_hand_stream)
{
    uint16_t w[16 * 64];
    memset(w, 0, sizeof w);
    w[0 * 64 + 0] = 0x3F80;  /* exponent 127 -> code 6; lane 0, slice 0, n 0 */
    w[0 * 64 + 48] = 0xBF25; /* exponent 126 -> code 5 = 101b; lane 0, slice 3, n 0; SM byte A5 */
    w[9 * 64 + 63] = 0x4000; /* exponent 128 -> code 7; lane 7 (q 1, t 3), slice 3, n 7 */
    w[1 * 64 + 1] = 0x7FC1;  /* exponent 255 -> fallback; lane 4, slice 0, n 1; SM 41, exception FF */
    tca_tbe_f_matrix *f = NULL;
    tca_ck_assert_status(tca_tbe_f_encode(w, 16, 64, NULL, NULL, &f), TCA_OK);
    size_t n = 0;
    uint8_t *s = f_stream(&f->view, &n);
    /* 64 + 4 strips x 1408 + 4 x 1024 exceptions + 5 offsets x 8 + 4 */
    ck_assert_uint_eq(n, 9836);
    uint8_t e[9836];
    memset(e, 0, sizeof e);
    static const uint8_t hdr[60] = {0x89, 0x54, 0x43, 0x41, 1, 1, 1, 1, /* magic, 1.1, layout F, checksum flag */
                                    16, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, /* rows, cols */
                                    121, 0, 0, 0, 0x00, 0x04, 0, 0,                   /* base, Max_Exceptions 1024 */
                                    0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x10, 0, 0, 0, 0, 0, 0, /* Exception_Length 4096 */
                                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    memcpy(e, hdr, 60);
    uint32_t hcrc = tca_crc32c(e, 60);
    for (int k = 0; k < 4; k++) e[60 + k] = (uint8_t)(hcrc >> (8 * k));
    uint8_t *rec = e + 64;
    rec[0] = 0x0E;           /* word (slice 0, lane 0): nibble 0 = code 6 | spare bit = bit 0 of code 5 */
    rec[4 * 7 + 3] = 0x80;   /* word (0, lane 7): nibble 7 spare bit = bit 0 of code 7 */
    rec[4 * 39 + 3] = 0x80;  /* word (1, lane 7): bit 1 of code 7 */
    rec[4 * 64] = 0x08;      /* word (2, lane 0): nibble 0 spare bit = bit 2 of code 5 */
    rec[4 * 71 + 3] = 0x80;  /* word (2, lane 7): bit 2 of code 7 */
    rec[384 + 512 + 8 + 0] = 0xA5;   /* SM of (lane 0, slice 3, n 0): 512 (slices 2-3) + 8 (slice 3) */
    rec[384 + 16 * 4 + 1] = 0x41;    /* SM of (lane 4, slice 0, n 1) */
    uint8_t *exc = e + 64 + 4 * 1408;
    exc[127] = 0xFF; /* lane 0: 30 exceptions, lanes 1-3: 32 each, then lane 4's second element */
    uint8_t *off = exc + 4096;
    for (int k = 1; k <= 4; k++) {
        off[8 * k] = (uint8_t)((1024 * k) & 0xFF);
        off[8 * k + 1] = (uint8_t)((1024 * k) >> 8);
    }
    uint32_t ccrc = tca_crc32c(e + 64, 9836 - 64 - 4);
    for (int k = 0; k < 4; k++) e[9832 + k] = (uint8_t)(ccrc >> (8 * k));
    for (size_t i = 0; i < n; i++) ck_assert_msg(s[i] == e[i], "byte %zu: got %02x, expected %02x", i, s[i], e[i]);
    /* the checksum bytes printed in spec 8.11 */
    static const uint8_t hcrc_spec[4] = {0xE3, 0x41, 0xCA, 0x98}, ccrc_spec[4] = {0x74, 0x10, 0x21, 0x4F};
    ck_assert_mem_eq(s + 60, hcrc_spec, 4);
    ck_assert_mem_eq(s + 9832, ccrc_spec, 4);
    /* and it decodes back */
    uint16_t d[16 * 64];
    tca_ck_assert_status(tca_tbe_f_decode_stream(e, sizeof e, d, 16 * 64), TCA_OK);
    ck_assert_mem_eq(d, w, sizeof w);
    free(s);
    tca_tbe_f_matrix_free(f);
}
END_TEST

/* Place every element of a 64 x 64 matrix by inverting the A-fragment table of spec 7.3 (given a
 * row r and column c: slice c / 16, register by the row half and column half, lane 4 (r % 8) +
 * (c % 8) / 2), build the expected strips and exception slices, and compare with the encoder. */
START_TEST(test_tbe_f_arrangement_vs_spec_table)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 7);
    uint16_t w[64 * 64];
    for (unsigned k = 0; k < 4096; k++) w[k] = tca_prng_below(&r, 5) ? gauss(&r, 0.02) : (uint16_t)tca_prng_u32(&r);
    tca_tbe_f_matrix *f = NULL;
    tca_ck_assert_status(tca_tbe_f_encode(w, 64, 64, NULL, NULL, &f), TCA_OK);
    unsigned base = f->view.hdr.base;
    uint64_t pos = 0;
    for (unsigned strip = 0; strip < 4; strip++) {
        uint8_t rec[1408];
        memset(rec, 0, sizeof rec);
        uint8_t lane_exc[32][32];
        unsigned lane_n[32] = {0};
        uint8_t lane_elem_code[32][32];
        uint16_t lane_elem_val[32][32];
        for (unsigned rr = 0; rr < 16; rr++)
            for (unsigned c = 0; c < 64; c++) {
                uint16_t x = w[64 * (16 * strip + rr) + c];
                unsigned ex = (x >> 7) & 0xFF, code = (ex >= base + 1 && ex <= base + 7) ? ex - base : 0;
                unsigned slice = c / 16, cc = c % 16, reg = (rr / 8) + 2 * (cc / 8), half = cc % 2;
                unsigned lane = 4 * (rr % 8) + (cc % 8) / 2, n = 2 * reg + half;
                lane_elem_code[lane][8 * slice + n] = (uint8_t)code;
                lane_elem_val[lane][8 * slice + n] = x;
            }
        for (unsigned l = 0; l < 32; l++) {
            uint32_t word[3] = {0, 0, 0};
            for (unsigned e = 0; e < 32; e++) {
                unsigned slice = e / 8, n = e % 8, code = lane_elem_code[l][e];
                uint16_t x = lane_elem_val[l][e];
                if (slice < 3) word[slice] |= (uint32_t)code << (4 * n);
                else
                    for (unsigned b = 0; b < 3; b++) word[b] |= (uint32_t)((code >> b) & 1) << (4 * n + 3);
                /* lane l's 16 bytes for slices 2h, 2h + 1 at 512 h + 16 l; slice 2h + 1 second */
                rec[384 + 512 * (slice / 2) + 16 * l + 8 * (slice % 2) + n] = (uint8_t)(((x >> 8) & 0x80) | (x & 0x7F));
                if (!code) lane_exc[l][lane_n[l]++] = (uint8_t)(ex_of(x));
            }
            for (unsigned k = 0; k < 3; k++)
                for (unsigned b = 0; b < 4; b++) rec[4 * (32 * k + l) + b] = (uint8_t)(word[k] >> (8 * b));
        }
        ck_assert_mem_eq(f->view.strips + 1408 * strip, rec, 1408);
        ck_assert_uint_eq(tca__le64_test(f->view.exception_offsets + 8 * strip), pos);
        unsigned total = 0;
        for (unsigned l = 0; l < 32; l++) {
            ck_assert_mem_eq(f->view.exceptions + pos + total, lane_exc[l], lane_n[l]);
            total += lane_n[l];
        }
        pos += (total + 15) / 16 * 16;
    }
    ck_assert_uint_eq(f->view.hdr.exception_len, pos);
    tca_tbe_f_matrix_free(f);
}
END_TEST

/* A non-canonical stream (a fallback element whose exponent lies in the window) is rejected by
 * F and by the transcoder (spec 8.8 F21), as v1 rejects such a Full value (spec 7.1 V22); with an
 * exponent just outside the window it is valid again and transcodes to v1 and back unchanged. */
START_TEST(test_tbe_f_noncanonical_rejected)
{
    uint16_t w[64 * 64];
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 8);
    for (unsigned k = 0; k < 4096; k++) w[k] = (k % 9 == 0) ? 0 : gauss(&r, 0.02);
    tca_tbe_encode_options o;
    tca_tbe_encode_options_default(&o);
    o.content_checksum = 0;
    tca_tbe_f_matrix *f = NULL;
    tca_ck_assert_status(tca_tbe_f_encode(w, 64, 64, &o, NULL, &f), TCA_OK);
    size_t n = 0;
    uint8_t *s = f_stream(&f->view, &n);
    unsigned base = f->view.hdr.base;
    uint16_t d[4096];
    uint8_t *t = NULL;
    size_t nt = 0;
    static const unsigned in_window[] = {1, 4, 7};
    for (unsigned k = 0; k < 3; k++) { /* the first exception byte (an exact zero) into the window */
        s[64 + 4 * 1408] = (uint8_t)(base + in_window[k]);
        tca_ck_assert_status(tca_tbe_f_decode_stream(s, n, d, 4096), TCA_ERROR_FORMAT_NONCANONICAL);
        tca_ck_assert_status(tca_tbe_transcode_stream(s, n, TCA_LAYOUT_V1, NULL, &t, &nt), TCA_ERROR_FORMAT_NONCANONICAL);
        ck_assert_ptr_null(t);
    }
    static const unsigned outside[] = {0, 8};
    for (unsigned k = 0; k < 2; k++) {
        s[64 + 4 * 1408] = (uint8_t)(base + outside[k]);
        tca_ck_assert_status(tca_tbe_f_decode_stream(s, n, d, 4096), TCA_OK);
        ck_assert_uint_eq((d[0] >> 7) & 0xFF, base + outside[k]); /* element (0, 0) is lane 0's first */
        uint8_t *back = NULL;
        size_t nb = 0;
        tca_ck_assert_status(tca_tbe_transcode_stream(s, n, TCA_LAYOUT_V1, NULL, &t, &nt), TCA_OK);
        tca_ck_assert_status(tca_tbe_transcode_stream(t, nt, TCA_LAYOUT_F, NULL, &back, &nb), TCA_OK);
        ck_assert_uint_eq(nb, n);
        ck_assert_mem_eq(back, s, n);
        free(t);
        free(back);
        t = NULL;
    }
    free(s);
    tca_tbe_f_matrix_free(f);
}
END_TEST

/* Size: F and v1 of the same data within 0.02 bits per weight (spec 8.10, 12). */
static void size_compare(uint64_t M, uint64_t K, unsigned fallback_pct)
{
    uint16_t *w = malloc(M * K * 2);
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 9 ^ fallback_pct);
    for (uint64_t i = 0; i < M * K; i++)
        w[i] = tca_prng_below(&r, 1000) < 10u * fallback_pct ? (uint16_t)(0x0001 + tca_prng_below(&r, 0x7F)) : gauss(&r, 0.02);
    tca_tbe_f_matrix *f = NULL;
    tca_tbe_matrix *v = NULL;
    tca_ck_assert_status(tca_tbe_f_encode(w, M, K, NULL, NULL, &f), TCA_OK);
    tca_ck_assert_status(tca_tbe_encode(w, M, K, NULL, NULL, &v), TCA_OK);
    tca_tbe_f_sizes fs;
    tca_tbe_sizes vs;
    tca_ck_assert_status(tca_tbe_f_sizes_of(&f->view.hdr, &fs), TCA_OK);
    tca_ck_assert_status(tca_tbe_sizes_of(&v->view.hdr, &vs), TCA_OK);
    double bf = 8.0 * (double)fs.stream_total / (double)(M * K), bv = 8.0 * (double)vs.stream_total / (double)(M * K);
    ck_assert_msg(bf - bv < 0.02 && bv - bf < 0.02, "%llux%llu at %u%%: F %.4f bits/weight, v1 %.4f",
                  (unsigned long long)M, (unsigned long long)K, fallback_pct, bf, bv);
    free(w);
    tca_tbe_f_matrix_free(f);
    tca_tbe_matrix_free(v);
}

START_TEST(test_tbe_f_size_vs_v1)
{
    size_compare(512, 512, 0);
    size_compare(512, 512, 10);
    size_compare(512, 512, 50);
    if (tca_test_expensive()) size_compare(4096, 4096, 0);
}
END_TEST

/* Allocation failure at every allocation of the F encoder, both transcoders and the stream
 * transcoder: TCA_ERROR_ALLOC, output untouched, nothing leaked; then success. */
typedef enum alloc_op { OP_ENCODE, OP_FROM_V1, OP_TO_V1, OP_STREAM } alloc_op;

static void alloc_loop(alloc_op op, const uint16_t *w, uint64_t M, uint64_t K, const tca_tbe_matrix *v1,
                       const tca_tbe_f_matrix *f, const uint8_t *sf, size_t nf)
{
    long fail_at = 0;
    for (;; fail_at++) {
        ck_assert_int_lt(fail_at, 100);
        tca_test_allocator a;
        tca_test_allocator_init(&a, fail_at);
        void *sentinel = &a, *out = sentinel;
        size_t n_out = 0;
        tca_status st;
        if (op == OP_ENCODE) st = tca_tbe_f_encode(w, M, K, NULL, &a.base, (tca_tbe_f_matrix **)&out);
        else if (op == OP_FROM_V1) st = tca_tbe_f_from_v1(&v1->view, &a.base, (tca_tbe_f_matrix **)&out);
        else if (op == OP_TO_V1) st = tca_tbe_f_to_v1(&f->view, &a.base, (tca_tbe_matrix **)&out);
        else st = tca_tbe_transcode_stream(sf, nf, TCA_LAYOUT_V1, &a.base, (uint8_t **)&out, &n_out);
        if (st == TCA_OK) {
            ck_assert_int_gt(a.live, 0);
            if (op == OP_ENCODE || op == OP_FROM_V1) tca_tbe_f_matrix_free((tca_tbe_f_matrix *)out);
            else if (op == OP_TO_V1) tca_tbe_matrix_free((tca_tbe_matrix *)out);
            else tca_free(&a.base, out);
            ck_assert_int_eq(a.live, 0);
            break;
        }
        tca_ck_assert_status(st, TCA_ERROR_ALLOC);
        ck_assert_ptr_eq(out, sentinel);
        ck_assert_int_eq(a.live, 0);
    }
    ck_assert_int_ge(fail_at, 1);
}

START_TEST(test_tbe_f_alloc_failures)
{
    uint64_t M = 130, K = 70;
    uint16_t *w = malloc(M * K * 2);
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 12);
    for (uint64_t i = 0; i < M * K; i++) w[i] = gauss(&r, 0.02);
    tca_tbe_matrix *v1 = NULL;
    tca_tbe_f_matrix *f = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, M, K, NULL, NULL, &v1), TCA_OK);
    tca_ck_assert_status(tca_tbe_f_encode(w, M, K, NULL, NULL, &f), TCA_OK);
    size_t nf = 0;
    uint8_t *sf = f_stream(&f->view, &nf);
    for (int op = OP_ENCODE; op <= OP_STREAM; op++) alloc_loop((alloc_op)op, w, M, K, v1, f, sf, nf);
    free(sf);
    tca_tbe_f_matrix_free(f);
    tca_tbe_matrix_free(v1);
    free(w);
}
END_TEST

Suite *tca_tbe_f_suite(void);
Suite *tca_tbe_f_suite(void)
{
    Suite *s = suite_create("tbe_f");
    TCase *tc = tcase_create("layout_f");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_tbe_f_all_patterns);
    tcase_add_test(tc, test_tbe_f_specials);
    tcase_add_test(tc, test_tbe_f_window_extremes_and_one_exponent);
    tcase_add_test(tc, test_tbe_f_gaussian_zeros);
    tcase_add_test(tc, test_tbe_f_ragged_shapes);
    tcase_add_test(tc, test_tbe_f_hand_stream);
    tcase_add_test(tc, test_tbe_f_arrangement_vs_spec_table);
    tcase_add_test(tc, test_tbe_f_noncanonical_rejected);
    tcase_add_test(tc, test_tbe_f_size_vs_v1);
    tcase_add_test(tc, test_tbe_f_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}
