/* SPDX-License-Identifier: Apache-2.0 */
/* TCA-TBE layout v1: the arrays the encoder writes. Expected values come from the reference
 * document (/work/shared/reference/tca-tbe-layout.md section 4.1 worked example, checked there
 * against the original ZipServ encoder), from hand derivations written out below, and from a
 * second, deliberately naive encoder in this file that follows the reference's traversal
 * pseudo-code (section 6 / 10.4) literally. */
#include <stdlib.h>
#include <string.h>
#include "tca/tca.h"
#include "test_util.h"

/* The reference's worked-example tile (section 4.1), rows r = 0..7, columns c = 0..7. */
static const uint16_t example_tile[8][8] = {
    {0x0000, 0x3A30, 0x3AD5, 0xBB7A, 0x3B9F, 0x3C44, 0xBCE9, 0x3D0E},
    {0x3A33, 0xBAD8, 0x3B7D, 0x3BA2, 0xBC47, 0x3CEC, 0x3D11, 0x8000},
    {0x3ADB, 0x3B00, 0xBBA5, 0x3C4A, 0x3CEF, 0xBD14, 0x7FC1, 0x3A5E},
    {0xBB03, 0x3BA8, 0x3C4D, 0xBCF2, 0x3D17, 0x7F80, 0xBA61, 0x3A86},
    {0x3BAB, 0xBC50, 0x3CF5, 0x3D1A, 0x0005, 0x3A64, 0x3A89, 0xBB2E},
    {0x3C53, 0x3CF8, 0xBD1D, 0x3F80, 0x3A67, 0xBA8C, 0x3B31, 0x3BD6},
    {0xBCFB, 0x3D20, 0xC2F7, 0xBA6A, 0x3A8F, 0x3B34, 0xBBD9, 0x3C7E},
    {0x3D23, 0x3E80, 0x3A6D, 0x3A92, 0xBB37, 0x3BDC, 0x3C01, 0xBCA6},
};
/* Its encoding as printed in the reference (base 115). */
static const uint8_t example_sm[56] = {
    0x30, 0x55, 0xFA, 0x1F, 0x44, 0xE9, 0x0E, 0x33, 0xD8, 0x7D, 0x22, 0xC7, 0x6C, 0x11, 0x5B, 0x00, 0xA5, 0x4A, 0x6F,
    0x94, 0x5E, 0x83, 0x28, 0x4D, 0xF2, 0x17, 0xE1, 0x06, 0x2B, 0xD0, 0x75, 0x1A, 0x64, 0x09, 0xAE, 0x53, 0x78, 0x9D,
    0x67, 0x8C, 0x31, 0x56, 0xFB, 0x20, 0xEA, 0x0F, 0x34, 0xD9, 0x7E, 0x23, 0x6D, 0x12, 0xB7, 0x5C, 0x01, 0xA6};
static const uint16_t example_full[8] = {0x0000, 0x8000, 0x7FC1, 0x7F80, 0x0005, 0x3F80, 0xC2F7, 0x3E80};

static tca_tbe_matrix *encode_forced(const uint16_t *w, uint64_t rows, uint64_t cols, int w0)
{
    tca_tbe_encode_options o;
    tca_tbe_encode_options_default(&o);
    o.window_start = w0;
    tca_tbe_matrix *m = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, rows, cols, &o, NULL, &m), TCA_OK);
    return m;
}

