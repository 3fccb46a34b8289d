// SPDX-License-Identifier: Apache-2.0
// Hardware truth for the GEMM contract (spec mma-semantics 6; numerics reference 7) and the two
// IEEE operations the contract uses outside the tensor cores:
//  1. GEMMs on the GPU exactly as the contract states them: per 16 x 8 output block and split,
//     a chain of mma.sync.m16n8k16.f32.bf16.bf16.f32 over the split's k16 chunks from +0; the
//     partials added with __fadd_rn in increasing split order; __float2bfloat16_rn last. Compared
//     bit for bit (FP32 and BF16) with tca_gemm_ref computed from the TCA-TBE compressed W.
//  2. cvt.rn.bf16.f32 over ALL 2^32 binary32 patterns, against tca_bf16_from_f32_rne.
//  3. fadd.rn.f32 over class-mixed pairs (subnormals, cancellation, overflow, NaN payloads),
//     against tca_f32_add_rne.
// Prints one line per check; exit 0 only when everything matched.
#include <cuda_bf16.h>
#include <cuda_runtime.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

extern "C" {
#include "tca/bf16.h"
#include "tca/gemm.h"
#include "tca/mma.h"
#include "tca/prng.h"
#include "tca/tbe.h"
#include "tca/tv.h"
}

#define CUDA_CHECK(x)                                                                          \
    do {                                                                                       \
        cudaError_t e_ = (x);                                                                  \
        if (e_ != cudaSuccess) {                                                               \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e_)); \
            exit(2);                                                                           \
        }                                                                                      \
    } while (0)

// Run f(begin, end) over [0, n) on all host cores.
template <class F> static void parallel_for(uint64_t n, F f)
{
    unsigned t = std::thread::hardware_concurrency();
    if (t == 0) t = 1;
    std::vector<std::thread> th;
    for (unsigned i = 0; i < t; i++) {
        uint64_t b = n * i / t, e = n * (i + 1) / t;
        th.emplace_back([=] { f(b, e); });
    }
    for (auto &x : th) x.join();
}

// ------------------------------------------------------------------------------- 1. GEMM

// One warp per (16-row block of W, 8-column block of X, split). Wp: Mp x Kp, Xp: Np x Kp, zero
// padded (spec 6.5). Fragments per numerics reference 6.1.
__global__ void gemm_partials(const uint16_t *Wp, const uint16_t *Xp, float *P, int Mp, int Np, int Kp, int S)
{
    const int m0 = 16 * blockIdx.x, n0 = 8 * blockIdx.y, s = blockIdx.z;
    const int lane = threadIdx.x, g = lane >> 2, t = lane & 3;
    const long long T = Kp / 64;
    const long long kt0 = (long long)s * T / S, kt1 = ((long long)s + 1) * T / S; // spec 6.3
    float d[4] = {0.0f, 0.0f, 0.0f, 0.0f};                                       // from +0
    for (long long kt = kt0; kt < kt1; kt++)
        for (int c = 0; c < 4; c++) { // spec 6.2: k16 chunks in increasing k
            const long long k0 = 64 * kt + 16 * c;
            uint32_t a[4], b[2];
            for (int i = 0; i < 4; i++) {
                const int row = m0 + g + 8 * (i & 1);
                const long long col = k0 + 2 * t + 8 * (i >> 1);
                a[i] = *(const uint32_t *)(Wp + (long long)row * Kp + col);
            }
            b[0] = *(const uint32_t *)(Xp + (long long)(n0 + g) * Kp + k0 + 2 * t);
            b[1] = *(const uint32_t *)(Xp + (long long)(n0 + g) * Kp + k0 + 2 * t + 8);
            asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, "
                         "{%8,%9}, {%0,%1,%2,%3};\n"
                         : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                         : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
        }
    for (int i = 0; i < 4; i++) {
        const int row = m0 + g + 8 * (i >> 1), col = n0 + 2 * t + (i & 1);
        P[((long long)s * Np + col) * Mp + row] = d[i];
    }
}

// spec 6.3, 6.4: r = p0; r = r + p1; ...; y_f32 = r; y = bf16_rn(r)
__global__ void gemm_epilogue(const float *P, uint32_t *yf, uint16_t *y, int M, int N, int Mp, int Np, int S)
{
    const long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long long)M * N) return;
    const int n = (int)(i / M), m = (int)(i % M);
    float r = P[(long long)n * Mp + m];
    for (int s = 1; s < S; s++) r = __fadd_rn(r, P[((long long)s * Np + n) * Mp + m]);
    yf[i] = __float_as_uint(r);
    y[i] = __bfloat16_as_ushort(__float2bfloat16_rn(r));
}

