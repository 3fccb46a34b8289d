// SPDX-License-Identifier: Apache-2.0
// Hardware-truth capture (numerics reference sections 5, 6 and 9): runs tensor-core instructions
// on an sm_90 GPU over every MMA input family (tca/families.h, deterministic SplitMix64 draws),
// compares each result with the emulator (sm90 profile) on the host, and writes
//  - a compact set of captured cases as .tv files (op, arch, family, seed, count, GPU name,
//    driver and CUDA versions in the header; the hardware's D in each record), and
//  - the mismatching cases, if any, as mismatch-*.tv, plus a summary table.
// Instructions: mma.sync m16n8k16 f32.bf16.bf16.f32, f32.f16.f16.f32, f16.f16.f16.f16,
// m16n8k8 f32.bf16.bf16.f32, and wgmma.mma_async m64n8k16.f32.bf16.bf16 (sm_90a; A and B from
// shared memory through descriptors, no swizzle, K-major core matrices, numerics reference 6.4).
//
// Fragments are built from the tiles with the PTX formulas (numerics reference 6.1, 6.2), written
// here independently of the emulator's own layout code.
#include <cuda_runtime.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <string>
#include <vector>

extern "C" {
#include "tca/families.h"
#include "tca/mma.h"
#include "tca/prng.h"
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

// One tile as the families and the .tv records hold it: A 16 x K row-major, B K x 8 row-major
// (B[k][n]), C and D 16 x 8 row-major (f32 patterns, or f16 in the low 16 bits).
struct Tile {
    uint16_t A[256];
    uint16_t B[128];
    uint32_t C[128];
    uint32_t D[128];
};

__device__ __forceinline__ uint32_t pack2(uint16_t lo, uint16_t hi) { return (uint32_t)lo | ((uint32_t)hi << 16); }

// ------------------------------------------------------------------------------- kernels
// One warp per tile. Lane l: g = l >> 2, t = l & 3 (numerics reference 6.1).

enum OpKind { OP_K16_BF16_F32 = 0, OP_K16_F16_F32 = 1, OP_K16_F16_F16 = 2, OP_K8_BF16_F32 = 3, OP_WGMMA_BF16_F32 = 4 };

template <int KIND>
__global__ void mma_sync_kernel(Tile *tiles, int count)
{
    const int tile = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32;
    if (tile >= count) return;
    Tile &T = tiles[tile];
    const int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
    if constexpr (KIND == OP_K8_BF16_F32) {
        // A 16 x 8: R0 = A[g][2t..2t+1], R1 = A[g+8][2t..2t+1]; B R0 = B[2t..2t+1][g] (6.2)
        uint32_t a0 = pack2(T.A[g * 8 + 2 * t], T.A[g * 8 + 2 * t + 1]);
        uint32_t a1 = pack2(T.A[(g + 8) * 8 + 2 * t], T.A[(g + 8) * 8 + 2 * t + 1]);
        uint32_t b0 = pack2(T.B[(2 * t) * 8 + g], T.B[(2 * t + 1) * 8 + g]);
        float d0 = __uint_as_float(T.C[g * 8 + 2 * t]), d1 = __uint_as_float(T.C[g * 8 + 2 * t + 1]);
        float d2 = __uint_as_float(T.C[(g + 8) * 8 + 2 * t]), d3 = __uint_as_float(T.C[(g + 8) * 8 + 2 * t + 1]);
        asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%0,%1,%2,%3};\n"
                     : "+f"(d0), "+f"(d1), "+f"(d2), "+f"(d3)
                     : "r"(a0), "r"(a1), "r"(b0));
        T.D[g * 8 + 2 * t] = __float_as_uint(d0);
        T.D[g * 8 + 2 * t + 1] = __float_as_uint(d1);
        T.D[(g + 8) * 8 + 2 * t] = __float_as_uint(d2);
        T.D[(g + 8) * 8 + 2 * t + 1] = __float_as_uint(d3);
    } else {
    // m16n8k16 A: register i = A[g + 8(i & 1)][2t + 8(i >> 1) .. +1]; B: R0 = B[2t..2t+1][g],
    // R1 = B[2t+8..2t+9][g] (6.1)
    uint32_t a[4], b[2];
    for (int i = 0; i < 4; i++) {
        const int row = g + 8 * (i & 1), col = 2 * t + 8 * (i >> 1);
        a[i] = pack2(T.A[row * 16 + col], T.A[row * 16 + col + 1]);
    }
    b[0] = pack2(T.B[(2 * t) * 8 + g], T.B[(2 * t + 1) * 8 + g]);
    b[1] = pack2(T.B[(2 * t + 8) * 8 + g], T.B[(2 * t + 9) * 8 + g]);
    if constexpr (KIND == OP_K16_F16_F16) {
        // C/D f16: R0 = (D[g][2t], D[g][2t+1]), R1 = (D[g+8][2t], D[g+8][2t+1])
        uint32_t c0 = pack2((uint16_t)T.C[g * 8 + 2 * t], (uint16_t)T.C[g * 8 + 2 * t + 1]);
        uint32_t c1 = pack2((uint16_t)T.C[(g + 8) * 8 + 2 * t], (uint16_t)T.C[(g + 8) * 8 + 2 * t + 1]);
        uint32_t d0, d1;
        asm volatile("mma.sync.aligned.m16n8k16.row.col.f16.f16.f16.f16 {%0,%1}, {%2,%3,%4,%5}, {%6,%7}, {%8,%9};\n"
                     : "=r"(d0), "=r"(d1)
                     : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]), "r"(c0), "r"(c1));
        T.D[g * 8 + 2 * t] = d0 & 0xFFFFu;
        T.D[g * 8 + 2 * t + 1] = d0 >> 16;
        T.D[(g + 8) * 8 + 2 * t] = d1 & 0xFFFFu;
        T.D[(g + 8) * 8 + 2 * t + 1] = d1 >> 16;
    } else {
    // C/D f32: register i = D[g + 8(i >> 1)][2t + (i & 1)]
    float d[4];
    for (int i = 0; i < 4; i++) d[i] = __uint_as_float(T.C[(g + 8 * (i >> 1)) * 8 + 2 * t + (i & 1)]);
    if constexpr (KIND == OP_K16_BF16_F32)
        asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                     "{%0,%1,%2,%3};\n"
                     : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                     : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
    else
        asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                     "{%0,%1,%2,%3};\n"
                     : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                     : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
    for (int i = 0; i < 4; i++) T.D[(g + 8 * (i >> 1)) * 8 + 2 * t + (i & 1)] = __float_as_uint(d[i]);
    }
    }
}

