/* SPDX-License-Identifier: Apache-2.0 */
/* Caller-supplied allocator. Every allocating tca_ function takes one (NULL = malloc/free);
 * tests use it to make allocation number i fail. */
#ifndef TCA_ALLOC_H
#define TCA_ALLOC_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tca_allocator {
    void *(*alloc)(void *opaque, size_t size); /* returns NULL on failure */
    void (*free)(void *opaque, void *ptr);     /* must accept NULL */
    void *opaque;
} tca_allocator;

/** Allocate through a (NULL means malloc). Returns NULL on failure or size 0 overflow. */
void *tca_alloc(const tca_allocator *a, size_t size);
/** Allocate n*size bytes, NULL if the product overflows size_t. */
void *tca_alloc_array(const tca_allocator *a, size_t n, size_t size);
void tca_free(const tca_allocator *a, void *ptr);

#ifdef __cplusplus
}
#endif
#endif
