/* SPDX-License-Identifier: Apache-2.0 */
/* Host-side test of the layout F decode arithmetic of the CUDA kernels (cuda/src/strip_decode_f.cuh):
 * the very same __host__ __device__ functions the kernels run per lane (f_lane_words, f_window,
 * f_decode with both the per-strip window path and the per-slice rare path, f_merge, f_table,
 * with prmt emulated bit for bit), driven over every strip of matrices encoded by
 * tca_tbe_f_encode, and compared with the original weights at the A-fragment positions of
 * spec 8.2 (independent of the decoder: row(l, n), col(l, i, n) from the spec's formulas).
 * Both stagings are emulated: one strip per stage (the decompressor) and the ZipGEMM kernel's
 * 32-row slabs (two adjacent records and exception slices per stage, strip indices from the
 * kernel's f_strip_index). The exception staging is followed by 16 slack bytes of 0xEE, so a
 * window byte read past the strip's exceptions that leaked into a result would show.
 *
 * Needs no GPU (it never launches a kernel). Exit 0 pass, 1 fail. Seed: TCA_TEST_SEED. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vector>
#include "strip_decode_f.cuh"
#include "tca/bf16.h"
#include "tca/prng.h"
#include "tca/tbe_f.h"

using namespace tca_cuda;

static int g_failures = 0;
static long g_strips = 0, g_rare = 0, g_checked = 0;

/* Byte-array accessor with the same interface as SharedMem; every read is bounds-checked.
 * (__host__ __device__ only because f_decode is; it is never used on the device.) */
struct HostMem {
    const uint8_t *p;
    size_t n;
    __host__ __device__ uint32_t u32(uint32_t a) const {
#ifdef __CUDA_ARCH__
        return 0;
#else
        if ((a & 3) || a + 4 > n) {
            fprintf(stderr, "FAIL: u32 read at %u (buffer %zu, alignment)\n", a, n);
            exit(1);
        }
        uint32_t v;
        memcpy(&v, p + a, 4);
        return v;
#endif
    }
    __host__ __device__ uint4 v4(uint32_t a) const {
#ifdef __CUDA_ARCH__
        return make_uint4(0, 0, 0, 0);
#else
        if ((a & 15) || a + 16 > n) {
            fprintf(stderr, "FAIL: v4 read at %u (buffer %zu, alignment)\n", a, n);
            exit(1);
        }
        uint4 v;
        memcpy(&v, p + a, 16);
        return v;
#endif
    }
};

static uint64_t get_u64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* spec 8.2: the element of lane l, slice i, index n */
static unsigned row_of(unsigned l, unsigned n) { return (l >> 2) + 8u * ((n >> 1) & 1u); }
static unsigned col_of(unsigned l, unsigned i, unsigned n) { return 16u * i + 8u * (n >> 2) + 2u * (l & 3u) + (n & 1u); }

