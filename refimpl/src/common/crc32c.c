/* SPDX-License-Identifier: Apache-2.0 */
/* CRC-32C (Castagnoli). Used for the stream header and content checksums (spec 3.8, 6.9) and the
 * container's CRCs (safetensors 3.3), over gigabytes per checkpoint, so speed matters:
 *  - portable C: slicing-by-8 over constant tables (any C11 compiler, any CPU);
 *  - x86-64 with SSE4.2 (chosen at run time, GCC/Clang only): the crc32 instruction on three
 *    independent lanes at once, because one instruction's 3-cycle latency would otherwise cap a
 *    single chain at 8 bytes per 3 cycles; the lanes' CRCs are merged by a multiplication by
 *    x^(8 * lane length) mod P:
 *      - with PCLMULQDQ, by carry-less multiplication (a few cycles), so that lanes of any length
 *        are worth it from 128 bytes on (about 2.5x one chain from 1 KiB, see below);
 *      - without, by gf2_mul in C on rounds of 3 x 4 KiB, one chain for the rest.
 * All give identical results; check_common and check_crc32c_fast test each against the published
 * check value and against the portable one on every length up to 3 x 4 KiB and beyond. */
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
#include <wmmintrin.h>
#define TCA_CRC_HW 1

/* The crc32 instruction has a latency of 3 cycles and a throughput of 1 per cycle, so one chain
 * of it runs at 8 bytes per 3 cycles; three independent chains over three lanes of a buffer keep
 * the unit busy. The lanes' CRCs are then merged: for lanes A | B | C of L bytes each (register
 * values, i.e. between the pre- and post-inversion), with c0 = crc of A continuing the incoming
 * register, c1 and c2 the crcs of B and C started from 0,
 *     crc(A | B | C) = c0 * x^(16 L) + c1 * x^(8 L) + c2   (mod P).                              */

enum { BLOCK = 4096 }; /* bytes per lane per round of the long-buffer loop: 3 x 4 KiB */

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8); /* unaligned heads and lanes are fine: the loads are not the bottleneck */
    return v;
}

/* One chain over the last (size < 8 for the three-lane paths) bytes. */
__attribute__((target("sse4.2"))) static uint32_t crc32c_1way(uint32_t c, const uint8_t *p, size_t size)
{
    uint64_t c64 = c;
    for (; size >= 8; p += 8, size -= 8) c64 = _mm_crc32_u64(c64, load64(p));
    c = (uint32_t)c64;
    if (size & 4) {
        uint32_t v;
        memcpy(&v, p, 4);
        c = _mm_crc32_u32(c, v);
        p += 4;
    }
    if (size & 2) {
        uint16_t v;
        memcpy(&v, p, 2);
        c = _mm_crc32_u16(c, v);
        p += 2;
    }
    if (size & 1) c = _mm_crc32_u8(c, *p);
    return c;
}

/* The three chains over lanes p[0, L), p[L, 2L), p[2L, 3L), L a multiple of 8; c0 continues c. */
#define CRC32C_3LANES(c, p, L, c0, c1, c2)                                                          \
    uint64_t c0 = (c), c1 = 0, c2 = 0;                                                             \
    for (const uint8_t *q = (p), *q_end = (p) + (L); q < q_end; q += 8) {                          \
        c0 = _mm_crc32_u64(c0, load64(q));                                                         \
        c1 = _mm_crc32_u64(c1, load64(q + (L)));                                                   \
        c2 = _mm_crc32_u64(c2, load64(q + 2 * (L)));                                               \
    }

/* --- SSE4.2 without PCLMULQDQ: fixed 3 x 4 KiB rounds merged by gf2_mul with a constant
 * (a variable lane length would need tca__crc32c_combine's square-and-multiply per call, which
 * costs more than it saves below a few KiB), one chain for the rest. */

/* x^(8*4096) mod P, reflected (square-and-multiply with gf2_mul, offline). */
#define SHIFT_BLOCK 0x35d73a62u

