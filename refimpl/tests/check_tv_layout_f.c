/* SPDX-License-Identifier: Apache-2.0 */
/* The committed layout F vectors (spec/tca-test-vectors.md 5.5, 6.5, corpus 1.1.0) against their
 * layout v1 twins and against rules that hold by construction, through code paths the generator
 * does not use for them: the v1 -> F and F -> v1 transcoders (spec 8.9) instead of the layout F
 * encoder, the dispatching decoder for the exact status of each invalid stream (spec 8.8), and
 * the manifest for the `layout` header key (vectors 3.5). Reads $TCA_SOURCE_DIR/vectors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tca/tca.h"
#include "tca/tbe_f.h"
#include "tca/tv.h"
#include "test_util.h"

static tca_tv_file *load(const char *rel)
{
    const char *src = getenv("TCA_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/vectors/%s", src ? src : ".", rel);
    tca_tv_file *f = NULL;
    tca_tv_error e;
    tca_status st = tca_tv_load(path, NULL, &f, &e);
    if (st) fprintf(stderr, "%s: %s (line %u: %s)\n", path, tca_status_name(st), (unsigned)e.line, e.message);
    ck_assert_int_eq(st, TCA_OK);
    return f;
}

static const tca_tv_record *by_id(const tca_tv_file *f, const char *id)
{
    for (size_t i = 0; i < f->n_records; i++)
        if (!strcmp(tca_tv_get(&f->records[i], "id"), id)) return &f->records[i];
    return NULL;
}

static uint8_t *bytes_of(const tca_tv_record *r, const char *key, size_t *n)
{
    const char *v = tca_tv_get(r, key);
    ck_assert_ptr_nonnull(v);
    tca_ck_assert_status(tca_tv_parse_bytes(v, NULL, 0, n), TCA_OK);
    uint8_t *b = malloc(*n + 1);
    ck_assert_ptr_nonnull(b);
    tca_ck_assert_status(tca_tv_parse_bytes(v, b, *n, n), TCA_OK);
    return b;
}

/* Records 1..27 of f/valid.tv: the matrices of valid.tv, so the same `decoded` text, and the
 * streams are each other's transcoding in both directions, byte for byte. */
START_TEST(test_f_valid_twins_of_v1)
{
    tca_tv_file *v1 = load("v1/format/valid.tv"), *f = load("v1/format/f/valid.tv");
    ck_assert_str_eq(tca_tv_get(&f->header, "layout"), "F");
    ck_assert_ptr_null(tca_tv_get(&v1->header, "layout"));
    size_t twins = 0, f_only = 0;
    for (size_t i = 0; i < f->n_records; i++) {
        const tca_tv_record *rf = &f->records[i], *rv = by_id(v1, tca_tv_get(rf, "id"));
        size_t nf, nv, nt;
        uint8_t *sf = bytes_of(rf, "stream", &nf), *t = NULL;
        ck_assert_uint_ge(nf, 64);
        ck_assert_uint_eq(sf[6], 1); /* spec 3.3: Layout F */
        ck_assert_uint_eq(sf[5], 1); /* spec 8.1: minor version 1 */
        if (!rv) {
            f_only++;
            ck_assert_uint_ge(strtoull(tca_tv_get(rf, "id"), NULL, 10), 101);
            /* decodes, and F -> v1 -> F is the identity (spec 8.9) */
            uint8_t *v = NULL;
            size_t vn = 0;
            tca_ck_assert_status(tca_tbe_transcode_stream(sf, nf, TCA_LAYOUT_V1, NULL, &v, &vn), TCA_OK);
            tca_ck_assert_status(tca_tbe_transcode_stream(v, vn, TCA_LAYOUT_F, NULL, &t, &nt), TCA_OK);
            ck_assert_uint_eq(nt, nf);
            ck_assert_int_eq(memcmp(t, sf, nf), 0);
            tca_free(NULL, v);
        } else {
            twins++;
            ck_assert_str_eq(tca_tv_get(rf, "decoded"), tca_tv_get(rv, "decoded"));
            ck_assert_str_eq(tca_tv_get(rf, "rows"), tca_tv_get(rv, "rows"));
            ck_assert_str_eq(tca_tv_get(rf, "cols"), tca_tv_get(rv, "cols"));
            uint8_t *sv = bytes_of(rv, "stream", &nv);
            tca_ck_assert_status(tca_tbe_transcode_stream(sv, nv, TCA_LAYOUT_F, NULL, &t, &nt), TCA_OK);
            ck_assert_uint_eq(nt, nf);
            ck_assert_int_eq(memcmp(t, sf, nf), 0);
            tca_free(NULL, t);
            tca_ck_assert_status(tca_tbe_transcode_stream(sf, nf, TCA_LAYOUT_V1, NULL, &t, &nt), TCA_OK);
            ck_assert_uint_eq(nt, nv);
            ck_assert_int_eq(memcmp(t, sv, nv), 0);
            free(sv);
        }
        tca_free(NULL, t);
        free(sf);
    }
    ck_assert_uint_eq(twins, v1->n_records);
    ck_assert_uint_ge(f_only, 3);
    tca_tv_free(v1);
    tca_tv_free(f);
}
END_TEST

