/* SPDX-License-Identifier: Apache-2.0 */
/* tca CUDA kernels: the standalone TCA-TBE decompressor and ZipGEMM (fused decode + mma.sync
 * GEMM) under the GEMM contract of spec/tca-mma-semantics.md section 6, for both layouts: v1
 * (spec 6) and F (spec 8). One opaque matrix type serves both; decompress, gemm, workspace and
 * split-K functions dispatch on its layout and give bit-identical results for the same matrix.
 *
 * A compressed matrix lives on the device as its arrays (v1: seven; F: strips, exceptions,
 * exception offsets), each in its own cudaMalloc buffer (so every array is 256-byte aligned).
 * tca_cuda_matrix_upload / _upload_f validate the arrays on the host (tca_tbe_validate, spec 7.1;
 * tca_tbe_f_validate, spec 8.8) before copying them, so the kernels only ever see valid data;
 * the kernels still bound every read by the array lengths and report inconsistencies through an
 * error word (tca_cuda_matrix_check) instead of reading out of bounds.
 *
 * Every function returns a tca_status. Device pointers are plain pointers; `stream` is a
 * cudaStream_t passed as void * so that this header needs no CUDA header. */
#ifndef TCA_CUDA_H
#define TCA_CUDA_H
#include <stddef.h>
#include <stdint.h>
#include "tca/status.h"
#include "tca/tbe.h"
#include "tca/tbe_f.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A TCA-TBE matrix (layout v1 or F) resident on the device (opaque). */
typedef struct tca_cuda_matrix tca_cuda_matrix;

/** Validate a host view (tca_tbe_validate) and copy its arrays to the current device.
 *  @return TCA_OK and *out, a TCA_ERROR_FORMAT_* code (nothing allocated), TCA_ERROR_PARAM_NULL,
 *          TCA_ERROR_PARAM_LAYOUT (not layout v1), TCA_ERROR_ALLOC or TCA_ERROR_UNSUPPORTED (no
 *          usable device). */
tca_status tca_cuda_matrix_upload(const tca_tbe_view *v, tca_cuda_matrix **out);
/** Layout F (spec 8): validate a host view (tca_tbe_f_validate) and copy its three arrays to the
 *  current device. @return as tca_cuda_matrix_upload (no TCA_ERROR_PARAM_LAYOUT: the view type
 *  says the layout). */
tca_status tca_cuda_matrix_upload_f(const tca_tbe_f_view *v, tca_cuda_matrix **out);
void tca_cuda_matrix_free(tca_cuda_matrix *m);
/** Layout of an uploaded matrix (TCA_LAYOUT_V1 for NULL). */
tca_layout tca_cuda_matrix_layout(const tca_cuda_matrix *m);
/** Header of the uploaded matrix (shape, base, maxima, lengths). For layout F: layout, rows,
 *  cols, base and the checksum fields; the v1-only maxima and lengths are 0. NULL if m is NULL. */
const tca_tbe_header *tca_cuda_matrix_header(const tca_cuda_matrix *m);
/** Bytes of the device arrays (v1: bitmaps, TOM, TOG, SignMantissa, Full; F: strips,
 *  exceptions, exception offsets). */
uint64_t tca_cuda_matrix_bytes(const tca_cuda_matrix *m);
/** Synchronise and read the device error word that kernels set when an array disagrees with
 *  its offsets (cannot happen for uploaded, validated data). TCA_OK if none was seen, else the
 *  FORMAT code (v1: TOM/COUNTS; F: EXCEPTIONS/COUNTS) of the first kind seen; the word is then
 *  cleared. */
tca_status tca_cuda_matrix_check(tca_cuda_matrix *m);

/** Decompress W into dst (device, row-major rows x cols BF16, dst_elems >= rows*cols), bit for
 *  bit equal to tca_tbe_decode (v1) or tca_tbe_f_decode (F). Asynchronous on `stream`.
 *  @return TCA_OK, TCA_ERROR_PARAM_NULL, TCA_ERROR_PARAM_DST_TOO_SMALL, TCA_ERROR_INTERNAL (launch
 *          failure). */
