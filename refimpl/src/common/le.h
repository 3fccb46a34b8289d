/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: little-endian loads and stores at any alignment (spec 1: every multi-byte field is
 * little-endian). memcpy keeps them free of alignment and aliasing undefined behaviour; compilers
 * turn them into single moves on little-endian hosts. */
#ifndef TCA_COMMON_LE_H
#define TCA_COMMON_LE_H
#include <stdint.h>
#include <string.h>

static inline uint16_t tca__le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t tca__le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t tca__le64(const uint8_t *p)
{
    return (uint64_t)tca__le32(p) | ((uint64_t)tca__le32(p + 4) << 32);
}
static inline void tca__st16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void tca__st32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
static inline void tca__st64(uint8_t *p, uint64_t v)
{
    tca__st32(p, (uint32_t)v);
    tca__st32(p + 4, (uint32_t)(v >> 32));
}

/* Overflow-checked arithmetic: return 1 on overflow, leaving *out unspecified. */
static inline int tca__mul_overflow_u64(uint64_t a, uint64_t b, uint64_t *out)
{
    if (a != 0 && b > UINT64_MAX / a) return 1;
    *out = a * b;
    return 0;
}
static inline int tca__add_overflow_u64(uint64_t a, uint64_t b, uint64_t *out)
{
    if (b > UINT64_MAX - a) return 1;
    *out = a + b;
    return 0;
}
#endif
