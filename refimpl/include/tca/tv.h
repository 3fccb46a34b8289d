/* SPDX-License-Identifier: Apache-2.0 */
/* Vector files (.tv) and the corpus manifest (spec/tca-test-vectors.md, "vectors N").
 *
 * A .tv file is line-oriented text: the line `# tca-tv 1`, a header group of `key = value`
 * lines, then records (groups of `key = value` lines) separated by blank lines (vectors 3).
 * The reader is written for hostile input: every line is length-bounded, every count is checked,
 * and every failure is a TCA_ERROR_TV_* status with the offending line number in a message.
 * The writer produces exactly the canonical form the reader accepts, byte for byte
 * deterministic. Nothing here needs more than libc. */
#ifndef TCA_TV_H
#define TCA_TV_H
#include <stddef.h>
#include <stdint.h>
#include "tca/alloc.h"
#include "tca/mma.h"
#include "tca/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TCA_TV_GRAMMAR_VERSION 1           /* the `1` of `# tca-tv 1` (vectors 3.1) */
#define TCA_TV_LINE_MAX (1u << 20)         /* bytes per line, newline excluded (vectors 3.2) */
#define TCA_TV_KEY_MAX 64                  /* bytes per key */
#define TCA_TV_KEYS_MAX 256                /* keys per header or record */
#define TCA_TV_RECORDS_MAX (1u << 20)      /* records per file */
#define TCA_TV_FILE_MAX ((size_t)1 << 28)  /* bytes per file (256 MiB) */

/* ----------------------------------------------------------------------------- reader */

typedef struct tca_tv_kv {
    const char *key;   /* [A-Za-z0-9_.-]+, 1..TCA_TV_KEY_MAX bytes, NUL-terminated */
    const char *value; /* the rest of the line, surrounding blanks removed, NUL-terminated */
    uint32_t line;     /* 1-based line number */
} tca_tv_kv;

typedef struct tca_tv_record {
    const tca_tv_kv *kv;
    size_t n_kv;
    uint32_t line; /* line of the first key */
} tca_tv_record;

typedef struct tca_tv_file {
    tca_tv_record header;    /* the first group (vectors 3.3); has no `id` */
    tca_tv_record *records;  /* the following groups; each has a unique decimal `id` */
    size_t n_records;
    /* private */
    char *text_;
    tca_tv_kv *kv_;
    const tca_allocator *alloc_;
} tca_tv_file;

/** Where and why parsing failed (filled on any error; may be NULL). */
typedef struct tca_tv_error {
    uint32_t line;      /* 0 when not tied to a line */
    char message[160];
} tca_tv_error;

/** Parse a whole .tv file held in memory (any bytes; size up to TCA_TV_FILE_MAX).
 *  @return TCA_OK and *out (free with tca_tv_free), or TCA_ERROR_TV_SYNTAX (malformed line,
 *          group or grammar line), TCA_ERROR_TV_VALUE (bad id, duplicate id, unsupported grammar
 *          version, a limit exceeded), TCA_ERROR_TV_MISSING (record without id),
 *          TCA_ERROR_ALLOC, TCA_ERROR_PARAM_NULL. *out is untouched on error. */
tca_status tca_tv_parse(const void *data, size_t size, const tca_allocator *alloc, tca_tv_file **out,
                        tca_tv_error *err);
/** Read a file and parse it (TCA_ERROR_IO if it cannot be read). */
tca_status tca_tv_load(const char *path, const tca_allocator *alloc, tca_tv_file **out, tca_tv_error *err);
void tca_tv_free(tca_tv_file *f);

/** Value of key in a header or record, or NULL when absent. */
const char *tca_tv_get(const tca_tv_record *r, const char *key);
/** Unsigned integer value: decimal digits, or 0x followed by 1..16 hex digits.
 *  TCA_ERROR_TV_MISSING when absent, TCA_ERROR_TV_VALUE when malformed or > UINT64_MAX. */
