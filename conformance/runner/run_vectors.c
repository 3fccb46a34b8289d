/* SPDX-License-Identifier: Apache-2.0 */
/* tca-conform: one runner per vector kind (spec/tca-test-vectors.md sections 4-7). Each record is
 * one test (GEMM records two: BF16 Y and FP32 Y_f32). Inputs drawn by recipe are regenerated here
 * with libtca's PRNG, recipes and encoder, and checked against the digests the vectors carry
 * before the subject sees them, so a regeneration error cannot pass as a subject failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conform.h"
#include "tca/checksum.h"
#include "tca/families.h"
#include "tca/prng.h"
#include "tca/tbe.h"
#include "tv/tv_gen.h"

/* Vector files come from others (docs/conformance.md): a record may not make the runner allocate
 * more than 2^29 elements per matrix (1 GiB of BF16), which covers the largest layer shape of the
 * corpus (57344 x 8192 = 2^28.8), so a hostile file fails as malformed instead of exhausting memory. */
#define RECORD_ELEMS_MAX (1ull << 29)

void conform_test_id(char *buf, size_t cap, const char *prefix, const tca_tv_record *r, const char *suffix)
{
    const char *id = tca_tv_get(r, "id");
    snprintf(buf, cap, "%s.%s%s", prefix, id ? id : "?", suffix ? suffix : "");
}

int conform_file_layout(conform *c, const tca_tv_file *f)
{
    int layout_f = 0;
    c->cur_layout = LAY_NONE;
    if (tca__tv_file_layout_f(f, &layout_f)) return -1;
    c->cur_layout = layout_f ? LAY_F : LAY_V1;
    return 0;
}

const char *conform_layout_skip(const conform *c)
{
    /* subject.h: a layout the subject does not declare is skipped, never passed */
    if (c->cur_layout == LAY_F && !(c->s.info.layouts & TCA_SUBJECT_LAYOUT_F))
        return "layout F not declared by the subject";
    if (c->cur_layout == LAY_V1 && !(c->s.info.layouts & TCA_SUBJECT_LAYOUT_V1))
        return "layout v1 not declared by the subject";
    return NULL;
}

void conform_skip_file(conform *c, const tca_tv_file *f, const char *prefix, const char *why)
{
    char id[256];
    const char *kind = tca_tv_get(&f->header, "kind") ? tca_tv_get(&f->header, "kind") : "";
    int gemm = !strcmp(kind, "gemm");
    /* stream files count under their layout, MMA and container files under none */
    if (gemm || !strncmp(kind, "format", 6)) {
        if (conform_file_layout(c, f)) c->cur_layout = LAY_NONE;
    } else {
        c->cur_layout = LAY_NONE;
    }
    for (size_t i = 0; i < f->n_records; i++) {
        conform_test_id(id, sizeof id, prefix, &f->records[i], NULL);
        conform_result(c, id, RES_SKIP, "%s", why);
        if (gemm) {
            conform_test_id(id, sizeof id, prefix, &f->records[i], ".f32");
            conform_result(c, id, RES_SKIP, "%s", why);
        }
    }
}

static const char *subject_error(int rc)
{
    switch (rc) {
    case TCA_SUBJECT_OK: return "OK";
    case TCA_SUBJECT_EREJECT: return "EREJECT";
    case TCA_SUBJECT_EUNSUPPORTED: return "EUNSUPPORTED";
    case TCA_SUBJECT_EPARAM: return "EPARAM";
    case TCA_SUBJECT_EINTERNAL: return "EINTERNAL";
    }
    return "unknown error code";
}

/* ------------------------------------------------------------------------------ format */

