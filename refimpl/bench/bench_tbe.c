/* SPDX-License-Identifier: Apache-2.0 */
/* TCA-TBE encoder / validator / decoder throughput on a weight-like matrix: M x K Gaussian
 * (sigma 0.02) drawn with tca_prng_normal and rounded with tca_bf16_from_double_rne. Prints the
 * median of repeated runs in GB/s of BF16 (2 bytes per element), single-threaded and with
 * threads over independent row ranges, against a memcpy baseline of the same matrix.
 *
 * usage: bench_tbe [rows cols [reps [threads]]]   (default 4096 4096 7 <online CPUs>)
 * TCA_BENCH_PORTABLE=1 in the environment forces the portable C kernels (no SSSE3 paths); the
 * first line says which ones ran. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "common/crc32c_internal.h"
#include "tbe/tbe_internal.h"
#include "tca/tca.h"

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
static double now_s(void) { return clock_s(CLOCK_MONOTONIC); }

/* CPU time of the calling thread: with one thread it excludes the time the benchmark waits for a
 * CPU on a loaded machine (reported next to wall time, never instead of it). */
static double last_cpu_s;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* ------------------------------------------------------------------ the work of one thread */

typedef enum job_kind { JOB_MEMCPY, JOB_ENCODE, JOB_VALIDATE, JOB_DECODE_ROWS, JOB_DECODE_FULL } job_kind;

typedef struct job {
    job_kind kind;
    const uint16_t *w;  /* input matrix (row-major) */
    uint16_t *dst;      /* output matrix */
    uint64_t rows, cols;
    uint64_t tr_begin, tr_end; /* global-tile rows of this thread */
    const tca_tbe_view *view;  /* for decoding: the whole matrix */
    tca_tbe_matrix *enc;       /* for JOB_VALIDATE / JOB_DECODE_FULL: this thread's own encoding */
    tca_status st;
} job;

static void *run_job(void *arg)
{
    job *j = (job *)arg;
    uint64_t r0 = 64 * j->tr_begin, r1 = 64 * j->tr_end;
    if (r1 > j->rows) r1 = j->rows;
    j->st = TCA_OK;
    switch (j->kind) {
    case JOB_MEMCPY:
        memcpy(j->dst + r0 * j->cols, j->w + r0 * j->cols, (size_t)((r1 - r0) * j->cols * 2));
        break;
    case JOB_ENCODE: { /* the thread's rows as an independent matrix */
        tca_tbe_matrix *m = NULL;
        j->st = tca_tbe_encode(j->w + r0 * j->cols, r1 - r0, j->cols, NULL, NULL, &m);
        tca_tbe_matrix_free(m);
        break;
    }
    case JOB_VALIDATE:
        j->st = tca_tbe_validate(&j->enc->view);
        break;
    case JOB_DECODE_ROWS:
        j->st = tca_tbe_decode_tile_rows(j->view, j->tr_begin, j->tr_end, j->dst, j->rows * j->cols);
        break;
    case JOB_DECODE_FULL: /* validate + decode of the thread's own independent matrix */
        j->st = tca_tbe_decode(&j->enc->view, j->dst + r0 * j->cols, (r1 - r0) * j->cols);
        break;
    }
    return NULL;
}

/* Run protos[0] (or protos[i] for thread i when per_thread) over `threads` disjoint tile-row
 * ranges; returns seconds. */
static double run_parallel(const job *protos, int per_thread, int threads, job *jobs, pthread_t *tid,
                           uint64_t tile_rows)
{
    double t0 = now_s();
    for (int i = 0; i < threads; i++) {
        jobs[i] = protos[per_thread ? i : 0];
        jobs[i].tr_begin = tile_rows * (uint64_t)i / (uint64_t)threads;
        jobs[i].tr_end = tile_rows * (uint64_t)(i + 1) / (uint64_t)threads;
    }
    if (threads == 1) {
        double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
        run_job(&jobs[0]);
        last_cpu_s = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    } else {
        for (int i = 0; i < threads; i++) pthread_create(&tid[i], NULL, run_job, &jobs[i]);
        for (int i = 0; i < threads; i++) pthread_join(tid[i], NULL);
    }
    double t = now_s() - t0;
    for (int i = 0; i < threads; i++)
        if (jobs[i].st != TCA_OK) {
            fprintf(stderr, "bench_tbe: job failed: %s\n", tca_status_name(jobs[i].st));
            exit(1);
        }
    return t;
}

/* Independent per-thread encodings of the row ranges (for the per-thread validate/decode rows). */
static void encode_slices(const uint16_t *w, uint64_t rows, uint64_t cols, int threads, uint64_t tile_rows, job *protos)
{
    for (int i = 0; i < threads; i++) {
        uint64_t r0 = 64 * (tile_rows * (uint64_t)i / (uint64_t)threads);
        uint64_t r1 = 64 * (tile_rows * (uint64_t)(i + 1) / (uint64_t)threads);
        if (r1 > rows) r1 = rows;
        protos[i].enc = NULL;
        if (tca_tbe_encode(w + r0 * cols, r1 - r0, cols, NULL, NULL, &protos[i].enc) != TCA_OK) exit(1);
    }
}

