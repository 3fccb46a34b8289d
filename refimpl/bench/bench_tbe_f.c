/* SPDX-License-Identifier: Apache-2.0 */
/* Layout F next to layout v1 on the same matrix: encode, decode (validation included) and
 * transcode throughput, median of repeated single-threaded runs in GB/s of BF16 (2 bytes per
 * element), and the size of both layouts in bits per weight (whole streams: header, offset tables,
 * padding and Content_Checksum included), on an M x K Gaussian (sigma 0.02, tca_prng_normal,
 * rounded with tca_bf16_from_double_rne), on the same matrix with ~10% of the elements replaced
 * by subnormals (out of the window), and on every 2-D BF16 tensor of the safetensors files given.
 *
 * usage: bench_tbe_f [rows cols [reps]] [FILE.safetensors ...]   (default 4096 4096 5) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tca/tca.h"
#include "tca/tbe_f.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

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

static void die(const char *what, tca_status st)
{
    fprintf(stderr, "bench_tbe_f: %s: %s\n", what, tca_status_message(st));
    exit(1);
}

typedef enum op { OP_ENC_V1, OP_ENC_F, OP_DEC_V1, OP_DEC_F, OP_V1_TO_F, OP_F_TO_V1, OP_COUNT } op;
static const char *op_name[OP_COUNT] = {"encode v1", "encode F", "decode v1", "decode F",
                                        "transcode v1 -> F", "transcode F -> v1"};

static void run_op(op o, const uint16_t *w, uint64_t M, uint64_t K, const tca_tbe_matrix *v1,
                   const tca_tbe_f_matrix *f, uint16_t *dst)
{
    tca_status st = TCA_OK;
    if (o == OP_ENC_V1) {
        tca_tbe_matrix *m = NULL;
        st = tca_tbe_encode(w, M, K, NULL, NULL, &m);
        tca_tbe_matrix_free(m);
    } else if (o == OP_ENC_F) {
        tca_tbe_f_matrix *m = NULL;
        st = tca_tbe_f_encode(w, M, K, NULL, NULL, &m);
        tca_tbe_f_matrix_free(m);
    } else if (o == OP_DEC_V1) {
        st = tca_tbe_decode(&v1->view, dst, M * K);
    } else if (o == OP_DEC_F) {
        st = tca_tbe_f_decode(&f->view, dst, M * K);
    } else if (o == OP_V1_TO_F) {
        tca_tbe_f_matrix *m = NULL;
        st = tca_tbe_f_from_v1(&v1->view, NULL, &m);
        tca_tbe_f_matrix_free(m);
    } else {
        tca_tbe_matrix *m = NULL;
        st = tca_tbe_f_to_v1(&f->view, NULL, &m);
        tca_tbe_matrix_free(m);
    }
    if (st != TCA_OK) die(op_name[o], st);
}

/* Whole-stream sizes of both layouts (bytes). */
static void sizes(const uint16_t *w, uint64_t M, uint64_t K, uint64_t *v1_bytes, uint64_t *f_bytes)
{
    tca_tbe_matrix *v = NULL;
    tca_tbe_f_matrix *f = NULL;
    tca_status st = tca_tbe_encode(w, M, K, NULL, NULL, &v);
    if (st != TCA_OK) die("encode v1", st);
    st = tca_tbe_f_encode(w, M, K, NULL, NULL, &f);
    if (st != TCA_OK) die("encode F", st);
    tca_tbe_sizes vs;
    tca_tbe_f_sizes fs;
    (void)tca_tbe_sizes_of(&v->view.hdr, &vs);
    (void)tca_tbe_f_sizes_of(&f->view.hdr, &fs);
    *v1_bytes += vs.stream_total;
    *f_bytes += fs.stream_total;
    tca_tbe_matrix_free(v);
    tca_tbe_f_matrix_free(f);
}

static void print_size(const char *what, uint64_t elems, uint64_t v1_bytes, uint64_t f_bytes)
{
    double bv = 8.0 * (double)v1_bytes / (double)elems, bf = 8.0 * (double)f_bytes / (double)elems;
    printf("| %s | %llu | %.4f | %.4f | %+.4f |\n", what, (unsigned long long)elems, bv, bf, bf - bv);
}