static void check_matrix(const std::vector<uint16_t> &w, uint64_t m, uint64_t k, int window_start, const char *what) {
    tca_tbe_encode_options opt;
    tca_tbe_encode_options_default(&opt);
    if (window_start) opt.window_start = window_start;
    tca_tbe_f_matrix *fm = NULL;
    tca_status st = tca_tbe_f_encode(w.data(), m, k, &opt, NULL, &fm);
    if (st != TCA_OK) {
        fprintf(stderr, "FAIL %s: encode %s\n", what, tca_status_name(st));
        ++g_failures;
        return;
    }
    const tca_tbe_f_view &v = fm->view;
    const uint64_t gc = (k + 63) / 64, nstrips = 4 * ((m + 63) / 64) * gc;
    uint32_t t0, t1;
    f_table(v.hdr.base, t0, t1);
    size_t bad = 0;
    for (uint64_t s = 0; s < nstrips; ++s) {
        const uint64_t x0 = get_u64(v.exception_offsets + 8 * s), x1 = get_u64(v.exception_offsets + 8 * (s + 1));
        if (x1 < x0 || x1 > v.hdr.exception_len || x1 - x0 > 1024) {
            fprintf(stderr, "FAIL %s: strip %llu exception offsets %llu..%llu\n", what, (unsigned long long)s,
                    (unsigned long long)x0, (unsigned long long)x1);
            ++g_failures;
            break;
        }
        const size_t nexc = (size_t)(x1 - x0);
        /* the stage: record, the strip's exception slice, 16 slack bytes */
        std::vector<uint8_t> stage(kFRec + 1024 + kFSlack, 0xEE);
        stage.resize(kFRec + nexc + kFSlack);
        memcpy(stage.data(), v.strips + kFRec * s, kFRec);
        for (size_t i = 0; i < nexc; ++i) stage[kFRec + i] = v.exceptions[x0 + i];
        const HostMem mem = {stage.data(), stage.size()};
        FLane L[32];
        uint32_t start[32], total = 0;
        bool rare = false;
        for (unsigned l = 0; l < 32; ++l) {
            L[l] = f_lane_words(mem.u32(4 * l), mem.u32(128 + 4 * l), mem.u32(256 + 4 * l), f_mul_host());
            start[l] = total; /* the kernel's shfl.up scan, sequentially */
            total += L[l].cnt;
            rare = rare || L[l].cnt > kFWindowFast;
        }
        if (x1 - x0 != ((total + 15u) & ~15u)) { /* the kernel's consistency check (spec 8.6) */
            fprintf(stderr, "FAIL %s: strip %llu slice %llu bytes for %u exceptions\n", what, (unsigned long long)s,
                    (unsigned long long)(x1 - x0), total);
            ++g_failures;
        }
        ++g_strips;
        g_rare += rare;
        const uint64_t g = s / 4, med = s % 4, gm = g / gc, gk = g % gc;
        for (int path = 0; path < 2; ++path) {
            const bool use_rare = path == 1;
            if (!use_rare && rare) continue; /* the fast path is only taken when every lane has <= kFWindowFast */
            for (unsigned l = 0; l < 32; ++l) {
                uint32_t regs[16];
                if (use_rare) f_decode<true>(mem, 0, L[l], kFRec + start[l], l, t0, t1, f_mul_host(), regs);
                else f_decode<false>(mem, 0, L[l], kFRec + start[l], l, t0, t1, f_mul_host(), regs);
                for (unsigned i = 0; i < 4; ++i)
                    for (unsigned n = 0; n < 8; ++n) {
                        const uint64_t r = 64 * gm + 16 * med + row_of(l, n), c = 64 * gk + col_of(l, i, n);
                        const uint16_t want = (r < m && c < k) ? w[r * k + c] : 0; /* spec 5.1 padding: +0 */
                        const uint16_t got = (uint16_t)(regs[4 * i + (n >> 1)] >> (16 * (n & 1)));
                        ++g_checked;
                        if (got != want && bad++ < 5)
                            fprintf(stderr, "FAIL %s: strip %llu lane %u slice %u n %u (%s path): got %04X want %04X\n",
                                    what, (unsigned long long)s, l, i, n, use_rare ? "rare" : "fast", got, want);
                    }
            }
        }
    }
    /* The ZipGEMM kernel's staging (stage_f<2>): for slab p and K tile kt, strips
     * f_strip_index(2p, kt) and +1 copied as one 2816-byte range, their exception slices as one
     * range XO[s] .. XO[s+2]; strip h decoded at record 1408 h with its exceptions at
     * 2816 + (h ? XO[s+1] - XO[s] : 0) + start(l). Compared at rows 16 (2p + h) + row(l, n),
     * columns 64 kt + col(l, i, n): the kernel's own geometry, independent of the loop above. */
    const uint32_t strips_m = (uint32_t)(4 * ((m + 63) / 64));
    for (uint32_t p = 0; p < strips_m / 2; ++p)
        for (uint32_t kt = 0; kt < (uint32_t)gc; ++kt) {
            const uint64_t s0 = f_strip_index((uint32_t)gc, 2 * p, kt);
            if (f_strip_index((uint32_t)gc, 2 * p + 1, kt) != s0 + 1) {
                fprintf(stderr, "FAIL %s: slab %u strips not adjacent\n", what, p);
                ++g_failures;
                continue;
            }
            const uint64_t x0 = get_u64(v.exception_offsets + 8 * s0), x1 = get_u64(v.exception_offsets + 8 * (s0 + 1)),
                           x2 = get_u64(v.exception_offsets + 8 * (s0 + 2));
            if (x1 < x0 || x2 < x1 || x2 > v.hdr.exception_len || x2 - x0 > 2048) {
                fprintf(stderr, "FAIL %s: slab %u offsets\n", what, p);
                ++g_failures;
                continue;
            }
            std::vector<uint8_t> stage(2 * kFRec + (size_t)(x2 - x0) + kFSlack, 0xEE);
            memcpy(stage.data(), v.strips + kFRec * s0, 2 * kFRec);
            for (size_t i = 0; i < (size_t)(x2 - x0); ++i) stage[2 * kFRec + i] = v.exceptions[x0 + i];
            const HostMem mem = {stage.data(), stage.size()};
            for (uint32_t h = 0; h < 2; ++h) {
                FLane L[32];
                uint32_t start[32], total = 0;
                bool rare = false;
                for (unsigned l = 0; l < 32; ++l) {
                    const uint32_t rec = kFRec * h;
                    L[l] = f_lane_words(mem.u32(rec + 4 * l), mem.u32(rec + 128 + 4 * l), mem.u32(rec + 256 + 4 * l), f_mul_host());
                    start[l] = total;
                    total += L[l].cnt;
                    rare = rare || L[l].cnt > kFWindowFast;
                }
                const uint64_t nh = h ? x2 - x1 : x1 - x0;
                if (nh != ((total + 15u) & ~15u)) {
                    fprintf(stderr, "FAIL %s: slab %u strip %u slice length\n", what, p, h);
                    ++g_failures;
                }
                const uint32_t xbase = 2 * kFRec + (h ? (uint32_t)(x1 - x0) : 0u);
                for (unsigned l = 0; l < 32; ++l) {
                    uint32_t regs[16];
                    if (rare) f_decode<true>(mem, kFRec * h, L[l], xbase + start[l], l, t0, t1, f_mul_host(), regs);
                    else f_decode<false>(mem, kFRec * h, L[l], xbase + start[l], l, t0, t1, f_mul_host(), regs);
                    for (unsigned i = 0; i < 4; ++i)
                        for (unsigned n = 0; n < 8; ++n) {
                            const uint64_t r = 16 * (uint64_t)(2 * p + h) + row_of(l, n), c = 64 * (uint64_t)kt + col_of(l, i, n);
                            const uint16_t want = (r < m && c < k) ? w[r * k + c] : 0;
                            const uint16_t got = (uint16_t)(regs[4 * i + (n >> 1)] >> (16 * (n & 1)));
                            ++g_checked;
                            if (got != want && bad++ < 5)
                                fprintf(stderr, "FAIL %s: slab %u kt %u strip %u lane %u: got %04X want %04X\n", what,
                                        p, kt, h, l, got, want);
                        }
                }
            }
        }
    if (bad) ++g_failures;
    tca_tbe_f_matrix_free(fm);
}