tca_status tca_tv_get_u64(const tca_tv_record *r, const char *key, uint64_t *out);
tca_status tca_tv_parse_u64(const char *text, uint64_t *out);

/** Hex arrays (vectors 3.4): exactly `count` space-separated tokens of exactly `digits` hex
 *  digits (4 or 8; either case). A token `#` ends the list (trailing comment). Values wider
 *  than the token cannot occur. TCA_ERROR_TV_VALUE on any deviation. */
tca_status tca_tv_parse_hex16(const char *text, uint16_t *out, size_t count);
tca_status tca_tv_parse_hex32(const char *text, uint32_t *out, size_t count, int digits);
/** A byte string: 2*n hex digits with no separators. *len receives n; TCA_ERROR_TV_VALUE when
 *  malformed or n > cap. Pass out = NULL to learn the length only. */
tca_status tca_tv_parse_bytes(const char *text, uint8_t *out, size_t cap, size_t *len);
/** `sha256:` followed by 64 lower- or upper-case hex digits. */
tca_status tca_tv_parse_sha256(const char *text, uint8_t digest[32]);

/* ----------------------------------------------------------------------------- writer */

/** Accumulates a file in memory. The first error sticks (status) and later calls do nothing. */
typedef struct tca_tv_writer {
    char *buf;
    size_t len, cap;
    const tca_allocator *alloc;
    tca_status status;
} tca_tv_writer;

void tca_tv_writer_init(tca_tv_writer *w, const tca_allocator *alloc);
void tca_tv_writer_free(tca_tv_writer *w);
/** `# tca-tv 1` plus one `# text` line per comment line given (may be NULL). */
void tca_tv_put_preamble(tca_tv_writer *w, const char *comment);
void tca_tv_put_comment(tca_tv_writer *w, const char *text);
/** `key = value` (key checked; value must not contain control characters other than tab). */
void tca_tv_put(tca_tv_writer *w, const char *key, const char *value);
void tca_tv_put_u64(tca_tv_writer *w, const char *key, uint64_t v);      /* decimal */
void tca_tv_put_x64(tca_tv_writer *w, const char *key, uint64_t v);      /* 0x + 16 hex digits */
void tca_tv_put_hex16(tca_tv_writer *w, const char *key, const uint16_t *v, size_t n);
void tca_tv_put_hex32(tca_tv_writer *w, const char *key, const uint32_t *v, size_t n, int digits);
void tca_tv_put_bytes(tca_tv_writer *w, const char *key, const uint8_t *v, size_t n);
void tca_tv_put_sha256(tca_tv_writer *w, const char *key, const uint8_t digest[32]);
/** Append text as is (for MANIFEST.tsv and SHA256SUMS lines). */
void tca_tv_put_raw(tca_tv_writer *w, const char *text, size_t n);
/** The blank line that ends the header or a record. */
void tca_tv_put_end(tca_tv_writer *w);

/** Write size bytes to path through a temporary name in the same directory and rename().
 *  TCA_ERROR_IO on failure (the temporary file is removed). */
tca_status tca_tv_write_file(const char *path, const void *data, size_t size);
/** Read a whole file (at most max bytes) into a fresh allocation (*data, *size); NUL-terminated.
 *  TCA_ERROR_IO if unreadable, TCA_ERROR_TV_VALUE if larger than max. */
tca_status tca_tv_read_file(const char *path, size_t max, const tca_allocator *alloc, uint8_t **data, size_t *size);

/* ------------------------------------------------------------------ MMA records (vectors 4) */

/** Parse `mma.m16n8k16.row.col.<D>.<A>.<B>.<C>` (PTX type order: D, A, B, C), e.g.
 *  `mma.m16n8k16.row.col.f32.bf16.bf16.f32`. Supported: shapes m16n8k16, m16n8k8; A = B in
 *  {bf16, f16}; C = D in {f32, f16}, f16 only with f16 inputs. TCA_ERROR_TV_VALUE otherwise. */
