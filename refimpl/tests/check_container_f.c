/* SPDX-License-Identifier: Apache-2.0 */
/* Layout F tensors in the compressed checkpoint (spec/tca-safetensors.md 3.1.1, 3.2, 3.4).
 *
 * Independent expectations: the round trip is judged against the input bytes; each stored array
 * is compared with the corresponding section of a standalone layout F stream of the same matrix
 * (tca_tbe_f_encode + tca_tbe_f_stream_write, spec 8.7 offsets computed here); CRCs are recomputed
 * over the output bytes; metadata edits are made with Jansson on the output's header text. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tca/tca.h"
#include "tca/safetensors.h"
#include "tca/tbe_f.h"
#include "test_util.h"

/* An input file: w (127 x 190 BF16, ragged), v (128 x 64 BF16), b (1-D BF16), f (2 x 3 F32). */
static uint8_t *make_input(size_t *size, uint16_t *w, uint16_t *v)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed());
    for (unsigned i = 0; i < 127 * 190; i++)
        w[i] = (i % 13 == 0) ? (uint16_t)tca_prng_u32(&r) : tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r));
    for (unsigned i = 0; i < 128 * 64; i++) v[i] = tca_bf16_from_double_rne(0.05 * tca_prng_normal(&r));
    tca_st_builder *b = NULL;
    tca_ck_assert_status(tca_st_builder_new(NULL, &b), TCA_OK);
    tca_ck_assert_status(tca_st_builder_meta(b, "format", "pt", 2), TCA_OK);
    uint64_t sw[2] = {127, 190}, sv[2] = {128, 64}, sb[1] = {16}, sf[2] = {2, 3};
    tca_ck_assert_status(tca_st_builder_tensor(b, "w", TCA_ST_BF16, 2, sw), TCA_OK);
    tca_ck_assert_status(tca_st_builder_tensor(b, "b", TCA_ST_BF16, 1, sb), TCA_OK);
    tca_ck_assert_status(tca_st_builder_tensor(b, "v", TCA_ST_BF16, 2, sv), TCA_OK);
    tca_ck_assert_status(tca_st_builder_tensor(b, "f", TCA_ST_F32, 2, sf), TCA_OK);
    uint8_t *prefix = NULL;
    size_t plen = 0;
    uint64_t dsize = 0;
    tca_ck_assert_status(tca_st_builder_finish(b, &prefix, &plen, &dsize), TCA_OK);
    tca_st_builder_free(b);
    ck_assert_uint_eq(dsize, 2 * 127 * 190 + 32 + 2 * 128 * 64 + 24);
    uint8_t *buf = malloc(plen + dsize), *p = buf + plen;
    memcpy(buf, prefix, plen);
    tca_free(NULL, prefix);
    for (unsigned i = 0; i < 127 * 190; i++, p += 2) p[0] = (uint8_t)w[i], p[1] = (uint8_t)(w[i] >> 8);
    for (unsigned i = 0; i < 32; i++) *p++ = (uint8_t)(0x3F + i);
    for (unsigned i = 0; i < 128 * 64; i++, p += 2) p[0] = (uint8_t)v[i], p[1] = (uint8_t)(v[i] >> 8);
    for (unsigned i = 0; i < 24; i++) *p++ = (uint8_t)(0x40 + i);
    *size = plen + dsize;
    return buf;
}

static tca_status compress_f(const uint8_t *in, size_t size, int low_memory, tca_st_buffer *out)
{
    tca_st_file *f = NULL;
    tca_status st = tca_st_parse(in, size, NULL, &f);
    if (st != TCA_OK) return st;
    tca_ckpt_plan *p = NULL;
    st = tca_ckpt_plan_new(f, 0, NULL, &p);
    if (st == TCA_OK) {
        p->layout = TCA_LAYOUT_F;
        p->low_memory = low_memory;
    }
    for (size_t i = 0; st == TCA_OK && i < p->n_items; i++) st = tca_ckpt_plan_encode(p, i);
    memset(out, 0, sizeof *out);
    if (st == TCA_OK) st = tca_ckpt_plan_write(p, tca_st_sink_buffer, out, NULL);
    tca_ckpt_plan_free(p);
    tca_st_free(f);
    return st;
}

static tca_status decompress_all(const uint8_t *c, size_t n, tca_st_buffer *out)
{
    tca_ckpt_reader *r = NULL;
    tca_status st = tca_ckpt_open(c, n, NULL, &r);
    if (st != TCA_OK) return st;
    memset(out, 0, sizeof *out);
    st = tca_ckpt_decompress(r, tca_st_sink_buffer, out, NULL);
    tca_ckpt_close(r);
    return st;
}

