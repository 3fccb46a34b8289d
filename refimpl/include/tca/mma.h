/* SPDX-License-Identifier: Apache-2.0 */
/* Warp-level MMA emulator: NVIDIA tensor-core arithmetic reproduced bit for bit
 * (spec/tca-mma-semantics.md). Context-free: every function takes its profile explicitly;
 * there is no global state. Values are raw bit patterns. */
#ifndef TCA_MMA_H
#define TCA_MMA_H
#include <stdint.h>
#include "tca/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which rules of a profile were verified on hardware (spec tca-mma-semantics 4.x). */
#define TCA_MMA_VERIFIED_F (1u << 0)            /* F and the block size */
#define TCA_MMA_VERIFIED_SPLIT (1u << 1)        /* how a k16 instruction splits into steps */
#define TCA_MMA_VERIFIED_FLOOR_F32 (1u << 2)    /* FLOOR for f32 accumulators */
#define TCA_MMA_VERIFIED_FLOOR_F16 (1u << 3)    /* FLOOR for f16 accumulators (bounded only) */
#define TCA_MMA_VERIFIED_ZERO_RULES (1u << 4)   /* zero products and c = +-0 leave E_max alone */
#define TCA_MMA_VERIFIED_PLUS_ZERO (1u << 5)    /* zero results are +0 */
#define TCA_MMA_VERIFIED_NAN (1u << 6)          /* canonical NaN */

/** An arithmetic profile (spec tca-mma-semantics 3). The named profiles are constants; tests and
 *  mutants may build modified copies (e.g. F - 1) to show that vectors discriminate. */
typedef struct tca_mma_profile {
    const char *name;     /* "sm80", "sm86", "sm89", "sm90", "sm100", "sm120" */
    int frac_bits;        /* F: fractional bits kept below 2^E_max (24 Ampere/Ada, 25 Hopper+) */
    int block_products;   /* products per fused step: 8 (Ampere/Ada) or 16 (Hopper+) */
    int floor_f32;        /* FLOOR with an f32 accumulator: -132 / -133 */
    int floor_f16;        /* FLOOR with an f16 accumulator: -20 / -21 */
    uint32_t verified;    /* TCA_MMA_VERIFIED_* */
} tca_mma_profile;

/** Named profiles; NULL for an unknown name. */
const tca_mma_profile *tca_mma_profile_by_name(const char *name);
/** The i-th named profile (i = 0..tca_mma_profile_count()-1), in the order sm80, sm86, sm89,
 *  sm90, sm100, sm120. */
int tca_mma_profile_count(void);
const tca_mma_profile *tca_mma_profile_at(int i);
/** TCA_OK if p can be used by the emulator: frac_bits 0..40, block_products 1..16, floors in
 *  -400..400 (bounds that keep the step's int64 arithmetic exact); TCA_ERROR_PARAM_NULL or
 *  TCA_ERROR_PARAM_PROFILE otherwise. Modified copies (mutants) should be checked with this. */
tca_status tca_mma_profile_validate(const tca_mma_profile *p);

typedef enum tca_mma_input { TCA_MMA_IN_BF16 = 0, TCA_MMA_IN_F16 = 1 } tca_mma_input;
typedef enum tca_mma_acc { TCA_MMA_ACC_F32 = 0, TCA_MMA_ACC_F16 = 1 } tca_mma_acc;

/** One fused step (spec tca-mma-semantics 3.1): n products (0..16) plus c, f32 accumulator.
 *  a, b: n input patterns of type `in`; c and the result: binary32 patterns.
 *  An invalid call (profile failing tca_mma_profile_validate, n outside 0..16, NULL arrays with
 *  n > 0, unknown `in`) returns the canonical NaN 0x7FFFFFFF. */
uint32_t tca_mma_step_f32(const tca_mma_profile *p, tca_mma_input in, const uint16_t *a, const uint16_t *b, int n,
                          uint32_t c);
/** One fused step with an f16 accumulator (f16 inputs only; spec 3.3): c and the result are
 *  binary16. An invalid call returns the canonical f16 NaN 0x7FFF. */
uint16_t tca_mma_step_f16(const tca_mma_profile *p, const uint16_t *a, const uint16_t *b, int n, uint16_t c);

/** The k-chunk of one instruction (k = 8 or 16) as the profile chains steps (spec 3.2): sm90 one
 *  step of 16; sm80/86/89 two steps of 8 (k 0..7 with c first, then k 8..15). In general: steps
 *  over consecutive chunks of p->block_products elements in increasing k (the last one shorter
 *  when k is not a multiple), each step's output the next one's c; k = 0 returns c unchanged.
 *  Invalid calls return the canonical NaN of the accumulator format. */