// wgmma m64n8k16: one warpgroup (128 threads) per instruction. Tiles 4i .. 4i+3 are the 16-row
// blocks of warps 0..3 (A rows 16w .. 16w+15, C and D the same rows); B is tile 4i's (the host
// copies it into the other three tiles' records, which therefore hold the B that was used).
// Shared-memory layout (numerics reference 6.4, no swizzle, K-major core matrices of 8 x 8):
//   A(m, k) at element (m/8)*128 + (k/8)*64 + (m%8)*8 + (k%8): LBO 128 B (k), SBO 256 B (m)
//   B(n, k) at element (k/8)*64 + n*8 + (k%8): LBO 128 B
__device__ __forceinline__ uint64_t smem_desc(const void *p, uint32_t lbo, uint32_t sbo)
{
    const uint32_t addr = (uint32_t)__cvta_generic_to_shared(p);
    return (uint64_t)((addr & 0x3FFFFu) >> 4) | ((uint64_t)(lbo >> 4) << 16) | ((uint64_t)(sbo >> 4) << 32);
}

__global__ void wgmma_kernel(Tile *tiles, int groups)
{
#if defined(__CUDA_ARCH__) && defined(__CUDA_ARCH_FEAT_SM90_ALL)
    __shared__ __align__(128) uint16_t sA[64 * 16];
    __shared__ __align__(128) uint16_t sB[8 * 16];
    const int grp = blockIdx.x;
    if (grp >= groups) return;
    Tile *T = tiles + 4 * grp;
    for (int e = threadIdx.x; e < 64 * 16; e += blockDim.x) {
        const int m = e / 16, k = e % 16;
        sA[(m / 8) * 128 + (k / 8) * 64 + (m % 8) * 8 + (k % 8)] = T[m / 16].A[(m % 16) * 16 + k];
    }
    for (int e = threadIdx.x; e < 8 * 16; e += blockDim.x) {
        const int n = e / 16, k = e % 16;
        sB[(k / 8) * 64 + n * 8 + (k % 8)] = T[0].B[k * 8 + n];
    }
    // generic-proxy writes that the async proxy (wgmma) reads: fence in each writer, then barrier
    asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
    __syncthreads();
    const int w = threadIdx.x / 32, lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
    // D/C: register i: row 16w + g + 8((i >> 1) & 1), col 2t + (i & 1) (numerics reference 6.4)
    float d[4];
    for (int i = 0; i < 4; i++) d[i] = __uint_as_float(T[w].C[(g + 8 * ((i >> 1) & 1)) * 8 + 2 * t + (i & 1)]);
    const uint64_t da = smem_desc(sA, 128, 256), db = smem_desc(sB, 128, 256);
    const int scale_d = 1;
    asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory");
    asm volatile(
        "{\n.reg .pred p;\nsetp.ne.b32 p, %6, 0;\n"
        "wgmma.mma_async.sync.aligned.m64n8k16.f32.bf16.bf16 {%0,%1,%2,%3}, %4, %5, p, 1, 1, 0, 0;\n}\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "l"(da), "l"(db), "r"(scale_d)
        : "memory");
    asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory");
    asm volatile("wgmma.wait_group.sync.aligned 0;\n" ::: "memory");
    for (int i = 0; i < 4; i++) T[w].D[(g + 8 * ((i >> 1) & 1)) * 8 + 2 * t + (i & 1)] = __float_as_uint(d[i]);
#else
    (void)tiles;
    (void)groups;
    __trap(); // built without sm_90a: wgmma unavailable
#endif
}