tca_status tca_cuda_decompress(const tca_cuda_matrix *w, uint16_t *dst, uint64_t dst_elems, void *stream);

/** Workspace bytes tca_cuda_gemm needs for n rows of X and split factor split_k (0 = the automatic
 *  choice for this device). 0 when no workspace is needed (split_k = 1). */
tca_status tca_cuda_gemm_workspace_size(const tca_cuda_matrix *w, uint64_t n, uint32_t split_k, size_t *bytes);
/** The split-K factor tca_cuda_gemm uses when passed 0 (depends on the device's SM count). */
uint32_t tca_cuda_gemm_auto_split(const tca_cuda_matrix *w, uint64_t n);

/** ZipGEMM under the GEMM contract (mma-semantics 6): Y[n][m] = sum_k W[m][k] X[n][k].
 *  x: device, n x cols row-major BF16. y: device, n x rows row-major BF16 (may be NULL if y_f32 is
 *  given). y_f32: device, n x rows binary32 patterns of the value before the final BF16 rounding
 *  (may be NULL). split_k: 1..ceil(cols/64), or 0 for the automatic choice. workspace: device,
 *  tca_cuda_gemm_workspace_size bytes, or NULL (then it is allocated stream-ordered).
 *  Bit-exact with tca_gemm_ref for the sm90 profile on sm_90 and for the sm80 profile on sm_80/86
 *  (both use the standard m16n8k16 k order). Asynchronous on `stream`. Layout F on sm_90 is
 *  launched with programmatic dependent launch: it may start while the previous kernel in
 *  `stream` finishes (staging W, which must not change while the call is queued), but it reads
 *  x and writes y, y_f32 and the workspace only after that kernel has completed and its memory
 *  is visible (TCA_CUDA_F_PDL=0 in the environment: a plain launch).
 *  @return TCA_OK, TCA_ERROR_PARAM_NULL, TCA_ERROR_PARAM_SHAPE (n = 0, n > 65535*64 = 4194240 or
 *          the workspace size overflows),
 *          TCA_ERROR_PARAM_SPLIT_K, TCA_ERROR_PARAM_DST_TOO_SMALL (ws_bytes too small),
 *          TCA_ERROR_ALLOC, TCA_ERROR_INTERNAL. */
tca_status tca_cuda_gemm(const tca_cuda_matrix *w, const uint16_t *x, uint64_t n, uint32_t split_k, uint16_t *y,
                         uint32_t *y_f32, void *workspace, size_t ws_bytes, void *stream);

/** Large-N path: decompress W into dense_w (device, rows*cols BF16, or NULL to allocate it
 *  stream-ordered), then cuBLAS BF16 GEMM with FP32 accumulation. NOT bit-exact under the GEMM
 *  contract (cuBLAS chooses its own k order); for prefill-sized n, where the fused kernel's
 *  per-N-block re-decoding costs more than one decompression (switch point in
 *  docs/performance-gpu.md, TCA_CUDA_LARGE_N_THRESHOLD).
 *  @return as tca_cuda_gemm, plus TCA_ERROR_UNSUPPORTED if cuBLAS fails to initialise. */
tca_status tca_cuda_gemm_dense(const tca_cuda_matrix *w, const uint16_t *x, uint64_t n, uint16_t *y,
                               uint16_t *dense_w, void *stream);

/** n at or above which tca_cuda_gemm_any uses the large-N path (measured on H100: the fused
 *  kernel wins at N = 32 on all eight Llama shapes, decompress + cuBLAS at N = 64). */
#define TCA_CUDA_LARGE_N_THRESHOLD 64u
/** tca_cuda_gemm (split_k auto) for n < TCA_CUDA_LARGE_N_THRESHOLD, else tca_cuda_gemm_dense
 *  (then not contract-exact). */
tca_status tca_cuda_gemm_any(const tca_cuda_matrix *w, const uint16_t *x, uint64_t n, uint16_t *y, void *stream);

#ifdef __cplusplus
}
#endif
#endif
