/* SPDX-License-Identifier: Apache-2.0 */
/* safetensors files and the TCA-TBE compressed checkpoint (spec/tca-safetensors.md).
 *
 * Two layers:
 *   tca_st_*   a strict safetensors reader and a header builder (safetensors 2). Everything works
 *              on memory buffers; the data region is never copied (tensor views point into it).
 *   tca_ckpt_* the compressed checkpoint: compression plan and writer (safetensors 3, 5), reader,
 *              CRC checks, per-tensor decoding and byte-exact reconstruction (safetensors 3, 4).
 *
 * Output is produced through a sink callback, so callers write to a FILE*, a memory buffer or a
 * hash. JSON is handled by Jansson, whose own allocations do not go through tca_allocator. */
#ifndef TCA_SAFETENSORS_H
#define TCA_SAFETENSORS_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "tca/alloc.h"
#include "tca/status.h"
#include "tca/tbe.h"
#include "tca/tbe_f.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ safetensors (safetensors 2) */

#define TCA_ST_MAX_RANK 16                  /* safetensors 2.4: implementation limit on rank */
#define TCA_ST_MAX_HEADER (100u * 1000u * 1000u) /* safetensors 2.2: header length limit (bytes) */

/** The dtypes accepted (safetensors 2.4). Sub-byte dtypes are rejected. */
typedef enum tca_st_dtype {
    TCA_ST_BOOL,
    TCA_ST_U8,
    TCA_ST_I8,
    TCA_ST_F8_E5M2,
    TCA_ST_F8_E4M3,
    TCA_ST_F8_E8M0,
    TCA_ST_I16,
    TCA_ST_U16,
    TCA_ST_F16,
    TCA_ST_BF16,
    TCA_ST_I32,
    TCA_ST_U32,
    TCA_ST_F32,
    TCA_ST_I64,
    TCA_ST_U64,
    TCA_ST_F64,
    TCA_ST_DTYPE_COUNT
} tca_st_dtype;

/** Canonical name ("BF16"), or "?" for an out-of-range value. */
const char *tca_st_dtype_name(tca_st_dtype d);
/** Bytes per element (1, 2, 4 or 8), 0 for an out-of-range value. */
size_t tca_st_dtype_size(tca_st_dtype d);
/** Parse a dtype name (exact, case-sensitive). Returns 1 and sets *out, or 0 if unknown. */
int tca_st_dtype_parse(const char *name, tca_st_dtype *out);

/** One tensor entry. Strings and data belong to the tca_st_file / input buffer. */
typedef struct tca_st_tensor {
    const char *name;       /* UTF-8, NUL-terminated (JSON forbids U+0000 in names here) */
    tca_st_dtype dtype;
    unsigned rank;
    uint64_t shape[TCA_ST_MAX_RANK];
    uint64_t elements;      /* product of shape (1 for rank 0) */
    uint64_t begin, end;    /* data_offsets, relative to the data region; end - begin = bytes */
    const uint8_t *data;    /* data region + begin, or NULL for a header parsed alone */
} tca_st_tensor;

/** One `__metadata__` entry (string -> string). */
typedef struct tca_st_meta {
    const char *key;
    const char *value;      /* NUL-terminated; value_len bytes (no U+0000 inside) */
    size_t value_len;
} tca_st_meta;

/** A parsed file (or header). All arrays are in header order. */
typedef struct tca_st_file {
    const uint8_t *header;  /* the header JSON bytes exactly as stored (not NUL-terminated) */
    size_t header_len;
    const uint8_t *data;    /* data region (NULL for a header parsed alone) */
    uint64_t data_size;     /* bytes of the data region = the largest data_offsets end */
    int has_metadata;       /* 1 if a `__metadata__` entry was present */
    size_t n_meta;
    tca_st_meta *meta;
    size_t n_tensors;
    tca_st_tensor *tensors;
    void *priv_;            /* internal: JSON tree, name index */
    const tca_allocator *alloc_;
} tca_st_file;

