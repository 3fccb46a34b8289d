/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the corpus generator behind `tca gen` (spec/tca-test-vectors.md). Each family adds
 * its files to a tca__tv_gen list in memory; the command then writes them or compares them with
 * a vectors directory. Not part of the public API. */
#ifndef TCA_TV_GEN_H
#define TCA_TV_GEN_H
#include <stddef.h>
#include <stdint.h>
#include "tca/prng.h"
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

/** Encode a dense matrix as a standalone stream, layout v1 (layout_f = 0) or layout F (spec 8,
 *  layout_f = 1), content checksum on; window_start 0 = chosen by spec 4.5. *stream is malloc'd. */
tca_status tca__tv_encode_stream_layout(int layout_f, const uint16_t *w, uint64_t rows, uint64_t cols, int window_start,
                                        uint8_t **stream, size_t *size);
/** The layout a vector file's header declares (vectors 3.5: `layout` absent or v1 -> 0, F -> 1);
 *  -1 for another value. */
int tca__tv_file_layout_f(const tca_tv_file *f, int *layout_f);

/* ---- Shared by the v1 and layout F format generators (gen_format.c, gen_format_f.c) ---- */

/** Layout F format vectors (v1/format/f/): valid, invalid, large (full level). */
tca_status tca__tv_gen_format_f(tca__tv_gen *g);

/** A BF16 with exponent e and random sign and mantissa. */
uint16_t tca__tv_with_exp(tca_prng *r, unsigned e);

/** A list of valid matrices of one format file: case i is record first_id + i, its matrix drawn
 *  by fill from derive(seed, first_id + i) (vectors 5.1, 5.5); flags_suffix (or NULL) is
 *  appended to each case's flags. */
typedef struct tca__tv_vcase {
    const char *flags;
    uint64_t rows, cols;
    int window_start; /* 0: chosen by spec 4.5 */
    void (*fill)(tca_prng *r, uint16_t *w, uint64_t rows, uint64_t cols);
} tca__tv_vcase;
typedef struct tca__tv_vgroup {
    const tca__tv_vcase *cases;
    size_t n;
    uint64_t seed, first_id;
    const char *flags_suffix;
} tca__tv_vgroup;
/** The matrices of v1/format/valid.tv (records 1..27), with a flags suffix. */
tca__tv_vgroup tca__tv_format_v1_valid(const char *flags_suffix);
/** A file of valid records of one layout: each group's matrices encoded, checked by the reference
 *  decoder (and for layout F by the v1 -> F transcoder, spec 8.9), written with their decoded
 *  values; the manifest row has seed `seed` and counts every record. The header notes are those
 *  of v1/format/valid.tv, except that a note of `notes` with the same name gives its text; the
 *  other notes of `notes` follow in their order (NULL, 0: the v1 notes). */
tca_status tca__tv_gen_valid_file(tca__tv_gen *g, int layout_f, const char *path, uint64_t seed, const char *description,
                                  const char *const notes[][2], size_t n_notes, const tca__tv_vgroup *groups,
                                  size_t n_groups);
/** The full-level file of large matrices by recipe (vectors 5.3, 5.5: the records of
 *  v1/format/large.tv, their seeds, recipes and shapes), encoded in the given layout; stream and
 *  decoded values by SHA-256. */
tca_status tca__tv_gen_large_file(tca__tv_gen *g, int layout_f, const char *path, const char *description,
                                  const char *const notes[][2], size_t n_notes);

/** A stream being broken into an invalid one (p has room for n + the copy's extra + 64 bytes). */
typedef struct tca__tv_stream {
    uint8_t *p;
    size_t n;
} tca__tv_stream;
/** A malloc'd copy of b with room for extra + 64 more bytes ({NULL, b->n} when out of memory). */
tca__tv_stream tca__tv_copy_of(const tca__tv_stream *b, size_t extra);
/** Repair Header_Checksum (spec 3.8, 8.1: CRC-32C of bytes 0..59, both layouts). */
void tca__tv_fix_header_crc(tca__tv_stream *s);
/** Repair Content_Checksum (spec 6.9, 8.7: CRC-32C of every section byte, stored last). */
void tca__tv_fix_content_crc(tca__tv_stream *s);
/** A copy of b with the little-endian field of `bytes` bytes (1, 4 or 8) at off set to v and
 *  the header checksum (hdr_*) or the content checksum (sec_*) repaired. */
tca__tv_stream tca__tv_hdr_byte(const tca__tv_stream *b, size_t off, uint8_t v);
tca__tv_stream tca__tv_hdr_u32(const tca__tv_stream *b, size_t off, uint32_t v);
tca__tv_stream tca__tv_hdr_u64(const tca__tv_stream *b, size_t off, uint64_t v);
tca__tv_stream tca__tv_sec_u32(const tca__tv_stream *b, size_t off, uint32_t v);
tca__tv_stream tca__tv_sec_u64(const tca__tv_stream *b, size_t off, uint64_t v);

/** The invalid records of one file: the broken stream, its flags, the rule it breaks (layout F:
 *  F1-F21 of spec 8.8; NULL for v1, whose records carry no rule key) and the expected status. */
typedef struct tca__tv_icase {
    const char *flags, *rule;
    tca_status error;
    tca__tv_stream s;
} tca__tv_icase;
#define TCA__TV_ICASES_MAX 64
typedef struct tca__tv_ilist {
    tca__tv_icase c[TCA__TV_ICASES_MAX];
    size_t n;
} tca__tv_ilist;
/** Append a case (the list takes s; s is freed when the list is full or s.p is NULL). */
void tca__tv_add_invalid(tca__tv_ilist *l, const char *flags, const char *rule, tca_status error, tca__tv_stream s);
/** Fills L with the invalid cases made from the base streams of a file. */
typedef tca_status (*tca__tv_build_invalid)(tca__tv_ilist *L, const tca__tv_stream *base);
/** Build the invalid records from base and write their file (quick level, seed 0), each checked
 *  by the reference decoder of the layout first: v1 must reject it (another status is a note
 *  under -v); layout F must give exactly the expected status (the order of spec 8.8 is
 *  normative). */
tca_status tca__tv_gen_invalid_file(tca__tv_gen *g, int layout_f, tca__tv_build_invalid build,
                                    const tca__tv_stream *base, const char *path, const char *description,
                                    const char *const notes[][2], size_t n_notes);
#endif
