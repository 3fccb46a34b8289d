/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the GPU benchmarks (bench_zipgemm.cu, bench_tune_f.cu): CUDA/cuBLAS error checks,
 * event timing with an L2 flush, realistic weights (Gaussian, encoded in parallel row bands with
 * one common window) and cuBLASLt with its best heuristic algorithm. */
#ifndef TCA_BENCH_COMMON_H
#define TCA_BENCH_COMMON_H
#include <cublasLt.h>
#include <cuda_runtime.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <algorithm>
#include <thread>
#include <vector>
#include "tca/bf16.h"
#include "tca/prng.h"
#include "tca/tbe.h"
#include "tca/tbe_f.h"
#include "tca_cuda.h"

#define CK(call)                                                                                   \
    do {                                                                                           \
        cudaError_t e_ = (call);                                                                   \
        if (e_ != cudaSuccess) {                                                                   \
            fprintf(stderr, "CUDA error %s at %s:%d\n", cudaGetErrorString(e_), __FILE__, __LINE__); \
            exit(2);                                                                               \
        }                                                                                          \
    } while (0)
#define CKB(call)                                                                                  \
    do {                                                                                           \
        cublasStatus_t s_ = (call);                                                                \
        if (s_ != CUBLAS_STATUS_SUCCESS) {                                                         \
            fprintf(stderr, "cuBLAS error %d at %s:%d\n", (int)s_, __FILE__, __LINE__);           \
            exit(2);                                                                               \
        }                                                                                          \
    } while (0)

/* A timed library call that fails would time nothing: stop instead. */
#define CKT(call)                                                                                  \
    do {                                                                                           \
        tca_status t_ = (call);                                                                    \
        if (t_ != TCA_OK) {                                                                        \
            fprintf(stderr, "tca error %s at %s:%d\n", tca_status_name(t_), __FILE__, __LINE__);   \
            exit(2);                                                                               \
        }                                                                                          \
    } while (0)

static void *g_flush = NULL;
static const size_t kFlushBytes = 256u << 20;
static cudaEvent_t g_ev0, g_ev1;
static uint32_t *g_flush_sink = NULL;
/* How the L2 is emptied before each timed run (TCA_BENCH_FLUSH):
 *   write (default): cudaMemset of a 256 MiB buffer. The L2 is then full of dirty lines, which
 *         the timed kernel writes back to DRAM as it evicts them (about 50 MB on an H100/H200:
 *         several microseconds of DRAM time inside the timed region, the same for every kernel);
 *   read: a kernel reads a 256 MiB buffer, so the L2 holds clean lines of unrelated data (the
 *         state a GEMM meets when the previous layers' weights were just read). */
static bool g_flush_read = false;

/* Reads every 16-byte word and writes only when the XOR is a value the zeroed buffer never
 * gives, so the loads cannot be dropped and nothing is dirtied. */
__global__ void bench_flush_read_kernel(const uint4 *p, size_t n, uint32_t *sink) {
    uint32_t acc = 0;
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x) {
        const uint4 v = __ldcg(p + i);
        acc ^= v.x ^ v.y ^ v.z ^ v.w;
    }
    if (acc == 0xFFFFFFFFu) *sink = acc;
}

static const char *bench_flush_name(void) { return g_flush_read ? "read 256 MiB (clean)" : "memset 256 MiB (dirty)"; }

static void bench_timing_init(void) {
    const char *e = getenv("TCA_BENCH_FLUSH");
    g_flush_read = e && !strcmp(e, "read");
    CK(cudaMalloc(&g_flush, kFlushBytes));
    CK(cudaMemset(g_flush, 0, kFlushBytes));
    CK(cudaMalloc(&g_flush_sink, 4));
    CK(cudaEventCreate(&g_ev0));
    CK(cudaEventCreate(&g_ev1));
}

static void bench_flush_l2(int r) {
    if (g_flush_read) {
        bench_flush_read_kernel<<<1024, 256>>>((const uint4 *)g_flush, kFlushBytes / 16, g_flush_sink);
        CK(cudaGetLastError());
    } else {
        CK(cudaMemsetAsync(g_flush, r & 0xFF, kFlushBytes, 0));
    }
}

/** Median of `reps` timed runs of f (µs), after 2 warm-up runs; the L2 is flushed before each. */
template <class F> static double time_us(F f, int reps) {
    for (int i = 0; i < 2; ++i) f();
    CK(cudaDeviceSynchronize());
    std::vector<float> t(reps);
    for (int r = 0; r < reps; ++r) {
        bench_flush_l2(r);
        CK(cudaEventRecord(g_ev0, 0));
        f();
        CK(cudaEventRecord(g_ev1, 0));
        CK(cudaEventSynchronize(g_ev1));
        CK(cudaEventElapsedTime(&t[r], g_ev0, g_ev1));
    }
    std::sort(t.begin(), t.end());
    return 1000.0 * t[reps / 2];
}

