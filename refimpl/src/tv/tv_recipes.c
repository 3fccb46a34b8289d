/* SPDX-License-Identifier: Apache-2.0 */
/* Matrices drawn from SplitMix64 by named recipes (spec/tca-test-vectors.md 2.3), and the
 * little-endian digests of result arrays (vectors 6.3). The recipes are normative: the draw order
 * here is the one the spec states, so a third party regenerates identical inputs. */
#include <string.h>
#include "common/le.h"
#include "tca/bf16.h"
#include "tca/checksum.h"
#include "tca/prng.h"
#include "tca/tv.h"

/* vectors 2.3: the special values of the "specials" recipe, in table order */
static const uint16_t specials[8] = {0x7FC0, 0xFFC1, 0x7F80, 0xFF80, 0x8000, 0x0001, 0x807F, 0x7F7F};

static uint16_t draw_weight(tca_prng *r) { return tca_bf16_from_double_rne(0.02 * tca_prng_normal(r)); }

tca_status tca_tv_fill_matrix(const char *recipe, uint64_t seed, uint16_t *out, uint64_t rows, uint64_t cols)
{
    if (!recipe || (!out && rows && cols)) return TCA_ERROR_PARAM_NULL;
    enum { WEIGHTS, SMALLINT, WIDERANGE, SPECIALS, PAIRS, ACT, NEGPAIRS, NEARPAIRS } kind;
    if (!strcmp(recipe, "weights")) kind = WEIGHTS;
    else if (!strcmp(recipe, "smallint")) kind = SMALLINT;
    else if (!strcmp(recipe, "widerange")) kind = WIDERANGE;
    else if (!strcmp(recipe, "specials")) kind = SPECIALS;
    else if (!strcmp(recipe, "pairs")) kind = PAIRS;
    else if (!strcmp(recipe, "act")) kind = ACT;
    else if (!strcmp(recipe, "negpairs")) kind = NEGPAIRS;
    else if (!strcmp(recipe, "nearpairs")) kind = NEARPAIRS;
    else return TCA_ERROR_PARAM_INVALID;
    tca_prng r;
    tca_prng_seed(&r, seed);
    for (uint64_t i = 0; i < rows; i++) {
        uint16_t *row = out + i * cols;
        for (uint64_t j = 0; j < cols; j++) {
            uint16_t v = 0;
            switch (kind) {
            case WEIGHTS: /* 1/64 exact zeros, else N(0, 0.02^2) */
                v = tca_prng_unit(&r) < 1.0 / 64 ? 0x0000 : draw_weight(&r);
                break;
            case SMALLINT: /* integers -8..8: every partial sum exact */
                v = tca_bf16_from_double_rne((double)tca_prng_range(&r, -8, 8));
                break;
            case WIDERANGE: { /* sign, mantissa from one draw; exponent 87..167 from the next */
                uint64_t d = tca_prng_u64(&r);
                unsigned e = (unsigned)tca_prng_range(&r, 87, 167);
                v = (uint16_t)(((d & 1u) << 15) | (e << 7) | ((d >> 1) & 0x7Fu));
                break;
            }
            case SPECIALS: { /* 8 in 4096 from the special table, else a weight */
                uint64_t u = tca_prng_below(&r, 4096);
                v = u < 8 ? specials[u] : draw_weight(&r);
                break;
            }
            case PAIRS: /* odd columns repeat their left neighbour (no draw) */
                v = (j & 1) ? row[j - 1] : draw_weight(&r);
                break;
            case ACT:
                v = tca_bf16_from_double_rne(tca_prng_normal(&r));
                break;
            case NEGPAIRS: /* odd columns: the negated left neighbour: w*x + w*(-x) = 0 exactly */
                v = (j & 1) ? (uint16_t)(row[j - 1] ^ 0x8000u) : tca_bf16_from_double_rne(tca_prng_normal(&r));
                break;
            case NEARPAIRS: /* odd columns: the negated neighbour moved by one ulp within its binade */
                if (j & 1) {
                    uint16_t n = (uint16_t)(row[j - 1] ^ 0x8000u);
                    v = (n & 0x7Fu) != 0x7Fu ? (uint16_t)(n + 1) : (uint16_t)(n - 1);
                } else {
                    v = tca_bf16_from_double_rne(tca_prng_normal(&r));
                }
                break;
            }
            row[j] = v;
        }
    }
    return TCA_OK;
}

void tca_tv_digest16(const uint16_t *v, uint64_t n, uint8_t digest[32])
{
    tca_sha256_ctx s;
    uint8_t buf[4096];
    tca_sha256_init(&s);
    for (uint64_t i = 0; i < n;) {
        size_t m = 0;
        for (; m < sizeof buf / 2 && i < n; m++, i++) tca__st16(buf + 2 * m, v[i]);
        tca_sha256_update(&s, buf, 2 * m);
    }
    tca_sha256_final(&s, digest);
}

void tca_tv_digest32(const uint32_t *v, uint64_t n, uint8_t digest[32])
{
    tca_sha256_ctx s;
    uint8_t buf[4096];
    tca_sha256_init(&s);
    for (uint64_t i = 0; i < n;) {
        size_t m = 0;
        for (; m < sizeof buf / 4 && i < n; m++, i++) tca__st32(buf + 4 * m, v[i]);
        tca_sha256_update(&s, buf, 4 * m);
    }
    tca_sha256_final(&s, digest);
}