static uint64_t word(const uint8_t *plane, uint64_t t)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | plane[8 * t + (uint64_t)i];
    return v;
}
static uint64_t tog_at(const tca_tbe_view *v, uint64_t g, int which) { return word(v->tog, 2 * g + (uint64_t)which); }
static uint32_t tom_at(const tca_tbe_view *v, uint64_t e, int which)
{
    const uint8_t *p = v->tom + 8 * e + 4 * which;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint16_t full_at(const tca_tbe_view *v, uint64_t i) { return (uint16_t)(v->full[2 * i] | v->full[2 * i + 1] << 8); }

/* Reference section 4.1: the example tile as small tile 0 of a 64 x 64 matrix whose other
 * elements are +0.0 (all fallback), window forced to base 115 (w0 = 116). */
START_TEST(test_tbe_layout_worked_example_tile)
{
    uint16_t *w = calloc(64 * 64, 2);
    for (int r = 0; r < 8; r++)
        for (int c = 0; c < 8; c++) w[64 * r + c] = example_tile[r][c];
    tca_tbe_matrix *m = encode_forced(w, 64, 64, 116);
    const tca_tbe_view *v = &m->view;
    ck_assert_uint_eq(v->hdr.base, 115);
    ck_assert_uint_eq(word(v->bitmap[0], 0), 0x55AA55AA55AA55AAull); /* B1 */
    ck_assert_uint_eq(word(v->bitmap[1], 0), 0x993366CC993366CCull); /* B2 */
    ck_assert_uint_eq(word(v->bitmap[2], 0), 0xE1C3870F1E3C78F0ull); /* B3 */
    ck_assert_mem_eq(v->sign_mantissa, example_sm, 56);
    for (int i = 0; i < 8; i++) tca_ck_assert_bits16(full_at(v, (uint64_t)i), example_full[i]);
    /* the other 63 small tiles are all +0.0: zero plane words, 63 * 64 zero Full elements */
    for (uint64_t t = 1; t < 64; t++)
        ck_assert_uint_eq(word(v->bitmap[0], t) | word(v->bitmap[1], t) | word(v->bitmap[2], t), 0);
    /* 56 bytes padded to 64; 8 + 4032 = 4040 elements, already a multiple of 8 */
    ck_assert_uint_eq(v->hdr.sign_mantissa_len, 64);
    ck_assert_uint_eq(v->hdr.full_len, 4040);
    for (int i = 56; i < 64; i++) ck_assert_uint_eq(v->sign_mantissa[i], 0);
    /* decoded lanes of the reference's table */
    uint16_t *d = malloc(64 * 64 * 2);
    tca_ck_assert_status(tca_tbe_decode(v, d, 64 * 64), TCA_OK);
    tca_ck_assert_bits16(d[0 * 64 + 0], 0x0000); /* lane 0, p 0 */
    tca_ck_assert_bits16(d[0 * 64 + 1], 0x3A30); /* lane 0, p 1 */
    tca_ck_assert_bits16(d[1 * 64 + 4], 0xBC47); /* lane 6, p 12 */
    tca_ck_assert_bits16(d[4 * 64 + 6], 0x3A89); /* lane 19, p 38 */
    tca_ck_assert_bits16(d[7 * 64 + 7], 0xBCA6); /* lane 31, p 63 */
    ck_assert_mem_eq(d, w, 64 * 64 * 2);
    tca_tbe_matrix_free(m);
    free(d);
    free(w);
}
END_TEST

/* The example tile placed at small tile j = 3 of median tile 2 of global tile 1 in a 128 x 128
 * matrix: by the reference's element -> location rule (section 6), small tile j = 3 is
 * k8 = 1, m8 = 1, i.e. rows 16*2 + 8 = 40..47, columns 64 + 8 = 72..79; its index is
 * t = 64*1 + 16*2 + 3 = 99. */
START_TEST(test_tbe_layout_example_tile_position)
{
    uint16_t *w = calloc(128 * 128, 2);
    for (int r = 0; r < 8; r++)
        for (int c = 0; c < 8; c++) w[128 * (40 + r) + 72 + c] = example_tile[r][c];
    tca_tbe_matrix *m = encode_forced(w, 128, 128, 116);
    const tca_tbe_view *v = &m->view;
    for (uint64_t t = 0; t < 256; t++) {
        uint64_t e1 = t == 99 ? 0x55AA55AA55AA55AAull : 0, e2 = t == 99 ? 0x993366CC993366CCull : 0,
                 e3 = t == 99 ? 0xE1C3870F1E3C78F0ull : 0;
        ck_assert_uint_eq(word(v->bitmap[0], t), e1);
        ck_assert_uint_eq(word(v->bitmap[1], t), e2);
        ck_assert_uint_eq(word(v->bitmap[2], t), e3);
    }
    /* tile 0: 4096 fallback; tile 1: 56 in-window (padded 64), 4040 fallback */
    ck_assert_uint_eq(tog_at(v, 1, 0), 0);
    ck_assert_uint_eq(tog_at(v, 1, 1), 4096);
    ck_assert_uint_eq(tog_at(v, 2, 0), 64);
    ck_assert_uint_eq(tog_at(v, 2, 1), 8136);
    /* TOM of tile 1: median tiles 0, 1 all fallback; median 2 holds the example */
    ck_assert_uint_eq(tom_at(v, 4 + 2, 0), 0);
    ck_assert_uint_eq(tom_at(v, 4 + 2, 1), 2048);
    ck_assert_uint_eq(tom_at(v, 4 + 3, 0), 56);
    ck_assert_uint_eq(tom_at(v, 4 + 3, 1), 2048 + 1024 - 56);
    ck_assert_mem_eq(v->sign_mantissa, example_sm, 56);
    /* Full of tile 1 starts at 4096; the example's fallback values follow 2048 + 3*64 zeros
     * (small tiles j = 0, 1, 2 of median 2 precede it) */
    for (int i = 0; i < 8; i++) tca_ck_assert_bits16(full_at(v, 4096 + 2048 + 192 + (uint64_t)i), example_full[i]);
    tca_tbe_matrix_free(m);
    free(w);
}
END_TEST

/* Hand-derived counts. 64 x 128 matrix, value 0xBF81 (exponent 127, SignMantissa byte 0x81)
 * at chosen places, +0.0 elsewhere. Window: only exponents 0 and 127 occur; w0 >= 1, so the
 * best window is any containing 127; the lowest is w0 = 121 (base 120, code 7).
 * Global tile 0: median 0 all 1024 in-window; median 1 none; median 2 five; median 3 none:
 *   hf = 1029 -> padded 1040 (11 zero bytes), full = 3067 -> padded 3072 (5 zero elements).
 *   TOM = (0,0), (1024,0), (1024,1024), (1029,2043).
 * Global tile 1: one in-window element in median 0: hf 1 -> 16, full 4095 -> 4096.
 *   TOM = (0,0), (1,1023), (1,2047), (1,3071).
 * TOG = (0,0), (1040,3072), (1056,7168); maxima 1040 and 4096. */
START_TEST(test_tbe_layout_hand_counts)
{
    uint16_t *w = calloc(64 * 128, 2);
    for (int r = 0; r < 16; r++)
        for (int c = 0; c < 64; c++) w[128 * r + c] = 0xBF81;
    for (int i = 0; i < 5; i++) w[128 * (32 + i) + 3 * i] = 0xBF81;
    w[128 * 5 + 64 + 7] = 0xBF81;
    tca_tbe_matrix *m = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, 64, 128, NULL, NULL, &m), TCA_OK);
    const tca_tbe_view *v = &m->view;
    ck_assert_uint_eq(v->hdr.base, 120);
    static const uint32_t tom[8][2] = {{0, 0}, {1024, 0}, {1024, 1024}, {1029, 2043},
                                       {0, 0}, {1, 1023}, {1, 2047},    {1, 3071}};
    for (int e = 0; e < 8; e++) {
        ck_assert_uint_eq(tom_at(v, (uint64_t)e, 0), tom[e][0]);
        ck_assert_uint_eq(tom_at(v, (uint64_t)e, 1), tom[e][1]);
    }
    static const uint64_t tog[3][2] = {{0, 0}, {1040, 3072}, {1056, 7168}};
    for (int g = 0; g < 3; g++) {
        ck_assert_uint_eq(tog_at(v, (uint64_t)g, 0), tog[g][0]);
        ck_assert_uint_eq(tog_at(v, (uint64_t)g, 1), tog[g][1]);
    }
    ck_assert_uint_eq(v->hdr.sign_mantissa_len, 1056);
    ck_assert_uint_eq(v->hdr.full_len, 7168);
    ck_assert_uint_eq(v->hdr.max_sign_mantissa, 1040);
    ck_assert_uint_eq(v->hdr.max_full, 4096);
    for (int i = 0; i < 1029; i++) ck_assert_uint_eq(v->sign_mantissa[i], 0x81);
    for (int i = 1029; i < 1040; i++) ck_assert_uint_eq(v->sign_mantissa[i], 0x00);
    ck_assert_uint_eq(v->sign_mantissa[1040], 0x81);
    for (int i = 1041; i < 1056; i++) ck_assert_uint_eq(v->sign_mantissa[i], 0x00);
    for (uint64_t i = 0; i < 7168; i++) tca_ck_assert_bits16(full_at(v, i), 0);
    /* median 0 of tile 0: every plane word all ones (code 7) */
    for (uint64_t t = 0; t < 16; t++) {
        ck_assert_uint_eq(word(v->bitmap[0], t), ~0ull);
        ck_assert_uint_eq(word(v->bitmap[2], t), ~0ull);
    }
    /* tile 1's element at row 5, column 7 of the tile: small tile j = 0, p = 8*5 + 7 = 47 */
    ck_assert_uint_eq(word(v->bitmap[1], 64), 1ull << 47);
    tca_tbe_matrix_free(m);
    free(w);
}
END_TEST

