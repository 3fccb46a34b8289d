/* SPDX-License-Identifier: Apache-2.0 */
/* Any bytes as a safetensors file through the container API (spec/tca-safetensors.md).
 * Invariants:
 *   - never crash, hang or leak; every rejection is a FORMAT/CONTAINER code (safetensors 2-4);
 *   - an accepted file tiles exactly: 8 + header + data region = size, tensors cover the data
 *     region without holes or overlaps, each name is found at its own index;
 *   - a plain (uncompressed) file compresses (or is refused with CONTAINER_NAME for a reserved
 *     name, safetensors 3.4), deterministically, and decompresses to the identical bytes
 *     (safetensors 4), with and without force;
 *   - an accepted compressed file: per-entry CRC and decode give FORMAT/CONTAINER codes only;
 *     decompression succeeds exactly when every entry decodes, its output has the announced size,
 *     parses as safetensors again with the declared names, dtypes and shapes, carries the stored
 *     original header verbatim, and holds each entry's decoded bytes at its original offsets;
 *     each decoded compressed tensor re-encodes, with the stored window and in its layout (v1 or
 *     F, spec 8), to the identical arrays (the encoding is canonical: spec 11);
 *   - an entry whose CRC fails is also decoded past the CRC (its view straight to tca_tbe_decode),
 *     so mutated arrays reach the TBE validator: FORMAT codes only, canonical when accepted. */
#include <stdlib.h>
#include <string.h>
#include "common/le.h"
#include "fuzz_util.h"
#include "tca/safetensors.h"
#include "tca/tca.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FORMAT_ERROR(st) FUZZ_ASSERT_MSG(tca_status_is_format_error(st), "got %s", tca_status_name(st))

static void check_tiling(const tca_st_file *f, size_t size)
{
    FUZZ_ASSERT(8 + f->header_len + f->data_size == size);
    uint64_t pos = 0;
    for (size_t k = 0; k < f->n_tensors; k++) {
        const tca_st_tensor *t = &f->tensors[tca_st_offset_order(f, k)];
        FUZZ_ASSERT(t->begin == pos && t->end >= t->begin);
        FUZZ_ASSERT(t->end - t->begin == t->elements * tca_st_dtype_size(t->dtype));
        pos = t->end;
    }
    FUZZ_ASSERT(pos == f->data_size);
    for (size_t i = 0; i < f->n_tensors; i++) FUZZ_ASSERT(tca_st_find(f, f->tensors[i].name) == (long)i);
}

/* Plain file: compress, then decompress gives the input back (safetensors 4). */
static void plain_round_trip(const uint8_t *data, size_t size, int force)
{
    tca_st_buffer c1 = {0}, c2 = {0}, back = {0};
    tca_status st = tca_ckpt_compress(data, size, force, NULL, tca_st_sink_buffer, &c1);
    if (st != TCA_OK) {
        /* safetensors 3.4: the only reason to refuse a valid plain file is a reserved name */
        FUZZ_ASSERT_MSG(st == TCA_ERROR_CONTAINER_NAME, "compress returned %s", tca_status_name(st));
        tca_st_buffer_free(&c1);
        return;
    }
    FUZZ_ASSERT(tca_ckpt_compress(data, size, force, NULL, tca_st_sink_buffer, &c2) == TCA_OK);
    FUZZ_ASSERT(c1.size == c2.size && memcmp(c1.data, c2.data, c1.size) == 0); /* deterministic */
    tca_ckpt_reader *r = NULL;
    st = tca_ckpt_open(c1.data, c1.size, NULL, &r);
    FUZZ_ASSERT_MSG(st == TCA_OK, "open of our own output returned %s", tca_status_name(st));
    FUZZ_ASSERT(r->original_size == size);
    size_t failed = (size_t)-1;
    st = tca_ckpt_decompress(r, tca_st_sink_buffer, &back, &failed);
    FUZZ_ASSERT_MSG(st == TCA_OK, "decompress of our own output returned %s (entry %zu)", tca_status_name(st), failed);
    FUZZ_ASSERT(back.size == size && memcmp(back.data, data, size) == 0);
    tca_ckpt_close(r);
    tca_st_buffer_free(&c1);
    tca_st_buffer_free(&c2);
    tca_st_buffer_free(&back);
}

