/* SPDX-License-Identifier: Apache-2.0 */
/* libtca_subject_cuda.so: the conformance subject (conformance/subject.h) backed by the CUDA
 * kernels, for both layouts (info.layouts = V1 | F). Streams are dispatched on their Layout byte
 * (tca_tbe_any_stream_layout, after the header checks that precede it), parsed and validated on
 * the host by libtca (v1: tca_tbe_stream_parse + tca_tbe_validate inside tca_cuda_matrix_upload;
 * F: tca_tbe_f_stream_parse + tca_tbe_f_validate inside tca_cuda_matrix_upload_f), then decoded /
 * multiplied on the GPU. The layout F vectors (spec/tca-test-vectors.md 5.5, 6.5: the files under
 * v1/format/f/ and v1/gemm/<profile>/f/) therefore run the layout F kernels on the stream bytes as
 * stored, and the v1 vectors the v1 kernels; tca-conform reports the two per layout.
 * Profile: the GPU's own (sm90 on Hopper, sm80/sm86/sm89 on Ampere/Ada); another is unsupported.
 * MMA: one warp-level mma.sync per call for the f32-accumulator ops. */
#include <cuda_runtime.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "subject.h"
#include "tca/tbe.h"
#include "tca/tbe_f.h"
#include "tca/version.h"
#include "tca_cuda.h"