static void one_valid(conform *c, const char *id, const uint8_t *stream, size_t size, uint64_t rows, uint64_t cols,
                      const char *decoded)
{
    uint64_t elems = rows * cols;
    uint16_t *out = malloc(elems * 2 + 2);
    uint16_t *exp = malloc(elems * 2 + 2);
    if (!out || !exp) {
        conform_result(c, id, RES_FAIL, "runner out of memory");
        free(out);
        free(exp);
        return;
    }
    memset(out, 0xA5, elems * 2); /* poison: untouched output cannot pass */
    int rc = c->s.decompress(c->s.ctx, stream, size, out, elems);
    if (rc == TCA_SUBJECT_EUNSUPPORTED) {
        conform_result(c, id, RES_SKIP, "subject: stream unsupported (EUNSUPPORTED)");
    } else if (rc != TCA_SUBJECT_OK) {
        conform_result(c, id, RES_FAIL, "decompress of a valid stream returned %s", subject_error(rc));
    } else if (!strncmp(decoded, "sha256:", 7)) {
        uint8_t want[32], got[32];
        char gh[65], wh[65];
        tca_tv_parse_sha256(decoded, want);
        tca_tv_digest16(out, elems, got);
        if (memcmp(want, got, 32)) {
            tca_sha256_hex(got, gh);
            tca_sha256_hex(want, wh);
            conform_result(c, id, RES_FAIL, "decoded %llux%llu digest sha256:%s, expected sha256:%s",
                           (unsigned long long)rows, (unsigned long long)cols, gh, wh);
        } else {
            conform_result(c, id, RES_PASS, NULL);
        }
    } else if (tca_tv_parse_hex16(decoded, exp, elems)) {
        conform_result(c, id, RES_FAIL, "vector malformed: decoded values");
    } else {
        uint32_t *g32 = malloc(elems * 4), *e32 = malloc(elems * 4);
        char msg[512];
        if (!g32 || !e32) {
            conform_result(c, id, RES_FAIL, "runner out of memory");
        } else {
            for (uint64_t i = 0; i < elems; i++) {
                g32[i] = out[i];
                e32[i] = exp[i];
            }
            if (conform_compare(msg, sizeof msg, "W", g32, e32, rows, cols, VAL_BF16, NULL))
                conform_result(c, id, RES_FAIL, "%s", msg);
            else
                conform_result(c, id, RES_PASS, NULL);
        }
        free(g32);
        free(e32);
    }
    free(out);
    free(exp);
}

int conform_run_format(conform *c, const tca_tv_file *f, const char *prefix, const char *kind)
{
    int invalid = !strcmp(kind, "format-invalid"), recipe = !strcmp(kind, "format-recipe");
    char id[256];
    if (conform_file_layout(c, f)) {
        fprintf(stderr, "tca-conform: %s: unknown layout %s\n", prefix, tca_tv_get(&f->header, "layout"));
        return 1;
    }
    const int layout_f = c->cur_layout == LAY_F;
    const char *layout_skip = conform_layout_skip(c);
    for (size_t i = 0; i < f->n_records; i++) {
        const tca_tv_record *r = &f->records[i];
        conform_test_id(id, sizeof id, prefix, r, NULL);
        if (layout_skip) {
            conform_result(c, id, RES_SKIP, "%s", layout_skip);
            continue;
        }
        if (!(c->s.info.caps & TCA_SUBJECT_CAP_DECOMPRESS)) {
            conform_result(c, id, RES_SKIP, "capability decompress not declared");
            continue;
        }
        if (invalid && !(c->s.info.caps & TCA_SUBJECT_CAP_VALIDATE)) {
            conform_result(c, id, RES_SKIP, "capability validate not declared");
            continue;
        }
        const char *sv = tca_tv_get(r, "stream");
        uint64_t rows = 0, cols = 0;
        if (!sv || (!invalid && (tca_tv_get_u64(r, "rows", &rows) || tca_tv_get_u64(r, "cols", &cols) ||
                                 !tca_tv_get(r, "decoded") || rows == 0 || cols == 0 || rows > (1u << 16) ||
                                 cols > (1u << 16) || rows * cols > RECORD_ELEMS_MAX))) {
            fprintf(stderr, "tca-conform: %s: malformed record\n", id);
            return 1;
        }
        uint8_t *stream = NULL;
        size_t size = 0;
        if (recipe) {
            /* vectors 5.3: W by recipe, encoded by spec 4.5 in the file's layout, checked against the
             * stream digest */
            const char *rec = tca_tv_get(r, "recipe");
            uint64_t seed;
            uint8_t want[32], got[32];
            uint16_t *w = malloc(rows * cols * 2);
            if (!rec || tca_tv_get_u64(r, "seed", &seed) || tca_tv_parse_sha256(sv, want) || !w ||
                tca_tv_fill_matrix(rec, seed, w, rows, cols) ||
                tca__tv_encode_stream_layout(layout_f, w, rows, cols, 0, &stream, &size)) {
                free(w);
                fprintf(stderr, "tca-conform: %s: cannot regenerate the input\n", id);
                return 1;
            }
            free(w);
            tca_sha256(stream, size, got);
            if (memcmp(want, got, 32)) {
                fprintf(stderr, "tca-conform: %s: regenerated stream does not match its digest\n", id);
                free(stream);
                return 1;
            }
        } else {
            if (tca_tv_parse_bytes(sv, NULL, 0, &size)) {
                fprintf(stderr, "tca-conform: %s: malformed stream\n", id);
                return 1;
            }
            stream = malloc(size ? size : 1);
            if (!stream || tca_tv_parse_bytes(sv, stream, size, &size)) {
                free(stream);
                return 1;
            }
        }
        /* vectors 3.5: a valid stream is in the layout its file declares (spec 3.3, byte 6) */
        if (!invalid && (size < 64 || stream[6] != (layout_f ? 1 : 0))) {
            fprintf(stderr, "tca-conform: %s: stream layout differs from the file's layout\n", id);
            free(stream);
            return 1;
        }
        if (invalid) {
            /* vectors 5.2, 5.5: any rejection passes; `error` is informative */
            const char *err = tca_tv_get(r, "error");
            uint16_t *out = malloc(1u << 20);
            int rc = out ? c->s.decompress(c->s.ctx, stream, size, out, (1u << 20) / 2) /* never NULL */
                         : TCA_SUBJECT_EINTERNAL;
            free(out);
            if (rc == TCA_SUBJECT_EREJECT)
                conform_result(c, id, RES_PASS, NULL);
            else if (rc == TCA_SUBJECT_OK)
                conform_result(c, id, RES_FAIL, "malformed stream (%s: %s) accepted; it must be rejected",
                               tca_tv_get(r, "flags") ? tca_tv_get(r, "flags") : "?", err ? err : "?");
            else
                conform_result(c, id, RES_FAIL, "malformed stream (%s) returned %s, expected EREJECT",
                               err ? err : "?", subject_error(rc));
        } else {
            one_valid(c, id, stream, size, rows, cols, tca_tv_get(r, "decoded"));
        }
        free(stream);
    }
    return 0;
}

