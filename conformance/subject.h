/* SPDX-License-Identifier: Apache-2.0 */
/* The conformance subject ABI (docs/conformance.md).
 *
 * A subject is a shared library that `tca-conform SUBJECT.so` loads with dlopen(). It exports the
 * C functions below (plain C, no tca headers needed, no C++ name mangling). The runner feeds it
 * vectors from vectors/ and compares bit patterns.
 *
 * Data:
 *   - All values are raw bit patterns: BF16/binary16 as uint16_t, binary32 as uint32_t.
 *   - Matrices are row-major. W is a TCA-TBE standalone stream (spec/tca-tbe-format.md 3, 6.8),
 *     passed as bytes exactly as stored, so the subject itself parses and validates it.
 *   - GEMM: X is N x K BF16, Y is N x M BF16 (Y = X * W^T, PyTorch Linear), y_f32 is N x M
 *     binary32: the value r before the final BF16 rounding (spec/tca-mma-semantics.md 6.4).
 *
 * Ownership: every pointer argument is owned by the runner and valid only during the call; the
 * subject never frees or keeps it. Strings in tca_subject_info are owned by the subject and must
 * stay valid until tca_subject_fini.
 *
 * Threading: the runner calls the functions of one context from one thread at a time and never
 * concurrently. A subject may use any threads or devices internally, but every call is
 * synchronous: outputs are complete when it returns.
 *
 * Errors: every function returns an int, TCA_SUBJECT_OK (0) or one of TCA_SUBJECT_E*. */
#ifndef TCA_CONFORMANCE_SUBJECT_H
#define TCA_CONFORMANCE_SUBJECT_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TCA_SUBJECT_ABI_VERSION 1

/* Return codes. */
#define TCA_SUBJECT_OK 0
#define TCA_SUBJECT_EREJECT 1      /* the input stream is malformed and was rejected (no output) */
#define TCA_SUBJECT_EUNSUPPORTED 2 /* valid input the subject does not handle (shape, layout, S...) */
#define TCA_SUBJECT_EPARAM 3       /* bad argument (NULL pointer, unknown profile, S out of range) */
#define TCA_SUBJECT_EINTERNAL 4    /* anything else: device error, out of memory */

/* Capability bits (tca_subject_info.caps). A vector needing an undeclared capability is reported
 * as skipped, never as passed. */
#define TCA_SUBJECT_CAP_DECOMPRESS (1u << 0) /* tca_subject_decompress */
#define TCA_SUBJECT_CAP_VALIDATE (1u << 1)   /* decompress rejects every malformed stream (EREJECT) */
#define TCA_SUBJECT_CAP_GEMM (1u << 2)       /* tca_subject_gemm with y (BF16 output) */
#define TCA_SUBJECT_CAP_GEMM_F32 (1u << 3)   /* tca_subject_gemm also fills y_f32 when non-NULL */
#define TCA_SUBJECT_CAP_MMA (1u << 4)        /* tca_subject_mma (one warp-level mma.sync tile) */
#define TCA_SUBJECT_CAP_CONTAINER (1u << 5)  /* tca_subject_container_decompress (optional) */

/* Layout bits (tca_subject_info.layouts): bit (1u << Layout byte of the stream header). */
#define TCA_SUBJECT_LAYOUT_V1 (1u << 0)
#define TCA_SUBJECT_LAYOUT_F (1u << 1)

/* MMA op bits for tca_subject_info.mma_ops and tca_subject_mma's op (the .tv `op` strings). */
#define TCA_SUBJECT_MMA_M16N8K16_F32_BF16 (1u << 0) /* mma.m16n8k16.row.col.f32.bf16.bf16.f32 */
#define TCA_SUBJECT_MMA_M16N8K16_F32_F16 (1u << 1)  /* mma.m16n8k16.row.col.f32.f16.f16.f32 */
#define TCA_SUBJECT_MMA_M16N8K16_F16_F16 (1u << 2)  /* mma.m16n8k16.row.col.f16.f16.f16.f16 */
#define TCA_SUBJECT_MMA_M16N8K8_F32_BF16 (1u << 3)  /* mma.m16n8k8.row.col.f32.bf16.bf16.f32 */
#define TCA_SUBJECT_MMA_M16N8K8_F32_F16 (1u << 4)   /* mma.m16n8k8.row.col.f32.f16.f16.f32 */
#define TCA_SUBJECT_MMA_M16N8K8_F16_F16 (1u << 5)   /* mma.m16n8k8.row.col.f16.f16.f16.f16 */

