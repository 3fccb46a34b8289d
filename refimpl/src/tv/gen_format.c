/* SPDX-License-Identifier: Apache-2.0 */
/* Format vectors (spec/tca-test-vectors.md section 5): valid streams with their decoded BF16, and
 * invalid streams, each breaking one rule of spec/tca-tbe-format.md 7.1, with the expected
 * rejection. Expected values do not come from the decoder: a valid stream decodes to the matrix
 * it was encoded from (the format is lossless), and each invalid stream is a valid one with one
 * named field broken (checksums repaired unless the checksum is the field under test). The
 * reference decoder is run on every case as a self-check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/le.h"
#include "tca/checksum.h"
#include "tca/prng.h"
#include "tca/bf16.h"
#include "tca/tbe.h"
#include "tv/tv_gen.h"

#define FORMAT_SEED 0x5443412d464d5431ull /* "TCA-FMT1" */
#define INLINE_MAX 4096u                  /* decoded values inline up to this many elements */

static const char *const valid_notes[][2] = {
    {"Zeros", "every element +0 or -0: all fallback, exponent 0 never in a window"},
    {"SignedZero", "-0 (0x8000) must decode to -0, +0 to +0"},
    {"NaNPayload", "NaNs with distinct payloads and signs must decode bit for bit (no canonicalisation)"},
    {"Inf", "+Inf and -Inf elements"},
    {"Subnormal", "exponent-0 nonzero values (always fallback)"},
    {"WindowLow", "window at exponents 1..7: base 0, the lowest legal base (spec 3.6, defect D1)"},
    {"D1Trigger", "exponents 0..7 all present: the original selector picked w0 = 0 and wrapped the base"},
    {"WindowHigh", "window at exponents 249..255: base 248, exponent 255 (Inf/NaN) coded in the window"},
    {"AllFallback", "no element in the window: SignMantissa empty, everything in Full"},
    {"ForcedWindow", "encoder window forced away from the data (any w0 in 1..249 is a valid encoding)"},
    {"OneExponent", "every element has the same exponent"},
    {"Weights", "realistic weights: N(0, 0.02^2) rounded to BF16 with 1/64 exact zeros"},
    {"RandomBits", "uniform random 16-bit patterns"},
    {"Ragged", "rows or cols not a multiple of 64: padding elements and padded tiles (spec 5.1)"},
    {"MultiTile", "several global tiles with different counts (TOG, maxima)"},
    {"MaximaFromOtherTile", "Max_Sign_Mantissa and Max_Full come from different global tiles"},
};

static const char *const invalid_notes[][2] = {
    {"Truncated", "stream shorter than its header declares (spec 6.8)"},
    {"Trailing", "bytes after the last section (spec 6.8)"},
    {"Magic", "Magic_Number wrong (spec 3.1)"},
    {"Version", "Format_Version_Major not 1 (spec 3.2)"},
    {"Layout", "unknown Layout (spec 3.3)"},
    {"ReservedBits", "a Reserved flag bit or byte set (spec 3.4)"},
    {"HeaderCRC", "Header_Checksum mismatch (spec 3.8)"},
    {"ContentCRC", "Content_Checksum mismatch (spec 6.9)"},
    {"BaseOutOfRange", "Base_Exponent 249..255 (spec 3.6): must be rejected, never decoded (defect D1)"},
    {"Shape", "Rows or Cols zero or beyond the limits (spec 3.5)"},
    {"TOGNotMonotone", "TOG entries out of order or not zero-based (spec 6.6)"},
    {"TOMMismatch", "TOM disagrees with the bitmaps (spec 6.5)"},
    {"CountsMismatch", "stream lengths disagree with the bitmaps (spec 6.2)"},
    {"Maxima", "Max_Sign_Mantissa or Max_Full wrong (spec 3.7)"},
    {"Padding", "non-zero or non-minimal per-tile padding (spec 6.4)"},
    {"PadElement", "an element outside the logical shape is not +0 (spec 5.1)"},
};

