/* SPDX-License-Identifier: Apache-2.0 */
/* Compression of a safetensors file into the TCA-TBE checkpoint (safetensors 3, 5). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ckpt_internal.h"
#include "common/le.h"
#include "tca/checksum.h"

tca_status tca_ckpt_plan_new(const tca_st_file *in, int force, const tca_allocator *alloc, tca_ckpt_plan **out)
{
    if (!in || !out) return TCA_ERROR_PARAM_NULL;
    /* safetensors 3.4: the input must not use a name or key the encapsulation reserves */
    for (size_t i = 0; i < in->n_meta; i++)
        if (!strncmp(in->meta[i].key, TCA_CKPT_META_PREFIX, strlen(TCA_CKPT_META_PREFIX)))
            return TCA_ERROR_CONTAINER_NAME;
    for (size_t i = 0; i < in->n_tensors; i++)
        if (tca__ckpt_reserved_name(in->tensors[i].name)) return TCA_ERROR_CONTAINER_NAME;

    tca_ckpt_plan *p = (tca_ckpt_plan *)tca_alloc(alloc, sizeof *p);
    if (!p) return TCA_ERROR_ALLOC;
    p->items = (tca_ckpt_item *)tca_alloc_array(alloc, in->n_tensors ? in->n_tensors : 1, sizeof(tca_ckpt_item));
    if (!p->items) {
        tca_free(alloc, p);
        return TCA_ERROR_ALLOC;
    }
    p->in = in;
    p->force = force;
    p->low_memory = 0;
    p->alloc = alloc;
    p->layout = TCA_LAYOUT_V1;
    p->n_items = in->n_tensors;
    for (size_t i = 0; i < in->n_tensors; i++) {
        const tca_st_tensor *t = &in->tensors[i];
        tca_ckpt_item *it = &p->items[i];
        memset(it, 0, sizeof *it);
        it->tensor = i;
        it->original_bytes = t->end - t->begin;
        it->stored_bytes = it->original_bytes;
        tca_tbe_geometry g;
        /* safetensors 5: only 2-D BF16 tensors within the TCA-TBE limits are candidates */
        if (t->dtype != TCA_ST_BF16)
            it->action = TCA_CKPT_PASS_DTYPE;
        else if (t->rank != 2)
            it->action = TCA_CKPT_PASS_RANK;
        else if (t->elements == 0)
            it->action = TCA_CKPT_PASS_EMPTY;
        else if (tca_tbe_geometry_of(t->shape[0], t->shape[1], &g) != TCA_OK)
            it->action = TCA_CKPT_PASS_LIMIT;
        else
            it->action = TCA_CKPT_COMPRESS; /* tentative until encoded */
    }
    *out = p;
    return TCA_OK;
}

void tca_ckpt_plan_free(tca_ckpt_plan *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n_items; i++) {
        tca_tbe_matrix_free(p->items[i].matrix);
        tca_tbe_f_matrix_free(p->items[i].f_matrix);
    }
    tca_free(p->alloc, p->items);
    tca_free(p->alloc, p);
}

/* Encode tensor t (2-D BF16) and the CRC-32C of each of its arrays. */
static tca_status encode_tensor(const tca_ckpt_plan *p, const tca_st_tensor *t, tca_tbe_matrix **out,
                                tca_tbe_sizes *s, uint32_t crc[TCA_CKPT_ARRAYS])
{
    if (t->elements > SIZE_MAX / 2) return TCA_ERROR_ALLOC;
    /* The tensor's bytes are little-endian at any alignment: load them into host uint16_t. */
    uint16_t *w = (uint16_t *)tca_alloc_array(p->alloc, (size_t)t->elements, sizeof(uint16_t));
    if (!w) return TCA_ERROR_ALLOC;
    for (size_t e = 0; e < (size_t)t->elements; e++) w[e] = tca__le16(t->data + 2 * e);
    tca_tbe_encode_options opt;
    tca_tbe_encode_options_default(&opt);
    opt.content_checksum = 0; /* safetensors 3.3: the container carries a CRC-32C per array */
    tca_tbe_matrix *m = NULL;
    tca_status st = tca_tbe_encode(w, t->shape[0], t->shape[1], &opt, p->alloc, &m);
    tca_free(p->alloc, w);
    if (st != TCA_OK) return st;
    st = tca_tbe_sizes_of(&m->view.hdr, s);
    if (st != TCA_OK) {
        tca_tbe_matrix_free(m);
        return st;
    }
    for (unsigned a = 0; a < TCA_CKPT_ARRAYS; a++)
        crc[a] = tca_crc32c(tca__ckpt_array_ptr(&m->view, (tca_ckpt_array)a), tca__ckpt_array_size(s, (tca_ckpt_array)a));
    *out = m;
    return TCA_OK;
}