typedef struct tca_subject_info {
    uint32_t abi_version;  /* TCA_SUBJECT_ABI_VERSION */
    const char *name;      /* e.g. "tca-refimpl", "tca-cuda" */
    const char *version;   /* the subject's own version, e.g. "0.1.0 (git 3f2a9c1)" */
    const char *profile;   /* the arithmetic profile it claims: sm80 sm86 sm89 sm90 sm100 sm120 */
    const char *platform;  /* free text for the report: GPU model, driver, CUDA version; or "cpu" */
    uint32_t caps;         /* TCA_SUBJECT_CAP_* */
    uint32_t layouts;      /* TCA_SUBJECT_LAYOUT_* accepted by decompress and gemm */
    uint32_t mma_ops;      /* TCA_SUBJECT_MMA_* accepted by tca_subject_mma */
    uint32_t max_split_k;  /* largest S accepted by gemm (>= 1 when CAP_GEMM) */
    uint64_t max_n;        /* largest N accepted by gemm (0 = no limit) */
} tca_subject_info;

/* ---- required ---- */

/** Create a context. profile: NULL (the subject's own default, e.g. the GPU it runs on, or the
 *  environment variable TCA_SUBJECT_PROFILE) or a profile name the runner asks for. A subject
 *  that cannot run as that profile returns TCA_SUBJECT_EUNSUPPORTED (the runner then skips the
 *  profile). *ctx receives an opaque pointer (may be NULL if the subject needs none). */
int tca_subject_init(const char *profile, void **ctx);
/** Destroy the context. Safe with whatever tca_subject_init stored. */
void tca_subject_fini(void *ctx);
/** Fill *info (strings owned by the subject, valid until fini). */
int tca_subject_get_info(void *ctx, tca_subject_info *info);

/* ---- required only with the matching capability ---- */

/** CAP_DECOMPRESS: decode a TCA-TBE stream into out (rows x cols row-major BF16,
 *  out_elems >= rows * cols). With CAP_VALIDATE every malformed stream (spec 7.1) must return
 *  TCA_SUBJECT_EREJECT; out is then unspecified. */
int tca_subject_decompress(void *ctx, const uint8_t *stream, size_t stream_size, uint16_t *out,
                           uint64_t out_elems);

/** CAP_GEMM: Y = X * W^T under the GEMM contract (spec/tca-mma-semantics.md 6) for the context's
 *  profile and split-K factor split_k (1..ceil(K/64), and <= max_split_k). x: n x K BF16;
 *  y: n x M BF16; y_f32: NULL, or (CAP_GEMM_F32) n x M binary32 accumulator results before the
 *  final BF16 rounding. */
int tca_subject_gemm(void *ctx, const uint8_t *w_stream, size_t w_size, const uint16_t *x, uint64_t n,
                     uint32_t split_k, uint16_t *y, uint32_t *y_f32);

/** CAP_MMA: one warp-level mma.sync (op = one TCA_SUBJECT_MMA_* bit) on whole tiles:
 *  a 16 x k row-major, b k x 8 row-major (B[k][n]), c and d 16 x 8 row-major binary32, or binary16
 *  in the low 16 bits for f16 accumulators (high bits of c are zero; d's high bits are ignored).
 *  The subject moves the tiles into and out of its fragment registers itself, so a wrong fragment
 *  layout shows up as a wrong d. */
int tca_subject_mma(void *ctx, uint32_t op, const uint16_t *a, const uint16_t *b, const uint32_t *c, uint32_t *d);

/** CAP_CONTAINER: rebuild the original safetensors file from a compressed checkpoint
 *  (spec/tca-safetensors.md 4) into out (out_cap bytes); *out_size receives its size. A malformed
 *  checkpoint returns TCA_SUBJECT_EREJECT; an original larger than out_cap TCA_SUBJECT_EPARAM. */
int tca_subject_container_decompress(void *ctx, const uint8_t *file, size_t size, uint8_t *out, size_t out_cap,
                                     size_t *out_size);

/* Function pointer types, for the runner's dlsym(). */
typedef int (*tca_subject_init_fn)(const char *, void **);
typedef void (*tca_subject_fini_fn)(void *);
typedef int (*tca_subject_get_info_fn)(void *, tca_subject_info *);
typedef int (*tca_subject_decompress_fn)(void *, const uint8_t *, size_t, uint16_t *, uint64_t);
typedef int (*tca_subject_gemm_fn)(void *, const uint8_t *, size_t, const uint16_t *, uint64_t, uint32_t, uint16_t *,
                                   uint32_t *);
typedef int (*tca_subject_mma_fn)(void *, uint32_t, const uint16_t *, const uint16_t *, const uint32_t *, uint32_t *);
typedef int (*tca_subject_container_fn)(void *, const uint8_t *, size_t, uint8_t *, size_t, size_t *);

#ifdef __cplusplus
}
#endif
#endif