/* A 1 x 1 matrix holding 1.0 (0x3F80): G = 1, 63 rows and 63 columns of padding elements.
 * Window: exponent 127 only -> w0 = 121, base 120, code 7 -> bit 0 set in all three planes.
 * hf 1 -> 16, full 4095 -> 4096; TOM (0,0),(1,1023),(1,2047),(1,3071). */
START_TEST(test_tbe_layout_one_by_one)
{
    uint16_t one = 0x3F80;
    tca_tbe_matrix *m = NULL;
    tca_ck_assert_status(tca_tbe_encode(&one, 1, 1, NULL, NULL, &m), TCA_OK);
    const tca_tbe_view *v = &m->view;
    ck_assert_uint_eq(v->hdr.rows, 1);
    ck_assert_uint_eq(v->hdr.cols, 1);
    ck_assert_uint_eq(v->hdr.base, 120);
    for (int k = 0; k < 3; k++) ck_assert_uint_eq(word(v->bitmap[k], 0), 1);
    ck_assert_uint_eq(v->hdr.sign_mantissa_len, 16);
    ck_assert_uint_eq(v->hdr.full_len, 4096);
    ck_assert_uint_eq(v->sign_mantissa[0], 0x00); /* sign 0, mantissa 0 */
    ck_assert_uint_eq(tom_at(v, 3, 0), 1);
    ck_assert_uint_eq(tom_at(v, 3, 1), 3071);
    /* stream: 64 + 3*512 + 32 + 32 + 16 + 8192 + 4 = 9876 bytes */
    tca_tbe_sizes sz;
    tca_ck_assert_status(tca_tbe_sizes_of(&v->hdr, &sz), TCA_OK);
    ck_assert_uint_eq(sz.stream_total, 9876);
    uint16_t d = 0;
    tca_ck_assert_status(tca_tbe_decode(v, &d, 1), TCA_OK);
    tca_ck_assert_bits16(d, 0x3F80);
    tca_tbe_matrix_free(m);
}
END_TEST

