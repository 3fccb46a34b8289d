/* SPDX-License-Identifier: Apache-2.0 */
/* Writes the seed corpora of the container, vector-file and MMA fuzz targets into DIR/<target>/,
 * deterministically (tca_prng with fixed seeds, no clock, no files read):
 *   container_decode      plain safetensors files made with the builder (ragged 2-D BF16 tensors
 *                         of weight-like, zero, random and narrow-exponent data, other dtypes and
 *                         ranks, metadata) and their compressed checkpoints (layout v1 with and
 *                         without force, layout F forced), so the fuzzer starts inside both
 *                         readers;
 *   container_round_trip  short payloads (the target takes its parameters from the tail);
 *   tv_parse              .tv files written with tca_tv_writer (header, MMA records of every op
 *                         computed by the emulator, u64/x64/hex/bytes/sha256 values, comments),
 *                         and MANIFEST.tsv texts written with tca_tv_manifest_put_row;
 *   mma_oracle            raw-mode payloads from every input family (tca_family_fill) for every
 *                         op, and corner-mode payloads, each followed by its tail parameters
 *                         (mode, op, profile: 4 bytes each, read from the end).
 * Run: fuzz_seed_gen_formats fuzz/corpus  (see fuzz/README.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "seed_util.h"
#include "tca/families.h"
#include "tca/safetensors.h"
#include "tca/tca.h"
#include "tca/tv.h"

static void check(tca_status st, const char *what)
{
    if (st != TCA_OK) {
        fprintf(stderr, "seed_gen_formats: %s: %s\n", what, tca_status_name(st));
        exit(1);
    }
}

/* ------------------------------------------------------------------------- safetensors */

typedef struct spec_tensor {
    const char *name;
    tca_st_dtype dtype;
    unsigned rank;
    uint64_t shape[3];
    int fill; /* 0 weights, 1 zeros, 2 random bits, 3 narrow exponents */
} spec_tensor;

static void fill_bf16(uint8_t *dst, uint64_t n, int kind, tca_prng *r)
{
    for (uint64_t i = 0; i < n; i++) {
        uint16_t v;
        switch (kind) {
        case 0: v = tca_bf16_from_double_rne(0.02 * tca_prng_normal(r)); break;
        case 1: v = (uint16_t)(i % 5 ? 0x0000 : 0x8000); break;
        case 2: v = (uint16_t)tca_prng_u32(r); break;
        default: v = (uint16_t)((tca_prng_below(r, 2) << 15) | ((120 + tca_prng_below(r, 7)) << 7) | (i & 0x7F));
        }
        dst[2 * i] = (uint8_t)v;
        dst[2 * i + 1] = (uint8_t)(v >> 8);
    }
}

/* Build a plain file; returns its bytes (malloc) and size. */
static uint8_t *build_file(const spec_tensor *t, size_t n, const char *meta_key, const char *meta_value, tca_prng *r,
                           size_t *size)
{
    tca_st_builder *b = NULL;
    check(tca_st_builder_new(NULL, &b), "builder");
    if (meta_key) check(tca_st_builder_meta(b, meta_key, meta_value, strlen(meta_value)), "builder meta");
    for (size_t i = 0; i < n; i++) check(tca_st_builder_tensor(b, t[i].name, t[i].dtype, t[i].rank, t[i].shape), "tensor");
    uint8_t *prefix = NULL;
    size_t plen = 0;
    uint64_t dsize = 0;
    check(tca_st_builder_finish(b, &prefix, &plen, &dsize), "builder finish");
    tca_st_builder_free(b);
    uint8_t *file = malloc(plen + dsize);
    if (!file) exit(1);
    memcpy(file, prefix, plen);
    tca_free(NULL, prefix);
    uint8_t *d = file + plen;
    for (size_t i = 0; i < n; i++) {
        uint64_t elems = 1;
        for (unsigned k = 0; k < t[i].rank; k++) elems *= t[i].shape[k];
        size_t bytes = (size_t)(elems * tca_st_dtype_size(t[i].dtype));
        if (t[i].dtype == TCA_ST_BF16)
            fill_bf16(d, elems, t[i].fill, r);
        else
            for (size_t k = 0; k < bytes; k++) d[k] = (uint8_t)tca_prng_u32(r);
        d += bytes;
    }
    *size = plen + (size_t)dsize;
    return file;
}

