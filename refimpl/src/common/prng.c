/* SPDX-License-Identifier: Apache-2.0 */
/* SplitMix64 and its derived draws, as specified in spec/tca-test-vectors.md section 2. */
#include "tca/prng.h"

void tca_prng_seed(tca_prng *r, uint64_t seed) { r->state = seed; }

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t tca_prng_u64(tca_prng *r)
{
    r->state += 0x9E3779B97F4A7C15ull;
    return mix(r->state);
}

uint32_t tca_prng_u32(tca_prng *r) { return (uint32_t)tca_prng_u64(r); }

uint64_t tca_prng_below(tca_prng *r, uint64_t n) { return n ? tca_prng_u64(r) % n : 0; }

int64_t tca_prng_range(tca_prng *r, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1u; /* 0 means the full 64-bit range */
    uint64_t v = span ? tca_prng_below(r, span) : tca_prng_u64(r);
    return (int64_t)((uint64_t)lo + v);
}

double tca_prng_unit(tca_prng *r) { return (double)(tca_prng_u64(r) >> 11) * 0x1.0p-53; }

double tca_prng_normal(tca_prng *r)
{
    double s = 0.0;
    for (int i = 0; i < 12; i++) s += tca_prng_unit(r);
    return s - 6.0;
}

uint64_t tca_prng_derive(uint64_t seed, uint64_t stream)
{
    tca_prng r = {seed ^ (stream * 0xD1B54A32D192ED03ull)};
    return tca_prng_u64(&r); /* the first draw of a generator seeded with that state */
}
