/* SPDX-License-Identifier: Apache-2.0 */
/* Benchmark: ZipGEMM on layout v1 and on layout F (the same matrix transcoded, spec 8.9) vs
 * cuBLASLt BF16 (best of its heuristic algorithms, timed) vs decompress + cuBLAS, on Llama-3.1
 * 8B / 70B layer shapes, plus both standalone decompressors and a device-to-device copy as the
 * bandwidth yardstick, all in the same run.
 *
 * Method: Gaussian sigma 0.02 BF16 weights, encoded by libtca (row bands in parallel with one
 * common window, then merged and validated on upload); CUDA events around each launch; the L2 is
 * flushed before every timed launch by writing a 256 MiB buffer; median of `reps` runs after
 * warm-up. Speedups are cuBLASLt time / ZipGEMM time.
 *
 * Usage: cuda_bench_zipgemm [reps] [shape-filter substring]   (default 30, all shapes) */
#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <algorithm>
#include <string>
#include <vector>
#include "bench_common.h"
#include "tca/tbe_f.h"
#include "tca_cuda.h"

static int g_reps = 30;

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv) {
    if (!bench_have_device()) return 77; /* reported as skipped */
    if (argc > 1) g_reps = std::max(5, atoi(argv[1]));
    const char *filter = argc > 2 ? argv[2] : "";
    cudaDeviceProp prop;
    CK(cudaGetDeviceProperties(&prop, 0));
    int drv = 0;
    cudaDriverGetVersion(&drv);
    bench_timing_init();
    printf("# bench_zipgemm: %s, %d SMs, sm_%d%d, driver API %d; median of %d runs, L2 flushed before each: %s\n",
           prop.name, prop.multiProcessorCount, prop.major, prop.minor, drv, g_reps, bench_flush_name());

    /* Copy bandwidth yardstick: 1 GiB device-to-device, bytes read + written. */
    const size_t cbytes = 1u << 30;
    void *c0, *c1;
    CK(cudaMalloc(&c0, cbytes));
    CK(cudaMalloc(&c1, cbytes));
    CK(cudaMemset(c0, 1, cbytes));
    const double copy_us = time_us([&] { CK(cudaMemcpyAsync(c1, c0, cbytes, cudaMemcpyDeviceToDevice, 0)); }, 10);
    const double copy_tbs = 2.0 * cbytes / (copy_us * 1e-6) / 1e12;
    printf("# device-to-device copy: %.3f TB/s (read + write)\n", copy_tbs);
    CK(cudaFree(c0));
    CK(cudaFree(c1));

    LtGemm lt;
    CKB(cublasLtCreate(&lt.lt));
    lt.ws_bytes = 64u << 20;
    CK(cudaMalloc(&lt.ws, lt.ws_bytes));

    const uint64_t ns[] = {1, 2, 4, 8, 16, 32, 64, 128};
    const int nn = sizeof ns / sizeof ns[0];
    const uint32_t s_cand[] = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64};
    std::vector<std::vector<double>> sp_auto(nn), sp_best(nn), spf_auto(nn), spf_best(nn);

    for (const Shape &sh : kLlamaShapes) {
        if (*filter && !strstr(sh.name, filter)) continue;
        const uint64_t m = sh.m, k = sh.k;
        std::vector<uint16_t> w(m * k);
        gaussian_parallel(w, 0.02, 0x5EED0000ull + m + k);
        Encoded enc;
        encode_parallel(w, m, k, enc);
        tca_cuda_matrix *dm = NULL;
        tca_status st = tca_cuda_matrix_upload(&enc.view, &dm);
        if (st != TCA_OK) {
            fprintf(stderr, "upload: %s\n", tca_status_name(st));
            return 2;
        }
        /* Layout F: the same matrix transcoded (spec 8.9; validated again by the upload). */
        tca_cuda_matrix *dmf = upload_as_f(enc.view);
        const double cbytes_f = (double)tca_cuda_matrix_bytes(dmf);
        const double cbytes_w = (double)tca_cuda_matrix_bytes(dm), dbytes = 2.0 * m * k;
        uint16_t *dw, *dx, *dy;
        CK(cudaMalloc(&dw, m * k * 2));
        CK(cudaMemcpy(dw, w.data(), m * k * 2, cudaMemcpyHostToDevice));
        const uint64_t nmax = 128;
        CK(cudaMalloc(&dx, nmax * k * 2));
        CK(cudaMalloc(&dy, nmax * m * 2));
        {
            std::vector<uint16_t> x(nmax * k);
            gaussian_parallel(x, 1.0, 77);
            CK(cudaMemcpy(dx, x.data(), x.size() * 2, cudaMemcpyHostToDevice));
        }
        size_t wsb = 0;
        for (uint64_t n : ns)
            for (uint32_t s : s_cand) {
                size_t b = 0;
                if (s > (k + 63) / 64) continue;
                if (tca_cuda_gemm_workspace_size(dm, n, s, &b) == TCA_OK) wsb = std::max(wsb, b);
                if (tca_cuda_gemm_workspace_size(dmf, n, s, &b) == TCA_OK) wsb = std::max(wsb, b);
            }
        for (uint64_t n : ns) {
            size_t b = 0;
            if (tca_cuda_gemm_workspace_size(dm, n, 0, &b) == TCA_OK) wsb = std::max(wsb, b);
            if (tca_cuda_gemm_workspace_size(dmf, n, 0, &b) == TCA_OK) wsb = std::max(wsb, b);
        }
        void *ws = NULL;
        if (wsb) CK(cudaMalloc(&ws, wsb));
        uint16_t *scratch;
        CK(cudaMalloc(&scratch, m * k * 2));

        const double dec_us = time_us([&] { CKT(tca_cuda_decompress(dm, scratch, m * k, NULL)); }, g_reps);
        {
            /* decompressor must reproduce W exactly (spot check of the benchmark's own data) */
            std::vector<uint16_t> back(m * k);
            CK(cudaMemcpy(back.data(), scratch, m * k * 2, cudaMemcpyDeviceToHost));
            if (memcmp(back.data(), w.data(), m * k * 2) != 0) {
                fprintf(stderr, "decompress mismatch on %s\n", sh.name);
                return 1;
            }
        }
        const double decf_us = time_us([&] { CKT(tca_cuda_decompress(dmf, scratch, m * k, NULL)); }, g_reps);
        {
            std::vector<uint16_t> back(m * k);
            CK(cudaMemcpy(back.data(), scratch, m * k * 2, cudaMemcpyDeviceToHost));
            if (memcmp(back.data(), w.data(), m * k * 2) != 0) {
                fprintf(stderr, "layout F decompress mismatch on %s\n", sh.name);
                return 1;
            }
        }
        printf("\n## %s: compressed %.1f MB (ratio %.3f, %.2f bits/weight); layout F %.1f MB (%.2f bits/weight)\n",
               sh.name, cbytes_w / 1e6, dbytes / cbytes_w, 8.0 * cbytes_w / (m * k), cbytes_f / 1e6,
               8.0 * cbytes_f / (m * k));
        printf("decompressor v1: %.1f us, %.3f TB/s (compressed read + dense write) = %.0f%% of copy\n", dec_us,
               (cbytes_w + dbytes) / (dec_us * 1e-6) / 1e12, 100.0 * (cbytes_w + dbytes) / (dec_us * 1e-6) / 1e12 / copy_tbs);
        printf("decompressor F: %.1f us, %.3f TB/s (compressed read + dense write) = %.0f%% of copy\n", decf_us,
               (cbytes_f + dbytes) / (decf_us * 1e-6) / 1e12,
               100.0 * (cbytes_f + dbytes) / (decf_us * 1e-6) / 1e12 / copy_tbs);
        printf("| N | cuBLASLt us | ZipGEMM auto us (S) | speedup | ZipGEMM best us (S) | speedup | decomp+cuBLAS us | "
               "ZipGEMM compressed TB/s | cuBLAS dense TB/s | F auto us (S) | F speedup | F best us (S) | F speedup | "
               "F compressed TB/s |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int ni = 0; ni < nn; ++ni) {
            const uint64_t n = ns[ni];
            lt_setup(lt, m, k, n);
            double lt_us = 1e30;
            for (int a = 0; a < (int)lt.algos.size(); ++a)
                lt_us = std::min(lt_us, time_us([&] { lt_run(lt, a, dw, dx, dy); }, g_reps));
            lt_free(lt);
            const uint32_t sa = tca_cuda_gemm_auto_split(dm, n);
            const double za = time_us([&] { CKT(tca_cuda_gemm(dm, dx, n, sa, dy, NULL, ws, wsb, NULL)); }, g_reps);
            double zb = za;
            uint32_t sb = sa;
            for (uint32_t s : s_cand) {
                if (s > (k + 63) / 64 || s == sa) continue;
                const double t = time_us([&] { CKT(tca_cuda_gemm(dm, dx, n, s, dy, NULL, ws, wsb, NULL)); }, g_reps);
                if (t < zb) {
                    zb = t;
                    sb = s;
                }
            }
            const double dd = time_us([&] { tca_cuda_gemm_dense(dm, dx, n, dy, scratch, NULL); }, g_reps);
            CK(cudaGetLastError());
            /* layout F: the same automatic S (same work split) and the same sweep */
            const uint32_t fa_s = tca_cuda_gemm_auto_split(dmf, n);
            const double fa = time_us([&] { CKT(tca_cuda_gemm(dmf, dx, n, fa_s, dy, NULL, ws, wsb, NULL)); }, g_reps);
            double fb = fa;
            uint32_t fb_s = fa_s;
            for (uint32_t s : s_cand) {
                if (s > (k + 63) / 64 || s == fa_s) continue;
                const double t = time_us([&] { CKT(tca_cuda_gemm(dmf, dx, n, s, dy, NULL, ws, wsb, NULL)); }, g_reps);
                if (t < fb) {
                    fb = t;
                    fb_s = s;
                }
            }
            CK(cudaGetLastError());
            sp_auto[ni].push_back(lt_us / za);
            sp_best[ni].push_back(lt_us / zb);
            spf_auto[ni].push_back(lt_us / fa);
            spf_best[ni].push_back(lt_us / fb);
            printf("| %llu | %.1f | %.1f (%u) | %.3f | %.1f (%u) | %.3f | %.1f | %.3f | %.3f | %.1f (%u) | %.3f | %.1f (%u) "
                   "| %.3f | %.3f |\n",
                   (unsigned long long)n, lt_us, za, sa, lt_us / za, zb, sb, lt_us / zb, dd,
                   cbytes_w / (za * 1e-6) / 1e12, dbytes / (lt_us * 1e-6) / 1e12, fa, fa_s, lt_us / fa, fb, fb_s,
                   lt_us / fb, cbytes_f / (fa * 1e-6) / 1e12);
            fflush(stdout);
        }
        if (tca_cuda_matrix_check(dm) != TCA_OK || tca_cuda_matrix_check(dmf) != TCA_OK) {
            fprintf(stderr, "device error word set\n");
            return 1;
        }
        /* Large-N switch point: fused (auto S) vs decompress + cuBLAS for prefill sizes. */
        if (!strcmp(sh.name, "8B O 4096x4096") || !strcmp(sh.name, "70B O 8192x8192") ||
            !strcmp(sh.name, "8B GateUp 28672x4096")) {
            const uint64_t big[] = {128, 256, 512, 1024, 2048};
            uint16_t *bx, *by;
            CK(cudaMalloc(&bx, 2048 * k * 2));
            CK(cudaMalloc(&by, 2048 * m * 2));
            CK(cudaMemset(bx, 0x3C, 2048 * k * 2));
            printf("large-N: | N | ZipGEMM us | decomp+cuBLAS us |\n");
            for (uint64_t n : big) {
                const int r = std::max(5, g_reps / 3);
                const double f = time_us([&] { CKT(tca_cuda_gemm(dm, bx, n, 0, by, NULL, NULL, 0, NULL)); }, r);
                const double d = time_us([&] { tca_cuda_gemm_dense(dm, bx, n, by, scratch, NULL); }, r);
                printf("large-N: | %llu | %.1f | %.1f |\n", (unsigned long long)n, f, d);
            }
            CK(cudaFree(bx));
            CK(cudaFree(by));
        }
        CK(cudaFree(scratch));
        if (ws) CK(cudaFree(ws));
        CK(cudaFree(dw));
        CK(cudaFree(dx));
        CK(cudaFree(dy));
        tca_cuda_matrix_free(dm);
        tca_cuda_matrix_free(dmf);
    }

    const char *layout_name[2] = {"v1", "F"};
    for (int lay = 0; lay < 2; ++lay) {
        const auto &va = lay ? spf_auto : sp_auto;
        const auto &vb = lay ? spf_best : sp_best;
        printf("\n## Summary: ZipGEMM (layout %s) / cuBLASLt speedup over the shapes run\n| N | geomean auto | min auto | "
               "geomean best-S | min best-S |\n|---|---|---|---|---|\n",
               layout_name[lay]);
        for (int ni = 0; ni < nn; ++ni) {
            if (va[ni].empty()) continue;
            double la = 0, lb = 0, ma = 1e9, mb = 1e9;
            for (size_t i = 0; i < va[ni].size(); ++i) {
                la += log(va[ni][i]);
                lb += log(vb[ni][i]);
                ma = std::min(ma, va[ni][i]);
                mb = std::min(mb, vb[ni][i]);
            }
            printf("| %llu | %.3f | %.3f | %.3f | %.3f |\n", (unsigned long long)ns[ni], exp(la / va[ni].size()), ma,
                   exp(lb / vb[ni].size()), mb);
        }
    }
    return 0;
}
