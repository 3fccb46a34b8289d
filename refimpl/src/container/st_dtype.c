/* SPDX-License-Identifier: Apache-2.0 */
/* safetensors dtypes accepted by this implementation (safetensors 2.4). */
#include <string.h>
#include "tca/safetensors.h"

static const struct {
    const char *name;
    size_t size;
} dtypes[TCA_ST_DTYPE_COUNT] = {
    [TCA_ST_BOOL] = {"BOOL", 1},      [TCA_ST_U8] = {"U8", 1},     [TCA_ST_I8] = {"I8", 1},
    [TCA_ST_F8_E5M2] = {"F8_E5M2", 1}, [TCA_ST_F8_E4M3] = {"F8_E4M3", 1},
    [TCA_ST_F8_E8M0] = {"F8_E8M0", 1}, [TCA_ST_I16] = {"I16", 2},  [TCA_ST_U16] = {"U16", 2},
    [TCA_ST_F16] = {"F16", 2},        [TCA_ST_BF16] = {"BF16", 2}, [TCA_ST_I32] = {"I32", 4},
    [TCA_ST_U32] = {"U32", 4},        [TCA_ST_F32] = {"F32", 4},   [TCA_ST_I64] = {"I64", 8},
    [TCA_ST_U64] = {"U64", 8},        [TCA_ST_F64] = {"F64", 8},
};

const char *tca_st_dtype_name(tca_st_dtype d)
{
    return (unsigned)d < TCA_ST_DTYPE_COUNT ? dtypes[d].name : "?";
}

size_t tca_st_dtype_size(tca_st_dtype d) { return (unsigned)d < TCA_ST_DTYPE_COUNT ? dtypes[d].size : 0; }

int tca_st_dtype_parse(const char *name, tca_st_dtype *out)
{
    for (unsigned i = 0; i < TCA_ST_DTYPE_COUNT; i++)
        if (!strcmp(name, dtypes[i].name)) {
            *out = (tca_st_dtype)i;
            return 1;
        }
    return 0;
}