/* ---------------------------------------------------------------- parallel encode (host side) */

struct Encoded {
    tca_tbe_view view;
    std::vector<uint8_t> bm[3], tom, tog, sm, full;
};

static void put_u64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); } /* x86-64 / aarch64: little-endian */
static uint64_t get_u64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* Encode W (M x K, M a multiple of 64) in row bands on all cores with one common window; merge
 * the bands' arrays (spec 6: bands of whole global-tile rows concatenate, TOG is offset). */
static void encode_parallel(const std::vector<uint16_t> &w, uint64_t m, uint64_t k, Encoded &out) {
    const unsigned nth = std::max(1u, std::thread::hardware_concurrency());
    const uint64_t gr = m / 64;
    const uint64_t bands = std::min<uint64_t>(gr, nth * 2);
    std::vector<uint64_t> b0(bands + 1);
    for (uint64_t b = 0; b <= bands; ++b) b0[b] = gr * b / bands * 64;
    std::vector<std::vector<uint64_t>> hists(bands, std::vector<uint64_t>(256));
    std::vector<std::thread> th;
    for (uint64_t b = 0; b < bands; ++b)
        th.emplace_back([&, b] { tca_tbe_exponent_histogram(&w[b0[b] * k], b0[b + 1] - b0[b], k, hists[b].data()); });
    for (auto &t : th) t.join();
    th.clear();
    uint64_t hist[256] = {0};
    for (auto &h : hists)
        for (int i = 0; i < 256; ++i) hist[i] += h[i];
    const unsigned w0 = tca_tbe_select_window(hist, NULL);
    std::vector<tca_tbe_matrix *> mats(bands, nullptr);
    for (uint64_t b = 0; b < bands; ++b)
        th.emplace_back([&, b] {
            tca_tbe_encode_options o;
            tca_tbe_encode_options_default(&o);
            o.window_start = (int)w0;
            o.content_checksum = 0;
            if (tca_tbe_encode(&w[b0[b] * k], b0[b + 1] - b0[b], k, &o, NULL, &mats[b]) != TCA_OK) mats[b] = nullptr;
        });
    for (auto &t : th) t.join();
    tca_tbe_header h = mats[0]->view.hdr;
    h.rows = m;
    h.max_sign_mantissa = h.max_full = 0;
    h.sign_mantissa_len = h.full_len = 0;
    h.has_content_checksum = 0;
    out.tog.assign(16, 0);
    for (uint64_t b = 0; b < bands; ++b) {
        if (!mats[b]) {
            fprintf(stderr, "encode failed\n");
            exit(2);
        }
        const tca_tbe_view &v = mats[b]->view;
        tca_tbe_sizes sz;
        tca_tbe_sizes_of(&v.hdr, &sz);
        for (int p = 0; p < 3; ++p) out.bm[p].insert(out.bm[p].end(), v.bitmap[p], v.bitmap[p] + sz.bitmap);
        out.tom.insert(out.tom.end(), v.tom, v.tom + sz.tom);
        const uint64_t ng = sz.tog / 16 - 1;
        for (uint64_t g = 1; g <= ng; ++g) {
            uint8_t e[16];
            put_u64(e, get_u64(v.tog + 16 * g) + h.sign_mantissa_len);
            put_u64(e + 8, get_u64(v.tog + 16 * g + 8) + h.full_len);
            out.tog.insert(out.tog.end(), e, e + 16);
        }
        out.sm.insert(out.sm.end(), v.sign_mantissa, v.sign_mantissa + sz.sign_mantissa);
        out.full.insert(out.full.end(), v.full, v.full + sz.full);
        h.sign_mantissa_len += v.hdr.sign_mantissa_len;
        h.full_len += v.hdr.full_len;
        h.max_sign_mantissa = std::max(h.max_sign_mantissa, v.hdr.max_sign_mantissa);
        h.max_full = std::max(h.max_full, v.hdr.max_full);
        tca_tbe_matrix_free(mats[b]);
    }
    out.view.hdr = h;
    for (int p = 0; p < 3; ++p) out.view.bitmap[p] = out.bm[p].data();
    out.view.tom = out.tom.data();
    out.view.tog = out.tog.data();
    out.view.sign_mantissa = out.sm.data();
    out.view.full = out.full.data();
}

static void gaussian_parallel(std::vector<uint16_t> &w, double sigma, uint64_t seed) {
    const unsigned nth = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> th;
    const size_t n = w.size();
    for (unsigned t = 0; t < nth; ++t)
        th.emplace_back([&, t] {
            tca_prng r;
            tca_prng_seed(&r, tca_prng_derive(seed, t));
            for (size_t i = n * t / nth; i < n * (t + 1) / nth; ++i)
                w[i] = tca_bf16_from_double_rne(sigma * tca_prng_normal(&r));
        });
    for (auto &x : th) x.join();
}

