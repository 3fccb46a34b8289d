/* SPDX-License-Identifier: Apache-2.0 */
/* GEMM vectors (spec/tca-test-vectors.md section 6): per profile, shapes from 1x1x1 to real layer
 * shapes, split-K factors including S >= 3, realistic and adversarial inputs drawn by recipe
 * (vectors 2.3). Every record carries the BF16 Y and the FP32 accumulator results Y_f32, inline
 * when small and as SHA-256 digests otherwise; W is identified by the SHA-256 of its stream. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tca/checksum.h"
#include "tca/gemm.h"
#include "tca/mma.h"
#include "tca/prng.h"
#include "tv/tv_gen.h"

#define GEMM_SEED 0x5443412d47454d31ull /* "TCA-GEM1" */
#define INLINE_MAX 4096u                 /* Y and Y_f32 inline up to this many outputs */

typedef struct gcase {
    uint64_t m, k, n;
    uint32_t s;
    const char *wrecipe, *xrecipe, *flags;
} gcase;

/* quick: small shapes, every N of the issue, ragged M and K, S up to 16 */
static const gcase quick_cases[] = {
    {1, 1, 1, 1, "weights", "act", "Tiny"},
    {16, 16, 1, 1, "smallint", "smallint", "Layout"},
    {64, 64, 8, 1, "weights", "act", "Weights"},
    {65, 63, 3, 1, "weights", "act", "Weights Ragged"},
    {100, 200, 17, 3, "weights", "act", "Weights Ragged SplitK"},
    {128, 256, 16, 1, "widerange", "widerange", "WideRange"},
    {128, 256, 16, 4, "widerange", "widerange", "WideRange SplitK"},
    {128, 256, 16, 3, "pairs", "negpairs", "Cancel SplitK"},
    {128, 256, 2, 3, "pairs", "nearpairs", "NearCancel SplitK"},
    {64, 1000, 2, 16, "weights", "act", "Weights Ragged SplitK"},
    {192, 640, 32, 5, "weights", "act", "Weights SplitK"},
    {192, 640, 32, 10, "smallint", "smallint", "Layout SplitK"},
    {128, 128, 64, 2, "specials", "act", "Specials SplitK"},
    {64, 192, 128, 3, "weights", "act", "Weights SplitK"},
    {130, 129, 9, 3, "pairs", "nearpairs", "NearCancel Ragged SplitK"},
    {96, 320, 17, 5, "widerange", "act", "WideRange SplitK"},
    {256, 512, 1, 8, "weights", "act", "Weights SplitK"},
    {80, 384, 3, 6, "pairs", "negpairs", "Cancel SplitK"},
    {64, 448, 8, 7, "widerange", "widerange", "WideRange SplitK"},
    {33, 70, 16, 2, "specials", "act", "Specials Ragged SplitK"},
    {50, 192, 3, 3, "weights", "act", "Weights Ragged SplitK"},
    {64, 64, 2, 1, "specials", "act", "Specials"},
    {24, 1024, 8, 11, "pairs", "nearpairs", "NearCancel Ragged SplitK"},
    {128, 96, 17, 2, "smallint", "smallint", "Layout Ragged SplitK"},
};

/* full: real layer shapes of Llama-3.1-8B (q/k/v fused 6144x4096, o 4096x4096, gate/up fused
 * 28672x4096, down 4096x14336) and ragged neighbours; results by digest. Sized so that the
 * reference computes each profile's file in about 20 s on one core. */
static const gcase full_cases[] = {
    {6144, 4096, 1, 1, "weights", "act", "Layer Weights"},
    {4096, 4096, 1, 3, "weights", "act", "Layer Weights SplitK"},
    {4096, 4096, 2, 7, "pairs", "nearpairs", "Layer NearCancel SplitK"},
    {28672, 4096, 1, 1, "weights", "act", "Layer Weights"},
    {4096, 14336, 1, 5, "weights", "act", "Layer Weights SplitK"},
    {4160, 4100, 3, 3, "specials", "act", "Layer Specials Ragged SplitK"},
    {1000, 3000, 17, 3, "weights", "act", "Weights Ragged SplitK"},
    {256, 1024, 128, 1, "smallint", "smallint", "Layout"},
    {1024, 1024, 32, 3, "widerange", "act", "WideRange SplitK"},
};

