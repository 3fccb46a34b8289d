/* SPDX-License-Identifier: Apache-2.0 */
/* Layout F rejection (spec 8.8): every rule F1-F21 triggered by a targeted corruption of a valid
 * stream, with the code the spec names for it; nothing is written to the output on rejection; the
 * dispatching decoder and the transcoder report the same code.
 *
 * The base stream is a 130 x 70 matrix whose logical elements are all in the window except five
 * zeros at row 0, columns 0-4, so the counts are known by hand: strip 0 holds 5 exceptions (11
 * padding bytes follow), and strip 4 (global tile 1, columns 64-127, of which 6 are logical)
 * holds 16 x 58 = 928 padding elements. */
#include <stdlib.h>
#include <string.h>
#include "tca/tca.h"
#include "tca/tbe_f.h"
#include "test_util.h"

#define M 130u
#define K 70u
#define N_STRIPS 24u            /* G = 3 x 2 */
#define OFF_EXC (64u + 1408u * N_STRIPS)

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--) v = (v << 8) | p[k];
    return v;
}
static void wr64(uint8_t *p, uint64_t v)
{
    for (int k = 0; k < 8; k++) p[k] = (uint8_t)(v >> (8 * k));
}
static void wr32(uint8_t *p, uint32_t v)
{
    for (int k = 0; k < 4; k++) p[k] = (uint8_t)(v >> (8 * k));
}
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd64(p) & 0xFFFFFFFFu; }

static void fix_hcrc(uint8_t *s) { wr32(s + 60, tca_crc32c(s, 60)); }
static void fix_ccrc(uint8_t *s, size_t n) { wr32(s + n - 4, tca_crc32c(s + 64, n - 68)); }
static uint64_t exc_len(const uint8_t *s) { return rd64(s + 40); }
static uint8_t *offsets(uint8_t *s) { return s + OFF_EXC + exc_len(s); }

/* The base stream, in a buffer with 64 spare bytes for insertions. */
static uint8_t *base_stream(size_t *n)
{
    uint16_t *w = malloc(M * K * 2);
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed());
    for (unsigned i = 0; i < M * K; i++)
        w[i] = (uint16_t)((tca_prng_below(&r, 2) << 15) | ((120u + i % 7u) << 7) | tca_prng_below(&r, 128));
    for (unsigned c = 0; c < 5; c++) w[c] = 0;
    tca_tbe_f_matrix *f = NULL;
    tca_ck_assert_status(tca_tbe_f_encode(w, M, K, NULL, NULL, &f), TCA_OK);
    tca_tbe_f_sizes sz;
    tca_ck_assert_status(tca_tbe_f_sizes_of(&f->view.hdr, &sz), TCA_OK);
    uint8_t *s = calloc(1, sz.stream_total + 64);
    tca_ck_assert_status(tca_tbe_f_stream_write(&f->view, s, sz.stream_total, n), TCA_OK);
    tca_tbe_f_matrix_free(f);
    free(w);
    ck_assert_uint_eq(s[24], 119);                 /* w0 = 120 */
    ck_assert_uint_eq(rd64(offsets(s) + 8), 16);   /* strip 0: 5 exceptions, padded to 16 */
    ck_assert_uint_eq(rd64(offsets(s) + 8 * 5) - rd64(offsets(s) + 8 * 4), 928); /* strip 4 */
    return s;
}

/* The stream must be rejected with `want` by the F decoder, the dispatching decoder and the
 * transcoder, and the output must stay untouched. */
static void expect(const uint8_t *s, size_t n, tca_status want)
{
    uint16_t *d = malloc(M * K * 2);
    memset(d, 0xC3, M * K * 2);
    tca_ck_assert_status(tca_tbe_f_decode_stream(s, n, d, M * K), want);
    tca_ck_assert_status(tca_tbe_any_decode_stream(s, n, d, M * K), want);
    for (unsigned i = 0; i < M * K; i++) ck_assert_uint_eq(d[i], 0xC3C3);
    uint8_t *t = NULL;
    size_t nt = 0;
    tca_ck_assert_status(tca_tbe_transcode_stream(s, n, TCA_LAYOUT_V1, NULL, &t, &nt), want);
    ck_assert_ptr_null(t);
    free(d);
}

