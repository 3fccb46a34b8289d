/* SPDX-License-Identifier: Apache-2.0 */
/* The embedded default job's input: a deterministic Llama-like checkpoint (tca_prng, fixed seed).
 * Two decoder blocks of hidden size 512 (GQA: 8 query heads, 2 key/value heads of 64), MLP
 * 1376 (not a multiple of 64, so tile padding is exercised), vocabulary 4096, tied nothing:
 * embedding, q/k/v/o, gate/up/down, lm_head as 2-D BF16; norms as 1-D F32 and BF16; rotary
 * inverse frequencies as F32. Weights are Gaussian: sigma 0.02 for embedding and lm_head,
 * 1/sqrt(fan_in) for projections; norms 1 + N(0, 0.02). About 17 MB. */
#ifndef TCA_SAMPLE_CHECKPOINT_H
#define TCA_SAMPLE_CHECKPOINT_H
#include "tca/safetensors.h"

#define CLI_SAMPLE_SEED 0x73616D706C65ull /* "sample" */
/** Build the sample file into *out (out->alloc is used; out must start empty). */
tca_status cli_sample_checkpoint(tca_st_buffer *out);
#endif