/* Layout F (spec 8): encode tensor t and the CRC-32C of each of its three arrays (crc[0..2]). */
static tca_status encode_tensor_f(const tca_ckpt_plan *p, const tca_st_tensor *t, tca_tbe_f_matrix **out,
                                  tca_tbe_f_sizes *s, uint32_t crc[TCA_CKPT_ARRAYS])
{
    if (t->elements > SIZE_MAX / 2) return TCA_ERROR_ALLOC;
    uint16_t *w = (uint16_t *)tca_alloc_array(p->alloc, (size_t)t->elements, sizeof(uint16_t));
    if (!w) return TCA_ERROR_ALLOC;
    for (size_t e = 0; e < (size_t)t->elements; e++) w[e] = tca__le16(t->data + 2 * e);
    tca_tbe_encode_options opt;
    tca_tbe_encode_options_default(&opt);
    opt.content_checksum = 0; /* safetensors 3.3: the container carries a CRC-32C per array */
    tca_tbe_f_matrix *m = NULL;
    tca_status st = tca_tbe_f_encode(w, t->shape[0], t->shape[1], &opt, p->alloc, &m);
    tca_free(p->alloc, w);
    if (st != TCA_OK) return st;
    st = tca_tbe_f_sizes_of(&m->view.hdr, s);
    if (st != TCA_OK) {
        tca_tbe_f_matrix_free(m);
        return st;
    }
    memset(crc, 0, TCA_CKPT_ARRAYS * sizeof crc[0]);
    for (unsigned k = 0; k < TCA_CKPT_F_ARRAYS; k++)
        crc[k] = tca_crc32c(tca__ckpt_f_array_ptr(&m->view, k), tca__ckpt_f_array_size(s, k));
    *out = m;
    return TCA_OK;
}

/* tca_ckpt_plan_encode for a plan in layout F. */
static tca_status plan_encode_f(tca_ckpt_plan *p, tca_ckpt_item *it, const tca_st_tensor *t)
{
    tca_tbe_f_matrix *m = NULL;
    tca_tbe_f_sizes s;
    uint32_t crc[TCA_CKPT_ARRAYS];
    tca_status st = encode_tensor_f(p, t, &m, &s, crc);
    if (st != TCA_OK) return st;
    uint64_t stored = (uint64_t)s.strips + s.exceptions + s.offsets;
    /* safetensors 5: compress only when the arrays are smaller than the tensor, unless forced */
    if (stored >= it->original_bytes && !p->force) {
        tca_tbe_f_matrix_free(m);
        it->crc[0] = tca_crc32c(t->data, (size_t)(t->end - t->begin));
        it->action = TCA_CKPT_PASS_NOT_SMALLER;
        it->encoded = 1;
        return TCA_OK;
    }
    memcpy(it->crc, crc, sizeof crc);
    it->layout = TCA_LAYOUT_F;
    it->f_hdr = m->view.hdr;
    it->stored_bytes = stored;
    if (p->low_memory)
        tca_tbe_f_matrix_free(m);
    else
        it->f_matrix = m;
    it->encoded = 1;
    return TCA_OK;
}

