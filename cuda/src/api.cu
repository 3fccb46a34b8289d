/* SPDX-License-Identifier: Apache-2.0 */
/* Host API of the CUDA kernels (cuda/include/tca_cuda.h): upload with validation, argument checks,
 * per-call shared-memory sizing from the stored maxima (defect D4), split-K selection. */
#include <cuda_runtime.h>
#include <stdint.h>
#include <string.h>
#include "tca_cuda.h"
#include "tca/tbe_f.h"
#include "tca_cuda_internal.h"

int tca_cuda_sm_count(void) {
    int dev = 0, sms = 0;
    if (cudaGetDevice(&dev) != cudaSuccess) return 132;
    if (cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev) != cudaSuccess || sms <= 0) return 132;
    return sms;
}

static uint32_t round_up_u32(uint32_t v, uint32_t a) { return (v + a - 1) / a * a; }

/* Strip rows (padded rows / 16) and K tiles of a matrix of either layout. */
static uint32_t strips_of(const tca_cuda_matrix *w) {
    return w->hdr.layout == TCA_LAYOUT_F ? w->devf.strips_m : w->dev.strips;
}
static uint32_t ktiles_of(const tca_cuda_matrix *w) {
    return w->hdr.layout == TCA_LAYOUT_F ? w->devf.ktiles : w->dev.ktiles;
}

void tca_cuda_matrix_free(tca_cuda_matrix *m) {
    if (!m) return;
    for (int i = 0; i < 8; ++i)
        if (m->buffers[i]) cudaFree(m->buffers[i]);
    free(m);
}

static tca_status upload_array(tca_cuda_matrix *m, int slot, const void *src, size_t bytes, void **dev) {
    /* Every array gets its own allocation (256-byte aligned); empty arrays get 16 bytes so the
     * pointer is valid (never read: a zero-length range copies nothing). */
    size_t alloc = bytes < 16 ? 16 : bytes;
    if (cudaMalloc(dev, alloc) != cudaSuccess) return TCA_ERROR_ALLOC;
    m->buffers[slot] = *dev;
    if (cudaMemset(*dev, 0, alloc) != cudaSuccess) return TCA_ERROR_INTERNAL;
    if (bytes && cudaMemcpy(*dev, src, bytes, cudaMemcpyHostToDevice) != cudaSuccess) return TCA_ERROR_INTERNAL;
    return TCA_OK;
}

/* Kernel indices: strips and K tiles in 32 bits, grid.x = strips / 4 < 2^31. */
static tca_status kernel_geometry(uint64_t rows, uint64_t cols, tca_tbe_geometry *geo) {
    const tca_status st = tca_tbe_geometry_of(rows, cols, geo);
    if (st != TCA_OK) return st;
    if (geo->rows_padded / 16 > 0x7FFFFFFFull || geo->global_cols > 0xFFFFFFFFull) return TCA_ERROR_PARAM_SHAPE;
    return TCA_OK;
}

/* Upload n arrays into slots 0..n-1 and allocate the device error word (slot 7); on failure the
 * matrix is freed and *m set to NULL. */
static tca_status upload_all(tca_cuda_matrix **m, int n, const void *const *src, const size_t *bytes, void **d,
                             unsigned int **err) {
    tca_status st = TCA_OK;
    for (int i = 0; i < n && st == TCA_OK; ++i) {
        st = upload_array(*m, i, src[i], bytes[i], &d[i]);
        (*m)->bytes += bytes[i];
    }
    void *e = NULL;
    if (st == TCA_OK) st = upload_array(*m, 7, NULL, 0, &e);
    if (st != TCA_OK) {
        tca_cuda_matrix_free(*m);
        *m = NULL;
        return st;
    }
    *err = (unsigned int *)e;
    return TCA_OK;
}