/* f/invalid.tv: every rule F1..F21 of spec 8.8 has a record, and the reference reports exactly
 * the record's `error` (the order of the layout F rules is normative). */
START_TEST(test_f_invalid_exact_status_every_rule)
{
    tca_tv_file *f = load("v1/format/f/invalid.tv");
    ck_assert_str_eq(tca_tv_get(&f->header, "layout"), "F");
    int seen[22] = {0};
    static uint16_t out[1u << 16];
    for (size_t i = 0; i < f->n_records; i++) {
        const tca_tv_record *r = &f->records[i];
        const char *rule = tca_tv_get(r, "rule"), *err = tca_tv_get(r, "error");
        ck_assert_ptr_nonnull(rule);
        ck_assert_ptr_nonnull(err);
        ck_assert_str_eq(tca_tv_get(r, "result"), "invalid");
        ck_assert_int_eq(rule[0], 'F');
        int k = atoi(rule + 1);
        ck_assert_int_ge(k, 1);
        ck_assert_int_le(k, 21);
        seen[k]++;
        size_t n;
        uint8_t *s = bytes_of(r, "stream", &n);
        tca_status st = tca_tbe_any_decode_stream(s, n, out, sizeof out / 2);
        if (strcmp(tca_status_name(st), err))
            fprintf(stderr, "record %s (%s): got %s, expected %s\n", tca_tv_get(r, "id"), rule, tca_status_name(st), err);
        ck_assert_str_eq(tca_status_name(st), err);
        free(s);
    }
    for (int k = 1; k <= 21; k++) {
        if (!seen[k]) fprintf(stderr, "rule F%d has no invalid record\n", k);
        ck_assert_int_gt(seen[k], 0);
    }
    tca_tv_free(f);
}
END_TEST

/* v1/gemm/<profile>/f/small.tv: the records of small.tv but for W, and W is the SHA-256 of the
 * layout F stream of the recipe's matrix, here made by v1 encoding + transcoding. */