__attribute__((target("sse4.2"))) static uint32_t crc32c_sse42(uint32_t c, const uint8_t *p, size_t size)
{
    for (; size >= 3 * BLOCK; p += 3 * BLOCK, size -= 3 * BLOCK) {
        CRC32C_3LANES(c, p, BLOCK, c0, c1, c2)
        c = gf2_mul((uint32_t)c0, SHIFT_BLOCK) ^ (uint32_t)c1;
        c = gf2_mul(c, SHIFT_BLOCK) ^ (uint32_t)c2;
    }
    return crc32c_1way(c, p, size);
}

/* --- SSE4.2 + PCLMULQDQ: the merge by carry-less multiplication, so that it costs a few cycles
 * and pays off from about a hundred bytes, with lanes of any multiple of 8 bytes.
 *
 * In the reflected representation (bit i of a 32-bit value is the coefficient of x^(31-i); bit i
 * of a 64-bit value, of x^(63-i)), the carry-less product of 32-bit a and k is the 64-bit value
 * of a*k*x, and _mm_crc32_u64(0, v) = v*x^32 mod P. So _mm_crc32_u64(0, clmul(a, k)) = a*k*x^33
 * mod P, and "a * x^(8L)" needs k = x^(8L - 33) mod P. The constants below were computed offline
 * by repeated multiplication by x (or x^-1 = (P - 1) / x for negative exponents) modulo
 * P = 0x1EDC6F41; check_crc32c_fast compares this path with the portable one for every lane
 * length, which uses every entry. */

/* K_LO[b] = x^(64b - 33), b = 0..31 (lane lengths 8b bytes) */
static const uint32_t K_LO[32] = {
    0xa9cdda0du, 0x00000001u, 0x493c7d27u, 0xf20c0dfeu, 0xba4fc28eu, 0x3da6d0cbu, 0xddc0152bu, 0x1c291d04u,
    0x9e4addf8u, 0x740eef02u, 0x39d3b296u, 0x083a6eecu, 0x0715ce53u, 0xc49f4f67u, 0x47db8317u, 0x2ad91c30u,
    0x0d3b6092u, 0x6992cea2u, 0xc96cfdc0u, 0x7e908048u, 0x878a92a7u, 0x1b3d8f29u, 0xdaece73eu, 0xf1d0f55eu,
    0xab7aff2au, 0xa87ab8a8u, 0x2162d385u, 0x8462d800u, 0x83348832u, 0x71d111a8u, 0x299847d5u, 0xffd852c6u};
/* K_HI[a] = x^(2048a - 33), a = 0..31 (lane lengths 256a bytes) */
static const uint32_t K_HI[32] = {
    0xa9cdda0du, 0xb9e02b86u, 0xdd7e3b0cu, 0xd7a4825cu, 0x170076fau, 0xdd66cbbbu, 0x9ef68d35u, 0xaa7c7ad5u,
    0xa51b6135u, 0xbedc6ba1u, 0x22c3799fu, 0x8515c07fu, 0x359674f7u, 0x5f0e0438u, 0x96a1f19bu, 0x23d5e7e5u,
    0x82f89c77u, 0xcfeff4b3u, 0x005bb964u, 0x1ad321bcu, 0xca110698u, 0x0e0126b2u, 0xe3e0d8bfu, 0x66c774ddu,
    0xb9d68d49u, 0xdbf6533du, 0x51c0477eu, 0x60867a83u, 0xa9232e2bu, 0x11e2d681u, 0xf7ac8f1fu, 0xf11494b6u};
#define K_BLOCK1 0x82f89c77u /* x^(8*4096 - 33) = K_HI[16] */
#define K_BLOCK2 0x54a86326u /* x^(16*4096 - 33) */

/* a * k * x^33 mod P */
__attribute__((target("sse4.2,pclmul"))) static inline uint32_t clmul_reduce(uint32_t a, uint32_t k)
{
    __m128i prod = _mm_clmulepi64_si128(_mm_cvtsi32_si128((int)a), _mm_cvtsi32_si128((int)k), 0x00);
    return (uint32_t)_mm_crc32_u64(0, (uint64_t)_mm_cvtsi128_si64(prod));
}