/* --------------------------------------------------------------------------------- mma */

static uint32_t op_bit(tca_mma_op op)
{
    int i = (op.shape == TCA_MMA_M16N8K8 ? 3 : 0) + (op.in == TCA_MMA_IN_BF16 ? 0 : op.acc == TCA_MMA_ACC_F32 ? 1 : 2);
    return 1u << i;
}

static int mma_skip_reason(const conform *c, tca_mma_op op, char *why, size_t cap)
{
    if (!(c->s.info.caps & TCA_SUBJECT_CAP_MMA)) {
        snprintf(why, cap, "capability mma not declared");
        return 1;
    }
    if (!(c->s.info.mma_ops & op_bit(op))) {
        snprintf(why, cap, "op %s not declared", tca_tv_mma_op_name(op));
        return 1;
    }
    return 0;
}

int conform_run_mma(conform *c, const tca_tv_file *f, const char *prefix, const char *kind)
{
    char id[256], why[160], msg[512];
    int accum = !strcmp(kind, "mma-accum");
    tca_mma_op op = {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32};
    if (!accum && tca_tv_mma_op_parse(tca_tv_get(&f->header, "op"), &op)) {
        fprintf(stderr, "tca-conform: %s: unknown or missing op\n", prefix);
        return 1;
    }
    static tca_tv_mma_case tc;
    c->cur_layout = LAY_NONE;
    for (size_t i = 0; i < f->n_records; i++) {
        const tca_tv_record *r = &f->records[i];
        conform_test_id(id, sizeof id, prefix, r, NULL);
        if (accum && tca_tv_mma_op_parse(tca_tv_get(r, "op"), &op)) {
            fprintf(stderr, "tca-conform: %s: unknown or missing op\n", id);
            return 1;
        }
        if (mma_skip_reason(c, op, why, sizeof why)) {
            conform_result(c, id, RES_SKIP, "%s", why);
            continue;
        }
        int f16 = op.acc == TCA_MMA_ACC_F16;
        uint32_t mask = f16 ? 0xFFFFu : 0xFFFFFFFFu;
        if (!accum) {
            if (tca_tv_mma_case_read(r, op, &tc)) {
                fprintf(stderr, "tca-conform: %s: malformed MMA record\n", id);
                return 1;
            }
            uint32_t d[128];
            memset(d, 0xA5, sizeof d);
            int rc = c->s.mma(c->s.ctx, op_bit(op), tc.A, tc.B, tc.C, d);
            if (rc) {
                conform_result(c, id, RES_FAIL, "mma returned %s", subject_error(rc));
                continue;
            }
            for (int e = 0; e < 128; e++) {
                d[e] &= mask;
                tc.D[e] &= mask;
            }
            if (conform_compare(msg, sizeof msg, "D", d, tc.D, 16, 8, f16 ? VAL_F16 : VAL_F32,
                                f16 ? conform_where_mma_f16 : conform_where_mma_f32))
                conform_result(c, id, RES_FAIL, "%s", msg);
            else
                conform_result(c, id, RES_PASS, NULL);
            continue;
        }
        /* vectors 7: accumulated tiles, D hashed in order */
        uint64_t seed, tiles;
        uint8_t want[32], got[32];
        tca_family fam = tca_family_by_name(tca_tv_get(r, "family"));
        if (fam == TCA_FAMILY_UNKNOWN || tca_tv_get_u64(r, "seed", &seed) || tca_tv_get_u64(r, "tiles", &tiles) ||
            tiles > (1u << 24) || !tca_tv_get(r, "D") || tca_tv_parse_sha256(tca_tv_get(r, "D"), want)) {
            fprintf(stderr, "tca-conform: %s: malformed accumulated record\n", id);
            return 1;
        }
        tca_prng g;
        tca_prng_seed(&g, seed);
        tca_sha256_ctx s;
        tca_sha256_init(&s);
        int rc = 0;
        for (uint64_t t = 0; t < tiles && !rc; t++) {
            uint16_t A[256], B[128];
            uint32_t C[128], D[128];
            uint8_t bytes[512];
            size_t n = 0;
            if (tca_family_fill(fam, op, &g, A, B, C)) {
                fprintf(stderr, "tca-conform: %s: cannot regenerate tiles\n", id);
                return 1;
            }
            rc = c->s.mma(c->s.ctx, op_bit(op), A, B, C, D);
            for (int e = 0; e < 128; e++) {
                bytes[n++] = (uint8_t)D[e];
                bytes[n++] = (uint8_t)(D[e] >> 8);
                if (!f16) {
                    bytes[n++] = (uint8_t)(D[e] >> 16);
                    bytes[n++] = (uint8_t)(D[e] >> 24);
                }
            }
            tca_sha256_update(&s, bytes, n);
        }
        tca_sha256_final(&s, got);
        if (rc) {
            conform_result(c, id, RES_FAIL, "mma returned %s", subject_error(rc));
        } else if (memcmp(got, want, 32)) {
            char gh[65], wh[65];
            tca_sha256_hex(got, gh);
            tca_sha256_hex(want, wh);
            conform_result(c, id, RES_FAIL, "D of %llu %s tiles: sha256:%s, expected sha256:%s",
                           (unsigned long long)tiles, tca_family_name(fam), gh, wh);
        } else {
            conform_result(c, id, RES_PASS, NULL);
        }
    }
    return 0;
}

