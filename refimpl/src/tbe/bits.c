/* SPDX-License-Identifier: Apache-2.0 */
/* Constant table of the format core: bit c of an 8-bit plane row -> byte c of a uint64_t, used to
 * turn one row of the three bitmap planes (spec 5.3, 6.1) into eight code bytes at once. */
#include "tbe/tbe_internal.h"

#define TCA__SP1(x, c) ((uint64_t)(((x) >> (c)) & 1u) << (8 * (c)))
#define TCA__SP(x)                                                                                                   \
    (TCA__SP1(x, 0) | TCA__SP1(x, 1) | TCA__SP1(x, 2) | TCA__SP1(x, 3) | TCA__SP1(x, 4) | TCA__SP1(x, 5) |           \
     TCA__SP1(x, 6) | TCA__SP1(x, 7))
#define TCA__SP4(n) TCA__SP(n), TCA__SP(n + 1), TCA__SP(n + 2), TCA__SP(n + 3)
#define TCA__SP16(n) TCA__SP4(n), TCA__SP4(n + 4), TCA__SP4(n + 8), TCA__SP4(n + 12)
#define TCA__SP64(n) TCA__SP16(n), TCA__SP16(n + 16), TCA__SP16(n + 32), TCA__SP16(n + 48)

const uint64_t tca__tbe_spread_bits[256] = {TCA__SP64(0u), TCA__SP64(64u), TCA__SP64(128u), TCA__SP64(192u)};