static uint16_t gauss(tca_prng *r) { return tca_bf16_from_double_rne(0.02 * tca_prng_normal(r)); }
static uint16_t wide(tca_prng *r) { return (uint16_t)((tca_prng_u32(r) & 0x807F) | ((1 + tca_prng_below(r, 253)) << 7)); }

int main(void) {
    const char *seed_env = getenv("TCA_TEST_SEED");
    const uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) : 0x7CA5EEDull;
    printf("test_f_decode_host: seed 0x%llx\n", (unsigned long long)seed);
    tca_prng r;
    tca_prng_seed(&r, seed);
    const uint64_t shapes[][2] = {{1, 1}, {17, 33}, {64, 64}, {100, 257}, {130, 200}, {256, 512}};
    for (auto &sh : shapes) {
        const uint64_t m = sh[0], k = sh[1];
        std::vector<uint16_t> w(m * k);
        for (auto &x : w) x = gauss(&r);
        check_matrix(w, m, k, 0, "gauss");
        check_matrix(w, m, k, 200, "all-fallback");
        for (auto &x : w) x = tca_prng_below(&r, 10) == 0 ? wide(&r) : gauss(&r);
        check_matrix(w, m, k, 0, "mixed 10%");
        for (auto &x : w) x = tca_prng_below(&r, 4) == 0 ? wide(&r) : gauss(&r);
        check_matrix(w, m, k, 0, "mixed 25%");
        static const uint16_t sp[] = {0x0000, 0x8000, 0x7F80, 0xFF80, 0x7FC0, 0x7FC1, 0xFFFF, 0x0001, 0x8005, 0x007F};
        for (auto &x : w) x = tca_prng_below(&r, 8) == 0 ? sp[tca_prng_below(&r, 10)] : gauss(&r);
        check_matrix(w, m, k, 0, "specials");
        /* every table: windows at the ends of the range (base 0 and 248, spec 4.1) and between */
        for (auto &x : w) x = wide(&r);
        const int windows[] = {1, 2, 100, 127, 128, 248, 249};
        for (int w0 : windows) check_matrix(w, m, k, w0, "wide, forced window");
        /* exact per-lane counts 0..12 (fast path with lanes at 8, rare path with 9..12) */
        for (uint64_t i = 0; i < m * k; ++i) {
            const uint64_t rr = i / k, cc = i % k;
            const unsigned l = 4 * (unsigned)(rr % 8) + (unsigned)(cc % 8) / 2;
            const unsigned e = 8 * (unsigned)((cc % 64) / 16) +
                               2 * ((unsigned)((rr % 16) / 8) + 2 * (unsigned)((cc % 16) / 8)) + (unsigned)(cc % 2);
            const unsigned strip = (unsigned)(rr / 16), kt = (unsigned)(cc / 64);
            const unsigned cnt = (l + strip + kt) % (((strip + kt) & 1) ? 13 : 9);
            const uint16_t smb = (uint16_t)(tca_prng_u32(&r) & 0x807F);
            w[i] = e < cnt ? (uint16_t)(smb | ((1 + (e * 37 + l) % 100) << 7))
                           : (uint16_t)(smb | ((120 + tca_prng_below(&r, 7)) << 7));
        }
        check_matrix(w, m, k, 0, "lane pattern");
    }
    printf("test_f_decode_host: %ld strips (%ld on the rare path), %ld elements checked, %d failures\n", g_strips,
           g_rare, g_checked, g_failures);
    return g_failures ? 1 : 0;
}