/* -------------------------------------------------------------------------------- gemm */

static void check_y(conform *c, const char *id, const char *want, const uint32_t *got, uint64_t n, uint64_t m, int fmt)
{
    char msg[512];
    if (!strncmp(want, "sha256:", 7)) {
        uint8_t w[32], g[32];
        char gh[65], wh[65];
        tca_tv_parse_sha256(want, w);
        if (fmt == VAL_F32) {
            tca_tv_digest32(got, n * m, g);
        } else {
            uint16_t *y16 = malloc(n * m * 2 + 2);
            if (!y16) {
                conform_result(c, id, RES_FAIL, "runner out of memory");
                return;
            }
            for (uint64_t i = 0; i < n * m; i++) y16[i] = (uint16_t)got[i];
            tca_tv_digest16(y16, n * m, g);
            free(y16);
        }
        if (memcmp(w, g, 32)) {
            tca_sha256_hex(g, gh);
            tca_sha256_hex(w, wh);
            conform_result(c, id, RES_FAIL, "%s of %llux%llu: sha256:%s, expected sha256:%s",
                           fmt == VAL_F32 ? "Y_f32" : "Y", (unsigned long long)n, (unsigned long long)m, gh, wh);
        } else {
            conform_result(c, id, RES_PASS, NULL);
        }
        return;
    }
    uint32_t *e = malloc(n * m * 4 + 4);
    if (!e) {
        conform_result(c, id, RES_FAIL, "runner out of memory");
        return;
    }
    tca_status st = tca_tv_parse_hex32(want, e, n * m, fmt == VAL_F32 ? 8 : 4);
    if (st)
        conform_result(c, id, RES_FAIL, "vector malformed: %s", fmt == VAL_F32 ? "Y_f32" : "Y");
    else if (conform_compare(msg, sizeof msg, fmt == VAL_F32 ? "Y_f32" : "Y", got, e, n, m, fmt, conform_where_gemm))
        conform_result(c, id, RES_FAIL, "%s", msg);
    else
        conform_result(c, id, RES_PASS, NULL);
    free(e);
}

