/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the device-side description of an uploaded TCA-TBE v1 matrix and the kernel launch
 * helpers shared by the decompressor and ZipGEMM. */
#ifndef TCA_CUDA_INTERNAL_H
#define TCA_CUDA_INTERNAL_H
#include <cuda_runtime.h>
#include <stdint.h>
#include "tca/tbe.h"
#include "tca/tbe_f.h"
#include "tca_cuda.h"

/* Error bits the kernels set in the device error word (never expected for validated data). */
#define TCA_CUDA_ERR_OFFSETS 1u /* TOM/TOG range inconsistent or outside the arrays */
#define TCA_CUDA_ERR_COUNTS 2u  /* bitmap popcount disagrees with the offset ranges */

/* Per-warp staging of one 16 x 64 strip (a median tile, spec 5): the 3 bitmap planes (16 words
 * each), the strip's SignMantissa bytes and its Full elements, each range widened to 16-byte
 * boundaries (always inside the global tile's padded slice, spec 6.4). */
#define TCA_STRIP_BITMAP_BYTES 384u

/** Everything a kernel needs about W, by value (kernel parameter). */
struct TcaDevArrays {
    const uint64_t *bm[3];
    const uint32_t *tom;  /* 4G x (hf, full) */
    const uint64_t *tog;  /* (G+1) x (hf, full) */
    const uint8_t *sm;
    const uint16_t *full;
    uint64_t sm_len, full_len; /* array lengths in elements */
    uint64_t rows, cols;       /* logical M, K */
    uint32_t strips;           /* padded rows / 16 */
    uint32_t ktiles;           /* T = padded cols / 64 */
    uint32_t base;             /* base exponent (spec 3.6) */
    uint32_t cap_sm;           /* staging bytes for SignMantissa per stage */
    uint32_t cap_full;         /* staging bytes for Full per stage */
    uint32_t stage_bytes;      /* 384 + cap_sm + cap_full */
    uint32_t cap_sm2;          /* the same for a pair of strips (ZipGEMM: 32-row slabs) */
    uint32_t cap_full2;
    uint32_t stage2_bytes;     /* 768 + cap_sm2 + cap_full2 */
    unsigned int *err;         /* device error word */
};

/** Everything a kernel needs about a layout F matrix (spec 8), by value. */
struct TcaDevArraysF {
    const uint8_t *strips;     /* 4G strip records of 1408 bytes (spec 8.2) */
    const uint8_t *exc;        /* Exceptions, exc_len bytes (spec 8.5) */
    const uint64_t *xo;        /* Exception_Offsets, 4G + 1 entries (spec 8.6) */
    uint64_t exc_len;          /* Exception_Length */
    uint64_t rows, cols;       /* logical M, K */
    uint32_t strips_m;         /* strip rows = padded rows / 16 */
    uint32_t ktiles;           /* T = padded cols / 64 */
    uint32_t base;             /* Base_Exponent (spec 3.6) */
    uint32_t cap_exc1;         /* exception staging bytes per strip (<= 1024, from Max_Exceptions);
                                  a stage of NS strips is f_stage_bytes(a, NS) */
    unsigned int *err;         /* device error word */
    uint32_t mul_one, mul_minus1, mul_shr16; /* 1, 0xFFFFFFFF, 0x10000: FMul (strip_decode_f.cuh) */
    uint32_t probe;            /* TcaCudaKnobs::f_probe (tuning builds only; 0 otherwise) */
};

/* Error bits of the layout F kernels (never expected for validated data). */
#define TCA_CUDA_ERR_F_OFFSETS 4u /* Exception_Offsets unordered, unaligned or outside the staging */
#define TCA_CUDA_ERR_F_COUNTS 8u  /* a strip's slice length disagrees with its codes (spec 8.6) */

struct tca_cuda_matrix {
    tca_tbe_header hdr; /* layout F: layout, rows, cols, base, checksum flag; v1-only fields 0 */
    tca_tbe_geometry geo;
    TcaDevArrays dev;   /* layout v1 */
    TcaDevArraysF devf; /* layout F */
    tca_tbe_f_header hdr_f;
    void *buffers[8];
    uint64_t bytes;
};

/* Launchers (cuda/src/zipgemm.cu, cuda/src/decompress.cu). Return a cudaError_t. */
cudaError_t tca_launch_decompress(const TcaDevArrays &a, uint16_t *dst, cudaStream_t stream);
cudaError_t tca_launch_zipgemm(const TcaDevArrays &a, const uint16_t *x, uint64_t n, uint32_t split_k,
                               uint16_t *y, uint32_t *y_f32, float *workspace, cudaStream_t stream);
int tca_cuda_sm_count(void);
/* Layout F launchers (cuda/src/zipgemm_f.cu, cuda/src/decompress_f.cu). */
cudaError_t tca_launch_decompress_f(const TcaDevArraysF &a, uint16_t *dst, cudaStream_t stream);
cudaError_t tca_launch_zipgemm_f(const TcaDevArraysF &a, const uint16_t *x, uint64_t n, uint32_t split_k,
                                 uint16_t *y, uint32_t *y_f32, float *workspace, cudaStream_t stream);
/* K splits of the standalone decompressors (both layouts): many short-lived CTAs, about 24 per SM
 * over the grid, each warp with at least 2 K tiles so its pipeline has something to overlap. */
uint32_t tca_decompress_splits(uint64_t ctas_m, uint32_t ktiles);
/* The automatic split-K factor of the layout F ZipGEMM for N columns of Y (zipgemm_f.cu). */
uint32_t tca_zipgemm_f_auto_split(const TcaDevArraysF &a, uint64_t n);
/* The deterministic split-K reduction (mma-semantics 6.3), shared by both layouts (zipgemm.cu). */
cudaError_t tca_launch_splitk_reduce(const float *ws, uint64_t count, uint32_t split_k, uint16_t *y, uint32_t *y_f32,
                                     cudaStream_t stream);
/* Launch configuration knobs, read once from the environment (TCA_CUDA_STAGES, TCA_CUDA_F_STRIPS,
 * TCA_CUDA_F_MIN_BLOCKS, TCA_CUDA_F_CTA_WARPS, TCA_CUDA_F_PDL); the tuning program (cuda/bench/bench_tune_f.cu) sets them directly.
 * A configuration the build did not instantiate falls back to the default one. */
struct TcaCudaKnobs {
    int stages;       /* strip pipeline depth: 2, 3 or 4 (v1 kernels: 2 or 3) */
    int f_strips;     /* ZipGEMM-F strips per warp and K tile: 2 (32-row slab) or 4 (64-row tile row) */
    int f_min_blocks; /* ZipGEMM-F __launch_bounds__ minimum CTAs per SM for N > 8 (0: none) */
    int f_cta_warps;  /* ZipGEMM-F warps per CTA: 1 or 4 (0: default) */
    int f_pdl;        /* ZipGEMM-F launched with programmatic dependent launch on sm_90 (1, default;
                         TCA_CUDA_F_PDL=0: plain launch) */
    int f_probe;      /* tuning builds only, for timing the parts: bit 0 skips the split-K reduction, bit 1
                         the decode and MMAs (both wrong results); bit 2 selects the previous
                         (one load per split) reduction kernel */
};
TcaCudaKnobs &tca_cuda_knobs(void);
/* Whether the current device supports programmatic dependent launch (sm_90 and later). */
int tca_cuda_has_pdl(void);
/* Strip pipeline depth of the v1 kernels (2 or 3). */
int tca_pipeline_stages(void);

#endif
