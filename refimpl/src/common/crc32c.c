/* SPDX-License-Identifier: Apache-2.0 */
/* CRC-32C (Castagnoli), slicing-by-8 over constant tables. Used for the stream header
 * and content checksums (spec 3.8, 6.9) and the container's per-array CRCs (safetensors 3). */
#include "tca/checksum.h"

#include "crc32c_table.h"
#define table crc32c_table

uint32_t tca_crc32c_update(uint32_t crc, const void *data, size_t size)
{
    const uint8_t *p = (const uint8_t *)data;
    uint32_t c = ~crc;
    while (size >= 8) {
        uint32_t lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
        uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
        c = table[7][lo & 0xFF] ^ table[6][(lo >> 8) & 0xFF] ^ table[5][(lo >> 16) & 0xFF] ^ table[4][lo >> 24] ^
            table[3][hi & 0xFF] ^ table[2][(hi >> 8) & 0xFF] ^ table[1][(hi >> 16) & 0xFF] ^ table[0][hi >> 24];
        p += 8;
        size -= 8;
    }
    while (size--) c = (c >> 8) ^ table[0][(c ^ *p++) & 0xFF];
    return ~c;
}

uint32_t tca_crc32c(const void *data, size_t size) { return tca_crc32c_update(0, data, size); }
