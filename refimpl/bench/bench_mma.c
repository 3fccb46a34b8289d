/* SPDX-License-Identifier: Apache-2.0 */
/* Speed of the MMA emulator on one core: 16-product steps per second (goal >= 10 M/s), the
 * per-profile k16 dot, the f16-accumulator step, binary32 addition and a warp-level mma.sync.
 * Baseline in the same run: a plain host-float 16-term dot product (not bit-exact; it shows what
 * the exact integer arithmetic costs). Each row is the median of REPS timed runs.
 * Usage: bench_mma [reps] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tca/mma.h"
#include "tca/prng.h"

#define NSTEPS 4096 /* distinct input sets, cycled */
#define ROUNDS 64   /* passes over them per timed run */

static uint16_t a_bf[NSTEPS][16], b_bf[NSTEPS][16], a_h[NSTEPS][16], b_h[NSTEPS][16];
static uint32_t c_f32[NSTEPS];
static float fa[NSTEPS][16], fb[NSTEPS][16];
static volatile uint32_t sink;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time of this thread: robust on a shared machine */
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *x, const void *y)
{
    const double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

typedef uint32_t (*kernel_fn)(int i);

static uint32_t k_float_baseline(int i)
{
    float s = 0.0f;
    for (int k = 0; k < 16; k++) s += fa[i][k] * fb[i][k];
    uint32_t u;
    memcpy(&u, &s, 4);
    return u;
}
static const tca_mma_profile *sm90, *sm80;
static uint32_t k_step_sm90(int i) { return tca_mma_step_f32(sm90, TCA_MMA_IN_BF16, a_bf[i], b_bf[i], 16, c_f32[i]); }
static uint32_t k_dot_sm90(int i) { return tca_mma_dot_f32(sm90, TCA_MMA_IN_BF16, a_bf[i], b_bf[i], 16, c_f32[i]); }
static uint32_t k_dot_sm80(int i) { return tca_mma_dot_f32(sm80, TCA_MMA_IN_BF16, a_bf[i], b_bf[i], 16, c_f32[i]); }
static uint32_t k_step_f16in(int i) { return tca_mma_step_f32(sm90, TCA_MMA_IN_F16, a_h[i], b_h[i], 16, c_f32[i]); }
static uint32_t k_step_f16acc(int i) { return tca_mma_step_f16(sm90, a_h[i], b_h[i], 16, (uint16_t)c_f32[i]); }
static uint32_t k_add(int i) { return tca_f32_add_rne(c_f32[i], c_f32[(i + 1) & (NSTEPS - 1)]); }

/* calls per second of one timed run of a kernel */
static double run_once(kernel_fn fn)
{
    uint32_t acc = 0;
    const double t0 = now();
    for (int round = 0; round < ROUNDS; round++)
        for (int i = 0; i < NSTEPS; i++) acc ^= fn(i);
    const double t1 = now();
    sink = acc;
    return (double)ROUNDS * NSTEPS / (t1 - t0);
}

int main(int argc, char **argv)
{
    const int reps = argc > 1 ? atoi(argv[1]) : 9;
    if (reps < 1) {
        fprintf(stderr, "usage: bench_mma [reps >= 1]\n");
        return 2;
    }
    sm90 = tca_mma_profile_by_name("sm90");
    sm80 = tca_mma_profile_by_name("sm80");
    tca_prng r;
    tca_prng_seed(&r, 0x62656E63686D6D61ull);
    for (int i = 0; i < NSTEPS; i++) {
        for (int k = 0; k < 16; k++) {
            /* Gaussian-like bf16 (exponent -8..2, one in eight a zero), f16 in its range */
            const uint32_t u = tca_prng_u32(&r);
            a_bf[i][k] = (u & 7u) == 0 ? 0 : (uint16_t)((u & 0x807Fu) | ((uint32_t)tca_prng_range(&r, 119, 129) << 7));
            b_bf[i][k] = (uint16_t)((tca_prng_u32(&r) & 0x807Fu) | ((uint32_t)tca_prng_range(&r, 119, 129) << 7));
            a_h[i][k] = (uint16_t)((tca_prng_u32(&r) & 0x83FFu) | ((uint32_t)tca_prng_range(&r, 7, 17) << 10));
            b_h[i][k] = (uint16_t)((tca_prng_u32(&r) & 0x83FFu) | ((uint32_t)tca_prng_range(&r, 7, 17) << 10));
            uint32_t wa = (uint32_t)a_bf[i][k] << 16, wb = (uint32_t)b_bf[i][k] << 16;
            memcpy(&fa[i][k], &wa, 4);
            memcpy(&fb[i][k], &wb, 4);
        }
        c_f32[i] = (tca_prng_u32(&r) & 0x807FFFFFu) | ((uint32_t)tca_prng_range(&r, 120, 130) << 23);
    }
    static const struct {
        const char *name;
        kernel_fn fn;
        const char *unit;
    } rows[] = {
        {"baseline: host float 16-term dot (not exact)", k_float_baseline, "dots/s"},
        {"tca_mma_step_f32 sm90, 16 bf16 products", k_step_sm90, "steps/s"},
        {"tca_mma_dot_f32 sm90, k16 (1 step)", k_dot_sm90, "k16/s"},
        {"tca_mma_dot_f32 sm80, k16 (2 steps of 8)", k_dot_sm80, "k16/s"},
        {"tca_mma_step_f32 sm90, 16 f16 products", k_step_f16in, "steps/s"},
        {"tca_mma_step_f16 sm90, f16 accumulator", k_step_f16acc, "steps/s"},
        {"tca_f32_add_rne", k_add, "adds/s"},
    };
    printf("bench_mma: one core, median of %d runs x %d calls each\n\n", reps, ROUNDS * NSTEPS);
    printf("| %-46s | %14s | %-8s | %9s |\n", "kernel", "rate (M/s)", "unit", "vs base");
    printf("|%s|%s|%s|%s|\n", "------------------------------------------------", "----------------",
           "----------", "-----------");
    /* the kernels are interleaved within each repetition, so that a change in machine load
     * during the run affects every row alike; each row is the median of its reps */
    enum { NROWS = sizeof rows / sizeof rows[0] };
    double *rates = malloc(sizeof(double) * (size_t)reps * NROWS);
    if (rates == NULL) return 2;
    for (int rep = 0; rep < reps; rep++)
        for (int i = 0; i < NROWS; i++) rates[i * reps + rep] = run_once(rows[i].fn);
    double base = 0;
    for (int i = 0; i < NROWS; i++) {
        qsort(rates + i * reps, (size_t)reps, sizeof(double), cmp_double);
        const double rate = rates[i * reps + reps / 2];
        if (i == 0) base = rate;
        printf("| %-46s | %14.2f | %-8s | %8.2fx |\n", rows[i].name, rate / 1e6, rows[i].unit, rate / base);
    }
    free(rates);
    /* warp-level mma.sync: 16 x 8 outputs of one k16 dot each */
    {
        static uint32_t ra[32][4], rb[32][2], rc[32][4], rd[32][4];
        for (int l = 0; l < 32; l++) {
            for (int j = 0; j < 4; j++) ra[l][j] = (uint32_t)a_bf[l][2 * j] | (uint32_t)a_bf[l][2 * j + 1] << 16;
            for (int j = 0; j < 2; j++) rb[l][j] = (uint32_t)b_bf[l][2 * j] | (uint32_t)b_bf[l][2 * j + 1] << 16;
            for (int j = 0; j < 4; j++) rc[l][j] = c_f32[4 * l + j];
        }
        const tca_mma_op op = {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32};
        double *sync_rates = malloc(sizeof(double) * (size_t)reps);
        if (sync_rates == NULL) return 2;
        for (int rr = 0; rr < reps; rr++) {
            const int calls = 20000;
            const double t0 = now();
            for (int i = 0; i < calls; i++) {
                rc[i & 31][0] ^= 1u; /* vary the input */
                if (tca_mma_sync(sm90, op, (const uint32_t(*)[4])ra, (const uint32_t(*)[2])rb,
                                 (const uint32_t(*)[4])rc, rd) != TCA_OK)
                    return 1;
            }
            sync_rates[rr] = calls / (now() - t0);
            sink = rd[0][0];
        }
        qsort(sync_rates, (size_t)reps, sizeof(double), cmp_double);
        printf("| %-46s | %14.3f | %-8s | %9s |\n", "tca_mma_sync sm90 m16n8k16 bf16 (128 dots)", sync_rates[reps / 2] / 1e6,
               "calls/s", "-");
        free(sync_rates);
    }
    return 0;
}
