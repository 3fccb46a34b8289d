/* SPDX-License-Identifier: Apache-2.0 */
/* Names of the compressed checkpoint: array suffixes and pass-through reasons (safetensors 3.1, 5). */
#include <string.h>
#include "ckpt_internal.h"
#include "tca/checksum.h"

const char *tca_ckpt_array_name(tca_ckpt_array a)
{
    static const char *const names[TCA_CKPT_ARRAYS] = {"bitmap1", "bitmap2", "bitmap3", "tom",
                                                       "tog",     "sign_mantissa", "full"};
    return (unsigned)a < TCA_CKPT_ARRAYS ? names[a] : "?";
}

const char *tca_ckpt_f_array_name(unsigned k)
{
    static const char *const names[TCA_CKPT_F_ARRAYS] = {"strips", "exceptions", "exception_offsets"};
    return k < TCA_CKPT_F_ARRAYS ? names[k] : "?";
}

const char *tca_ckpt_action_reason(tca_ckpt_action a)
{
    switch (a) {
    case TCA_CKPT_COMPRESS: return "compressed";
    case TCA_CKPT_PASS_DTYPE: return "not BF16";
    case TCA_CKPT_PASS_RANK: return "not 2-D";
    case TCA_CKPT_PASS_EMPTY: return "empty";
    case TCA_CKPT_PASS_LIMIT: return "shape beyond TCA-TBE limits";
    case TCA_CKPT_PASS_NOT_SMALLER: return "not smaller when encoded";
    }
    return "?";
}

void tca__ckpt_array_shape(const tca_tbe_geometry *g, const tca_tbe_header *h, tca_ckpt_array a,
                           tca_st_dtype *dtype, unsigned *rank, uint64_t shape[2])
{
    switch (a) {
    case TCA_CKPT_BITMAP1:
    case TCA_CKPT_BITMAP2:
    case TCA_CKPT_BITMAP3:
        *dtype = TCA_ST_U64;
        *rank = 1;
        shape[0] = g->n_small;
        break;
    case TCA_CKPT_TOM:
        *dtype = TCA_ST_U32;
        *rank = 2;
        shape[0] = g->n_median;
        shape[1] = 2;
        break;
    case TCA_CKPT_TOG:
        *dtype = TCA_ST_U64;
        *rank = 2;
        shape[0] = g->n_global + 1;
        shape[1] = 2;
        break;
    case TCA_CKPT_SIGN_MANTISSA:
        *dtype = TCA_ST_U8;
        *rank = 1;
        shape[0] = h->sign_mantissa_len;
        break;
    case TCA_CKPT_FULL:
        *dtype = TCA_ST_BF16;
        *rank = 1;
        shape[0] = h->full_len;
        break;
    }
}

void tca__ckpt_f_array_shape(const tca_tbe_geometry *g, const tca_tbe_f_header *h, unsigned k, tca_st_dtype *dtype,
                             unsigned *rank, uint64_t shape[2])
{
    if (k == 0) { /* spec 8.2: one 1408-byte record per strip */
        *dtype = TCA_ST_U8;
        *rank = 2;
        shape[0] = g->n_median;
        shape[1] = TCA_TBE_F_STRIP_BYTES;
    } else if (k == 1) { /* spec 8.5 */
        *dtype = TCA_ST_U8;
        *rank = 1;
        shape[0] = h->exception_len;
    } else { /* spec 8.6 */
        *dtype = TCA_ST_U64;
        *rank = 1;
        shape[0] = g->n_median + 1;
    }
}

int tca__ckpt_reserved_name(const char *name)
{
    size_t n = strlen(name);
    for (unsigned a = 0; a < TCA_CKPT_ARRAYS + TCA_CKPT_F_ARRAYS; a++) {
        const char *s = a < TCA_CKPT_ARRAYS ? tca_ckpt_array_name((tca_ckpt_array)a)
                                            : tca_ckpt_f_array_name(a - TCA_CKPT_ARRAYS);
        size_t k = strlen(s);
        if (n >= k + 5 && !memcmp(name + n - k - 5, ".tca.", 5) && !memcmp(name + n - k, s, k)) return 1;
    }
    return 0;
}

uint32_t tca__ckpt_meta_crc_update(uint32_t crc, const char *key, const char *value, size_t value_len)
{
    static const uint8_t zero = 0;
    crc = tca_crc32c_update(crc, key, strlen(key));
    crc = tca_crc32c_update(crc, &zero, 1);
    crc = tca_crc32c_update(crc, value, value_len);
    return tca_crc32c_update(crc, &zero, 1);
}