int conform_run_gemm(conform *c, const tca_tv_file *f, const char *prefix)
{
    char id[256], id32[256];
    if (conform_file_layout(c, f)) {
        fprintf(stderr, "tca-conform: %s: unknown layout %s\n", prefix, tca_tv_get(&f->header, "layout"));
        return 1;
    }
    const int layout_f = c->cur_layout == LAY_F;
    const char *layout_skip = conform_layout_skip(c);
    for (size_t i = 0; i < f->n_records; i++) {
        const tca_tv_record *r = &f->records[i];
        conform_test_id(id, sizeof id, prefix, r, NULL);
        conform_test_id(id32, sizeof id32, prefix, r, ".f32");
        uint64_t m, k, n, s, seed;
        const char *wr = tca_tv_get(r, "wrecipe"), *xr = tca_tv_get(r, "xrecipe"), *wd = tca_tv_get(r, "W");
        const char *yv = tca_tv_get(r, "Y"), *yfv = tca_tv_get(r, "Y_f32");
        if (tca_tv_get_u64(r, "M", &m) || tca_tv_get_u64(r, "K", &k) || tca_tv_get_u64(r, "N", &n) ||
            tca_tv_get_u64(r, "S", &s) || tca_tv_get_u64(r, "seed", &seed) || !wr || !xr || !wd || !yv || !yfv ||
            m == 0 || k == 0 || n == 0 || s == 0 || m > (1u << 16) || k > (1u << 16) || n > 4096 ||
            m * k > RECORD_ELEMS_MAX || n * k > RECORD_ELEMS_MAX || n * m > RECORD_ELEMS_MAX || s > (k + 63) / 64) {
            fprintf(stderr, "tca-conform: %s: malformed GEMM record\n", id);
            return 1;
        }
        const char *skip = NULL;
        char why[128];
        if (layout_skip) skip = layout_skip;
        else if (!(c->s.info.caps & TCA_SUBJECT_CAP_GEMM)) skip = "capability gemm not declared";
        else if (s > c->s.info.max_split_k) {
            snprintf(why, sizeof why, "split-K %llu above the declared max_split_k %u", (unsigned long long)s,
                     c->s.info.max_split_k);
            skip = why;
        } else if (c->s.info.max_n && n > c->s.info.max_n) {
            snprintf(why, sizeof why, "N = %llu above the declared max_n", (unsigned long long)n);
            skip = why;
        }
        if (skip) {
            conform_result(c, id, RES_SKIP, "%s", skip);
            conform_result(c, id32, RES_SKIP, "%s", skip);
            continue;
        }
        /* vectors 6.2, 6.5: W and X by recipe; W's stream (in the file's layout) checked against its
         * digest */
        uint16_t *w = malloc(m * k * 2), *x = malloc(n * k * 2), *y = malloc(n * m * 2);
        uint32_t *yf = malloc(n * m * 4), *y32 = malloc(n * m * 4);
        uint8_t *stream = NULL, want[32], got[32];
        size_t size = 0;
        int bad = !w || !x || !y || !yf || !y32 || tca_tv_fill_matrix(wr, tca_prng_derive(seed, 1), w, m, k) ||
                  tca_tv_fill_matrix(xr, tca_prng_derive(seed, 2), x, n, k) ||
                  tca__tv_encode_stream_layout(layout_f, w, m, k, 0, &stream, &size) || tca_tv_parse_sha256(wd, want);
        if (!bad) {
            tca_sha256(stream, size, got);
            bad = memcmp(got, want, 32) != 0;
        }
        if (bad) {
            fprintf(stderr, "tca-conform: %s: cannot regenerate the inputs (or W digest differs)\n", id);
            free(w), free(x), free(y), free(yf), free(y32), free(stream);
            return 1;
        }
        int f32 = (c->s.info.caps & TCA_SUBJECT_CAP_GEMM_F32) != 0;
        memset(y, 0xA5, n * m * 2);
        memset(yf, 0xA5, n * m * 4);
        int rc = c->s.gemm(c->s.ctx, stream, size, x, n, (uint32_t)s, y, f32 ? yf : NULL);
        if (rc) {
            conform_result(c, id, RES_FAIL, "gemm (M=%llu K=%llu N=%llu S=%llu) returned %s", (unsigned long long)m,
                           (unsigned long long)k, (unsigned long long)n, (unsigned long long)s, subject_error(rc));
            if (f32)
                conform_result(c, id32, RES_FAIL, "gemm returned %s", subject_error(rc));
            else
                conform_result(c, id32, RES_SKIP, "capability gemm-f32 not declared");
        } else {
            for (uint64_t j = 0; j < n * m; j++) y32[j] = y[j];
            check_y(c, id, yv, y32, n, m, VAL_BF16);
            if (f32)
                check_y(c, id32, yfv, yf, n, m, VAL_F32);
            else
                conform_result(c, id32, RES_SKIP, "capability gemm-f32 not declared");
        }
        free(w), free(x), free(y), free(yf), free(y32), free(stream);
    }
    return 0;
}