static uint32_t hex_crc(const char *s) { return (uint32_t)strtoul(s, NULL, 16); }

/* Compare the three arrays of tensor `name` with the sections of a standalone F stream of m. */
static void check_arrays(const tca_st_file *c, const char *name, const uint16_t *m, uint64_t rows, uint64_t cols)
{
    tca_tbe_encode_options o;
    tca_tbe_encode_options_default(&o);
    o.content_checksum = 0;
    tca_tbe_f_matrix *f = NULL;
    tca_ck_assert_status(tca_tbe_f_encode(m, rows, cols, &o, NULL, &f), TCA_OK);
    size_t cap = (size_t)tca_tbe_f_stream_bound(rows, cols), n = 0;
    uint8_t *s = malloc(cap);
    tca_ck_assert_status(tca_tbe_f_stream_write(&f->view, s, cap, &n), TCA_OK);
    uint64_t strips = 4 * ((rows + 63) / 64) * ((cols + 63) / 64); /* 4G (spec 5.1, 8.2) */
    uint64_t exc_len = s[40] | (uint64_t)s[41] << 8 | (uint64_t)s[42] << 16 | (uint64_t)s[43] << 24;
    size_t off[3] = {64, 64 + 1408 * strips, 64 + 1408 * strips + exc_len}; /* spec 8.7 */
    size_t len[3] = {1408 * strips, exc_len, 8 * (strips + 1)};
    static const char *const suffix[3] = {"strips", "exceptions", "exception_offsets"};
    static const tca_st_dtype dtype[3] = {TCA_ST_U8, TCA_ST_U8, TCA_ST_U64};
    size_t nmeta = 0;
    char key[96];
    snprintf(key, sizeof key, "tca.tensor.%s", name);
    const char *meta = tca_st_meta_get(c, key, &nmeta);
    ck_assert_ptr_nonnull(meta);
    json_error_t err;
    json_t *o_meta = json_loadb(meta, nmeta, 0, &err);
    ck_assert_ptr_nonnull(o_meta);
    ck_assert_str_eq(json_string_value(json_object_get(o_meta, "layout")), "F");
    ck_assert_uint_eq((uint64_t)json_integer_value(json_object_get(o_meta, "exception_len")), exc_len);
    ck_assert_uint_eq((uint64_t)json_integer_value(json_object_get(o_meta, "base")), s[24]);
    for (unsigned k = 0; k < 3; k++) {
        snprintf(key, sizeof key, "%s.tca.%s", name, suffix[k]);
        long i = tca_st_find(c, key);
        ck_assert_msg(i >= 0, "no array %s", key);
        const tca_st_tensor *t = &c->tensors[i];
        ck_assert_int_eq(t->dtype, dtype[k]);
        ck_assert_uint_eq(t->end - t->begin, len[k]);
        if (len[k]) ck_assert_mem_eq(t->data, s + off[k], len[k]);
        json_t *crc = json_object_get(json_object_get(o_meta, "crc32c"), suffix[k]);
        ck_assert_uint_eq(hex_crc(json_string_value(crc)), tca_crc32c(t->data, len[k]));
    }
    json_decref(o_meta);
    free(s);
    tca_tbe_f_matrix_free(f);
}

START_TEST(test_container_f_roundtrip_and_arrays)
{
    size_t n = 0;
    uint16_t *w = malloc(127 * 190 * 2), *v = malloc(128 * 64 * 2);
    uint8_t *in = make_input(&n, w, v);
    tca_st_buffer c, d, lm;
    tca_ck_assert_status(compress_f(in, n, 0, &c), TCA_OK);
    tca_ck_assert_status(compress_f(in, n, 1, &lm), TCA_OK);
    ck_assert_uint_eq(lm.size, c.size);
    ck_assert_mem_eq(lm.data, c.data, c.size); /* low memory: identical output */
    tca_st_file *cf = NULL;
    tca_ck_assert_status(tca_st_parse(c.data, c.size, NULL, &cf), TCA_OK);
    ck_assert_str_eq(tca_st_meta_get(cf, "tca.format_version", NULL), "1.1");
    check_arrays(cf, "w", w, 127, 190);
    check_arrays(cf, "v", v, 128, 64);
    ck_assert_int_lt(tca_st_find(cf, "w.tca.bitmap1"), 0); /* no v1 arrays */
    ck_assert_int_ge(tca_st_find(cf, "b"), 0);             /* 1-D: stored as is */
    tca_ck_assert_status(decompress_all(c.data, c.size, &d), TCA_OK);
    ck_assert_uint_eq(d.size, n);
    ck_assert_mem_eq(d.data, in, n);
    /* the reader reports layout F for both compressed entries */
    tca_ckpt_reader *r = NULL;
    tca_ck_assert_status(tca_ckpt_open(c.data, c.size, NULL, &r), TCA_OK);
    size_t n_f = 0;
    for (size_t i = 0; i < r->n_entries; i++) n_f += r->entries[i].compressed && r->entries[i].layout == TCA_LAYOUT_F;
    ck_assert_uint_eq(n_f, 2);
    tca_ckpt_close(r);
    tca_st_free(cf);
    tca_st_buffer_free(&c);
    tca_st_buffer_free(&d);
    tca_st_buffer_free(&lm);
    free(in);
    free(w);
    free(v);
}
END_TEST