/* Re-encode a decoded compressed entry with its stored window, in its layout (v1, or F of spec
 * 8): the same arrays (spec 11). Both sides go through the same stream writer. */
static void check_canonical(const tca_ckpt_entry *e, const uint16_t *w)
{
    int f = e->layout == TCA_LAYOUT_F;
    uint64_t rows = f ? e->f_view.hdr.rows : e->view.hdr.rows, cols = f ? e->f_view.hdr.cols : e->view.hdr.cols;
    tca_tbe_encode_options opt;
    tca_tbe_encode_options_default(&opt);
    opt.window_start = (f ? e->f_view.hdr.base : e->view.hdr.base) + 1;
    opt.content_checksum = 0;
    uint64_t bound = f ? tca_tbe_f_stream_bound(rows, cols) : tca_tbe_stream_bound(rows, cols);
    uint8_t *s1 = malloc(bound), *s2 = malloc(bound);
    FUZZ_ASSERT(s1 && s2);
    size_t n1 = 0, n2 = 0;
    if (f) {
        tca_tbe_f_matrix *m = NULL;
        FUZZ_ASSERT(tca_tbe_f_encode(w, rows, cols, &opt, NULL, &m) == TCA_OK);
        FUZZ_ASSERT(tca_tbe_f_stream_write(&m->view, s1, bound, &n1) == TCA_OK);
        FUZZ_ASSERT(tca_tbe_f_stream_write(&e->f_view, s2, bound, &n2) == TCA_OK);
        tca_tbe_f_matrix_free(m);
    } else {
        tca_tbe_matrix *m = NULL;
        FUZZ_ASSERT(tca_tbe_encode(w, rows, cols, &opt, NULL, &m) == TCA_OK);
        FUZZ_ASSERT(tca_tbe_stream_write(&m->view, s1, bound, &n1) == TCA_OK);
        FUZZ_ASSERT(tca_tbe_stream_write(&e->view, s2, bound, &n2) == TCA_OK);
        tca_tbe_matrix_free(m);
    }
    FUZZ_ASSERT_MSG(n1 == n2 && memcmp(s1, s2, n1) == 0, "accepted entry '%s' (layout %s) is not the canonical encoding",
                    e->original->name, f ? "F" : "v1");
    free(s1);
    free(s2);
}

/* A mutated array fails its CRC before the decoder sees it. To fuzz the decoder behind the
 * container's binding (header fields from the metadata, arrays from the data region) anyway,
 * decode the entry's view directly, as tca_ckpt_decode_entry would after a matching CRC. */
static void decode_past_crc(const tca_ckpt_entry *e)
{
    uint64_t n = e->original->elements;
    if (n > (1u << 22)) return;
    uint16_t *w = malloc(n * sizeof *w);
    FUZZ_ASSERT(w);
    tca_status st = e->layout == TCA_LAYOUT_F ? tca_tbe_f_decode(&e->f_view, w, n) : tca_tbe_decode(&e->view, w, n);
    if (st == TCA_OK)
        check_canonical(e, w);
    else
        FORMAT_ERROR(st);
    free(w);
}