/* c0 * x^(16L) + c1 * x^(8L) + c2 with k1 = x^(8L - 33), k2 = x^(16L - 33): both products before
 * one reduction (the sum of the 63-bit products is reduced like either). */
__attribute__((target("sse4.2,pclmul"))) static inline uint32_t merge3(uint64_t c0, uint64_t c1, uint64_t c2,
                                                                       uint32_t k1, uint32_t k2)
{
    __m128i m = _mm_xor_si128(_mm_clmulepi64_si128(_mm_cvtsi32_si128((int)(uint32_t)c0), _mm_cvtsi32_si128((int)k2), 0x00),
                              _mm_clmulepi64_si128(_mm_cvtsi32_si128((int)(uint32_t)c1), _mm_cvtsi32_si128((int)k1), 0x00));
    return (uint32_t)_mm_crc32_u64(0, (uint64_t)_mm_cvtsi128_si64(m)) ^ (uint32_t)c2;
}

/* Below this many bytes one chain: the merge (about 15 cycles of latency) would not pay off. */
enum { CLMUL_MIN = 128 };

__attribute__((target("sse4.2,pclmul"))) static uint32_t crc32c_clmul(uint32_t c, const uint8_t *p, size_t size)
{
    if (size < CLMUL_MIN) return crc32c_1way(c, p, size);
    for (; size >= 3 * BLOCK; p += 3 * BLOCK, size -= 3 * BLOCK) {
        CRC32C_3LANES(c, p, BLOCK, c0, c1, c2)
        c = merge3(c0, c1, c2, K_BLOCK1, K_BLOCK2);
    }
    if (size >= CLMUL_MIN) {
        /* one round of three lanes of L = 8m bytes, m < 512, and at most 23 bytes left; the
         * shift constants x^(64m - 33) and x^(128m - 33) from the two tables: with m = 32a + b,
         * clmul_reduce(K_HI[a], K_LO[b]) = x^(2048a - 33 + 64b - 33 + 33). They do not depend on
         * the lanes, so they are computed while the chains run. */
        size_t m = size / 24, L = 8 * m, m2 = 2 * m;
        uint32_t k1 = clmul_reduce(K_HI[m >> 5], K_LO[m & 31]);
        uint32_t k2 = clmul_reduce(K_HI[m2 >> 5], K_LO[m2 & 31]);
        CRC32C_3LANES(c, p, L, c0, c1, c2)
        c = merge3(c0, c1, c2, k1, k2);
        p += 3 * L;
        size -= 3 * L;
    }
    return crc32c_1way(c, p, size);
}

static int hw_level(void)
{
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = !__builtin_cpu_supports("sse4.2")   ? TCA__CRC32C_PORTABLE
                 : !__builtin_cpu_supports("pclmul") ? TCA__CRC32C_SSE42
                                                     : TCA__CRC32C_CLMUL;
    }
    return cached;
}
#endif

int tca__crc32c_level_max(void)
{
#ifdef TCA_CRC_HW
    return hw_level();
#else
    return TCA__CRC32C_PORTABLE;
#endif
}

uint32_t tca__crc32c_update_level(uint32_t crc, const void *data, size_t size, int level)
{
    const uint8_t *p = (const uint8_t *)data;
#ifdef TCA_CRC_HW
    int have = hw_level();
    if (level > have) level = have;
    if (level >= TCA__CRC32C_CLMUL) return ~crc32c_clmul(~crc, p, size);
    if (level == TCA__CRC32C_SSE42) return ~crc32c_sse42(~crc, p, size);
#else
    (void)level;
#endif
    return ~crc32c_portable(~crc, p, size);
}

/* Exposed for the tests: force the portable path (0) or the automatic choice (1). */
uint32_t tca__crc32c_update_impl(uint32_t crc, const void *data, size_t size, int allow_hw)
{
    return tca__crc32c_update_level(crc, data, size, allow_hw ? TCA__CRC32C_CLMUL : TCA__CRC32C_PORTABLE);
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