struct GemmCase {
    const char *w_recipe, *x_recipe;
    uint64_t m, k, n;
    std::vector<uint32_t> splits;
};

static int run_gemm_case(const GemmCase &gc, uint64_t seed, const tca_mma_profile *p)
{
    const uint64_t M = gc.m, K = gc.k, N = gc.n;
    const uint64_t Mp = (M + 63) / 64 * 64, Kp = (K + 63) / 64 * 64, Np = (N + 7) / 8 * 8;
    std::vector<uint16_t> w(M * K), x(N * K);
    if (tca_tv_fill_matrix(gc.w_recipe, seed, w.data(), M, K) != TCA_OK ||
        tca_tv_fill_matrix(gc.x_recipe, seed ^ 0x5A5A5A5Aull, x.data(), N, K) != TCA_OK) {
        fprintf(stderr, "unknown recipe\n");
        return 2;
    }
    tca_tbe_matrix *mat = NULL;
    if (tca_tbe_encode(w.data(), M, K, NULL, NULL, &mat) != TCA_OK) {
        fprintf(stderr, "encode failed\n");
        return 2;
    }
    std::vector<uint16_t> wp(Mp * Kp, 0), xp(Np * Kp, 0);
    for (uint64_t i = 0; i < M; i++) memcpy(&wp[i * Kp], &w[i * K], K * 2);
    for (uint64_t i = 0; i < N; i++) memcpy(&xp[i * Kp], &x[i * K], K * 2);
    uint16_t *dW, *dX, *dy;
    float *dP;
    uint32_t *dyf;
    const uint32_t Smax = *std::max_element(gc.splits.begin(), gc.splits.end());
    CUDA_CHECK(cudaMalloc(&dW, wp.size() * 2));
    CUDA_CHECK(cudaMalloc(&dX, xp.size() * 2));
    CUDA_CHECK(cudaMalloc(&dP, (size_t)Smax * Np * Mp * 4));
    CUDA_CHECK(cudaMalloc(&dyf, M * N * 4));
    CUDA_CHECK(cudaMalloc(&dy, M * N * 2));
    CUDA_CHECK(cudaMemcpy(dW, wp.data(), wp.size() * 2, cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpy(dX, xp.data(), xp.size() * 2, cudaMemcpyHostToDevice));
    int worst = 0;
    for (uint32_t S : gc.splits) {
        CUDA_CHECK(cudaMemset(dyf, 0xAB, M * N * 4)); // poison
        CUDA_CHECK(cudaMemset(dy, 0xAB, M * N * 2));
        gemm_partials<<<dim3((unsigned)(Mp / 16), (unsigned)(Np / 8), S), 32>>>(dW, dX, dP, (int)Mp, (int)Np, (int)Kp,
                                                                              (int)S);
        CUDA_CHECK(cudaGetLastError());
        gemm_epilogue<<<(unsigned)((M * N + 255) / 256), 256>>>(dP, dyf, dy, (int)M, (int)N, (int)Mp, (int)Np,
                                                                 (int)S);
        CUDA_CHECK(cudaGetLastError());
        CUDA_CHECK(cudaDeviceSynchronize());
        std::vector<uint32_t> hyf(M * N), ryf(M * N);
        std::vector<uint16_t> hy(M * N), ry(M * N);
        CUDA_CHECK(cudaMemcpy(hyf.data(), dyf, M * N * 4, cudaMemcpyDeviceToHost));
        CUDA_CHECK(cudaMemcpy(hy.data(), dy, M * N * 2, cudaMemcpyDeviceToHost));
        tca_status st = tca_gemm_ref(&mat->view, x.data(), N, p, S, ry.data(), ryf.data());
        if (st != TCA_OK) {
            fprintf(stderr, "tca_gemm_ref: %s\n", tca_status_name(st));
            return 2;
        }
        uint64_t bad32 = 0, bad16 = 0, nan = 0, first = UINT64_MAX;
        for (uint64_t i = 0; i < M * N; i++) {
            if (hyf[i] != ryf[i]) bad32++, first = first == UINT64_MAX ? i : first;
            if (hy[i] != ry[i]) bad16++;
            if (tca_f32_is_nan(hyf[i])) nan++;
        }
        printf("gemm %-9s x %-9s M=%-4llu K=%-5llu N=%-3llu S=%-3u outputs %6llu: fp32 mismatches %llu, bf16 "
               "mismatches %llu, NaN %llu\n",
               gc.w_recipe, gc.x_recipe, (unsigned long long)M, (unsigned long long)K, (unsigned long long)N, S,
               (unsigned long long)(M * N), (unsigned long long)bad32, (unsigned long long)bad16,
               (unsigned long long)nan);
        if (first != UINT64_MAX)
            printf("  first: Y[%llu][%llu] gpu %08x/%04x ref %08x/%04x\n", (unsigned long long)(first / M),
                   (unsigned long long)(first % M), hyf[first], hy[first], ryf[first], ry[first]);
        if (bad32 || bad16) worst = 1;
    }
    cudaFree(dW), cudaFree(dX), cudaFree(dP), cudaFree(dyf), cudaFree(dy);
    tca_tbe_matrix_free(mat);
    return worst;
}

// ------------------------------------------------------------------- 2. cvt.rn.bf16.f32, all 2^32

__global__ void cvt_all(uint16_t *out, uint64_t base, uint64_t count)
{
    const uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i < count) out[i] = __bfloat16_as_ushort(__float2bfloat16_rn(__uint_as_float((uint32_t)(base + i))));
}

