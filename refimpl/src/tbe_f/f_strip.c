/* SPDX-License-Identifier: Apache-2.0 */
/* One 16 x 64 strip of layout F (spec 8.3-8.5): the 1408-byte record (lane-interleaved codes, then
 * the sign-mantissa bytes in A-fragment order) and the strip's exception bytes in lane-major
 * order. Every function here follows the element positions of spec 8.2-8.5 (tca__f_row,
 * tca__f_col, tca__f_sm_off, tca__f_code_word_off); encoder, decoder, validator and transcoder
 * all go through them. */
#include <string.h>
#include "tbe_f/tbe_f_internal.h"

unsigned tca__f_strip_exceptions(const uint8_t *rec)
{
    unsigned in_window = 0;
    for (unsigned l = 0; l < 32; l++) {
        uint32_t w0 = tca__le32(rec + tca__f_code_word_off(0, l)), w1 = tca__le32(rec + tca__f_code_word_off(1, l)),
                 w2 = tca__le32(rec + tca__f_code_word_off(2, l));
        /* spec 8.5: a lane's exception count = 32 minus its in-window flags; the codes of slices
         * 0-2 are the low 3 bits of each nibble, those of slice 3 the spare bits */
        in_window += tca__f_popc32(tca__f_inwin_nibbles(w0) | (tca__f_inwin_nibbles(w1) << 1) |
                                   (tca__f_inwin_nibbles(w2) << 2) | (tca__f_inwin_nibbles(tca__f_slice3(w0, w1, w2)) << 3));
    }
    return TCA__F_STRIP_ELEMS - in_window;
}

/* spec 4.2: code of an element from its exponent field and the window start w0 = base + 1 */
static inline unsigned code_of(uint16_t x, unsigned base)
{
    unsigned d = ((x >> 7) & 0xFFu) - (base + 1u); /* wraps to a huge value below the window */
    return d < 7u ? d + 1u : 0u;
}

unsigned tca__f_strip_decode(const uint8_t *rec, const uint8_t *exc, unsigned base, uint16_t *out, size_t stride,
                             uint8_t *codes)
{
    unsigned used = 0;
    for (unsigned l = 0; l < 32; l++) {
        uint32_t w[4];
        for (unsigned i = 0; i < 3; i++) w[i] = tca__le32(rec + tca__f_code_word_off(i, l));
        w[3] = tca__f_slice3(w[0], w[1], w[2]);
        for (unsigned i = 0; i < 4; i++) {
            const uint8_t *sm = rec + tca__f_sm_off(l, i, 0);
            for (unsigned n = 0; n < 8; n++) {
                unsigned c = (w[i] >> (4 * n)) & 7u;
                unsigned b = sm[n];
                /* spec 8.5: the exponent is base + code in window, else the lane's next exception */
                unsigned e = c ? base + c : exc[used++];
                size_t at = (size_t)tca__f_row(l, n) * stride + tca__f_col(l, i, n);
                out[at] = (uint16_t)(((b & 0x80u) << 8) | (e << 7) | (b & 0x7Fu)); /* spec 8.4 */
                if (codes) codes[at] = (uint8_t)c;
            }
        }
    }
    return used;
}

void tca__f_strip_offsets(size_t stride, size_t off[TCA__F_STRIP_ELEMS])
{
    for (unsigned l = 0; l < 32; l++)
        for (unsigned i = 0; i < 4; i++)
            for (unsigned n = 0; n < 8; n++)
                off[32 * l + 8 * i + n] = (size_t)tca__f_row(l, n) * stride + tca__f_col(l, i, n);
}

unsigned tca__f_strip_decode_at(const uint8_t *rec, const uint8_t *exc, unsigned base, uint16_t *out,
                                const size_t off[TCA__F_STRIP_ELEMS])
{
    unsigned used = 0;
    for (unsigned l = 0; l < 32; l++) {
        uint32_t w[4];
        for (unsigned i = 0; i < 3; i++) w[i] = tca__le32(rec + tca__f_code_word_off(i, l));
        w[3] = tca__f_slice3(w[0], w[1], w[2]);
        const size_t *o = off + 32 * l;
        for (unsigned i = 0; i < 4; i++, o += 8) {
            const uint8_t *sm = rec + tca__f_sm_off(l, i, 0);
            uint32_t codes = w[i] & 0x77777777u;
            if ((tca__f_inwin_nibbles(codes) & 0x11111111u) == 0x11111111u) { /* all 8 in window */
                for (unsigned n = 0; n < 8; n++) {
                    unsigned b = sm[n], e = base + ((codes >> (4 * n)) & 7u);
                    out[o[n]] = (uint16_t)(((b & 0x80u) << 8) | (e << 7) | (b & 0x7Fu));
                }
                continue;
            }
            for (unsigned n = 0; n < 8; n++) {
                unsigned c = (codes >> (4 * n)) & 7u, b = sm[n];
                unsigned e = c ? base + c : exc[used++]; /* spec 8.5 */
                out[o[n]] = (uint16_t)(((b & 0x80u) << 8) | (e << 7) | (b & 0x7Fu));
            }
        }
    }
    return used;
}

