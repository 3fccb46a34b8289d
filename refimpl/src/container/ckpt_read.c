/* SPDX-License-Identifier: Apache-2.0 */
/* Reading the TCA-TBE checkpoint: metadata (safetensors 3), agreement with the stored original
 * header (safetensors 4), CRC checks, decoding and byte-exact reconstruction. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>
#include "ckpt_internal.h"
#include "common/le.h"
#include "tca/checksum.h"

int tca_ckpt_is_compressed(const tca_st_file *f) { return f && tca_st_meta_get(f, "tca.format", NULL) != NULL; }

void tca_ckpt_close(tca_ckpt_reader *r)
{
    if (!r) return;
    tca_st_free(r->original);
    tca_st_free(r->container);
    tca_free(r->alloc, r->entries);
    tca_free(r->alloc, r);
}

/* safetensors 3.2: "1.<minor>", minor one or more ASCII digits; another major is rejected. */
static int version_ok(const char *v)
{
    if (strncmp(v, "1.", 2) != 0 || !v[2]) return 0;
    for (const char *c = v + 2; *c; c++)
        if (*c < '0' || *c > '9') return 0;
    return 1;
}

static int get_u64(json_t *o, const char *key, uint64_t max, uint64_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0) return 0;
    *out = (uint64_t)json_integer_value(v);
    return *out <= max;
}

/* safetensors 3.2: CRC values are exactly 8 lower-case hex digits. */
static int parse_crc_value(const json_t *v, uint32_t *out)
{
    if (!json_is_string(v) || json_string_length(v) != 8) return 0;
    const char *s = json_string_value(v);
    uint32_t x = 0;
    for (int i = 0; i < 8; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else
            return 0;
        x = (x << 4) | d;
    }
    *out = x;
    return 1;
}
static int parse_crc(json_t *crc, const char *key, uint32_t *out) { return parse_crc_value(json_object_get(crc, key), out); }

/* The layout F fields of tca.tensor.NAME (safetensors 3.2) into e->f_view.hdr and e->crc[0..2]. */
static int parse_tensor_meta_f(json_t *o, tca_ckpt_entry *e, const uint64_t shape[2])
{
    tca_tbe_f_header *h = &e->f_view.hdr;
    memset(h, 0, sizeof *h);
    h->rows = shape[0];
    h->cols = shape[1];
    uint64_t base, mx;
    /* base and the counts are checked against spec 8.8 by tca_tbe_f_validate */
    if (!get_u64(o, "base", 255, &base) || !get_u64(o, "max_exceptions", UINT32_MAX, &mx) ||
        !get_u64(o, "exception_len", UINT64_MAX, &h->exception_len))
        return 0;
    h->base = (uint8_t)base;
    h->max_exceptions = (uint32_t)mx;
    json_t *crc = json_object_get(o, "crc32c");
    if (!json_is_object(crc)) return 0;
    for (unsigned k = 0; k < TCA_CKPT_F_ARRAYS; k++)
        if (!parse_crc(crc, tca_ckpt_f_array_name(k), &e->crc[k])) return 0;
    e->layout = TCA_LAYOUT_F;
    return 1;
}

/* Parse tca.tensor.NAME (safetensors 3.2) into e->view.hdr (or e->f_view.hdr) and e->crc. */
static tca_status parse_tensor_meta(const char *text, size_t len, tca_ckpt_entry *e, uint64_t shape[2])
{
    json_error_t err;
    json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    tca_status st = TCA_ERROR_CONTAINER_METADATA;
    if (!json_is_object(o)) goto done;
    json_t *layout = json_object_get(o, "layout");
    /* safetensors 3.2: layout "v1" or (container 1.1) "F" */
    if (!json_is_string(layout)) goto done;
    int is_f = !strcmp(json_string_value(layout), "F");
    if (!is_f && strcmp(json_string_value(layout), "v1")) goto done;
    json_t *sh = json_object_get(o, "shape");
    if (!json_is_array(sh) || json_array_size(sh) != 2) goto done;
    for (size_t d = 0; d < 2; d++) {
        json_t *v = json_array_get(sh, d);
        if (!json_is_integer(v) || json_integer_value(v) < 0) goto done;
        shape[d] = (uint64_t)json_integer_value(v);
    }
    if (is_f) {
        if (parse_tensor_meta_f(o, e, shape)) st = TCA_OK;
        goto done;
    }
    e->layout = TCA_LAYOUT_V1;
    tca_tbe_header *h = &e->view.hdr;
    memset(h, 0, sizeof *h);
    h->layout = TCA_LAYOUT_V1;
    h->rows = shape[0];
    h->cols = shape[1];
    uint64_t base, msm, mf;
    /* base is checked against spec 3.6 (0..248) by tca_tbe_validate; here it must fit a byte */
    if (!get_u64(o, "base", 255, &base) || !get_u64(o, "max_sign_mantissa", UINT32_MAX, &msm) ||
        !get_u64(o, "max_full", UINT32_MAX, &mf) || !get_u64(o, "sign_mantissa_len", UINT64_MAX, &h->sign_mantissa_len) ||
        !get_u64(o, "full_len", UINT64_MAX, &h->full_len))
        goto done;
    h->base = (uint8_t)base;
    h->max_sign_mantissa = (uint32_t)msm;
    h->max_full = (uint32_t)mf;
    h->has_content_checksum = 0;
    json_t *crc = json_object_get(o, "crc32c");
    if (!json_is_object(crc)) goto done;
    for (unsigned a = 0; a < TCA_CKPT_ARRAYS; a++)
        if (!parse_crc(crc, tca_ckpt_array_name((tca_ckpt_array)a), &e->crc[a])) goto done;
    st = TCA_OK;
done:
    json_decref(o);
    return st;
}