static const char *const gemm_notes[][2] = {
    {"Tiny", "1 x 1 x 1: one product, K padded to 64 with zero products"},
    {"Layout", "small integers: every partial sum exact, so a failure is data movement, not arithmetic"},
    {"Weights", "realistic weights N(0, 0.02^2) with 1/64 zeros against N(0,1) activations"},
    {"Ragged", "M or K not a multiple of 64 (padding, spec tca-tbe-format 5.1; mma-semantics 6.5)"},
    {"SplitK", "split-K factor S > 1: partition and FP32 reduction order (mma-semantics 6.3); S >= 3 "
               "shows the order"},
    {"WideRange", "exponents spread over +-40: FP32 results differ with F and with the step size"},
    {"Cancel", "w*x + w*(-x) pairs: exact cancellation, results +0"},
    {"NearCancel", "pairs that cancel up to one ulp: truncation residue decides the result"},
    {"Specials", "NaN (with payloads), +-Inf, -0, subnormals and the largest finite in W"},
    {"Layer", "a real Llama-3.1-8B layer shape"},
};

static tca_status put_results(tca_tv_writer *w, const uint16_t *y, const uint32_t *yf, uint64_t n)
{
    uint8_t d[32];
    if (n <= INLINE_MAX) {
        tca_tv_put_hex16(w, "Y", y, n);
        tca_tv_put_hex32(w, "Y_f32", yf, n, 8);
    } else {
        tca_tv_digest16(y, n, d);
        tca_tv_put_sha256(w, "Y", d);
        tca_tv_digest32(yf, n, d);
        tca_tv_put_sha256(w, "Y_f32", d);
    }
    return w->status;
}

/* One record into w (W as a layout v1 stream) and the same record into wf (W as a layout F
 * stream, vectors 6.5): the same inputs and results, only the digest of W differs. */
static void put_record(tca_tv_writer *w, const gcase *c, uint64_t id, uint64_t seed, const uint8_t *s, size_t sn,
                       const uint16_t *Y, const uint32_t *YF, uint64_t nm)
{
    uint8_t d[32];
    tca_tv_put_u64(w, "id", id);
    tca_tv_put(w, "flags", c->flags);
    tca_tv_put_u64(w, "M", c->m);
    tca_tv_put_u64(w, "K", c->k);
    tca_tv_put_u64(w, "N", c->n);
    tca_tv_put_u64(w, "S", c->s);
    tca_tv_put(w, "wrecipe", c->wrecipe);
    tca_tv_put(w, "xrecipe", c->xrecipe);
    tca_tv_put_x64(w, "seed", seed);
    tca_sha256(s, sn, d);
    tca_tv_put_sha256(w, "W", d);
    put_results(w, Y, YF, nm);
    tca_tv_put_end(w);
}

static tca_status one_case(tca_tv_writer *w, tca_tv_writer *wf, const tca_mma_profile *p, const gcase *c, uint64_t id,
                           uint64_t seed)
{
    uint64_t mk = c->m * c->k, nk = c->n * c->k, nm = c->n * c->m;
    uint16_t *W = malloc(mk * 2), *X = malloc(nk * 2), *Y = malloc(nm * 2);
    uint32_t *YF = malloc(nm * 4);
    uint8_t *s = NULL, *sf = NULL;
    size_t sn = 0, sfn = 0;
    tca_status st = (W && X && Y && YF) ? TCA_OK : TCA_ERROR_ALLOC;
    if (!st) st = tca_tv_fill_matrix(c->wrecipe, tca_prng_derive(seed, 1), W, c->m, c->k);
    if (!st) st = tca_tv_fill_matrix(c->xrecipe, tca_prng_derive(seed, 2), X, c->n, c->k);
    if (!st) st = tca__tv_encode_stream_layout(0, W, c->m, c->k, 0, &s, &sn);
    tca_tbe_view v;
    if (!st) st = tca_tbe_stream_parse(s, sn, &v);
    if (!st) st = tca_gemm_ref(&v, X, c->n, p, c->s, Y, YF);
    /* the layout F stream of the same W: Y is a function of W, not of its layout (spec 8.9) */
    if (!st) st = tca__tv_encode_stream_layout(1, W, c->m, c->k, 0, &sf, &sfn);
    if (!st) {
        put_record(w, c, id, seed, s, sn, Y, YF, nm);
        put_record(wf, c, id, seed, sf, sfn, Y, YF, nm);
        st = w->status ? w->status : wf->status;
    }
    free(W);
    free(X);
    free(Y);
    free(YF);
    free(s);
    free(sf);
    return st;
}

