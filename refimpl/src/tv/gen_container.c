/* SPDX-License-Identifier: Apache-2.0 */
/* Container vectors (spec/tca-test-vectors.md 5.4): compressed safetensors checkpoints
 * (spec/tca-safetensors.md) with the original file they must reconstruct byte for byte, and
 * damaged ones with the rejection they must get. The original file is built here, so the
 * expected reconstruction does not come from the decompressor; the reference reader is run on
 * every case as a self-check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/le.h"
#include "tca/bf16.h"
#include "tca/prng.h"
#include "tca/safetensors.h"
#include "tv/tv_gen.h"

#define CONTAINER_SEED 0x5443412d43544e31ull /* "TCA-CTN1" */

typedef struct tensor_spec {
    const char *name;
    tca_st_dtype dtype;
    unsigned rank;
    uint64_t shape[2];
    int fill; /* 0 weights, 1 zeros, 2 counting bytes, 3 specials */
} tensor_spec;

static const tensor_spec model_a[] = {
    {"model.layers.0.mlp.up_proj.weight", TCA_ST_BF16, 2, {64, 64}, 0},
    {"model.layers.0.mlp.down_proj.weight", TCA_ST_BF16, 2, {65, 33}, 0},
    {"model.layers.0.input_layernorm.weight", TCA_ST_BF16, 1, {64, 0}, 0},
    {"model.layers.0.bias", TCA_ST_F32, 1, {16, 0}, 2},
    {"model.zeros", TCA_ST_BF16, 2, {64, 64}, 1},
};
static const tensor_spec model_b[] = {
    {"w.specials", TCA_ST_BF16, 2, {70, 64}, 3},
    {"w.tiny", TCA_ST_BF16, 2, {1, 1}, 0},
};

/* Build an uncompressed safetensors file in memory. */
static tca_status build_original(const tensor_spec *t, size_t n, uint64_t seed, uint8_t **out, size_t *out_size)
{
    tca_st_builder *b = NULL;
    tca_status st = tca_st_builder_new(NULL, &b);
    if (!st) st = tca_st_builder_meta(b, "format", "pt", 2);
    for (size_t i = 0; i < n && !st; i++) st = tca_st_builder_tensor(b, t[i].name, t[i].dtype, t[i].rank, t[i].shape);
    uint8_t *prefix = NULL;
    size_t plen = 0;
    uint64_t dsize = 0;
    if (!st) st = tca_st_builder_finish(b, &prefix, &plen, &dsize);
    tca_st_builder_free(b);
    if (st) return st;
    uint8_t *f = malloc(plen + dsize);
    if (!f) {
        tca_free(NULL, prefix);
        return TCA_ERROR_ALLOC;
    }
    memcpy(f, prefix, plen);
    tca_free(NULL, prefix);
    tca_prng r;
    tca_prng_seed(&r, seed);
    uint8_t *p = f + plen;
    for (size_t i = 0; i < n; i++) {
        uint64_t elems = t[i].shape[0] * (t[i].rank == 2 ? t[i].shape[1] : 1);
        size_t bytes = (size_t)elems * tca_st_dtype_size(t[i].dtype);
        for (size_t e = 0; e < bytes / 2 && t[i].dtype == TCA_ST_BF16; e++) {
            uint16_t v = 0;
            if (t[i].fill == 0) v = tca_prng_unit(&r) < 1.0 / 64 ? 0 : tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r));
            else if (t[i].fill == 3) v = (e % 41 == 0) ? (uint16_t)(0x7F80u | (e & 0x807Fu)) : (uint16_t)tca_prng_u64(&r);
            tca__st16(p + 2 * e, v);
        }
        if (t[i].dtype != TCA_ST_BF16)
            for (size_t e = 0; e < bytes; e++) p[e] = (uint8_t)(e * 7 + 1);
        p += bytes;
    }
    *out = f;
    *out_size = plen + dsize;
    return TCA_OK;
}

static tca_status compress(const uint8_t *in, size_t n, tca_st_buffer *out)
{
    memset(out, 0, sizeof *out);
    return tca_ckpt_compress(in, n, 0, NULL, tca_st_sink_buffer, out);
}

/* Self-check: the reference reader rebuilds `original` (want_ok) or rejects the file. */
static tca_status reference_result(const uint8_t *c, size_t n, const uint8_t *original, size_t on)
{
    tca_ckpt_reader *r = NULL;
    tca_status st = tca_ckpt_open(c, n, NULL, &r);
    if (st) return st;
    tca_st_buffer out;
    memset(&out, 0, sizeof out);
    st = tca_ckpt_decompress(r, tca_st_sink_buffer, &out, NULL);
    if (!st && original && (out.size != on || memcmp(out.data, original, on))) st = TCA_ERROR_INTERNAL;
    tca_st_buffer_free(&out);
    tca_ckpt_close(r);
    return st;
}

/* Replace the first occurrence of `from` by `to` (same length) in the header text. */
static int patch_header(uint8_t *f, size_t n, const char *from, const char *to)
{
    size_t l = strlen(from);
    if (n < 8 || strlen(to) != l) return 0;
    uint64_t hl = tca__le64(f);
    if (hl > n - 8) return 0;
    for (size_t i = 8; i + l <= 8 + hl; i++)
        if (!memcmp(f + i, from, l)) {
            memcpy(f + i, to, l);
            return 1;
        }
    return 0;
}