tca_status tca_ckpt_plan_encode(tca_ckpt_plan *p, size_t i)
{
    if (!p) return TCA_ERROR_PARAM_NULL;
    if (i >= p->n_items) return TCA_ERROR_PARAM_INVALID;
    tca_ckpt_item *it = &p->items[i];
    if (it->encoded) return TCA_OK;
    const tca_st_tensor *t = &p->in->tensors[it->tensor];
    if (it->action != TCA_CKPT_COMPRESS) {
        it->crc[0] = tca_crc32c(t->data, (size_t)(t->end - t->begin)); /* safetensors 3.3 */
        it->encoded = 1;
        return TCA_OK;
    }
    if (p->layout == TCA_LAYOUT_F) return plan_encode_f(p, it, t);
    if (p->layout != TCA_LAYOUT_V1) return TCA_ERROR_PARAM_LAYOUT;
    tca_tbe_matrix *m = NULL;
    tca_tbe_sizes s;
    uint32_t crc[TCA_CKPT_ARRAYS];
    tca_status st = encode_tensor(p, t, &m, &s, crc);
    if (st != TCA_OK) return st;
    uint64_t stored = 0;
    for (unsigned a = 0; a < TCA_CKPT_ARRAYS; a++) stored += tca__ckpt_array_size(&s, (tca_ckpt_array)a);
    /* safetensors 5: compress only when the seven arrays are smaller than the tensor, unless
     * forced */
    if (stored >= it->original_bytes && !p->force) {
        tca_tbe_matrix_free(m);
        it->crc[0] = tca_crc32c(t->data, (size_t)(t->end - t->begin));
        it->action = TCA_CKPT_PASS_NOT_SMALLER;
        it->encoded = 1;
        return TCA_OK;
    }
    memcpy(it->crc, crc, sizeof crc);
    it->hdr = m->view.hdr;
    it->stored_bytes = stored;
    if (p->low_memory)
        tca_tbe_matrix_free(m); /* encoded again, and checked against these CRCs, when written */
    else
        it->matrix = m;
    it->encoded = 1;
    return TCA_OK;
}

/* safetensors 3.2: the compact JSON object of a layout F tensor. */
static char *tensor_meta_json_f(const tca_ckpt_item *it)
{
    const tca_tbe_f_header *h = &it->f_hdr;
    json_t *o = json_object(), *shape = json_array(), *crc = json_object();
    int bad = !o || !shape || !crc;
    bad = bad || json_object_set_new(o, "layout", json_string("F"));
    bad = bad || json_array_append_new(shape, json_integer((json_int_t)h->rows)) ||
          json_array_append_new(shape, json_integer((json_int_t)h->cols));
    bad = bad || json_object_set(o, "shape", shape);
    bad = bad || json_object_set_new(o, "base", json_integer(h->base));
    bad = bad || json_object_set_new(o, "max_exceptions", json_integer(h->max_exceptions));
    bad = bad || json_object_set_new(o, "exception_len", json_integer((json_int_t)h->exception_len));
    for (unsigned k = 0; !bad && k < TCA_CKPT_F_ARRAYS; k++) {
        char hex[9];
        snprintf(hex, sizeof hex, "%08lx", (unsigned long)it->crc[k]);
        bad = json_object_set_new(crc, tca_ckpt_f_array_name(k), json_string(hex));
    }
    bad = bad || json_object_set(o, "crc32c", crc);
    char *text = bad ? NULL : json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    json_decref(shape);
    json_decref(crc);
    return text;
}

