/* SPDX-License-Identifier: Apache-2.0 */
/* The default allocator and overflow-checked array allocation. */
#include "tca/alloc.h"
#include <stdint.h>
#include <stdlib.h>

void *tca_alloc(const tca_allocator *a, size_t size)
{
    if (size == 0) size = 1; /* a zero-size request still returns a distinct pointer */
    return a ? a->alloc(a->opaque, size) : malloc(size);
}

void *tca_alloc_array(const tca_allocator *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) return NULL;
    return tca_alloc(a, n * size);
}

void tca_free(const tca_allocator *a, void *ptr)
{
    if (!ptr) return;
    if (a)
        a->free(a->opaque, ptr);
    else
        free(ptr);
}
