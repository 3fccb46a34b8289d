/* SPDX-License-Identifier: Apache-2.0 */
/* The x86-64 CRC-32C paths (src/common/crc32c.c: SSE4.2 with 3 x 4 KiB lanes merged in C, and
 * SSE4.2 + PCLMULQDQ with three lanes of any length merged by carry-less multiplication) give
 * the portable table implementation's result, bit for bit: for every length 0..4096 at random
 * offsets and start values, for every lane length of the one-round path (which uses every entry
 * of its shift tables), around the 3 x 4 KiB round boundaries, on 1 MiB and 64 MiB + 3 buffers,
 * and when fed in random pieces. Each path is forced with tca__crc32c_update_level; on a CPU
 * without SSE4.2 or PCLMULQDQ the forced level falls back to one below, and the test says so.
 * Every buffer is an exact-size heap copy, so that ASan sees any read past a buffer's end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/crc32c_internal.h"
#include "tca/tca.h"
#include "test_util.h"

static const int levels[] = {TCA__CRC32C_SSE42, TCA__CRC32C_CLMUL};
enum { NLEVELS = 2 };

static uint8_t *random_bytes(tca_prng *r, size_t n)
{
    uint8_t *b = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(b);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        uint32_t v = tca_prng_u32(r);
        memcpy(b + i, &v, 4);
    }
    for (; i < n; i++) b[i] = (uint8_t)tca_prng_u32(r);
    return b;
}

/* The CRC of src[0, len) at `level` from `start`, computed on an exact-size copy placed at byte
 * offset `off` of a 64-byte-aligned block and on an exact-size copy, against the portable path. */
static void check_one(const uint8_t *src, size_t len, size_t off, uint32_t start, int level)
{
    uint8_t *blk = aligned_alloc(64, (off + len + 63) / 64 * 64 + 64);
    ck_assert_ptr_nonnull(blk);
    /* the aligned block gives each alignment mod 64; the exact-size copy lets ASan see any read
     * past the end */
    memcpy(blk + off, src, len);
    uint8_t *exact = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(exact);
    memcpy(exact, src, len);
    uint32_t want = tca__crc32c_update_level(start, src, len, TCA__CRC32C_PORTABLE);
    uint32_t got_aligned = tca__crc32c_update_level(start, blk + off, len, level);
    uint32_t got_exact = tca__crc32c_update_level(start, exact, len, level);
    ck_assert_msg(got_aligned == want, "level %d len %zu off %zu start 0x%08x: 0x%08x, portable 0x%08x", level,
                  len, off, start, got_aligned, want);
    ck_assert_msg(got_exact == want, "level %d len %zu (exact malloc) start 0x%08x: 0x%08x, portable 0x%08x",
                  level, len, start, got_exact, want);
    free(exact);
    free(blk);
}

START_TEST(test_crc32c_fast_levels_reported)
{
    int max = tca__crc32c_level_max();
    ck_assert_int_ge(max, TCA__CRC32C_PORTABLE);
    ck_assert_int_le(max, TCA__CRC32C_CLMUL);
    printf("crc32c: best level on this CPU %d (0 portable, 1 SSE4.2, 2 SSE4.2 + PCLMULQDQ)%s\n", max,
           max < TCA__CRC32C_CLMUL ? "; higher forced levels fall back to it" : "");
    /* the published check value and a zero buffer (RFC 3720 B.4), each level */
    static const uint8_t zeros[32];
    for (int l = 0; l <= TCA__CRC32C_CLMUL; l++) {
        tca_ck_assert_bits32(tca__crc32c_update_level(0, "123456789", 9, l), 0xE3069283u);
        tca_ck_assert_bits32(tca__crc32c_update_level(0, zeros, 32, l), 0x8A9136AAu);
    }
    /* the automatic choice is the best level */
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 0x1EDC6F41u);
    uint8_t *b = random_bytes(&r, 5000);
    tca_ck_assert_bits32(tca_crc32c(b, 5000), tca__crc32c_update_level(0, b, 5000, TCA__CRC32C_PORTABLE));
    free(b);
}
END_TEST