/* Find the three arrays of a layout F entry and point its f_view into them (safetensors 3.1). */
static tca_status bind_arrays_f(const tca_st_file *c, tca_ckpt_entry *e, unsigned char *claimed, char *name,
                                size_t nlen, const tca_tbe_geometry *g)
{
    for (unsigned k = 0; k < TCA_CKPT_F_ARRAYS; k++) {
        snprintf(name, nlen, "%s.tca.%s", e->original->name, tca_ckpt_f_array_name(k));
        long i = tca_st_find(c, name);
        if (i < 0 || claimed[i]) return TCA_ERROR_CONTAINER_METADATA;
        const tca_st_tensor *t = &c->tensors[i];
        tca_st_dtype dt;
        unsigned rank;
        uint64_t shape[2];
        tca__ckpt_f_array_shape(g, &e->f_view.hdr, k, &dt, &rank, shape);
        /* safetensors 3.1: each array has exactly the dtype and shape its metadata implies */
        if (t->dtype != dt || t->rank != rank || t->shape[0] != shape[0] || (rank == 2 && t->shape[1] != shape[1]))
            return TCA_ERROR_CONTAINER_METADATA;
        claimed[i] = 1;
        e->arrays[k] = t;
    }
    e->f_view.strips = e->arrays[0]->data;
    e->f_view.exceptions = e->arrays[1]->data;
    e->f_view.exception_offsets = e->arrays[2]->data;
    return TCA_OK;
}

/* Find the seven arrays of compressed entry e and point its view into them (safetensors 3.1). */
static tca_status bind_arrays(const tca_st_file *c, tca_ckpt_entry *e, unsigned char *claimed, const tca_allocator *alloc)
{
    tca_tbe_geometry g;
    if (e->layout == TCA_LAYOUT_F) {
        if (tca_tbe_geometry_of(e->f_view.hdr.rows, e->f_view.hdr.cols, &g) != TCA_OK)
            return TCA_ERROR_CONTAINER_METADATA;
        size_t nlen = strlen(e->original->name) + 32;
        char *name = (char *)tca_alloc(alloc, nlen);
        if (!name) return TCA_ERROR_ALLOC;
        tca_status st = bind_arrays_f(c, e, claimed, name, nlen, &g);
        tca_free(alloc, name);
        return st;
    }
    /* safetensors 3.2: the shape must be a valid TCA-TBE shape */
    if (tca_tbe_geometry_of(e->view.hdr.rows, e->view.hdr.cols, &g) != TCA_OK) return TCA_ERROR_CONTAINER_METADATA;
    size_t nlen = strlen(e->original->name) + 32;
    char *name = (char *)tca_alloc(alloc, nlen);
    if (!name) return TCA_ERROR_ALLOC;
    tca_status st = TCA_OK;
    for (unsigned a = 0; st == TCA_OK && a < TCA_CKPT_ARRAYS; a++) {
        snprintf(name, nlen, "%s.tca.%s", e->original->name, tca_ckpt_array_name((tca_ckpt_array)a));
        long k = tca_st_find(c, name);
        if (k < 0 || claimed[k]) {
            st = TCA_ERROR_CONTAINER_METADATA;
            break;
        }
        const tca_st_tensor *t = &c->tensors[k];
        tca_st_dtype dt;
        unsigned rank;
        uint64_t shape[2];
        tca__ckpt_array_shape(&g, &e->view.hdr, (tca_ckpt_array)a, &dt, &rank, shape);
        /* safetensors 3.1: each array has exactly the dtype and shape its metadata implies */
        if (t->dtype != dt || t->rank != rank || t->shape[0] != shape[0] || (rank == 2 && t->shape[1] != shape[1])) {
            st = TCA_ERROR_CONTAINER_METADATA;
            break;
        }
        claimed[k] = 1;
        e->arrays[a] = t;
    }
    tca_free(alloc, name);
    if (st != TCA_OK) return st;
    e->view.bitmap[0] = e->arrays[TCA_CKPT_BITMAP1]->data;
    e->view.bitmap[1] = e->arrays[TCA_CKPT_BITMAP2]->data;
    e->view.bitmap[2] = e->arrays[TCA_CKPT_BITMAP3]->data;
    e->view.tom = e->arrays[TCA_CKPT_TOM]->data;
    e->view.tog = e->arrays[TCA_CKPT_TOG]->data;
    e->view.sign_mantissa = e->arrays[TCA_CKPT_SIGN_MANTISSA]->data;
    e->view.full = e->arrays[TCA_CKPT_FULL]->data;
    return TCA_OK;
}