/* --------------------------------------------------------------------------- containers */

int conform_run_container(conform *c, const tca_tv_file *f, const char *prefix)
{
    char id[256];
    c->cur_layout = LAY_NONE;
    for (size_t i = 0; i < f->n_records; i++) {
        const tca_tv_record *r = &f->records[i];
        conform_test_id(id, sizeof id, prefix, r, NULL);
        if (!(c->s.info.caps & TCA_SUBJECT_CAP_CONTAINER)) {
            conform_result(c, id, RES_SKIP, "capability container not declared");
            continue;
        }
        const char *res = tca_tv_get(r, "result"), *cv = tca_tv_get(r, "container"), *ov = tca_tv_get(r, "original");
        int invalid = res && !strcmp(res, "invalid");
        size_t cn = 0, on = 0;
        if (!res || !cv || (!invalid && !ov) || tca_tv_parse_bytes(cv, NULL, 0, &cn) ||
            (ov && tca_tv_parse_bytes(ov, NULL, 0, &on))) {
            fprintf(stderr, "tca-conform: %s: malformed container record\n", id);
            return 1;
        }
        uint8_t *file = malloc(cn + 1), *orig = malloc(on + 1);
        size_t cap = invalid ? (1u << 22) : on, got = 0;
        uint8_t *out = malloc(cap + 1);
        if (!file || !orig || !out) {
            free(file), free(orig), free(out);
            return 1;
        }
        tca_tv_parse_bytes(cv, file, cn, &cn);
        if (ov) tca_tv_parse_bytes(ov, orig, on, &on);
        memset(out, 0xA5, cap);
        int rc = c->s.container(c->s.ctx, file, cn, out, cap, &got);
        if (invalid) {
            if (rc == TCA_SUBJECT_EREJECT)
                conform_result(c, id, RES_PASS, NULL);
            else
                conform_result(c, id, RES_FAIL, "damaged checkpoint (%s) returned %s, expected EREJECT",
                               tca_tv_get(r, "error") ? tca_tv_get(r, "error") : "?", subject_error(rc));
        } else if (rc) {
            conform_result(c, id, RES_FAIL, "valid checkpoint returned %s", subject_error(rc));
        } else if (got != on) {
            conform_result(c, id, RES_FAIL, "reconstructed %zu bytes, the original has %zu", got, on);
        } else {
            size_t k = 0;
            while (k < on && out[k] == orig[k]) k++;
            if (k < on)
                conform_result(c, id, RES_FAIL, "reconstruction differs from the original at byte %zu: got 0x%02x expected 0x%02x",
                               k, out[k], orig[k]);
            else
                conform_result(c, id, RES_PASS, NULL);
        }
        free(file), free(orig), free(out);
    }
    return 0;
}