tca_status tca_cuda_matrix_upload(const tca_tbe_view *v, tca_cuda_matrix **out) {
    if (!v || !out) return TCA_ERROR_PARAM_NULL;
    if (v->hdr.layout != TCA_LAYOUT_V1) return TCA_ERROR_PARAM_LAYOUT;
    int ndev = 0;
    if (cudaGetDeviceCount(&ndev) != cudaSuccess || ndev < 1) return TCA_ERROR_UNSUPPORTED;
    tca_status st = tca_tbe_validate(v); /* spec 7.1: the kernels only ever see valid arrays */
    if (st != TCA_OK) return st;
    tca_tbe_geometry geo;
    st = kernel_geometry(v->hdr.rows, v->hdr.cols, &geo);
    if (st != TCA_OK) return st;
    tca_tbe_sizes sz;
    st = tca_tbe_sizes_of(&v->hdr, &sz);
    if (st != TCA_OK) return st;

    tca_cuda_matrix *m = (tca_cuda_matrix *)calloc(1, sizeof *m);
    if (!m) return TCA_ERROR_ALLOC;
    m->hdr = v->hdr;
    m->geo = geo;
    void *d[7] = {0};
    const void *src[7] = {v->bitmap[0], v->bitmap[1], v->bitmap[2], v->tom, v->tog, v->sign_mantissa, v->full};
    const size_t bytes[7] = {sz.bitmap, sz.bitmap, sz.bitmap, sz.tom, sz.tog, sz.sign_mantissa, sz.full};
    unsigned int *err = NULL;
    st = upload_all(&m, 7, src, bytes, d, &err);
    if (st != TCA_OK) return st;
    TcaDevArrays &a = m->dev;
    for (int i = 0; i < 3; ++i) a.bm[i] = (const uint64_t *)d[i];
    a.tom = (const uint32_t *)d[3];
    a.tog = (const uint64_t *)d[4];
    a.sm = (const uint8_t *)d[5];
    a.full = (const uint16_t *)d[6];
    a.sm_len = v->hdr.sign_mantissa_len;
    a.full_len = v->hdr.full_len;
    a.rows = v->hdr.rows;
    a.cols = v->hdr.cols;
    a.strips = (uint32_t)(geo.rows_padded / 16);
    a.ktiles = (uint32_t)geo.global_cols;
    a.base = v->hdr.base;
    /* Defect D4: staging sized per matrix from its stored maxima. A strip's range is at most one
     * median tile's values (<= 1024) plus the global tile's minimal padding, and never more than
     * the padded per-tile maximum; widening to 16-byte boundaries adds < 32 bytes. */
    const uint32_t sm_vals = v->hdr.max_sign_mantissa < 1024u + 15u ? v->hdr.max_sign_mantissa : 1024u + 15u;
    const uint32_t fu_vals = v->hdr.max_full < 1024u + 7u ? v->hdr.max_full : 1024u + 7u;
    a.cap_sm = round_up_u32(sm_vals, 16) + 16 + 16;        /* + 16 never-copied slack */
    a.cap_full = (round_up_u32(fu_vals, 8) + 8) * 2 + 16;  /* + 16 never-copied slack */
    a.stage_bytes = TCA_STRIP_BITMAP_BYTES + a.cap_sm + a.cap_full;
    /* Two adjacent strips (median tiles 0-1 or 2-3 of a global tile) are contiguous in every
     * array; ZipGEMM stages them together: at most 2048 values plus the tile's padding. */
    const uint32_t sm2 = v->hdr.max_sign_mantissa < 2048u + 15u ? v->hdr.max_sign_mantissa : 2048u + 15u;
    const uint32_t fu2 = v->hdr.max_full < 2048u + 7u ? v->hdr.max_full : 2048u + 7u;
    a.cap_sm2 = round_up_u32(sm2, 16) + 16 + 16;
    a.cap_full2 = (round_up_u32(fu2, 8) + 8) * 2 + 16;
    a.stage2_bytes = 2 * TCA_STRIP_BITMAP_BYTES + a.cap_sm2 + a.cap_full2;
    a.err = err;
    *out = m;
    return TCA_OK;
}

