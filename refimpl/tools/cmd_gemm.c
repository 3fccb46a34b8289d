/* SPDX-License-Identifier: Apache-2.0 */
/* tca gemm W.safetensors X.safetensors OUT.safetensors: Y = X W^T under the GEMM contract
 * (spec mma-semantics 6) with the reference ZipGEMM. W is a TCA-TBE compressed tensor of a
 * compressed checkpoint (computed from the compressed arrays, tca_gemm_ref) or a plain 2-D BF16
 * tensor (tca_gemm_dense_ref); X is BF16 [N, K]. Y is written as tensor "y", BF16 [N, M], or
 * F32 [N, M] (the binary32 value before the final rounding) with --fp32, to a new safetensors
 * file (temporary name + rename). Exit codes: 0 ok, 1 corrupt input, 2 usage or I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "atomic_file.h"
#include "cli_util.h"
#include "common/le.h"
#include "tca/alloc.h"
#include "tca/gemm.h"
#include "tca/safetensors.h"
#include "tca/tbe_f.h"

const char tca_cmd_gemm_summary[] = "Y = X W^T with the reference ZipGEMM (W compressed or BF16)";

static const char usage[] = "tca gemm W.safetensors X.safetensors OUT.safetensors [--weight NAME] [--input NAME]\n"
                            "         [--profile NAME] [--split-k S] [--fp32]";

/* Everything opened for one run, released by gemm_state_free. */
typedef struct gemm_state {
    cli_input win, xin;
    int win_open, xin_open;
    tca_st_file *wfile, *xfile;
    tca_ckpt_reader *ckpt;
    uint16_t *wdense, *x;
    tca_tbe_matrix *wv1; /* a layout F weight, transcoded to v1 (spec 8.9) */
    void *y;
    uint8_t *prefix;
    const char *weight_name; /* the tensor used as W */
} gemm_state;

static void gemm_state_free(gemm_state *s)
{
    tca_free(NULL, s->prefix);
    free(s->y);
    free(s->x);
    free(s->wdense);
    tca_tbe_matrix_free(s->wv1);
    tca_ckpt_close(s->ckpt);
    tca_st_free(s->xfile);
    tca_st_free(s->wfile);
    if (s->xin_open) cli_input_close(&s->xin);
    if (s->win_open) cli_input_close(&s->win);
}

/* A 2-D BF16 tensor as host uint16 values (the file is little-endian, safetensors 2). */
static uint16_t *load_bf16(const tca_st_tensor *t)
{
    uint16_t *v = malloc((size_t)(t->elements ? t->elements : 1) * sizeof *v);
    if (v)
        for (uint64_t i = 0; i < t->elements; i++) v[i] = tca__le16(t->data + 2u * i);
    return v;
}

/* The tensor called name, or, when name is NULL, the only tensor for which ok() holds. */
static long pick_tensor(const char *cmd, const char *path, const tca_st_file *f, const char *name, const char *what)
{
    if (name) {
        long i = tca_st_find(f, name);
        if (i < 0) fprintf(stderr, "tca %s: %s: no tensor named '%s'\n", cmd, path, name);
        return i;
    }
    long found = -1;
    for (size_t i = 0; i < f->n_tensors; i++) {
        const tca_st_tensor *t = &f->tensors[i];
        if (t->dtype != TCA_ST_BF16 || t->rank != 2) continue;
        if (found >= 0) {
            fprintf(stderr, "tca %s: %s: several 2-D BF16 tensors; name the %s with %s\n", cmd, path, what,
                    !strcmp(what, "weight") ? "--weight" : "--input");
            return -1;
        }
        found = (long)i;
    }
    if (found < 0) fprintf(stderr, "tca %s: %s: no 2-D BF16 tensor\n", cmd, path);
    return found;
}