/* ---------------------------------------------------------------------------------------------
 * A second encoder, written from the reference text only: pads the matrix to multiples of 64
 * with +0.0 and then runs the section 10.4 pseudo-code element by element, byte by byte. */
typedef struct naive {
    uint64_t *b[3];
    uint32_t *tom;
    uint64_t *tog;
    uint8_t *sm;
    uint16_t *full;
    uint64_t sm_len, full_len, max_hf, max_full;
} naive;

static void naive_encode(const uint16_t *w, uint64_t M, uint64_t K, unsigned w0, naive *n)
{
    uint64_t Mp = (M + 63) / 64 * 64, Kp = (K + 63) / 64 * 64, G = Mp / 64 * (Kp / 64);
    unsigned base = w0 - 1;
    for (int k = 0; k < 3; k++) n->b[k] = calloc(64 * G, 8);
    n->tom = calloc(8 * G, 4);
    n->tog = calloc(2 * (G + 1), 8);
    n->sm = calloc(4096 * G + 16, 1);
    n->full = calloc(4096 * G + 16, 2);
    uint64_t hf = 0, fl = 0;
    n->max_hf = n->max_full = 0;
    for (uint64_t gm = 0; gm < Mp / 64; gm++)
        for (uint64_t gk = 0; gk < Kp / 64; gk++) {
            uint64_t g = gm * (Kp / 64) + gk, hf_g = 0, full_g = 0;
            for (unsigned med = 0; med < 4; med++) {
                n->tom[2 * (4 * g + med)] = (uint32_t)hf_g;
                n->tom[2 * (4 * g + med) + 1] = (uint32_t)full_g;
                for (unsigned k8 = 0; k8 < 8; k8++)
                    for (unsigned m8 = 0; m8 < 2; m8++) {
                        uint64_t t = 64 * g + 16 * med + 2 * k8 + m8;
                        for (unsigned p = 0; p < 64; p++) {
                            uint64_t r = 64 * gm + 16 * med + 8 * m8 + p / 8, c = 64 * gk + 8 * k8 + p % 8;
                            uint16_t x = (r < M && c < K) ? w[r * K + c] : 0;
                            unsigned e = (x >> 7) & 0xFF;
                            if (e >= w0 && e <= w0 + 6) {
                                unsigned code = e - base;
                                for (int k = 0; k < 3; k++) n->b[k][t] |= (uint64_t)((code >> k) & 1) << p;
                                n->sm[hf++] = (uint8_t)(((x >> 15) << 7) | (x & 0x7F));
                                hf_g++;
                            } else {
                                n->full[fl++] = x;
                                full_g++;
                            }
                        }
                    }
            }
            while (hf_g % 16) { n->sm[hf++] = 0; hf_g++; }
            while (full_g % 8) { n->full[fl++] = 0; full_g++; }
            if (hf_g > n->max_hf) n->max_hf = hf_g;
            if (full_g > n->max_full) n->max_full = full_g;
            n->tog[2 * (g + 1)] = hf;
            n->tog[2 * (g + 1) + 1] = fl;
        }
    n->sm_len = hf;
    n->full_len = fl;
}

