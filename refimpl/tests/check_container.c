/* SPDX-License-Identifier: Apache-2.0 */
/* safetensors reader/builder and the TCA-TBE compressed checkpoint (spec/tca-safetensors.md).
 *
 * Independence of expected values: input files are written here by hand (header text built with
 * snprintf, data with explicit little-endian byte stores), never with the builder under test;
 * expected geometry (T, 4G, G+1) is derived by hand from spec 5; CRCs are recomputed over the
 * bytes found in the output (tca_crc32c is checked against published check values in
 * check_common); the round trip is judged by comparing bytes with the input. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tca/tca.h"
#include "tca/safetensors.h"
#include "test_util.h"

/* ------------------------------------------------------------------ hand-written input files */

typedef struct in_tensor {
    char name[64];
    const char *dtype; /* written verbatim */
    size_t esize;
    unsigned rank;
    uint64_t shape[4];
    uint8_t *data;
    size_t bytes;
} in_tensor;

typedef struct in_file {
    in_tensor t[32];
    size_t n;
    const char *meta_json; /* verbatim "__metadata__" value, or NULL */
    int pretty;            /* newlines and spaces in the header */
    size_t trailing_spaces;
    int reverse_data;      /* data region in reverse header order */
} in_file;

static in_tensor *add_tensor(in_file *f, const char *name, const char *dtype, size_t esize, unsigned rank,
                             const uint64_t *shape)
{
    in_tensor *t = &f->t[f->n++];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->dtype = dtype;
    t->esize = esize;
    t->rank = rank;
    size_t n = 1;
    for (unsigned d = 0; d < rank; d++) {
        t->shape[d] = shape[d];
        n *= (size_t)shape[d];
    }
    t->bytes = n * esize;
    t->data = calloc(t->bytes ? t->bytes : 1, 1);
    return t;
}

/* Gaussian BF16 values at scale sigma, stored little-endian. */
static void fill_bf16_gauss(in_tensor *t, tca_prng *r, double sigma)
{
    for (size_t i = 0; i < t->bytes / 2; i++) {
        uint16_t v = tca_bf16_from_double_rne(sigma * tca_prng_normal(r));
        t->data[2 * i] = (uint8_t)v;
        t->data[2 * i + 1] = (uint8_t)(v >> 8);
    }
}
static void fill_random(in_tensor *t, tca_prng *r)
{
    for (size_t i = 0; i < t->bytes; i++) t->data[i] = (uint8_t)tca_prng_u64(r);
}

static void free_in_file(in_file *f)
{
    for (size_t i = 0; i < f->n; i++) free(f->t[i].data);
    f->n = 0;
}

/* Serialise: 8-byte LE length, header text, data. Returns malloc'd bytes. */
static uint8_t *write_in_file(const in_file *f, size_t *size)
{
    uint64_t begin[32], pos = 0;
    for (size_t k = 0; k < f->n; k++) {
        size_t i = f->reverse_data ? f->n - 1 - k : k;
        begin[i] = pos;
        pos += f->t[i].bytes;
    }
    size_t cap = 4096 + f->n * 256 + (f->meta_json ? strlen(f->meta_json) : 0) + f->trailing_spaces;
    char *h = malloc(cap);
    size_t len = 0;
    const char *nl = f->pretty ? "\n  " : "";
    len += (size_t)snprintf(h + len, cap - len, "{");
    int first = 1;
    if (f->meta_json) {
        len += (size_t)snprintf(h + len, cap - len, "%s\"__metadata__\":%s", nl, f->meta_json);
        first = 0;
    }
    for (size_t i = 0; i < f->n; i++) {
        const in_tensor *t = &f->t[i];
        len += (size_t)snprintf(h + len, cap - len, "%s%s\"%s\": {\"dtype\": \"%s\", \"shape\": [", first ? "" : ",", nl,
                                t->name, t->dtype);
        first = 0;
        for (unsigned d = 0; d < t->rank; d++)
            len += (size_t)snprintf(h + len, cap - len, d ? ", %llu" : "%llu", (unsigned long long)t->shape[d]);
        len += (size_t)snprintf(h + len, cap - len, "], \"data_offsets\": [%llu, %llu]}", (unsigned long long)begin[i],
                                (unsigned long long)(begin[i] + t->bytes));
    }
    len += (size_t)snprintf(h + len, cap - len, "%s}", f->pretty ? "\n" : "");
    for (size_t s = 0; s < f->trailing_spaces; s++) h[len++] = ' ';
    uint8_t *out = malloc(8 + len + pos + 1);
    for (int b = 0; b < 8; b++) out[b] = (uint8_t)((uint64_t)len >> (8 * b));
    memcpy(out + 8, h, len);
    for (size_t i = 0; i < f->n; i++)
        if (f->t[i].bytes) memcpy(out + 8 + len + begin[i], f->t[i].data, f->t[i].bytes);
    free(h);
    *size = 8 + len + pos;
    return out;
}

/* A file from a header text and a data region of data_len bytes (value 0xA5). */
static uint8_t *raw_file(const char *header, size_t data_len, size_t *size)
{
    size_t hl = strlen(header);
    uint8_t *out = malloc(8 + hl + data_len + 1);
    for (int b = 0; b < 8; b++) out[b] = (uint8_t)((uint64_t)hl >> (8 * b));
    memcpy(out + 8, header, hl);
    memset(out + 8 + hl, 0xA5, data_len);
    *size = 8 + hl + data_len;
    return out;
}

static tca_status parse_raw(const char *header, size_t data_len)
{
    size_t size;
    uint8_t *buf = raw_file(header, data_len, &size);
    tca_st_file *f = NULL;
    tca_status st = tca_st_parse(buf, size, NULL, &f);
    tca_st_free(f);
    free(buf);
    return st;
}

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

/* safetensors 3.3, written out from the spec: CRC-32C over key, 0x00, value, 0x00 of each tca.
 * entry before tca.metadata_crc32c. */
static uint32_t meta_crc_of(const tca_st_file *o)
{
    uint32_t crc = 0;
    for (size_t i = 0; i < o->n_meta && strcmp(o->meta[i].key, "tca.metadata_crc32c"); i++) {
        if (strncmp(o->meta[i].key, "tca.", 4)) continue;
        crc = tca_crc32c_update(crc, o->meta[i].key, strlen(o->meta[i].key));
        crc = tca_crc32c_update(crc, "", 1);
        crc = tca_crc32c_update(crc, o->meta[i].value, o->meta[i].value_len);
        crc = tca_crc32c_update(crc, "", 1);
    }
    return crc;
}

/* Compress a buffer (sequential encode), returning the output bytes. */
static tca_status compress_buf(const uint8_t *in, size_t size, int force, tca_st_buffer *out)
{
    memset(out, 0, sizeof *out);
    return tca_ckpt_compress(in, size, force, NULL, tca_st_sink_buffer, out);
}

static tca_status decompress_buf(const uint8_t *in, size_t size, tca_st_buffer *out)
{
    memset(out, 0, sizeof *out);
    tca_ckpt_reader *r;
    tca_status st = tca_ckpt_open(in, size, NULL, &r);
    if (st != TCA_OK) return st;
    st = tca_ckpt_decompress(r, tca_st_sink_buffer, out, NULL);
    tca_ckpt_close(r);
    return st;
}

/* ------------------------------------------------------------------------------- dtypes */

START_TEST(test_container_dtype_table)
{
    /* safetensors dtypes and their element sizes (the safetensors format's dtype list) */
    static const struct {
        const char *name;
        size_t size;
    } expect[] = {{"BOOL", 1}, {"U8", 1},  {"I8", 1},   {"F8_E5M2", 1}, {"F8_E4M3", 1}, {"F8_E8M0", 1},
                  {"I16", 2},  {"U16", 2}, {"F16", 2},  {"BF16", 2},    {"I32", 4},     {"U32", 4},
                  {"F32", 4},  {"I64", 8}, {"U64", 8},  {"F64", 8}};
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        tca_st_dtype d;
        ck_assert_msg(tca_st_dtype_parse(expect[i].name, &d), "%s", expect[i].name);
        ck_assert_str_eq(tca_st_dtype_name(d), expect[i].name);
        ck_assert_uint_eq(tca_st_dtype_size(d), expect[i].size);
    }
    tca_st_dtype d;
    ck_assert(!tca_st_dtype_parse("bf16", &d)); /* case-sensitive */
    ck_assert(!tca_st_dtype_parse("F4", &d));   /* sub-byte: not accepted */
    ck_assert(!tca_st_dtype_parse("", &d));
}
END_TEST

/* --------------------------------------------------------------------- reader: valid input */