// ------------------------------------------------------------------------------- host side

struct OpInfo {
    OpKind kind;
    tca_mma_op op;            // the tile-level op the records hold
    const char *instruction;  // the PTX instruction that ran
    const char *file_stem;
};

static const OpInfo kOps[] = {
    {OP_K16_BF16_F32, {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32},
     "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32", "mma-m16n8k16-f32-bf16"},
    {OP_K16_F16_F32, {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F32},
     "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32", "mma-m16n8k16-f32-f16"},
    {OP_K16_F16_F16, {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F16},
     "mma.sync.aligned.m16n8k16.row.col.f16.f16.f16.f16", "mma-m16n8k16-f16-f16"},
    {OP_K8_BF16_F32, {TCA_MMA_M16N8K8, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32},
     "mma.sync.aligned.m16n8k8.row.col.f32.bf16.bf16.f32", "mma-m16n8k8-f32-bf16"},
    {OP_WGMMA_BF16_F32, {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32},
     "wgmma.mma_async.sync.aligned.m64n8k16.f32.bf16.bf16", "wgmma-m64n8k16-f32-bf16"},
};

// The emulator's answer for one tile, output by output (tca_mma_dot_*: the profile's chain).
static void emulate(const tca_mma_profile *p, const OpInfo &oi, const Tile &T, uint32_t D[128])
{
    const int k = oi.op.shape == TCA_MMA_M16N8K8 ? 8 : 16;
    for (int r = 0; r < 16; r++)
        for (int n = 0; n < 8; n++) {
            uint16_t a[16], b[16];
            for (int i = 0; i < k; i++) a[i] = T.A[r * k + i], b[i] = T.B[i * 8 + n];
            if (oi.op.acc == TCA_MMA_ACC_F16)
                D[r * 8 + n] = tca_mma_dot_f16(p, a, b, k, (uint16_t)T.C[r * 8 + n]);
            else
                D[r * 8 + n] = tca_mma_dot_f32(p, oi.op.in, a, b, k, T.C[r * 8 + n]);
        }
}

struct Env {
    std::string gpu, driver, cc;
    int runtime = 0, driver_api = 0;
};

static void put_header(tca_tv_writer *w, const OpInfo &oi, tca_family fam, uint64_t seed, size_t count, const Env &env,
                       const char *what)
{
    tca_tv_put_preamble(w, what);
    tca_tv_put(w, "kind", "mma-hw");
    tca_tv_put(w, "op", tca_tv_mma_op_name(oi.op));
    tca_tv_put(w, "instruction", oi.instruction);
    tca_tv_put(w, "arch", "sm90");
    tca_tv_put(w, "family", tca_family_name(fam));
    tca_tv_put_x64(w, "seed", seed);
    tca_tv_put_u64(w, "count", count);
    tca_tv_put(w, "gpu", env.gpu.c_str());
    tca_tv_put(w, "compute_capability", env.cc.c_str());
    tca_tv_put(w, "driver", env.driver.c_str());
    char v[32];
    snprintf(v, sizeof v, "%d.%d", env.runtime / 1000, (env.runtime % 1000) / 10);
    tca_tv_put(w, "cuda_runtime", v);
    snprintf(v, sizeof v, "%d.%d", env.driver_api / 1000, (env.driver_api % 1000) / 10);
    tca_tv_put(w, "cuda_driver_api", v);
    tca_tv_put(w, "generator", "cuda/capture/tca_capture.cu");
    if (oi.kind == OP_WGMMA_BF16_F32)
        tca_tv_put(w, "wgmma_grouping",
                   "records 4i..4i+3 are warps 0..3 (rows 16w..16w+15) of one m64n8k16 instruction; "
                   "B of all four is the B drawn for record 4i");
    tca_tv_put_end(w);
}

