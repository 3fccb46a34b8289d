/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the corpus generator behind `tca gen` (spec/tca-test-vectors.md). Each family adds
 * its files to a tca__tv_gen list in memory; the command then writes them or compares them with
 * a vectors directory. Not part of the public API. */
#ifndef TCA_TV_GEN_H
#define TCA_TV_GEN_H
#include <stddef.h>
#include <stdint.h>
#include "tca/tv.h"

#define TCA_TV_CORPUS_VERSION "1.1.0" /* vectors/VERSION; bump when a file is added or changes */
/* The header key `vectors` of a file is the corpus version that introduced it (vectors 3.5). */
#define TCA_TV_FILES_1_0 "1.0.0" /* the layout v1 files of the first corpus */
#define TCA_TV_FILES_1_1 "1.1.0" /* the layout F files (v1/format/f/, v1/gemm/<profile>/f/) */
#define TCA_TV_SPEC_VERSION "1"        /* spec/tca-test-vectors.md major version */

typedef struct tca__tv_gen_file {
    tca_tv_manifest_row row;
    char *data; /* malloc'd file text */
    size_t size;
} tca__tv_gen_file;

typedef struct tca__tv_gen {
    int full;   /* 1: generate full-level files too */
    int verbose;
    tca__tv_gen_file *files;
    size_t n, cap;
} tca__tv_gen;

/** Start a file: preamble, comment, and the standard header keys of vectors 3.5 (vectors,
 *  kind, profile when not "-", level, seed when non-zero, count). Family-specific header keys
 *  follow; the caller ends the header with tca_tv_put_end. */
void tca__tv_gen_begin(tca_tv_writer *w, const tca_tv_manifest_row *row);
/** The same with the file's `vectors` version given (the version that introduced it); layout_f
 *  adds the header key `layout = F` after `count`. */
void tca__tv_gen_begin_layout(tca_tv_writer *w, const tca_tv_manifest_row *row, const char *since, int layout_f);
/** Take the writer's text as the file of row (the writer is emptied). */
tca_status tca__tv_gen_add(tca__tv_gen *g, const tca_tv_manifest_row *row, tca_tv_writer *w);
void tca__tv_gen_free(tca__tv_gen *g);
/** Set a manifest row. */
void tca__tv_row(tca_tv_manifest_row *row, const char *path, const char *kind, const char *profile, const char *level,
                 uint64_t seed, uint64_t count, const char *description);

tca_status tca__tv_gen_format(tca__tv_gen *g);
tca_status tca__tv_gen_container(tca__tv_gen *g);
tca_status tca__tv_gen_mma(tca__tv_gen *g);
tca_status tca__tv_gen_gemm(tca__tv_gen *g);

/** Encode a dense matrix as a standalone stream (content checksum on; window_start 0 = chosen by
 *  spec 4.5). *stream is malloc'd. */
tca_status tca__tv_encode_stream(const uint16_t *w, uint64_t rows, uint64_t cols, int window_start, uint8_t **stream,
                                 size_t *size);
/** The layout F stream of the same matrix and window (spec 8), content checksum on. */
tca_status tca__tv_encode_stream_f(const uint16_t *w, uint64_t rows, uint64_t cols, int window_start, uint8_t **stream,
                                   size_t *size);
/** tca__tv_encode_stream (layout_f = 0) or tca__tv_encode_stream_f (layout_f = 1). */
tca_status tca__tv_encode_stream_layout(int layout_f, const uint16_t *w, uint64_t rows, uint64_t cols, int window_start,
                                        uint8_t **stream, size_t *size);
/** The layout a vector file's header declares (vectors 3.5: `layout` absent or v1 -> 0, F -> 1);
 *  -1 for another value. */
int tca__tv_file_layout_f(const tca_tv_file *f, int *layout_f);

/** Layout F format vectors (v1/format/f/): valid, invalid, large (full level). */
tca_status tca__tv_gen_format_f(tca__tv_gen *g);
/** The matrices of the v1 valid and large format vectors, for their layout F counterparts. */
size_t tca__tv_format_valid_count(void);
tca_status tca__tv_format_valid_case(size_t i, uint16_t **m, uint64_t *rows, uint64_t *cols, int *window_start,
                                     const char **flags);
size_t tca__tv_format_large_count(void);
void tca__tv_format_large_case(size_t i, const char **recipe, uint64_t *rows, uint64_t *cols, uint64_t *seed);
#endif
