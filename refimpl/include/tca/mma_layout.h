/* SPDX-License-Identifier: Apache-2.0 */
/* Register-fragment layouts of the PTX instructions the project uses (spec/tca-mma-semantics.md
 * section 2), each given twice: as a closed form (a formula of lane and element index) and as a
 * written-out table (the PTX figure: for each matrix position, who holds it). check_mma_layout
 * proves that the two agree and are bijections.
 *
 * Conventions (spec mma-semantics 1, 2): lane = %laneid (0..31), g = lane >> 2, t = lane & 3. A
 * 16-bit element index e of a lane is 2 * register + half, where half 0 is bits 15:0 of the
 * 32-bit register (the lower-indexed element) and half 1 bits 31:16. An f32 accumulator element
 * index is the register number. Matrices are addressed (row, col); for B, row = k and col = n. */
#ifndef TCA_MMA_LAYOUT_H
#define TCA_MMA_LAYOUT_H
#include <stddef.h>
#include <stdint.h>
#include "tca/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The fragments of mma.sync.aligned.m16n8k{16,8}.row.col (spec 2.1, 2.2). */
typedef enum tca_mma_frag {
    TCA_MMA_FRAG_M16N8K16_A = 0, /* A 16 x 16 (bf16/f16), 4 registers a0..a7 */
    TCA_MMA_FRAG_M16N8K16_B = 1, /* B 16 x 8 (k x n), 2 registers b0..b3 */
    TCA_MMA_FRAG_M16N8K8_A = 2,  /* A 16 x 8, 2 registers a0..a3 */
    TCA_MMA_FRAG_M16N8K8_B = 3,  /* B 8 x 8 (k x n), 1 register b0..b1 */
    TCA_MMA_FRAG_C_F32 = 4,      /* C/D 16 x 8 with f32 accumulators, 4 registers c0..c3 */
    TCA_MMA_FRAG_C_F16 = 5,      /* C/D 16 x 8 with f16 accumulators, 2 registers c0..c3 */
    TCA_MMA_FRAG_COUNT = 6
} tca_mma_frag;

typedef struct tca_mma_frag_info {
    const char *name; /* "m16n8k16.A", ... */
    int rows, cols;   /* matrix shape (B: k x n) */
    int regs;         /* 32-bit registers per lane */
    int elems;        /* elements per lane: regs * 2 for 16-bit elements, regs for f32 */
} tca_mma_frag_info;

/** Shape of a fragment; NULL for an unknown one. */
const tca_mma_frag_info *tca_mma_frag_get_info(tca_mma_frag f);

/** Closed form (spec 2.1, 2.2): element `elem` of `lane` holds matrix position (*row, *col).
 *  @return TCA_ERROR_PARAM_INVALID for an unknown fragment or an index out of range. */
tca_status tca_mma_frag_coord(tca_mma_frag f, int lane, int elem, int *row, int *col);
/** Closed-form inverse: who holds (row, col). */
tca_status tca_mma_frag_owner(tca_mma_frag f, int row, int col, int *lane, int *elem);
/** The written-out table (spec 2.1, 2.2 tables): rows x cols entries, row-major, each
 *  lane * 8 + elem. NULL for an unknown fragment. */
const uint16_t *tca_mma_frag_table(tca_mma_frag f);

/* ------------------------------------------------------------------ ldmatrix (spec 2.3) */

/** ldmatrix.sync.aligned.m8n8.{x1,x2,x4}{.trans}.shared.b16: destination register j of every lane
 *  comes from 8 x 8 matrix j; its half `half` holds (*row, *col) of that matrix. Without .trans:
 *  row = lane >> 2, col = 2 (lane & 3) + half; with .trans the two are exchanged. */
tca_status tca_ldmatrix_coord(int trans, int lane, int half, int *row, int *col);
/** Which lane supplies the address of row `row` of matrix `matrix`: 8 * matrix + row. */
int tca_ldmatrix_address_lane(int matrix, int row);
/** Written-out table for one 8 x 8 matrix: 64 entries [row][col] = lane * 2 + half. */
const uint16_t *tca_ldmatrix_table(int trans);
/** Execute one ldmatrix for a warp. smem: 16-bit elements (smem_elems of them); row_offset[l]:
 *  the element offset of the 16-byte row address supplied by lane l (lanes 0..8*count-1 used;
 *  each row is 8 consecutive elements and must lie inside smem); count: 1, 2 or 4. out[l][j] is
 *  destination register j of lane l (j < count; others untouched).
 *  @return TCA_ERROR_PARAM_NULL, TCA_ERROR_PARAM_INVALID (count), TCA_ERROR_PARAM_SHAPE (a row
 *  outside smem). */
tca_status tca_ldmatrix(const uint16_t *smem, size_t smem_elems, const uint64_t row_offset[32], int count,
                        int trans, uint32_t out[32][4]);

/* ---------------------------------------------------------------- wgmma (spec 2.4) */

/** wgmma.mma_async m64nNk16, N = 8..256 a multiple of 8. thread = 32 * warp + lane (0..127) in the
 *  warpgroup. D/C with f32 accumulators: element i < N/2 of thread -> (row 0..63, col 0..N-1):
 *  row = 16 w + g + 8 ((i >> 1) & 1), col = 8 (i >> 2) + 2 t + (i & 1). */
tca_status tca_wgmma_d_coord(int n, int thread, int i, int *row, int *col);
tca_status tca_wgmma_d_owner(int n, int row, int col, int *thread, int *i);
/** A from registers (the RS form): element i < 8 of thread -> (row 0..63, col 0..15):
 *  the m16n8k16 A layout shifted by 16 w rows. */
tca_status tca_wgmma_a_coord(int thread, int i, int *row, int *col);
tca_status tca_wgmma_a_owner(int row, int col, int *thread, int *i);
/** Table form of D, built by composition (not from the closed form): warp w's 16-row band, n8
 *  tile j, placed with the m16n8 C f32 table. owner[row * n + col] = thread * 256 + i.
 *  owner must hold 64 * n entries. */
tca_status tca_wgmma_d_table(int n, uint32_t *owner);
/** Table form of A from registers by composition: owner[row * 16 + col] = thread * 256 + i
 *  (64 * 16 entries). */
tca_status tca_wgmma_a_table(uint32_t *owner);

#ifdef __cplusplus
}
#endif
#endif