/* Insert k zero bytes at offset at (the buffer has room), shifting the rest. */
static void insert_zeros(uint8_t *s, size_t *n, size_t at, size_t k)
{
    memmove(s + at + k, s + at, *n - at);
    memset(s + at, 0, k);
    *n += k;
}

START_TEST(test_tbe_f_reject_base_is_valid)
{
    size_t n;
    uint8_t *s = base_stream(&n);
    uint16_t *d = malloc(M * K * 2);
    tca_ck_assert_status(tca_tbe_f_decode_stream(s, n, d, M * K), TCA_OK);
    tca_ck_assert_status(tca_tbe_f_decode_stream(s, n, d, M * K - 1), TCA_ERROR_PARAM_DST_TOO_SMALL);
    s[5] = 7; /* spec 3.2: any minor version is accepted */
    fix_hcrc(s);
    tca_ck_assert_status(tca_tbe_f_decode_stream(s, n, d, M * K), TCA_OK);
    free(d);
    free(s);
}
END_TEST

START_TEST(test_tbe_f_reject_header)
{
    size_t n;
    uint8_t *s = base_stream(&n), *c = malloc(n + 64);
#define FRESH() memcpy(c, s, n)
    FRESH();
    expect(c, 63, TCA_ERROR_FORMAT_TRUNCATED); /* F1 */
    FRESH();
    c[0] = 0x88;
    expect(c, n, TCA_ERROR_FORMAT_MAGIC); /* F2 */
    FRESH();
    c[4] = 2;
    expect(c, n, TCA_ERROR_FORMAT_VERSION); /* F3 */
    FRESH();
    c[9] ^= 1;
    expect(c, n, TCA_ERROR_FORMAT_HEADER_CHECKSUM); /* F4 */
    FRESH();
    c[6] = 2;
    fix_hcrc(c);
    expect(c, n, TCA_ERROR_FORMAT_LAYOUT); /* F5 */
    tca_tbe_f_header h;
    FRESH();
    c[6] = 0;
    fix_hcrc(c);
    tca_ck_assert_status(tca_tbe_f_stream_header(c, n, &h), TCA_ERROR_FORMAT_LAYOUT);
    static const size_t reserved[] = {25, 27, 32, 35, 36, 39, 48, 55, 56, 59};
    for (size_t k = 0; k < sizeof reserved / sizeof reserved[0]; k++) { /* F6 */
        FRESH();
        c[reserved[k]] = 1;
        fix_hcrc(c);
        expect(c, n, TCA_ERROR_FORMAT_RESERVED);
    }
    FRESH();
    c[7] |= 2;
    fix_hcrc(c);
    expect(c, n, TCA_ERROR_FORMAT_RESERVED);
    FRESH();
    wr64(c + 8, 0);
    fix_hcrc(c);
    expect(c, n, TCA_ERROR_FORMAT_SHAPE); /* F7 */
    FRESH();
    wr64(c + 16, (1ull << 32) + 1);
    fix_hcrc(c);
    expect(c, n, TCA_ERROR_FORMAT_SHAPE);
    FRESH();
    c[24] = 249;
    fix_hcrc(c);
    expect(c, n, TCA_ERROR_FORMAT_BASE_RANGE); /* F8 */
    FRESH();
    wr64(c + 40, exc_len(s) + 1);
    fix_hcrc(c);
    expect(c, n, TCA_ERROR_FORMAT_COUNTS); /* F9: not a multiple of 16 */
    FRESH();
    wr64(c + 40, 1024u * N_STRIPS + 16);
    fix_hcrc(c);
    expect(c, n, TCA_ERROR_FORMAT_COUNTS); /* F9: above 1024 per strip */
    FRESH();
    wr32(c + 28, 1040);
    fix_hcrc(c);
    expect(c, n, TCA_ERROR_FORMAT_MAXIMA); /* F10: above 1024 */
    FRESH();
    wr32(c + 28, rd32(s + 28) - 1);
    fix_hcrc(c);
    expect(c, n, TCA_ERROR_FORMAT_MAXIMA); /* F10: not a multiple of 16 */
    FRESH();
    expect(c, n - 1, TCA_ERROR_FORMAT_TRUNCATED); /* F11 */
    FRESH();
    c[n] = 0;
    expect(c, n + 1, TCA_ERROR_FORMAT_TRAILING); /* F12 */
#undef FRESH
    free(c);
    free(s);
}
END_TEST