static int check_2d_bf16(const char *cmd, const char *path, const tca_st_tensor *t)
{
    if (t->dtype != TCA_ST_BF16 || t->rank != 2 || t->shape[0] == 0 || t->shape[1] == 0) {
        fprintf(stderr, "tca %s: %s: tensor '%s' is %s of rank %u; a non-empty 2-D BF16 tensor is needed\n", cmd, path,
                t->name, tca_st_dtype_name(t->dtype), t->rank);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* Open W: a compressed entry (*view set) or a plain / pass-through BF16 tensor (s->wdense). */
static int open_weight(const char *cmd, const char *path, const char *name, gemm_state *s, const tca_tbe_view **view,
                       uint64_t *m, uint64_t *k)
{
    int rc = cli_input_open(cmd, path, &s->win);
    if (rc) return rc;
    s->win_open = 1;
    tca_status st = tca_st_parse(s->win.data, s->win.size, NULL, &s->wfile);
    if (st != TCA_OK) return cli_fail(cmd, path, st, NULL);
    *view = NULL;
    if (tca_ckpt_is_compressed(s->wfile)) {
        st = tca_ckpt_open(s->win.data, s->win.size, NULL, &s->ckpt);
        if (st != TCA_OK) return cli_fail(cmd, path, st, NULL);
        /* By name; else the only compressed tensor; else the only 2-D BF16 pass-through one. */
        long found = -1;
        for (int pass = 0; pass < 2 && found < 0; pass++) {
            if (pass == 1 && name) break;
            for (size_t i = 0; i < s->ckpt->n_entries; i++) {
                const tca_ckpt_entry *e = &s->ckpt->entries[i];
                int match;
                if (name)
                    match = !strcmp(e->original->name, name);
                else if (pass == 0)
                    match = e->compressed;
                else
                    match = !e->compressed && e->stored->dtype == TCA_ST_BF16 && e->stored->rank == 2;
                if (!match) continue;
                if (found >= 0) {
                    fprintf(stderr, "tca %s: %s: several candidate weight tensors; name one with --weight\n", cmd,
                            path);
                    return CLI_EXIT_USAGE;
                }
                found = (long)i;
            }
        }
        if (found < 0) {
            fprintf(stderr, "tca %s: %s: %s%s%s\n", cmd, path, name ? "no tensor named '" : "no 2-D BF16 tensor",
                    name ? name : "", name ? "'" : "");
            return CLI_EXIT_USAGE;
        }
        const tca_ckpt_entry *e = &s->ckpt->entries[found];
        s->weight_name = e->original->name;
        if (e->compressed) {
            tca_ckpt_array bad;
            st = tca_ckpt_check_crc(s->ckpt, (size_t)found, &bad); /* safetensors 3.3 */
            if (st != TCA_OK)
                return cli_fail(cmd, path, st, "tensor '%s', array %s", e->original->name,
                                e->layout == TCA_LAYOUT_F ? tca_ckpt_f_array_name(bad) : tca_ckpt_array_name(bad));
            if (e->layout == TCA_LAYOUT_F) {
                /* The reference GEMM reads v1 fragments; the lossless transcoder (spec 8.9), which
                 * validates the F arrays first (spec 8.8), gives the same matrix in v1. */
                st = tca_tbe_f_to_v1(&e->f_view, NULL, &s->wv1);
                if (st != TCA_OK) return cli_fail(cmd, path, st, "tensor '%s'", e->original->name);
                *view = &s->wv1->view;
                *m = s->wv1->view.hdr.rows;
                *k = s->wv1->view.hdr.cols;
                return 0;
            }
            *view = &e->view;
            *m = e->view.hdr.rows;
            *k = e->view.hdr.cols;
            return 0;
        }
        /* a pass-through tensor of a compressed checkpoint: its stored bytes are the original */
        if ((rc = check_2d_bf16(cmd, path, e->stored))) return rc;
        s->wdense = load_bf16(e->stored);
        *m = e->stored->shape[0];
        *k = e->stored->shape[1];
    } else {
        long i = pick_tensor(cmd, path, s->wfile, name, "weight");
        if (i < 0) return CLI_EXIT_USAGE;
        const tca_st_tensor *t = &s->wfile->tensors[i];
        s->weight_name = t->name;
        if ((rc = check_2d_bf16(cmd, path, t))) return rc;
        s->wdense = load_bf16(t);
        *m = t->shape[0];
        *k = t->shape[1];
    }
    if (!s->wdense) return cli_fail(cmd, path, TCA_ERROR_ALLOC, NULL);
    return 0;
}

/* The output file: one tensor "y" plus metadata saying how it was computed. */
static int write_output(const char *cmd, const char *path, const gemm_state *s, int fp32, uint64_t n, uint64_t m,
                        const char *wname, const char *profile, uint32_t split_k, uint8_t **prefix_out)
{
    tca_st_builder *b = NULL;
    tca_status st = tca_st_builder_new(NULL, &b);
    char sk[16];
    snprintf(sk, sizeof sk, "%u", split_k);
    if (st == TCA_OK) st = tca_st_builder_meta(b, "tca.gemm.weight", wname, strlen(wname));
    if (st == TCA_OK) st = tca_st_builder_meta(b, "tca.gemm.profile", profile, strlen(profile));
    if (st == TCA_OK) st = tca_st_builder_meta(b, "tca.gemm.split_k", sk, strlen(sk));
    const uint64_t shape[2] = {n, m};
    if (st == TCA_OK) st = tca_st_builder_tensor(b, "y", fp32 ? TCA_ST_F32 : TCA_ST_BF16, 2, shape);
    size_t prefix_len = 0;
    uint64_t data_size = 0;
    if (st == TCA_OK) st = tca_st_builder_finish(b, prefix_out, &prefix_len, &data_size);
    tca_st_builder_free(b);
    if (st != TCA_OK) return cli_fail(cmd, path, st, "building the output header");

    cli_out o;
    int rc = cli_out_open(cmd, path, &o);
    if (rc) return rc;
    int ok = fwrite(*prefix_out, 1, prefix_len, o.fp) == prefix_len;
    uint8_t buf[4096];
    size_t used = 0;
    const uint64_t count = n * m, es = fp32 ? 4u : 2u;
    for (uint64_t i = 0; i < count && ok; i++) { /* safetensors 2: little-endian data */
        if (fp32)
            tca__st32(buf + used, ((const uint32_t *)s->y)[i]);
        else
            tca__st16(buf + used, ((const uint16_t *)s->y)[i]);
        used += (size_t)es;
        if (used == sizeof buf || i + 1 == count) {
            ok = fwrite(buf, 1, used, o.fp) == used;
            used = 0;
        }
    }
    if (!ok || count * es != data_size) {
        fprintf(stderr, "tca %s: %s: write failed\n", cmd, path);
        cli_out_abort(&o);
        return CLI_EXIT_USAGE;
    }
    return cli_out_commit(cmd, &o);
}

int tca_cmd_gemm(int argc, char **argv);
int tca_cmd_gemm(int argc, char **argv)
{
    const char *paths[3] = {NULL, NULL, NULL}, *wname = NULL, *xname = NULL, *pname = "sm90";
    int npaths = 0, fp32 = 0;
    unsigned long split_k = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: %s\n\n"
                   "Computes Y[n][m] = sum_k W[m][k] X[n][k] under the GEMM contract (spec/tca-mma-semantics.md 6)\n"
                   "with the reference ZipGEMM: per output, k16 chunks in increasing k through the emulated\n"
                   "tensor-core step of the profile, split-K partials added in binary32 in split order, then\n"
                   "rounded to BF16. W is a TCA-TBE compressed tensor (the GEMM reads the compressed arrays)\n"
                   "or a plain 2-D BF16 tensor [M, K]; X is BF16 [N, K]. Y is tensor \"y\" [N, M].\n"
                   "  --weight NAME   the weight tensor (default: the only compressed / 2-D BF16 tensor)\n"
                   "  --input NAME    the activation tensor (default: the only 2-D BF16 tensor)\n"
                   "  --profile NAME  sm80 sm86 sm89 sm90 (default) sm100 sm120\n"
                   "  --split-k S     split-K factor, 1..ceil(K/64) (default 1)\n"
                   "  --fp32          write the F32 value before the final BF16 rounding\n"
                   "Exit codes: 0 ok, 1 corrupt input, 2 usage or I/O error.\n",
                   usage);
            return 0;
        } else if (!strcmp(a, "--weight") || !strcmp(a, "--input") || !strcmp(a, "--profile")) {
            if (i + 1 >= argc) return cli_usage(argv[0], usage, "%s needs a value", a);
            const char **dst = !strcmp(a, "--weight") ? &wname : !strcmp(a, "--input") ? &xname : &pname;
            *dst = argv[++i];
        } else if (!strcmp(a, "--split-k")) {
            if (i + 1 >= argc || !cli_parse_uint(argv[i + 1], 1ul << 26, &split_k))
                return cli_usage(argv[0], usage, "--split-k needs a number in 1..ceil(K/64)");
            i++;
        } else if (!strcmp(a, "--fp32")) {
            fp32 = 1;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage(argv[0], usage, "unknown option '%s'", a);
        } else {
            if (npaths == 3) return cli_usage(argv[0], usage, "too many arguments");
            paths[npaths++] = a;
        }
    }
    if (npaths != 3) return cli_usage(argv[0], usage, "needs W, X and OUT files");
    const tca_mma_profile *p = tca_mma_profile_by_name(pname);
    if (!p) return cli_usage(argv[0], usage, "unknown profile '%s'", pname);

    gemm_state s;
    memset(&s, 0, sizeof s);
    const tca_tbe_view *view = NULL;
    uint64_t m = 0, k = 0;
    int rc = open_weight(argv[0], paths[0], wname, &s, &view, &m, &k);
    if (rc) goto out;

    if ((rc = cli_input_open(argv[0], paths[1], &s.xin))) goto out;
    s.xin_open = 1;
    tca_status st = tca_st_parse(s.xin.data, s.xin.size, NULL, &s.xfile);
    if (st != TCA_OK) {
        rc = cli_fail(argv[0], paths[1], st, NULL);
        goto out;
    }
    long xi = pick_tensor(argv[0], paths[1], s.xfile, xname, "input");
    if (xi < 0) {
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    const tca_st_tensor *xt = &s.xfile->tensors[xi];
    if ((rc = check_2d_bf16(argv[0], paths[1], xt))) goto out;
    const uint64_t n = xt->shape[0];
    if (xt->shape[1] != k) {
        fprintf(stderr, "tca %s: X has K = %llu columns but W is %llu x %llu\n", argv[0],
                (unsigned long long)xt->shape[1], (unsigned long long)m, (unsigned long long)k);
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    const uint64_t t_count = k / 64u + (k % 64u != 0);
    if (split_k > t_count) {
        fprintf(stderr, "tca %s: --split-k %lu is outside 1..%llu (K = %llu)\n", argv[0], split_k,
                (unsigned long long)t_count, (unsigned long long)k);
        rc = CLI_EXIT_USAGE;
        goto out;
    }
    uint64_t outs;
    if (tca__mul_overflow_u64(n, m, &outs) || outs > SIZE_MAX / 4u) {
        rc = cli_fail(argv[0], paths[2], TCA_ERROR_PARAM_SHAPE, "Y would have %llu x %llu elements",
                      (unsigned long long)n, (unsigned long long)m);
        goto out;
    }
    s.x = load_bf16(xt);
    s.y = malloc((size_t)(outs ? outs : 1) * 4u);
    if (!s.x || !s.y) {
        rc = cli_fail(argv[0], paths[1], TCA_ERROR_ALLOC, NULL);
        goto out;
    }
    uint16_t *y16 = fp32 ? NULL : (uint16_t *)s.y;
    uint32_t *y32 = fp32 ? (uint32_t *)s.y : NULL;
    st = view ? tca_gemm_ref(view, s.x, n, p, (uint32_t)split_k, y16, y32)
              : tca_gemm_dense_ref(s.wdense, m, k, s.x, n, p, (uint32_t)split_k, y16, y32);
    if (st != TCA_OK) {
        rc = cli_fail(argv[0], paths[0], st, NULL);
        goto out;
    }
    rc = write_output(argv[0], paths[2], &s, fp32, n, m, s.weight_name, p->name, (uint32_t)split_k, &s.prefix);
out:
    gemm_state_free(&s);
    return rc;
}
