/* SPDX-License-Identifier: Apache-2.0 */
/* Tuning table for the layout F kernels (and the v1 ZipGEMM as a reference): for each Llama-3.1
 * layer shape and N, cuBLASLt (best heuristic algorithm) against ZipGEMM-F in every launch
 * configuration named on the command line (pipeline stages, strips per warp, register bound), each
 * at the automatic split-K factor and at the best S of a sweep; plus the F decompressor per stage
 * count. Same method as bench_zipgemm (bench_common.h): median of `reps` runs, L2 flushed.
 *
 * Configurations only exist in a tuning build (-DTCA_CUDA_TUNING=ON); a plain build runs the
 * default one whatever is asked (the header line says which build this is).
 *
 * Usage: cuda_bench_tune_f [reps] [shape-filter] [configs] [N list]
 *   configs: comma-separated STAGES:STRIPS:MINB[:WARPS[:PROBE]], e.g. "2:2:0,3:2:0,3:4:0"
 *            (default); 0 (-1 for MINB) means the built-in default; PROBE (tuning builds, wrong
 *            results, to time the parts): 1 skips the split-K reduction, 2 the decode and MMAs;
 *            4 (correct results) uses the previous, one-load-per-split reduction kernel
 *   N list:  comma-separated, default "1,8,16,32"
 * Environment: TCA_BENCH_FLUSH=read (clean L2 flush, bench_common.h), TCA_BENCH_NO_SWEEP=1 (auto S
 * only). */
#include <cublasLt.h>
#include <cuda_runtime.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <string>
#include <vector>
#include "bench_common.h"
#include "tca/tbe_f.h"
#include "tca_cuda.h"
#include "tca_cuda_internal.h"

struct Config {
    int stages, strips, minb, warps, probe;
};

static std::vector<Config> parse_configs(const char *s) {
    std::vector<Config> v;
    while (s && *s) {
        Config c = {2, 2, 0, 0, 0};
        if (sscanf(s, "%d:%d:%d:%d:%d", &c.stages, &c.strips, &c.minb, &c.warps, &c.probe) < 2) break;
        v.push_back(c);
        s = strchr(s, ',');
        if (s) ++s;
    }
    return v;
}

static void set_knobs(const Config &c) {
    TcaCudaKnobs &k = tca_cuda_knobs();
    k.stages = c.stages;
    k.f_strips = c.strips;
    k.f_min_blocks = c.minb;
    k.f_cta_warps = c.warps;
    k.f_probe = c.probe;
}