/* A flipped byte in any F array: CONTAINER_CRC on decoding that entry. */
START_TEST(test_container_f_crc_each_array)
{
    size_t n = 0;
    uint16_t *w = malloc(127 * 190 * 2), *v = malloc(128 * 64 * 2);
    uint8_t *in = make_input(&n, w, v);
    tca_st_buffer c;
    tca_ck_assert_status(compress_f(in, n, 0, &c), TCA_OK);
    static const char *const names[3] = {"w.tca.strips", "w.tca.exceptions", "w.tca.exception_offsets"};
    for (unsigned k = 0; k < 3; k++) {
        uint8_t *copy = malloc(c.size);
        memcpy(copy, c.data, c.size);
        tca_st_file *cf = NULL;
        tca_ck_assert_status(tca_st_parse(copy, c.size, NULL, &cf), TCA_OK);
        const tca_st_tensor *t = &cf->tensors[tca_st_find(cf, names[k])];
        ck_assert_uint_gt(t->end, t->begin);
        copy[(size_t)(t->data - copy)] ^= 0x01;
        tca_st_free(cf);
        tca_ckpt_reader *r = NULL;
        tca_ck_assert_status(tca_ckpt_open(copy, c.size, NULL, &r), TCA_OK);
        long i = tca_st_find(r->original, "w");
        tca_ckpt_array bad = TCA_CKPT_FULL;
        tca_ck_assert_status(tca_ckpt_check_crc(r, (size_t)i, &bad), TCA_ERROR_CONTAINER_CRC);
        ck_assert_int_eq((int)bad, (int)k);
        uint8_t *dst = malloc(127 * 190 * 2);
        tca_ck_assert_status(tca_ckpt_decode_entry(r, (size_t)i, dst, 127 * 190 * 2), TCA_ERROR_CONTAINER_CRC);
        free(dst);
        tca_ckpt_close(r);
        free(copy);
    }
    tca_st_buffer_free(&c);
    free(in);
    free(w);
    free(v);
}
END_TEST

/* Rebuild the container with tca.tensor.w replaced by `value` (and tca.metadata_crc32c dropped
 * when drop_crc), keeping the data region. */