static void compressed_file(const uint8_t *data, size_t size)
{
    tca_ckpt_reader *r = NULL;
    tca_status st = tca_ckpt_open(data, size, NULL, &r);
    if (st != TCA_OK) {
        FORMAT_ERROR(st);
        return;
    }
    /* safetensors 4: the reconstructed size is 8 + original header + its data region */
    FUZZ_ASSERT(r->original_size == 8 + r->original->header_len + r->original->data_size);
    uint8_t **decoded = calloc(r->n_entries ? r->n_entries : 1, sizeof *decoded);
    FUZZ_ASSERT(decoded);
    int all_ok = 1;
    for (size_t i = 0; i < r->n_entries; i++) {
        const tca_ckpt_entry *e = &r->entries[i];
        uint64_t bytes = e->original->end - e->original->begin;
        tca_ckpt_array bad = TCA_CKPT_FULL;
        tca_status crc = tca_ckpt_check_crc(r, i, &bad);
        if (crc != TCA_OK) FUZZ_ASSERT(crc == TCA_ERROR_CONTAINER_CRC);
        if (bytes > (1u << 24)) { /* keep memory bounded: the data region made it real */
            all_ok = 0;
            continue;
        }
        uint8_t *buf = malloc(bytes ? bytes : 1);
        FUZZ_ASSERT(buf);
        if (bytes) FUZZ_ASSERT(tca_ckpt_decode_entry(r, i, buf, bytes - 1) == TCA_ERROR_PARAM_DST_TOO_SMALL);
        st = tca_ckpt_decode_entry(r, i, buf, bytes);
        if (crc != TCA_OK) {
            FUZZ_ASSERT(st == crc); /* the CRC is checked before anything else */
            if (e->compressed) decode_past_crc(e);
        }
        if (st != TCA_OK) {
            FORMAT_ERROR(st);
            free(buf);
            all_ok = 0;
            continue;
        }
        if (e->compressed) {
            uint64_t n = e->original->elements;
            uint16_t *w = malloc(n * sizeof *w);
            FUZZ_ASSERT(w);
            for (uint64_t k = 0; k < n; k++) w[k] = (uint16_t)(buf[2 * k] | buf[2 * k + 1] << 8);
            check_canonical(e, w);
            free(w);
        }
        decoded[i] = buf;
    }
    if (all_ok) {
        tca_st_buffer out = {0};
        size_t failed = (size_t)-1;
        st = tca_ckpt_decompress(r, tca_st_sink_buffer, &out, &failed);
        FUZZ_ASSERT_MSG(st == TCA_OK, "every entry decoded but decompress returned %s (entry %zu)",
                        tca_status_name(st), failed);
        FUZZ_ASSERT(out.size == r->original_size);
        FUZZ_ASSERT(tca__le64(out.data) == r->original->header_len);
        FUZZ_ASSERT(memcmp(out.data + 8, r->original->header, r->original->header_len) == 0);
        tca_st_file *again = NULL;
        st = tca_st_parse(out.data, out.size, NULL, &again);
        FUZZ_ASSERT_MSG(st == TCA_OK, "decompressed output does not parse: %s", tca_status_name(st));
        FUZZ_ASSERT(again->n_tensors == r->n_entries);
        for (size_t i = 0; i < r->n_entries; i++) {
            const tca_st_tensor *t = &again->tensors[i];
            const tca_st_tensor *o = r->entries[i].original;
            FUZZ_ASSERT(strcmp(t->name, o->name) == 0);
            FUZZ_ASSERT(t->dtype == o->dtype && t->rank == o->rank && !memcmp(t->shape, o->shape, sizeof t->shape));
            FUZZ_ASSERT(t->end - t->begin == r->entries[i].original->end - r->entries[i].original->begin);
            if (t->end > t->begin) FUZZ_ASSERT(memcmp(t->data, decoded[i], t->end - t->begin) == 0);
        }
        tca_st_free(again);
        tca_st_buffer_free(&out);
    } else if (r->original_size <= (1u << 24)) {
        tca_st_buffer out = {0};
        size_t failed = (size_t)-1;
        st = tca_ckpt_decompress(r, tca_st_sink_buffer, &out, &failed);
        if (st != TCA_OK) {
            FORMAT_ERROR(st);
            FUZZ_ASSERT(failed < r->n_entries && decoded[failed] == NULL);
        }
        tca_st_buffer_free(&out);
    }
    for (size_t i = 0; i < r->n_entries; i++) free(decoded[i]);
    free(decoded);
    tca_ckpt_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tca_st_file *f = NULL;
    tca_status st = tca_st_parse(data, size, NULL, &f);
    if (st != TCA_OK) {
        FORMAT_ERROR(st);
        /* the checkpoint reader parses the container first: the same verdict */
        tca_ckpt_reader *r = NULL;
        FUZZ_ASSERT(tca_ckpt_open(data, size, NULL, &r) == st);
        return 0;
    }
    check_tiling(f, size);
    int compressed = tca_ckpt_is_compressed(f);
    tca_st_free(f);
    if (!compressed) {
        tca_ckpt_reader *r = NULL;
        /* safetensors 3.2: a plain file is not a checkpoint */
        FUZZ_ASSERT(tca_ckpt_open(data, size, NULL, &r) == TCA_ERROR_CONTAINER_METADATA);
        plain_round_trip(data, size, 0);
        plain_round_trip(data, size, 1);
        return 0;
    }
    compressed_file(data, size);
    return 0;
}