int main(int argc, char **argv) {
    if (!bench_have_device()) return 77; /* reported as skipped */
    const int reps = argc > 1 ? std::max(5, atoi(argv[1])) : 15;
    const char *filter = argc > 2 ? argv[2] : "";
    const std::vector<Config> cfgs = parse_configs(argc > 3 ? argv[3] : "2:2:0,3:2:0,3:4:0");
    const std::vector<uint64_t> ns = parse_u64_list(argc > 4 ? argv[4] : "1,8,16,32");
    cudaDeviceProp prop;
    CK(cudaGetDeviceProperties(&prop, 0));
    bench_timing_init();
    printf("# bench_tune_f: %s, %d SMs; median of %d runs, L2 flushed: %s; tuning build: %s\n", prop.name,
           prop.multiProcessorCount, reps, bench_flush_name(),
#if TCA_CUDA_TUNING
           "yes"
#else
           "NO (every configuration runs the default)"
#endif
    );
    LtGemm lt;
    CKB(cublasLtCreate(&lt.lt));
    lt.ws_bytes = 64u << 20;
    CK(cudaMalloc(&lt.ws, lt.ws_bytes));
    const uint32_t s_cand[] = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32};
    /* TCA_BENCH_NO_SWEEP=1: automatic S only (the best-S columns repeat it), for quick A/B runs */
    const bool no_sweep = getenv("TCA_BENCH_NO_SWEEP") && atoi(getenv("TCA_BENCH_NO_SWEEP")) == 1;
    /* geomean accumulators: [config][n] of log(speedup), auto and best */
    std::vector<std::vector<double>> la(cfgs.size(), std::vector<double>(ns.size())), lb = la;
    std::vector<std::vector<double>> mina(cfgs.size(), std::vector<double>(ns.size(), 1e30));
    int nshapes = 0;
    for (const Shape &sh : kLlamaShapes) {
        if (*filter && !strstr(sh.name, filter)) continue;
        ++nshapes;
        const uint64_t m = sh.m, k = sh.k;
        std::vector<uint16_t> w(m * k);
        gaussian_parallel(w, 0.02, 0x5EED0000ull + m + k);
        Encoded enc;
        encode_parallel(w, m, k, enc);
        tca_cuda_matrix *dmf = upload_as_f(enc.view);
        const double cbytes = (double)tca_cuda_matrix_bytes(dmf);
        uint16_t *dw, *dx, *dy, *scratch;
        CK(cudaMalloc(&dw, m * k * 2));
        CK(cudaMemcpy(dw, w.data(), m * k * 2, cudaMemcpyHostToDevice));
        uint64_t nmax = 1;
        for (uint64_t n : ns) nmax = std::max(nmax, n);
        CK(cudaMalloc(&dx, nmax * k * 2));
        CK(cudaMalloc(&dy, nmax * m * 2));
        CK(cudaMalloc(&scratch, m * k * 2));
        {
            std::vector<uint16_t> x(nmax * k);
            gaussian_parallel(x, 1.0, 77);
            CK(cudaMemcpy(dx, x.data(), x.size() * 2, cudaMemcpyHostToDevice));
        }
        size_t wsb = 0; /* the largest of every S this run may ask for */
        for (uint64_t n : ns)
            for (uint32_t s = 1; s <= 64 && s <= (k + 63) / 64; ++s) {
                size_t b = 0;
                if (tca_cuda_gemm_workspace_size(dmf, n, s, &b) == TCA_OK) wsb = std::max(wsb, b);
            }
        for (uint64_t n : ns) {
            size_t b = 0;
            if (tca_cuda_gemm_workspace_size(dmf, n, 0, &b) == TCA_OK) wsb = std::max(wsb, b);
        }
        void *ws;
        CK(cudaMalloc(&ws, wsb));
        printf("\n## %s: layout F %.1f MB\n", sh.name, cbytes / 1e6);
        for (int stg = 2; stg <= 4; ++stg) {
            set_knobs({stg, 2, 0, 0, 0});
            const double us = time_us([&] { CKT(tca_cuda_decompress(dmf, scratch, m * k, NULL)); }, reps);
            std::vector<uint16_t> back(m * k);
            CK(cudaMemcpy(back.data(), scratch, m * k * 2, cudaMemcpyDeviceToHost));
            printf("decompressor F, %d stages: %.1f us, %.3f TB/s read+write%s\n", stg, us,
                   (cbytes + 2.0 * m * k) / (us * 1e-6) / 1e12,
                   memcmp(back.data(), w.data(), m * k * 2) ? "  MISMATCH" : "");
        }
        printf("| N | cuBLASLt us |");
        for (const Config &c : cfgs) printf(" F %d:%d:%d:%d:%d auto us (S) | x | best us (S) | x |", c.stages, c.strips, c.minb, c.warps,
                   c.probe);
        printf("\n|---|---|");
        for (size_t i = 0; i < cfgs.size(); ++i) printf("---|---|---|---|");
        printf("\n");
        for (size_t ni = 0; ni < ns.size(); ++ni) {
            const uint64_t n = ns[ni];
            lt_setup(lt, m, k, n);
            double lt_us = 1e30;
            for (int a = 0; a < (int)lt.algos.size(); ++a)
                lt_us = std::min(lt_us, time_us([&] { lt_run(lt, a, dw, dx, dy); }, reps));
            lt_free(lt);
            printf("| %llu | %.1f |", (unsigned long long)n, lt_us);
            double ta0 = 0;
            for (size_t ci = 0; ci < cfgs.size(); ++ci) {
                set_knobs(cfgs[ci]);
                const uint32_t sa = tca_cuda_gemm_auto_split(dmf, n);
                const double ta =
                    time_us([&] { CKT(tca_cuda_gemm(dmf, dx, n, sa, dy, NULL, ws, wsb, NULL)); }, reps);
                double tb = ta;
                uint32_t sb = sa;
                for (uint32_t s : s_cand) {
                    if (no_sweep || s > (k + 63) / 64 || s == sa) continue;
                    const double t = time_us([&] { CKT(tca_cuda_gemm(dmf, dx, n, s, dy, NULL, ws, wsb, NULL)); }, reps);
                    if (t < tb) {
                        tb = t;
                        sb = s;
                    }
                }
                CK(cudaGetLastError());
                if (ci == 0) ta0 = ta;
                printf(" %.1f (%u) | %.3f | %.1f (%u) | %.3f |", ta, sa, lt_us / ta, tb, sb, lt_us / tb);
                la[ci][ni] += log(lt_us / ta);
                lb[ci][ni] += log(lt_us / tb);
                mina[ci][ni] = std::min(mina[ci][ni], lt_us / ta);
            }
            printf(" first config at auto S: %.2f TB/s compressed\n", cbytes / (ta0 * 1e-6) / 1e12);
        }
        CK(cudaFree(ws));
        CK(cudaFree(dw));
        CK(cudaFree(dx));
        CK(cudaFree(dy));
        CK(cudaFree(scratch));
        tca_cuda_matrix_free(dmf);
    }
    printf("\n## Summary over %d shapes: geomean speedup over cuBLASLt (auto S / best S), min auto\n", nshapes);
    printf("| config |");
    for (uint64_t n : ns) printf(" N=%llu |", (unsigned long long)n);
    printf("\n|---|");
    for (size_t i = 0; i < ns.size(); ++i) printf("---|");
    printf("\n");
    for (size_t ci = 0; ci < cfgs.size(); ++ci) {
        printf("| %d:%d:%d:%d:%d |", cfgs[ci].stages, cfgs[ci].strips, cfgs[ci].minb, cfgs[ci].warps,
               cfgs[ci].probe);
        for (size_t ni = 0; ni < ns.size(); ++ni)
            printf(" %.3f / %.3f, min %.3f |", exp(la[ci][ni] / nshapes), exp(lb[ci][ni] / nshapes), mina[ci][ni]);
        printf("\n");
    }
    return 0;
}
