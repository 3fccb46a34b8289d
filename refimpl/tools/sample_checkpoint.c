/* SPDX-License-Identifier: Apache-2.0 */
/* Deterministic Llama-like sample checkpoint for `tca run` (see sample_checkpoint.h). */
#include "sample_checkpoint.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "common/le.h"
#include "tca/bf16.h"
#include "tca/prng.h"

enum { HIDDEN = 512, HEADS = 8, KV_HEADS = 2, HEAD_DIM = 64, MLP = 1376, VOCAB = 4096, LAYERS = 2 };

typedef enum fill { FILL_GAUSS, FILL_NORM, FILL_ROPE } fill;

typedef struct spec {
    char name[64];
    tca_st_dtype dtype;
    unsigned rank;
    uint64_t shape[2];
    fill how;
    double sigma;
} spec;

static size_t make_specs(spec *s)
{
    size_t n = 0;
#define ADD2(nm, r, c, sg)                                                                    \
    do {                                                                                      \
        spec *x_ = &s[n++];                                                                   \
        memset(x_, 0, sizeof *x_);                                                            \
        snprintf(x_->name, sizeof x_->name, "%s", nm);                                        \
        x_->dtype = TCA_ST_BF16;                                                              \
        x_->rank = 2;                                                                         \
        x_->shape[0] = (r);                                                                   \
        x_->shape[1] = (c);                                                                   \
        x_->how = FILL_GAUSS;                                                                 \
        x_->sigma = (sg);                                                                     \
    } while (0)
#define ADD1(nm, len, dt, h)                                                                  \
    do {                                                                                      \
        spec *x_ = &s[n++];                                                                   \
        memset(x_, 0, sizeof *x_);                                                            \
        snprintf(x_->name, sizeof x_->name, "%s", nm);                                        \
        x_->dtype = (dt);                                                                     \
        x_->rank = 1;                                                                         \
        x_->shape[0] = (len);                                                                 \
        x_->how = (h);                                                                        \
    } while (0)
    char nm[64];
    ADD2("model.embed_tokens.weight", VOCAB, HIDDEN, 0.02);
    for (int l = 0; l < LAYERS; l++) {
        const double s_h = 1.0 / sqrt((double)HIDDEN), s_m = 1.0 / sqrt((double)MLP);
#define P(fmt) (snprintf(nm, sizeof nm, "model.layers.%d." fmt, l), nm)
        ADD1(P("input_layernorm.weight"), HIDDEN, TCA_ST_BF16, FILL_NORM);
        ADD2(P("self_attn.q_proj.weight"), HEADS * HEAD_DIM, HIDDEN, s_h);
        ADD2(P("self_attn.k_proj.weight"), KV_HEADS * HEAD_DIM, HIDDEN, s_h);
        ADD2(P("self_attn.v_proj.weight"), KV_HEADS * HEAD_DIM, HIDDEN, s_h);
        ADD2(P("self_attn.o_proj.weight"), HIDDEN, HEADS * HEAD_DIM, s_h);
        ADD1(P("self_attn.rotary_emb.inv_freq"), HEAD_DIM / 2, TCA_ST_F32, FILL_ROPE);
        ADD1(P("post_attention_layernorm.weight"), HIDDEN, TCA_ST_F32, FILL_NORM);
        ADD2(P("mlp.gate_proj.weight"), MLP, HIDDEN, s_h);
        ADD2(P("mlp.up_proj.weight"), MLP, HIDDEN, s_h);
        ADD2(P("mlp.down_proj.weight"), HIDDEN, MLP, s_m);
#undef P
    }
    ADD1("model.norm.weight", HIDDEN, TCA_ST_BF16, FILL_NORM);
    ADD2("lm_head.weight", VOCAB, HIDDEN, 0.02);
#undef ADD1
#undef ADD2
    return n;
}

tca_status cli_sample_checkpoint(tca_st_buffer *out)
{
    spec specs[64];
    size_t n = make_specs(specs);
    tca_st_builder *b;
    tca_status st = tca_st_builder_new(out->alloc, &b);
    if (st != TCA_OK) return st;
    st = tca_st_builder_meta(b, "format", "pt", 2);
    for (size_t i = 0; st == TCA_OK && i < n; i++)
        st = tca_st_builder_tensor(b, specs[i].name, specs[i].dtype, specs[i].rank, specs[i].shape);
    uint8_t *prefix = NULL;
    size_t prefix_len = 0;
    uint64_t data_size = 0;
    if (st == TCA_OK) st = tca_st_builder_finish(b, &prefix, &prefix_len, &data_size);
    tca_st_builder_free(b);
    if (st == TCA_OK) st = tca_st_sink_buffer(out, prefix, prefix_len);
    tca_free(out->alloc, prefix);
    for (size_t i = 0; st == TCA_OK && i < n; i++) {
        const spec *s = &specs[i];
        /* one independent stream per tensor, so each tensor's values do not depend on the others */
        tca_prng r;
        tca_prng_seed(&r, tca_prng_derive(CLI_SAMPLE_SEED, i));
        uint64_t count = s->rank == 2 ? s->shape[0] * s->shape[1] : s->shape[0];
        for (uint64_t e = 0; st == TCA_OK && e < count; e++) {
            double v;
            if (s->how == FILL_GAUSS)
                v = s->sigma * tca_prng_normal(&r);
            else if (s->how == FILL_NORM)
                v = 1.0 + 0.02 * tca_prng_normal(&r);
            else /* decreasing rotary-like frequencies; one IEEE division, so exactly reproducible */
                v = 1.0 / (1.0 + (double)e);
            uint8_t bytes[4];
            size_t len;
            if (s->dtype == TCA_ST_BF16) {
                tca__st16(bytes, tca_bf16_from_double_rne(v));
                len = 2;
            } else {
                tca__st32(bytes, tca_f32_from_double_rne(v));
                len = 4;
            }
            st = tca_st_sink_buffer(out, bytes, len);
        }
    }
    return st;
}
