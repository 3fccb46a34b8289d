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
#include "tca/tbe_f.h"
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
uint16_t tca__tv_with_exp(tca_prng *r, unsigned e)
{
    uint64_t d = tca_prng_u64(r);
    return (uint16_t)(((d & 1u) << 15) | (e << 7) | ((d >> 1) & 0x7Fu));
}
static void fill_window_low(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    for (uint64_t i = 0; i < m * k; i++) w[i] = tca__tv_with_exp(r, 1 + (unsigned)tca_prng_below(r, 7));
    for (uint64_t i = 0; i < m * k; i += 13) w[i] = 0; /* zeros (fallback) */
}
static void fill_d1(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    for (uint64_t i = 0; i < m * k; i++) w[i] = tca__tv_with_exp(r, (unsigned)tca_prng_below(r, 8));
}
static void fill_window_high(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    for (uint64_t i = 0; i < m * k; i++) w[i] = tca__tv_with_exp(r, 249 + (unsigned)tca_prng_below(r, 7));
}
static void fill_subnormal_only(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    for (uint64_t i = 0; i < m * k; i++) w[i] = (uint16_t)(tca_prng_u64(r) & 0x807Fu);
}
static void fill_one_exponent(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    for (uint64_t i = 0; i < m * k; i++) w[i] = tca__tv_with_exp(r, 120);
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
        for (uint64_t j = 0; j < 128 && j < k; j++) w[i * k + j] = j < 64 ? 0 : tca__tv_with_exp(r, 121);
}

static const tca__tv_vcase valid_cases[] = {
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

/* The matrix of valid record i + 1 (vectors 5.1) is drawn from derive(FORMAT_SEED, i + 1); layout
 * F's valid records 1..27 are the same matrices (vectors 5.5). */
tca__tv_vgroup tca__tv_format_v1_valid(const char *flags_suffix)
{
    tca__tv_vgroup grp = {valid_cases, sizeof valid_cases / sizeof valid_cases[0], FORMAT_SEED, 1, flags_suffix};
    return grp;
}

/* One valid record: the stream of m in the given layout, with its decoded values (vectors 5.1). */
static tca_status put_valid(tca_tv_writer *w, int layout_f, uint64_t id, const char *flags, const uint16_t *m,
                            uint64_t rows, uint64_t cols, int window_start)
{
    uint64_t elems = rows * cols;
    uint8_t *s = NULL, *v1 = NULL, *tr = NULL;
    size_t sn = 0, v1n = 0, trn = 0;
    uint16_t *back = malloc(elems * 2);
    tca_status st = back ? TCA_OK : TCA_ERROR_ALLOC;
    if (!st) st = tca__tv_encode_stream_layout(layout_f, m, rows, cols, window_start, &s, &sn);
    /* self-checks: the reference decoder gives the matrix back, and (layout F) the transcoder maps
     * the v1 stream of the same matrix and window to exactly these bytes (spec 8.9) */
    if (!st) st = layout_f ? tca_tbe_any_decode_stream(s, sn, back, elems) : tca_tbe_decode_stream(s, sn, back, elems);
    if (!st && memcmp(m, back, elems * 2)) st = TCA_ERROR_INTERNAL;
    if (!st && layout_f) {
        st = tca__tv_encode_stream_layout(0, m, rows, cols, window_start, &v1, &v1n);
        if (!st) st = tca_tbe_transcode_stream(v1, v1n, TCA_LAYOUT_F, NULL, &tr, &trn);
        if (!st && (trn != sn || memcmp(tr, s, sn))) st = TCA_ERROR_INTERNAL;
    }
    if (!st) {
        tca_tv_put_u64(w, "id", id);
        tca_tv_put(w, "flags", flags);
        tca_tv_put(w, "result", "valid");
        tca_tv_put_u64(w, "rows", rows);
        tca_tv_put_u64(w, "cols", cols);
        tca_tv_put_bytes(w, "stream", s, sn);
        if (elems <= INLINE_MAX) {
            tca_tv_put_hex16(w, "decoded", m, elems);
        } else {
            uint8_t d[32];
            tca_tv_digest16(m, elems, d);
            tca_tv_put_sha256(w, "decoded", d);
        }
        tca_tv_put_end(w);
    } else {
        fprintf(stderr, "tca gen: %s valid case %llu: %s\n", layout_f ? "layout F" : "format", (unsigned long long)id,
                tca_status_name(st));
    }
    free(back);
    free(s);
    free(v1);
    tca_free(NULL, tr);
    return st;
}

/* The pair of notes named name, or NULL. */
static const char *const *find_note(const char *const notes[][2], size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(notes[i][0], name)) return notes[i];
    return NULL;
}