namespace {

struct Ctx {
    char profile[16];
    char platform[512];
    char version[64];
};

int map_status(tca_status st) {
    if (st == TCA_OK) return TCA_SUBJECT_OK;
    if (tca_status_is_format_error(st)) return TCA_SUBJECT_EREJECT;
    if (st == TCA_ERROR_PARAM_LAYOUT) return TCA_SUBJECT_EUNSUPPORTED;
    if (st == TCA_ERROR_PARAM_SPLIT_K || st == TCA_ERROR_PARAM_NULL || st == TCA_ERROR_PARAM_SHAPE ||
        st == TCA_ERROR_PARAM_DST_TOO_SMALL)
        return TCA_SUBJECT_EPARAM;
    return TCA_SUBJECT_EINTERNAL;
}

/* TCA_CUDA_SUBJECT_AS_F=1: transcode every v1 stream to layout F (spec 8.9) before uploading, so
 * the whole v1 vector set (GEMM records included) also runs through the layout F kernels. Not
 * needed for layout F coverage (the F vectors are native F streams); an extra cross-check. */
bool as_layout_f() {
    const char *e = getenv("TCA_CUDA_SUBJECT_AS_F");
    return e && atoi(e) == 1;
}

/* Parse + validate + upload a stream of either layout (spec 3.3: dispatch on the Layout byte). */
int load(const uint8_t *stream, size_t size, tca_cuda_matrix **out) {
    tca_layout layout;
    tca_status st = tca_tbe_any_stream_layout(stream, size, &layout);
    if (st != TCA_OK) return map_status(st);
    if (layout == TCA_LAYOUT_F) {
        tca_tbe_f_view f;
        st = tca_tbe_f_stream_parse(stream, size, &f);
        if (st != TCA_OK) return map_status(st);
        return map_status(tca_cuda_matrix_upload_f(&f, out));
    }
    tca_tbe_view v;
    st = tca_tbe_stream_parse(stream, size, &v);
    if (st != TCA_OK) return map_status(st);
    if (v.hdr.layout != TCA_LAYOUT_V1) return TCA_SUBJECT_EUNSUPPORTED;
    if (as_layout_f()) {
        /* Test mode: run the layout F kernels on every v1 vector. The transcoder validates the v1
         * stream completely first (spec 8.9), so malformed streams are rejected as before. */
        tca_tbe_f_matrix *f = NULL;
        st = tca_tbe_f_from_v1(&v, NULL, &f);
        if (st != TCA_OK) return map_status(st);
        st = tca_cuda_matrix_upload_f(&f->view, out);
        tca_tbe_f_matrix_free(f);
        return map_status(st);
    }
    return map_status(tca_cuda_matrix_upload(&v, out));
}

/* One warp: move row-major tiles into the PTX fragment registers (mma-semantics 2.1/2.2), run the
 * instruction, move d back. groupID g = lane/4, t = lane%4. */
__global__ void mma_kernel(uint32_t op, const uint16_t *a, const uint16_t *b, const uint32_t *c, uint32_t *d) {
    const int lane = threadIdx.x, g = lane >> 2, t = lane & 3;
    const int k = (op == TCA_SUBJECT_MMA_M16N8K16_F32_BF16 || op == TCA_SUBJECT_MMA_M16N8K16_F32_F16) ? 16 : 8;
    auto pack = [](uint16_t lo, uint16_t hi) { return (uint32_t)lo | ((uint32_t)hi << 16); };
    /* A (16 x k row-major): a0 (g, 2t..), a1 (g+8, 2t..), a2 (g, 2t+8..), a3 (g+8, 2t+8..) */
    uint32_t ar[4];
    ar[0] = pack(a[g * k + 2 * t], a[g * k + 2 * t + 1]);
    ar[1] = pack(a[(g + 8) * k + 2 * t], a[(g + 8) * k + 2 * t + 1]);
    /* B (k x 8 row-major, B[k][n]): b0 (k = 2t.., n = g), b1 (k = 2t+8.., n = g) */
    uint32_t b0 = pack(b[(2 * t) * 8 + g], b[(2 * t + 1) * 8 + g]), b1 = 0;
    if (k == 16) {
        ar[2] = pack(a[g * k + 2 * t + 8], a[g * k + 2 * t + 9]);
        ar[3] = pack(a[(g + 8) * k + 2 * t + 8], a[(g + 8) * k + 2 * t + 9]);
        b1 = pack(b[(2 * t + 8) * 8 + g], b[(2 * t + 9) * 8 + g]);
    }
    /* C/D (16 x 8 row-major): c0,c1 (g, 2t, 2t+1), c2,c3 (g+8, ...) */
    float acc[4] = {__uint_as_float(c[g * 8 + 2 * t]), __uint_as_float(c[g * 8 + 2 * t + 1]),
                    __uint_as_float(c[(g + 8) * 8 + 2 * t]), __uint_as_float(c[(g + 8) * 8 + 2 * t + 1])};
    switch (op) {
    case TCA_SUBJECT_MMA_M16N8K16_F32_BF16:
        asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                     "{%0,%1,%2,%3};\n"
                     : "+f"(acc[0]), "+f"(acc[1]), "+f"(acc[2]), "+f"(acc[3])
                     : "r"(ar[0]), "r"(ar[1]), "r"(ar[2]), "r"(ar[3]), "r"(b0), "r"(b1));
        break;
    case TCA_SUBJECT_MMA_M16N8K16_F32_F16:
        asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                     "{%0,%1,%2,%3};\n"
                     : "+f"(acc[0]), "+f"(acc[1]), "+f"(acc[2]), "+f"(acc[3])
                     : "r"(ar[0]), "r"(ar[1]), "r"(ar[2]), "r"(ar[3]), "r"(b0), "r"(b1));
        break;
    case TCA_SUBJECT_MMA_M16N8K8_F32_BF16:
        asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5}, {%6}, "
                     "{%0,%1,%2,%3};\n"
                     : "+f"(acc[0]), "+f"(acc[1]), "+f"(acc[2]), "+f"(acc[3])
                     : "r"(ar[0]), "r"(ar[1]), "r"(b0));
        break;
    default:
        asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5}, {%6}, "
                     "{%0,%1,%2,%3};\n"
                     : "+f"(acc[0]), "+f"(acc[1]), "+f"(acc[2]), "+f"(acc[3])
                     : "r"(ar[0]), "r"(ar[1]), "r"(b0));
        break;
    }
    d[g * 8 + 2 * t] = __float_as_uint(acc[0]);
    d[g * 8 + 2 * t + 1] = __float_as_uint(acc[1]);
    d[(g + 8) * 8 + 2 * t] = __float_as_uint(acc[2]);
    d[(g + 8) * 8 + 2 * t + 1] = __float_as_uint(acc[3]);
}

const uint32_t kMmaOps = TCA_SUBJECT_MMA_M16N8K16_F32_BF16 | TCA_SUBJECT_MMA_M16N8K16_F32_F16 |
                         TCA_SUBJECT_MMA_M16N8K8_F32_BF16 | TCA_SUBJECT_MMA_M16N8K8_F32_F16;

} // namespace

