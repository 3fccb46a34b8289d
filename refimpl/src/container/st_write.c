/* SPDX-License-Identifier: Apache-2.0 */
/* safetensors output: sinks and the header builder (safetensors 2.6: what writers produce). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/le.h"
#include "tca/safetensors.h"

tca_status tca_st_sink_file(void *ctx, const void *data, size_t size)
{
    if (size == 0) return TCA_OK;
    return fwrite(data, 1, size, (FILE *)ctx) == size ? TCA_OK : TCA_ERROR_IO;
}

tca_status tca_st_sink_buffer(void *ctx, const void *data, size_t size)
{
    tca_st_buffer *b = (tca_st_buffer *)ctx;
    if (size == 0) return TCA_OK;
    if (size > SIZE_MAX - b->size) return TCA_ERROR_ALLOC;
    if (b->size + size > b->capacity) {
        size_t cap = b->capacity ? b->capacity : 4096;
        while (cap < b->size + size) {
            if (cap > SIZE_MAX / 2) {
                cap = b->size + size;
                break;
            }
            cap *= 2;
        }
        uint8_t *p = (uint8_t *)tca_alloc(b->alloc, cap);
        if (!p) return TCA_ERROR_ALLOC;
        if (b->size) memcpy(p, b->data, b->size);
        tca_free(b->alloc, b->data);
        b->data = p;
        b->capacity = cap;
    }
    memcpy(b->data + b->size, data, size);
    b->size += size;
    return TCA_OK;
}

void tca_st_buffer_free(tca_st_buffer *b)
{
    if (!b) return;
    tca_free(b->alloc, b->data);
    b->data = NULL;
    b->size = b->capacity = 0;
}

struct tca_st_builder {
    const tca_allocator *alloc;
    json_t *meta;    /* __metadata__ entries in order */
    json_t *tensors; /* name -> entry, in order */
    uint64_t pos;    /* next data offset */
};

tca_status tca_st_builder_new(const tca_allocator *alloc, tca_st_builder **out)
{
    if (!out) return TCA_ERROR_PARAM_NULL;
    tca_st_builder *b = (tca_st_builder *)tca_alloc(alloc, sizeof *b);
    if (!b) return TCA_ERROR_ALLOC;
    b->alloc = alloc;
    b->meta = json_object();
    b->tensors = json_object();
    b->pos = 0;
    if (!b->meta || !b->tensors) {
        tca_st_builder_free(b);
        return TCA_ERROR_ALLOC;
    }
    *out = b;
    return TCA_OK;
}

void tca_st_builder_free(tca_st_builder *b)
{
    if (!b) return;
    json_decref(b->meta);
    json_decref(b->tensors);
    tca_free(b->alloc, b);
}

tca_status tca_st_builder_meta(tca_st_builder *b, const char *key, const char *value, size_t value_len)
{
    if (!b || !key || !value) return TCA_ERROR_PARAM_NULL;
    if (json_object_get(b->meta, key)) return TCA_ERROR_PARAM_INVALID; /* duplicate key */
    json_t *v = json_stringn(value, value_len); /* NULL if not UTF-8 or contains U+0000 */
    if (!v || memchr(value, 0, value_len)) {
        json_decref(v);
        return TCA_ERROR_PARAM_INVALID;
    }
    return json_object_set_new(b->meta, key, v) ? TCA_ERROR_PARAM_INVALID : TCA_OK;
}

tca_status tca_st_builder_tensor(tca_st_builder *b, const char *name, tca_st_dtype dtype, unsigned rank,
                                 const uint64_t *shape)
{
    if (!b || !name || (rank && !shape)) return TCA_ERROR_PARAM_NULL;
    if (rank > TCA_ST_MAX_RANK || tca_st_dtype_size(dtype) == 0 || !strcmp(name, "__metadata__"))
        return TCA_ERROR_PARAM_INVALID;
    if (json_object_get(b->tensors, name)) return TCA_ERROR_PARAM_INVALID;
    uint64_t bytes = tca_st_dtype_size(dtype), end;
    for (unsigned d = 0; d < rank; d++)
        if (shape[d] > (uint64_t)INT64_MAX || tca__mul_overflow_u64(bytes, shape[d], &bytes))
            return TCA_ERROR_PARAM_INVALID;
    if (tca__add_overflow_u64(b->pos, bytes, &end) || end > (uint64_t)INT64_MAX) return TCA_ERROR_PARAM_INVALID;
    json_t *e = json_object(), *sh = json_array(), *off = json_array();
    int bad = !e || !sh || !off;
    for (unsigned d = 0; !bad && d < rank; d++) bad |= json_array_append_new(sh, json_integer((json_int_t)shape[d]));
    bad = bad || json_array_append_new(off, json_integer((json_int_t)b->pos)) ||
          json_array_append_new(off, json_integer((json_int_t)end));
    /* safetensors 2.6: keys in the order dtype, shape, data_offsets */
    bad = bad || json_object_set_new(e, "dtype", json_string(tca_st_dtype_name(dtype)));
    bad = bad || json_object_set(e, "shape", sh) || json_object_set(e, "data_offsets", off);
    json_decref(sh);
    json_decref(off);
    if (bad || json_object_set_new(b->tensors, name, e)) return TCA_ERROR_ALLOC;
    b->pos = end;
    return TCA_OK;
}

tca_status tca_st_builder_finish(tca_st_builder *b, uint8_t **prefix, size_t *prefix_len, uint64_t *data_size)
{
    if (!b || !prefix || !prefix_len) return TCA_ERROR_PARAM_NULL;
    json_t *root = json_object();
    if (!root) return TCA_ERROR_ALLOC;
    int bad = 0;
    /* safetensors 2.6: __metadata__ first (when there is any), then the tensors in order */
    if (json_object_size(b->meta)) bad |= json_object_set(root, "__metadata__", b->meta);
    const char *key;
    json_t *val;
    json_object_foreach(b->tensors, key, val) bad |= json_object_set(root, key, val);
    char *text = bad ? NULL : json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text) return TCA_ERROR_ALLOC;
    size_t len = strlen(text);
    size_t padded = (len + 7) & ~(size_t)7; /* safetensors 2.6: spaces up to a multiple of 8 */
    if (len > TCA_ST_MAX_HEADER || padded > TCA_ST_MAX_HEADER) {
        free(text);
        return TCA_ERROR_PARAM_INVALID;
    }
    uint8_t *p = (uint8_t *)tca_alloc(b->alloc, 8 + padded);
    if (!p) {
        free(text);
        return TCA_ERROR_ALLOC;
    }
    tca__st64(p, (uint64_t)padded);
    memcpy(p + 8, text, len);
    memset(p + 8 + len, ' ', padded - len);
    free(text);
    *prefix = p;
    *prefix_len = 8 + padded;
    if (data_size) *data_size = b->pos;
    return TCA_OK;
}