/* vectors 3.5: header keys notes.<name> = <text>, one per flag the records use: the pairs of base
 * (with the text of own's pair of the same name where it has one), then the other pairs of own */
static void put_notes(tca_tv_writer *w, const char *const base[][2], size_t n_base, const char *const own[][2],
                      size_t n_own)
{
    char key[80];
    for (size_t i = 0; i < n_base + n_own; i++) {
        const char *const *note = i < n_base ? base[i] : own[i - n_base];
        if (i >= n_base && find_note(base, n_base, note[0])) continue; /* given in base's place */
        const char *const *mine = i < n_base ? find_note(own, n_own, note[0]) : NULL;
        snprintf(key, sizeof key, "notes.%s", note[0]);
        tca_tv_put(w, key, mine ? mine[1] : note[1]);
    }
}

/* vectors 3.5, 8.3: a file says the corpus version that introduced it: 1.0.0 for the v1 files,
 * 1.1.0 for the layout F ones */
static void begin_file(tca_tv_writer *w, int layout_f, const tca_tv_manifest_row *row, const char *const base[][2],
                       size_t n_base, const char *const own[][2], size_t n_own)
{
    tca__tv_gen_begin_layout(w, row, layout_f ? TCA_TV_FILES_1_1 : TCA_TV_FILES_1_0, layout_f);
    put_notes(w, base, n_base, own, n_own);
    tca_tv_put_end(w);
}

tca_status tca__tv_gen_valid_file(tca__tv_gen *g, int layout_f, const char *path, uint64_t seed, const char *description,
                                  const char *const notes[][2], size_t n_notes, const tca__tv_vgroup *groups,
                                  size_t n_groups)
{
    uint64_t count = 0;
    for (size_t k = 0; k < n_groups; k++) count += groups[k].n;
    tca_tv_manifest_row row;
    tca__tv_row(&row, path, "format", "-", "quick", seed, count, description);
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    begin_file(&w, layout_f, &row, valid_notes, sizeof valid_notes / sizeof valid_notes[0], notes, n_notes);
    tca_status st = TCA_OK;
    for (size_t k = 0; k < n_groups && !st; k++) {
        const tca__tv_vgroup *grp = &groups[k];
        for (size_t i = 0; i < grp->n && !st; i++) {
            const tca__tv_vcase *c = &grp->cases[i];
            uint64_t id = grp->first_id + i;
            uint16_t *m = malloc(c->rows * c->cols * 2);
            char fl[200];
            snprintf(fl, sizeof fl, "%s%s", c->flags, grp->flags_suffix ? grp->flags_suffix : "");
            tca_prng r;
            tca_prng_seed(&r, tca_prng_derive(grp->seed, id));
            st = m ? TCA_OK : TCA_ERROR_ALLOC;
            if (!st) {
                c->fill(&r, m, c->rows, c->cols);
                st = put_valid(&w, layout_f, id, fl, m, c->rows, c->cols, c->window_start);
            }
            free(m);
        }
    }
    if (!st) st = tca__tv_gen_add(g, &row, &w);
    tca_tv_writer_free(&w);
    return st;
}

static tca_status gen_valid(tca__tv_gen *g)
{
    tca__tv_vgroup v1 = tca__tv_format_v1_valid(NULL);
    return tca__tv_gen_valid_file(g, 0, "v1/format/valid.tv", FORMAT_SEED,
                                  "valid TCA-TBE streams with their decoded BF16", NULL, 0, &v1, 1);
}

/* ------------------------------------------------------------------------- invalid streams */

/* Offsets of the sections of a well-formed stream (spec 6.8). */
typedef struct layout {
    size_t bitmap[3], tom, tog, sm, full, crc, end;
    uint64_t sm_len, full_len, n_global;
} layout;

static int layout_of(const tca__tv_stream *s, layout *l)
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

void tca__tv_fix_header_crc(tca__tv_stream *s) { tca__st32(s->p + 60, tca_crc32c(s->p, 60)); }
void tca__tv_fix_content_crc(tca__tv_stream *s)
{
    /* spec 6.9, 8.7: CRC-32C over every section byte; the flag is set by the generator */
    if (s->n >= 68) tca__st32(s->p + s->n - 4, tca_crc32c(s->p + 64, s->n - 68));
}

