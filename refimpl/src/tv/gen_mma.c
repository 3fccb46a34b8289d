/* SPDX-License-Identifier: Apache-2.0 */
/* MMA vectors (spec/tca-test-vectors.md sections 4 and 7): per profile and op, a few inline tiles
 * of every input family (quick), and accumulated vectors (full): many tiles regenerated from the
 * PRNG and checked by the SHA-256 of their D arrays. Inputs come from the normative families
 * (spec/tca-mma-families.md) and do not depend on the profile, so files of different profiles
 * hold the same A, B, C and show where the arithmetic differs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tca/checksum.h"
#include "tca/families.h"
#include "tca/mma.h"
#include "tca/prng.h"
#include "tv/tv_gen.h"

#define MMA_SEED 0x5443412d4d4d4131ull /* "TCA-MMA1" */
#define QUICK_PER_FAMILY 3
#define ACCUM_TILES 1024
#define FAMILY_ID_STRIDE 1000 /* vectors 9: id = 1000 * family + i + 1, stable when counts grow */

/* vectors 4.1: the ops, in file order, with their short names */
static const struct {
    const char *shortname;
    tca_mma_op op;
} ops[] = {
    {"m16n8k16_f32_bf16", {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32}},
    {"m16n8k16_f32_f16", {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F32}},
    {"m16n8k16_f16_f16", {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F16}},
    {"m16n8k8_f32_bf16", {TCA_MMA_M16N8K8, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32}},
    {"m16n8k8_f32_f16", {TCA_MMA_M16N8K8, TCA_MMA_IN_F16, TCA_MMA_ACC_F32}},
    {"m16n8k8_f16_f16", {TCA_MMA_M16N8K8, TCA_MMA_IN_F16, TCA_MMA_ACC_F16}},
};
#define N_OPS (sizeof ops / sizeof ops[0])

static const char *const family_notes[TCA_FAMILY_COUNT] = {
    "N(0,1) inputs and C: F, alignment, truncation",
    "exponents spread over +-40: large alignment shifts",
    "uniform bit patterns: NaN, Inf, subnormals; NaN canonicalisation",
    "products below 2^-120, C in {+0, -0, subnormal, tiny}: c = 0 dropped, FLOOR, subnormal outputs",
    "zero A columns meet B rows of 2^100..2^127: zero products do not set E_max",
    "about 2/3 of inputs +-0: a zero result is always +0",
    "x*y + x*(-y): exact cancellation gives +0",
    "results beyond the accumulator range: +-Inf, not the largest finite",
    "C = +-0, products far below 2^-126: the FLOOR value",
    "N(0, 0.02^2) weights with zeros and specials against activation-like B",
    "inputs where step(8) o step(8) differs from step(16): the instruction split",
};

/* The seed of op o's tiles of family f (vectors 4.3). */
static uint64_t family_seed(size_t o, int f) { return tca_prng_derive(tca_prng_derive(MMA_SEED, o + 1), (uint64_t)f + 1); }

static void put_family_notes(tca_tv_writer *w)
{
    char key[64];
    for (int f = 0; f < TCA_FAMILY_COUNT; f++) {
        snprintf(key, sizeof key, "notes.%s", tca_family_name((tca_family)f));
        tca_tv_put(w, key, family_notes[f]);
    }
}

static tca_status gen_inline(tca__tv_gen *g, const tca_mma_profile *p, size_t o)
{
    char path[128], desc[160];
    snprintf(path, sizeof path, "v1/mma/%s/%s.tv", p->name, ops[o].shortname);
    snprintf(desc, sizeof desc, "%s on %s: %d tiles of each input family", tca_tv_mma_op_name(ops[o].op), p->name,
             QUICK_PER_FAMILY);
    tca_tv_manifest_row row;
    tca__tv_row(&row, path, "mma", p->name, "quick", tca_prng_derive(MMA_SEED, o + 1),
                (uint64_t)QUICK_PER_FAMILY * TCA_FAMILY_COUNT, desc);
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    tca__tv_gen_begin(&w, &row);
    tca_tv_put(&w, "op", tca_tv_mma_op_name(ops[o].op));
    tca_tv_put(&w, "arch", p->name);
    put_family_notes(&w);
    tca_tv_put_end(&w);
    tca_status st = TCA_OK;
    static tca_tv_mma_case c;
    for (int f = 0; f < TCA_FAMILY_COUNT && !st; f++) {
        tca_prng r;
        tca_prng_seed(&r, family_seed(o, f));
        for (int i = 0; i < QUICK_PER_FAMILY && !st; i++) {
            memset(&c, 0, sizeof c);
            st = tca_family_fill((tca_family)f, ops[o].op, &r, c.A, c.B, c.C);
            if (!st) st = tca_mma_tile(p, ops[o].op, c.A, c.B, c.C, c.D);
            if (ops[o].op.acc == TCA_MMA_ACC_F16)
                for (int e = 0; e < 128; e++) c.D[e] &= 0xFFFFu;
            c.id = (uint64_t)f * FAMILY_ID_STRIDE + (uint64_t)i + 1;
            c.flags = tca_family_name((tca_family)f);
            if (!st) tca_tv_mma_case_write(&w, ops[o].op, &c);
        }
    }
    if (!st) st = tca__tv_gen_add(g, &row, &w);
    tca_tv_writer_free(&w);
    return st;
}