static void container_seeds(const char *dir)
{
    static const spec_tensor set0[] = {{"w", TCA_ST_BF16, 2, {8, 8, 0}, 0}};
    static const spec_tensor set1[] = {{"layers.0.weight", TCA_ST_BF16, 2, {16, 70, 0}, 0},
                                       {"layers.0.bias", TCA_ST_F32, 1, {16, 0, 0}, 2},
                                       {"scale", TCA_ST_BF16, 0, {0, 0, 0}, 2}};
    static const spec_tensor set2[] = {{"a", TCA_ST_BF16, 2, {65, 3, 0}, 3},
                                       {"zeros", TCA_ST_BF16, 2, {3, 65, 0}, 1},
                                       {"empty", TCA_ST_BF16, 2, {0, 5, 0}, 0},
                                       {"ids", TCA_ST_I64, 1, {4, 0, 0}, 2},
                                       {"flags", TCA_ST_BOOL, 3, {2, 1, 3}, 2}};
    static const spec_tensor set3[] = {{"big", TCA_ST_BF16, 2, {64, 64, 0}, 0}};
    static const spec_tensor set4[] = {{"rand", TCA_ST_BF16, 2, {9, 17, 0}, 2},
                                       {"h", TCA_ST_F16, 2, {4, 4, 0}, 2},
                                       {"q", TCA_ST_F8_E4M3, 1, {7, 0, 0}, 2},
                                       {"u", TCA_ST_U16, 2, {1, 1, 0}, 2}};
    static const struct {
        const spec_tensor *t;
        size_t n;
        const char *mk, *mv;
    } sets[] = {{set0, 1, NULL, NULL},
                {set1, 3, "format", "pt"},
                {set2, 5, NULL, NULL},
                {set3, 1, "note", "\xc3\xa9t\xc3\xa9 \"quoted\""},
                {set4, 4, NULL, NULL}};
    tca_prng r;
    tca_prng_seed(&r, 0x636F6E7461696E72ull);
    for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++) {
        size_t size = 0;
        uint8_t *file = build_file(sets[s].t, sets[s].n, sets[s].mk, sets[s].mv, &r, &size);
        char name[64];
        snprintf(name, sizeof name, "plain-%02zu.safetensors", s);
        seed_write_file("seed_gen_formats", dir, "container_decode", name, file, size);
        for (int force = 0; force < 2; force++) {
            tca_st_buffer out = {0};
            check(tca_ckpt_compress(file, size, force, NULL, tca_st_sink_buffer, &out), "compress");
            snprintf(name, sizeof name, "compressed-%02zu-force%d.safetensors", s, force);
            seed_write_file("seed_gen_formats", dir, "container_decode", name, out.data, out.size);
            tca_st_buffer_free(&out);
        }
        { /* layout F (spec 8, container version 1.1), forced */
            tca_st_file *in = NULL;
            tca_ckpt_plan *plan = NULL;
            tca_st_buffer out = {0};
            check(tca_st_parse(file, size, NULL, &in), "parse");
            check(tca_ckpt_plan_new(in, 1, NULL, &plan), "plan");
            plan->layout = TCA_LAYOUT_F;
            for (size_t i = 0; i < plan->n_items; i++) check(tca_ckpt_plan_encode(plan, i), "plan encode");
            check(tca_ckpt_plan_write(plan, tca_st_sink_buffer, &out, NULL), "plan write");
            snprintf(name, sizeof name, "compressed-%02zu-layoutF.safetensors", s);
            seed_write_file("seed_gen_formats", dir, "container_decode", name, out.data, out.size);
            tca_st_buffer_free(&out);
            tca_ckpt_plan_free(plan);
            tca_st_free(in);
        }
        free(file);
    }
    /* the round-trip generator reads its parameters from the tail: any bytes are a start */
    for (int i = 0; i < 8; i++) {
        uint8_t buf[160];
        size_t n = 16 + 18 * (size_t)i;
        for (size_t k = 0; k < n; k++) buf[k] = (uint8_t)tca_prng_u32(&r);
        if (i % 2) /* weight-like bytes in front */
            fill_bf16(buf, n / 4, 0, &r);
        char name[64];
        snprintf(name, sizeof name, "payload-%02d.bin", i);
        seed_write_file("seed_gen_formats", dir, "container_round_trip", name, buf, n);
    }
}