START_TEST(test_tbe_f_reject_offsets_and_padding)
{
    size_t n0;
    uint8_t *s = base_stream(&n0), *c = malloc(n0 + 64);
    size_t n = n0;
#define FRESH() (memcpy(c, s, n0), n = n0)
    FRESH();
    wr64(offsets(c), 16);
    fix_ccrc(c, n);
    expect(c, n, TCA_ERROR_FORMAT_EXCEPTIONS); /* F13 */
    FRESH();
    wr64(offsets(c) + 8, 17);
    fix_ccrc(c, n);
    expect(c, n, TCA_ERROR_FORMAT_EXCEPTIONS); /* F14: not the derived prefix sum */
    FRESH();
    wr64(offsets(c) + 8, 0);
    fix_ccrc(c, n);
    expect(c, n, TCA_ERROR_FORMAT_EXCEPTIONS); /* F14: smaller */

    /* F14: 16 extra zero bytes after strip 0's slice, every later offset and the length moved:
     * a consistent stream except that the padding is not minimal */
    FRESH();
    insert_zeros(c, &n, OFF_EXC + 16, 16);
    wr64(c + 40, exc_len(s) + 16);
    for (unsigned k = 1; k <= N_STRIPS; k++) wr64(offsets(c) + 8 * k, rd64(offsets(s) + 8 * k) + 16);
    fix_hcrc(c);
    fix_ccrc(c, n);
    expect(c, n, TCA_ERROR_FORMAT_PADDING);

    /* F15: the last strip's slice reaches past a shortened Exceptions section (16 bytes cut) */
    FRESH();
    {
        uint64_t last = rd64(offsets(s) + 8 * N_STRIPS) - rd64(offsets(s) + 8 * (N_STRIPS - 1));
        ck_assert_uint_ge(last, 16);
        size_t at = OFF_EXC + exc_len(s) - 16;
        memmove(c + at, c + at + 16, n - at - 16);
        n -= 16;
        wr64(c + 40, exc_len(s) - 16);
        fix_hcrc(c);
        fix_ccrc(c, n);
        expect(c, n, TCA_ERROR_FORMAT_COUNTS);
    }

    FRESH();
    c[OFF_EXC + 15] = 1; /* F16: strip 0's last padding byte (5 exceptions, 11 padding bytes) */
    fix_ccrc(c, n);
    expect(c, n, TCA_ERROR_FORMAT_PADDING);
    FRESH();
    c[OFF_EXC + 5] = 0x80; /* F16: its first padding byte */
    fix_ccrc(c, n);
    expect(c, n, TCA_ERROR_FORMAT_PADDING);

    /* F17: padding elements of strip 4 (logical columns 0-5 only) */
    FRESH();
    c[64 + 1408 * 4 + 384 + 512 + 16 * 3 + 8 + 5] = 1; /* SM byte of (0, 63): lane 3, slice 3, n 5 */
    fix_ccrc(c, n);
    expect(c, n, TCA_ERROR_FORMAT_PAD_ELEMENT);
    FRESH();
    c[OFF_EXC + rd64(offsets(s) + 8 * 4)] = 1; /* exception of (0, 8): lane 0's first fallback */
    fix_ccrc(c, n);
    expect(c, n, TCA_ERROR_FORMAT_PAD_ELEMENT);
    FRESH();
    c[64 + 1408 * 4 + 2] |= 0x01; /* code 1 for (0, 8): word (0, lane 0) nibble 4; 927 still pads to 928 */
    fix_ccrc(c, n);
    expect(c, n, TCA_ERROR_FORMAT_PAD_ELEMENT);

    /* F18: 16 more bytes in Exceptions than the last offset says */
    FRESH();
    insert_zeros(c, &n, OFF_EXC + exc_len(s), 16);
    wr64(c + 40, exc_len(s) + 16);
    fix_hcrc(c);
    fix_ccrc(c, n);
    expect(c, n, TCA_ERROR_FORMAT_COUNTS);

    /* F19 */
    FRESH();
    ck_assert_uint_eq(rd32(s + 28), 1024); /* strips of global tiles 1, 3, 5 hold only padding */
    wr32(c + 28, 1008);
    fix_hcrc(c);
    expect(c, n, TCA_ERROR_FORMAT_MAXIMA);

    /* F20 */
    FRESH();
    c[64 + 384 + 7] ^= 0x40; /* a sign-mantissa byte of a logical element */
    expect(c, n, TCA_ERROR_FORMAT_CONTENT_CHECKSUM);
    FRESH();
    c[n - 1] ^= 1;
    expect(c, n, TCA_ERROR_FORMAT_CONTENT_CHECKSUM);

    /* F21: an exception byte inside the window [120, 126] (strip 0's first: the zero at (0, 0)) */
    FRESH();
    c[OFF_EXC] = 120;
    fix_ccrc(c, n);
    expect(c, n, TCA_ERROR_FORMAT_NONCANONICAL);
    FRESH();
    c[OFF_EXC + 4] = 126;
    fix_ccrc(c, n);
    expect(c, n, TCA_ERROR_FORMAT_NONCANONICAL);
    FRESH();
    c[OFF_EXC] = 127; /* just above the window: valid */
    fix_ccrc(c, n);
    uint16_t *d = malloc(M * K * 2);
    tca_ck_assert_status(tca_tbe_f_decode_stream(c, n, d, M * K), TCA_OK);
    free(d);
#undef FRESH
    free(c);
    free(s);
}
END_TEST