extern "C" {

int tca_subject_init(const char *profile, void **ctx) {
    if (!ctx) return TCA_SUBJECT_EPARAM;
    *ctx = NULL;
    int ndev = 0;
    if (cudaGetDeviceCount(&ndev) != cudaSuccess || ndev < 1) return TCA_SUBJECT_EUNSUPPORTED;
    cudaDeviceProp p;
    if (cudaGetDeviceProperties(&p, 0) != cudaSuccess) return TCA_SUBJECT_EINTERNAL;
    const char *own = NULL;
    if (p.major == 9 && p.minor == 0) own = "sm90";
    else if (p.major == 8 && p.minor == 0) own = "sm80";
    else if (p.major == 8 && p.minor == 6) own = "sm86";
    else if (p.major == 8 && p.minor == 9) own = "sm89";
    if (!own) return TCA_SUBJECT_EUNSUPPORTED;
    if (!profile) profile = getenv("TCA_SUBJECT_PROFILE");
    if (profile && *profile && strcmp(profile, own) != 0) return TCA_SUBJECT_EUNSUPPORTED;
    Ctx *c = (Ctx *)calloc(1, sizeof *c);
    if (!c) return TCA_SUBJECT_EINTERNAL;
    snprintf(c->profile, sizeof c->profile, "%s", own);
    int drv = 0, rt = 0;
    cudaDriverGetVersion(&drv);
    cudaRuntimeGetVersion(&rt);
    snprintf(c->platform, sizeof c->platform, "%s (sm_%d%d), driver API %d, runtime %d", p.name, p.major, p.minor,
             drv, rt);
    snprintf(c->version, sizeof c->version, "%s", TCA_VERSION_STRING);
    *ctx = c;
    return TCA_SUBJECT_OK;
}

void tca_subject_fini(void *ctx) { free(ctx); }

int tca_subject_get_info(void *ctx, tca_subject_info *info) {
    if (!ctx || !info) return TCA_SUBJECT_EPARAM;
    Ctx *c = (Ctx *)ctx;
    memset(info, 0, sizeof *info);
    info->abi_version = TCA_SUBJECT_ABI_VERSION;
    info->name = as_layout_f() ? "tca-cuda (v1 streams run as layout F)" : "tca-cuda";
    info->version = c->version;
    info->profile = c->profile;
    info->platform = c->platform;
    info->caps = TCA_SUBJECT_CAP_DECOMPRESS | TCA_SUBJECT_CAP_VALIDATE | TCA_SUBJECT_CAP_GEMM |
                 TCA_SUBJECT_CAP_GEMM_F32 | TCA_SUBJECT_CAP_MMA;
    info->layouts = TCA_SUBJECT_LAYOUT_V1 | TCA_SUBJECT_LAYOUT_F;
    info->mma_ops = kMmaOps;
    info->max_split_k = 65535;
    info->max_n = 0;
    return TCA_SUBJECT_OK;
}

int tca_subject_decompress(void *ctx, const uint8_t *stream, size_t stream_size, uint16_t *out, uint64_t out_elems) {
    if (!ctx || !stream || !out) return TCA_SUBJECT_EPARAM;
    tca_cuda_matrix *m = NULL;
    int rc = load(stream, stream_size, &m);
    if (rc != TCA_SUBJECT_OK) return rc;
    const tca_tbe_header *h = tca_cuda_matrix_header(m);
    const uint64_t elems = h->rows * h->cols;
    if (out_elems < elems) {
        tca_cuda_matrix_free(m);
        return TCA_SUBJECT_EPARAM;
    }
    uint16_t *d = NULL;
    if (cudaMalloc(&d, elems * 2) != cudaSuccess) {
        tca_cuda_matrix_free(m);
        return TCA_SUBJECT_EINTERNAL;
    }
    tca_status st = tca_cuda_decompress(m, d, elems, NULL);
    if (st == TCA_OK && cudaMemcpy(out, d, elems * 2, cudaMemcpyDeviceToHost) != cudaSuccess) st = TCA_ERROR_INTERNAL;
    if (st == TCA_OK) st = tca_cuda_matrix_check(m);
    cudaFree(d);
    tca_cuda_matrix_free(m);
    return st == TCA_OK ? TCA_SUBJECT_OK : TCA_SUBJECT_EINTERNAL;
}

int tca_subject_gemm(void *ctx, const uint8_t *w_stream, size_t w_size, const uint16_t *x, uint64_t n, uint32_t split_k,
                     uint16_t *y, uint32_t *y_f32) {
    if (!ctx || !w_stream || !x || !y || n == 0) return TCA_SUBJECT_EPARAM;
    tca_cuda_matrix *m = NULL;
    int rc = load(w_stream, w_size, &m);
    if (rc != TCA_SUBJECT_OK) return rc;
    const tca_tbe_header *h = tca_cuda_matrix_header(m);
    const uint64_t t = (h->cols + 63) / 64;
    if (split_k < 1 || split_k > t) {
        tca_cuda_matrix_free(m);
        return TCA_SUBJECT_EPARAM;
    }
    const uint64_t xe = n * h->cols, ye = n * h->rows;
    uint16_t *dx = NULL, *dy = NULL;
    uint32_t *df = NULL;
    tca_status st = TCA_OK;
    if (cudaMalloc(&dx, xe * 2) != cudaSuccess || cudaMalloc(&dy, ye * 2) != cudaSuccess ||
        (y_f32 && cudaMalloc(&df, ye * 4) != cudaSuccess))
        st = TCA_ERROR_ALLOC;
    if (st == TCA_OK && cudaMemcpy(dx, x, xe * 2, cudaMemcpyHostToDevice) != cudaSuccess) st = TCA_ERROR_INTERNAL;
    if (st == TCA_OK) st = tca_cuda_gemm(m, dx, n, split_k, dy, df, NULL, 0, NULL);
    if (st == TCA_OK && cudaMemcpy(y, dy, ye * 2, cudaMemcpyDeviceToHost) != cudaSuccess) st = TCA_ERROR_INTERNAL;
    if (st == TCA_OK && y_f32 && cudaMemcpy(y_f32, df, ye * 4, cudaMemcpyDeviceToHost) != cudaSuccess)
        st = TCA_ERROR_INTERNAL;
    if (st == TCA_OK) st = tca_cuda_matrix_check(m);
    cudaFree(dx);
    cudaFree(dy);
    cudaFree(df);
    tca_cuda_matrix_free(m);
    return map_status(st);
}

int tca_subject_mma(void *ctx, uint32_t op, const uint16_t *a, const uint16_t *b, const uint32_t *c, uint32_t *d) {
    if (!ctx || !a || !b || !c || !d) return TCA_SUBJECT_EPARAM;
    if (!(op & kMmaOps) || (op & (op - 1))) return TCA_SUBJECT_EUNSUPPORTED;
    const int k = (op == TCA_SUBJECT_MMA_M16N8K16_F32_BF16 || op == TCA_SUBJECT_MMA_M16N8K16_F32_F16) ? 16 : 8;
    uint16_t *da = NULL, *db = NULL;
    uint32_t *dc = NULL, *dd = NULL;
    int rc = TCA_SUBJECT_OK;
    if (cudaMalloc(&da, 16 * k * 2) != cudaSuccess || cudaMalloc(&db, k * 8 * 2) != cudaSuccess ||
        cudaMalloc(&dc, 128 * 4) != cudaSuccess || cudaMalloc(&dd, 128 * 4) != cudaSuccess)
        rc = TCA_SUBJECT_EINTERNAL;
    if (rc == 0 && (cudaMemcpy(da, a, 16 * k * 2, cudaMemcpyHostToDevice) != cudaSuccess ||
                    cudaMemcpy(db, b, k * 8 * 2, cudaMemcpyHostToDevice) != cudaSuccess ||
                    cudaMemcpy(dc, c, 128 * 4, cudaMemcpyHostToDevice) != cudaSuccess))
        rc = TCA_SUBJECT_EINTERNAL;
    if (rc == 0) {
        mma_kernel<<<1, 32>>>(op, da, db, dc, dd);
        if (cudaGetLastError() != cudaSuccess || cudaMemcpy(d, dd, 128 * 4, cudaMemcpyDeviceToHost) != cudaSuccess)
            rc = TCA_SUBJECT_EINTERNAL;
    }
    cudaFree(da);
    cudaFree(db);
    cudaFree(dc);
    cudaFree(dd);
    return rc;
}

} // extern "C"