static int write_tv(const std::string &path, const OpInfo &oi, tca_family fam, uint64_t seed,
                    const std::vector<Tile> &tiles, const std::vector<size_t> &which, const Env &env, const char *what)
{
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    put_header(&w, oi, fam, seed, which.size(), env, what);
    for (size_t idx : which) {
        static tca_tv_mma_case c;
        memset(&c, 0, sizeof c);
        c.id = idx;
        memcpy(c.A, tiles[idx].A, sizeof c.A);
        memcpy(c.B, tiles[idx].B, sizeof c.B);
        memcpy(c.C, tiles[idx].C, sizeof c.C);
        memcpy(c.D, tiles[idx].D, sizeof c.D);
        tca_tv_mma_case_write(&w, oi.op, &c);
    }
    tca_status st = w.status;
    if (st == TCA_OK) st = tca_tv_write_file(path.c_str(), w.buf, w.len);
    tca_tv_writer_free(&w);
    if (st != TCA_OK) fprintf(stderr, "tca_capture: cannot write %s (status %d)\n", path.c_str(), (int)st);
    return st == TCA_OK ? 0 : 1;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: tca_capture --out DIR [--check N] [--keep K] [--seed S] [--driver VERSION] [--dry-run]\n"
            "  N tiles per (instruction, family) are run and compared with the sm90 emulator (default 4096);\n"
            "  the first K of each (default 32) are written as DIR/<instruction>-<family>.tv;\n"
            "  mismatching tiles (at most 64 per file) go to DIR/mismatch-<instruction>-<family>.tv.\n"
            "  --dry-run: no GPU; D is the emulator's (for testing the writer and tca mma-check only).\n");
}

