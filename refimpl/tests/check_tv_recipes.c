/* SPDX-License-Identifier: Apache-2.0 */
/* Matrix recipes and digests (spec/tca-test-vectors.md 2.3, 6.3). The expected values were
 * computed independently from the spec text with a Python transcription of SplitMix64 and exact
 * rational BF16 rounding (not from this code). The .tv parser is also run on mutated files:
 * it must never crash and only return OK or a TV_* error. */
#include <stdlib.h>
#include <string.h>
#include "tca/tca.h"
#include "tca/tv.h"
#include "test_util.h"

START_TEST(test_tv_recipes_first_values)
{
    static const struct {
        const char *recipe;
        uint16_t v[6];
    } want[] = {
        {"weights", {0xbcb8, 0xbcbc, 0x3d02, 0xbca6, 0xbc1e, 0x3d35}},
        {"smallint", {0x40a0, 0x4000, 0xc000, 0xc040, 0x4080, 0x4100}},
        {"widerange", {0xc2ca, 0x2ba9, 0x3379, 0xb72e, 0xbeea, 0xca5f}},
        {"specials", {0xbcb8, 0xbcbc, 0x3d02, 0xbca6, 0xbc1e, 0x3d35}},
        {"act", {0xbf65, 0xbeef, 0x3fcc, 0xbfef, 0xbeff, 0x3fc1}},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        uint16_t m[6];
        /* a 2 x 3 matrix draws in row-major order: the same six values */
        tca_ck_assert_status(tca_tv_fill_matrix(want[i].recipe, 42, m, 2, 3), TCA_OK);
        for (int j = 0; j < 6; j++)
            ck_assert_msg(m[j] == want[i].v[j], "%s[%d]: got 0x%04x, expected 0x%04x", want[i].recipe, j, m[j],
                          want[i].v[j]);
    }
    ck_assert_uint_eq(tca_prng_derive(1, 1), 0x48416938ef0dcf6full);
    tca_ck_assert_status(tca_tv_fill_matrix("nonsense", 1, (uint16_t[1]){0}, 1, 1), TCA_ERROR_PARAM_INVALID);
}
END_TEST

START_TEST(test_tv_recipes_pairs)
{
    enum { R = 9, C = 33 };
    uint16_t w[R * C], x[R * C], y[R * C];
    tca_ck_assert_status(tca_tv_fill_matrix("pairs", 7, w, R, C), TCA_OK);
    tca_ck_assert_status(tca_tv_fill_matrix("negpairs", 8, x, R, C), TCA_OK);
    tca_ck_assert_status(tca_tv_fill_matrix("nearpairs", 8, y, R, C), TCA_OK);
    for (int i = 0; i < R; i++)
        for (int j = 1; j < C; j += 2) {
            tca_ck_assert_bits16(w[i * C + j], w[i * C + j - 1]);
            tca_ck_assert_bits16(x[i * C + j], x[i * C + j - 1] ^ 0x8000);
            /* the same seed draws the same even columns; odd ones differ by one ulp */
            tca_ck_assert_bits16(y[i * C + j - 1], x[i * C + j - 1]);
            int d = (int)y[i * C + j] - (int)x[i * C + j];
            ck_assert(d == 1 || d == -1);
        }
    /* the specials recipe hits its table about 8 times in 4096 */
    uint16_t *s = malloc(256 * 256 * 2);
    ck_assert_ptr_nonnull(s);
    tca_ck_assert_status(tca_tv_fill_matrix("specials", 3, s, 256, 256), TCA_OK);
    int nan = 0, inf = 0;
    for (int i = 0; i < 256 * 256; i++) {
        nan += tca_bf16_is_nan(s[i]);
        inf += (s[i] & 0x7FFF) == 0x7F80;
    }
    ck_assert_int_gt(nan, 10);
    ck_assert_int_gt(inf, 10);
    ck_assert_int_lt(nan + inf, 600);
    free(s);
}
END_TEST

START_TEST(test_tv_digest_little_endian)
{
    /* SHA-256 of the bytes 01 00 02 00 equals the digest of u16 {1, 2} */
    const uint8_t b16[4] = {1, 0, 2, 0}, b32[8] = {1, 0, 0, 0, 0x78, 0x56, 0x34, 0x12};
    uint8_t a[32], d[32];
    tca_sha256(b16, 4, a);
    tca_tv_digest16((const uint16_t[]){1, 2}, 2, d);
    ck_assert_int_eq(memcmp(a, d, 32), 0);
    tca_sha256(b32, 8, a);
    tca_tv_digest32((const uint32_t[]){1, 0x12345678u}, 2, d);
    ck_assert_int_eq(memcmp(a, d, 32), 0);
}
END_TEST

/* Random mutations of a valid file: the parser returns OK or a TV_* status, never crashes
 * (ASan/UBSan builds check the memory side). */
START_TEST(test_tv_parser_survives_mutations)
{
    const char base[] = "# tca-tv 1\nop = mma.m16n8k16.row.col.f32.bf16.bf16.f32\narch = sm90\nnotes.x = y\n\n"
                        "id = 1\nflags = x\nA = 3f80 0000\nB = 0001\n\nid = 2\nC = 00000000 7fffffff\n";
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed());
    uint64_t n = tca_test_count(20000, 500000);
    char buf[sizeof base + 16];
    for (uint64_t i = 0; i < n; i++) {
        size_t len = sizeof base - 1;
        memcpy(buf, base, len);
        int edits = 1 + (int)tca_prng_below(&r, 4);
        for (int e = 0; e < edits; e++) {
            size_t at = (size_t)tca_prng_below(&r, len);
            switch (tca_prng_below(&r, 3)) {
            case 0: buf[at] = (char)tca_prng_u64(&r); break;
            case 1: buf[at] = "\n= #0x\r\t "[tca_prng_below(&r, 9)]; break;
            default: len = at; break; /* truncate */
            }
        }
        tca_tv_file *f = NULL;
        tca_tv_error err;
        tca_status st = tca_tv_parse(buf, len, NULL, &f, &err);
        ck_assert_msg(st == TCA_OK || (st >= TCA_ERROR_TV_SYNTAX && st <= TCA_ERROR_TV_DIGEST), "status %s",
                      tca_status_name(st));
        if (st == TCA_OK) {
            /* whatever parsed must be usable */
            for (size_t k = 0; k < f->n_records; k++) {
                uint64_t id;
                tca_ck_assert_status(tca_tv_get_u64(&f->records[k], "id", &id), TCA_OK);
            }
            tca_tv_free(f);
        } else {
            ck_assert_ptr_null(f);
        }
    }
}
END_TEST

Suite *tca_tv_recipes_suite(void);
Suite *tca_tv_recipes_suite(void)
{
    Suite *s = suite_create("tv_recipes");
    TCase *tc = tcase_create("recipes");
    tcase_add_test(tc, test_tv_recipes_first_values);
    tcase_add_test(tc, test_tv_recipes_pairs);
    tcase_add_test(tc, test_tv_digest_little_endian);
    tcase_add_test(tc, test_tv_parser_survives_mutations);
    suite_add_tcase(s, tc);
    return s;
}