START_TEST(test_container_parse_minimal)
{
    const char *h = "{\"__metadata__\":{\"format\":\"pt\"},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                    "\"a\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[8,9]}}   ";
    size_t size;
    uint8_t *buf = raw_file(h, 9, &size);
    tca_st_file *f = NULL;
    tca_ck_assert_status(tca_st_parse(buf, size, NULL, &f), TCA_OK);
    ck_assert_uint_eq(f->n_tensors, 2);
    ck_assert_str_eq(f->tensors[0].name, "b"); /* header order kept */
    ck_assert_str_eq(f->tensors[1].name, "a");
    ck_assert_uint_eq(f->tensors[0].dtype, TCA_ST_F32);
    ck_assert_uint_eq(f->tensors[0].rank, 1);
    ck_assert_uint_eq(f->tensors[0].shape[0], 2);
    ck_assert_uint_eq(f->tensors[1].rank, 0);
    ck_assert_uint_eq(f->tensors[1].elements, 1); /* rank 0: one element */
    ck_assert_uint_eq(f->data_size, 9);
    ck_assert_ptr_eq(f->tensors[1].data, buf + 8 + strlen(h) + 8);
    ck_assert_uint_eq(f->header_len, strlen(h));
    ck_assert_int_eq(f->has_metadata, 1);
    ck_assert_str_eq(tca_st_meta_get(f, "format", NULL), "pt");
    ck_assert_ptr_null(tca_st_meta_get(f, "other", NULL));
    ck_assert_int_eq(tca_st_find(f, "a"), 1);
    ck_assert_int_eq(tca_st_find(f, "b"), 0);
    ck_assert_int_eq(tca_st_find(f, "c"), -1);
    ck_assert_uint_eq(tca_st_offset_order(f, 0), 0);
    tca_st_free(f);
    free(buf);
    /* no tensors at all */
    tca_ck_assert_status(parse_raw("{}", 0), TCA_OK);
    /* zero-size tensors may sit at any tensor boundary, including the end */
    tca_ck_assert_status(parse_raw("{\"z\":{\"dtype\":\"BF16\",\"shape\":[0,4],\"data_offsets\":[2,2]},"
                                   "\"x\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[0,2]}}",
                                   2),
                         TCA_OK);
}
END_TEST

/* ------------------------------------------------------------------ reader: each rejection */

START_TEST(test_container_parse_rejects_header)
{
    uint8_t small[7] = {0};
    tca_st_file *f = NULL;
    /* shorter than the 8-byte length */
    tca_ck_assert_status(tca_st_parse(small, sizeof small, NULL, &f), TCA_ERROR_CONTAINER_HEADER);
    /* header length beyond the file, including a length that would overflow 8 + N */
    size_t size;
    uint8_t *buf = raw_file("{}", 0, &size);
    buf[0] = 3;
    tca_ck_assert_status(tca_st_parse(buf, size, NULL, &f), TCA_ERROR_CONTAINER_HEADER);
    memset(buf, 0xFF, 8);
    tca_ck_assert_status(tca_st_parse(buf, size, NULL, &f), TCA_ERROR_CONTAINER_HEADER);
    free(buf);
    /* not JSON, not an object, not starting with '{', trailing garbage */
    tca_ck_assert_status(parse_raw("{\"a\":", 0), TCA_ERROR_CONTAINER_HEADER);
    tca_ck_assert_status(parse_raw("[1,2]", 0), TCA_ERROR_CONTAINER_HEADER);
    tca_ck_assert_status(parse_raw(" {}", 0), TCA_ERROR_CONTAINER_HEADER);
    tca_ck_assert_status(parse_raw("{} x", 0), TCA_ERROR_CONTAINER_HEADER);
    tca_ck_assert_status(parse_raw("", 0), TCA_ERROR_CONTAINER_HEADER);
    /* duplicate keys, at the top level and inside __metadata__ */
    tca_ck_assert_status(parse_raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                                   "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}",
                                   2),
                         TCA_ERROR_CONTAINER_HEADER);
    tca_ck_assert_status(parse_raw("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", 0), TCA_ERROR_CONTAINER_HEADER);
    /* __metadata__ must be a string -> string map */
    tca_ck_assert_status(parse_raw("{\"__metadata__\":{\"k\":1}}", 0), TCA_ERROR_CONTAINER_HEADER);
    tca_ck_assert_status(parse_raw("{\"__metadata__\":[]}", 0), TCA_ERROR_CONTAINER_HEADER);
    /* invalid UTF-8 in a name (0xFF is never valid UTF-8) */
    tca_ck_assert_status(parse_raw("{\"\xff\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1),
                         TCA_ERROR_CONTAINER_HEADER);
    /* U+0000 inside a string */
    tca_ck_assert_status(parse_raw("{\"__metadata__\":{\"k\":\"a\\u0000b\"}}", 0), TCA_ERROR_CONTAINER_HEADER);
}
END_TEST

START_TEST(test_container_parse_rejects_tensor)
{
#define T1(body, n) tca_ck_assert_status(parse_raw("{\"t\":" body "}", n), TCA_ERROR_CONTAINER_TENSOR)
    T1("{\"dtype\":\"F4\",\"shape\":[2],\"data_offsets\":[0,1]}", 1);          /* unknown dtype */
    T1("{\"dtype\":\"bf16\",\"shape\":[1],\"data_offsets\":[0,2]}", 2);        /* case matters */
    T1("{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,0]}", 0);         /* negative dim */
    T1("{\"dtype\":\"U8\",\"shape\":[1.0],\"data_offsets\":[0,1]}", 1);        /* non-integer */
    T1("{\"dtype\":\"U8\",\"shape\":\"1\",\"data_offsets\":[0,1]}", 1);        /* not an array */
    T1("{\"dtype\":\"U8\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}", 0); /* 2^64 */
    T1("{\"dtype\":\"U16\",\"shape\":[4294967296,2147483648],\"data_offsets\":[0,0]}", 0); /* bytes 2^64 */
    T1("{\"dtype\":\"U8\",\"shape\":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],\"data_offsets\":[0,1]}", 1); /* rank 17 */
    T1("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}", 4);        /* size mismatch */
    T1("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}", 4);        /* begin > end */
    T1("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}", 4);          /* one offset */
    T1("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,4]}", 4);      /* three */
    T1("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}", 4); /* unknown key */
    T1("{\"dtype\":\"F32\",\"shape\":[1]}", 4);                               /* missing key */
    T1("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}", 8);        /* hole at 0..4 */
    T1("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}", 5);        /* trailing byte */
    T1("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}", 3);        /* beyond the file */
    T1("[]", 0);                                                               /* entry not an object */
#undef T1
    /* overlap and hole between two tensors */
    tca_ck_assert_status(parse_raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
                                   "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}",
                                   6),
                         TCA_ERROR_CONTAINER_TENSOR);
    tca_ck_assert_status(parse_raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
                                   "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[5,9]}}",
                                   9),
                         TCA_ERROR_CONTAINER_TENSOR);
    /* a zero-size tensor strictly inside another one is an overlap */
    tca_ck_assert_status(parse_raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
                                   "\"b\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[2,2]}}",
                                   4),
                         TCA_ERROR_CONTAINER_TENSOR);
    /* two tensors at the same offsets */
    tca_ck_assert_status(parse_raw("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
                                   "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}",
                                   4),
                         TCA_ERROR_CONTAINER_TENSOR);
}
END_TEST

/* ---------------------------------------------------------------------------------- builder */

START_TEST(test_container_builder_exact_text)
{
    tca_st_builder *b;
    tca_ck_assert_status(tca_st_builder_new(NULL, &b), TCA_OK);
    uint64_t s1[2] = {2, 3}, s0[1] = {5};
    tca_ck_assert_status(tca_st_builder_tensor(b, "w", TCA_ST_BF16, 2, s1), TCA_OK);
    tca_ck_assert_status(tca_st_builder_meta(b, "format", "pt", 2), TCA_OK);
    tca_ck_assert_status(tca_st_builder_tensor(b, "n", TCA_ST_U8, 1, s0), TCA_OK);
    tca_ck_assert_status(tca_st_builder_tensor(b, "w", TCA_ST_U8, 1, s0), TCA_ERROR_PARAM_INVALID); /* duplicate */
    uint8_t *p;
    size_t len;
    uint64_t data;
    tca_ck_assert_status(tca_st_builder_finish(b, &p, &len, &data), TCA_OK);
    /* hand-written expectation: metadata first, compact, padded with spaces to a multiple of 8 */
    const char *exp = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"BF16\",\"shape\":[2,3],"
                      "\"data_offsets\":[0,12]},\"n\":{\"dtype\":\"U8\",\"shape\":[5],\"data_offsets\":[12,17]}}";
    size_t el = strlen(exp), padded = (el + 7) / 8 * 8;
    ck_assert_uint_eq(len, 8 + padded);
    ck_assert_uint_eq(rd64(p), padded);
    ck_assert_mem_eq(p + 8, exp, el);
    for (size_t i = el; i < padded; i++) ck_assert_uint_eq(p[8 + i], ' ');
    ck_assert_uint_eq(data, 17);
    tca_free(NULL, p);
    tca_st_builder_free(b);
}
END_TEST