unsigned tca__f_strip_encode_at(const uint16_t *vals, const size_t off[TCA__F_STRIP_ELEMS], unsigned base,
                                uint8_t *rec, uint8_t *exc)
{
    unsigned n_exc = 0;
    for (unsigned l = 0; l < 32; l++) {
        uint32_t w[3] = {0, 0, 0};
        const size_t *o = off + 32 * l;
        for (unsigned i = 0; i < 4; i++, o += 8) {
            uint8_t *sm = rec + tca__f_sm_off(l, i, 0);
            uint32_t nib = 0;
            for (unsigned n = 0; n < 8; n++) {
                uint16_t x = vals[o[n]];
                unsigned c = code_of(x, base);
                nib |= (uint32_t)c << (4 * n);
                sm[n] = (uint8_t)(((x >> 8) & 0x80u) | (x & 0x7Fu)); /* spec 4.3, 8.4 */
                exc[n_exc] = (uint8_t)((x >> 7) & 0xFFu);             /* spec 8.5; kept if c == 0 */
                n_exc += c == 0;
            }
            if (i < 3) {
                w[i] |= nib;
            } else { /* spec 8.3: code bit b of slice 3 goes to the spare bit of word b */
                for (unsigned b = 0; b < 3; b++) w[b] |= ((nib >> b) & 0x11111111u) << 3;
            }
        }
        for (unsigned i = 0; i < 3; i++) tca__st32(rec + tca__f_code_word_off(i, l), w[i]);
    }
    return n_exc;
}

unsigned tca__f_strip_encode_codes_at(const uint16_t *vals, const uint8_t *codes, const size_t off[TCA__F_STRIP_ELEMS],
                                      uint8_t *rec, uint8_t *exc)
{
    unsigned n_exc = 0;
    for (unsigned l = 0; l < 32; l++) {
        uint32_t w[3] = {0, 0, 0};
        const size_t *o = off + 32 * l;
        for (unsigned i = 0; i < 4; i++, o += 8) {
            uint8_t *sm = rec + tca__f_sm_off(l, i, 0);
            uint32_t nib = 0;
            for (unsigned n = 0; n < 8; n++) {
                uint16_t x = vals[o[n]];
                unsigned c = codes[o[n]] & 7u;
                nib |= (uint32_t)c << (4 * n);
                sm[n] = (uint8_t)(((x >> 8) & 0x80u) | (x & 0x7Fu)); /* spec 4.3, 8.4 */
                if (c == 0) exc[n_exc++] = (uint8_t)((x >> 7) & 0xFFu); /* spec 8.5 */
            }
            if (i < 3) {
                w[i] |= nib;
            } else { /* spec 8.3: code bit b of slice 3 goes to the spare bit of word b */
                for (unsigned b = 0; b < 3; b++) w[b] |= ((nib >> b) & 0x11111111u) << 3;
            }
        }
        for (unsigned i = 0; i < 3; i++) tca__st32(rec + tca__f_code_word_off(i, l), w[i]);
    }
    return n_exc;
}

unsigned tca__f_strip_decode_codes_at(const uint8_t *rec, const uint8_t *exc, unsigned base, uint16_t *out,
                                      uint8_t *codes, const size_t off[TCA__F_STRIP_ELEMS])
{
    unsigned used = 0;
    for (unsigned l = 0; l < 32; l++) {
        uint32_t w[4];
        for (unsigned i = 0; i < 3; i++) w[i] = tca__le32(rec + tca__f_code_word_off(i, l));
        w[3] = tca__f_slice3(w[0], w[1], w[2]);
        const size_t *o = off + 32 * l;
        for (unsigned i = 0; i < 4; i++, o += 8) {
            const uint8_t *sm = rec + tca__f_sm_off(l, i, 0);
            for (unsigned n = 0; n < 8; n++) {
                unsigned c = (w[i] >> (4 * n)) & 7u, b = sm[n];
                unsigned e = c ? base + c : exc[used++]; /* spec 8.5 */
                out[o[n]] = (uint16_t)(((b & 0x80u) << 8) | (e << 7) | (b & 0x7Fu));
                codes[o[n]] = (uint8_t)c;
            }
        }
    }
    return used;
}