static void naive_free(naive *n)
{
    for (int k = 0; k < 3; k++) free(n->b[k]);
    free(n->tom);
    free(n->tog);
    free(n->sm);
    free(n->full);
}

static void compare_with_naive(const uint16_t *w, uint64_t M, uint64_t K)
{
    tca_tbe_matrix *m = NULL;
    tca_ck_assert_status(tca_tbe_encode(w, M, K, NULL, NULL, &m), TCA_OK);
    const tca_tbe_view *v = &m->view;
    naive n;
    naive_encode(w, M, K, v->hdr.base + 1u, &n);
    uint64_t G = (M + 63) / 64 * ((K + 63) / 64);
    for (int k = 0; k < 3; k++)
        for (uint64_t t = 0; t < 64 * G; t++) ck_assert_uint_eq(word(v->bitmap[k], t), n.b[k][t]);
    for (uint64_t e = 0; e < 4 * G; e++) {
        ck_assert_uint_eq(tom_at(v, e, 0), n.tom[2 * e]);
        ck_assert_uint_eq(tom_at(v, e, 1), n.tom[2 * e + 1]);
    }
    for (uint64_t g = 0; g <= G; g++) {
        ck_assert_uint_eq(tog_at(v, g, 0), n.tog[2 * g]);
        ck_assert_uint_eq(tog_at(v, g, 1), n.tog[2 * g + 1]);
    }
    ck_assert_uint_eq(v->hdr.sign_mantissa_len, n.sm_len);
    ck_assert_uint_eq(v->hdr.full_len, n.full_len);
    ck_assert_uint_eq(v->hdr.max_sign_mantissa, n.max_hf);
    ck_assert_uint_eq(v->hdr.max_full, n.max_full);
    if (n.sm_len) ck_assert_mem_eq(v->sign_mantissa, n.sm, (size_t)n.sm_len);
    for (uint64_t i = 0; i < n.full_len; i++) tca_ck_assert_bits16(full_at(v, i), n.full[i]);
    naive_free(&n);
    tca_tbe_matrix_free(m);
}

/* Weight-like values with a sprinkling of specials so both streams and all codes occur. */
static void fill_mixed(uint16_t *w, uint64_t n, tca_prng *r)
{
    for (uint64_t i = 0; i < n; i++) {
        uint64_t u = tca_prng_below(r, 100);
        if (u < 3)
            w[i] = 0; /* +0 */
        else if (u < 5)
            w[i] = (uint16_t)tca_prng_u32(r); /* any pattern */
        else
            w[i] = tca_bf16_from_double_rne(0.02 * tca_prng_normal(r));
    }
}

START_TEST(test_tbe_layout_matches_naive_encoder)
{
    static const uint64_t shapes[][2] = {{64, 64}, {64, 128}, {128, 64}, {128, 192}, {1, 1},  {1, 65},
                                         {65, 1}, {63, 63},  {65, 129}, {130, 70},  {200, 3}, {7, 300}};
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed());
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        uint64_t M = shapes[s][0], K = shapes[s][1];
        uint16_t *w = malloc(M * K * 2);
        fill_mixed(w, M * K, &r);
        compare_with_naive(w, M, K);
        free(w);
    }
    uint64_t extra = tca_test_count(4, 40);
    for (uint64_t i = 0; i < extra; i++) {
        uint64_t M = 1 + tca_prng_below(&r, 300), K = 1 + tca_prng_below(&r, 300);
        uint16_t *w = malloc(M * K * 2);
        fill_mixed(w, M * K, &r);
        compare_with_naive(w, M, K);
        free(w);
    }
}
END_TEST

Suite *tca_tbe_layout_suite(void);
Suite *tca_tbe_layout_suite(void)
{
    Suite *s = suite_create("tbe_layout");
    TCase *tc = tcase_create("layout");
    tcase_add_test(tc, test_tbe_layout_worked_example_tile);
    tcase_add_test(tc, test_tbe_layout_example_tile_position);
    tcase_add_test(tc, test_tbe_layout_hand_counts);
    tcase_add_test(tc, test_tbe_layout_one_by_one);
    tcase_add_test(tc, test_tbe_layout_matches_naive_encoder);
    suite_add_tcase(s, tc);
    return s;
}