/* ------------------------------------------------------------------------- compressed files */

/* A mixed checkpoint: ragged BF16 matrices, 1-D/3-D/scalar tensors of other dtypes, an empty
 * tensor, an all-zero BF16 matrix and a tiny BF16 matrix. */
static void make_mixed(in_file *f, tca_prng *r)
{
    memset(f, 0, sizeof *f);
    uint64_t s[4];
    s[0] = 192, s[1] = 256;
    fill_bf16_gauss(add_tensor(f, "layers.0.q.weight", "BF16", 2, 2, s), r, 0.02);
    s[0] = 64;
    fill_random(add_tensor(f, "layers.0.norm.weight", "F32", 4, 1, s), r);
    s[0] = 2, s[1] = 3, s[2] = 5;
    fill_random(add_tensor(f, "cube", "F16", 2, 3, s), r);
    fill_random(add_tensor(f, "step", "I64", 8, 0, s), r);
    s[0] = 0, s[1] = 64;
    add_tensor(f, "empty", "BF16", 2, 2, s);
    s[0] = 128, s[1] = 64;
    add_tensor(f, "zeros", "BF16", 2, 2, s); /* all +0: every element falls back */
    s[0] = 8, s[1] = 8;
    fill_bf16_gauss(add_tensor(f, "tiny", "BF16", 2, 2, s), r, 1.0);
    s[0] = 33;
    fill_bf16_gauss(add_tensor(f, "bias", "BF16", 2, 1, s), r, 0.1);
    s[0] = 1000, s[1] = 500; /* ragged, but large enough for the padding not to dominate */
    fill_bf16_gauss(add_tensor(f, "layers.0.mlp.weight", "BF16", 2, 2, s), r, 0.044);
    s[0] = 65, s[1] = 257; /* ragged and small: padded to 128 x 320, the encoding is larger */
    fill_bf16_gauss(add_tensor(f, "small_ragged", "BF16", 2, 2, s), r, 0.044);
    s[0] = 7;
    fill_random(add_tensor(f, "mask", "BOOL", 1, 1, s), r);
}

START_TEST(test_container_roundtrip_mixed)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed());
    uint64_t reps = tca_test_count(3, 12);
    for (uint64_t rep = 0; rep < reps; rep++) {
        in_file f;
        make_mixed(&f, &r);
        f.meta_json = rep & 1 ? "{\"format\":\"pt\",\"note\":\"caf\xc3\xa9 \\\"q\\\"\"}" : NULL;
        f.pretty = (int)(rep & 1);
        f.trailing_spaces = (size_t)rep % 9;
        f.reverse_data = rep % 3 == 1;
        size_t size;
        uint8_t *in = write_in_file(&f, &size);
        for (int force = 0; force < 2; force++) {
            tca_st_buffer c, d;
            tca_ck_assert_status(compress_buf(in, size, force, &c), TCA_OK);
            tca_ck_assert_status(decompress_buf(c.data, c.size, &d), TCA_OK);
            ck_assert_uint_eq(d.size, size);
            ck_assert_msg(!memcmp(d.data, in, size), "round trip differs (rep %llu, force %d)",
                          (unsigned long long)rep, force);
            uint8_t h1[32], h2[32];
            tca_sha256(in, size, h1);
            tca_sha256(d.data, d.size, h2);
            ck_assert_mem_eq(h1, h2, 32);
            tca_st_buffer_free(&c);
            tca_st_buffer_free(&d);
        }
        free(in);
        free_in_file(&f);
    }
}
END_TEST

START_TEST(test_container_passthrough_rules)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 1);
    in_file f;
    make_mixed(&f, &r);
    size_t size;
    uint8_t *in = write_in_file(&f, &size);
    tca_st_file *sf;
    tca_ck_assert_status(tca_st_parse(in, size, NULL, &sf), TCA_OK);
    for (int force = 0; force < 2; force++) {
        tca_ckpt_plan *p;
        tca_ck_assert_status(tca_ckpt_plan_new(sf, force, NULL, &p), TCA_OK);
        for (size_t i = 0; i < p->n_items; i++) tca_ck_assert_status(tca_ckpt_plan_encode(p, i), TCA_OK);
        /* safetensors 5: expected action per tensor, by name */
        static const struct {
            const char *name;
            tca_ckpt_action plain, forced;
        } exp[] = {
            {"layers.0.q.weight", TCA_CKPT_COMPRESS, TCA_CKPT_COMPRESS},
            {"layers.0.norm.weight", TCA_CKPT_PASS_DTYPE, TCA_CKPT_PASS_DTYPE},
            {"cube", TCA_CKPT_PASS_DTYPE, TCA_CKPT_PASS_DTYPE},
            {"step", TCA_CKPT_PASS_DTYPE, TCA_CKPT_PASS_DTYPE},
            {"empty", TCA_CKPT_PASS_EMPTY, TCA_CKPT_PASS_EMPTY},
            /* all +0: 3 bits + 16 bits per element > 16 bits */
            {"zeros", TCA_CKPT_PASS_NOT_SMALLER, TCA_CKPT_COMPRESS},
            /* 8 x 8 pads to 64 x 64: 1536 bitmap bytes alone exceed 128 */
            {"tiny", TCA_CKPT_PASS_NOT_SMALLER, TCA_CKPT_COMPRESS},
            {"bias", TCA_CKPT_PASS_RANK, TCA_CKPT_PASS_RANK},
            {"layers.0.mlp.weight", TCA_CKPT_COMPRESS, TCA_CKPT_COMPRESS},
            {"small_ragged", TCA_CKPT_PASS_NOT_SMALLER, TCA_CKPT_COMPRESS},
            {"mask", TCA_CKPT_PASS_DTYPE, TCA_CKPT_PASS_DTYPE},
        };
        ck_assert_uint_eq(p->n_items, sizeof exp / sizeof exp[0]);
        for (size_t i = 0; i < p->n_items; i++) {
            ck_assert_str_eq(sf->tensors[p->items[i].tensor].name, exp[i].name);
            ck_assert_msg(p->items[i].action == (force ? exp[i].forced : exp[i].plain), "%s: action %d (force %d)",
                          exp[i].name, (int)p->items[i].action, force);
            if (p->items[i].action == TCA_CKPT_COMPRESS) {
                ck_assert_ptr_nonnull(p->items[i].matrix);
                if (!force) ck_assert_uint_lt(p->items[i].stored_bytes, p->items[i].original_bytes);
            } else {
                ck_assert_uint_eq(p->items[i].stored_bytes, p->items[i].original_bytes);
            }
        }
        ck_assert_str_eq(tca_ckpt_action_reason(TCA_CKPT_PASS_DTYPE), "not BF16");
        tca_ckpt_plan_free(p);
    }
    tca_st_free(sf);
    free(in);
    free_in_file(&f);
}
END_TEST

/* Expected arrays of a 100 x 130 BF16 matrix (spec 5.1, by hand): padded 128 x 192, G = 2 x 3 = 6
 * global tiles, T = 64 G = 384 small tiles, 4G = 24 median tiles, G + 1 = 7 TOG rows. The padding
 * makes this small matrix larger when encoded, so it is compressed with force. */