tca__tv_stream tca__tv_copy_of(const tca__tv_stream *b, size_t extra)
{
    tca__tv_stream s = {malloc(b->n + extra + 64), b->n};
    if (s.p) memcpy(s.p, b->p, b->n);
    return s;
}

void tca__tv_add_invalid(tca__tv_ilist *l, const char *flags, const char *rule, tca_status error, tca__tv_stream s)
{
    if (l->n < TCA__TV_ICASES_MAX && s.p) {
        l->c[l->n].flags = flags;
        l->c[l->n].rule = rule;
        l->c[l->n].error = error;
        l->c[l->n].s = s;
        l->n++;
    } else {
        free(s.p);
    }
}

static void ilist_free(tca__tv_ilist *L)
{
    for (size_t i = 0; L && i < L->n; i++) free(L->c[i].s.p);
    free(L);
}

/* A field of `bytes` bytes set to v, with the header checksum (spec 3.8) or the content checksum
 * (spec 6.9, 8.7) repaired so that only the field under test is wrong. */
static tca__tv_stream set_field(const tca__tv_stream *b, size_t off, unsigned bytes, uint64_t v, int content)
{
    tca__tv_stream s = tca__tv_copy_of(b, 0);
    if (!s.p) return s;
    if (bytes == 1) s.p[off] = (uint8_t)v;
    else if (bytes == 4) tca__st32(s.p + off, (uint32_t)v);
    else tca__st64(s.p + off, v);
    if (content) tca__tv_fix_content_crc(&s);
    else tca__tv_fix_header_crc(&s);
    return s;
}
tca__tv_stream tca__tv_hdr_byte(const tca__tv_stream *b, size_t off, uint8_t v) { return set_field(b, off, 1, v, 0); }
tca__tv_stream tca__tv_hdr_u32(const tca__tv_stream *b, size_t off, uint32_t v) { return set_field(b, off, 4, v, 0); }
tca__tv_stream tca__tv_hdr_u64(const tca__tv_stream *b, size_t off, uint64_t v) { return set_field(b, off, 8, v, 0); }
tca__tv_stream tca__tv_sec_u32(const tca__tv_stream *b, size_t off, uint32_t v) { return set_field(b, off, 4, v, 1); }
tca__tv_stream tca__tv_sec_u64(const tca__tv_stream *b, size_t off, uint64_t v) { return set_field(b, off, 8, v, 1); }

/* v1 records name no rule (the rules F1-F21 are layout F's, spec 8.8) */
static void add(tca__tv_ilist *L, const char *flags, tca_status error, tca__tv_stream s)
{
    tca__tv_add_invalid(L, flags, NULL, error, s);
}