/* Without Content_Checksum the structural rules still hold, and the stream is 4 bytes shorter. */
START_TEST(test_tbe_f_reject_no_checksum)
{
    size_t n;
    uint8_t *s = base_stream(&n);
    s[7] = 0;
    fix_hcrc(s);
    uint16_t *d = malloc(M * K * 2);
    tca_ck_assert_status(tca_tbe_f_decode_stream(s, n, d, M * K), TCA_ERROR_FORMAT_TRAILING);
    tca_ck_assert_status(tca_tbe_f_decode_stream(s, n - 4, d, M * K), TCA_OK);
    s[OFF_EXC + 15] = 1;
    tca_ck_assert_status(tca_tbe_f_decode_stream(s, n - 4, d, M * K), TCA_ERROR_FORMAT_PADDING);
    free(d);
    free(s);
}
END_TEST

/* Random corruption never crashes and never decodes silently when the checksum is present. */
START_TEST(test_tbe_f_reject_random_bytes)
{
    size_t n;
    uint8_t *s = base_stream(&n), *c = malloc(n);
    uint16_t *d = malloc(M * K * 2);
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 11);
    uint64_t trials = tca_test_count(200, 5000);
    for (uint64_t t = 0; t < trials; t++) {
        memcpy(c, s, n);
        size_t at = 64 + (size_t)tca_prng_below(&r, n - 64);
        c[at] ^= (uint8_t)(1u + tca_prng_below(&r, 255));
        tca_status st = tca_tbe_f_decode_stream(c, n, d, M * K);
        ck_assert_msg(st != TCA_OK, "corruption at byte %zu accepted", at);
        ck_assert(tca_status_is_format_error(st));
    }
    free(d);
    free(c);
    free(s);
}
END_TEST

Suite *tca_tbe_f_reject_suite(void);
Suite *tca_tbe_f_reject_suite(void)
{
    Suite *s = suite_create("tbe_f_reject");
    TCase *tc = tcase_create("reject");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_tbe_f_reject_base_is_valid);
    tcase_add_test(tc, test_tbe_f_reject_header);
    tcase_add_test(tc, test_tbe_f_reject_offsets_and_padding);
    tcase_add_test(tc, test_tbe_f_reject_no_checksum);
    tcase_add_test(tc, test_tbe_f_reject_random_bytes);
    suite_add_tcase(s, tc);
    return s;
}