START_TEST(test_container_metadata_contents)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 2);
    in_file f;
    memset(&f, 0, sizeof f);
    uint64_t s[2] = {100, 130};
    fill_bf16_gauss(add_tensor(&f, "w", "BF16", 2, 2, s), &r, 0.02);
    s[0] = 3;
    fill_random(add_tensor(&f, "v", "F32", 4, 1, s), &r);
    f.meta_json = "{\"format\":\"pt\",\"z\":\"last\"}";
    f.pretty = 1;
    f.trailing_spaces = 3;
    size_t size;
    uint8_t *in = write_in_file(&f, &size);
    tca_st_buffer c;
    tca_ck_assert_status(compress_buf(in, size, 1, &c), TCA_OK);
    tca_st_file *o;
    tca_ck_assert_status(tca_st_parse(c.data, c.size, NULL, &o), TCA_OK);
    /* safetensors 3.2: input metadata first, in order, then the tca keys */
    ck_assert_uint_eq(o->n_meta, 8);
    ck_assert_str_eq(o->meta[0].key, "format");
    ck_assert_str_eq(o->meta[1].key, "z");
    ck_assert_str_eq(o->meta[2].key, "tca.format");
    ck_assert_str_eq(o->meta[2].value, "TCA-TBE");
    ck_assert_str_eq(o->meta[3].key, "tca.format_version");
    ck_assert_str_eq(o->meta[3].value, "1.0");
    ck_assert_str_eq(o->meta[4].key, "tca.original_header");
    uint64_t hl = rd64(in);
    ck_assert_uint_eq(o->meta[4].value_len, hl); /* verbatim, trailing spaces included */
    ck_assert_mem_eq(o->meta[4].value, in + 8, hl);
    ck_assert_str_eq(o->meta[5].key, "tca.tensor.w");
    /* header order: w replaced by its seven arrays at its position, then v */
    static const char *names[8] = {"w.tca.bitmap1", "w.tca.bitmap2", "w.tca.bitmap3", "w.tca.tom",
                                   "w.tca.tog",     "w.tca.sign_mantissa", "w.tca.full", "v"};
    static const tca_st_dtype dts[8] = {TCA_ST_U64, TCA_ST_U64, TCA_ST_U64, TCA_ST_U32,
                                        TCA_ST_U64, TCA_ST_U8,  TCA_ST_BF16, TCA_ST_F32};
    ck_assert_uint_eq(o->n_tensors, 8);
    for (int i = 0; i < 8; i++) {
        ck_assert_str_eq(o->tensors[i].name, names[i]);
        ck_assert_uint_eq(o->tensors[i].dtype, dts[i]);
        ck_assert_uint_eq((o->tensors[i].end - o->tensors[i].begin) % (i < 7 ? 8 : 4), 0); /* multiples of 8 */
    }
    for (int i = 0; i < 3; i++) {
        ck_assert_uint_eq(o->tensors[i].rank, 1);
        ck_assert_uint_eq(o->tensors[i].shape[0], 384);
    }
    ck_assert_uint_eq(o->tensors[3].rank, 2);
    ck_assert_uint_eq(o->tensors[3].shape[0], 24);
    ck_assert_uint_eq(o->tensors[3].shape[1], 2);
    ck_assert_uint_eq(o->tensors[4].shape[0], 7);
    ck_assert_uint_eq(o->tensors[4].shape[1], 2);
    /* the tca.tensor.w object: every field, and CRCs recomputed over the stored bytes */
    json_error_t err;
    json_t *m = json_loads(o->meta[5].value, JSON_REJECT_DUPLICATES, &err);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(json_string_value(json_object_get(m, "layout")), "v1");
    ck_assert_int_eq(json_integer_value(json_array_get(json_object_get(m, "shape"), 0)), 100);
    ck_assert_int_eq(json_integer_value(json_array_get(json_object_get(m, "shape"), 1)), 130);
    json_int_t base = json_integer_value(json_object_get(m, "base"));
    ck_assert(base >= 0 && base <= 248);
    json_int_t sml = json_integer_value(json_object_get(m, "sign_mantissa_len"));
    json_int_t fl = json_integer_value(json_object_get(m, "full_len"));
    ck_assert_uint_eq(o->tensors[5].shape[0], (uint64_t)sml);
    ck_assert_uint_eq(o->tensors[6].shape[0], (uint64_t)fl);
    ck_assert(json_is_integer(json_object_get(m, "max_sign_mantissa")));
    ck_assert(json_is_integer(json_object_get(m, "max_full")));
    /* TOG (u64 little-endian pairs): row 0 is (0, 0), row G the stream lengths (spec 6.6) */
    const uint8_t *tog = o->tensors[4].data;
    ck_assert_uint_eq(rd64(tog), 0);
    ck_assert_uint_eq(rd64(tog + 8), 0);
    ck_assert_uint_eq(rd64(tog + 6 * 16), (uint64_t)sml);
    ck_assert_uint_eq(rd64(tog + 6 * 16 + 8), (uint64_t)fl);
    json_t *crc = json_object_get(m, "crc32c");
    ck_assert_uint_eq(json_object_size(crc), 7);
    for (int i = 0; i < 7; i++) {
        char hex[9];
        snprintf(hex, sizeof hex, "%08lx",
                 (unsigned long)tca_crc32c(o->tensors[i].data, (size_t)(o->tensors[i].end - o->tensors[i].begin)));
        ck_assert_str_eq(json_string_value(json_object_get(crc, names[i] + 6)), hex);
    }
    json_decref(m);
    /* the pass-through tensor is stored unchanged, and its CRC-32C listed (safetensors 3.3) */
    ck_assert_mem_eq(o->tensors[7].data, f.t[1].data, 12);
    ck_assert_str_eq(o->meta[6].key, "tca.passthrough_crc32c");
    char pexp[64];
    snprintf(pexp, sizeof pexp, "{\"v\":\"%08lx\"}", (unsigned long)tca_crc32c(f.t[1].data, 12));
    ck_assert_str_eq(o->meta[6].value, pexp);
    /* last: the metadata CRC over the tca. entries (safetensors 3.3) */
    ck_assert_str_eq(o->meta[7].key, "tca.metadata_crc32c");
    snprintf(pexp, sizeof pexp, "%08lx", (unsigned long)meta_crc_of(o));
    ck_assert_str_eq(o->meta[7].value, pexp);
    tca_st_free(o);
    tca_st_buffer_free(&c);
    free(in);
    free_in_file(&f);
}
END_TEST

/* Output does not depend on the order in which tensors are encoded (threads), nor on whether
 * the encodings are kept or encoded again when writing (low memory). */
START_TEST(test_container_encode_order_independent)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 3);
    in_file f;
    make_mixed(&f, &r);
    size_t size;
    uint8_t *in = write_in_file(&f, &size);
    tca_st_file *sf;
    tca_ck_assert_status(tca_st_parse(in, size, NULL, &sf), TCA_OK);
    tca_st_buffer out[3];
    for (int pass = 0; pass < 3; pass++) {
        tca_ckpt_plan *p;
        tca_ck_assert_status(tca_ckpt_plan_new(sf, 0, NULL, &p), TCA_OK);
        p->low_memory = pass == 2; /* encodes again while writing: same bytes */
        tca_ck_assert_status(tca_ckpt_plan_write(p, tca_st_sink_buffer, &out[0], NULL), TCA_ERROR_PARAM_INVALID);
        for (size_t k = 0; k < p->n_items; k++)
            tca_ck_assert_status(tca_ckpt_plan_encode(p, pass == 1 ? p->n_items - 1 - k : k), TCA_OK);
        if (pass == 2)
            for (size_t k = 0; k < p->n_items; k++) ck_assert_ptr_null(p->items[k].matrix);
        memset(&out[pass], 0, sizeof out[pass]);
        tca_ck_assert_status(tca_ckpt_plan_write(p, tca_st_sink_buffer, &out[pass], NULL), TCA_OK);
        tca_ckpt_plan_free(p);
    }
    ck_assert_uint_eq(out[0].size, out[1].size);
    ck_assert_mem_eq(out[0].data, out[1].data, out[0].size);
    ck_assert_uint_eq(out[0].size, out[2].size);
    ck_assert_mem_eq(out[0].data, out[2].data, out[0].size);
    for (int pass = 0; pass < 3; pass++) tca_st_buffer_free(&out[pass]);
    tca_st_free(sf);
    free(in);
    free_in_file(&f);
}
END_TEST

/* safetensors 3.3: one flipped byte in any array is detected. */
START_TEST(test_container_crc_detects_each_array)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 4);
    in_file f;
    memset(&f, 0, sizeof f);
    uint64_t s[2] = {96, 200};
    in_tensor *t = add_tensor(&f, "w", "BF16", 2, 2, s);
    fill_bf16_gauss(t, &r, 0.02);
    /* some fallback values so Full is not only padding */
    for (size_t i = 0; i < t->bytes / 2; i += 37) t->data[2 * i + 1] ^= 0x20;
    size_t size;
    uint8_t *in = write_in_file(&f, &size);
    tca_st_buffer c;
    tca_ck_assert_status(compress_buf(in, size, 1, &c), TCA_OK);
    tca_st_file *o;
    tca_ck_assert_status(tca_st_parse(c.data, c.size, NULL, &o), TCA_OK);
    for (unsigned a = 0; a < TCA_CKPT_ARRAYS; a++) {
        const tca_st_tensor *arr = &o->tensors[a];
        uint64_t n = arr->end - arr->begin;
        ck_assert_uint_gt(n, 0);
        for (int which = 0; which < 2; which++) {
            size_t off = (size_t)(arr->data - c.data) + (which ? (size_t)n - 1 : (size_t)tca_prng_below(&r, n));
            uint8_t mask = (uint8_t)(1u << tca_prng_below(&r, 8));
            c.data[off] ^= mask;
            tca_ckpt_reader *rd;
            tca_ck_assert_status(tca_ckpt_open(c.data, c.size, NULL, &rd), TCA_OK);
            tca_ckpt_array bad = a == TCA_CKPT_FULL ? TCA_CKPT_BITMAP1 : TCA_CKPT_FULL;
            tca_ck_assert_status(tca_ckpt_check_crc(rd, 0, &bad), TCA_ERROR_CONTAINER_CRC);
            ck_assert_uint_eq(bad, a);
            uint8_t *dst = malloc(t->bytes);
            tca_ck_assert_status(tca_ckpt_decode_entry(rd, 0, dst, t->bytes), TCA_ERROR_CONTAINER_CRC);
            free(dst);
            tca_st_buffer d;
            memset(&d, 0, sizeof d);
            size_t failed = 99;
            tca_ck_assert_status(tca_ckpt_decompress(rd, tca_st_sink_buffer, &d, &failed), TCA_ERROR_CONTAINER_CRC);
            ck_assert_uint_eq(failed, 0);
            tca_st_buffer_free(&d);
            tca_ckpt_close(rd);
            c.data[off] ^= mask; /* restore */
        }
    }
    tca_st_buffer d;
    tca_ck_assert_status(decompress_buf(c.data, c.size, &d), TCA_OK);
    ck_assert_uint_eq(d.size, size);
    ck_assert_mem_eq(d.data, in, size);
    tca_st_buffer_free(&d);
    tca_st_free(o);
    tca_st_buffer_free(&c);
    free(in);
    free_in_file(&f);
}
END_TEST