static int run_cvt_exhaustive(void)
{
    const uint64_t chunk = 1ull << 28;
    uint16_t *d;
    CUDA_CHECK(cudaMalloc(&d, chunk * 2));
    std::vector<uint16_t> h(chunk);
    std::atomic<uint64_t> bad{0}, bad_nan{0}, first{UINT64_MAX};
    for (uint64_t base = 0; base < (1ull << 32); base += chunk) {
        cvt_all<<<(unsigned)(chunk / 256), 256>>>(d, base, chunk);
        CUDA_CHECK(cudaGetLastError());
        CUDA_CHECK(cudaMemcpy(h.data(), d, chunk * 2, cudaMemcpyDeviceToHost));
        parallel_for(chunk, [&](uint64_t b, uint64_t e) {
            uint64_t local = 0, local_nan = 0;
            for (uint64_t i = b; i < e; i++)
                if (h[i] != tca_bf16_from_f32_rne((uint32_t)(base + i))) {
                    local++;
                    local_nan += (uint64_t)tca_f32_is_nan((uint32_t)(base + i));
                    uint64_t f = first.load();
                    while (base + i < f && !first.compare_exchange_weak(f, base + i)) {
                    }
                }
            bad += local;
            bad_nan += local_nan;
        });
    }
    cudaFree(d);
    d = NULL;
    printf("cvt.rn.bf16.f32 all 4294967296 patterns: mismatches %llu (of which NaN inputs %llu)",
           (unsigned long long)bad.load(), (unsigned long long)bad_nan.load());
    if (bad.load()) {
        const uint32_t f = (uint32_t)first.load();
        uint16_t got;
        CUDA_CHECK(cudaMalloc(&d, 2));
        cvt_all<<<1, 1>>>(d, f, 1);
        CUDA_CHECK(cudaMemcpy(&got, d, 2, cudaMemcpyDeviceToHost));
        cudaFree(d);
        printf(" (first input %08x: gpu %04x ref %04x)", f, got, tca_bf16_from_f32_rne(f));
    }
    printf("\n");
    return bad.load() ? 1 : 0;
}

// ---------------------------------------------------------------------------- 3. fadd.rn.f32

__global__ void fadd_pairs(const uint32_t *a, const uint32_t *b, uint32_t *out, uint64_t n)
{
    const uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = __float_as_uint(__fadd_rn(__uint_as_float(a[i]), __uint_as_float(b[i])));
}

// A binary32 pattern of a class chosen at random: any bits, subnormal, huge, zero, Inf, NaN.
static uint32_t draw_f32(tca_prng *r)
{
    const uint64_t c = tca_prng_below(r, 100), u = tca_prng_u64(r);
    const uint32_t sign = (uint32_t)(u >> 63) << 31, frac = (uint32_t)u & 0x7FFFFFu;
    if (c < 40) return (uint32_t)u;                                        // any pattern
    if (c < 60) return sign | ((uint32_t)tca_prng_range(r, 100, 154) << 23) | frac; // near 1
    if (c < 75) return sign | frac;                                         // subnormal (or 0)
    if (c < 85) return sign | ((uint32_t)tca_prng_range(r, 1, 3) << 23) | frac;    // tiny normal
    if (c < 93) return sign | ((uint32_t)tca_prng_range(r, 250, 254) << 23) | frac; // huge
    if (c < 96) return sign;                                                // +-0
    if (c < 98) return sign | 0x7F800000u;                                  // +-Inf
    return sign | 0x7F800000u | (frac ? frac : 1u);                         // NaN, any payload
}