/* safetensors 3.2: the compact JSON object stored under tca.tensor.NAME. */
static char *tensor_meta_json(const tca_ckpt_item *it)
{
    if (it->layout == TCA_LAYOUT_F) return tensor_meta_json_f(it);
    const tca_tbe_header *h = &it->hdr;
    json_t *o = json_object(), *shape = json_array(), *crc = json_object();
    int bad = !o || !shape || !crc;
    bad = bad || json_object_set_new(o, "layout", json_string(h->layout == TCA_LAYOUT_V1 ? "v1" : "F"));
    bad = bad || json_array_append_new(shape, json_integer((json_int_t)h->rows)) ||
          json_array_append_new(shape, json_integer((json_int_t)h->cols));
    bad = bad || json_object_set(o, "shape", shape);
    bad = bad || json_object_set_new(o, "base", json_integer(h->base));
    bad = bad || json_object_set_new(o, "max_sign_mantissa", json_integer(h->max_sign_mantissa));
    bad = bad || json_object_set_new(o, "max_full", json_integer(h->max_full));
    bad = bad || json_object_set_new(o, "sign_mantissa_len", json_integer((json_int_t)h->sign_mantissa_len));
    bad = bad || json_object_set_new(o, "full_len", json_integer((json_int_t)h->full_len));
    for (unsigned a = 0; !bad && a < TCA_CKPT_ARRAYS; a++) {
        char hex[9];
        snprintf(hex, sizeof hex, "%08lx", (unsigned long)it->crc[a]);
        bad = json_object_set_new(crc, tca_ckpt_array_name((tca_ckpt_array)a), json_string(hex));
    }
    bad = bad || json_object_set(o, "crc32c", crc);
    char *text = bad ? NULL : json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    json_decref(shape);
    json_decref(crc);
    return text;
}

/* Add a tca. metadata entry and fold it into the metadata CRC (safetensors 3.3). */
static tca_status add_tca_meta(tca_st_builder *b, uint32_t *crc, const char *key, const char *value, size_t len)
{
    tca_status st = tca_st_builder_meta(b, key, value, len);
    if (st == TCA_OK) *crc = tca__ckpt_meta_crc_update(*crc, key, value, len);
    return st;
}