static void begin_file(tca_tv_writer *w, const tca_tv_manifest_row *row, const tca_mma_profile *p, int layout_f)
{
    tca__tv_gen_begin_layout(w, row, layout_f ? TCA_TV_FILES_1_1 : TCA_TV_FILES_1_0, layout_f);
    tca_tv_put(w, "op", "gemm.tca-tbe.bf16.f32acc");
    tca_tv_put(w, "arch", p->name);
    for (size_t i = 0; i < sizeof gemm_notes / sizeof gemm_notes[0]; i++) {
        char key[64];
        snprintf(key, sizeof key, "notes.%s", gemm_notes[i][0]);
        tca_tv_put(w, key, gemm_notes[i][1]);
    }
    tca_tv_put_end(w);
}

/* v1/gemm/<profile>/<name>.tv and its layout F twin v1/gemm/<profile>/f/<name>.tv (vectors 6.5) */
static tca_status gen_file(tca__tv_gen *g, const tca_mma_profile *p, const char *name, const char *level,
                           const gcase *cases, size_t n, uint64_t file_seed, const char *desc)
{
    char path[128], pathf[128], d2[200], d2f[200];
    snprintf(path, sizeof path, "v1/gemm/%s/%s.tv", p->name, name);
    snprintf(pathf, sizeof pathf, "v1/gemm/%s/f/%s.tv", p->name, name);
    snprintf(d2, sizeof d2, "%s on %s", desc, p->name);
    snprintf(d2f, sizeof d2f, "%s on %s, W in layout F", desc, p->name);
    tca_tv_manifest_row row, rowf;
    tca__tv_row(&row, path, "gemm", p->name, level, file_seed, n, d2);
    tca__tv_row(&rowf, pathf, "gemm", p->name, level, file_seed, n, d2f);
    tca_tv_writer w, wf;
    tca_tv_writer_init(&w, NULL);
    tca_tv_writer_init(&wf, NULL);
    begin_file(&w, &row, p, 0);
    begin_file(&wf, &rowf, p, 1);
    tca_status st = TCA_OK;
    for (size_t i = 0; i < n && !st; i++) {
        /* inputs depend on the case, not on the profile (vectors 6.2) */
        st = one_case(&w, &wf, p, &cases[i], i + 1, tca_prng_derive(file_seed, i + 1));
        if (st)
            fprintf(stderr, "tca gen: gemm %s case %zu (%llux%llux%llu S=%u): %s\n", path, i + 1,
                    (unsigned long long)cases[i].m, (unsigned long long)cases[i].k, (unsigned long long)cases[i].n,
                    cases[i].s, tca_status_name(st));
    }
    if (!st) st = tca__tv_gen_add(g, &row, &w);
    if (!st) st = tca__tv_gen_add(g, &rowf, &wf);
    tca_tv_writer_free(&w);
    tca_tv_writer_free(&wf);
    return st;
}

tca_status tca__tv_gen_gemm(tca__tv_gen *g)
{
    tca_status st = TCA_OK;
    for (int i = 0; i < tca_mma_profile_count() && !st; i++) {
        const tca_mma_profile *p = tca_mma_profile_at(i);
        st = gen_file(g, p, "small", "quick", quick_cases, sizeof quick_cases / sizeof quick_cases[0],
                      tca_prng_derive(GEMM_SEED, 1), "small GEMMs, inline results");
        if (!st && g->full)
            st = gen_file(g, p, "layers", "full", full_cases, sizeof full_cases / sizeof full_cases[0],
                          tca_prng_derive(GEMM_SEED, 2), "layer-shaped GEMMs, results by digest");
    }
    return st;
}