/* base: the sparse, multi and dense streams of gen_invalid */
static tca_status build_invalid(tca__tv_ilist *L, const tca__tv_stream *base)
{
    const tca__tv_stream *sparse = &base[0], *multi = &base[1], *dense = &base[2];
    layout ls, lm, ld;
    if (!layout_of(sparse, &ls) || !layout_of(multi, &lm) || !layout_of(dense, &ld)) return TCA_ERROR_INTERNAL;
    tca__tv_stream s;

    /* spec 6.8: truncation and trailing bytes */
    s = tca__tv_copy_of(multi, 0);
    s.n -= 1;
    add(L, "Truncated", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = tca__tv_copy_of(multi, 0);
    s.n = lm.sm; /* cut at a section boundary */
    add(L, "Truncated", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = tca__tv_copy_of(multi, 0);
    s.n = 63;
    add(L, "Truncated", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = tca__tv_copy_of(multi, 0);
    s.n = 0;
    add(L, "Truncated", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = tca__tv_copy_of(multi, 0);
    if (s.p) s.p[s.n++] = 0;
    add(L, "Trailing", TCA_ERROR_FORMAT_TRAILING, s);

    /* spec 3.1-3.4, 3.8: header fields */
    s = tca__tv_copy_of(sparse, 0);
    if (s.p) s.p[0] = 0x88;
    add(L, "Magic", TCA_ERROR_FORMAT_MAGIC, s);
    add(L, "Version", TCA_ERROR_FORMAT_VERSION, tca__tv_hdr_byte(sparse, 4, 2));
    add(L, "Version", TCA_ERROR_FORMAT_VERSION, tca__tv_hdr_byte(sparse, 4, 0));
    add(L, "Layout", TCA_ERROR_FORMAT_LAYOUT, tca__tv_hdr_byte(sparse, 6, 2));
    add(L, "Layout", TCA_ERROR_FORMAT_LAYOUT, tca__tv_hdr_byte(sparse, 6, 0xFF));
    add(L, "ReservedBits", TCA_ERROR_FORMAT_RESERVED, tca__tv_hdr_byte(sparse, 7, 0x03));
    add(L, "ReservedBits", TCA_ERROR_FORMAT_RESERVED, tca__tv_hdr_byte(sparse, 7, 0x81));
    add(L, "ReservedBits", TCA_ERROR_FORMAT_RESERVED, tca__tv_hdr_byte(sparse, 25, 0x01));
    add(L, "ReservedBits", TCA_ERROR_FORMAT_RESERVED, tca__tv_hdr_byte(sparse, 39, 0x80));
    add(L, "ReservedBits", TCA_ERROR_FORMAT_RESERVED, tca__tv_hdr_byte(sparse, 56, 0x01));
    s = tca__tv_copy_of(sparse, 0);
    if (s.p) s.p[60] ^= 0x01;
    add(L, "HeaderCRC", TCA_ERROR_FORMAT_HEADER_CHECKSUM, s);
    s = tca__tv_copy_of(sparse, 0);
    if (s.p) s.p[8] ^= 0x01; /* Rows changed, checksum not repaired */
    add(L, "HeaderCRC", TCA_ERROR_FORMAT_HEADER_CHECKSUM, s);

    /* spec 3.6: base out of range; D1's wrapped base 255 and the first illegal value 249 */
    add(L, "BaseOutOfRange", TCA_ERROR_FORMAT_BASE_RANGE, tca__tv_hdr_byte(dense, 24, 249));
    add(L, "BaseOutOfRange", TCA_ERROR_FORMAT_BASE_RANGE, tca__tv_hdr_byte(dense, 24, 255));
    add(L, "BaseOutOfRange", TCA_ERROR_FORMAT_BASE_RANGE, tca__tv_hdr_byte(sparse, 24, 255));

    /* spec 3.5: shapes */
    add(L, "Shape", TCA_ERROR_FORMAT_SHAPE, tca__tv_hdr_u64(sparse, 8, 0));
    add(L, "Shape", TCA_ERROR_FORMAT_SHAPE, tca__tv_hdr_u64(sparse, 16, 0));
    add(L, "Shape", TCA_ERROR_FORMAT_SHAPE, tca__tv_hdr_u64(sparse, 8, (1ull << 32) + 1));
    add(L, "Shape", TCA_ERROR_FORMAT_SHAPE, tca__tv_hdr_u64(sparse, 16, UINT64_MAX));
    s = tca__tv_hdr_u64(sparse, 8, 1ull << 32); /* 2^32 x 2^32: padded product 2^64 > 2^44 */
    if (s.p) {
        tca__st64(s.p + 16, 1ull << 32);
        tca__tv_fix_header_crc(&s);
    }
    add(L, "Shape", TCA_ERROR_FORMAT_SHAPE, s);

    /* spec 6.6: TOG of the 4-tile matrix: entries 1 and 2 swapped; TOG[0] not zero */
    s = tca__tv_copy_of(multi, 0);
    if (s.p) {
        uint8_t t[16];
        memcpy(t, s.p + lm.tog + 16, 16);
        memcpy(s.p + lm.tog + 16, s.p + lm.tog + 32, 16);
        memcpy(s.p + lm.tog + 32, t, 16);
        tca__tv_fix_content_crc(&s);
    }
    add(L, "TOGNotMonotone", TCA_ERROR_FORMAT_TOG, s);
    add(L, "TOGNotMonotone", TCA_ERROR_FORMAT_TOG, tca__tv_sec_u64(multi, lm.tog, 16));
    add(L, "TOGNotMonotone", TCA_ERROR_FORMAT_TOG,
        tca__tv_sec_u64(multi, lm.tog + 16, tca__le64(multi->p + lm.tog + 16) + 16));

    /* spec 6.5: a TOM entry off by one element */
    add(L, "TOMMismatch", TCA_ERROR_FORMAT_TOM, tca__tv_sec_u32(multi, lm.tom + 8 + 4, tca__le32(multi->p + lm.tom + 12) + 1));
    add(L, "TOMMismatch", TCA_ERROR_FORMAT_TOM, tca__tv_sec_u32(multi, lm.tom + 8, tca__le32(multi->p + lm.tom + 8) + 1));

    /* spec 6.2: counts that disagree with the bitmaps: one bitmap bit flipped */
    /* (in the sparse matrix every element but one has code 0, so the flipped bit moves one
     * element from Full to SignMantissa) */
    s = tca__tv_copy_of(sparse, 0);
    if (s.p) {
        s.p[ls.bitmap[0] + 8 * 5] ^= 0x10; /* small tile 5, one element: code 0 -> 1 */
        tca__tv_fix_content_crc(&s);
    }
    add(L, "CountsMismatch", TCA_ERROR_FORMAT_TOM, s);
    /* spec 6.2: Sign_Mantissa_Length 16 larger, stream grown by 16 zero bytes in the section */
    s = tca__tv_copy_of(sparse, 0);
    if (s.p) {
        memmove(s.p + ls.full + 16, s.p + ls.full, s.n - ls.full);
        memset(s.p + ls.full, 0, 16);
        s.n += 16;
        tca__st64(s.p + 40, ls.sm_len + 16);
        tca__tv_fix_header_crc(&s);
        tca__tv_fix_content_crc(&s);
    }
    add(L, "CountsMismatch", TCA_ERROR_FORMAT_TOG, s);

    /* spec 3.7: maxima */
    add(L, "Maxima", TCA_ERROR_FORMAT_MAXIMA, tca__tv_hdr_u32(multi, 28, tca__le32(multi->p + 28) + 16));
    add(L, "Maxima", TCA_ERROR_FORMAT_MAXIMA, tca__tv_hdr_u32(multi, 32, tca__le32(multi->p + 32) - 8));

    /* spec 6.4: the sparse matrix has 1 SignMantissa byte (15 padding bytes) and 4095 Full
     * elements (1 padding element) per tile */
    s = tca__tv_copy_of(sparse, 0);
    if (s.p) {
        s.p[ls.sm + 1] = 0x01;
        tca__tv_fix_content_crc(&s);
    }
    add(L, "Padding", TCA_ERROR_FORMAT_PADDING, s);
    s = tca__tv_copy_of(sparse, 0);
    if (s.p) {
        tca__st16(s.p + ls.full + 2 * 4095, 0x0001);
        tca__tv_fix_content_crc(&s);
    }
    add(L, "Padding", TCA_ERROR_FORMAT_PADDING, s);

    /* spec 5.1: the dense 64 x 64 matrix relabelled 63 x 64: its last row becomes padding, and it
     * holds non-zero values */
    add(L, "PadElement", TCA_ERROR_FORMAT_PAD_ELEMENT, tca__tv_hdr_u64(dense, 8, 63));
    add(L, "PadElement", TCA_ERROR_FORMAT_PAD_ELEMENT, tca__tv_hdr_u64(dense, 16, 1));

    /* spec 6.9: content checksum */
    s = tca__tv_copy_of(dense, 0);
    if (s.p) s.p[s.n - 1] ^= 0x80;
    add(L, "ContentCRC", TCA_ERROR_FORMAT_CONTENT_CHECKSUM, s);
    s = tca__tv_copy_of(dense, 0);
    if (s.p) s.p[ld.sm] ^= 0x01; /* a sign-mantissa byte: structure intact, value changed */
    add(L, "ContentCRC", TCA_ERROR_FORMAT_CONTENT_CHECKSUM, s);
    return TCA_OK;
}

/* The file of the invalid records of L (vectors 5.2, 5.5). */
static tca_status write_invalid(tca__tv_gen *g, int layout_f, const tca__tv_ilist *L, const char *path,
                                const char *description, const char *const notes[][2], size_t n_notes)
{
    tca_tv_manifest_row row;
    tca__tv_row(&row, path, "format-invalid", "-", "quick", 0, L->n, description);
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    begin_file(&w, layout_f, &row, notes, n_notes, NULL, 0);
    tca_status st = TCA_OK;
    for (size_t i = 0; i < L->n; i++) {
        const tca__tv_icase *c = &L->c[i];
        /* self-check: the reference decoder must reject it; layout F: with exactly the status of
         * the broken rule (the order of spec 8.8 is normative) */
        static uint16_t out[128 * 128 * 2];
        tca_status got = layout_f ? tca_tbe_any_decode_stream(c->s.p, c->s.n, out, sizeof out / 2)
                                  : tca_tbe_decode_stream(c->s.p, c->s.n, out, sizeof out / 2);
        if (got == TCA_OK || (layout_f && got != c->error)) {
            fprintf(stderr, "tca gen: %s invalid case %zu (%s, %s): reference says %s, expected %s\n",
                    layout_f ? "layout F" : "format", i + 1, c->flags, c->rule ? c->rule : "-", tca_status_name(got),
                    tca_status_name(c->error));
            st = TCA_ERROR_INTERNAL;
            break;
        }
        if (got != c->error && g->verbose)
            fprintf(stderr, "tca gen: note: invalid case %zu (%s): reference says %s, vector says %s\n", i + 1,
                    c->flags, tca_status_name(got), tca_status_name(c->error));
        tca_tv_put_u64(&w, "id", i + 1);
        tca_tv_put(&w, "flags", c->flags);
        if (c->rule) tca_tv_put(&w, "rule", c->rule);
        tca_tv_put(&w, "result", "invalid");
        tca_tv_put(&w, "error", tca_status_name(c->error));
        tca_tv_put_bytes(&w, "stream", c->s.p, c->s.n);
        tca_tv_put_end(&w);
    }
    if (!st) st = tca__tv_gen_add(g, &row, &w);
    tca_tv_writer_free(&w);
    return st;
}

tca_status tca__tv_gen_invalid_file(tca__tv_gen *g, int layout_f, tca__tv_build_invalid build,
                                    const tca__tv_stream *base, const char *path, const char *description,
                                    const char *const notes[][2], size_t n_notes)
{
    tca__tv_ilist *L = calloc(1, sizeof *L);
    tca_status st = L ? build(L, base) : TCA_ERROR_ALLOC;
    if (!st) st = write_invalid(g, layout_f, L, path, description, notes, n_notes);
    ilist_free(L);
    return st;
}

static tca_status gen_invalid(tca__tv_gen *g)
{
    /* Base streams: sparse 64x64 (one in-window element), multi 128x128 weights (4 tiles),
     * dense 64x64 weights. */
    uint16_t *m = calloc(128 * 128, 2);
    tca__tv_stream base[3] = {{0}}; /* sparse, multi, dense */
    tca_status st = m ? TCA_OK : TCA_ERROR_ALLOC;
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(FORMAT_SEED, 1000));
    if (!st) {
        m[0] = 0x3F80; /* 1.0: the only in-window element; the rest +0 */
        st = tca__tv_encode_stream_layout(0, m, 64, 64, 0, &base[0].p, &base[0].n);
    }
    if (!st) {
        for (int i = 0; i < 128 * 128; i++) m[i] = weight(&r);
        st = tca__tv_encode_stream_layout(0, m, 128, 128, 0, &base[1].p, &base[1].n);
    }
    if (!st) st = tca__tv_encode_stream_layout(0, m, 64, 64, 0, &base[2].p, &base[2].n);
    if (!st)
        st = tca__tv_gen_invalid_file(g, 0, build_invalid, base, "v1/format/invalid.tv",
                                      "malformed TCA-TBE streams and the rejection each must get", invalid_notes,
                                      sizeof invalid_notes / sizeof invalid_notes[0]);
    free(m);
    for (int k = 0; k < 3; k++) free(base[k].p);
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

tca_status tca__tv_gen_large_file(tca__tv_gen *g, int layout_f, const char *path, const char *description,
                                  const char *const notes[][2], size_t n_notes)
{
    size_t n = sizeof large_cases / sizeof large_cases[0];
    const uint64_t seed = tca_prng_derive(FORMAT_SEED, 2000);
    tca_tv_manifest_row row;
    tca__tv_row(&row, path, "format-recipe", "-", "full", seed, n, description);
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    begin_file(&w, layout_f, &row, notes, n_notes, NULL, 0);
    tca_status st = TCA_OK;
    for (size_t i = 0; i < n && !st; i++) {
        uint64_t rows = large_cases[i].rows, cols = large_cases[i].cols, rs = tca_prng_derive(seed, i + 1);
        uint16_t *m = malloc(rows * cols * 2);
        uint8_t *s = NULL;
        size_t sn = 0;
        if (!m) st = TCA_ERROR_ALLOC;
        if (!st) st = tca_tv_fill_matrix(large_cases[i].recipe, rs, m, rows, cols);
        if (!st) st = tca__tv_encode_stream_layout(layout_f, m, rows, cols, 0, &s, &sn);
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

static tca_status gen_large(tca__tv_gen *g)
{
    static const char *const notes[][2] = {
        {"Recipe", "W is drawn by the recipe from the record seed (vectors 2.3) and encoded (spec 4.5)"},
    };
    return tca__tv_gen_large_file(g, 0, "v1/format/large.tv",
                                  "large matrices drawn by recipe; stream and decoded values by SHA-256", notes, 1);
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