/* safetensors 3.3: a flipped bit in a pass-through tensor is detected too. */
START_TEST(test_container_crc_detects_passthrough)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 7);
    in_file f;
    make_mixed(&f, &r);
    size_t size;
    uint8_t *in = write_in_file(&f, &size);
    tca_st_buffer c;
    tca_ck_assert_status(compress_buf(in, size, 0, &c), TCA_OK);
    tca_ckpt_reader *rd;
    tca_ck_assert_status(tca_ckpt_open(c.data, c.size, NULL, &rd), TCA_OK);
    size_t n = rd->n_entries, checked = 0;
    tca_ckpt_close(rd);
    for (size_t i = 0; i < n; i++) {
        tca_ck_assert_status(tca_ckpt_open(c.data, c.size, NULL, &rd), TCA_OK);
        const tca_ckpt_entry *e = &rd->entries[i];
        uint64_t bytes = e->original->end - e->original->begin;
        if (e->compressed || bytes == 0) {
            tca_ckpt_close(rd);
            continue;
        }
        ck_assert_int_eq(e->has_plain_crc, 1);
        size_t off = (size_t)(e->stored->data - c.data) + (size_t)tca_prng_below(&r, bytes);
        uint8_t mask = (uint8_t)(1u << tca_prng_below(&r, 8));
        tca_ck_assert_status(tca_ckpt_check_crc(rd, i, NULL), TCA_OK);
        c.data[off] ^= mask;
        tca_ck_assert_status(tca_ckpt_check_crc(rd, i, NULL), TCA_ERROR_CONTAINER_CRC);
        tca_st_buffer d;
        memset(&d, 0, sizeof d);
        size_t failed = 999;
        tca_ck_assert_status(tca_ckpt_decompress(rd, tca_st_sink_buffer, &d, &failed), TCA_ERROR_CONTAINER_CRC);
        ck_assert_uint_eq(failed, i);
        tca_st_buffer_free(&d);
        c.data[off] ^= mask;
        tca_ckpt_close(rd);
        checked++;
    }
    ck_assert_uint_ge(checked, 5);
    tca_st_buffer_free(&c);
    free(in);
    free_in_file(&f);
}
END_TEST

/* ------------------------------------------------- malformed tca metadata and original header */

/* Rebuild a compressed file with one metadata value replaced (or removed when value is NULL,
 * or added when absent), one tensor renamed, or an extra tensor, keeping all data bytes. */
typedef struct edit {
    const char *meta_key;
    const char *meta_value; /* NULL: remove */
    const char *rename_from, *rename_to;
    int add_extra;
    int stale_meta_crc;     /* keep the old tca.metadata_crc32c instead of recomputing it */
} edit;

static uint8_t *rebuild(const tca_st_buffer *c, const edit *e, size_t *size)
{
    tca_st_file *o;
    ck_assert_int_eq(tca_st_parse(c->data, c->size, NULL, &o), TCA_OK);
    tca_st_builder *b;
    tca_st_builder_new(NULL, &b);
    int seen = 0;
    /* the edited metadata list, then (unless asked otherwise) a recomputed metadata CRC, as a
     * consistent writer of the edited content would produce */
    const char *keys[64], *vals[64];
    size_t lens[64], nm = 0;
    const char *old_crc = tca_st_meta_get(o, "tca.metadata_crc32c", NULL);
    int edit_crc = e->meta_key && !strcmp(e->meta_key, "tca.metadata_crc32c");
    for (size_t i = 0; i < o->n_meta; i++) {
        if (!strcmp(o->meta[i].key, "tca.metadata_crc32c") && !edit_crc) continue;
        if (e->meta_key && !strcmp(o->meta[i].key, e->meta_key)) {
            seen = 1;
            if (e->meta_value) {
                keys[nm] = o->meta[i].key;
                vals[nm] = e->meta_value;
                lens[nm++] = strlen(e->meta_value);
            }
            continue;
        }
        keys[nm] = o->meta[i].key;
        vals[nm] = o->meta[i].value;
        lens[nm++] = o->meta[i].value_len;
    }
    if (e->meta_key && !seen && e->meta_value) {
        keys[nm] = e->meta_key;
        vals[nm] = e->meta_value;
        lens[nm++] = strlen(e->meta_value);
    }
    char crc_hex[9];
    if (old_crc && !edit_crc) {
        uint32_t crc = 0;
        for (size_t i = 0; i < nm; i++) {
            if (strncmp(keys[i], "tca.", 4)) continue;
            crc = tca_crc32c_update(crc, keys[i], strlen(keys[i]));
            crc = tca_crc32c_update(crc, "", 1);
            crc = tca_crc32c_update(crc, vals[i], lens[i]);
            crc = tca_crc32c_update(crc, "", 1);
        }
        snprintf(crc_hex, sizeof crc_hex, "%08lx", (unsigned long)crc);
        keys[nm] = "tca.metadata_crc32c";
        vals[nm] = e->stale_meta_crc ? old_crc : crc_hex;
        lens[nm++] = 8;
    }
    for (size_t i = 0; i < nm; i++) ck_assert_int_eq(tca_st_builder_meta(b, keys[i], vals[i], lens[i]), TCA_OK);
    for (size_t i = 0; i < o->n_tensors; i++) {
        const tca_st_tensor *t = &o->tensors[i];
        const char *name = e->rename_from && !strcmp(t->name, e->rename_from) ? e->rename_to : t->name;
        ck_assert_int_eq(tca_st_builder_tensor(b, name, t->dtype, t->rank, t->shape), TCA_OK);
    }
    uint64_t one = 1;
    if (e->add_extra) ck_assert_int_eq(tca_st_builder_tensor(b, "extra", TCA_ST_U8, 1, &one), TCA_OK);
    uint8_t *prefix;
    size_t plen;
    uint64_t dsize;
    ck_assert_int_eq(tca_st_builder_finish(b, &prefix, &plen, &dsize), TCA_OK);
    tca_st_builder_free(b);
    uint8_t *out = malloc(plen + dsize + 1);
    memcpy(out, prefix, plen);
    size_t pos = plen;
    for (size_t i = 0; i < o->n_tensors; i++) {
        /* builder order = header order, so copy in header order */
        const tca_st_tensor *t = &o->tensors[i];
        memcpy(out + pos, t->data, (size_t)(t->end - t->begin));
        pos += (size_t)(t->end - t->begin);
    }
    if (e->add_extra) out[pos++] = 7;
    ck_assert_uint_eq(pos, plen + dsize);
    tca_free(NULL, prefix);
    tca_st_free(o);
    *size = pos;
    return out;
}

static tca_status open_edited(const tca_st_buffer *c, const edit *e)
{
    size_t size;
    uint8_t *buf = rebuild(c, e, &size);
    tca_ckpt_reader *r = NULL;
    tca_status st = tca_ckpt_open(buf, size, NULL, &r);
    if (st == TCA_OK) {
        /* opened: also decode everything, so the view is exercised */
        tca_st_buffer d;
        memset(&d, 0, sizeof d);
        st = tca_ckpt_decompress(r, tca_st_sink_buffer, &d, NULL);
        tca_st_buffer_free(&d);
    }
    tca_ckpt_close(r);
    free(buf);
    return st;
}