int main(int argc, char **argv)
{
    const char *out = NULL, *driver = "unknown";
    int dry_run = 0; // no GPU: D is the emulator's (to test the writer and `tca mma-check` locally)
    size_t n_check = 4096, n_keep = 32;
    uint64_t seed = 0x7463615F68777631ull; // "tca_hwv1"
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "--check") && i + 1 < argc) n_check = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--keep") && i + 1 < argc) n_keep = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--driver") && i + 1 < argc) driver = argv[++i];
        else if (!strcmp(argv[i], "--dry-run")) dry_run = 1;
        else {
            usage();
            return 2;
        }
    }
    if (!out || n_check == 0 || n_keep > n_check) {
        usage();
        return 2;
    }
    n_check = (n_check + 3) / 4 * 4; // whole wgmma groups
    mkdir(out, 0755);

    Env env;
    if (dry_run) {
        env.gpu = "none (dry run: D computed by the emulator, NOT by hardware)";
        env.cc = "-";
    } else {
        cudaDeviceProp prop;
        CUDA_CHECK(cudaGetDeviceProperties(&prop, 0));
        env.gpu = prop.name;
        env.cc = std::to_string(prop.major) + "." + std::to_string(prop.minor);
        CUDA_CHECK(cudaRuntimeGetVersion(&env.runtime));
        CUDA_CHECK(cudaDriverGetVersion(&env.driver_api));
        printf("GPU %s (sm_%d%d), driver %s, CUDA runtime %d, driver API %d\n", prop.name, prop.major, prop.minor,
               driver, env.runtime, env.driver_api);
        if (prop.major != 9) {
            fprintf(stderr, "tca_capture: needs an sm_90 GPU (Hopper)\n");
            return 2;
        }
    }
    env.driver = driver;
    const tca_mma_profile *p = tca_mma_profile_by_name("sm90");

    Tile *dev = NULL;
    if (!dry_run) CUDA_CHECK(cudaMalloc(&dev, n_check * sizeof(Tile)));
    std::vector<Tile> tiles(n_check);
    int failed_files = 0;
    unsigned long long total_out = 0, total_bad = 0;
    FILE *summary = fopen((std::string(out) + "/summary.txt").c_str(), "w");
    for (const OpInfo &oi : kOps) {
        for (int f = 0; f < TCA_FAMILY_COUNT; f++) {
            const tca_family fam = (tca_family)f;
            // One SplitMix64 stream per (instruction, family); the header records its seed.
            const uint64_t fseed = tca_prng_derive(seed, (uint64_t)(16 * (int)oi.kind + f));
            tca_prng r;
            tca_prng_seed(&r, fseed);
            for (size_t i = 0; i < n_check; i++) {
                memset(&tiles[i], 0, sizeof(Tile));
                if (tca_family_fill(fam, oi.op, &r, tiles[i].A, tiles[i].B, tiles[i].C) != TCA_OK) {
                    fprintf(stderr, "tca_capture: family %s does not support %s\n", tca_family_name(fam),
                            oi.instruction);
                    return 2;
                }
                for (int e = 0; e < 128; e++) tiles[i].D[e] = 0xDEADBEEFu; // poison
            }
            if (oi.kind == OP_WGMMA_BF16_F32) // the B that the instruction used
                for (size_t i = 0; i < n_check; i++) memcpy(tiles[i].B, tiles[i / 4 * 4].B, sizeof tiles[i].B);
            if (dry_run) {
                for (size_t i = 0; i < n_check; i++) emulate(p, oi, tiles[i], tiles[i].D);
            } else {
                CUDA_CHECK(cudaMemcpy(dev, tiles.data(), n_check * sizeof(Tile), cudaMemcpyHostToDevice));
                const int cnt = (int)n_check;
                switch (oi.kind) {
                case OP_K16_BF16_F32: mma_sync_kernel<OP_K16_BF16_F32><<<(cnt + 3) / 4, 128>>>(dev, cnt); break;
                case OP_K16_F16_F32: mma_sync_kernel<OP_K16_F16_F32><<<(cnt + 3) / 4, 128>>>(dev, cnt); break;
                case OP_K16_F16_F16: mma_sync_kernel<OP_K16_F16_F16><<<(cnt + 3) / 4, 128>>>(dev, cnt); break;
                case OP_K8_BF16_F32: mma_sync_kernel<OP_K8_BF16_F32><<<(cnt + 3) / 4, 128>>>(dev, cnt); break;
                case OP_WGMMA_BF16_F32: wgmma_kernel<<<cnt / 4, 128>>>(dev, cnt / 4); break;
                }
                CUDA_CHECK(cudaGetLastError());
                CUDA_CHECK(cudaDeviceSynchronize());
                CUDA_CHECK(cudaMemcpy(tiles.data(), dev, n_check * sizeof(Tile), cudaMemcpyDeviceToHost));
            }

            std::vector<size_t> bad_tiles, keep;
            unsigned long long bad = 0, nan_out = 0;
            for (size_t i = 0; i < n_check; i++) {
                uint32_t E[128];
                emulate(p, oi, tiles[i], E);
                int tile_bad = 0;
                for (int e = 0; e < 128; e++) {
                    const uint32_t d = tiles[i].D[e];
                    if (d != E[e]) bad++, tile_bad = 1;
                    if (oi.op.acc == TCA_MMA_ACC_F16 ? ((d & 0x7C00u) == 0x7C00u && (d & 0x3FFu))
                                                     : ((d & 0x7F800000u) == 0x7F800000u && (d & 0x7FFFFFu)))
                        nan_out++;
                }
                if (tile_bad && bad_tiles.size() < 64) bad_tiles.push_back(i);
                if (i < n_keep) keep.push_back(i);
            }
            total_out += 128ull * n_check;
            total_bad += bad;
            const std::string stem = std::string(oi.file_stem) + "-" + tca_family_name(fam);
            failed_files |= write_tv(std::string(out) + "/" + stem + ".tv", oi, fam, fseed, tiles, keep, env,
                                     "Hardware-captured MMA results (cuda/capture/tca_capture.cu): D is what the GPU "
                                     "named below computed from A, B and C.");
            if (!bad_tiles.empty())
                failed_files |= write_tv(std::string(out) + "/mismatch-" + stem + ".tv", oi, fam, fseed, tiles,
                                         bad_tiles, env, "Tiles where the hardware and the sm90 emulator disagree.");
            char line[256];
            snprintf(line, sizeof line, "%-26s %-12s tiles %6zu outputs %8llu mismatches %8llu nan-outputs %7llu",
                     oi.file_stem, tca_family_name(fam), n_check, 128ull * n_check, bad, nan_out);
            puts(line);
            if (summary) fprintf(summary, "%s\n", line);
        }
    }
    char line[160];
    snprintf(line, sizeof line, "TOTAL outputs %llu mismatches %llu (GPU %s, driver %s)", total_out, total_bad,
             env.gpu.c_str(), driver);
    puts(line);
    if (summary) {
        fprintf(summary, "%s\n", line);
        fclose(summary);
    }
    if (dev) CUDA_CHECK(cudaFree(dev));
    return failed_files ? 2 : (total_bad ? 1 : 0);
}