static int run_fadd(uint64_t n, uint64_t seed)
{
    std::vector<uint32_t> a(n), b(n), out(n);
    tca_prng r;
    tca_prng_seed(&r, seed);
    for (uint64_t i = 0; i < n; i++) {
        a[i] = draw_f32(&r);
        const uint64_t c = tca_prng_below(&r, 4);
        if (c == 0) // cancellation: -a nudged by a few ulps
            b[i] = (a[i] ^ 0x80000000u) + (uint32_t)tca_prng_range(&r, -3, 3);
        else if (c == 1) // same exponent neighbourhood
            b[i] = (a[i] & 0xFF800000u) ^ ((uint32_t)tca_prng_u64(&r) & 0x807FFFFFu);
        else
            b[i] = draw_f32(&r);
    }
    uint32_t *da, *db, *dout;
    CUDA_CHECK(cudaMalloc(&da, n * 4));
    CUDA_CHECK(cudaMalloc(&db, n * 4));
    CUDA_CHECK(cudaMalloc(&dout, n * 4));
    CUDA_CHECK(cudaMemcpy(da, a.data(), n * 4, cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpy(db, b.data(), n * 4, cudaMemcpyHostToDevice));
    fadd_pairs<<<(unsigned)((n + 255) / 256), 256>>>(da, db, dout, n);
    CUDA_CHECK(cudaGetLastError());
    CUDA_CHECK(cudaMemcpy(out.data(), dout, n * 4, cudaMemcpyDeviceToHost));
    cudaFree(da), cudaFree(db), cudaFree(dout);
    std::atomic<uint64_t> bad{0}, nan{0}, sub{0}, bad_nan{0};
    std::atomic<uint64_t> first{UINT64_MAX};
    parallel_for(n, [&](uint64_t bgn, uint64_t end) {
        uint64_t lb = 0, ln = 0, ls = 0, lbn = 0;
        for (uint64_t i = bgn; i < end; i++) {
            const uint32_t ref = tca_f32_add_rne(a[i], b[i]);
            if (out[i] != ref) {
                lb++;
                lbn += (uint64_t)(tca_f32_is_nan(out[i]) && tca_f32_is_nan(ref));
                uint64_t f = first.load();
                while (i < f && !first.compare_exchange_weak(f, i)) {
                }
            }
            if (tca_f32_is_nan(out[i])) ln++;
            if ((out[i] & 0x7F800000u) == 0 && (out[i] & 0x7FFFFFu)) ls++;
        }
        bad += lb, nan += ln, sub += ls, bad_nan += lbn;
    });
    printf("fadd.rn.f32 %llu class-mixed pairs: mismatches %llu (NaN payload only %llu; NaN results %llu, "
           "subnormal results %llu)",
           (unsigned long long)n, (unsigned long long)bad.load(), (unsigned long long)bad_nan.load(),
           (unsigned long long)nan.load(), (unsigned long long)sub.load());
    if (bad.load()) {
        const uint64_t f = first.load();
        printf(" (first %08x + %08x: gpu %08x ref %08x)", a[f], b[f], out[f], tca_f32_add_rne(a[f], b[f]));
    }
    printf("\n");
    return bad.load() ? 1 : 0;
}

int main(int argc, char **argv)
{
    uint64_t seed = 0x7463615F67656D6Dull; // "tca_gemm"
    uint64_t fadd_n = 1ull << 25;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--fadd") && i + 1 < argc) fadd_n = strtoull(argv[++i], NULL, 0);
        else {
            fprintf(stderr, "usage: tca_capture_gemm [--seed S] [--fadd PAIRS]\n");
            return 2;
        }
    }
    cudaDeviceProp prop;
    CUDA_CHECK(cudaGetDeviceProperties(&prop, 0));
    printf("GPU %s (sm_%d%d)\n", prop.name, prop.major, prop.minor);
    const tca_mma_profile *p = tca_mma_profile_by_name("sm90");
    static const GemmCase cases[] = {
        {"weights", "act", 256, 1024, 16, {1, 2, 3, 5, 16}},
        {"widerange", "widerange", 130, 200, 9, {1, 2, 4}},
        {"pairs", "negpairs", 64, 4096, 8, {1, 3, 7, 64}},
        {"pairs", "nearpairs", 192, 2048, 24, {1, 3, 32}},
        {"specials", "act", 192, 512, 24, {1, 8}},
        {"smallint", "smallint", 128, 640, 32, {1, 10}},
        {"weights", "widerange", 100, 1000, 5, {1, 6, 16}},
    };
    int rc = 0, i = 0;
    for (const GemmCase &gc : cases) rc |= run_gemm_case(gc, tca_prng_derive(seed, (uint64_t)i++), p);
    rc |= run_cvt_exhaustive();
    rc |= run_fadd(fadd_n, tca_prng_derive(seed, 1000));
    printf("%s\n", rc ? "MISMATCHES FOUND" : "all matched");
    return rc;
}
