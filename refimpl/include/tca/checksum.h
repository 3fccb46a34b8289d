/* SPDX-License-Identifier: Apache-2.0 */
/* CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, init and xorout 0xFFFFFFFF) and SHA-256
 * (FIPS 180-4), both bundled so the library needs nothing beyond libc. */
#ifndef TCA_CHECKSUM_H
#define TCA_CHECKSUM_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** CRC-32C of a buffer. Check value: crc32c("123456789") = 0xE3069283. */
uint32_t tca_crc32c(const void *data, size_t size);
/** Incremental form: start with crc = 0, feed chunks: crc = tca_crc32c_update(crc, p, n). */
uint32_t tca_crc32c_update(uint32_t crc, const void *data, size_t size);

typedef struct tca_sha256 {
    uint32_t h[8];
    uint64_t total;
    uint8_t buf[64];
    unsigned fill;
} tca_sha256_ctx;

void tca_sha256_init(tca_sha256_ctx *s);
void tca_sha256_update(tca_sha256_ctx *s, const void *data, size_t size);
void tca_sha256_final(tca_sha256_ctx *s, uint8_t digest[32]);
/** One-shot digest. */
void tca_sha256(const void *data, size_t size, uint8_t digest[32]);
/** Lower-case hex of a 32-byte digest into out[65] (NUL-terminated). */
void tca_sha256_hex(const uint8_t digest[32], char out[65]);

#ifdef __cplusplus
}
#endif
#endif