/* ------------------------------------------------------------------------- valid matrices */

typedef struct vcase {
    const char *flags;
    uint64_t rows, cols;
    int window_start;
    void (*fill)(tca_prng *r, uint16_t *w, uint64_t rows, uint64_t cols);
} vcase;

static uint16_t weight(tca_prng *r) { return tca_bf16_from_double_rne(0.02 * tca_prng_normal(r)); }

static void fill_zeros(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    (void)r;
    memset(w, 0, m * k * 2);
}
static void fill_signed_zeros(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    for (uint64_t i = 0; i < m * k; i++) w[i] = (tca_prng_u64(r) & 1) ? 0x8000 : 0x0000;
}
static void fill_weights(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    for (uint64_t i = 0; i < m * k; i++) w[i] = tca_prng_unit(r) < 1.0 / 64 ? 0 : weight(r);
}
static void fill_nan(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    static const uint16_t nans[] = {0x7FC0, 0x7F81, 0x7FFF, 0xFFC1, 0xFF80 | 0x25, 0x7FA5, 0xFFFF, 0x7F80 | 0x40};
    fill_weights(r, w, m, k);
    for (uint64_t i = 0; i < m * k; i += 37) w[i] = nans[(i / 37) % 8];
}
static void fill_inf(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    fill_weights(r, w, m, k);
    for (uint64_t i = 0; i < m * k; i += 29) w[i] = (i / 29) & 1 ? 0xFF80 : 0x7F80;
}
static void fill_subnormal(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    static const uint16_t sub[] = {0x0001, 0x007F, 0x8001, 0x8040, 0x0040, 0x807F};
    fill_weights(r, w, m, k);
    for (uint64_t i = 0; i < m * k; i += 11) w[i] = sub[(i / 11) % 6];
}
static uint16_t with_exp(tca_prng *r, unsigned e)
{
    uint64_t d = tca_prng_u64(r);
    return (uint16_t)(((d & 1u) << 15) | (e << 7) | ((d >> 1) & 0x7Fu));
}
static void fill_window_low(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    for (uint64_t i = 0; i < m * k; i++) w[i] = with_exp(r, 1 + (unsigned)tca_prng_below(r, 7));
    for (uint64_t i = 0; i < m * k; i += 13) w[i] = 0; /* zeros (fallback) */
}
static void fill_d1(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    for (uint64_t i = 0; i < m * k; i++) w[i] = with_exp(r, (unsigned)tca_prng_below(r, 8));
}
static void fill_window_high(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    for (uint64_t i = 0; i < m * k; i++) w[i] = with_exp(r, 249 + (unsigned)tca_prng_below(r, 7));
}
static void fill_subnormal_only(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    for (uint64_t i = 0; i < m * k; i++) w[i] = (uint16_t)(tca_prng_u64(r) & 0x807Fu);
}
static void fill_one_exponent(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    for (uint64_t i = 0; i < m * k; i++) w[i] = with_exp(r, 120);
}
static void fill_random_bits(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    for (uint64_t i = 0; i < m * k; i++) w[i] = (uint16_t)tca_prng_u64(r);
}
/* tile (0,0) all zeros (max Full), tile (0,1) one exponent (max SignMantissa), rest weights */
static void fill_maxima(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    fill_weights(r, w, m, k);
    for (uint64_t i = 0; i < 64 && i < m; i++)
        for (uint64_t j = 0; j < 128 && j < k; j++) w[i * k + j] = j < 64 ? 0 : with_exp(r, 121);
}

