/* SPDX-License-Identifier: Apache-2.0 */
/* Bytes -> a small plain safetensors file made with the builder API (1..5 tensors of any dtype
 * and rank, mostly 2-D BF16 of ragged shapes; names and an optional metadata entry from the
 * input; tensor bytes from the payload) -> tca_ckpt_compress -> tca_ckpt_decompress.
 * Invariants (spec/tca-safetensors.md):
 *   - the builder's output parses (safetensors 2.6 writers produce what 2 accepts);
 *   - compression in layout v1 or F (spec 8; chosen by the input) succeeds unless a name is
 *     reserved (3.4: CONTAINER_NAME), and is deterministic: the plan API in low-memory mode
 *     writes the identical bytes (for v1, the same as tca_ckpt_compress);
 *   - with force, every non-empty 2-D BF16 tensor is stored compressed (in the chosen layout),
 *     every other tensor passes through (5);
 *   - decompression gives back the input file byte for byte (4);
 *   - one damaged byte (position and XOR mask from the input) in the compressed file is either
 *     rejected with a FORMAT/CONTAINER code (by tca_ckpt_open or tca_ckpt_decompress) or still
 *     reconstructs the input exactly: the array, pass-through and metadata CRCs together cover
 *     every byte the reconstruction uses (3.3), so a damaged file never yields other bytes. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_util.h"
#include "tca/safetensors.h"
#include "tca/tca.h"

/* Compress through the plan API: layout v1 or F (spec 8), optionally in low-memory mode (encodings
 * dropped after sizing and made again when writing). */
static tca_status compress_plan(const uint8_t *in, size_t size, int force, tca_layout layout, int low_memory,
                                tca_st_buffer *out)
{
    tca_st_file *f = NULL;
    tca_status st = tca_st_parse(in, size, NULL, &f);
    if (st != TCA_OK) return st;
    tca_ckpt_plan *p = NULL;
    st = tca_ckpt_plan_new(f, force, NULL, &p);
    if (st == TCA_OK) {
        p->layout = layout;
        p->low_memory = low_memory;
        for (size_t i = 0; st == TCA_OK && i < p->n_items; i++) st = tca_ckpt_plan_encode(p, i);
        if (st == TCA_OK) st = tca_ckpt_plan_write(p, tca_st_sink_buffer, out, NULL);
        tca_ckpt_plan_free(p);
    }
    tca_st_free(f);
    return st;
}

/* Flip bits of one byte of the compressed file and check that the damage is caught or harmless. */
static void damage(fuzz_producer *p, const uint8_t *comp, size_t comp_size, const uint8_t *orig, size_t orig_size)
{
    uint32_t pos = fuzz_take_range(p, 0, (uint32_t)comp_size - 1);
    uint8_t mask = (uint8_t)fuzz_take_range(p, 1, 255);
    uint8_t *bad = malloc(comp_size);
    FUZZ_ASSERT(bad);
    memcpy(bad, comp, comp_size);
    bad[pos] ^= mask;
    tca_ckpt_reader *r = NULL;
    tca_status st = tca_ckpt_open(bad, comp_size, NULL, &r);
    if (st != TCA_OK) {
        FUZZ_ASSERT_MSG(tca_status_is_format_error(st), "open of a damaged file returned %s", tca_status_name(st));
    } else {
        tca_st_buffer out = {0};
        size_t failed = (size_t)-1;
        st = tca_ckpt_decompress(r, tca_st_sink_buffer, &out, &failed);
        if (st != TCA_OK)
            FUZZ_ASSERT_MSG(tca_status_is_format_error(st), "decompress of a damaged file returned %s",
                            tca_status_name(st));
        else
            FUZZ_ASSERT_MSG(out.size == orig_size && memcmp(out.data, orig, orig_size) == 0,
                            "byte %u ^ 0x%02x of the compressed file went undetected and changed the output",
                            (unsigned)pos, (unsigned)mask);
        tca_st_buffer_free(&out);
        tca_ckpt_close(r);
    }
    free(bad);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_TENSORS 5

/* One byte from the tail (0 when exhausted). */
static uint8_t take_byte(fuzz_producer *p) { return p->size ? p->data[--p->size] : 0; }

/* A name of 1..12 characters drawn from an alphabet with JSON-special, multi-byte UTF-8 and
 * separator characters; sometimes with a reserved suffix (safetensors 3.4). */
static void take_name(fuzz_producer *p, char *out, size_t cap, int index)
{
    static const char *const pieces[] = {"a", "b", "w", "0", "9", ".", "_", "-", " ", "\"", "\\", "/",
                                         "\t", "\n", "\x01", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                                         "weight", "layers.", "tca", ".tca.", "__metadata__", "bitmap1"};
    size_t n = 1 + take_byte(p) % 12, len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = pieces[take_byte(p) % (sizeof pieces / sizeof pieces[0])];
        size_t k = strlen(s);
        if (len + k + 1 >= cap) break;
        memcpy(out + len, s, k);
        len += k;
    }
    uint8_t r = take_byte(p);
    if (r % 16 == 0 && len + 24 < cap) { /* a reserved array name */
        const char *suffix = r & 16 ? ".tca.exception_offsets" : ".tca.full";
        memcpy(out + len, suffix, strlen(suffix));
        len += strlen(suffix);
    }
    if (len == 0) out[len++] = (char)('A' + index);
    out[len] = 0;
}