static tca_status build_header(const tca_ckpt_plan *p, tca_st_builder *b)
{
    const tca_st_file *in = p->in;
    tca_status st = TCA_OK;
    uint32_t mcrc = 0;
    /* safetensors 3.2: the input's own metadata first, in its order, then the tca keys */
    for (size_t i = 0; st == TCA_OK && i < in->n_meta; i++)
        st = tca_st_builder_meta(b, in->meta[i].key, in->meta[i].value, in->meta[i].value_len);
    if (st == TCA_OK) st = add_tca_meta(b, &mcrc, "tca.format", TCA_CKPT_FORMAT, strlen(TCA_CKPT_FORMAT));
    /* safetensors 3.2: version 1.1 when a tensor uses layout F, else 1.0 (as before F existed) */
    const char *version = TCA_CKPT_FORMAT_VERSION;
    for (size_t i = 0; i < p->n_items; i++)
        if (p->items[i].action == TCA_CKPT_COMPRESS && p->items[i].layout == TCA_LAYOUT_F)
            version = TCA_CKPT_FORMAT_VERSION_F;
    if (st == TCA_OK) st = add_tca_meta(b, &mcrc, "tca.format_version", version, strlen(version));
    if (st == TCA_OK)
        st = add_tca_meta(b, &mcrc, "tca.original_header", (const char *)in->header, in->header_len);
    for (size_t i = 0; st == TCA_OK && i < p->n_items; i++) {
        const tca_ckpt_item *it = &p->items[i];
        if (it->action != TCA_CKPT_COMPRESS) continue;
        const char *name = in->tensors[it->tensor].name;
        size_t klen = strlen(TCA_CKPT_TENSOR_PREFIX) + strlen(name) + 1;
        char *key = (char *)tca_alloc(p->alloc, klen);
        char *val = tensor_meta_json(it);
        if (!key || !val)
            st = TCA_ERROR_ALLOC;
        else {
            snprintf(key, klen, "%s%s", TCA_CKPT_TENSOR_PREFIX, name);
            st = add_tca_meta(b, &mcrc, key, val, strlen(val));
        }
        tca_free(p->alloc, key);
        free(val);
    }
    /* safetensors 3.3: the CRC-32C of every pass-through tensor, in header order */
    if (st == TCA_OK) {
        json_t *crcs = json_object();
        int bad = !crcs;
        for (size_t i = 0; !bad && i < p->n_items; i++) {
            const tca_ckpt_item *it = &p->items[i];
            if (it->action == TCA_CKPT_COMPRESS) continue;
            char hex[9];
            snprintf(hex, sizeof hex, "%08lx", (unsigned long)it->crc[0]);
            bad = json_object_set_new(crcs, in->tensors[it->tensor].name, json_string(hex)) != 0;
        }
        char *text = bad ? NULL : json_dumps(crcs, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(crcs);
        st = text ? add_tca_meta(b, &mcrc, "tca.passthrough_crc32c", text, strlen(text)) : TCA_ERROR_ALLOC;
        free(text);
    }
    /* safetensors 3.3: last, the CRC-32C of every tca. entry before it */
    if (st == TCA_OK) {
        char hex[9];
        snprintf(hex, sizeof hex, "%08lx", (unsigned long)mcrc);
        st = tca_st_builder_meta(b, TCA_CKPT_META_CRC_KEY, hex, 8);
    }
    /* safetensors 3.1: each compressed tensor is replaced, at its position, by its seven arrays */
    for (size_t i = 0; st == TCA_OK && i < p->n_items; i++) {
        const tca_ckpt_item *it = &p->items[i];
        const tca_st_tensor *t = &in->tensors[it->tensor];
        if (it->action != TCA_CKPT_COMPRESS) {
            st = tca_st_builder_tensor(b, t->name, t->dtype, t->rank, t->shape);
            continue;
        }
        tca_tbe_geometry g;
        st = tca_tbe_geometry_of(t->shape[0], t->shape[1], &g);
        size_t nlen = strlen(t->name) + 32;
        char *name = st == TCA_OK ? (char *)tca_alloc(p->alloc, nlen) : NULL;
        if (st == TCA_OK && !name) st = TCA_ERROR_ALLOC;
        unsigned n_arrays = it->layout == TCA_LAYOUT_F ? TCA_CKPT_F_ARRAYS : TCA_CKPT_ARRAYS;
        for (unsigned a = 0; st == TCA_OK && a < n_arrays; a++) {
            tca_st_dtype dt;
            unsigned rank;
            uint64_t shape[2];
            if (it->layout == TCA_LAYOUT_F) { /* safetensors 3.1: the three layout F arrays */
                tca__ckpt_f_array_shape(&g, &it->f_hdr, a, &dt, &rank, shape);
                snprintf(name, nlen, "%s.tca.%s", t->name, tca_ckpt_f_array_name(a));
            } else {
                tca__ckpt_array_shape(&g, &it->hdr, (tca_ckpt_array)a, &dt, &rank, shape);
                snprintf(name, nlen, "%s.tca.%s", t->name, tca_ckpt_array_name((tca_ckpt_array)a));
            }
            st = tca_st_builder_tensor(b, name, dt, rank, shape);
        }
        tca_free(p->alloc, name);
    }
    return st;
}

/* Write the three arrays of a layout F item (encoding again in a low-memory plan, checked
 * against the CRCs already in the header). */
static tca_status write_arrays_f(const tca_ckpt_plan *p, const tca_ckpt_item *it, const tca_st_tensor *t,
                                 tca_st_sink sink, void *ctx, uint64_t *total)
{
    const tca_tbe_f_matrix *m = it->f_matrix;
    tca_tbe_f_matrix *again = NULL;
    tca_tbe_f_sizes s;
    tca_status st;
    if (!m) {
        uint32_t crc[TCA_CKPT_ARRAYS];
        st = encode_tensor_f(p, t, &again, &s, crc);
        if (st == TCA_OK && memcmp(crc, it->crc, TCA_CKPT_F_ARRAYS * sizeof crc[0])) st = TCA_ERROR_INTERNAL;
        m = again;
    } else {
        st = tca_tbe_f_sizes_of(&m->view.hdr, &s);
    }
    for (unsigned k = 0; st == TCA_OK && k < TCA_CKPT_F_ARRAYS; k++) {
        size_t n = tca__ckpt_f_array_size(&s, k);
        st = n ? sink(ctx, tca__ckpt_f_array_ptr(&m->view, k), n) : TCA_OK;
        *total += n;
    }
    tca_tbe_f_matrix_free(again);
    return st;
}

tca_status tca_ckpt_plan_write(const tca_ckpt_plan *p, tca_st_sink sink, void *ctx, uint64_t *written)
{
    if (!p || !sink) return TCA_ERROR_PARAM_NULL;
    for (size_t i = 0; i < p->n_items; i++)
        if (!p->items[i].encoded) return TCA_ERROR_PARAM_INVALID;
    tca_st_builder *b;
    tca_status st = tca_st_builder_new(p->alloc, &b);
    if (st != TCA_OK) return st;
    st = build_header(p, b);
    uint8_t *prefix = NULL;
    size_t prefix_len = 0;
    uint64_t data_size = 0, total = 0;
    if (st == TCA_OK) st = tca_st_builder_finish(b, &prefix, &prefix_len, &data_size);
    tca_st_builder_free(b);
    if (st == TCA_OK) st = sink(ctx, prefix, prefix_len);
    tca_free(p->alloc, prefix);
    total = prefix_len;
    for (size_t i = 0; st == TCA_OK && i < p->n_items; i++) {
        const tca_ckpt_item *it = &p->items[i];
        const tca_st_tensor *t = &p->in->tensors[it->tensor];
        if (it->action != TCA_CKPT_COMPRESS) {
            st = sink(ctx, t->data, (size_t)(t->end - t->begin));
            total += t->end - t->begin;
            continue;
        }
        if (it->layout == TCA_LAYOUT_F) {
            st = write_arrays_f(p, it, t, sink, ctx, &total);
            continue;
        }
        const tca_tbe_matrix *m = it->matrix;
        tca_tbe_matrix *again = NULL;
        tca_tbe_sizes s;
        if (!m) {
            /* low-memory plan: encode again; the encoder is deterministic, so the arrays must
             * have the CRC-32C values already written into the header */
            uint32_t crc[TCA_CKPT_ARRAYS];
            st = encode_tensor(p, t, &again, &s, crc);
            if (st == TCA_OK && memcmp(crc, it->crc, sizeof crc)) st = TCA_ERROR_INTERNAL;
            m = again;
        } else {
            st = tca_tbe_sizes_of(&m->view.hdr, &s);
        }
        for (unsigned a = 0; st == TCA_OK && a < TCA_CKPT_ARRAYS; a++) {
            size_t n = tca__ckpt_array_size(&s, (tca_ckpt_array)a);
            st = sink(ctx, tca__ckpt_array_ptr(&m->view, (tca_ckpt_array)a), n);
            total += n;
        }
        tca_tbe_matrix_free(again);
    }
    if (st == TCA_OK && total != prefix_len + data_size) st = TCA_ERROR_INTERNAL;
    if (st == TCA_OK && written) *written = total;
    return st;
}

tca_status tca_ckpt_compress(const uint8_t *in, size_t size, int force, const tca_allocator *alloc, tca_st_sink sink,
                             void *ctx)
{
    tca_st_file *f;
    tca_status st = tca_st_parse(in, size, alloc, &f);
    if (st != TCA_OK) return st;
    tca_ckpt_plan *p = NULL;
    st = tca_ckpt_plan_new(f, force, alloc, &p);
    for (size_t i = 0; st == TCA_OK && i < p->n_items; i++) st = tca_ckpt_plan_encode(p, i);
    if (st == TCA_OK) st = tca_ckpt_plan_write(p, sink, ctx, NULL);
    tca_ckpt_plan_free(p);
    tca_st_free(f);
    return st;
}