static const char *replace_in(const char *text, const char *from, const char *to, char *buf, size_t cap)
{
    const char *p = strstr(text, from);
    ck_assert_ptr_nonnull(p);
    snprintf(buf, cap, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
    return buf;
}

START_TEST(test_container_rejects_bad_metadata)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 5);
    in_file f;
    memset(&f, 0, sizeof f);
    uint64_t s[2] = {64, 128};
    fill_bf16_gauss(add_tensor(&f, "w", "BF16", 2, 2, s), &r, 0.02);
    s[0] = 4;
    fill_random(add_tensor(&f, "p", "F32", 4, 1, s), &r);
    size_t size;
    uint8_t *in = write_in_file(&f, &size);
    tca_st_buffer c;
    tca_ck_assert_status(compress_buf(in, size, 0, &c), TCA_OK);
    tca_st_file *o;
    tca_ck_assert_status(tca_st_parse(c.data, c.size, NULL, &o), TCA_OK);
    const char *tm = tca_st_meta_get(o, "tca.tensor.w", NULL);
    ck_assert_ptr_nonnull(tm);
    char buf[4096], b2[4096];

    edit e;
    /* an unedited rebuild opens and decodes (the helper itself is sound) */
    memset(&e, 0, sizeof e);
    tca_ck_assert_status(open_edited(&c, &e), TCA_OK);
    /* the metadata CRC (safetensors 3.3): an edit without a matching CRC is damage; the key is
     * optional; a malformed value is bad metadata */
    e.meta_key = "tca.format_version";
    e.meta_value = "1.1";
    e.stale_meta_crc = 1;
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_CRC);
    e.stale_meta_crc = 0;
    tca_ck_assert_status(open_edited(&c, &e), TCA_OK);
    e.meta_key = "tca.metadata_crc32c";
    e.meta_value = NULL;
    tca_ck_assert_status(open_edited(&c, &e), TCA_OK);
    e.meta_value = "0000000g";
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.meta_value = "00000000";
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_CRC);
    /* file-level keys (safetensors 3.2) */
    e.meta_key = "tca.format";
    e.meta_value = NULL;
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.meta_value = "TCA-TBF";
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.meta_key = "tca.format_version";
    e.meta_value = "2.0";
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.meta_value = "1.";
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.meta_value = "1.0x";
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.meta_value = "1.7"; /* a later minor version is accepted */
    tca_ck_assert_status(open_edited(&c, &e), TCA_OK);
    e.meta_value = NULL;
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.meta_key = "tca.original_header";
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    /* unknown tca. keys are ignored */
    e.meta_key = "tca.future_key";
    e.meta_value = "x";
    tca_ck_assert_status(open_edited(&c, &e), TCA_OK);

    /* the per-tensor object */
    e.meta_key = "tca.tensor.w";
    e.meta_value = "not json";
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.meta_value = replace_in(tm, "\"layout\":\"v1\"", "\"layout\":\"F\"", buf, sizeof buf);
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.meta_value = replace_in(tm, "\"layout\":\"v1\",", "", buf, sizeof buf);
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.meta_value = replace_in(tm, "\"shape\":[64,128]", "\"shape\":[64,-128]", buf, sizeof buf);
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    /* a shape that disagrees with the original header */
    e.meta_value = replace_in(tm, "\"shape\":[64,128]", "\"shape\":[128,64]", buf, sizeof buf);
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_ORIGINAL);
    /* CRC strings: 8 lower-case hex digits */
    const char *crc_key = strstr(tm, "\"bitmap1\":\"");
    ck_assert_ptr_nonnull(crc_key);
    char old[32], upper[32];
    snprintf(old, sizeof old, "%.19s", crc_key);
    snprintf(upper, sizeof upper, "%s", old);
    for (char *q = upper + 11; *q; q++)
        if (*q >= 'a' && *q <= 'f') *q = (char)(*q - 'a' + 'A');
    if (strcmp(old, upper)) {
        e.meta_value = replace_in(tm, old, upper, buf, sizeof buf);
        tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    }
    snprintf(upper, sizeof upper, "\"bitmap1\":\"1234567");
    e.meta_value = replace_in(tm, old, upper, buf, sizeof buf);
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    /* a wrong (well-formed) CRC value: detected when decoding */
    snprintf(upper, sizeof upper, "\"bitmap1\":\"%08x", 0u);
    if (strcmp(old, upper)) {
        e.meta_value = replace_in(tm, old, upper, buf, sizeof buf);
        tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_CRC);
    }
    /* a sign_mantissa_len that disagrees with the stored array */
    json_error_t jerr;
    json_t *mj = json_loads(tm, 0, &jerr);
    char from[64], to[64];
    snprintf(from, sizeof from, "\"sign_mantissa_len\":%lld",
             (long long)json_integer_value(json_object_get(mj, "sign_mantissa_len")));
    snprintf(to, sizeof to, "\"sign_mantissa_len\":%lld",
             (long long)json_integer_value(json_object_get(mj, "sign_mantissa_len")) + 16);
    json_decref(mj);
    e.meta_value = replace_in(tm, from, to, buf, sizeof buf);
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    /* base outside spec 3.6 but inside a byte: the decoder's validation rejects it */
    mj = json_loads(tm, 0, &jerr);
    snprintf(from, sizeof from, "\"base\":%lld,", (long long)json_integer_value(json_object_get(mj, "base")));
    json_decref(mj);
    e.meta_value = replace_in(tm, from, "\"base\":250,", buf, sizeof buf);
    ck_assert(tca_status_is_format_error(open_edited(&c, &e)));
    e.meta_value = replace_in(tm, from, "\"base\":256,", buf, sizeof buf);
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    /* an extra member is ignored (minor-version extension) */
    e.meta_value = replace_in(tm, "\"layout\":\"v1\"", "\"layout\":\"v1\",\"later\":[1]", buf, sizeof buf);
    tca_ck_assert_status(open_edited(&c, &e), TCA_OK);
    /* tca.tensor.X for a tensor the original does not have */
    e.meta_key = "tca.tensor.nope";
    e.meta_value = tm;
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);

    /* tca.passthrough_crc32c: optional; when present it lists exactly the pass-through tensors */
    const char *pc = tca_st_meta_get(o, "tca.passthrough_crc32c", NULL);
    ck_assert_ptr_nonnull(pc);
    e.meta_key = "tca.passthrough_crc32c";
    e.meta_value = NULL;
    tca_ck_assert_status(open_edited(&c, &e), TCA_OK);
    e.meta_value = "{}";
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.meta_value = replace_in(pc, "{", "{\"w\":\"00000000\",", buf, sizeof buf);
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.meta_value = replace_in(pc, "\"p\"", "\"nope\"", buf, sizeof buf);
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.meta_value = replace_in(pc, "\":\"", "\":\"x", buf, sizeof buf);
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.meta_value = "[]";
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    /* a well-formed but wrong value: the pass-through tensor fails its check */
    snprintf(b2, sizeof b2, "{\"p\":\"%08lx\"}", (unsigned long)(tca_crc32c(f.t[1].data, f.t[1].bytes) ^ 1u));
    e.meta_value = b2;
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_CRC);

    /* arrays: missing or misnamed -> metadata; pass-through missing or extra tensor -> original */
    memset(&e, 0, sizeof e);
    e.rename_from = "w.tca.tog";
    e.rename_to = "w.tca.tog2";
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_METADATA);
    e.rename_from = "p";
    e.rename_to = "q";
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_ORIGINAL);
    memset(&e, 0, sizeof e);
    e.add_extra = 1;
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_ORIGINAL);

    /* the original header: invalid, or disagreeing with the stored tensors */
    memset(&e, 0, sizeof e);
    e.meta_key = "tca.original_header";
    e.meta_value = "{\"p\":";
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_ORIGINAL);
    const char *oh = tca_st_meta_get(o, "tca.original_header", NULL);
    e.meta_value = replace_in(oh, "\"F32\"", "\"I32\"", b2, sizeof b2); /* p's dtype */
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_ORIGINAL);
    e.meta_value = replace_in(oh, "\"dtype\": \"BF16\"", "\"dtype\": \"F16\"", b2, sizeof b2); /* w not BF16 */
    tca_ck_assert_status(open_edited(&c, &e), TCA_ERROR_CONTAINER_ORIGINAL);

    tca_st_free(o);
    tca_st_buffer_free(&c);
    free(in);
    free_in_file(&f);
}
END_TEST

/* A plain safetensors file is not a compressed checkpoint. */
START_TEST(test_container_plain_file_is_not_compressed)
{
    const char *h = "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}";
    size_t size;
    uint8_t *buf = raw_file(h, 1, &size);
    tca_ckpt_reader *r = NULL;
    tca_ck_assert_status(tca_ckpt_open(buf, size, NULL, &r), TCA_ERROR_CONTAINER_METADATA);
    tca_st_file *f;
    tca_ck_assert_status(tca_st_parse(buf, size, NULL, &f), TCA_OK);
    ck_assert_int_eq(tca_ckpt_is_compressed(f), 0);
    tca_st_free(f);
    free(buf);
}
END_TEST