static tca_status open_entries(tca_ckpt_reader *r)
{
    const tca_st_file *c = r->container, *o = r->original;
    const tca_allocator *alloc = r->alloc;
    unsigned char *claimed = (unsigned char *)tca_alloc(alloc, c->n_tensors ? c->n_tensors : 1);
    if (!claimed) return TCA_ERROR_ALLOC;
    memset(claimed, 0, c->n_tensors ? c->n_tensors : 1);
    tca_status st = TCA_OK;
    for (size_t i = 0; i < o->n_tensors; i++) {
        memset(&r->entries[i], 0, sizeof r->entries[i]);
        r->entries[i].original = &o->tensors[i];
    }
    /* safetensors 3.2: each tca.tensor.NAME names a tensor of the original header */
    size_t plen = strlen(TCA_CKPT_TENSOR_PREFIX);
    for (size_t m = 0; st == TCA_OK && m < c->n_meta; m++) {
        const tca_st_meta *md = &c->meta[m];
        if (strncmp(md->key, TCA_CKPT_TENSOR_PREFIX, plen)) continue;
        long k = tca_st_find(o, md->key + plen);
        if (k < 0) {
            st = TCA_ERROR_CONTAINER_METADATA;
            break;
        }
        tca_ckpt_entry *e = &r->entries[k];
        uint64_t shape[2];
        st = parse_tensor_meta(md->value, md->value_len, e, shape);
        if (st != TCA_OK) break;
        const tca_st_tensor *t = e->original;
        /* safetensors 4: a compressed tensor was 2-D BF16 of the same shape in the original */
        if (t->dtype != TCA_ST_BF16 || t->rank != 2 || t->shape[0] != shape[0] || t->shape[1] != shape[1]) {
            st = TCA_ERROR_CONTAINER_ORIGINAL;
            break;
        }
        e->compressed = 1;
        st = bind_arrays(c, e, claimed, alloc);
    }
    /* safetensors 4: every other original tensor is stored unchanged under its own name */
    for (size_t i = 0; st == TCA_OK && i < o->n_tensors; i++) {
        tca_ckpt_entry *e = &r->entries[i];
        if (e->compressed) continue;
        long k = tca_st_find(c, e->original->name);
        if (k < 0 || claimed[k]) {
            st = TCA_ERROR_CONTAINER_ORIGINAL;
            break;
        }
        const tca_st_tensor *t = &c->tensors[k], *ot = e->original;
        if (t->dtype != ot->dtype || t->rank != ot->rank || memcmp(t->shape, ot->shape, sizeof t->shape)) {
            st = TCA_ERROR_CONTAINER_ORIGINAL;
            break;
        }
        claimed[k] = 1;
        e->stored = t;
    }
    /* safetensors 3.3: tca.passthrough_crc32c (optional) lists exactly the pass-through tensors */
    size_t plen_crc = 0;
    const char *pc = st == TCA_OK ? tca_st_meta_get(c, "tca.passthrough_crc32c", &plen_crc) : NULL;
    if (pc) {
        json_error_t err;
        json_t *obj = json_loadb(pc, plen_crc, JSON_REJECT_DUPLICATES, &err);
        if (!json_is_object(obj)) st = TCA_ERROR_CONTAINER_METADATA;
        const char *key;
        json_t *val;
        size_t listed = 0, plain = 0;
        if (st == TCA_OK) json_object_foreach(obj, key, val)
            {
                long k = tca_st_find(o, key);
                uint32_t crc;
                int ok = k >= 0 && !r->entries[k].compressed && parse_crc_value(val, &crc);
                if (!ok) {
                    st = TCA_ERROR_CONTAINER_METADATA;
                    break;
                }
                r->entries[k].has_plain_crc = 1;
                r->entries[k].plain_crc = crc;
                listed++;
            }
        for (size_t i = 0; i < o->n_tensors; i++) plain += !r->entries[i].compressed;
        if (st == TCA_OK && listed != plain) st = TCA_ERROR_CONTAINER_METADATA;
        json_decref(obj);
    }
    /* safetensors 4: the container holds nothing else */
    for (size_t k = 0; st == TCA_OK && k < c->n_tensors; k++)
        if (!claimed[k]) st = TCA_ERROR_CONTAINER_ORIGINAL;
    tca_free(alloc, claimed);
    return st;
}

