/* SPDX-License-Identifier: Apache-2.0 */
/* Common utilities: CRC-32C, SHA-256, SplitMix64, BF16 conversions, status table. Expected values
 * come from the algorithms' published check values, not from this code. */
#include <string.h>
#include "tca/tca.h"
#include "test_util.h"

START_TEST(test_common_crc32c_check_value)
{
    tca_ck_assert_bits32(tca_crc32c("123456789", 9), 0xE3069283u); /* RFC 3720 / Castagnoli check */
    /* incremental in odd chunks equals one shot */
    uint32_t c = tca_crc32c_update(0, "1234", 4);
    c = tca_crc32c_update(c, "56789", 5);
    tca_ck_assert_bits32(c, 0xE3069283u);
    /* RFC 3720 B.4: 32 bytes of zeros */
    uint8_t z[32] = {0};
    tca_ck_assert_bits32(tca_crc32c(z, 32), 0x8A9136AAu);
}
END_TEST

uint32_t tca__crc32c_update_impl(uint32_t crc, const void *data, size_t size, int allow_hw);

START_TEST(test_common_crc32c_paths_agree)
{
    /* the hardware path (when the CPU has it) and the portable path agree on every length around
     * the 3 x 4096-byte block boundaries and on odd alignments; both are also checked against the
     * published check value above. */
    enum { MAX = 3 * 4096 * 2 + 64 };
    static uint8_t buf[MAX + 8];
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed());
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)tca_prng_u32(&r);
    static const size_t lens[] = {0, 1, 7, 8, 9, 4095, 12287, 12288, 12289, 24575, 24576, 24577, MAX};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
        for (size_t off = 0; off < 8; off += 3) {
            uint32_t hw = tca__crc32c_update_impl(0x12345678u, buf + off, lens[i], 1);
            uint32_t sw = tca__crc32c_update_impl(0x12345678u, buf + off, lens[i], 0);
            ck_assert_msg(hw == sw, "len %zu off %zu: 0x%08x vs 0x%08x", lens[i], off, hw, sw);
        }
    tca_ck_assert_bits32(tca__crc32c_update_impl(0, "123456789", 9, 0), 0xE3069283u);
}
END_TEST