/** Parse and validate a whole safetensors file held in memory (safetensors 2): header length,
 *  UTF-8 JSON object without duplicate keys, `__metadata__`, each tensor entry, and the exact
 *  tiling of the data region (no holes, no overlaps, no trailing bytes).
 *  @return TCA_OK and *out (free with tca_st_free), TCA_ERROR_CONTAINER_HEADER,
 *          TCA_ERROR_CONTAINER_TENSOR, TCA_ERROR_ALLOC or TCA_ERROR_PARAM_NULL. */
tca_status tca_st_parse(const uint8_t *buf, size_t size, const tca_allocator *alloc, tca_st_file **out);
/** Parse a header text alone (the JSON after the 8-byte length). The same rules apply, except
 *  that the data region is not present: data pointers are NULL and data_size is the size the
 *  offsets imply. The text must stay alive while *out is used. */
tca_status tca_st_parse_header(const uint8_t *json, size_t len, const tca_allocator *alloc, tca_st_file **out);
void tca_st_free(tca_st_file *f);
/** Index of the tensor with this name, or -1. O(log n). */
long tca_st_find(const tca_st_file *f, const char *name);
/** Index of the k-th tensor in data order (sorted by data_offsets), k < n_tensors. */
size_t tca_st_offset_order(const tca_st_file *f, size_t k);
/** Value of a `__metadata__` key, or NULL. *len (may be NULL) receives its length. */
const char *tca_st_meta_get(const tca_st_file *f, const char *key, size_t *len);

/** Where output bytes go. Returns TCA_OK or an error (typically TCA_ERROR_IO). */
typedef tca_status (*tca_st_sink)(void *ctx, const void *data, size_t size);
/** A sink writing to a FILE* (ctx). */
tca_status tca_st_sink_file(void *ctx, const void *data, size_t size);

/** A growable memory buffer usable as a sink (tca_st_sink_buffer with ctx = the buffer). */
typedef struct tca_st_buffer {
    uint8_t *data;
    size_t size, capacity;
    const tca_allocator *alloc;
} tca_st_buffer;
tca_status tca_st_sink_buffer(void *ctx, const void *data, size_t size);
void tca_st_buffer_free(tca_st_buffer *b);

/** Builds a header: metadata and tensors are laid out in the order added, each tensor's data
 *  following the previous one's with no gap (safetensors 2.5). */
typedef struct tca_st_builder tca_st_builder;
tca_status tca_st_builder_new(const tca_allocator *alloc, tca_st_builder **out);
void tca_st_builder_free(tca_st_builder *b);
/** Add a `__metadata__` entry (value of value_len bytes, valid UTF-8 without U+0000). */
tca_status tca_st_builder_meta(tca_st_builder *b, const char *key, const char *value, size_t value_len);
/** Add a tensor; its byte size is dtype size x product(shape) (overflow-checked). */
tca_status tca_st_builder_tensor(tca_st_builder *b, const char *name, tca_st_dtype dtype, unsigned rank,
                                 const uint64_t *shape);
/** The file prefix: 8-byte little-endian length + compact JSON header padded with spaces to a
 *  multiple of 8 bytes. *prefix is allocated with the builder's allocator (free with tca_free).
 *  *data_size receives the size of the data region the caller must write after it. */
tca_status tca_st_builder_finish(tca_st_builder *b, uint8_t **prefix, size_t *prefix_len, uint64_t *data_size);

/* ------------------------------------------------ the compressed checkpoint (safetensors 3-5) */

#define TCA_CKPT_FORMAT "TCA-TBE"
#define TCA_CKPT_FORMAT_VERSION "1.0"
#define TCA_CKPT_FORMAT_VERSION_F "1.1" /* written when a tensor uses layout F (safetensors 3.2) */
#define TCA_CKPT_ARRAYS 7
#define TCA_CKPT_F_ARRAYS 3              /* layout F: strips, exceptions, exception_offsets */