uint32_t tca_mma_dot_f32(const tca_mma_profile *p, tca_mma_input in, const uint16_t *a, const uint16_t *b, int k,
                         uint32_t c);
uint16_t tca_mma_dot_f16(const tca_mma_profile *p, const uint16_t *a, const uint16_t *b, int k, uint16_t c);

/** IEEE binary32 addition x + y, round to nearest even, subnormals kept, any NaN result is
 *  0x7FFFFFFF (what fadd gives on NVIDIA GPUs). Used for split-K reduction. */
uint32_t tca_f32_add_rne(uint32_t x, uint32_t y);

/* ------------------------------------------------------------ instructions (spec 2 and 3.2) */

typedef enum tca_mma_shape { TCA_MMA_M16N8K16 = 0, TCA_MMA_M16N8K8 = 1 } tca_mma_shape;

typedef struct tca_mma_op {
    tca_mma_shape shape;
    tca_mma_input in;  /* A and B type */
    tca_mma_acc acc;   /* C and D type (F16 only with F16 inputs) */
} tca_mma_op;

/** Execute one mma.sync.aligned.m16n8k{16,8}.row.col for a warp (spec 2.1, 2.2, 3.2).
 *  a[lane][0..3] (k8: 0..1), b[lane][0..1] (k8: 0), c/d[lane][0..3] (f16 accumulators: 0..1) are
 *  the 32-bit registers exactly as a kernel holds them: of two 16-bit elements the lower-indexed
 *  one is in bits 15:0. Registers beyond those listed are neither read nor written; d may be c.
 *  @return TCA_ERROR_PARAM_NULL, TCA_ERROR_PARAM_PROFILE (profile fails validation),
 *  TCA_ERROR_PARAM_INVALID for an unsupported op (e.g. bf16 inputs with f16 acc). */
tca_status tca_mma_sync(const tca_mma_profile *p, tca_mma_op op, const uint32_t a[32][4], const uint32_t b[32][2],
                        const uint32_t c[32][4], uint32_t d[32][4]);
/** Tile-level convenience: A 16 x K row-major, B K x 8 row-major (B[k][n]), C and D 16 x 8
 *  row-major (binary32 patterns, or binary16 in the low 16 bits for f16 accumulators: the upper
 *  16 bits of C are ignored and those of D are written as 0). Each output is one tca_mma_dot
 *  over k = 0..K-1 starting from its C. D may be C. Errors as tca_mma_sync. */
tca_status tca_mma_tile(const tca_mma_profile *p, tca_mma_op op, const uint16_t *A, const uint16_t *B,
                        const uint32_t *C, uint32_t *D);

/* --------------------------------------------------------------- wgmma (spec 2.4 and 3.2) */

/** wgmma.mma_async.sync.aligned.m64nNk16.f32.{bf16,f16}.{bf16,f16} at tile level: N = 8..256, a
 *  multiple of 8; A 64 x 16 row-major, B 16 x N row-major (B[k][n]), C and D 64 x N row-major
 *  binary32. Four warps, each output one tca_mma_dot_f32 over k = 0..15 from its C: the same
 *  numerics as mma.sync per k16 (verified on an H200 for N = 8 with the sm90 profile; wgmma only
 *  exists on sm_90a, other profiles give their own k16 numerics). D may be C.
 *  @return TCA_ERROR_PARAM_NULL, TCA_ERROR_PARAM_PROFILE, TCA_ERROR_PARAM_SHAPE (N),
 *  TCA_ERROR_PARAM_INVALID (input type). */
tca_status tca_wgmma_tile(const tca_mma_profile *p, tca_mma_input in, int n, const uint16_t *A, const uint16_t *B,
                          const uint32_t *C, uint32_t *D);
/** The same with A from registers (the RS form, spec 2.4): a[thread][0..3] for the 128 threads of
 *  the warpgroup (thread = 32 * warp + lane); B as in tca_wgmma_tile (it comes from shared
 *  memory through a descriptor, whose layouts are outside this function); c and d hold
 *  128 x (N/2) registers, d[thread * (N/2) + i]. d may be c. */
tca_status tca_wgmma_rs(const tca_mma_profile *p, tca_mma_input in, int n, const uint32_t a[128][4],
                        const uint16_t *B, const uint32_t *c, uint32_t *d);

#ifdef __cplusplus
}
#endif
#endif