/* One table row: wall-clock median, GB/s of BF16, ratio to the memcpy baseline, and for one
 * thread the GB/s by the median thread CPU time. */
static void row(const char *name, int threads, double sec, double cpu_sec, double bytes, double base_sec)
{
    printf("%-34s %7d %10.3f %10.2f %9.3f", name, threads, sec * 1e3, bytes / sec * 1e-9, sec / base_sec);
    if (threads == 1)
        printf(" %12.2f\n", bytes / cpu_sec * 1e-9);
    else
        printf(" %12s\n", "-");
}

/* Time `reps` runs; returns the wall-clock median, *cpu the median thread CPU time (1 thread). */
static double timed(const job *protos, int per_thread, int th, job *jobs, pthread_t *tid, uint64_t tile_rows,
                    int reps, double *t, double *c, double *cpu)
{
    for (int k = 0; k < reps; k++) {
        t[k] = run_parallel(protos, per_thread, th, jobs, tid, tile_rows);
        c[k] = last_cpu_s;
    }
    *cpu = median(c, reps);
    return median(t, reps);
}

/* SIMD and portable kernels alternately, one repetition each in turn, so that both see the same
 * machine load: min and median of each (single thread). */
static void interleaved(const uint16_t *w, uint16_t *d, uint64_t rows, uint64_t cols, const tca_tbe_view *v, int reps)
{
    double *t = malloc(sizeof(double) * (size_t)reps * 8);
    if (!t) exit(1);
    for (int k = 0; k < reps; k++)
        for (int level = 0; level < 2; level++) {
            tca__tbe_simd_allow(level ? 2 : 0);
            double t0 = now_s();
            tca_tbe_matrix *m = NULL;
            if (tca_tbe_encode(w, rows, cols, NULL, NULL, &m) != TCA_OK) exit(1);
            double t1 = now_s();
            tca_tbe_matrix_free(m);
            double t2 = now_s();
            if (tca_tbe_decode(v, d, rows * cols) != TCA_OK) exit(1);
            double t3 = now_s();
            tca__tbe_decode_rows(v, 0, (rows + 63) / 64, d);
            double t4 = now_s();
            t[(size_t)(level * 3 + 0) * (size_t)reps + (size_t)k] = t1 - t0;
            t[(size_t)(level * 3 + 1) * (size_t)reps + (size_t)k] = t3 - t2;
            t[(size_t)(level * 3 + 2) * (size_t)reps + (size_t)k] = t4 - t3;
        }
    tca__tbe_simd_allow(2);
    static const char *names[3] = {"encode", "decode (validate + decode, CRC)", "decode only (validated view)"};
    double bytes = 2.0 * (double)rows * (double)cols;
    printf("\nSIMD vs portable kernels, interleaved (1 thread, %d reps each), GB/s: best / median\n", reps);
    printf("%-34s %20s %20s\n", "operation", "SIMD", "portable C");
    for (int op = 0; op < 3; op++) {
        double *s = t + (size_t)(3 + op) * (size_t)reps, *p = t + (size_t)op * (size_t)reps;
        double s_med = median(s, reps), p_med = median(p, reps); /* sorts: [0] is then the minimum */
        printf("%-34s %9.2f / %8.2f %9.2f / %8.2f\n", names[op], bytes / s[0] * 1e-9, bytes / s_med * 1e-9,
               bytes / p[0] * 1e-9, bytes / p_med * 1e-9);
    }
    free(t);
}

/* CRC-32C throughput (GB/s of checksummed bytes, thread CPU time, median of reps) on a 96 KiB
 * buffer, about one decode batch's SignMantissa bytes (in cache, as when the decoder checksums
 * them), at the best implementation this CPU runs and at the portable one. */
static void crc_line(int reps)
{
    enum { N = 96 * 1024, ITERS = 200 };
    static uint8_t buf[N];
    for (size_t i = 0; i < N; i++) buf[i] = (uint8_t)(i * 2654435761u >> 13);
    double gbs[2], *v = malloc(sizeof(double) * (size_t)reps);
    int lv[2] = {tca__crc32c_level_max(), TCA__CRC32C_PORTABLE};
    uint32_t sink = 0;
    for (int l = 0; l < 2; l++) {
        for (int k = 0; k < reps; k++) {
            double t0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
            for (int i = 0; i < ITERS; i++) sink = tca__crc32c_update_level(sink, buf, N, lv[l]);
            v[k] = (double)N * ITERS / (clock_s(CLOCK_THREAD_CPUTIME_ID) - t0) * 1e-9;
        }
        gbs[l] = median(v, reps);
    }
    printf("CRC-32C of 96 KiB in cache, GB/s by CPU: %.2f (level %d of 0..2, crc32c_internal.h), "
           "%.2f portable (checksum %08x)\n", gbs[0], lv[0], gbs[1], sink);
    free(v);
}

