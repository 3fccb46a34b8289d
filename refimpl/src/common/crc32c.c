/* SPDX-License-Identifier: Apache-2.0 */
/* CRC-32C (Castagnoli). Used for the stream header and content checksums (spec 3.8, 6.9) and the
 * container's CRCs (safetensors 3.3), over gigabytes per checkpoint, so speed matters:
 *  - portable C: slicing-by-8 over constant tables (any C11 compiler, any CPU);
 *  - x86-64 with SSE4.2 (chosen at run time, GCC/Clang only): the crc32 instruction on three
 *    independent streams at once, combined with a carry-less "shift" by table lookup, because one
 *    instruction's 3-cycle latency would otherwise cap a single stream at 8 bytes per 3 cycles.
 * Both give identical results; check_common tests each against the published check values and
 * against each other on random buffers. */
#include "tca/checksum.h"

#include "common/crc32c_internal.h"
#include "crc32c_table.h"

static uint32_t crc32c_portable(uint32_t c, const uint8_t *p, size_t size)
{
    while (size >= 8) {
        uint32_t lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
        uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
        c = crc32c_table[7][lo & 0xFF] ^ crc32c_table[6][(lo >> 8) & 0xFF] ^ crc32c_table[5][(lo >> 16) & 0xFF] ^
            crc32c_table[4][lo >> 24] ^ crc32c_table[3][hi & 0xFF] ^ crc32c_table[2][(hi >> 8) & 0xFF] ^
            crc32c_table[1][(hi >> 16) & 0xFF] ^ crc32c_table[0][hi >> 24];
        p += 8;
        size -= 8;
    }
    while (size--) c = (c >> 8) ^ crc32c_table[0][(c ^ *p++) & 0xFF];
    return c;
}

/* Multiply two polynomials modulo P in the reflected representation (bit 31 is x^0). Merging
 * CRCs of consecutive pieces needs "advance a CRC register over n zero bytes", which is a
 * multiplication by x^(8n) mod P (the SSE4.2 path's three streams, tca__crc32c_combine). */
static uint32_t gf2_mul(uint32_t a, uint32_t b)
{
    uint32_t prod = 0;
    for (int i = 0; i < 32; i++) {
        if (b & 0x80000000u) prod ^= a;
        b <<= 1;
        a = (a >> 1) ^ (0x82F63B78u & (0u - (a & 1u))); /* a *= x */
    }
    return prod;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#include <string.h>
#define TCA_CRC_HW 1

enum { BLOCK = 4096 }; /* bytes per stream per round: 3 x 4 KiB */
/* x^(8*4096) mod P, reflected. Computed offline by square-and-multiply with gf2_mul; the tests
 * compare this path with the portable one on buffers of many lengths, which checks it. */
#define SHIFT_BLOCK 0x35d73a62u

__attribute__((target("sse4.2"))) static uint32_t crc32c_sse42(uint32_t c, const uint8_t *p, size_t size)
{
    while (size >= 3 * BLOCK) {
        uint64_t c0 = c, c1 = 0, c2 = 0;
        for (size_t i = 0; i < BLOCK; i += 8) {
            uint64_t v0, v1, v2;
            memcpy(&v0, p + i, 8);
            memcpy(&v1, p + BLOCK + i, 8);
            memcpy(&v2, p + 2 * BLOCK + i, 8);
            c0 = _mm_crc32_u64(c0, v0);
            c1 = _mm_crc32_u64(c1, v1);
            c2 = _mm_crc32_u64(c2, v2);
        }
        /* crc(A|B|C) = shift(shift(crc(A)) ^ crc0(B)) ^ crc0(C), with shift = multiply by x^(8*BLOCK) */
        c = gf2_mul((uint32_t)c0, SHIFT_BLOCK) ^ (uint32_t)c1;
        c = gf2_mul(c, SHIFT_BLOCK) ^ (uint32_t)c2;
        p += 3 * BLOCK;
        size -= 3 * BLOCK;
    }
    uint64_t c64 = c;
    while (size >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        c64 = _mm_crc32_u64(c64, v);
        p += 8;
        size -= 8;
    }
    c = (uint32_t)c64;
    while (size--) c = _mm_crc32_u8(c, *p++);
    return c;
}

static int have_sse42(void)
{
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("sse4.2") ? 1 : 0;
    }
    return cached;
}
#endif

/* Exposed for the tests: force the portable path (0) or the automatic choice (1). */
uint32_t tca__crc32c_update_impl(uint32_t crc, const void *data, size_t size, int allow_hw)
{
    const uint8_t *p = (const uint8_t *)data;
#ifdef TCA_CRC_HW
    if (allow_hw && have_sse42()) return ~crc32c_sse42(~crc, p, size);
#else
    (void)allow_hw;
#endif
    return ~crc32c_portable(~crc, p, size);
}

uint32_t tca_crc32c_update(uint32_t crc, const void *data, size_t size)
{
    return tca__crc32c_update_impl(crc, data, size, 1);
}

uint32_t tca_crc32c(const void *data, size_t size) { return tca_crc32c_update(0, data, size); }

uint32_t tca__crc32c_combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b)
{
    /* With the pre- and post-inversion of tca_crc32c, crc(A | B) = crc_a * x^(8 len_b) + crc_b
     * (mod P): the inversions of A's end and of B's start cancel. x^(8 len_b) by square and
     * multiply, starting from x^8 (reflected: bit 31 - 8). */
    uint32_t shift = 0x80000000u, power = 0x00800000u; /* x^0, x^8 */
    for (uint64_t n = len_b; n; n >>= 1) {
        if (n & 1u) shift = gf2_mul(shift, power);
        power = gf2_mul(power, power);
    }
    return gf2_mul(crc_a, shift) ^ crc_b;
}