/* safetensors 3.4: reserved names. */
START_TEST(test_container_name_collision)
{
    static const struct {
        const char *header;
        tca_status expect;
    } cases[] = {
        {"{\"w.tca.full\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", TCA_ERROR_CONTAINER_NAME},
        {"{\"x.tca.bitmap2\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", TCA_ERROR_CONTAINER_NAME},
        {"{\".tca.tog\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", TCA_ERROR_CONTAINER_NAME},
        {"{\"__metadata__\":{\"tca.format\":\"TCA-TBE\"},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}",
         TCA_ERROR_CONTAINER_NAME},
        {"{\"__metadata__\":{\"tca.anything\":\"\"},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}",
         TCA_ERROR_CONTAINER_NAME},
        /* not reserved: similar but different names */
        {"{\"w.tca.fullx\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", TCA_OK},
        {"{\"w.tca\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", TCA_OK},
        {"{\"tca.full\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", TCA_OK},
        {"{\"__metadata__\":{\"tca\":\"x\",\"TCA.format\":\"y\"},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}",
         TCA_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t size;
        uint8_t *buf = raw_file(cases[i].header, 1, &size);
        tca_st_buffer c;
        tca_status st = compress_buf(buf, size, 0, &c);
        ck_assert_msg(st == cases[i].expect, "case %zu: %s", i, tca_status_name(st));
        if (st == TCA_OK) {
            tca_st_buffer d;
            tca_ck_assert_status(decompress_buf(c.data, c.size, &d), TCA_OK);
            ck_assert_uint_eq(d.size, size);
            ck_assert_mem_eq(d.data, buf, size);
            tca_st_buffer_free(&d);
        }
        tca_st_buffer_free(&c);
        free(buf);
    }
}
END_TEST

/* Files without tensors, with only empty tensors, with only pass-through tensors. */
START_TEST(test_container_empty_files)
{
    static const char *headers[] = {
        "{}",
        "{\"__metadata__\":{}}",
        ("{\"e\":{\"dtype\":\"BF16\",\"shape\":[0,0],\"data_offsets\":[0,0]},\"f\":{\"dtype\":\"F32\",\"shape\":[3,0],"
         "\"data_offsets\":[0,0]}}"),
        "{\"__metadata__\":{\"a\":\"b\"},\"s\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}        ",
    };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        size_t size;
        uint8_t *buf = raw_file(headers[i], i == 3 ? 8 : 0, &size);
        tca_st_buffer c, d;
        tca_ck_assert_status(compress_buf(buf, size, 1, &c), TCA_OK);
        tca_ck_assert_status(decompress_buf(c.data, c.size, &d), TCA_OK);
        ck_assert_uint_eq(d.size, size);
        ck_assert_mem_eq(d.data, buf, size);
        tca_st_buffer_free(&c);
        tca_st_buffer_free(&d);
        free(buf);
    }
}
END_TEST

/* Known element values survive the round trip in their little-endian byte order, independent of
 * the host's: bytes are written here explicitly (low byte first) and compared as bytes. */
START_TEST(test_container_little_endian_bytes)
{
    in_file f;
    memset(&f, 0, sizeof f);
    uint64_t s[2] = {64, 64};
    in_tensor *t = add_tensor(&f, "w", "BF16", 2, 2, s);
    for (size_t i = 0; i < 64 * 64; i++) {
        /* exponents 120..126 cycling: all in one window; mantissa varies */
        uint16_t v = (uint16_t)(((120 + i % 7) << 7) | (i & 0x7F) | ((i & 1) << 15));
        t->data[2 * i] = (uint8_t)(v & 0xFF);
        t->data[2 * i + 1] = (uint8_t)(v >> 8);
    }
    size_t size;
    uint8_t *in = write_in_file(&f, &size);
    tca_st_buffer c;
    tca_ck_assert_status(compress_buf(in, size, 0, &c), TCA_OK);
    tca_ckpt_reader *r;
    tca_ck_assert_status(tca_ckpt_open(c.data, c.size, NULL, &r), TCA_OK);
    ck_assert_int_eq(r->entries[0].compressed, 1);
    ck_assert_uint_eq(r->entries[0].view.hdr.base, 119); /* window [120, 126] */
    ck_assert_uint_eq(r->entries[0].view.hdr.full_len, 0);
    ck_assert_uint_eq(r->entries[0].view.hdr.sign_mantissa_len, 4096);
    uint8_t *dst = malloc(t->bytes);
    tca_ck_assert_status(tca_ckpt_decode_entry(r, 0, dst, t->bytes), TCA_OK);
    ck_assert_mem_eq(dst, t->data, t->bytes);
    tca_ck_assert_status(tca_ckpt_decode_entry(r, 0, dst, t->bytes - 1), TCA_ERROR_PARAM_DST_TOO_SMALL);
    free(dst);
    tca_ckpt_close(r);
    tca_st_buffer_free(&c);
    free(in);
    free_in_file(&f);
}
END_TEST

/* Every allocation failure is reported as TCA_ERROR_ALLOC and leaks nothing. */
START_TEST(test_container_allocation_failures)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 6);
    in_file f;
    memset(&f, 0, sizeof f);
    uint64_t s[2] = {70, 64};
    fill_bf16_gauss(add_tensor(&f, "w", "BF16", 2, 2, s), &r, 0.02);
    s[0] = 5;
    fill_random(add_tensor(&f, "b", "F32", 4, 1, s), &r);
    size_t size;
    uint8_t *in = write_in_file(&f, &size);
    tca_st_buffer ref;
    tca_ck_assert_status(compress_buf(in, size, 1, &ref), TCA_OK);
    int done = 0;
    for (long k = 0; k < 400 && !done; k++) {
        tca_test_allocator a;
        tca_test_allocator_init(&a, k);
        tca_st_buffer c;
        memset(&c, 0, sizeof c);
        c.alloc = &a.base;
        tca_status st = tca_ckpt_compress(in, size, 1, &a.base, tca_st_sink_buffer, &c);
        if (st == TCA_OK) {
            ck_assert_uint_eq(c.size, ref.size);
            ck_assert_mem_eq(c.data, ref.data, ref.size);
            done = 1;
        } else {
            tca_ck_assert_status(st, TCA_ERROR_ALLOC);
        }
        tca_st_buffer_free(&c);
        ck_assert_int_eq(a.live, 0);
    }
    ck_assert(done);
    done = 0;
    for (long k = 0; k < 400 && !done; k++) {
        tca_test_allocator a;
        tca_test_allocator_init(&a, k);
        tca_ckpt_reader *rd = NULL;
        tca_status st = tca_ckpt_open(ref.data, ref.size, &a.base, &rd);
        if (st == TCA_OK) {
            tca_st_buffer d;
            memset(&d, 0, sizeof d);
            d.alloc = &a.base;
            st = tca_ckpt_decompress(rd, tca_st_sink_buffer, &d, NULL);
            if (st == TCA_OK) {
                ck_assert_uint_eq(d.size, size);
                ck_assert_mem_eq(d.data, in, size);
                done = 1;
            }
            tca_st_buffer_free(&d);
            tca_ckpt_close(rd);
        }
        if (!done) tca_ck_assert_status(st, TCA_ERROR_ALLOC);
        ck_assert_int_eq(a.live, 0);
    }
    ck_assert(done);
    tca_st_buffer_free(&ref);
    free(in);
    free_in_file(&f);
}
END_TEST

/* spec/tca-safetensors.md Appendix A, reproduced exactly: the header text, the sizes and the
 * SHA-256 of the original. The input is built from the appendix's description. */