static int has_reserved_suffix(const char *name)
{
    /* safetensors 3.4, with the layout F arrays of version 1.1 */
    static const char *const arrays[] = {"bitmap1", "bitmap2",    "bitmap3", "tom", "tog", "sign_mantissa", "full",
                                         "strips",  "exceptions", "exception_offsets"};
    size_t n = strlen(name);
    for (size_t a = 0; a < sizeof arrays / sizeof arrays[0]; a++) {
        size_t k = strlen(arrays[a]);
        if (n >= k + 5 && !memcmp(name + n - k - 5, ".tca.", 5) && !memcmp(name + n - k, arrays[a], k)) return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_producer p;
    fuzz_producer_init(&p, data, size);
    unsigned n_tensors = 1 + take_byte(&p) % MAX_TENSORS;
    uint8_t mode = take_byte(&p);
    int force = mode & 1;
    tca_layout layout = mode & 2 ? TCA_LAYOUT_F : TCA_LAYOUT_V1;
    int with_meta = take_byte(&p) % 4;

    tca_st_builder *b = NULL;
    FUZZ_ASSERT(tca_st_builder_new(NULL, &b) == TCA_OK);
    int reserved = 0;
    if (with_meta) {
        char key[64], value[64];
        take_name(&p, key, sizeof key, 0);
        take_name(&p, value, sizeof value, 1);
        tca_status st = tca_st_builder_meta(b, key, value, strlen(value));
        FUZZ_ASSERT_MSG(st == TCA_OK, "builder refused metadata: %s", tca_status_name(st));
        if (!strncmp(key, "tca.", 4)) reserved = 1; /* safetensors 3.4: reserved metadata key */
    }
    char names[MAX_TENSORS][64];
    tca_st_dtype dtypes[MAX_TENSORS];
    unsigned ranks[MAX_TENSORS];
    uint64_t elems[MAX_TENSORS];
    unsigned added = 0;
    for (unsigned t = 0; t < n_tensors; t++) {
        char *name = names[added];
        take_name(&p, name, sizeof names[0], (int)t);
        uint8_t kind = take_byte(&p);
        tca_st_dtype dt;
        unsigned rank;
        uint64_t shape[3] = {0, 0, 0};
        if (kind % 4 != 0) { /* 2-D BF16, ragged around the 64 x 64 tiles */
            dt = TCA_ST_BF16;
            rank = 2;
            shape[0] = 1 + take_byte(&p) % 72;
            shape[1] = 1 + take_byte(&p) % 136;
            if (kind % 32 == 1) shape[take_byte(&p) & 1] = 0; /* empty: passes through */
        } else {
            dt = (tca_st_dtype)(take_byte(&p) % TCA_ST_DTYPE_COUNT);
            rank = take_byte(&p) % 4;
            for (unsigned d = 0; d < rank; d++) shape[d] = take_byte(&p) % 6;
        }
        tca_status st = tca_st_builder_tensor(b, name, dt, rank, shape);
        if (st != TCA_OK) { /* duplicate name or __metadata__: the builder refuses, nothing added */
            FUZZ_ASSERT(st == TCA_ERROR_PARAM_INVALID);
            continue;
        }
        dtypes[added] = dt;
        ranks[added] = rank;
        elems[added] = 1;
        for (unsigned d = 0; d < rank; d++) elems[added] *= shape[d];
        reserved |= has_reserved_suffix(name);
        added++;
    }
    uint8_t *prefix = NULL;
    size_t prefix_len = 0;
    uint64_t data_size = 0;
    FUZZ_ASSERT(tca_st_builder_finish(b, &prefix, &prefix_len, &data_size) == TCA_OK);
    tca_st_builder_free(b);

    /* the file: prefix, then the data region filled from the payload (repeating) */
    size_t plen;
    const uint8_t *payload = fuzz_payload(&p, &plen);
    size_t fsize = prefix_len + (size_t)data_size;
    uint8_t *file = malloc(fsize);
    FUZZ_ASSERT(file);
    memcpy(file, prefix, prefix_len);
    tca_free(NULL, prefix);
    for (uint64_t i = 0; i < data_size; i++) file[prefix_len + i] = plen ? payload[i % plen] : 0;

    tca_st_file *f = NULL;
    tca_status st = tca_st_parse(file, fsize, NULL, &f);
    FUZZ_ASSERT_MSG(st == TCA_OK, "builder output does not parse: %s", tca_status_name(st));
    FUZZ_ASSERT(f->n_tensors == added);
    tca_st_free(f);

    tca_st_buffer c1 = {0}, c2 = {0}, back = {0};
    /* v1: the convenience function; F: the plan API. Then the plan API in low-memory mode must
     * write the identical bytes (deterministic, and independent of the memory mode). */
    st = layout == TCA_LAYOUT_V1 ? tca_ckpt_compress(file, fsize, force, NULL, tca_st_sink_buffer, &c1)
                                 : compress_plan(file, fsize, force, layout, 0, &c1);
    if (reserved) {
        FUZZ_ASSERT_MSG(st == TCA_ERROR_CONTAINER_NAME, "reserved name accepted: %s", tca_status_name(st));
    } else {
        FUZZ_ASSERT_MSG(st == TCA_OK, "compress returned %s", tca_status_name(st));
        FUZZ_ASSERT(compress_plan(file, fsize, force, layout, 1, &c2) == TCA_OK);
        FUZZ_ASSERT(c1.size == c2.size && memcmp(c1.data, c2.data, c1.size) == 0);

        tca_ckpt_reader *r = NULL;
        st = tca_ckpt_open(c1.data, c1.size, NULL, &r);
        FUZZ_ASSERT_MSG(st == TCA_OK, "open returned %s", tca_status_name(st));
        FUZZ_ASSERT(r->n_entries == added && r->original_size == fsize);
        for (unsigned i = 0; i < added; i++) {
            int candidate = dtypes[i] == TCA_ST_BF16 && ranks[i] == 2 && elems[i] > 0;
            if (force) FUZZ_ASSERT(r->entries[i].compressed == candidate);
            else if (!candidate) FUZZ_ASSERT(!r->entries[i].compressed);
            if (r->entries[i].compressed) FUZZ_ASSERT(r->entries[i].layout == layout);
            FUZZ_ASSERT(tca_ckpt_check_crc(r, i, NULL) == TCA_OK);
        }
        size_t failed = (size_t)-1;
        st = tca_ckpt_decompress(r, tca_st_sink_buffer, &back, &failed);
        FUZZ_ASSERT_MSG(st == TCA_OK, "decompress returned %s (entry %zu)", tca_status_name(st), failed);
        FUZZ_ASSERT(back.size == fsize && memcmp(back.data, file, fsize) == 0);
        tca_ckpt_close(r);
        damage(&p, c1.data, c1.size, file, fsize);
    }
    tca_st_buffer_free(&c1);
    tca_st_buffer_free(&c2);
    tca_st_buffer_free(&back);
    free(file);
    return 0;
}
