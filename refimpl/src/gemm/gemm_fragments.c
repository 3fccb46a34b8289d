/* SPDX-License-Identifier: Apache-2.0 */
/* Decoding one TCA-TBE global tile straight into mma.m16n8k16 A fragments, the way a ZipGEMM
 * warp does (spec 7.2, 7.3; tca-tbe-layout 9 and 10): warp med decodes median tile med; for each
 * k16 slice s its lanes fill registers a0..a3 from small tiles j = 4s + 0..3; lane l takes
 * positions p = 2l and 2l + 1 (row l >> 2, columns 2(l & 3) and 2(l & 3) + 1). The running value
 * offsets advance by popc(IND) and 64 - popc(IND) per small tile, as in the kernel. */
#include "common/le.h"
#include "gemm/gemm_internal.h"

static unsigned popc64(uint64_t v)
{
    unsigned c = 0;
    while (v) {
        v &= v - 1u;
        c++;
    }
    return c;
}

/* One element at position p (0..63) of a small tile (spec 7.2). */
static uint16_t decode_position(uint64_t b1, uint64_t b2, uint64_t b3, unsigned p, uint8_t base,
                                const uint8_t *sm, uint64_t hf_start, const uint8_t *full, uint64_t full_start)
{
    const uint64_t ind = b1 | b2 | b3;
    const uint64_t below_mask = (p == 0) ? 0u : (~0ull >> (64u - p));
    const unsigned below = popc64(ind & below_mask); /* in-window elements before p */
    if ((ind >> p) & 1u) {
        const unsigned code = (unsigned)(((b1 >> p) & 1u) | (((b2 >> p) & 1u) << 1) | (((b3 >> p) & 1u) << 2));
        const uint8_t byte = sm[hf_start + below];
        /* spec 4.3: sign from bit 7, exponent base + code, mantissa from bits 6..0 */
        return (uint16_t)(((unsigned)(byte & 0x80u) << 8) | ((unsigned)(base + code) << 7) | (byte & 0x7Fu));
    }
    return tca__le16(full + 2u * (full_start + (p - below))); /* spec 4.4: fallback, verbatim */
}

void tca__gemm_decode_global_tile(const tca_tbe_view *w, uint64_t g, tca__gemm_tile_fragments frag)
{
    const uint8_t base = w->hdr.base;
    const uint64_t tog_hf = tca__le64(w->tog + 16u * g), tog_full = tca__le64(w->tog + 16u * g + 8u);
    for (unsigned med = 0; med < 4; med++) {
        /* spec 7.2 / 6.5: a median tile's values start at TOG[g] + TOM[4g + med] */
        const uint8_t *tom = w->tom + 8u * (4u * g + med);
        uint64_t hf = tog_hf + tca__le32(tom), fl = tog_full + tca__le32(tom + 4);
        for (unsigned j = 0; j < 16; j++) { /* spec 5.2: k8 outer, m8 inner = slice s, register r */
            const uint64_t t = 64u * g + 16u * med + j;
            const uint64_t b1 = tca__le64(w->bitmap[0] + 8u * t);
            const uint64_t b2 = tca__le64(w->bitmap[1] + 8u * t);
            const uint64_t b3 = tca__le64(w->bitmap[2] + 8u * t);
            const unsigned s = j / 4u, r = j % 4u;
            for (unsigned lane = 0; lane < 32; lane++) {
                const uint16_t lo = decode_position(b1, b2, b3, 2u * lane, base, w->sign_mantissa, hf, w->full, fl);
                const uint16_t hi =
                    decode_position(b1, b2, b3, 2u * lane + 1u, base, w->sign_mantissa, hf, w->full, fl);
                frag[med][s][lane][r] = (uint32_t)lo | ((uint32_t)hi << 16); /* even column in 15:0 */
            }
            const unsigned in_window = popc64(b1 | b2 | b3);
            hf += in_window;
            fl += 64u - in_window;
        }
    }
}

void tca__gemm_fragments_to_tile(const tca__gemm_tile_fragments frag, uint16_t tile[64][64])
{
    for (unsigned med = 0; med < 4; med++)
        for (unsigned s = 0; s < 4; s++)
            for (unsigned lane = 0; lane < 32; lane++)
                for (unsigned i = 0; i < 4; i++) {
                    /* numerics reference 6.1: row g + 8(i & 1), column 2t + 8(i >> 1) */
                    const unsigned row = 16u * med + (lane >> 2) + 8u * (i & 1u);
                    const unsigned col = 16u * s + 2u * (lane & 3u) + 8u * (i >> 1);
                    tile[row][col] = (uint16_t)(frag[med][s][lane][i] & 0xFFFFu);
                    tile[row][col + 1u] = (uint16_t)(frag[med][s][lane][i] >> 16);
                }
}