static const vcase valid_cases[] = {
    {"Zeros AllFallback", 64, 64, 0, fill_zeros},
    {"Zeros SignedZero AllFallback", 64, 64, 0, fill_signed_zeros},
    {"NaNPayload", 64, 64, 0, fill_nan},
    {"Inf", 64, 64, 0, fill_inf},
    {"Subnormal", 64, 64, 0, fill_subnormal},
    {"WindowLow", 64, 64, 0, fill_window_low},
    {"WindowLow D1Trigger", 64, 64, 0, fill_d1},
    {"WindowHigh NaNPayload Inf", 64, 64, 0, fill_window_high},
    {"AllFallback Subnormal", 64, 64, 0, fill_subnormal_only},
    {"AllFallback ForcedWindow Weights", 64, 64, 200, fill_weights},
    {"ForcedWindow WindowLow Weights", 64, 64, 1, fill_weights},
    {"ForcedWindow WindowHigh Weights", 64, 64, 249, fill_weights},
    {"OneExponent", 64, 64, 0, fill_one_exponent},
    {"Weights MultiTile", 128, 128, 0, fill_weights},
    {"RandomBits", 64, 64, 0, fill_random_bits},
    {"MaximaFromOtherTile MultiTile", 128, 192, 0, fill_maxima},
    {"Ragged Weights", 1, 1, 0, fill_weights},
    {"Ragged Weights", 1, 64, 0, fill_weights},
    {"Ragged Weights", 64, 1, 0, fill_weights},
    {"Ragged Weights", 1, 65, 0, fill_weights},
    {"Ragged Weights", 65, 1, 0, fill_weights},
    {"Ragged Weights", 63, 63, 0, fill_weights},
    {"Ragged Weights MultiTile", 65, 65, 0, fill_weights},
    {"Ragged Weights MultiTile", 3, 200, 0, fill_weights},
    {"Ragged Weights MultiTile", 130, 70, 0, fill_weights},
    {"Ragged RandomBits MultiTile", 127, 129, 0, fill_random_bits},
    {"Ragged NaNPayload Inf Subnormal", 17, 33, 0, fill_nan},
};

size_t tca__tv_format_valid_count(void) { return sizeof valid_cases / sizeof valid_cases[0]; }

/* The matrix of valid record i + 1 (vectors 5.1): drawn from derive(FORMAT_SEED, i + 1). */
tca_status tca__tv_format_valid_case(size_t i, uint16_t **m, uint64_t *rows, uint64_t *cols, int *window_start,
                                     const char **flags)
{
    if (i >= tca__tv_format_valid_count()) return TCA_ERROR_PARAM_INVALID;
    const vcase *c = &valid_cases[i];
    uint16_t *w = malloc(c->rows * c->cols * 2);
    if (!w) return TCA_ERROR_ALLOC;
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(FORMAT_SEED, i + 1));
    c->fill(&r, w, c->rows, c->cols);
    *m = w;
    *rows = c->rows;
    *cols = c->cols;
    *window_start = c->window_start;
    *flags = c->flags;
    return TCA_OK;
}

static void put_notes(tca_tv_writer *w, const char *const notes[][2], size_t n)
{
    char key[80];
    for (size_t i = 0; i < n; i++) {
        snprintf(key, sizeof key, "notes.%s", notes[i][0]);
        tca_tv_put(w, key, notes[i][1]);
    }
}

