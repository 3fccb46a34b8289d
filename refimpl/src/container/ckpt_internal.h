/* SPDX-License-Identifier: Apache-2.0 */
/* Internal helpers shared by the compressed-checkpoint writer and reader. */
#ifndef TCA_CONTAINER_CKPT_INTERNAL_H
#define TCA_CONTAINER_CKPT_INTERNAL_H
#include "tca/safetensors.h"

#define TCA_CKPT_META_PREFIX "tca."
#define TCA_CKPT_TENSOR_PREFIX "tca.tensor."
#define TCA_CKPT_META_CRC_KEY "tca.metadata_crc32c"

/* Byte pointer and size of array a of a view whose sizes are s. */
static inline const uint8_t *tca__ckpt_array_ptr(const tca_tbe_view *v, tca_ckpt_array a)
{
    switch (a) {
    case TCA_CKPT_BITMAP1: return v->bitmap[0];
    case TCA_CKPT_BITMAP2: return v->bitmap[1];
    case TCA_CKPT_BITMAP3: return v->bitmap[2];
    case TCA_CKPT_TOM: return v->tom;
    case TCA_CKPT_TOG: return v->tog;
    case TCA_CKPT_SIGN_MANTISSA: return v->sign_mantissa;
    case TCA_CKPT_FULL: return v->full;
    }
    return 0;
}
static inline size_t tca__ckpt_array_size(const tca_tbe_sizes *s, tca_ckpt_array a)
{
    switch (a) {
    case TCA_CKPT_BITMAP1:
    case TCA_CKPT_BITMAP2:
    case TCA_CKPT_BITMAP3: return s->bitmap;
    case TCA_CKPT_TOM: return s->tom;
    case TCA_CKPT_TOG: return s->tog;
    case TCA_CKPT_SIGN_MANTISSA: return s->sign_mantissa;
    case TCA_CKPT_FULL: return s->full;
    }
    return 0;
}
/* dtype, rank and shape of array a for geometry g and header h (safetensors 3.1). */
void tca__ckpt_array_shape(const tca_tbe_geometry *g, const tca_tbe_header *h, tca_ckpt_array a,
                           tca_st_dtype *dtype, unsigned *rank, uint64_t shape[2]);
/* Layout F arrays (safetensors 3.1): pointer, size and dtype/rank/shape of array k (0 strips,
 * 1 exceptions, 2 exception_offsets). */
static inline const uint8_t *tca__ckpt_f_array_ptr(const tca_tbe_f_view *v, unsigned k)
{
    return k == 0 ? v->strips : k == 1 ? v->exceptions : v->exception_offsets;
}
static inline size_t tca__ckpt_f_array_size(const tca_tbe_f_sizes *s, unsigned k)
{
    return k == 0 ? s->strips : k == 1 ? s->exceptions : s->offsets;
}
void tca__ckpt_f_array_shape(const tca_tbe_geometry *g, const tca_tbe_f_header *h, unsigned k, tca_st_dtype *dtype,
                             unsigned *rank, uint64_t shape[2]);
/* safetensors 3.3: fold one metadata entry into the metadata CRC: key bytes, 0x00, value
 * bytes, 0x00 (start with crc = 0). */
uint32_t tca__ckpt_meta_crc_update(uint32_t crc, const char *key, const char *value, size_t value_len);
/* 1 if name ends with ".tca.<array>" for one of the seven v1 or three layout F arrays
 * (safetensors 3.4). */
int tca__ckpt_reserved_name(const char *name);
#endif
