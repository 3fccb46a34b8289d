/* SPDX-License-Identifier: Apache-2.0 */
/* A layer's four projections back to back (QKV, O, GateUp, Down of Llama-3.1 8B or 70B), as a
 * decode step runs them: one L2 flush before the sequence, then the four GEMMs in one stream
 * without synchronisation. ZipGEMM-F (automatic split-K) with and without programmatic dependent
 * launch (a kernel may start staging its weights while the previous one finishes; X, Y and the
 * workspace wait for it), against cuBLASLt's sequence (each shape's fastest heuristic algorithm,
 * chosen by timing it alone). Same method as bench_zipgemm (bench_common.h): median of `reps`
 * runs, CUDA events around the sequence.
 *
 * Usage: cuda_bench_sequence [reps] [model: 8B | 70B | all] [N list, default "1,8,16"] */
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
#include "tca_cuda.h"
#include "tca_cuda_internal.h"

/** One projection of the layer: its weights (dense for cuBLASLt, layout F for ZipGEMM), an input
 *  X and an output Y of N rows, and cuBLASLt's setup for that N. */
struct Projection {
    const Shape *shape;
    uint16_t *dw = NULL, *dx = NULL, *dy = NULL;
    tca_cuda_matrix *dmf = NULL;
    LtGemm lt;
};

static void run_model(const char *model, int reps, const std::vector<uint64_t> &ns, cublasLtHandle_t handle,
                      void *lt_ws, size_t lt_ws_bytes) {
    std::vector<Projection> layer;
    for (const Shape &sh : kLlamaShapes)
        if (!strncmp(sh.name, model, strlen(model)) && sh.name[strlen(model)] == ' ') {
            Projection p;
            p.shape = &sh;
            layer.push_back(p);
        }
    uint64_t nmax = 1;
    for (uint64_t n : ns) nmax = std::max(nmax, n);
    double cbytes = 0, dbytes = 0;
    for (Projection &p : layer) {
        const uint64_t m = p.shape->m, k = p.shape->k;
        std::vector<uint16_t> w(m * k);
        gaussian_parallel(w, 0.02, 0x5EED0000ull + m + k);
        Encoded enc;
        encode_parallel(w, m, k, enc);
        p.dmf = upload_as_f(enc.view);
        cbytes += (double)tca_cuda_matrix_bytes(p.dmf);
        dbytes += 2.0 * m * k;
        CK(cudaMalloc(&p.dw, m * k * 2));
        CK(cudaMemcpy(p.dw, w.data(), m * k * 2, cudaMemcpyHostToDevice));
        CK(cudaMalloc(&p.dx, nmax * k * 2));
        CK(cudaMalloc(&p.dy, nmax * m * 2));
        std::vector<uint16_t> x(nmax * k);
        gaussian_parallel(x, 1.0, 77 + m);
        CK(cudaMemcpy(p.dx, x.data(), x.size() * 2, cudaMemcpyHostToDevice));
        p.lt.lt = handle;
        p.lt.ws = lt_ws;
        p.lt.ws_bytes = lt_ws_bytes;
    }
    printf("\n## Llama-3.1 %s layer: QKV, O, GateUp, Down back to back; weights %.1f MB dense, %.1f MB layout F\n",
           model, dbytes / 1e6, cbytes / 1e6);
    printf("| N | cuBLASLt us | F with PDL us | speedup | F without PDL us | speedup | PDL gain |\n");
    printf("|---|---|---|---|---|---|---|\n");
    TcaCudaKnobs &kn = tca_cuda_knobs();
    const int pdl_default = kn.f_pdl;
    for (uint64_t n : ns) {
        /* each projection's own workspace: the four calls are queued without synchronisation */
        std::vector<void *> ws(layer.size(), nullptr);
        std::vector<size_t> wsb(layer.size(), 0);
        for (size_t i = 0; i < layer.size(); ++i) {
            CKT(tca_cuda_gemm_workspace_size(layer[i].dmf, n, 0, &wsb[i]));
            if (wsb[i]) CK(cudaMalloc(&ws[i], wsb[i]));
            lt_setup(layer[i].lt, layer[i].shape->m, layer[i].shape->k, n);
            double best = 1e30;
            for (int a = 0; a < (int)layer[i].lt.algos.size(); ++a) {
                const double t = time_us([&] { lt_run(layer[i].lt, a, layer[i].dw, layer[i].dx, layer[i].dy); }, reps);
                if (t < best) {
                    best = t;
                    layer[i].lt.best = a;
                }
            }
        }
        const double t_lt = time_us(
            [&] {
                for (Projection &p : layer) lt_run(p.lt, p.lt.best, p.dw, p.dx, p.dy);
            },
            reps);
        double t_f[2];
        for (int pdl = 1; pdl >= 0; --pdl) {
            kn.f_pdl = pdl;
            t_f[pdl] = time_us(
                [&] {
                    for (size_t i = 0; i < layer.size(); ++i)
                        CKT(tca_cuda_gemm(layer[i].dmf, layer[i].dx, n, 0, layer[i].dy, NULL, ws[i], wsb[i], NULL));
                },
                reps);
        }
        kn.f_pdl = pdl_default;
        printf("| %llu | %.1f | %.1f | %.3f | %.1f | %.3f | %.3f |\n", (unsigned long long)n, t_lt, t_f[1],
               t_lt / t_f[1], t_f[0], t_lt / t_f[0], t_f[0] / t_f[1]);
        for (size_t i = 0; i < layer.size(); ++i) {
            lt_free(layer[i].lt);
            if (ws[i]) CK(cudaFree(ws[i]));
        }
    }
    for (Projection &p : layer) {
        CK(cudaFree(p.dw));
        CK(cudaFree(p.dx));
        CK(cudaFree(p.dy));
        tca_cuda_matrix_free(p.dmf);
    }
}

int main(int argc, char **argv) {
    if (!bench_have_device()) return 77; /* reported as skipped */
    const int reps = argc > 1 ? std::max(5, atoi(argv[1])) : 15;
    const char *model = argc > 2 ? argv[2] : "all";
    const std::vector<uint64_t> ns = parse_u64_list(argc > 3 ? argv[3] : "1,8,16");
    cudaDeviceProp prop;
    CK(cudaGetDeviceProperties(&prop, 0));
    bench_timing_init();
    printf("# bench_sequence: %s, %d SMs; median of %d runs, L2 flushed before each sequence: %s; PDL %s\n",
           prop.name, prop.multiProcessorCount, reps, bench_flush_name(),
           tca_cuda_has_pdl() ? "available" : "not available (both F columns are plain launches)");
    cublasLtHandle_t handle;
    CKB(cublasLtCreate(&handle));
    const size_t lt_ws_bytes = 64u << 20;
    void *lt_ws;
    CK(cudaMalloc(&lt_ws, lt_ws_bytes));
    if (!strcmp(model, "all") || !strcmp(model, "8B")) run_model("8B", reps, ns, handle, lt_ws, lt_ws_bytes);
    if (!strcmp(model, "all") || !strcmp(model, "70B")) run_model("70B", reps, ns, handle, lt_ws, lt_ws_bytes);
    CK(cudaFree(lt_ws));
    cublasLtDestroy(handle);
    return 0;
}