/* vectors 7: D of `count` consecutive tiles, each 128 values, little-endian u32 (f32
 * accumulators) or u16 (f16 accumulators), in row-major order, hashed together. */
static tca_status accumulate(const tca_mma_profile *p, tca_mma_op op, tca_family f, uint64_t seed, uint64_t count,
                             uint8_t digest[32])
{
    tca_prng r;
    tca_prng_seed(&r, seed);
    tca_sha256_ctx s;
    tca_sha256_init(&s);
    uint16_t A[256], B[128];
    uint32_t C[128], D[128];
    uint8_t bytes[512];
    for (uint64_t t = 0; t < count; t++) {
        tca_status st = tca_family_fill(f, op, &r, A, B, C);
        if (!st) st = tca_mma_tile(p, op, A, B, C, D);
        if (st) return st;
        size_t n = 0;
        for (int e = 0; e < 128; e++) {
            bytes[n++] = (uint8_t)D[e];
            bytes[n++] = (uint8_t)(D[e] >> 8);
            if (op.acc == TCA_MMA_ACC_F32) {
                bytes[n++] = (uint8_t)(D[e] >> 16);
                bytes[n++] = (uint8_t)(D[e] >> 24);
            }
        }
        tca_sha256_update(&s, bytes, n);
    }
    tca_sha256_final(&s, digest);
    return TCA_OK;
}

static tca_status gen_accum(tca__tv_gen *g, const tca_mma_profile *p)
{
    char path[128], desc[160];
    snprintf(path, sizeof path, "v1/mma/%s/accum.tv", p->name);
    snprintf(desc, sizeof desc, "accumulated: %d tiles per op and family on %s, D by SHA-256", ACCUM_TILES, p->name);
    tca_tv_manifest_row row;
    tca__tv_row(&row, path, "mma-accum", p->name, "full", MMA_SEED, (uint64_t)N_OPS * TCA_FAMILY_COUNT, desc);
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    tca__tv_gen_begin(&w, &row);
    tca_tv_put(&w, "arch", p->name);
    tca_tv_put(&w, "rng", "splitmix64");
    put_family_notes(&w);
    tca_tv_put_end(&w);
    tca_status st = TCA_OK;
    for (size_t o = 0; o < N_OPS && !st; o++)
        for (int f = 0; f < TCA_FAMILY_COUNT && !st; f++) {
            uint8_t d[32];
            uint64_t seed = family_seed(o, f) ^ 0xACC0ACC0ACC0ACC0ull; /* distinct from the inline tiles */
            st = accumulate(p, ops[o].op, (tca_family)f, seed, ACCUM_TILES, d);
            if (st) break;
            tca_tv_put_u64(&w, "id", (uint64_t)o * 100 + (uint64_t)f + 1);
            tca_tv_put(&w, "flags", tca_family_name((tca_family)f));
            tca_tv_put(&w, "op", tca_tv_mma_op_name(ops[o].op));
            tca_tv_put(&w, "family", tca_family_name((tca_family)f));
            tca_tv_put_x64(&w, "seed", seed);
            tca_tv_put_u64(&w, "tiles", ACCUM_TILES);
            tca_tv_put_sha256(&w, "D", d);
            tca_tv_put_end(&w);
        }
    if (!st) st = tca__tv_gen_add(g, &row, &w);
    tca_tv_writer_free(&w);
    return st;
}

tca_status tca__tv_gen_mma(tca__tv_gen *g)
{
    tca_status st = TCA_OK;
    for (int i = 0; i < tca_mma_profile_count() && !st; i++) {
        const tca_mma_profile *p = tca_mma_profile_at(i);
        for (size_t o = 0; o < N_OPS && !st; o++) st = gen_inline(g, p, o);
        if (!st && g->full) st = gen_accum(g, p);
    }
    return st;
}