tca_status tca__tv_gen_container(tca__tv_gen *g)
{
    struct {
        const tensor_spec *t;
        size_t n;
        const char *flags;
    } models[] = {
        {model_a, sizeof model_a / sizeof model_a[0], "Compressed PassThroughDtype PassThroughRank Ragged Zeros"},
        {model_b, sizeof model_b / sizeof model_b[0], "Compressed NaNPayload Inf PassThroughNotSmaller"},
    };
    tca_tv_manifest_row row;
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    tca_status st = TCA_OK;
    uint8_t *orig[2] = {NULL, NULL};
    size_t on[2] = {0, 0};
    tca_st_buffer comp[2];
    memset(comp, 0, sizeof comp);
    for (int m = 0; m < 2 && !st; m++) {
        st = build_original(models[m].t, models[m].n, tca_prng_derive(CONTAINER_SEED, (uint64_t)m + 1), &orig[m], &on[m]);
        if (!st) st = compress(orig[m], on[m], &comp[m]);
        if (!st) st = reference_result(comp[m].data, comp[m].size, orig[m], on[m]);
    }
    /* damaged copies of model a: each breaks one rule of spec/tca-safetensors.md */
    struct {
        const char *flags;
        const char *error;
        uint8_t *f;
        size_t n;
    } bad[5];
    size_t nbad = 0;
    for (int k = 0; k < 5 && !st; k++) {
        uint8_t *f = malloc(comp[0].size);
        size_t n = comp[0].size;
        if (!f) {
            st = TCA_ERROR_ALLOC;
            break;
        }
        memcpy(f, comp[0].data, n);
        const char *flags = NULL, *error = NULL;
        int ok = 1;
        switch (k) {
        case 0: /* safetensors 3: an array byte changed: its CRC-32C no longer matches */
            f[n - 1] ^= 0x01;
            flags = "ArrayCRC";
            error = "ERROR_CONTAINER_CRC";
            break;
        case 1: /* safetensors 3: tca.format is not TCA-TBE */
            ok = patch_header(f, n, "\"TCA-TBE\"", "\"TCA-TBX\"");
            flags = "Metadata";
            error = "ERROR_CONTAINER_METADATA";
            break;
        case 2: /* safetensors 2: the file ends inside the data region */
            n -= 1;
            flags = "Truncated";
            error = "ERROR_CONTAINER_TENSOR";
            break;
        case 3: /* safetensors 2: header length beyond the file */
            tca__st64(f, (uint64_t)n);
            flags = "HeaderLength";
            error = "ERROR_CONTAINER_HEADER";
            break;
        case 4: /* safetensors 4: the stored original header names another shape */
            ok = patch_header(f, n, "[65,33]", "[33,65]");
            flags = "OriginalHeader";
            error = "ERROR_CONTAINER_ORIGINAL";
            break;
        }
        if (!ok || reference_result(f, n, NULL, 0) == TCA_OK) {
            fprintf(stderr, "tca gen: container case %s %s\n", flags, ok ? "accepted by the reference" : "not built");
            free(f);
            st = TCA_ERROR_INTERNAL;
            break;
        }
        bad[nbad].flags = flags;
        bad[nbad].error = error;
        bad[nbad].f = f;
        bad[nbad].n = n;
        nbad++;
    }
    if (!st) {
        tca__tv_row(&row, "v1/format/containers.tv", "container", "-", "quick", CONTAINER_SEED, 2 + nbad,
                    "compressed safetensors checkpoints: original bytes, or the rejection");
        tca__tv_gen_begin(&w, &row);
        tca_tv_put(&w, "notes.Compressed", "2-D BF16 tensors stored as the seven TCA-TBE arrays (safetensors 3)");
        tca_tv_put(&w, "notes.PassThroughDtype", "a non-BF16 tensor stored unchanged (safetensors 5)");
        tca_tv_put(&w, "notes.PassThroughRank", "a 1-D BF16 tensor stored unchanged (safetensors 5)");
        tca_tv_put(&w, "notes.PassThroughNotSmaller", "a tensor whose encoding would not be smaller");
        tca_tv_put(&w, "notes.Ragged", "a tensor shape not a multiple of 64");
        tca_tv_put(&w, "notes.Zeros", "an all-zero tensor");
        tca_tv_put(&w, "notes.NaNPayload", "NaNs with payloads in a compressed tensor");
        tca_tv_put(&w, "notes.Inf", "infinities in a compressed tensor");
        tca_tv_put(&w, "notes.ArrayCRC", "an array's CRC-32C disagrees with the metadata");
        tca_tv_put(&w, "notes.Metadata", "tca metadata malformed");
        tca_tv_put(&w, "notes.Truncated", "file shorter than its data region");
        tca_tv_put(&w, "notes.HeaderLength", "header length beyond the file");
        tca_tv_put(&w, "notes.OriginalHeader", "stored original header inconsistent with the tensors");
        tca_tv_put_end(&w);
        for (int m = 0; m < 2; m++) {
            tca_tv_put_u64(&w, "id", (uint64_t)m + 1);
            tca_tv_put(&w, "flags", models[m].flags);
            tca_tv_put(&w, "result", "valid");
            tca_tv_put_bytes(&w, "container", comp[m].data, comp[m].size);
            tca_tv_put_bytes(&w, "original", orig[m], on[m]);
            tca_tv_put_end(&w);
        }
        for (size_t k = 0; k < nbad; k++) {
            tca_tv_put_u64(&w, "id", 101 + k);
            tca_tv_put(&w, "flags", bad[k].flags);
            tca_tv_put(&w, "result", "invalid");
            tca_tv_put(&w, "error", bad[k].error);
            tca_tv_put_bytes(&w, "container", bad[k].f, bad[k].n);
            tca_tv_put_end(&w);
        }
        st = tca__tv_gen_add(g, &row, &w);
    }
    for (size_t k = 0; k < nbad; k++) free(bad[k].f);
    for (int m = 0; m < 2; m++) {
        free(orig[m]);
        tca_st_buffer_free(&comp[m]);
    }
    tca_tv_writer_free(&w);
    return st;
}
