/* SPDX-License-Identifier: Apache-2.0 */
/* The named arithmetic profiles (spec tca-mma-semantics 4). Constants only: there is no global
 * state, every emulator function takes its profile explicitly.
 *
 * Where each number comes from (numerics reference sections 2 and 5):
 *  - sm90 (Hopper H100/H200): F = 25, one 16-product step per k16 instruction, FLOOR -133 with
 *    an f32 accumulator, the zero-product and c = +-0 rules, +0 for zero results and the NaN
 *    patterns were verified on an NVIDIA H200 (27.6 M outputs, 0 mismatches). The f16-accumulator
 *    FLOOR is only bounded (<= -19); -21 is the Khattak-Mikaitis value.
 *  - sm80/sm86/sm89 (Ampere, Ada): F = 24 and block size 8 checked offline against published
 *    hardware samples (KM, A100/A2/Ada/L40S). The 2 x 8 split, FLOOR -132/-20, the zero rules
 *    and +0 are taken from the published models and the Hopper findings: NOT hardware-verified.
 *  - sm100/sm120 (Blackwell): the published model (F = 25, block 16, -133, -21); not verified by
 *    the project. */
#include <string.h>
#include "tca/mma.h"

/* spec mma-semantics 4: what the project verified on an H200 for sm90. */
#define SM90_VERIFIED                                                                                       \
    (TCA_MMA_VERIFIED_F | TCA_MMA_VERIFIED_SPLIT | TCA_MMA_VERIFIED_FLOOR_F32 | TCA_MMA_VERIFIED_ZERO_RULES | \
     TCA_MMA_VERIFIED_PLUS_ZERO | TCA_MMA_VERIFIED_NAN)
/* Ampere/Ada: only F and the block size, from published hardware samples. */
#define AMPERE_ADA_VERIFIED (TCA_MMA_VERIFIED_F)

static const tca_mma_profile profiles[] = {
    {"sm80", 24, 8, -132, -20, AMPERE_ADA_VERIFIED},
    {"sm86", 24, 8, -132, -20, AMPERE_ADA_VERIFIED},
    {"sm89", 24, 8, -132, -20, AMPERE_ADA_VERIFIED},
    {"sm90", 25, 16, -133, -21, SM90_VERIFIED},
    {"sm100", 25, 16, -133, -21, 0u},
    {"sm120", 25, 16, -133, -21, 0u},
};

int tca_mma_profile_count(void) { return (int)(sizeof profiles / sizeof profiles[0]); }

const tca_mma_profile *tca_mma_profile_at(int i)
{
    if (i < 0 || i >= tca_mma_profile_count()) return NULL;
    return &profiles[i];
}

const tca_mma_profile *tca_mma_profile_by_name(const char *name)
{
    if (name == NULL) return NULL;
    for (int i = 0; i < tca_mma_profile_count(); i++)
        if (strcmp(profiles[i].name, name) == 0) return &profiles[i];
    return NULL;
}
