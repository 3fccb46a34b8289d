/* SPDX-License-Identifier: Apache-2.0 */
/* Strict safetensors reader (safetensors 2). Every size and offset is checked with overflow-safe
 * arithmetic before it is used; the data region is never copied. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "common/le.h"
#include "tca/safetensors.h"

typedef struct st_priv {
    json_t *root;
    size_t *by_name;   /* tensor indices sorted by name */
    size_t *by_offset; /* tensor indices sorted by (begin, end) */
} st_priv;

void tca_st_free(tca_st_file *f)
{
    if (!f) return;
    const tca_allocator *a = f->alloc_;
    st_priv *p = (st_priv *)f->priv_;
    if (p) {
        json_decref(p->root);
        tca_free(a, p->by_name);
        tca_free(a, p->by_offset);
        tca_free(a, p);
    }
    tca_free(a, f->meta);
    tca_free(a, f->tensors);
    tca_free(a, f);
}

/* A JSON integer in 0..INT64_MAX (safetensors 2.4: shape entries and offsets are non-negative
 * integers). */
static int json_u64(const json_t *v, uint64_t *out)
{
    if (!json_is_integer(v)) return 0;
    json_int_t x = json_integer_value(v);
    if (x < 0) return 0;
    *out = (uint64_t)x;
    return 1;
}

/* safetensors 2.4: one tensor entry {"dtype", "shape", "data_offsets"} and nothing else. */
static tca_status parse_tensor(const char *name, json_t *v, tca_st_tensor *t)
{
    if (!json_is_object(v) || json_object_size(v) != 3) return TCA_ERROR_CONTAINER_TENSOR;
    json_t *dtype = json_object_get(v, "dtype");
    json_t *shape = json_object_get(v, "shape");
    json_t *offs = json_object_get(v, "data_offsets");
    if (!json_is_string(dtype) || !json_is_array(shape) || !json_is_array(offs)) return TCA_ERROR_CONTAINER_TENSOR;
    memset(t, 0, sizeof *t);
    t->name = name;
    if (!tca_st_dtype_parse(json_string_value(dtype), &t->dtype)) return TCA_ERROR_CONTAINER_TENSOR;
    size_t rank = json_array_size(shape);
    if (rank > TCA_ST_MAX_RANK) return TCA_ERROR_CONTAINER_TENSOR;
    t->rank = (unsigned)rank;
    uint64_t elements = 1;
    for (size_t d = 0; d < rank; d++) {
        if (!json_u64(json_array_get(shape, d), &t->shape[d])) return TCA_ERROR_CONTAINER_TENSOR;
        /* safetensors 2.4: the element count and byte size must not overflow 64 bits */
        if (tca__mul_overflow_u64(elements, t->shape[d], &elements)) return TCA_ERROR_CONTAINER_TENSOR;
    }
    t->elements = elements;
    uint64_t bytes;
    if (tca__mul_overflow_u64(elements, tca_st_dtype_size(t->dtype), &bytes)) return TCA_ERROR_CONTAINER_TENSOR;
    if (json_array_size(offs) != 2 || !json_u64(json_array_get(offs, 0), &t->begin) ||
        !json_u64(json_array_get(offs, 1), &t->end))
        return TCA_ERROR_CONTAINER_TENSOR;
    /* safetensors 2.4: end - begin MUST equal dtype size x element count */
    if (t->end < t->begin || t->end - t->begin != bytes) return TCA_ERROR_CONTAINER_TENSOR;
    return TCA_OK;
}

/* safetensors 2.5: sorted by offsets, the tensors tile [0, data_size) exactly. Also builds the
 * by-name index. A merge sort on indices (qsort has no context argument in C11, and a global
 * would make parsing non-reentrant). */
static tca_status check_tiling_and_index(tca_st_file *f, size_t *idx, size_t *by_offset)
{
    for (size_t i = 0; i < f->n_tensors; i++) idx[i] = i;
    size_t n = f->n_tensors;
    size_t *tmp = (size_t *)tca_alloc_array(f->alloc_, n ? n : 1, sizeof(size_t));
    if (!tmp) return TCA_ERROR_ALLOC;
    for (int pass = 0; pass < 2; pass++) {
        /* bottom-up merge sort: pass 0 by offsets, pass 1 by name */
        for (size_t width = 1; width < n; width *= 2) {
            for (size_t lo = 0; lo < n; lo += 2 * width) {
                size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
                size_t i = lo, j = mid, k = lo;
                while (i < mid && j < hi) {
                    const tca_st_tensor *x = &f->tensors[idx[i]], *y = &f->tensors[idx[j]];
                    int c;
                    if (pass == 0)
                        c = x->begin != y->begin ? (x->begin < y->begin ? -1 : 1)
                                                 : (x->end != y->end ? (x->end < y->end ? -1 : 1) : 0);
                    else
                        c = strcmp(x->name, y->name);
                    tmp[k++] = c <= 0 ? idx[i++] : idx[j++];
                }
                while (i < mid) tmp[k++] = idx[i++];
                while (j < hi) tmp[k++] = idx[j++];
            }
            memcpy(idx, tmp, n * sizeof(size_t));
        }
        if (pass == 0) {
            uint64_t pos = 0;
            for (size_t i = 0; i < n; i++) {
                const tca_st_tensor *t = &f->tensors[idx[i]];
                /* safetensors 2.5: no hole (begin > pos) and no overlap (begin < pos) */
                if (t->begin != pos) {
                    tca_free(f->alloc_, tmp);
                    return TCA_ERROR_CONTAINER_TENSOR;
                }
                pos = t->end;
            }
            f->data_size = pos;
            memcpy(by_offset, idx, n * sizeof(size_t));
        }
    }
    tca_free(f->alloc_, tmp);
    return TCA_OK;
}