/** The seven arrays of a compressed tensor, in their header order (safetensors 3.1). */
typedef enum tca_ckpt_array {
    TCA_CKPT_BITMAP1,
    TCA_CKPT_BITMAP2,
    TCA_CKPT_BITMAP3,
    TCA_CKPT_TOM,
    TCA_CKPT_TOG,
    TCA_CKPT_SIGN_MANTISSA,
    TCA_CKPT_FULL
} tca_ckpt_array;
/** Suffix without the leading ".tca." ("bitmap1", ..., "full"). */
const char *tca_ckpt_array_name(tca_ckpt_array a);
/** Layout F array k (0..2) suffix: "strips", "exceptions", "exception_offsets" (safetensors 3.1). */
const char *tca_ckpt_f_array_name(unsigned k);

/** What the compressor does with one input tensor (safetensors 5). */
typedef enum tca_ckpt_action {
    TCA_CKPT_COMPRESS,          /* replaced by the seven arrays */
    TCA_CKPT_PASS_DTYPE,        /* not BF16 */
    TCA_CKPT_PASS_RANK,         /* not 2-D */
    TCA_CKPT_PASS_EMPTY,        /* a dimension is 0 */
    TCA_CKPT_PASS_LIMIT,        /* beyond the limits of spec 3.5 */
    TCA_CKPT_PASS_NOT_SMALLER   /* encoding would not be smaller (and no force) */
} tca_ckpt_action;
/** Short reason for the summary ("compressed", "not BF16", ...). */
const char *tca_ckpt_action_reason(tca_ckpt_action a);

typedef struct tca_ckpt_item {
    size_t tensor;              /* index in the input file */
    tca_ckpt_action action;     /* final after tca_ckpt_plan_encode */
    int encoded;                /* 1 once tca_ckpt_plan_encode ran for this item */
    tca_tbe_matrix *matrix;     /* the encoding when action == TCA_CKPT_COMPRESS (NULL in a
                                   low-memory plan: encoded again when written) */
    tca_tbe_header hdr;         /* header fields of the encoding (action == TCA_CKPT_COMPRESS) */
    uint64_t original_bytes;    /* the input tensor's bytes */
    uint64_t stored_bytes;      /* bytes in the output data region (seven arrays or original) */
    uint32_t crc[TCA_CKPT_ARRAYS];  /* compressed: per array; pass-through: crc[0] of the bytes */
    /* layout F (plan->layout == TCA_LAYOUT_F): the encoding replaces matrix/hdr, its three
     * arrays' CRCs are crc[0..2] */
    tca_layout layout;
    tca_tbe_f_matrix *f_matrix;
    tca_tbe_f_header f_hdr;
} tca_ckpt_item;

typedef struct tca_ckpt_plan {
    const tca_st_file *in;
    int force;
    int low_memory;             /* 0 (default): keep every encoding until written; 1: keep only
                                   sizes and CRCs and encode again when writing (half the speed,
                                   memory for one tensor at a time). Set before encoding. */
    size_t n_items;             /* = in->n_tensors, same order */
    tca_ckpt_item *items;
    const tca_allocator *alloc;
    tca_layout layout;          /* TCA_LAYOUT_V1 (default) or TCA_LAYOUT_F: the layout of every
                                   compressed tensor (spec 8). Set before encoding. */
} tca_ckpt_plan;

/** Check the input for reserved names (safetensors 3.4: ERROR_CONTAINER_NAME) and decide the
 *  static part of each tensor's action (dtype, rank, empty, limits). force: compress candidate
 *  tensors even when not smaller. */
tca_status tca_ckpt_plan_new(const tca_st_file *in, int force, const tca_allocator *alloc, tca_ckpt_plan **out);
/** Encode item i if it is a candidate, then decide between compression and pass-through.
 *  Distinct items may be encoded concurrently (if the allocator is thread-safe). */