START_TEST(test_f_gemm_twins)
{
    static const char *const profiles[] = {"sm80", "sm86", "sm89", "sm90", "sm100", "sm120"};
    for (size_t p = 0; p < 6; p++) {
        char a[128], b[128];
        snprintf(a, sizeof a, "v1/gemm/%s/small.tv", profiles[p]);
        snprintf(b, sizeof b, "v1/gemm/%s/f/small.tv", profiles[p]);
        tca_tv_file *v1 = load(a), *f = load(b);
        ck_assert_str_eq(tca_tv_get(&f->header, "layout"), "F");
        ck_assert_str_eq(tca_tv_get(&f->header, "seed"), tca_tv_get(&v1->header, "seed"));
        ck_assert_uint_eq(f->n_records, v1->n_records);
        for (size_t i = 0; i < f->n_records; i++) {
            const tca_tv_record *rf = &f->records[i], *rv = &v1->records[i];
            static const char *const keys[] = {"id", "flags", "M", "K", "N", "S", "wrecipe", "xrecipe", "seed", "Y", "Y_f32"};
            for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
                ck_assert_str_eq(tca_tv_get(rf, keys[k]), tca_tv_get(rv, keys[k]));
            ck_assert_str_ne(tca_tv_get(rf, "W"), tca_tv_get(rv, "W"));
            if (p) continue; /* the inputs do not depend on the profile (vectors 6.2) */
            uint64_t m, kk, seed;
            tca_ck_assert_status(tca_tv_get_u64(rf, "M", &m), TCA_OK);
            tca_ck_assert_status(tca_tv_get_u64(rf, "K", &kk), TCA_OK);
            tca_ck_assert_status(tca_tv_get_u64(rf, "seed", &seed), TCA_OK);
            uint16_t *w = malloc(m * kk * 2);
            ck_assert_ptr_nonnull(w);
            tca_ck_assert_status(tca_tv_fill_matrix(tca_tv_get(rf, "wrecipe"), tca_prng_derive(seed, 1), w, m, kk), TCA_OK);
            tca_tbe_encode_options o;
            tca_tbe_encode_options_default(&o);
            o.content_checksum = 1;
            tca_tbe_matrix *mv = NULL;
            tca_ck_assert_status(tca_tbe_encode(w, m, kk, &o, NULL, &mv), TCA_OK);
            tca_tbe_f_matrix *mf = NULL;
            tca_ck_assert_status(tca_tbe_f_from_v1(&mv->view, NULL, &mf), TCA_OK);
            tca_tbe_f_sizes sz;
            tca_ck_assert_status(tca_tbe_f_sizes_of(&mf->view.hdr, &sz), TCA_OK);
            uint8_t *s = malloc(sz.stream_total), d[32];
            size_t n = 0;
            ck_assert_ptr_nonnull(s);
            tca_ck_assert_status(tca_tbe_f_stream_write(&mf->view, s, sz.stream_total, &n), TCA_OK);
            uint8_t want[32];
            tca_sha256(s, n, d);
            tca_ck_assert_status(tca_tv_parse_sha256(tca_tv_get(rf, "W"), want), TCA_OK);
            ck_assert_int_eq(memcmp(d, want, 32), 0);
            free(s);
            tca_tbe_f_matrix_free(mf);
            tca_tbe_matrix_free(mv);
            free(w);
        }
        tca_tv_free(v1);
        tca_tv_free(f);
    }
}
END_TEST

/* vectors 3.5, 8.5: exactly the files under an f/ directory say `layout = F`; the others carry
 * no layout key; the F files were introduced by corpus 1.1.0, the others keep 1.0.0 (8.3). */
START_TEST(test_layout_key_by_manifest)
{
    const char *src = getenv("TCA_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/vectors/MANIFEST.tsv", src ? src : ".");
    uint8_t *text = NULL;
    size_t size = 0;
    tca_ck_assert_status(tca_tv_read_file(path, (size_t)1 << 24, NULL, &text, &size), TCA_OK);
    tca_tv_manifest m;
    tca_tv_error e;
    tca_ck_assert_status(tca_tv_manifest_parse(text, size, NULL, &m, &e), TCA_OK);
    size_t n_f = 0;
    for (size_t i = 0; i < m.n_rows; i++) {
        const char *p = m.rows[i].path;
        if (!strncmp(p, "v1/mma/sm90-hw/", 15)) continue; /* captured, not generated */
        tca_tv_file *f = load(p);
        const char *l = tca_tv_get(&f->header, "layout"), *ver = tca_tv_get(&f->header, "vectors");
        if (strstr(p, "/f/")) {
            n_f++;
            ck_assert_ptr_nonnull(l);
            ck_assert_str_eq(l, "F");
            ck_assert_str_eq(ver, "1.1.0");
        } else {
            ck_assert_ptr_null(l);
            ck_assert_str_eq(ver, "1.0.0");
        }
        tca_tv_free(f);
    }
    ck_assert_uint_eq(n_f, 3 + 2 * 6); /* f/{valid,invalid,large} + 6 profiles x f/{small,layers} */
    tca_tv_manifest_free(&m);
    free(text);
}
END_TEST

Suite *tca_tv_layout_f_suite(void);
Suite *tca_tv_layout_f_suite(void)
{
    Suite *s = suite_create("tv_layout_f");
    TCase *tc = tcase_create("layout_f_vectors");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_f_valid_twins_of_v1);
    tcase_add_test(tc, test_f_invalid_exact_status_every_rule);
    tcase_add_test(tc, test_f_gemm_twins);
    tcase_add_test(tc, test_layout_key_by_manifest);
    suite_add_tcase(s, tc);
    return s;
}
