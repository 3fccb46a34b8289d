/* SPDX-License-Identifier: Apache-2.0 */
/* Shared helpers of the oracle's differential tests: the ops under test, running the emulator
 * and the oracle on one family tile, and printing a mismatch decoded. Header-only (static
 * functions) so that each check_oracle_*.c stays one executable. */
#ifndef TCA_ORACLE_DIFF_UTIL_H
#define TCA_ORACLE_DIFF_UTIL_H
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "tca/families.h"
#include "tca/tca.h"
#include "tca_oracle.h"
#include "test_util.h"

/* Every op the emulator supports (tca-mma-semantics 2 and 3): the four of the project's kernels
 * and captures, plus m16n8k8 with f16 inputs. */
static const tca_mma_op DIFF_OPS[] = {
    {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32},
    {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F32},
    {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F16},
    {TCA_MMA_M16N8K8, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32},
    {TCA_MMA_M16N8K8, TCA_MMA_IN_F16, TCA_MMA_ACC_F32},
};
#define DIFF_NOPS ((int)(sizeof DIFF_OPS / sizeof DIFF_OPS[0]))

static inline const char *diff_op_name(tca_mma_op op)
{
    static char buf[64];
    snprintf(buf, sizeof buf, "m16n8k%d.%s.%s", op.shape == TCA_MMA_M16N8K16 ? 16 : 8,
             op.in == TCA_MMA_IN_BF16 ? "bf16" : "f16", op.acc == TCA_MMA_ACC_F32 ? "f32" : "f16");
    return buf;
}

/* One tile's inputs and both results. */
typedef struct diff_tile {
    uint16_t A[256], B[128];
    uint32_t C[128], emu[128], emu_dot[128], orc[128];
} diff_tile;

/* The emulator on one tile: tca_mma_tile into emu, and element by element through
 * tca_mma_dot_f32 / tca_mma_dot_f16 (the instruction's k-chunk as the profile chains steps) into
 * emu_dot, so that both entry points are held to the oracle. */
static inline tca_status diff_emulate(const tca_mma_profile *p, tca_mma_op op, diff_tile *t)
{
    tca_status st = tca_mma_tile(p, op, t->A, t->B, t->C, t->emu);
    if (st != TCA_OK) return st;
    int K = tca_family_op_k(op);
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 8; j++) {
            uint16_t bcol[16];
            for (int k = 0; k < K; k++) bcol[k] = t->B[k * 8 + j];
            if (op.acc == TCA_MMA_ACC_F32)
                t->emu_dot[i * 8 + j] = tca_mma_dot_f32(p, op.in, t->A + i * K, bcol, K, t->C[i * 8 + j]);
            else
                t->emu_dot[i * 8 + j] = tca_mma_dot_f16(p, t->A + i * K, bcol, K, (uint16_t)t->C[i * 8 + j]);
        }
    return TCA_OK;
}

/* "s=1 e=0x7f m=0x000001 (name)" for an accumulator pattern. */
static inline void diff_decode(char *buf, size_t n, uint32_t v, int f16)
{
    unsigned s, e, m;
    const char *what;
    if (f16) {
        s = (v >> 15) & 1u, e = (v >> 10) & 0x1Fu, m = v & 0x3FFu;
        what = e == 0x1F ? (m ? "NaN" : "Inf") : e == 0 ? (m ? "subnormal" : "zero") : "normal";
        snprintf(buf, n, "0x%04x (s=%u e=0x%02x m=0x%03x %s)", v & 0xFFFFu, s, e, m, what);
    } else {
        s = v >> 31, e = (v >> 23) & 0xFFu, m = v & 0x7FFFFFu;
        what = e == 0xFF ? (m ? "NaN" : "Inf") : e == 0 ? (m ? "subnormal" : "zero") : "normal";
        snprintf(buf, n, "0x%08x (s=%u e=0x%02x m=0x%06x %s)", v, s, e, m, what);
    }
}

/* Print one mismatching output decoded, with the inputs needed to reproduce it. */
static inline void diff_report(const char *what, const tca_mma_profile *p, tca_mma_op op, tca_family f, long tile_no,
                        const diff_tile *t, int idx, uint64_t stream_seed)
{
    int K = tca_family_op_k(op), i = idx / 8, j = idx % 8, f16 = op.acc == TCA_MMA_ACC_F16;
    char got[96], gotdot[96], exp[96], c[96];
    diff_decode(got, sizeof got, t->emu[idx], f16);
    diff_decode(gotdot, sizeof gotdot, t->emu_dot[idx], f16);
    diff_decode(exp, sizeof exp, t->orc[idx], f16);
    diff_decode(c, sizeof c, t->C[idx], f16);
    fprintf(stderr,
            "%s: profile %s (F=%d block=%d floor_f32=%d floor_f16=%d) op %s family %s stream seed 0x%016llx "
            "tile %ld element D[%d][%d]\n  emulator tile %s\n  emulator dot  %s\n  oracle        %s\n  c             %s\n  a row:",
            what, p->name, p->frac_bits, p->block_products, p->floor_f32, p->floor_f16, diff_op_name(op),
            tca_family_name(f), (unsigned long long)stream_seed, tile_no, i, j, got, gotdot, exp, c);
    for (int k = 0; k < K; k++) fprintf(stderr, " %04x", t->A[i * K + k]);
    fprintf(stderr, "\n  b col:");
    for (int k = 0; k < K; k++) fprintf(stderr, " %04x", t->B[k * 8 + j]);
    fprintf(stderr, "\n");
}

/* The stream seed of one (profile, op, family) combination: independent SplitMix64 streams. */
static inline uint64_t diff_stream_seed(uint64_t seed, int profile_no, int op_no, int family)
{
    return tca_prng_derive(seed, (uint64_t)(profile_no * 10000 + op_no * 100 + family));
}

static inline double diff_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
#endif
