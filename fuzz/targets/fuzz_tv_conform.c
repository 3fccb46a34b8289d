/* SPDX-License-Identifier: Apache-2.0 */
/* Any bytes as a vector file fed to the conformance runner's per-kind code
 * (conformance/runner/run_vectors.c: format, format-invalid, format-recipe, mma, mma-accum, gemm,
 * container) with the reference subject (conformance/subjects/subject_refimpl.c) linked in
 * directly instead of dlopen()ed. The runner reads files written by others: whatever a .tv file
 * holds, it must report results or a malformed-file error, never crash, hang or leak.
 *
 * The file's header names the kind (`kind`) and the profile (`profile`, default sm90), as the
 * manifest row would for tca-conform. Sizes a record asks for (rows x cols, accumulated tiles,
 * GEMM M, K, N) are bounded here to keep one run short; the runner's own bounds are larger
 * (and are reported separately, see fuzz/README.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conform.h"
#include "fuzz_util.h"
#include "subject.h"
#include "tca/tv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The runner prints a line per failed test on stdout; it is not what this target checks. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!freopen("/dev/null", "w", stdout)) return 0;
    return 0;
}

static uint64_t get_or(const tca_tv_record *r, const char *key, uint64_t dflt)
{
    uint64_t v;
    return tca_tv_get_u64(r, key, &v) == TCA_OK ? v : dflt;
}

/* 1 when every record asks for a small amount of work. */
static int small_enough(const tca_tv_file *f)
{
    for (size_t i = 0; i < f->n_records; i++) {
        const tca_tv_record *r = &f->records[i];
        uint64_t rows = get_or(r, "rows", 1), cols = get_or(r, "cols", 1);
        uint64_t m = get_or(r, "M", 1), k = get_or(r, "K", 1), n = get_or(r, "N", 1);
        if (rows > 4096 || cols > 4096 || rows * cols > (1u << 16)) return 0;
        if (get_or(r, "tiles", 0) > 4) return 0;
        if (m > 512 || k > 512 || n > 64 || m * k > (1u << 14) || n * k > (1u << 14)) return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tca_tv_file *f = NULL;
    if (tca_tv_parse(data, size, NULL, &f, NULL) != TCA_OK) return 0;
    const char *kind = tca_tv_get(&f->header, "kind");
    const char *profile = tca_tv_get(&f->header, "profile");
    if (!kind || !small_enough(f)) {
        tca_tv_free(f);
        return 0;
    }
    conform c;
    memset(&c, 0, sizeof c);
    c.s.init = tca_subject_init;
    c.s.fini = tca_subject_fini;
    c.s.get_info = tca_subject_get_info;
    c.s.decompress = tca_subject_decompress;
    c.s.gemm = tca_subject_gemm;
    c.s.mma = tca_subject_mma;
    c.s.container = tca_subject_container_decompress;
    c.vectors = ".";
    if (c.s.init(profile && strcmp(profile, "-") ? profile : "sm90", &c.s.ctx) != TCA_SUBJECT_OK) {
        tca_tv_free(f);
        return 0;
    }
    FUZZ_ASSERT(c.s.get_info(c.s.ctx, &c.s.info) == TCA_SUBJECT_OK);
    conform_begin_file(&c, "fuzz");
    int rc = 0;
    if (!strcmp(kind, "container")) rc = conform_run_container(&c, f, "fuzz");
    else if (!strncmp(kind, "format", 6)) rc = conform_run_format(&c, f, "fuzz", kind);
    else if (!strncmp(kind, "mma", 3)) rc = conform_run_mma(&c, f, "fuzz", kind);
    else if (!strcmp(kind, "gemm")) rc = conform_run_gemm(&c, f, "fuzz");
    FUZZ_ASSERT(rc == 0 || rc == 1);
    /* every result is recorded with an id and a status */
    FUZZ_ASSERT(c.n_res == c.passed + c.failed + c.skipped);
    for (size_t i = 0; i < c.n_res; i++) FUZZ_ASSERT(c.res[i].id && c.res[i].status >= RES_PASS && c.res[i].status <= RES_SKIP);
    conform_free_results(&c);
    c.s.fini(c.s.ctx);
    tca_tv_free(f);
    return 0;
}
