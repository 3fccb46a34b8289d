/* SPDX-License-Identifier: Apache-2.0 */
/* tca-conform internals: the loaded subject, the results list, and one runner per vector kind
 * (spec/tca-test-vectors.md; docs/conformance.md). */
#ifndef TCA_CONFORM_H
#define TCA_CONFORM_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "subject.h"
#include "tca/tv.h"

enum { RES_PASS = 0, RES_FAIL = 1, RES_SKIP = 2 };
/* The stream layout a test exercises (vectors 3.5 `layout`): none (MMA, containers), v1 or F. */
enum { LAY_NONE = 0, LAY_V1 = 1, LAY_F = 2, LAY_COUNT = 3 };

typedef struct result {
    char *id;       /* dotted test id */
    size_t file;    /* index of the vector file (JUnit suite) */
    int status;     /* RES_* */
    int layout;     /* LAY_* */
    char *message;  /* failure or skip reason (may be NULL for a pass) */
} result;

typedef struct subject {
    void *dl;
    void *ctx;
    tca_subject_info info;
    tca_subject_init_fn init;
    tca_subject_fini_fn fini;
    tca_subject_get_info_fn get_info;
    tca_subject_decompress_fn decompress;
    tca_subject_gemm_fn gemm;
    tca_subject_mma_fn mma;
    tca_subject_container_fn container;
} subject;

typedef struct conform {
    subject s;
    const char *vectors;  /* directory */
    int verbose;
    size_t max_failures_per_file; /* 0 = no limit */
    /* results */
    result *res;
    size_t n_res, cap_res;
    size_t passed, failed, skipped;
    size_t lay_count[LAY_COUNT][3]; /* per layout, per RES_* */
    int cur_layout;                 /* LAY_* of the file being run (set by the run_* functions) */
    /* file bookkeeping */
    char **files;        /* suite names (test-id prefixes), index = result.file */
    size_t n_files;
    size_t cur_file;
    size_t cur_file_failures;
} conform;

/* results.c */
/** Record one test result; FAIL lines are printed at once (vectors 9; docs/conformance.md). */
void conform_result(conform *c, const char *id, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/** Start a new vector file: returns its suite index; prefix = dotted id prefix. */
size_t conform_begin_file(conform *c, const char *prefix);
/** Write the JUnit XML report. 0 on success. */
int conform_write_junit(const conform *c, const char *path, const char *suite_name);
void conform_free_results(conform *c);

/* Value formats for mismatch decoding. */
enum { VAL_F32 = 0, VAL_BF16 = 1, VAL_F16 = 2 };
/** "0x3f800001 (+ e=127 m=0x000001 = 1.00000012)" */
void conform_decode_value(char *buf, size_t cap, uint32_t bits, int fmt);
/** Describe the first mismatch of two arrays (rows x cols row-major) into buf. where(): optional
 *  extra location text for element (r, c) such as the fragment lane and register. Returns the
 *  number of differing elements (0 = equal). */
size_t conform_compare(char *buf, size_t cap, const char *name, const uint32_t *got, const uint32_t *exp, uint64_t rows,
                       uint64_t cols, int fmt, void (*where)(char *, size_t, uint64_t, uint64_t));
/** Locations: mma C/D fragment (m16n8 f32 and f16 accumulators), GEMM Y[n][m] within its tile. */
void conform_where_mma_f32(char *buf, size_t cap, uint64_t r, uint64_t c);
void conform_where_mma_f16(char *buf, size_t cap, uint64_t r, uint64_t c);
void conform_where_gemm(char *buf, size_t cap, uint64_t n, uint64_t m);

/* run_*.c: one vector file each. prefix is the dotted id prefix. A file-level problem (vectors
 * corrupt) returns non-zero; test failures are results. */
int conform_run_format(conform *c, const tca_tv_file *f, const char *prefix, const char *kind);
int conform_run_mma(conform *c, const tca_tv_file *f, const char *prefix, const char *kind);
int conform_run_gemm(conform *c, const tca_tv_file *f, const char *prefix);
int conform_run_container(conform *c, const tca_tv_file *f, const char *prefix);

/** The layout of a vector file from its header (vectors 3.5): sets c->cur_layout. Returns 0, or
 *  -1 for an unknown `layout` value (the file is malformed). */
int conform_file_layout(conform *c, const tca_tv_file *f);
/** NULL when the subject declares the current layout, else the skip reason. */
const char *conform_layout_skip(const conform *c);
/** Skip every record of a file with a reason. */
void conform_skip_file(conform *c, const tca_tv_file *f, const char *prefix, const char *why);
/** Dotted id of record r: prefix + "." + id (+ suffix). */
void conform_test_id(char *buf, size_t cap, const char *prefix, const tca_tv_record *r, const char *suffix);
#endif
