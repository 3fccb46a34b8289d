/* SPDX-License-Identifier: Apache-2.0 */
/* The bundled PRNG: SplitMix64, specified normatively in spec/tca-test-vectors.md section 2,
 * with every derived draw below, so that third parties regenerate identical inputs.
 * Never use rand(). */
#ifndef TCA_PRNG_H
#define TCA_PRNG_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tca_prng {
    uint64_t state;
} tca_prng;

/** state = seed. */
void tca_prng_seed(tca_prng *r, uint64_t seed);
/** SplitMix64: state += 0x9E3779B97F4A7C15; z = state;
 *  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
 *  return z ^ (z >> 31). */
uint64_t tca_prng_u64(tca_prng *r);
/** Low 32 bits of one u64 draw. */
uint32_t tca_prng_u32(tca_prng *r);
/** One u64 draw reduced: draw % n (n >= 1). The small modulo bias is part of the spec. */
uint64_t tca_prng_below(tca_prng *r, uint64_t n);
/** Integer uniform in [lo, hi] inclusive: lo + below(hi - lo + 1). */
int64_t tca_prng_range(tca_prng *r, int64_t lo, int64_t hi);
/** (draw >> 11) * 2^-53: uniform in [0, 1), exact in a double. */
double tca_prng_unit(tca_prng *r);
/** Standard normal approximation, exactly reproducible on IEEE hosts (no libm):
 *  sum of 12 unit() draws (added left to right in double) minus 6.0. */
double tca_prng_normal(tca_prng *r);
/** Derive an independent stream seed: the first u64 draw of a generator seeded with
 *  seed ^ (stream * 0xD1B54A32D192ED03) (multiplication modulo 2^64). */
uint64_t tca_prng_derive(uint64_t seed, uint64_t stream);

#ifdef __cplusplus
}
#endif
#endif