/* -------------------------------------------------------------------------------- .tv */

static const tca_mma_op all_ops[] = {
    {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32}, {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F32},
    {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F16},  {TCA_MMA_M16N8K8, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32},
    {TCA_MMA_M16N8K8, TCA_MMA_IN_F16, TCA_MMA_ACC_F32},   {TCA_MMA_M16N8K8, TCA_MMA_IN_F16, TCA_MMA_ACC_F16},
};
#define N_OPS (sizeof all_ops / sizeof all_ops[0])

static void tv_seeds(const char *dir)
{
    tca_prng r;
    tca_prng_seed(&r, 0x74765F7365656473ull);
    char name[64];
    /* MMA files: one per op, two records each, D computed by the emulator (sm90) */
    for (size_t o = 0; o < N_OPS; o++) {
        tca_tv_writer w;
        tca_tv_writer_init(&w, NULL);
        tca_tv_put_preamble(&w, "fuzz seed: MMA records\nsecond comment line");
        tca_tv_put(&w, "kind", "mma");
        tca_tv_put(&w, "op", tca_tv_mma_op_name(all_ops[o]));
        tca_tv_put(&w, "profile", "sm90");
        tca_tv_put_x64(&w, "seed", 0x1234);
        tca_tv_put_end(&w);
        for (uint64_t id = 0; id < 2; id++) {
            static tca_tv_mma_case c;
            memset(&c, 0, sizeof c);
            c.id = id;
            c.flags = id ? "fuzz,seed" : NULL;
            check(tca_family_fill((tca_family)((o + id) % TCA_FAMILY_COUNT), all_ops[o], &r, c.A, c.B, c.C), "family");
            check(tca_mma_tile(tca_mma_profile_by_name("sm90"), all_ops[o], c.A, c.B, c.C, c.D), "mma");
            tca_tv_mma_case_write(&w, all_ops[o], &c);
        }
        check(w.status, "tv writer");
        snprintf(name, sizeof name, "mma-%zu.tv", o);
        seed_write_file("seed_gen_formats", dir, "tv_parse", name, w.buf, w.len);
        tca_tv_writer_free(&w);
    }
    /* a file of assorted values: every value form the readers parse (vectors 3.4) */
    {
        tca_tv_writer w;
        tca_tv_writer_init(&w, NULL);
        tca_tv_put_preamble(&w, NULL);
        tca_tv_put(&w, "kind", "format");
        tca_tv_put_end(&w);
        uint8_t bytes[40], digest[32];
        uint16_t h16[5];
        uint32_t h32[3];
        for (size_t i = 0; i < sizeof bytes; i++) bytes[i] = (uint8_t)tca_prng_u32(&r);
        for (size_t i = 0; i < 32; i++) digest[i] = (uint8_t)tca_prng_u32(&r);
        for (size_t i = 0; i < 5; i++) h16[i] = (uint16_t)tca_prng_u32(&r);
        for (size_t i = 0; i < 3; i++) h32[i] = tca_prng_u32(&r);
        tca_tv_put_u64(&w, "id", 7);
        tca_tv_put_u64(&w, "rows", 18446744073709551615ull);
        tca_tv_put_x64(&w, "seed", 0xFEDCBA9876543210ull);
        tca_tv_put_bytes(&w, "stream", bytes, sizeof bytes);
        tca_tv_put_bytes(&w, "empty", bytes, 0);
        tca_tv_put_sha256(&w, "sha256", digest);
        tca_tv_put_hex16(&w, "h16", h16, 5);
        tca_tv_put_hex32(&w, "h32", h32, 3, 8);
        tca_tv_put_hex32(&w, "h32s", h32, 3, 4);
        tca_tv_put(&w, "expect", "ERROR_FORMAT_MAGIC");
        tca_tv_put_end(&w);
        tca_tv_put_comment(&w, "a comment between records");
        tca_tv_put_u64(&w, "id", 8);
        tca_tv_put(&w, "h", "0001 0002 # trailing comment");
        tca_tv_put_end(&w);
        check(w.status, "tv writer");
        seed_write_file("seed_gen_formats", dir, "tv_parse", "values.tv", w.buf, w.len);
        tca_tv_writer_free(&w);
    }
    /* manifests */
    {
        static const tca_tv_manifest_row rows[] = {
            {"v1/mma/sm90/normal.tv", "mma", "sm90", "quick", 0x1234, 64, "normal family, every op"},
            {"v1/format/valid.tv", "format", "-", "quick", 0, 12, "valid streams"},
            {"v1/format/invalid.tv", "format-invalid", "-", "full", 99, 30, "one violated rule each"},
            {"v1/gemm/digest.tv", "gemm-digest", "sm80", "full", 0xFFFFFFFFFFFFFFFFull, 3, "GEMM digests"},
        };
        for (size_t n = 1; n <= sizeof rows / sizeof rows[0]; n++) {
            tca_tv_writer w;
            tca_tv_writer_init(&w, NULL);
            tca_tv_manifest_put_header(&w);
            for (size_t i = 0; i < n; i++) tca_tv_manifest_put_row(&w, &rows[i]);
            check(w.status, "manifest writer");
            snprintf(name, sizeof name, "manifest-%zu.tsv", n);
            seed_write_file("seed_gen_formats", dir, "tv_parse", name, w.buf, w.len);
            tca_tv_writer_free(&w);
        }
    }
}

