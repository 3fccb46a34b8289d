/* SPDX-License-Identifier: Apache-2.0 */
/* Internal pieces of the reference ZipGEMM (spec mma-semantics 6, spec 7.3), visible to the
 * tests: decoding one global tile into mma A fragments with the lane mapping a kernel uses, and
 * the two ways of executing those fragments. */
#ifndef TCA_GEMM_INTERNAL_H
#define TCA_GEMM_INTERNAL_H
#include <stdint.h>
#include "tca/gemm.h"

/* A fragments of one 64 x 64 global tile: frag[med][s][lane][r] is A register r of `lane` for
 * k16 slice s of median tile med (= warp med of the kernel's 4-warp CTA), holding the BF16 pair
 * (even column in bits 15:0) of small tile j = 4s + r (tca-tbe-layout 9, spec 7.3). */
typedef uint32_t tca__gemm_tile_fragments[4][4][32][4];

/** Decode global tile g of a VALIDATED layout-v1 view into A fragments: per lane, positions
 *  p = 2*lane and 2*lane + 1 of each small tile (spec 7.2, 7.3). */
void tca__gemm_decode_global_tile(const tca_tbe_view *w, uint64_t g, tca__gemm_tile_fragments frag);

/** Write the 64 x 64 row-major tile that a set of fragments holds, using the PTX m16n8k16 A
 *  register layout (numerics reference 6.1): register i of lane l holds A[g + 8(i & 1)]
 *  [2t + 8(i >> 1) + {0, 1}] of its 16 x 16 slice, g = l >> 2, t = l & 3. */
void tca__gemm_fragments_to_tile(const tca__gemm_tile_fragments frag, uint16_t tile[64][64]);

/** How tca__gemm_ref_exec executes the decoded fragments. Both give the same bits: per output,
 *  the same chain of tca_mma_dot_f32 calls. */
typedef enum tca__gemm_exec {
    TCA__GEMM_EXEC_DOT = 0,      /* fragments -> 64 x 64 tile rows -> tca_mma_dot_f32 per output */
    TCA__GEMM_EXEC_MMA_SYNC = 1  /* warp-level tca_mma_sync per (median tile, slice, n8 group),
                                    B and C fragments built as a kernel builds them */
} tca__gemm_exec;

/** The compressed path over the 64-row strips [strip_begin, strip_end) of W (UINT64_MAX as
 *  strip_end: to the last strip). */
tca_status tca__gemm_ref_exec(const tca_tbe_view *w, const uint16_t *x, uint64_t n, const tca_mma_profile *p,
                              uint32_t split_k, uint64_t strip_begin, uint64_t strip_end, uint16_t *y,
                              uint32_t *y_f32, tca__gemm_exec exec);

/** Number of 64-wide K tiles, T = ceil(K/64) (spec mma-semantics 6.3). */
static inline uint64_t tca__gemm_k_tiles(uint64_t k) { return k / 64u + (k % 64u != 0); }

/** Shared parameter checks of both paths: x, p non-NULL, m, n, k >= 1, n * m and n * k
 *  addressable, 1 <= split_k <= T. */
tca_status tca__gemm_check_params(uint64_t m, uint64_t k, const uint16_t *x, uint64_t n, const tca_mma_profile *p,
                                  uint32_t split_k);
#endif