tca_status tca_ckpt_open(const uint8_t *buf, size_t size, const tca_allocator *alloc, tca_ckpt_reader **out)
{
    if (!buf || !out) return TCA_ERROR_PARAM_NULL;
    tca_ckpt_reader *r = (tca_ckpt_reader *)tca_alloc(alloc, sizeof *r);
    if (!r) return TCA_ERROR_ALLOC;
    memset(r, 0, sizeof *r);
    r->alloc = alloc;
    tca_status st = tca_st_parse(buf, size, alloc, &r->container);
    if (st != TCA_OK) goto fail;
    const tca_st_file *c = r->container;
    const char *fmt = tca_st_meta_get(c, "tca.format", NULL);
    const char *ver = tca_st_meta_get(c, "tca.format_version", NULL);
    size_t hlen = 0;
    const char *orig = tca_st_meta_get(c, "tca.original_header", &hlen);
    /* safetensors 3.2: the three file-level keys are required, with these values */
    if (!fmt || strcmp(fmt, TCA_CKPT_FORMAT) || !ver || !version_ok(ver) || !orig) {
        st = TCA_ERROR_CONTAINER_METADATA;
        goto fail;
    }
    /* safetensors 4: the stored original header is itself a valid header */
    st = tca_st_parse_header((const uint8_t *)orig, hlen, alloc, &r->original);
    if (st != TCA_OK) {
        st = st == TCA_ERROR_ALLOC ? st : TCA_ERROR_CONTAINER_ORIGINAL;
        goto fail;
    }
    uint64_t total;
    if (tca__add_overflow_u64(8 + (uint64_t)hlen, r->original->data_size, &total)) {
        st = TCA_ERROR_CONTAINER_ORIGINAL;
        goto fail;
    }
    r->original_size = total;
    r->n_entries = r->original->n_tensors;
    r->entries = (tca_ckpt_entry *)tca_alloc_array(alloc, r->n_entries ? r->n_entries : 1, sizeof(tca_ckpt_entry));
    if (!r->entries) {
        st = TCA_ERROR_ALLOC;
        goto fail;
    }
    st = open_entries(r);
    if (st != TCA_OK) goto fail;
    /* safetensors 3.3: when present, tca.metadata_crc32c covers every tca. entry before it. It is
     * checked last: an entry that breaks a rule of 3.2 or 4 gets that rule's specific error, and
     * this check catches changes that leave the metadata well-formed (another base, another
     * original header) */
    size_t mlen = 0;
    const char *mcrc_text = tca_st_meta_get(c, TCA_CKPT_META_CRC_KEY, &mlen);
    if (mcrc_text) {
        json_t *v = json_string(mcrc_text);
        uint32_t want = 0, got = 0;
        int ok = v && parse_crc_value(v, &want);
        json_decref(v);
        if (!ok) {
            st = TCA_ERROR_CONTAINER_METADATA;
            goto fail;
        }
        size_t plen = strlen(TCA_CKPT_META_PREFIX);
        for (size_t m = 0; m < c->n_meta && strcmp(c->meta[m].key, TCA_CKPT_META_CRC_KEY); m++)
            if (!strncmp(c->meta[m].key, TCA_CKPT_META_PREFIX, plen))
                got = tca__ckpt_meta_crc_update(got, c->meta[m].key, c->meta[m].value, c->meta[m].value_len);
        if (got != want) {
            st = TCA_ERROR_CONTAINER_CRC;
            goto fail;
        }
    }
    *out = r;
    return TCA_OK;
fail:
    tca_ckpt_close(r);
    return st;
}