START_TEST(test_container_spec_appendix_example)
{
    in_file f;
    memset(&f, 0, sizeof f);
    uint64_t s[2] = {64, 64};
    in_tensor *w = add_tensor(&f, "w", "BF16", 2, 2, s);
    for (size_t i = 0; i < 4096; i++) {
        w->data[2 * i] = (uint8_t)(i % 8);
        w->data[2 * i + 1] = 0x3C;
    }
    s[0] = 2;
    in_tensor *n = add_tensor(&f, "norm", "F32", 4, 1, s);
    static const uint8_t norm_bytes[8] = {0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x3F}; /* 1.0, 0.5 */
    memcpy(n->data, norm_bytes, 8);
    /* the appendix's original header, compact, 160 bytes with 5 trailing spaces */
    const char *orig = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"BF16\",\"shape\":[64,64],"
                       "\"data_offsets\":[0,8192]},\"norm\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8192,8200]}}     ";
    size_t hl = strlen(orig);
    ck_assert_uint_eq(hl, 160);
    size_t size = 8 + hl + 8200;
    uint8_t *in = malloc(size);
    for (int b = 0; b < 8; b++) in[b] = (uint8_t)((uint64_t)hl >> (8 * b));
    memcpy(in + 8, orig, hl);
    memcpy(in + 8 + hl, w->data, 8192);
    memcpy(in + 8 + hl + 8192, n->data, 8);
    tca_st_buffer c, d;
    tca_ck_assert_status(compress_buf(in, size, 0, &c), TCA_OK);
    ck_assert_uint_eq(c.size, 6984);
    const char *exp =
        "{\"__metadata__\":{\"format\":\"pt\",\"tca.format\":\"TCA-TBE\",\"tca.format_version\":\"1.0\","
        "\"tca.original_header\":\"{\\\"__metadata__\\\":{\\\"format\\\":\\\"pt\\\"},\\\"w\\\":{\\\"dtype\\\":"
        "\\\"BF16\\\",\\\"shape\\\":[64,64],\\\"data_offsets\\\":[0,8192]},\\\"norm\\\":{\\\"dtype\\\":"
        "\\\"F32\\\",\\\"shape\\\":[2],\\\"data_offsets\\\":[8192,8200]}}     \","
        "\"tca.tensor.w\":\"{\\\"layout\\\":\\\"v1\\\",\\\"shape\\\":[64,64],\\\"base\\\":113,"
        "\\\"max_sign_mantissa\\\":4096,\\\"max_full\\\":0,\\\"sign_mantissa_len\\\":4096,"
        "\\\"full_len\\\":0,\\\"crc32c\\\":{\\\"bitmap1\\\":\\\"5bd99297\\\",\\\"bitmap2\\\":"
        "\\\"5bd99297\\\",\\\"bitmap3\\\":\\\"5bd99297\\\",\\\"tom\\\":\\\"81bccb22\\\",\\\"tog\\\":"
        "\\\"ee17d09c\\\",\\\"sign_mantissa\\\":\\\"aa9b20cf\\\",\\\"full\\\":\\\"00000000\\\"}}\","
        "\"tca.passthrough_crc32c\":\"{\\\"norm\\\":\\\"074ba198\\\"}\",\"tca.metadata_crc32c\":\"a4964b7b\"},"
        "\"w.tca.bitmap1\":{\"dtype\":\"U64\",\"shape\":[64],\"data_offsets\":[0,512]},"
        "\"w.tca.bitmap2\":{\"dtype\":\"U64\",\"shape\":[64],\"data_offsets\":[512,1024]},"
        "\"w.tca.bitmap3\":{\"dtype\":\"U64\",\"shape\":[64],\"data_offsets\":[1024,1536]},"
        "\"w.tca.tom\":{\"dtype\":\"U32\",\"shape\":[4,2],\"data_offsets\":[1536,1568]},"
        "\"w.tca.tog\":{\"dtype\":\"U64\",\"shape\":[2,2],\"data_offsets\":[1568,1600]},"
        "\"w.tca.sign_mantissa\":{\"dtype\":\"U8\",\"shape\":[4096],\"data_offsets\":[1600,5696]},"
        "\"w.tca.full\":{\"dtype\":\"BF16\",\"shape\":[0],\"data_offsets\":[5696,5696]},"
        "\"norm\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[5696,5704]}} ";
    ck_assert_uint_eq(strlen(exp), 1272);
    ck_assert_uint_eq(rd64(c.data), 1272);
    ck_assert_mem_eq(c.data + 8, exp, 1272);
    /* every code is 7 = 120 - 113: all three planes all ones */
    for (size_t i = 0; i < 3 * 512; i++) ck_assert_uint_eq(c.data[8 + 1272 + i], 0xFF);
    tca_ck_assert_status(decompress_buf(c.data, c.size, &d), TCA_OK);
    ck_assert_uint_eq(d.size, 8368);
    uint8_t h[32];
    char hex[65];
    tca_sha256(d.data, d.size, h);
    tca_sha256_hex(h, hex);
    ck_assert_str_eq(hex, "6ce61c8a6f1a882cb5494a14094b4fe5a355bcb9aeab89c03843e48597c4d528");
    ck_assert_mem_eq(d.data, in, size);
    tca_st_buffer_free(&c);
    tca_st_buffer_free(&d);
    free(in);
    free_in_file(&f);
}
END_TEST

/* Robustness: every truncation of a compressed file is rejected, and random corruptions never
 * crash (run under ASan/UBSan in CI) and never decode to anything but the original when they
 * are accepted. */
START_TEST(test_container_truncation_and_corruption)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 8);
    in_file f;
    memset(&f, 0, sizeof f);
    uint64_t s[2] = {64, 128};
    fill_bf16_gauss(add_tensor(&f, "w", "BF16", 2, 2, s), &r, 0.02);
    s[0] = 6;
    fill_random(add_tensor(&f, "b", "F32", 4, 1, s), &r);
    f.meta_json = "{\"format\":\"pt\"}";
    size_t size;
    uint8_t *in = write_in_file(&f, &size);
    tca_st_buffer c;
    tca_ck_assert_status(compress_buf(in, size, 0, &c), TCA_OK);
    uint8_t *copy = malloc(c.size);
    /* every proper prefix is rejected as malformed */
    for (size_t len = 0; len < c.size; len += 1 + len / 64) {
        memcpy(copy, c.data, len);
        tca_ckpt_reader *rd = NULL;
        tca_status st = tca_ckpt_open(copy, len, NULL, &rd);
        ck_assert_msg(tca_status_is_format_error(st), "prefix %zu: %s", len, tca_status_name(st));
    }
    uint64_t trials = tca_test_count(300, 5000);
    size_t accepted = 0;
    for (uint64_t k = 0; k < trials; k++) {
        memcpy(copy, c.data, c.size);
        unsigned flips = 1 + (unsigned)tca_prng_below(&r, 3);
        for (unsigned j = 0; j < flips; j++) {
            /* half of the flips in the length and header, where the parser works */
            size_t hdr = 8 + (size_t)rd64(c.data);
            size_t off = tca_prng_below(&r, 2) ? (size_t)tca_prng_below(&r, hdr) : (size_t)tca_prng_below(&r, c.size);
            copy[off] ^= (uint8_t)(1u << tca_prng_below(&r, 8));
        }
        tca_ckpt_reader *rd = NULL;
        tca_status st = tca_ckpt_open(copy, c.size, NULL, &rd);
        if (st == TCA_OK) {
            tca_st_buffer d;
            memset(&d, 0, sizeof d);
            st = tca_ckpt_decompress(rd, tca_st_sink_buffer, &d, NULL);
            if (st == TCA_OK) {
                /* accepted: only bytes that do not take part in the reconstruction were hit
                 * (the input's own metadata, JSON whitespace) and the original comes back */
                ck_assert_uint_eq(d.size, size);
                ck_assert_mem_eq(d.data, in, size);
                accepted++;
            }
            tca_st_buffer_free(&d);
            tca_ckpt_close(rd);
        }
        ck_assert_msg(st == TCA_OK || tca_status_is_format_error(st), "trial %llu: %s", (unsigned long long)k,
                      tca_status_name(st));
    }
    ck_assert_uint_lt(accepted, trials / 4);
    free(copy);
    tca_st_buffer_free(&c);
    free(in);
    free_in_file(&f);
}
END_TEST

Suite *tca_container_suite(void);
Suite *tca_container_suite(void)
{
    Suite *s = suite_create("container");
    TCase *tc = tcase_create("container");
    tcase_add_test(tc, test_container_dtype_table);
    tcase_add_test(tc, test_container_parse_minimal);
    tcase_add_test(tc, test_container_parse_rejects_header);
    tcase_add_test(tc, test_container_parse_rejects_tensor);
    tcase_add_test(tc, test_container_builder_exact_text);
    tcase_add_test(tc, test_container_roundtrip_mixed);
    tcase_add_test(tc, test_container_passthrough_rules);
    tcase_add_test(tc, test_container_metadata_contents);
    tcase_add_test(tc, test_container_encode_order_independent);
    tcase_add_test(tc, test_container_crc_detects_each_array);
    tcase_add_test(tc, test_container_crc_detects_passthrough);
    tcase_add_test(tc, test_container_rejects_bad_metadata);
    tcase_add_test(tc, test_container_plain_file_is_not_compressed);
    tcase_add_test(tc, test_container_name_collision);
    tcase_add_test(tc, test_container_empty_files);
    tcase_add_test(tc, test_container_little_endian_bytes);
    tcase_add_test(tc, test_container_allocation_failures);
    tcase_add_test(tc, test_container_spec_appendix_example);
    tcase_add_test(tc, test_container_truncation_and_corruption);
    suite_add_tcase(s, tc);
    return s;
}
