/* SPDX-License-Identifier: Apache-2.0 */
/* Shared fuzz-target helpers: an assertion that always aborts (never compiled out by NDEBUG), and
 * a data producer that takes parameters from the END of the input so that the front stays a
 * plausible payload (the lz4 "data producer" pattern). */
#ifndef TCA_FUZZ_UTIL_H
#define TCA_FUZZ_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_ASSERT(cond)                                                                  \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed\n", __FILE__, __LINE__, #cond); \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

#define FUZZ_ASSERT_MSG(cond, ...)                                                          \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                                  \
            fputc('\n', stderr);                                                           \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

typedef struct fuzz_producer {
    const uint8_t *data; /* payload: shrinks from the end as parameters are taken */
    size_t size;
} fuzz_producer;

static inline void fuzz_producer_init(fuzz_producer *p, const uint8_t *data, size_t size)
{
    p->data = data;
    p->size = size;
}

/** Take one parameter in [lo, hi] from the last 4 bytes (or fewer; missing bytes read as 0). */
static inline uint32_t fuzz_take_range(fuzz_producer *p, uint32_t lo, uint32_t hi)
{
    uint32_t v = 0;
    for (int i = 0; i < 4 && p->size > 0; i++) v = (v << 8) | p->data[--p->size];
    uint64_t span = (uint64_t)hi - lo + 1;
    return lo + (uint32_t)(v % span);
}

/** Remaining payload bytes. */
static inline const uint8_t *fuzz_payload(const fuzz_producer *p, size_t *size)
{
    *size = p->size;
    return p->data;
}
#endif