/* --------------------------------------------------------------------------- MMA oracle */

static size_t put_param(uint8_t *p, uint32_t v)
{
    /* fuzz_take_range reads the last byte as the most significant: store v little-endian */
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return 4;
}

static void mma_seeds(const char *dir)
{
    tca_prng r;
    tca_prng_seed(&r, 0x6D6D615F6F72636Cull);
    static uint8_t buf[16 * 16 * 2 + 16 * 8 * 2 + 128 * 4 + 12];
    char name[64];
    int profiles = tca_mma_profile_count();
    for (size_t o = 0; o < N_OPS; o++) {
        int k = tca_family_op_k(all_ops[o]);
        /* raw mode: the payload is A, B, C little-endian, exactly as the target reads it */
        for (int f = 0; f < TCA_FAMILY_COUNT; f++) {
            uint16_t A[256], B[128];
            uint32_t C[128];
            check(tca_family_fill((tca_family)f, all_ops[o], &r, A, B, C), "family");
            size_t n = 0;
            for (int i = 0; i < 16 * k; i++, n += 2) buf[n] = (uint8_t)A[i], buf[n + 1] = (uint8_t)(A[i] >> 8);
            for (int i = 0; i < 8 * k; i++, n += 2) buf[n] = (uint8_t)B[i], buf[n + 1] = (uint8_t)(B[i] >> 8);
            for (int i = 0; i < 128; i++) n += put_param(buf + n, C[i]);
            n += put_param(buf + n, 0);                                        /* mode: raw */
            n += put_param(buf + n, (uint32_t)o);                              /* op */
            n += put_param(buf + n, (uint32_t)((f + (int)o) % profiles));       /* profile */
            snprintf(name, sizeof name, "raw-op%zu-%s.bin", o, tca_family_name((tca_family)f));
            seed_write_file("seed_gen_formats", dir, "mma_oracle", name, buf, n);
        }
        /* corner mode: short random payloads (the target repeats them) */
        for (int p = 0; p < profiles; p++) {
            size_t n = 0, len = 24 + 8 * (size_t)p;
            for (; n < len; n++) buf[n] = (uint8_t)tca_prng_u32(&r);
            n += put_param(buf + n, 1);
            n += put_param(buf + n, (uint32_t)o);
            n += put_param(buf + n, (uint32_t)p);
            snprintf(name, sizeof name, "corner-op%zu-%s.bin", o, tca_mma_profile_at(p)->name);
            seed_write_file("seed_gen_formats", dir, "mma_oracle", name, buf, n);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fuzz_seed_gen_formats CORPUS_DIR\n");
        return 2;
    }
    container_seeds(argv[1]);
    tv_seeds(argv[1]);
    mma_seeds(argv[1]);
    return 0;
}