tca_status tca_ckpt_check_crc(const tca_ckpt_reader *r, size_t i, tca_ckpt_array *bad_array)
{
    if (!r) return TCA_ERROR_PARAM_NULL;
    if (i >= r->n_entries) return TCA_ERROR_PARAM_INVALID;
    const tca_ckpt_entry *e = &r->entries[i];
    if (!e->compressed) {
        /* safetensors 3.3: a listed pass-through tensor's bytes have the stored CRC-32C */
        if (e->has_plain_crc && tca_crc32c(e->stored->data, (size_t)(e->stored->end - e->stored->begin)) != e->plain_crc) {
            if (bad_array) *bad_array = TCA_CKPT_BITMAP1;
            return TCA_ERROR_CONTAINER_CRC;
        }
        return TCA_OK;
    }
    unsigned n_arrays = e->layout == TCA_LAYOUT_F ? TCA_CKPT_F_ARRAYS : TCA_CKPT_ARRAYS;
    for (unsigned a = 0; a < n_arrays; a++) {
        const tca_st_tensor *t = e->arrays[a];
        /* safetensors 3.3: the CRC-32C of each array's bytes equals the stored value */
        if (tca_crc32c(t->data, (size_t)(t->end - t->begin)) != e->crc[a]) {
            if (bad_array) *bad_array = (tca_ckpt_array)a;
            return TCA_ERROR_CONTAINER_CRC;
        }
    }
    return TCA_OK;
}

tca_status tca_ckpt_decode_entry(const tca_ckpt_reader *r, size_t i, uint8_t *dst, size_t dst_size)
{
    if (!r || (!dst && dst_size)) return TCA_ERROR_PARAM_NULL;
    if (i >= r->n_entries) return TCA_ERROR_PARAM_INVALID;
    const tca_ckpt_entry *e = &r->entries[i];
    uint64_t bytes = e->original->end - e->original->begin;
    if (dst_size < bytes) return TCA_ERROR_PARAM_DST_TOO_SMALL;
    tca_status st = tca_ckpt_check_crc(r, i, NULL);
    if (st != TCA_OK) return st;
    if (!e->compressed) {
        if (bytes) memcpy(dst, e->stored->data, (size_t)bytes);
        return TCA_OK;
    }
    uint64_t n = e->original->elements;
    if (n > SIZE_MAX / sizeof(uint16_t)) return TCA_ERROR_ALLOC; /* not addressable here */
    uint16_t *w = (uint16_t *)tca_alloc_array(r->alloc, (size_t)n, sizeof(uint16_t));
    if (!w) return TCA_ERROR_ALLOC;
    /* validates first (spec 7.1, 8.8) */
    st = e->layout == TCA_LAYOUT_F ? tca_tbe_f_decode(&e->f_view, w, n) : tca_tbe_decode(&e->view, w, n);
    if (st == TCA_OK)
        for (size_t k = 0; k < (size_t)n; k++) tca__st16(dst + 2 * k, w[k]);
    tca_free(r->alloc, w);
    return st;
}

tca_status tca_ckpt_decompress(const tca_ckpt_reader *r, tca_st_sink sink, void *ctx, size_t *failed_entry)
{
    if (!r || !sink) return TCA_ERROR_PARAM_NULL;
    const tca_st_file *o = r->original;
    uint8_t len[8];
    tca__st64(len, (uint64_t)o->header_len);
    /* safetensors 4: the original length prefix and header verbatim, then every tensor's bytes
     * at its original offsets (they tile the data region, so data order is offset order) */
    tca_status st = sink(ctx, len, 8);
    if (st == TCA_OK) st = sink(ctx, o->header, o->header_len);
    for (size_t k = 0; st == TCA_OK && k < o->n_tensors; k++) {
        size_t i = tca_st_offset_order(o, k);
        const tca_ckpt_entry *e = &r->entries[i];
        uint64_t bytes = e->original->end - e->original->begin;
        if (bytes == 0) continue;
        if (!e->compressed) {
            st = tca_ckpt_check_crc(r, i, NULL);
            if (st != TCA_OK && failed_entry) *failed_entry = i;
            if (st == TCA_OK) st = sink(ctx, e->stored->data, (size_t)bytes);
            continue;
        }
        if (bytes > SIZE_MAX) return TCA_ERROR_ALLOC;
        uint8_t *buf = (uint8_t *)tca_alloc(r->alloc, (size_t)bytes);
        if (!buf) return TCA_ERROR_ALLOC;
        st = tca_ckpt_decode_entry(r, i, buf, (size_t)bytes);
        if (st != TCA_OK && failed_entry) *failed_entry = i;
        if (st == TCA_OK) st = sink(ctx, buf, (size_t)bytes);
        tca_free(r->alloc, buf);
    }
    return st;
}
