/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the corpus generator behind `tca gen` (spec/tca-test-vectors.md). Each family adds
 * its files to a tca__tv_gen list in memory; the command then writes them or compares them with
 * a vectors directory. Not part of the public API. */
#ifndef TCA_TV_GEN_H
#define TCA_TV_GEN_H
#include <stddef.h>
#include <stdint.h>
#include "tca/tv.h"

#define TCA_TV_CORPUS_VERSION "1.0.0" /* vectors/VERSION; bump when any committed file changes */
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
#endif
