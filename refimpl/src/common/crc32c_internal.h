/* SPDX-License-Identifier: Apache-2.0 */
/* Internal CRC-32C helpers (src/common/crc32c.c) beyond the public tca/checksum.h. */
#ifndef TCA_COMMON_CRC32C_INTERNAL_H
#define TCA_COMMON_CRC32C_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

/** CRC-32C of the concatenation A | B from crc_a = tca_crc32c(A), crc_b = tca_crc32c(B) and the
 *  length of B in bytes, so that pieces of a byte string can be checksummed separately (the
 *  TBE encoder checksums each section while its bytes are still in cache, spec 6.9). */
uint32_t tca__crc32c_combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b);
/** Force the portable path (allow_hw = 0) or the automatic choice (1); for the tests. */
uint32_t tca__crc32c_update_impl(uint32_t crc, const void *data, size_t size, int allow_hw);

/** The CRC-32C implementations, best last; all give identical results. */
enum {
    TCA__CRC32C_PORTABLE = 0, /**< slicing-by-8 tables, any CPU */
    TCA__CRC32C_SSE42 = 1,    /**< x86-64 crc32 instruction, 3 x 4 KiB lanes merged in C */
    TCA__CRC32C_CLMUL = 2     /**< crc32 + PCLMULQDQ: 3 lanes of any length merged by clmul */
};
/** The best implementation this CPU runs (chosen at run time; PORTABLE off x86-64 GCC/Clang). */
int tca__crc32c_level_max(void);
/** tca_crc32c_update with the implementation `level`, or the best one below it that this CPU
 *  runs; for the tests and benchmarks to run every path on one machine. */
uint32_t tca__crc32c_update_level(uint32_t crc, const void *data, size_t size, int level);

#endif