tca_status tca_ckpt_plan_encode(tca_ckpt_plan *p, size_t i);
/** Write the compressed checkpoint (every item must have been encoded). *written may be NULL. */
tca_status tca_ckpt_plan_write(const tca_ckpt_plan *p, tca_st_sink sink, void *ctx, uint64_t *written);
void tca_ckpt_plan_free(tca_ckpt_plan *p);
/** Convenience: parse, plan, encode every tensor in order, write. */
tca_status tca_ckpt_compress(const uint8_t *in, size_t size, int force, const tca_allocator *alloc, tca_st_sink sink,
                             void *ctx);

/** One tensor of the original file, as found in a compressed checkpoint. */
typedef struct tca_ckpt_entry {
    const tca_st_tensor *original;  /* entry of the stored original header */
    int compressed;
    const tca_st_tensor *stored;    /* pass-through: the container's tensor of the same name */
    int has_plain_crc;              /* pass-through: listed in tca.passthrough_crc32c */
    uint32_t plain_crc;             /* pass-through: its CRC-32C from the metadata */
    const tca_st_tensor *arrays[TCA_CKPT_ARRAYS]; /* compressed: the seven container tensors */
    uint32_t crc[TCA_CKPT_ARRAYS];  /* compressed: the CRC-32C values from the metadata */
    tca_tbe_view view;              /* compressed: header fields from the metadata, arrays into
                                       the container */
    tca_layout layout;              /* compressed: the metadata's layout; for TCA_LAYOUT_F the
                                       arrays are arrays[0..2], the CRCs crc[0..2] and the
                                       encoding f_view (view is unused) */
    tca_tbe_f_view f_view;
} tca_ckpt_entry;

typedef struct tca_ckpt_reader {
    tca_st_file *container;         /* the compressed file */
    tca_st_file *original;          /* the stored original header (no data) */
    size_t n_entries;               /* = original->n_tensors, original header order */
    tca_ckpt_entry *entries;
    uint64_t original_size;         /* size of the reconstructed file */
    const tca_allocator *alloc;
} tca_ckpt_reader;

/** Parse a compressed checkpoint: the container (safetensors 2), the tca metadata (3.2:
 *  ERROR_CONTAINER_METADATA), the original header and its agreement with the stored tensors
 *  (4: ERROR_CONTAINER_ORIGINAL), then the metadata CRC when present (3.3: ERROR_CONTAINER_CRC).
 *  Does not read the tensors' bytes (their CRCs are checked by tca_ckpt_check_crc and on
 *  decoding). A valid safetensors file without `tca.format` gives ERROR_CONTAINER_METADATA. */
tca_status tca_ckpt_open(const uint8_t *buf, size_t size, const tca_allocator *alloc, tca_ckpt_reader **out);
void tca_ckpt_close(tca_ckpt_reader *r);
/** 1 if the parsed file carries `tca.format` in its metadata. */
int tca_ckpt_is_compressed(const tca_st_file *f);
/** Check the CRC-32C of each array of entry i (TCA_ERROR_CONTAINER_CRC; *bad_array, may be
 *  NULL, receives the first failing array), or of a pass-through entry's bytes when the file
 *  lists it in tca.passthrough_crc32c (safetensors 3.3). */
tca_status tca_ckpt_check_crc(const tca_ckpt_reader *r, size_t i, tca_ckpt_array *bad_array);
/** Original bytes of entry i into dst (dst_size >= original->end - original->begin): CRC check,
 *  tca_tbe_validate, tca_tbe_decode, little-endian store. Pass-through entries are CRC-checked
 *  (when listed) and copied. */
tca_status tca_ckpt_decode_entry(const tca_ckpt_reader *r, size_t i, uint8_t *dst, size_t dst_size);
/** Write the original file byte for byte (safetensors 4). On a decoding error, *failed_entry
 *  (may be NULL) receives the index of the entry that failed. */
tca_status tca_ckpt_decompress(const tca_ckpt_reader *r, tca_st_sink sink, void *ctx, size_t *failed_entry);

#ifdef __cplusplus
}
#endif
#endif