static tca_status gen_valid(tca__tv_gen *g)
{
    size_t n = sizeof valid_cases / sizeof valid_cases[0];
    tca_tv_manifest_row row;
    tca__tv_row(&row, "v1/format/valid.tv", "format", "-", "quick", FORMAT_SEED, n,
                "valid TCA-TBE streams with their decoded BF16");
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    tca__tv_gen_begin(&w, &row);
    put_notes(&w, valid_notes, sizeof valid_notes / sizeof valid_notes[0]);
    tca_tv_put_end(&w);
    tca_status st = TCA_OK;
    for (size_t i = 0; i < n && !st; i++) {
        const vcase *c = &valid_cases[i];
        uint64_t elems = c->rows * c->cols;
        uint16_t *m = malloc(elems * 2), *back = malloc(elems * 2);
        uint8_t *s = NULL;
        size_t sn = 0;
        tca_prng r;
        tca_prng_seed(&r, tca_prng_derive(FORMAT_SEED, i + 1));
        if (!m || !back) st = TCA_ERROR_ALLOC;
        if (!st) {
            c->fill(&r, m, c->rows, c->cols);
            st = tca__tv_encode_stream(m, c->rows, c->cols, c->window_start, &s, &sn);
        }
        /* self-check: the reference decoder gives the matrix back */
        if (!st) st = tca_tbe_decode_stream(s, sn, back, elems);
        if (!st && memcmp(m, back, elems * 2)) st = TCA_ERROR_INTERNAL;
        if (!st) {
            tca_tv_put_u64(&w, "id", i + 1);
            tca_tv_put(&w, "flags", c->flags);
            tca_tv_put(&w, "result", "valid");
            tca_tv_put_u64(&w, "rows", c->rows);
            tca_tv_put_u64(&w, "cols", c->cols);
            tca_tv_put_bytes(&w, "stream", s, sn);
            if (elems <= INLINE_MAX) {
                tca_tv_put_hex16(&w, "decoded", m, elems);
            } else {
                uint8_t d[32];
                tca_tv_digest16(m, elems, d);
                tca_tv_put_sha256(&w, "decoded", d);
            }
            tca_tv_put_end(&w);
        } else {
            fprintf(stderr, "tca gen: format valid case %zu: %s\n", i + 1, tca_status_name(st));
        }
        free(m);
        free(back);
        free(s);
    }
    if (!st) st = tca__tv_gen_add(g, &row, &w);
    tca_tv_writer_free(&w);
    return st;
}

/* ------------------------------------------------------------------------- invalid streams */

typedef struct stream {
    uint8_t *p;
    size_t n;
} stream;

/* Offsets of the sections of a well-formed stream (spec 6.8). */
typedef struct layout {
    size_t bitmap[3], tom, tog, sm, full, crc, end;
    uint64_t sm_len, full_len, n_global;
} layout;

static int layout_of(const stream *s, layout *l)
{
    tca_tbe_view v;
    if (tca_tbe_stream_parse(s->p, s->n, &v)) return 0;
    for (int k = 0; k < 3; k++) l->bitmap[k] = (size_t)(v.bitmap[k] - s->p);
    l->tom = (size_t)(v.tom - s->p);
    l->tog = (size_t)(v.tog - s->p);
    l->sm = (size_t)(v.sign_mantissa - s->p);
    l->full = (size_t)(v.full - s->p);
    l->sm_len = v.hdr.sign_mantissa_len;
    l->full_len = v.hdr.full_len;
    l->crc = l->full + 2 * (size_t)v.hdr.full_len;
    l->end = s->n;
    l->n_global = (l->sm - l->tog) / 16 - 1;
    return 1;
}

static void fix_header_crc(stream *s) { tca__st32(s->p + 60, tca_crc32c(s->p, 60)); }
static void fix_content_crc(stream *s)
{
    /* spec 6.9: CRC-32C over every section byte; the flag is set by the generator */
    if (s->n >= 68) tca__st32(s->p + s->n - 4, tca_crc32c(s->p + 64, s->n - 68));
}

static stream copy_of(const stream *b)
{
    stream s = {malloc(b->n + 64), b->n};
    if (s.p) memcpy(s.p, b->p, b->n);
    return s;
}

typedef struct icase {
    const char *flags;
    tca_status error;
    stream s;
} icase;

#define ICASES_MAX 64

typedef struct ilist {
    icase c[ICASES_MAX];
    size_t n;
} ilist;

static void add(ilist *l, const char *flags, tca_status error, stream s)
{
    if (l->n < ICASES_MAX && s.p) {
        l->c[l->n].flags = flags;
        l->c[l->n].error = error;
        l->c[l->n].s = s;
        l->n++;
    } else {
        free(s.p);
    }
}