static uint8_t *edit_meta(const tca_st_buffer *c, const char *value, int drop_crc, size_t *size)
{
    uint64_t hl = 0;
    for (int k = 7; k >= 0; k--) hl = (hl << 8) | c->data[k];
    json_error_t err;
    json_t *h = json_loadb((const char *)c->data + 8, (size_t)hl, JSON_PRESERVE_ORDER, &err);
    ck_assert_ptr_nonnull(h);
    json_t *m = json_object_get(h, "__metadata__");
    json_object_set_new(m, "tca.tensor.w", json_string(value));
    if (drop_crc) json_object_del(m, "tca.metadata_crc32c");
    char *text = json_dumps(h, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(h);
    size_t tl = strlen(text), padded = (tl + 7) / 8 * 8, data = c->size - 8 - (size_t)hl;
    uint8_t *out = malloc(8 + padded + data);
    for (int k = 0; k < 8; k++) out[k] = (uint8_t)((uint64_t)padded >> (8 * k));
    memcpy(out + 8, text, tl);
    memset(out + 8 + tl, ' ', padded - tl);
    memcpy(out + 8 + padded, c->data + 8 + hl, data);
    free(text);
    *size = 8 + padded + data;
    return out;
}

START_TEST(test_container_f_rejects_bad_metadata)
{
    size_t n = 0;
    uint16_t *w = malloc(127 * 190 * 2), *v = malloc(128 * 64 * 2);
    uint8_t *in = make_input(&n, w, v);
    tca_st_buffer c;
    tca_ck_assert_status(compress_f(in, n, 0, &c), TCA_OK);
    tca_st_file *cf = NULL;
    tca_ck_assert_status(tca_st_parse(c.data, c.size, NULL, &cf), TCA_OK);
    const char *orig = tca_st_meta_get(cf, "tca.tensor.w", NULL);
    char good[1024], buf[1024], base_field[32];
    snprintf(good, sizeof good, "%s", orig);
    tca_st_free(cf);
    unsigned base = 0;
    ck_assert_int_eq(sscanf(strstr(good, "\"base\":") + 7, "%u", &base), 1);
    snprintf(base_field, sizeof base_field, "\"base\":%u,", base);
    struct {
        const char *from, *to;
        int drop_crc;
        tca_status open_st, decode_st;
    } cases[] = {
        {"\"layout\":\"F\"", "\"layout\":\"G\"", 1, TCA_ERROR_CONTAINER_METADATA, TCA_OK},
        {"\"layout\":\"F\"", "\"layout\":\"v1\"", 1, TCA_ERROR_CONTAINER_METADATA, TCA_OK},
        {"\"exception_len\":", "\"exception_len\":1", 1, TCA_ERROR_CONTAINER_METADATA, TCA_OK}, /* shape */
        {"\"strips\":", "\"strip\":", 1, TCA_ERROR_CONTAINER_METADATA, TCA_OK},                  /* crc name */
        {base_field, "\"base\":249,", 1, TCA_OK, TCA_ERROR_FORMAT_BASE_RANGE}, /* spec 3.6 */
        {"\"max_exceptions\":", "\"max_exceptions\":1", 1, TCA_OK, TCA_ERROR_FORMAT_MAXIMA},
        {base_field, "\"base\":100,", 0, TCA_ERROR_CONTAINER_CRC, TCA_OK}, /* metadata CRC kept */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *at = strstr(good, cases[k].from);
        ck_assert_ptr_nonnull(at);
        snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - good), good, cases[k].to, at + strlen(cases[k].from));
        size_t en = 0;
        uint8_t *e = edit_meta(&c, buf, cases[k].drop_crc, &en);
        tca_ckpt_reader *r = NULL;
        tca_status st = tca_ckpt_open(e, en, NULL, &r);
        ck_assert_msg(st == cases[k].open_st, "case %zu: open %s", k, tca_status_name(st));
        if (st == TCA_OK) {
            long i = tca_st_find(r->original, "w");
            uint8_t *dst = malloc(127 * 190 * 2);
            tca_ck_assert_status(tca_ckpt_decode_entry(r, (size_t)i, dst, 127 * 190 * 2), cases[k].decode_st);
            free(dst);
            tca_ckpt_close(r);
        }
        free(e);
    }
    tca_st_buffer_free(&c);
    free(in);
    free(w);
    free(v);
}
END_TEST

/* safetensors 3.4: the layout F array names are reserved for every writer. */
START_TEST(test_container_f_reserved_names)
{
    static const char *const names[] = {"x.tca.strips", "x.tca.exceptions", "x.tca.exception_offsets"};
    for (size_t k = 0; k < 3; k++) {
        tca_st_builder *b = NULL;
        tca_ck_assert_status(tca_st_builder_new(NULL, &b), TCA_OK);
        uint64_t sh[1] = {4};
        tca_ck_assert_status(tca_st_builder_tensor(b, names[k], TCA_ST_U8, 1, sh), TCA_OK);
        uint8_t *prefix = NULL;
        size_t plen = 0;
        uint64_t dsize = 0;
        tca_ck_assert_status(tca_st_builder_finish(b, &prefix, &plen, &dsize), TCA_OK);
        tca_st_builder_free(b);
        uint8_t *buf = calloc(1, plen + dsize);
        memcpy(buf, prefix, plen);
        tca_free(NULL, prefix);
        tca_st_file *f = NULL;
        tca_ck_assert_status(tca_st_parse(buf, plen + dsize, NULL, &f), TCA_OK);
        tca_ckpt_plan *p = NULL;
        tca_ck_assert_status(tca_ckpt_plan_new(f, 0, NULL, &p), TCA_ERROR_CONTAINER_NAME);
        tca_st_free(f);
        free(buf);
    }
}
END_TEST

Suite *tca_container_f_suite(void);
Suite *tca_container_f_suite(void)
{
    Suite *s = suite_create("container_f");
    TCase *tc = tcase_create("layout_f");
    tcase_add_test(tc, test_container_f_roundtrip_and_arrays);
    tcase_add_test(tc, test_container_f_crc_each_array);
    tcase_add_test(tc, test_container_f_rejects_bad_metadata);
    tcase_add_test(tc, test_container_f_reserved_names);
    suite_add_tcase(s, tc);
    return s;
}
