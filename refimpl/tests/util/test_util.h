/* SPDX-License-Identifier: Apache-2.0 */
/* Shared helpers for the Check suites: seeds, tiers, a failing allocator, and bit-pattern
 * assertions. */
#ifndef TCA_TEST_UTIL_H
#define TCA_TEST_UTIL_H
#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include "tca/alloc.h"

/** The run's seed: TCA_TEST_SEED unset -> the fixed default 0x7463615F74657374 ("tca_test"),
 *  "random" -> from the clock, else the number given (decimal or 0x-hex). */
uint64_t tca_test_seed(void);
/** Print "TCA_TEST_SEED=0x... (include this in bug reports)" to stderr. */
void tca_test_print_seed(void);
/** 1 when TCA_CHECK_EXPENSIVE=1 (full tier), else 0 (quick tier). */
int tca_test_expensive(void);
/** quick or full count, depending on the tier. */
uint64_t tca_test_count(uint64_t quick, uint64_t full);

/** An allocator that fails the allocation with index fail_at (0-based; -1 = never) and counts
 *  calls and live blocks. */
typedef struct tca_test_allocator {
    tca_allocator base;
    long calls;
    long fail_at;
    long live;
} tca_test_allocator;
void tca_test_allocator_init(tca_test_allocator *a, long fail_at);

/** Path of a file in the source tree ($TCA_SOURCE_DIR/rel), in a static buffer. */
const char *tca_test_source_path(const char *rel);

/* Bit-pattern assertions that print hex. */
#define tca_ck_assert_bits16(got, exp)                                                        \
    ck_assert_msg((uint16_t)(got) == (uint16_t)(exp), "got 0x%04x, expected 0x%04x",       \
                  (unsigned)(uint16_t)(got), (unsigned)(uint16_t)(exp))
#define tca_ck_assert_bits32(got, exp)                                                        \
    ck_assert_msg((uint32_t)(got) == (uint32_t)(exp), "got 0x%08lx, expected 0x%08lx",     \
                  (unsigned long)(uint32_t)(got), (unsigned long)(uint32_t)(exp))
#define tca_ck_assert_status(got, exp)                                                        \
    ck_assert_msg((int)(got) == (int)(exp), "status %d (%s), expected %d (%s)", (int)(got), \
                  tca_status_name((tca_status)(got)), (int)(exp), tca_status_name((tca_status)(exp)))
#endif