tca_status tca_st_parse_header(const uint8_t *text, size_t len, const tca_allocator *alloc, tca_st_file **out)
{
    if (!text || !out) return TCA_ERROR_PARAM_NULL;
    /* safetensors 2.2: bounded header, and 2.3: the text starts with '{' */
    if (len > TCA_ST_MAX_HEADER || len < 2 || text[0] != '{') return TCA_ERROR_CONTAINER_HEADER;
    json_error_t err;
    /* safetensors 2.3: one UTF-8 JSON object, duplicate keys rejected, only whitespace after it */
    json_t *root = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, &err);
    if (!root) return TCA_ERROR_CONTAINER_HEADER;
    if (!json_is_object(root)) {
        json_decref(root);
        return TCA_ERROR_CONTAINER_HEADER;
    }
    tca_st_file *f = (tca_st_file *)tca_alloc(alloc, sizeof *f);
    st_priv *p = (st_priv *)tca_alloc(alloc, sizeof *p);
    if (!f || !p) {
        tca_free(alloc, f);
        tca_free(alloc, p);
        json_decref(root);
        return TCA_ERROR_ALLOC;
    }
    memset(f, 0, sizeof *f);
    memset(p, 0, sizeof *p);
    p->root = root;
    f->priv_ = p;
    f->alloc_ = alloc;
    f->header = text;
    f->header_len = len;

    tca_status st = TCA_OK;
    size_t n_entries = json_object_size(root);
    json_t *meta = json_object_get(root, "__metadata__");
    size_t n_tensors = n_entries - (meta ? 1 : 0);
    f->tensors = (tca_st_tensor *)tca_alloc_array(alloc, n_tensors ? n_tensors : 1, sizeof(tca_st_tensor));
    p->by_name = (size_t *)tca_alloc_array(alloc, n_tensors ? n_tensors : 1, sizeof(size_t));
    p->by_offset = (size_t *)tca_alloc_array(alloc, n_tensors ? n_tensors : 1, sizeof(size_t));
    if (!f->tensors || !p->by_name || !p->by_offset) {
        st = TCA_ERROR_ALLOC;
        goto fail;
    }
    if (meta) {
        /* safetensors 2.3: __metadata__ is an object whose values are all strings */
        if (!json_is_object(meta)) {
            st = TCA_ERROR_CONTAINER_HEADER;
            goto fail;
        }
        size_t nm = json_object_size(meta);
        f->has_metadata = 1;
        f->meta = (tca_st_meta *)tca_alloc_array(alloc, nm ? nm : 1, sizeof(tca_st_meta));
        if (!f->meta) {
            st = TCA_ERROR_ALLOC;
            goto fail;
        }
        const char *key;
        json_t *val;
        json_object_foreach(meta, key, val)
        {
            if (!json_is_string(val)) {
                st = TCA_ERROR_CONTAINER_HEADER;
                goto fail;
            }
            tca_st_meta *m = &f->meta[f->n_meta++];
            m->key = key;
            m->value = json_string_value(val);
            m->value_len = json_string_length(val);
        }
    }
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val)
    {
        if (!strcmp(key, "__metadata__")) continue;
        st = parse_tensor(key, val, &f->tensors[f->n_tensors]);
        if (st != TCA_OK) goto fail;
        f->n_tensors++;
    }
    st = check_tiling_and_index(f, p->by_name, p->by_offset);
    if (st != TCA_OK) goto fail;
    *out = f;
    return TCA_OK;
fail:
    tca_st_free(f);
    return st;
}

tca_status tca_st_parse(const uint8_t *buf, size_t size, const tca_allocator *alloc, tca_st_file **out)
{
    if (!buf || !out) return TCA_ERROR_PARAM_NULL;
    /* safetensors 2.2: 8-byte little-endian header length N, then N header bytes within the file */
    if (size < 8) return TCA_ERROR_CONTAINER_HEADER;
    uint64_t n = tca__le64(buf);
    if (n > size - 8) return TCA_ERROR_CONTAINER_HEADER;
    tca_st_file *f;
    tca_status st = tca_st_parse_header(buf + 8, (size_t)n, alloc, &f);
    if (st != TCA_OK) return st;
    /* safetensors 2.5: the data region is exactly the bytes the tensors cover (no trailing bytes,
     * no offset beyond the file) */
    if (f->data_size != (uint64_t)(size - 8 - (size_t)n)) {
        tca_st_free(f);
        return TCA_ERROR_CONTAINER_TENSOR;
    }
    f->data = buf + 8 + n;
    for (size_t i = 0; i < f->n_tensors; i++) f->tensors[i].data = f->data + f->tensors[i].begin;
    *out = f;
    return TCA_OK;
}

long tca_st_find(const tca_st_file *f, const char *name)
{
    const st_priv *p = (const st_priv *)f->priv_;
    size_t lo = 0, hi = f->n_tensors;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(f->tensors[p->by_name[mid]].name, name);
        if (c == 0) return (long)p->by_name[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

const char *tca_st_meta_get(const tca_st_file *f, const char *key, size_t *len)
{
    for (size_t i = 0; i < f->n_meta; i++)
        if (!strcmp(f->meta[i].key, key)) {
            if (len) *len = f->meta[i].value_len;
            return f->meta[i].value;
        }
    return NULL;
}

size_t tca_st_offset_order(const tca_st_file *f, size_t k)
{
    return ((const st_priv *)f->priv_)->by_offset[k];
}