tca_status tca_tv_mma_op_parse(const char *text, tca_mma_op *op);
/** The canonical op string (static storage), "?" for an unsupported op. */
const char *tca_tv_mma_op_name(tca_mma_op op);
/** Element counts: A is 16 x k, B is k x 8, C and D 16 x 8. */
int tca_tv_mma_k(tca_mma_op op);

typedef struct tca_tv_mma_case {
    uint64_t id;
    const char *flags;  /* NULL or the record's flags value (points into the file) */
    uint16_t A[16 * 16];   /* row-major 16 x k */
    uint16_t B[16 * 8];    /* B[k][n] row-major, k x 8 */
    uint32_t C[16 * 8];    /* row-major; f16 accumulators in the low 16 bits */
    uint32_t D[16 * 8];
} tca_tv_mma_case;

/** Decode one MMA record: id, A, B, C, D (flags optional). */
tca_status tca_tv_mma_case_read(const tca_tv_record *r, tca_mma_op op, tca_tv_mma_case *out);
/** Write one MMA record (id, flags when non-NULL and non-empty, A, B, C, D) and its blank line. */
void tca_tv_mma_case_write(tca_tv_writer *w, tca_mma_op op, const tca_tv_mma_case *c);


/* ------------------------------------------------- matrices drawn from the PRNG (vectors 2.3) */

/** Fill a rows x cols row-major BF16 matrix from a named recipe, drawing from a generator seeded
 *  with `seed` in row-major order (vectors 2.3). W recipes: "weights", "smallint", "widerange",
 *  "specials", "pairs". X recipes: "act", "smallint", "widerange", and "negpairs"/"nearpairs"
 *  (which also draw row-major but pair column 2j+1 with column 2j).
 *  @return TCA_ERROR_PARAM_INVALID for an unknown recipe. */
tca_status tca_tv_fill_matrix(const char *recipe, uint64_t seed, uint16_t *out, uint64_t rows, uint64_t cols);

/** SHA-256 of n little-endian u16 / u32 values (vectors 6.3). */
void tca_tv_digest16(const uint16_t *v, uint64_t n, uint8_t digest[32]);
void tca_tv_digest32(const uint32_t *v, uint64_t n, uint8_t digest[32]);

/* ------------------------------------------------------------- manifest (vectors 8) */

#define TCA_TV_MANIFEST_COLUMNS 7

/** One MANIFEST.tsv row: path kind profile level seed count description (tab-separated;
 *  `-` where a column does not apply). */
typedef struct tca_tv_manifest_row {
    char path[256];      /* relative to the vectors directory, '/'-separated, no "..", no leading '/' */
    char kind[32];       /* format | format-invalid | mma | mma-hw | gemm | gemm-digest | accum */
    char profile[16];    /* sm80 ... sm120, or - */
    char level[8];       /* quick | full */
    uint64_t seed;       /* 0 with `-` */
    uint64_t count;      /* records in the file */
    char description[256];
} tca_tv_manifest_row;

typedef struct tca_tv_manifest {
    tca_tv_manifest_row *rows;
    size_t n_rows;
    const tca_allocator *alloc_;
} tca_tv_manifest;

/** Parse MANIFEST.tsv text (first line `# path<TAB>kind<TAB>...` header). */
tca_status tca_tv_manifest_parse(const void *data, size_t size, const tca_allocator *alloc, tca_tv_manifest *out,
                                 tca_tv_error *err);
void tca_tv_manifest_free(tca_tv_manifest *m);
/** Append the canonical text of one row (with trailing newline) / the header line. */
void tca_tv_manifest_put_header(tca_tv_writer *w);
void tca_tv_manifest_put_row(tca_tv_writer *w, const tca_tv_manifest_row *row);

#ifdef __cplusplus
}
#endif
#endif