/* ---------------------------------------------------------------- cuBLASLt best algorithm */

struct LtGemm {
    cublasLtHandle_t lt;
    cublasLtMatmulDesc_t op;
    cublasLtMatrixLayout_t a, b, c;
    std::vector<cublasLtMatmulHeuristicResult_t> algos;
    void *ws;
    size_t ws_bytes;
    int best;
};

static void lt_setup(LtGemm &g, uint64_t m, uint64_t k, uint64_t n) {
    /* Column-major view: C (M x N, ld M) = op(A) * B with A = W^T stored K x M (ld K), op = T;
     * B = X^T stored K x N (ld K). */
    CKB(cublasLtMatmulDescCreate(&g.op, CUBLAS_COMPUTE_32F, CUDA_R_32F));
    cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
    CKB(cublasLtMatmulDescSetAttribute(g.op, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof ta));
    CKB(cublasLtMatmulDescSetAttribute(g.op, CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof tb));
    CKB(cublasLtMatrixLayoutCreate(&g.a, CUDA_R_16BF, k, m, k));
    CKB(cublasLtMatrixLayoutCreate(&g.b, CUDA_R_16BF, k, n, k));
    CKB(cublasLtMatrixLayoutCreate(&g.c, CUDA_R_16BF, m, n, m));
    cublasLtMatmulPreference_t pref;
    CKB(cublasLtMatmulPreferenceCreate(&pref));
    CKB(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &g.ws_bytes,
                                             sizeof g.ws_bytes));
    g.algos.resize(8);
    int found = 0;
    CKB(cublasLtMatmulAlgoGetHeuristic(g.lt, g.op, g.a, g.b, g.c, g.c, pref, 8, g.algos.data(), &found));
    g.algos.resize(found);
    cublasLtMatmulPreferenceDestroy(pref);
}

static void lt_run(LtGemm &g, int i, const void *w, const void *x, void *y) {
    const float one = 1.0f, zero = 0.0f;
    CKB(cublasLtMatmul(g.lt, g.op, &one, w, g.a, x, g.b, &zero, y, g.c, y, g.c, &g.algos[i].algo, g.ws, g.ws_bytes,
                       0));
}

static void lt_free(LtGemm &g) {
    cublasLtMatrixLayoutDestroy(g.a);
    cublasLtMatrixLayoutDestroy(g.b);
    cublasLtMatrixLayoutDestroy(g.c);
    cublasLtMatmulDescDestroy(g.op);
}

/** Whether a CUDA device is present (else says so: the programs then exit with 77). */
static bool bench_have_device(void) {
    int ndev = 0;
    if (cudaGetDeviceCount(&ndev) != cudaSuccess || ndev == 0) {
        printf("no CUDA device\n");
        return false;
    }
    return true;
}

/** A comma-separated list of unsigned integers ("1,8,16") from the command line. */
static std::vector<uint64_t> parse_u64_list(const char *s) {
    std::vector<uint64_t> v;
    while (s && *s) {
        v.push_back(strtoull(s, NULL, 10));
        s = strchr(s, ',');
        if (s) ++s;
    }
    return v;
}

/* ---------------------------------------------------------------- shapes and uploads */

/** The Llama-3.1 8B and 70B layer shapes of the issues (M x K of W). */
struct Shape {
    const char *name;
    uint64_t m, k;
};
static const Shape kLlamaShapes[] = {{"8B QKV 6144x4096", 6144, 4096},       {"8B O 4096x4096", 4096, 4096},
                                     {"8B GateUp 28672x4096", 28672, 4096},  {"8B Down 4096x14336", 4096, 14336},
                                     {"70B QKV 10240x8192", 10240, 8192},    {"70B O 8192x8192", 8192, 8192},
                                     {"70B GateUp 57344x8192", 57344, 8192}, {"70B Down 8192x28672", 8192, 28672}};

/** Upload the layout F form of a v1 encoding (transcoded, spec 8.9; validated again by the
 *  upload); exits with a message on failure. */
static tca_cuda_matrix *upload_as_f(const tca_tbe_view &v1) {
    tca_tbe_f_matrix *fmat = NULL;
    tca_cuda_matrix *dmf = NULL;
    tca_status st = tca_tbe_f_from_v1(&v1, NULL, &fmat);
    if (st == TCA_OK) st = tca_cuda_matrix_upload_f(&fmat->view, &dmf);
    tca_tbe_f_matrix_free(fmat);
    if (st != TCA_OK) {
        fprintf(stderr, "layout F: %s\n", tca_status_name(st));
        exit(2);
    }
    return dmf;
}

#endif