tca_status tca_cuda_matrix_upload_f(const tca_tbe_f_view *v, tca_cuda_matrix **out) {
    if (!v || !out) return TCA_ERROR_PARAM_NULL;
    int ndev = 0;
    if (cudaGetDeviceCount(&ndev) != cudaSuccess || ndev < 1) return TCA_ERROR_UNSUPPORTED;
    tca_status st = tca_tbe_f_validate(v); /* spec 8.8: the kernels only ever see valid arrays */
    if (st != TCA_OK) return st;
    tca_tbe_geometry geo;
    st = kernel_geometry(v->hdr.rows, v->hdr.cols, &geo);
    if (st != TCA_OK) return st;
    tca_tbe_f_sizes sz;
    st = tca_tbe_f_sizes_of(&v->hdr, &sz);
    if (st != TCA_OK) return st;

    tca_cuda_matrix *m = (tca_cuda_matrix *)calloc(1, sizeof *m);
    if (!m) return TCA_ERROR_ALLOC;
    m->hdr.layout = TCA_LAYOUT_F;
    m->hdr.rows = v->hdr.rows;
    m->hdr.cols = v->hdr.cols;
    m->hdr.base = v->hdr.base;
    m->hdr.has_content_checksum = v->hdr.has_content_checksum;
    m->hdr.content_checksum = v->hdr.content_checksum;
    m->hdr_f = v->hdr;
    m->geo = geo;
    void *d[3] = {0};
    const void *src[3] = {v->strips, v->exceptions, v->exception_offsets};
    const size_t bytes[3] = {sz.strips, sz.exceptions, sz.offsets};
    unsigned int *err = NULL;
    st = upload_all(&m, 3, src, bytes, d, &err);
    if (st != TCA_OK) return st;
    TcaDevArraysF &a = m->devf;
    a.strips = (const uint8_t *)d[0];
    a.exc = (const uint8_t *)d[1];
    a.xo = (const uint64_t *)d[2];
    a.exc_len = v->hdr.exception_len;
    a.rows = v->hdr.rows;
    a.cols = v->hdr.cols;
    a.strips_m = (uint32_t)(geo.rows_padded / 16);
    a.ktiles = (uint32_t)geo.global_cols;
    a.base = v->hdr.base;
    /* Defect D4: staging sized per matrix from Max_Exceptions (spec 8.6: the largest padded
     * slice, <= 1024), plus 16 never-copied slack bytes for the decoder's 12-byte window loads. */
    const uint32_t mx = v->hdr.max_exceptions < 1024u ? v->hdr.max_exceptions : 1024u;
    a.cap_exc1 = round_up_u32(mx, 16);
    a.mul_one = 1u; /* opaque multipliers: decode arithmetic on the FMA pipe (FMul) */
    a.mul_minus1 = 0xFFFFFFFFu;
    a.mul_shr16 = 0x10000u;
    a.err = err;
    m->dev.err = a.err; /* one error word per matrix (tca_cuda_matrix_check) */
    *out = m;
    return TCA_OK;
}

tca_layout tca_cuda_matrix_layout(const tca_cuda_matrix *m) { return m ? m->hdr.layout : TCA_LAYOUT_V1; }

const tca_tbe_header *tca_cuda_matrix_header(const tca_cuda_matrix *m) { return m ? &m->hdr : NULL; }
uint64_t tca_cuda_matrix_bytes(const tca_cuda_matrix *m) { return m ? m->bytes : 0; }

tca_status tca_cuda_matrix_check(tca_cuda_matrix *m) {
    if (!m) return TCA_ERROR_PARAM_NULL;
    unsigned int e = 0;
    if (cudaMemcpy(&e, m->dev.err, sizeof e, cudaMemcpyDeviceToHost) != cudaSuccess) return TCA_ERROR_INTERNAL;
    if (!e) return TCA_OK;
    cudaMemset(m->dev.err, 0, sizeof e);
    if (e & TCA_CUDA_ERR_F_OFFSETS) return TCA_ERROR_FORMAT_EXCEPTIONS;
    if (e & TCA_CUDA_ERR_F_COUNTS) return TCA_ERROR_FORMAT_COUNTS;
    return (e & TCA_CUDA_ERR_OFFSETS) ? TCA_ERROR_FORMAT_TOM : TCA_ERROR_FORMAT_COUNTS;
}

tca_status tca_cuda_decompress(const tca_cuda_matrix *w, uint16_t *dst, uint64_t dst_elems, void *stream) {
    if (!w || !dst) return TCA_ERROR_PARAM_NULL;
    if (dst_elems < w->hdr.rows * w->hdr.cols) return TCA_ERROR_PARAM_DST_TOO_SMALL; /* <= 2^44: no overflow */
    const cudaError_t e = w->hdr.layout == TCA_LAYOUT_F ? tca_launch_decompress_f(w->devf, dst, (cudaStream_t)stream)
                                                         : tca_launch_decompress(w->dev, dst, (cudaStream_t)stream);
    return e == cudaSuccess ? TCA_OK : TCA_ERROR_INTERNAL;
}