static void file_sizes(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "bench_tbe_f: cannot open %s\n", path);
        exit(2);
    }
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n);
    if (fread(buf, 1, (size_t)n, fp) != (size_t)n) exit(2);
    fclose(fp);
    tca_st_file *f = NULL;
    tca_status st = tca_st_parse(buf, (size_t)n, NULL, &f);
    if (st != TCA_OK) die(path, st);
    uint64_t elems = 0, bv = 0, bf = 0;
    for (size_t i = 0; i < f->n_tensors; i++) {
        const tca_st_tensor *t = &f->tensors[i];
        if (t->dtype != TCA_ST_BF16 || t->rank != 2 || t->elements == 0) continue;
        uint16_t *w = malloc(t->elements * 2);
        for (uint64_t k = 0; k < t->elements; k++) w[k] = (uint16_t)(t->data[2 * k] | (t->data[2 * k + 1] << 8));
        sizes(w, t->shape[0], t->shape[1], &bv, &bf);
        elems += t->elements;
        free(w);
    }
    print_size(path, elems, bv, bf);
    tca_st_free(f);
    free(buf);
}

int main(int argc, char **argv)
{
    uint64_t M = 4096, K = 4096;
    int reps = 5, argi = 1;
    if (argc > 2 && argv[1][0] >= '0' && argv[1][0] <= '9') {
        M = strtoull(argv[1], NULL, 10);
        K = strtoull(argv[2], NULL, 10);
        argi = 3;
        if (argc > 3 && argv[3][0] >= '0' && argv[3][0] <= '9') reps = atoi(argv[argi++]);
    }
    if (reps < 1) reps = 1;
    uint16_t *w = malloc(M * K * 2), *dst = malloc(M * K * 2);
    tca_prng r;
    tca_prng_seed(&r, 0x62656E6368ull); /* "bench" */
    for (uint64_t i = 0; i < M * K; i++) w[i] = tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r));
    tca_tbe_matrix *v1 = NULL;
    tca_tbe_f_matrix *f = NULL;
    tca_status st = tca_tbe_encode(w, M, K, NULL, NULL, &v1);
    if (st != TCA_OK) die("encode v1", st);
    st = tca_tbe_f_encode(w, M, K, NULL, NULL, &f);
    if (st != TCA_OK) die("encode F", st);

    printf("Layout F vs v1, %llu x %llu Gaussian sigma 0.02, single thread, median of %d runs\n\n",
           (unsigned long long)M, (unsigned long long)K, reps);
    printf("| operation | GB/s (BF16 bytes) | ms |\n|---|---|---|\n");
    double gb = 2.0 * (double)(M * K) / 1e9;
    for (int o = 0; o < OP_COUNT; o++) {
        double t[64];
        int n = reps > 64 ? 64 : reps;
        for (int k = 0; k < n; k++) {
            double t0 = now_s();
            run_op((op)o, w, M, K, v1, f, dst);
            t[k] = now_s() - t0;
        }
        double med = median(t, n);
        printf("| %s | %.3f | %.1f |\n", op_name[o], gb / med, 1e3 * med);
    }

    printf("\nSize (whole streams, bits per logical weight)\n\n");
    printf("| data | weights | v1 | F | F - v1 |\n|---|---|---|---|---|\n");
    uint64_t bv = 0, bf = 0;
    sizes(w, M, K, &bv, &bf);
    print_size("Gaussian sigma 0.02", M * K, bv, bf);
    uint64_t out = 0;
    for (uint64_t i = 0; i < M * K; i++)
        if (tca_prng_below(&r, 1000) < 80) { /* + the ~2% tail already outside the window */
            w[i] = (uint16_t)(1u + tca_prng_below(&r, 0x7F));
            out++;
        }
    bv = bf = 0;
    sizes(w, M, K, &bv, &bf);
    uint64_t hist[256], covered = 0;
    tca_tbe_exponent_histogram(w, M, K, hist);
    (void)tca_tbe_select_window(hist, &covered);
    char label[96];
    snprintf(label, sizeof label, "same + subnormals (%.2f%% out of window)", 100.0 * (double)(M * K - covered) / (double)(M * K));
    print_size(label, M * K, bv, bf);
    (void)out;
    for (; argi < argc; argi++) file_sizes(argv[argi]);
    tca_tbe_matrix_free(v1);
    tca_tbe_f_matrix_free(f);
    free(w);
    free(dst);
    return 0;
}