START_TEST(test_crc32c_fast_every_length)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 0xCA57A6u);
    uint8_t *src = random_bytes(&r, 4096);
    for (int li = 0; li < NLEVELS; li++)
        for (size_t len = 0; len <= 4096; len++)
            check_one(src + (4096 - len), len, (size_t)tca_prng_below(&r, 64), tca_prng_u32(&r), levels[li]);
    free(src);
}
END_TEST

/* The one-round path of the PCLMULQDQ level (3 lanes of 8m bytes, m < 512, then up to 23
 * bytes): every m, with a random remainder, so every K_HI / K_LO pair it forms is used; and
 * lengths around 1..4 rounds of 3 x 4 KiB. */
START_TEST(test_crc32c_fast_every_lane_length)
{
    enum { MAXLEN = 4 * 3 * 4096 + 64 };
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 0x82F63B78u);
    uint8_t *src = random_bytes(&r, MAXLEN);
    for (int li = 0; li < NLEVELS; li++) {
        for (size_t m = 0; m < 512; m++) {
            size_t len = 24 * m + (size_t)tca_prng_below(&r, 24);
            check_one(src, len, (size_t)tca_prng_below(&r, 64), tca_prng_u32(&r), levels[li]);
        }
        for (size_t k = 1; k <= 4; k++)
            for (int d = -25; d <= 25; d++) {
                size_t len = (size_t)((long)(k * 3 * 4096) + d);
                check_one(src, len, (size_t)tca_prng_below(&r, 64), tca_prng_u32(&r), levels[li]);
            }
    }
    free(src);
}
END_TEST

/* 1 MiB and 64 MiB + 3 at odd offsets, whole and fed in random pieces (tca_crc32c_update's
 * contract: the CRC of pieces in order equals the CRC of the whole). */
START_TEST(test_crc32c_fast_large)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 0xB16B00B5u);
    static const size_t sizes[] = {(size_t)1 << 20, ((size_t)64 << 20) + 3};
    for (size_t s = 0; s < 2; s++) {
        size_t n = sizes[s];
        uint8_t *b = random_bytes(&r, n + 7);
        size_t off = 1 + (size_t)tca_prng_below(&r, 7);
        uint32_t start = tca_prng_u32(&r);
        uint32_t want = tca__crc32c_update_level(start, b + off, n, TCA__CRC32C_PORTABLE);
        for (int li = 0; li < NLEVELS; li++) {
            uint32_t whole = tca__crc32c_update_level(start, b + off, n, levels[li]);
            ck_assert_msg(whole == want, "level %d size %zu: 0x%08x, portable 0x%08x", levels[li], n, whole, want);
            uint32_t c = start;
            for (size_t at = 0; at < n;) {
                size_t piece = (size_t)tca_prng_below(&r, 3 * 4096 * 3);
                if (piece > n - at) piece = n - at;
                c = tca__crc32c_update_level(c, b + off + at, piece, levels[li]);
                at += piece;
            }
            ck_assert_msg(c == want, "level %d size %zu in pieces: 0x%08x, portable 0x%08x", levels[li], n, c, want);
        }
        free(b);
    }
}
END_TEST

Suite *tca_crc32c_fast_suite(void);
Suite *tca_crc32c_fast_suite(void)
{
    Suite *s = suite_create("crc32c_fast");
    TCase *tc = tcase_create("crc32c_fast");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_crc32c_fast_levels_reported);
    tcase_add_test(tc, test_crc32c_fast_every_length);
    tcase_add_test(tc, test_crc32c_fast_every_lane_length);
    tcase_add_test(tc, test_crc32c_fast_large);
    suite_add_tcase(s, tc);
    return s;
}