uint32_t tca_cuda_gemm_auto_split(const tca_cuda_matrix *w, uint64_t n) {
    if (!w || n == 0) return 1;
    if (w->hdr.layout == TCA_LAYOUT_F) return tca_zipgemm_f_auto_split(w->devf, n);
    /* Two rules, each the better one in the H100 measurements of docs/performance-gpu.md (v4 and
     * v4b runs): for N <= 8 many short-lived CTAs (about 24 four-warp CTAs per SM over the grid),
     * with f32 partial traffic (8*N*M bytes per split) capped at K/(40 N) splits; for N >= 16 about
     * one wave of resident CTAs (7 per SM) with the looser cap K/(16 N), since there the B loads
     * and MMAs, not the decode ramp, dominate and larger S beyond one wave stopped paying. */
    /* Layout v1 (4 warps x 2 strips per CTA); layout F has its own rule (zipgemm_f.cu). */
    const uint64_t ctas_m = (strips_of(w) + 7) / 8;
    const uint64_t nt = n <= 8 ? 8 : n <= 16 ? 16 : n <= 32 ? 32 : 64;
    const uint64_t ctas_n = (n + nt - 1) / nt;
    const uint64_t want = (uint64_t)tca_cuda_sm_count() * (n <= 8 ? 24 : 7);
    uint64_t s = (want + ctas_m * ctas_n - 1) / (ctas_m * ctas_n);
    uint64_t cap = w->hdr.cols / ((n <= 8 ? 40 : 16) * n);
    if (s > cap) s = cap;
    uint64_t smax = ktiles_of(w) / 2;
    if (smax < 1) smax = 1;
    if (s > smax) s = smax;
    if (s < 1) s = 1;
    if (s > 65535) s = 65535;
    return (uint32_t)s;
}

tca_status tca_cuda_gemm_workspace_size(const tca_cuda_matrix *w, uint64_t n, uint32_t split_k, size_t *bytes) {
    if (!w || !bytes) return TCA_ERROR_PARAM_NULL;
    if (n == 0) return TCA_ERROR_PARAM_SHAPE;
    if (split_k == 0) split_k = tca_cuda_gemm_auto_split(w, n);
    if (split_k > ktiles_of(w)) return TCA_ERROR_PARAM_SPLIT_K;
    if (split_k == 1) {
        *bytes = 0;
        return TCA_OK;
    }
    const unsigned __int128 b = (unsigned __int128)split_k * n * w->hdr.rows * sizeof(float);
    if (b > (unsigned __int128)SIZE_MAX / 2) return TCA_ERROR_PARAM_SHAPE;
    *bytes = (size_t)b;
    return TCA_OK;
}

tca_status tca_cuda_gemm(const tca_cuda_matrix *w, const uint16_t *x, uint64_t n, uint32_t split_k, uint16_t *y,
                         uint32_t *y_f32, void *workspace, size_t ws_bytes, void *stream) {
    if (!w || !x || (!y && !y_f32)) return TCA_ERROR_PARAM_NULL;
    /* grid.z counts 64-column blocks of Y: at most 65535 of them */
    if (n == 0 || n > 65535ull * 64) return TCA_ERROR_PARAM_SHAPE;
    /* mma-semantics 6.3: S in 1..T; 0 selects automatically */
    if (split_k > ktiles_of(w) || split_k > 65535) return TCA_ERROR_PARAM_SPLIT_K;
    if (split_k == 0) split_k = tca_cuda_gemm_auto_split(w, n);
    size_t need = 0;
    tca_status st = tca_cuda_gemm_workspace_size(w, n, split_k, &need);
    if (st != TCA_OK) return st;
    cudaStream_t s = (cudaStream_t)stream;
    void *owned = NULL;
    if (need) {
        if (workspace) {
            if (ws_bytes < need) return TCA_ERROR_PARAM_DST_TOO_SMALL;
        } else {
            if (cudaMallocAsync(&owned, need, s) != cudaSuccess) return TCA_ERROR_ALLOC;
            workspace = owned;
        }
    }
    cudaError_t e = w->hdr.layout == TCA_LAYOUT_F
                        ? tca_launch_zipgemm_f(w->devf, x, n, split_k, y, y_f32, (float *)workspace, s)
                        : tca_launch_zipgemm(w->dev, x, n, split_k, y, y_f32, (float *)workspace, s);
    if (owned) cudaFreeAsync(owned, s);
    return e == cudaSuccess ? TCA_OK : TCA_ERROR_INTERNAL;
}