START_TEST(test_common_sha256_fips_vectors)
{
    uint8_t d[32];
    char hex[65];
    tca_sha256("abc", 3, d);
    tca_sha256_hex(d, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    tca_sha256("", 0, d);
    tca_sha256_hex(d, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    tca_sha256_ctx s;
    tca_sha256_init(&s);
    for (size_t i = 0; i < strlen(two); i++) tca_sha256_update(&s, two + i, 1);
    tca_sha256_final(&s, d);
    tca_sha256_hex(d, hex);
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(test_common_splitmix64_reference_sequence)
{
    /* SplitMix64 seeded with 1234567: first outputs of the published reference implementation
     * (Vigna's splitmix64.c). */
    tca_prng r;
    tca_prng_seed(&r, 1234567);
    ck_assert_uint_eq(tca_prng_u64(&r), 6457827717110365317ull);
    ck_assert_uint_eq(tca_prng_u64(&r), 3203168211198807973ull);
    ck_assert_uint_eq(tca_prng_u64(&r), 9817491932198370423ull);
}
END_TEST

START_TEST(test_common_bf16_rounding)
{
    tca_ck_assert_bits16(tca_bf16_from_f32_rne(0x3F800000u), 0x3F80); /* 1.0 exact */
    tca_ck_assert_bits16(tca_bf16_from_f32_rne(0x3F808000u), 0x3F80); /* tie -> even (down) */
    tca_ck_assert_bits16(tca_bf16_from_f32_rne(0x3F818000u), 0x3F82); /* tie -> even (up) */
    tca_ck_assert_bits16(tca_bf16_from_f32_rne(0x3F808001u), 0x3F81); /* above tie */
    tca_ck_assert_bits16(tca_bf16_from_f32_rne(0x7F7FFFFFu), 0x7F80); /* FLT_MAX -> Inf */
    tca_ck_assert_bits16(tca_bf16_from_f32_rne(0xFF800000u), 0xFF80); /* -Inf */
    tca_ck_assert_bits16(tca_bf16_from_f32_rne(0xFFC00001u), 0x7FFF); /* NaN canonical */
    tca_ck_assert_bits16(tca_bf16_from_f32_rne(0x00008000u), 0x0000); /* subnormal tie -> even 0 */
    tca_ck_assert_bits16(tca_bf16_from_f32_rne(0x80018000u), 0x8002); /* -subnormal tie -> even */
    /* from double: one rounding, no double rounding through float */
    tca_ck_assert_bits16(tca_bf16_from_double_rne(1.0), 0x3F80);
    tca_ck_assert_bits16(tca_bf16_from_double_rne(-0.0), 0x8000);
    /* 1 + 2^-8 + 2^-30: float rounding first would give the tie 1+2^-8 then even 1.0 */
    tca_ck_assert_bits16(tca_bf16_from_double_rne(1.0 + 0x1p-8 + 0x1p-30), 0x3F81);
    tca_ck_assert_bits16(tca_bf16_from_double_rne(0x1p-133), 0x0001);  /* min subnormal */
    tca_ck_assert_bits16(tca_bf16_from_double_rne(0x1p-134), 0x0000);  /* half of it: tie -> 0 */
    tca_ck_assert_bits16(tca_bf16_from_double_rne(0x1.8p-134), 0x0001);/* above half */
    tca_ck_assert_bits16(tca_bf16_from_double_rne(0x1.fcp-127), 0x007F);/* largest subnormal, exact */
    tca_ck_assert_bits16(tca_bf16_from_double_rne(0x1.fep-127), 0x0080);/* tie -> even = min normal */
    tca_ck_assert_bits16(tca_bf16_from_double_rne(0x1p128), 0x7F80);
    tca_ck_assert_bits32(tca_f32_from_double_rne(0x1p-149), 0x00000001u);
    tca_ck_assert_bits32(tca_f32_from_double_rne(0x1.fffffffp127), 0x7F800000u);
    tca_ck_assert_bits32(tca_f32_from_double_rne(-3.0), 0xC0400000u);
}
END_TEST

START_TEST(test_common_bf16_from_double_exhaustive_agrees_with_widening)
{
    /* every finite BF16 value converts back to itself exactly */
    for (uint32_t b = 0; b < 0x10000u; b++) {
        uint16_t x = (uint16_t)b;
        if ((x & 0x7F80u) == 0x7F80u) continue;
        tca_ck_assert_bits16(tca_bf16_from_double_rne(tca_double_from_bf16(x)), x);
    }
}
END_TEST

START_TEST(test_common_status_table)
{
    ck_assert_str_eq(tca_status_name(TCA_ERROR_FORMAT_MAGIC), "ERROR_FORMAT_MAGIC");
    ck_assert_ptr_nonnull(strstr(tca_status_message(TCA_ERROR_FORMAT_BASE_RANGE), "spec 3.6"));
    ck_assert_int_eq(tca_status_is_format_error(TCA_ERROR_FORMAT_TOG), 1);
    ck_assert_int_eq(tca_status_is_format_error(TCA_ERROR_PARAM_NULL), 0);
    ck_assert_str_eq(tca_status_name((tca_status)9999), "UNKNOWN");
}
END_TEST

Suite *tca_common_suite(void);
Suite *tca_common_suite(void)
{
    Suite *s = suite_create("common");
    TCase *tc = tcase_create("common");
    tcase_add_test(tc, test_common_crc32c_check_value);
    tcase_add_test(tc, test_common_crc32c_paths_agree);
    tcase_add_test(tc, test_common_sha256_fips_vectors);
    tcase_add_test(tc, test_common_splitmix64_reference_sequence);
    tcase_add_test(tc, test_common_bf16_rounding);
    tcase_add_test(tc, test_common_bf16_from_double_exhaustive_agrees_with_widening);
    tcase_add_test(tc, test_common_status_table);
    suite_add_tcase(s, tc);
    return s;
}