int main(int argc, char **argv)
{
    uint64_t rows = argc > 2 ? strtoull(argv[1], NULL, 10) : 4096, cols = argc > 2 ? strtoull(argv[2], NULL, 10) : 4096;
    int reps = argc > 3 ? atoi(argv[3]) : 7;
    int threads = argc > 4 ? atoi(argv[4]) : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (reps < 1) reps = 1;
    if (threads < 1) threads = 1;
    if (threads > 256) threads = 256;
    uint64_t n = rows * cols, tile_rows = (rows + 63) / 64;
    if ((uint64_t)threads > tile_rows) threads = (int)tile_rows;
    uint16_t *w = malloc(n * 2), *d = malloc(n * 2);
    if (!w || !d) return 1;
    const char *portable = getenv("TCA_BENCH_PORTABLE");
    if (portable && strcmp(portable, "1") == 0) tca__tbe_simd_allow(0);
    const char *kernels = tca__tbe_encode_median_simd() ? "SIMD (SSSE3+POPCNT; AVX2 histogram where present)" : "portable C";
    tca_prng r;
    tca_prng_seed(&r, 0x7463615F62656E63ull); /* "tca_benc" */
    for (uint64_t i = 0; i < n; i++) w[i] = tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r));

    tca_tbe_matrix *m = NULL;
    if (tca_tbe_encode(w, rows, cols, NULL, NULL, &m) != TCA_OK) return 1;
    tca_tbe_stats st;
    if (tca_tbe_stats_of(&m->view, NULL, &st) != TCA_OK) return 1;
    printf("bench_tbe: %llu x %llu BF16 Gaussian sigma 0.02, base %u, in-window %.4f, %.3f bits/weight "
           "(ratio %.3fx), %d reps (median), GB/s of BF16 (2 B/element), %s kernels\n",
           (unsigned long long)rows, (unsigned long long)cols, m->view.hdr.base,
           (double)st.in_window / (double)st.elements, st.bits_per_weight, 16.0 / st.bits_per_weight, reps, kernels);

    job protos[256];
    memset(protos, 0, sizeof protos);
    job jobs[256];
    pthread_t tid[256];
    double *t = malloc(sizeof(double) * (size_t)reps), *c = malloc(sizeof(double) * (size_t)reps), cpu = 0;
    double bytes = 2.0 * (double)n;
    crc_line(reps);
    printf("%-34s %7s %10s %10s %9s %12s\n", "operation", "threads", "ms (wall)", "GB/s", "x memcpy", "GB/s by CPU");

    int counts[2] = {1, threads};
    for (int ci = 0; ci < (threads > 1 ? 2 : 1); ci++) {
        int th = counts[ci];
        job p;
        memset(&p, 0, sizeof p);
        p.w = w;
        p.dst = d;
        p.rows = rows;
        p.cols = cols;
        p.view = &m->view;

        p.kind = JOB_MEMCPY;
        double base = timed(&p, 0, th, jobs, tid, tile_rows, reps, t, c, &cpu);
        row("baseline: memcpy of the matrix", th, base, cpu, bytes, base);

        p.kind = JOB_ENCODE;
        double sec = timed(&p, 0, th, jobs, tid, tile_rows, reps, t, c, &cpu);
        row("encode (histogram+encode+CRC)", th, sec, cpu, bytes, base);

        encode_slices(w, rows, cols, th, tile_rows, protos);
        for (int i = 0; i < th; i++) {
            protos[i].kind = JOB_VALIDATE;
            protos[i].w = w;
            protos[i].dst = d;
            protos[i].rows = rows;
            protos[i].cols = cols;
            protos[i].view = &m->view;
        }
        sec = timed(protos, 1, th, jobs, tid, tile_rows, reps, t, c, &cpu);
        row("validate (spec 7.1, incl. CRC)", th, sec, cpu, bytes, base);

        for (int i = 0; i < th; i++) protos[i].kind = JOB_DECODE_FULL;
        sec = timed(protos, 1, th, jobs, tid, tile_rows, reps, t, c, &cpu);
        row("decode (validate + decode, CRC)", th, sec, cpu, bytes, base);
        if (memcmp(d, w, (size_t)(n * 2)) != 0) {
            fprintf(stderr, "bench_tbe: decode mismatch\n");
            return 1;
        }
        for (int i = 0; i < th; i++) tca_tbe_matrix_free(protos[i].enc);
        memset(protos, 0, sizeof protos);

        p.kind = JOB_DECODE_ROWS;
        memset(d, 0, (size_t)(n * 2));
        sec = timed(&p, 0, th, jobs, tid, tile_rows, reps, t, c, &cpu);
        row("decode only (validated view)", th, sec, cpu, bytes, base);
        if (memcmp(d, w, (size_t)(n * 2)) != 0) {
            fprintf(stderr, "bench_tbe: decode mismatch\n");
            return 1;
        }
    }
    printf("(threads > 1: each thread encodes / validates / decodes its own rows as an independent "
           "matrix; 'decode only' splits one validated view by tile rows)\n");
    if (tca__tbe_encode_median_simd() && !(portable && strcmp(portable, "1") == 0))
        interleaved(w, d, rows, cols, &m->view, reps);
    free(t);
    free(c);
    tca_tbe_matrix_free(m);
    free(w);
    free(d);
    return 0;
}