/* Header byte mutation with the header CRC repaired. */
static stream hdr_byte(const stream *b, size_t off, uint8_t v)
{
    stream s = copy_of(b);
    if (s.p) {
        s.p[off] = v;
        fix_header_crc(&s);
    }
    return s;
}
static stream hdr_u64(const stream *b, size_t off, uint64_t v)
{
    stream s = copy_of(b);
    if (s.p) {
        tca__st64(s.p + off, v);
        fix_header_crc(&s);
    }
    return s;
}
static stream hdr_u32(const stream *b, size_t off, uint32_t v)
{
    stream s = copy_of(b);
    if (s.p) {
        tca__st32(s.p + off, v);
        fix_header_crc(&s);
    }
    return s;
}
/* Section mutation with the content CRC repaired. */
static stream sec_u64(const stream *b, size_t off, uint64_t v)
{
    stream s = copy_of(b);
    if (s.p) {
        tca__st64(s.p + off, v);
        fix_content_crc(&s);
    }
    return s;
}
static stream sec_u32(const stream *b, size_t off, uint32_t v)
{
    stream s = copy_of(b);
    if (s.p) {
        tca__st32(s.p + off, v);
        fix_content_crc(&s);
    }
    return s;
}

static tca_status build_invalid(ilist *L, const stream *sparse, const stream *multi, const stream *dense)
{
    layout ls, lm, ld;
    if (!layout_of(sparse, &ls) || !layout_of(multi, &lm) || !layout_of(dense, &ld)) return TCA_ERROR_INTERNAL;
    stream s;

    /* spec 6.8: truncation and trailing bytes */
    s = copy_of(multi);
    s.n -= 1;
    add(L, "Truncated", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = copy_of(multi);
    s.n = lm.sm; /* cut at a section boundary */
    add(L, "Truncated", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = copy_of(multi);
    s.n = 63;
    add(L, "Truncated", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = copy_of(multi);
    s.n = 0;
    add(L, "Truncated", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = copy_of(multi);
    if (s.p) s.p[s.n++] = 0;
    add(L, "Trailing", TCA_ERROR_FORMAT_TRAILING, s);

    /* spec 3.1-3.4, 3.8: header fields */
    s = copy_of(sparse);
    if (s.p) s.p[0] = 0x88;
    add(L, "Magic", TCA_ERROR_FORMAT_MAGIC, s);
    add(L, "Version", TCA_ERROR_FORMAT_VERSION, hdr_byte(sparse, 4, 2));
    add(L, "Version", TCA_ERROR_FORMAT_VERSION, hdr_byte(sparse, 4, 0));
    add(L, "Layout", TCA_ERROR_FORMAT_LAYOUT, hdr_byte(sparse, 6, 2));
    add(L, "Layout", TCA_ERROR_FORMAT_LAYOUT, hdr_byte(sparse, 6, 0xFF));
    add(L, "ReservedBits", TCA_ERROR_FORMAT_RESERVED, hdr_byte(sparse, 7, 0x03));
    add(L, "ReservedBits", TCA_ERROR_FORMAT_RESERVED, hdr_byte(sparse, 7, 0x81));
    add(L, "ReservedBits", TCA_ERROR_FORMAT_RESERVED, hdr_byte(sparse, 25, 0x01));
    add(L, "ReservedBits", TCA_ERROR_FORMAT_RESERVED, hdr_byte(sparse, 39, 0x80));
    add(L, "ReservedBits", TCA_ERROR_FORMAT_RESERVED, hdr_byte(sparse, 56, 0x01));
    s = copy_of(sparse);
    if (s.p) s.p[60] ^= 0x01;
    add(L, "HeaderCRC", TCA_ERROR_FORMAT_HEADER_CHECKSUM, s);
    s = copy_of(sparse);
    if (s.p) s.p[8] ^= 0x01; /* Rows changed, checksum not repaired */
    add(L, "HeaderCRC", TCA_ERROR_FORMAT_HEADER_CHECKSUM, s);

    /* spec 3.6: base out of range; D1's wrapped base 255 and the first illegal value 249 */
    add(L, "BaseOutOfRange", TCA_ERROR_FORMAT_BASE_RANGE, hdr_byte(dense, 24, 249));
    add(L, "BaseOutOfRange", TCA_ERROR_FORMAT_BASE_RANGE, hdr_byte(dense, 24, 255));
    add(L, "BaseOutOfRange", TCA_ERROR_FORMAT_BASE_RANGE, hdr_byte(sparse, 24, 255));

    /* spec 3.5: shapes */
    add(L, "Shape", TCA_ERROR_FORMAT_SHAPE, hdr_u64(sparse, 8, 0));
    add(L, "Shape", TCA_ERROR_FORMAT_SHAPE, hdr_u64(sparse, 16, 0));
    add(L, "Shape", TCA_ERROR_FORMAT_SHAPE, hdr_u64(sparse, 8, (1ull << 32) + 1));
    add(L, "Shape", TCA_ERROR_FORMAT_SHAPE, hdr_u64(sparse, 16, UINT64_MAX));
    s = hdr_u64(sparse, 8, 1ull << 32); /* 2^32 x 2^32: padded product 2^64 > 2^44 */
    if (s.p) {
        tca__st64(s.p + 16, 1ull << 32);
        fix_header_crc(&s);
    }
    add(L, "Shape", TCA_ERROR_FORMAT_SHAPE, s);

    /* spec 6.6: TOG of the 4-tile matrix: entries 1 and 2 swapped; TOG[0] not zero */
    s = copy_of(multi);
    if (s.p) {
        uint8_t t[16];
        memcpy(t, s.p + lm.tog + 16, 16);
        memcpy(s.p + lm.tog + 16, s.p + lm.tog + 32, 16);
        memcpy(s.p + lm.tog + 32, t, 16);
        fix_content_crc(&s);
    }
    add(L, "TOGNotMonotone", TCA_ERROR_FORMAT_TOG, s);
    add(L, "TOGNotMonotone", TCA_ERROR_FORMAT_TOG, sec_u64(multi, lm.tog, 16));
    add(L, "TOGNotMonotone", TCA_ERROR_FORMAT_TOG,
        sec_u64(multi, lm.tog + 16, tca__le64(multi->p + lm.tog + 16) + 16));

    /* spec 6.5: a TOM entry off by one element */
    add(L, "TOMMismatch", TCA_ERROR_FORMAT_TOM, sec_u32(multi, lm.tom + 8 + 4, tca__le32(multi->p + lm.tom + 12) + 1));
    add(L, "TOMMismatch", TCA_ERROR_FORMAT_TOM, sec_u32(multi, lm.tom + 8, tca__le32(multi->p + lm.tom + 8) + 1));

    /* spec 6.2: counts that disagree with the bitmaps: one bitmap bit flipped */
    /* (in the sparse matrix every element but one has code 0, so the flipped bit moves one
     * element from Full to SignMantissa) */
    s = copy_of(sparse);
    if (s.p) {
        s.p[ls.bitmap[0] + 8 * 5] ^= 0x10; /* small tile 5, one element: code 0 -> 1 */
        fix_content_crc(&s);
    }
    add(L, "CountsMismatch", TCA_ERROR_FORMAT_TOM, s);
    /* spec 6.2: Sign_Mantissa_Length 16 larger, stream grown by 16 zero bytes in the section */
    s = copy_of(sparse);
    if (s.p) {
        memmove(s.p + ls.full + 16, s.p + ls.full, s.n - ls.full);
        memset(s.p + ls.full, 0, 16);
        s.n += 16;
        tca__st64(s.p + 40, ls.sm_len + 16);
        fix_header_crc(&s);
        fix_content_crc(&s);
    }
    add(L, "CountsMismatch", TCA_ERROR_FORMAT_TOG, s);

    /* spec 3.7: maxima */
    add(L, "Maxima", TCA_ERROR_FORMAT_MAXIMA, hdr_u32(multi, 28, tca__le32(multi->p + 28) + 16));
    add(L, "Maxima", TCA_ERROR_FORMAT_MAXIMA, hdr_u32(multi, 32, tca__le32(multi->p + 32) - 8));

    /* spec 6.4: the sparse matrix has 1 SignMantissa byte (15 padding bytes) and 4095 Full
     * elements (1 padding element) per tile */
    s = copy_of(sparse);
    if (s.p) {
        s.p[ls.sm + 1] = 0x01;
        fix_content_crc(&s);
    }
    add(L, "Padding", TCA_ERROR_FORMAT_PADDING, s);
    s = copy_of(sparse);
    if (s.p) {
        tca__st16(s.p + ls.full + 2 * 4095, 0x0001);
        fix_content_crc(&s);
    }
    add(L, "Padding", TCA_ERROR_FORMAT_PADDING, s);

    /* spec 5.1: the dense 64 x 64 matrix relabelled 63 x 64: its last row becomes padding, and it
     * holds non-zero values */
    add(L, "PadElement", TCA_ERROR_FORMAT_PAD_ELEMENT, hdr_u64(dense, 8, 63));
    add(L, "PadElement", TCA_ERROR_FORMAT_PAD_ELEMENT, hdr_u64(dense, 16, 1));

    /* spec 6.9: content checksum */
    s = copy_of(dense);
    if (s.p) s.p[s.n - 1] ^= 0x80;
    add(L, "ContentCRC", TCA_ERROR_FORMAT_CONTENT_CHECKSUM, s);
    s = copy_of(dense);
    if (s.p) s.p[ld.sm] ^= 0x01; /* a sign-mantissa byte: structure intact, value changed */
    add(L, "ContentCRC", TCA_ERROR_FORMAT_CONTENT_CHECKSUM, s);
    return TCA_OK;
}

static tca_status gen_invalid(tca__tv_gen *g)
{
    /* Base streams: sparse 64x64 (one in-window element), multi 128x128 weights (4 tiles),
     * dense 64x64 weights. */
    uint16_t *m = calloc(128 * 128, 2);
    stream sparse = {0}, multi = {0}, dense = {0};
    tca_status st = m ? TCA_OK : TCA_ERROR_ALLOC;
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(FORMAT_SEED, 1000));
    if (!st) {
        m[0] = 0x3F80; /* 1.0: the only in-window element; the rest +0 */
        st = tca__tv_encode_stream(m, 64, 64, 0, &sparse.p, &sparse.n);
    }
    if (!st) {
        for (int i = 0; i < 128 * 128; i++) m[i] = weight(&r);
        st = tca__tv_encode_stream(m, 128, 128, 0, &multi.p, &multi.n);
    }
    if (!st) st = tca__tv_encode_stream(m, 64, 64, 0, &dense.p, &dense.n);
    ilist *L = calloc(1, sizeof *L);
    if (!st && !L) st = TCA_ERROR_ALLOC;
    if (!st) st = build_invalid(L, &sparse, &multi, &dense);

    tca_tv_manifest_row row;
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    if (!st) {
        tca__tv_row(&row, "v1/format/invalid.tv", "format-invalid", "-", "quick", 0, L->n,
                    "malformed TCA-TBE streams and the rejection each must get");
        tca__tv_gen_begin(&w, &row);
        put_notes(&w, invalid_notes, sizeof invalid_notes / sizeof invalid_notes[0]);
        tca_tv_put_end(&w);
    }
    for (size_t i = 0; L && !st && i < L->n; i++) {
        icase *c = &L->c[i];
        /* self-check: the reference decoder must reject it */
        static uint16_t out[128 * 128 * 2];
        tca_status got = tca_tbe_decode_stream(c->s.p, c->s.n, out, sizeof out / 2);
        if (got == TCA_OK) {
            fprintf(stderr, "tca gen: invalid case %zu (%s) accepted by the reference decoder\n", i + 1, c->flags);
            st = TCA_ERROR_INTERNAL;
            break;
        }
        if (got != c->error && g->verbose)
            fprintf(stderr, "tca gen: note: invalid case %zu (%s): reference says %s, vector says %s\n", i + 1,
                    c->flags, tca_status_name(got), tca_status_name(c->error));
        tca_tv_put_u64(&w, "id", i + 1);
        tca_tv_put(&w, "flags", c->flags);
        tca_tv_put(&w, "result", "invalid");
        tca_tv_put(&w, "error", tca_status_name(c->error));
        tca_tv_put_bytes(&w, "stream", c->s.p, c->s.n);
        tca_tv_put_end(&w);
    }
    if (!st) st = tca__tv_gen_add(g, &row, &w);
    tca_tv_writer_free(&w);
    for (size_t i = 0; L && i < L->n; i++) free(L->c[i].s.p);
    free(L);
    free(m);
    free(sparse.p);
    free(multi.p);
    free(dense.p);
    return st;
}

/* ------------------------------------------------------------- large streams by recipe (full) */

static const struct {
    const char *recipe;
    uint64_t rows, cols;
} large_cases[] = {
    {"weights", 4096, 4096}, {"weights", 1000, 3000}, {"specials", 1024, 2048},
    {"widerange", 512, 4096}, {"smallint", 2048, 512},
};

size_t tca__tv_format_large_count(void) { return sizeof large_cases / sizeof large_cases[0]; }

void tca__tv_format_large_case(size_t i, const char **recipe, uint64_t *rows, uint64_t *cols, uint64_t *seed)
{
    *recipe = large_cases[i].recipe;
    *rows = large_cases[i].rows;
    *cols = large_cases[i].cols;
    *seed = tca_prng_derive(tca_prng_derive(FORMAT_SEED, 2000), i + 1);
}

static tca_status gen_large(tca__tv_gen *g)
{
    size_t n = sizeof large_cases / sizeof large_cases[0];
    const uint64_t seed = tca_prng_derive(FORMAT_SEED, 2000);
    tca_tv_manifest_row row;
    tca__tv_row(&row, "v1/format/large.tv", "format-recipe", "-", "full", seed, n,
                "large matrices drawn by recipe; stream and decoded values by SHA-256");
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    tca__tv_gen_begin(&w, &row);
    tca_tv_put(&w, "notes.Recipe", "W is drawn by the recipe from the record seed (vectors 2.3) and encoded (spec 4.5)");
    tca_tv_put_end(&w);
    tca_status st = TCA_OK;
    for (size_t i = 0; i < n && !st; i++) {
        uint64_t rows = large_cases[i].rows, cols = large_cases[i].cols, rs = tca_prng_derive(seed, i + 1);
        uint16_t *m = malloc(rows * cols * 2);
        uint8_t *s = NULL;
        size_t sn = 0;
        if (!m) st = TCA_ERROR_ALLOC;
        if (!st) st = tca_tv_fill_matrix(large_cases[i].recipe, rs, m, rows, cols);
        if (!st) st = tca__tv_encode_stream(m, rows, cols, 0, &s, &sn);
        if (!st) {
            uint8_t d[32];
            tca_tv_put_u64(&w, "id", i + 1);
            tca_tv_put(&w, "flags", (rows % 64 || cols % 64) ? "Recipe Ragged MultiTile" : "Recipe MultiTile");
            tca_tv_put(&w, "result", "valid");
            tca_tv_put_u64(&w, "rows", rows);
            tca_tv_put_u64(&w, "cols", cols);
            tca_tv_put(&w, "recipe", large_cases[i].recipe);
            tca_tv_put_x64(&w, "seed", rs);
            tca_sha256(s, sn, d);
            tca_tv_put_sha256(&w, "stream", d);
            tca_tv_digest16(m, rows * cols, d);
            tca_tv_put_sha256(&w, "decoded", d);
            tca_tv_put_end(&w);
        }
        free(m);
        free(s);
    }
    if (!st) st = tca__tv_gen_add(g, &row, &w);
    tca_tv_writer_free(&w);
    return st;
}

tca_status tca__tv_gen_format(tca__tv_gen *g)
{
    tca_status st = gen_valid(g);
    if (!st) st = gen_invalid(g);
    if (!st) st = tca__tv_gen_container(g);
    if (!st && g->full) st = gen_large(g);
    if (!st) st = tca__tv_gen_format_f(g);
    return st;
}
