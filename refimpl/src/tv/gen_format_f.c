/* SPDX-License-Identifier: Apache-2.0 */
/* Layout F format vectors (spec/tca-test-vectors.md 5.5): v1/format/f/valid.tv, invalid.tv and
 * large.tv, the layout F counterparts of v1/format/{valid,invalid,large}.tv.
 *
 * Valid records 1..27 hold the same matrices as the v1 valid records with the same ids (a
 * decoder that passes one and fails the other has a layout defect, not a value defect); records
 * 101.. exercise what only layout F has: per-lane exception counts from 0 to 32 (the rare path of
 * a kernel that keeps up to 8 exceptions per lane in registers), every code in every nibble and
 * in the slice-3 spare bits, per-strip counts at the 16-byte padding boundaries. Each invalid
 * stream breaks one rule of spec 8.8 (F1-F21) and names the exact status the rule gives: the
 * order of the F rules is normative, and `tca gen` checks that the reference reports exactly
 * that status. The expected values never come from the decoder: a valid stream decodes to the
 * matrix it was encoded from, and the generator also checks that the v1 -> F transcoder gives
 * the same bytes as the encoder (spec 8.9). */
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

#define FORMAT_F_SEED 0x5443412d464d5446ull /* "TCA-FMTF" */
#define INLINE_MAX 4096u
#define STRIP 1408u /* spec 8.2 */

static const char *const valid_f_notes[][2] = {
    {"Zeros", "every element +0 or -0: all fallback, exponent 0 never in a window"},
    {"SignedZero", "-0 (0x8000) must decode to -0, +0 to +0"},
    {"NaNPayload", "NaNs with distinct payloads and signs must decode bit for bit (no canonicalisation)"},
    {"Inf", "+Inf and -Inf elements"},
    {"Subnormal", "exponent-0 nonzero values (always fallback)"},
    {"WindowLow", "window at exponents 1..7: base 0, the lowest legal base (spec 3.6, defect D1)"},
    {"D1Trigger", "exponents 0..7 all present: the original selector picked w0 = 0 and wrapped the base"},
    {"WindowHigh", "window at exponents 249..255: base 248, exponent 255 (Inf/NaN) coded in the window"},
    {"AllFallback", "no element in the window: every strip has 1024 exceptions (32 per lane)"},
    {"ForcedWindow", "encoder window forced away from the data (any w0 in 1..249 is a valid encoding)"},
    {"OneExponent", "every element has the same exponent"},
    {"Weights", "realistic weights: N(0, 0.02^2) rounded to BF16 with 1/64 exact zeros"},
    {"RandomBits", "uniform random 16-bit patterns"},
    {"Ragged", "rows or cols not a multiple of 64: padding elements, partial and empty strips (spec 5.1, 8.2)"},
    {"MultiTile", "several global tiles: Exception_Offsets across tiles (spec 8.6)"},
    {"MaximaFromOtherTile", "Max_Exceptions from one strip, the other strips smaller"},
    {"LaneSkew", "lane l of strip 0 has l exceptions, of strip 1 32 - l: start(l) and rank(l, e) of spec 8.5"},
    {"RarePath", "lanes with more than 8 exceptions in a strip (up to 32)"},
    {"SpareBits", "every code 1..7 at every nibble of every slice: slice 3 in the spare bits (spec 8.3)"},
    {"ExceptionCounts", "strips with 0, 1, 15, 16, 17, 31, 32 and 1024 exceptions: 16-byte padding (spec 8.5)"},
    {"SameMatrixAsV1", "the matrix of v1/format/valid.tv record with the same id"},
};

static const char *const invalid_f_notes[][2] = {
    {"Truncated", "input shorter than 64 bytes (F1) or than the stream size (F11)"},
    {"Trailing", "bytes after the last section (F12)"},
    {"Magic", "Magic_Number wrong (F2)"},
    {"Version", "Format_Version_Major not 1 (F3)"},
    {"HeaderCRC", "Header_Checksum mismatch (F4)"},
    {"Layout", "Layout byte 2..255 (F5)"},
    {"ReservedBits", "Flags bits 1-7 or a Reserved byte set, including v1's Max_Full and Full_Length bytes (F6)"},
    {"Shape", "Rows or Cols zero or beyond the limits (F7)"},
    {"BaseOutOfRange", "Base_Exponent 249..255 (F8, defect D1)"},
    {"ExceptionLength", "Exception_Length not a multiple of 16 or above 1024 per strip (F9)"},
    {"Maxima", "Max_Exceptions out of bounds (F10) or not the maximum (F19)"},
    {"ExceptionOffsets", "Exception_Offsets not zero-based (F13) or not the prefix sums of the counts (F14)"},
    {"CodesDisagree", "codes changed so that a strip's exception count no longer matches the offsets (F14)"},
    {"NonMinimalPadding", "a strip's exception slice padded by 16 more bytes than needed (F14)"},
    {"CountsMismatch", "Exception_Length disagrees with the offsets (F15, F18)"},
    {"Padding", "a nonzero exception padding byte (F16)"},
    {"PadElement", "an element outside the logical shape is not +0 (F17)"},
    {"ContentCRC", "Content_Checksum mismatch (F20)"},
    {"NonCanonical", "an exception byte inside the window (F21)"},
};

static void put_notes(tca_tv_writer *w, const char *const notes[][2], size_t n)
{
    char key[80];
    for (size_t i = 0; i < n; i++) {
        snprintf(key, sizeof key, "notes.%s", notes[i][0]);
        tca_tv_put(w, key, notes[i][1]);
    }
}

/* spec 8.2: lane l and lane element index e = 8 i + n of strip element (r, c) */
static unsigned lane_of(unsigned r, unsigned c) { return 4u * (r % 8u) + (c % 8u) / 2u; }
static unsigned elem_of(unsigned r, unsigned c)
{
    return 8u * (c / 16u) + 2u * ((r / 8u) + 2u * ((c % 16u) / 8u)) + c % 2u;
}

static uint16_t with_exp(tca_prng *r, unsigned e)
{
    uint64_t d = tca_prng_u64(r);
    return (uint16_t)(((d & 1u) << 15) | (e << 7) | ((d >> 1) & 0x7Fu));
}

/* ------------------------------------------------------------- layout F specific matrices */

/* 64 x 64 (one global tile, strips 0-3). Strip 0: lane l's elements with e < l are fallback;
 * strip 1: e >= l; strips 2, 3: lane l has (l * 7) % 33 fallback elements. In-window elements
 * have exponents 120..126, fallback ones 0 (zeros and subnormals) or 200. */
static void fill_lane_skew(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    (void)m;
    for (unsigned row = 0; row < 64; row++)
        for (unsigned col = 0; col < 64; col++) {
            unsigned s = row / 16, l = lane_of(row % 16, col), e = elem_of(row % 16, col);
            int fb = s == 0 ? e < l : s == 1 ? e >= l : e < (l * 7u) % 33u;
            uint16_t v = fb ? with_exp(r, (e & 1) ? 200 : 0) : with_exp(r, 120 + (e % 7));
            w[row * k + col] = v;
        }
}

/* 64 x 64: every code 1..7 in every nibble position (exponent w0 + (lane + e) % 7 with w0 = 100),
 * every 9th element a fallback with exponent 30. */
static void fill_spare_bits(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    (void)m;
    for (unsigned row = 0; row < 64; row++)
        for (unsigned col = 0; col < 64; col++) {
            unsigned idx = row * 64 + col, l = lane_of(row % 16, col), e = elem_of(row % 16, col);
            w[row * k + col] = idx % 9 == 4 ? with_exp(r, 30) : with_exp(r, 100 + (l + e + row / 16) % 7);
        }
}

/* 64 x 128 (two global tiles, 8 strips): strip s has exactly cnt[s] fallback elements, the first
 * ones in lane-major order (spec 8.5), so lanes hold 0 or 32 exceptions and one lane a part. */
static void fill_exception_counts(tca_prng *r, uint16_t *w, uint64_t m, uint64_t k)
{
    static const unsigned cnt[8] = {0, 1, 15, 16, 17, 31, 32, 1024};
    static const unsigned out_exp[4] = {0, 255, 1, 200};
    (void)m;
    for (unsigned g = 0; g < 2; g++)
        for (unsigned med = 0; med < 4; med++)
            for (unsigned rr = 0; rr < 16; rr++)
                for (unsigned cc = 0; cc < 64; cc++) {
                    unsigned s = 4 * g + med, rank = 32 * lane_of(rr, cc) + elem_of(rr, cc);
                    uint16_t v = rank < cnt[s] ? with_exp(r, out_exp[rank % 4]) : with_exp(r, 127);
                    w[(16 * med + rr) * k + 64 * g + cc] = v;
                }
}

typedef struct fcase {
    uint64_t id;
    const char *flags;
    uint64_t rows, cols;
    void (*fill)(tca_prng *r, uint16_t *w, uint64_t rows, uint64_t cols);
} fcase;

static const fcase f_cases[] = {
    {101, "LaneSkew RarePath", 64, 64, fill_lane_skew},
    {102, "SpareBits", 64, 64, fill_spare_bits},
    {103, "ExceptionCounts RarePath MultiTile MaximaFromOtherTile", 64, 128, fill_exception_counts},
};

static tca_status put_valid(tca_tv_writer *w, uint64_t id, const char *flags, const uint16_t *m, uint64_t rows,
                            uint64_t cols, int window_start)
{
    uint64_t elems = rows * cols;
    uint8_t *s = NULL, *v1 = NULL, *tr = NULL;
    size_t sn = 0, v1n = 0, trn = 0;
    uint16_t *back = malloc(elems * 2);
    tca_status st = back ? TCA_OK : TCA_ERROR_ALLOC;
    if (!st) st = tca__tv_encode_stream_f(m, rows, cols, window_start, &s, &sn);
    /* self-checks: the reference decoder gives the matrix back, and the transcoder maps the v1
     * stream of the same matrix and window to exactly these bytes (spec 8.9) */
    if (!st) st = tca_tbe_any_decode_stream(s, sn, back, elems);
    if (!st && memcmp(m, back, elems * 2)) st = TCA_ERROR_INTERNAL;
    if (!st) st = tca__tv_encode_stream(m, rows, cols, window_start, &v1, &v1n);
    if (!st) st = tca_tbe_transcode_stream(v1, v1n, TCA_LAYOUT_F, NULL, &tr, &trn);
    if (!st && (trn != sn || memcmp(tr, s, sn))) st = TCA_ERROR_INTERNAL;
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
        fprintf(stderr, "tca gen: layout F valid case %llu: %s\n", (unsigned long long)id, tca_status_name(st));
    }
    free(back);
    free(s);
    free(v1);
    tca_free(NULL, tr);
    return st;
}

static tca_status gen_valid_f(tca__tv_gen *g)
{
    size_t nv = tca__tv_format_valid_count(), nf = sizeof f_cases / sizeof f_cases[0];
    tca_tv_manifest_row row;
    tca__tv_row(&row, "v1/format/f/valid.tv", "format", "-", "quick", FORMAT_F_SEED, nv + nf,
                "valid layout F streams with their decoded BF16");
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    tca__tv_gen_begin_layout(&w, &row, TCA_TV_FILES_1_1, 1);
    put_notes(&w, valid_f_notes, sizeof valid_f_notes / sizeof valid_f_notes[0]);
    tca_tv_put_end(&w);
    tca_status st = TCA_OK;
    for (size_t i = 0; i < nv && !st; i++) {
        uint16_t *m = NULL;
        uint64_t rows, cols;
        int ws;
        const char *flags;
        char fl[200];
        st = tca__tv_format_valid_case(i, &m, &rows, &cols, &ws, &flags);
        snprintf(fl, sizeof fl, "%s SameMatrixAsV1", flags);
        if (!st) st = put_valid(&w, i + 1, fl, m, rows, cols, ws);
        free(m);
    }
    for (size_t i = 0; i < nf && !st; i++) {
        const fcase *c = &f_cases[i];
        uint16_t *m = malloc(c->rows * c->cols * 2);
        tca_prng r;
        tca_prng_seed(&r, tca_prng_derive(FORMAT_F_SEED, c->id));
        st = m ? TCA_OK : TCA_ERROR_ALLOC;
        if (!st) {
            c->fill(&r, m, c->rows, c->cols);
            st = put_valid(&w, c->id, c->flags, m, c->rows, c->cols, 0);
        }
        free(m);
    }
    if (!st) st = tca__tv_gen_add(g, &row, &w);
    tca_tv_writer_free(&w);
    return st;
}

/* ------------------------------------------------------------------------ invalid streams */

typedef struct stream {
    uint8_t *p;
    size_t n;
} stream;

/* Section offsets of a well-formed layout F stream (spec 8.7). */
typedef struct flayout {
    size_t strips, exc, xo, cc;
    uint64_t n_strips, exc_len;
    unsigned base;
} flayout;

static int layout_of(const stream *s, flayout *l)
{
    tca_tbe_f_view v;
    if (tca_tbe_f_stream_parse(s->p, s->n, &v)) return 0;
    l->strips = (size_t)(v.strips - s->p);
    l->exc = (size_t)(v.exceptions - s->p);
    l->xo = (size_t)(v.exception_offsets - s->p);
    l->exc_len = v.hdr.exception_len;
    l->n_strips = (l->exc - l->strips) / STRIP;
    l->cc = l->xo + 8 * (size_t)(l->n_strips + 1);
    l->base = v.hdr.base;
    return 1;
}

static void fix_header_crc(stream *s) { tca__st32(s->p + 60, tca_crc32c(s->p, 60)); }
/* spec 8.7: CRC-32C of the three sections, stored after them (the generator sets the flag) */
static void fix_content_crc(stream *s)
{
    if (s->n >= 68) tca__st32(s->p + s->n - 4, tca_crc32c(s->p + 64, s->n - 68));
}

static stream copy_of(const stream *b, size_t extra)
{
    stream s = {malloc(b->n + extra + 64), b->n};
    if (s.p) memcpy(s.p, b->p, b->n);
    return s;
}

typedef struct icase {
    const char *flags, *rule;
    tca_status error;
    stream s;
} icase;

#define ICASES_MAX 64
typedef struct ilist {
    icase c[ICASES_MAX];
    size_t n;
} ilist;

static void add(ilist *l, const char *flags, const char *rule, tca_status error, stream s)
{
    if (l->n < ICASES_MAX && s.p) {
        l->c[l->n].flags = flags;
        l->c[l->n].rule = rule;
        l->c[l->n].error = error;
        l->c[l->n].s = s;
        l->n++;
    } else {
        free(s.p);
    }
}

static stream hdr_byte(const stream *b, size_t off, uint8_t v)
{
    stream s = copy_of(b, 0);
    if (s.p) {
        s.p[off] = v;
        fix_header_crc(&s);
    }
    return s;
}
static stream hdr_u64(const stream *b, size_t off, uint64_t v)
{
    stream s = copy_of(b, 0);
    if (s.p) {
        tca__st64(s.p + off, v);
        fix_header_crc(&s);
    }
    return s;
}
static stream hdr_u32(const stream *b, size_t off, uint32_t v)
{
    stream s = copy_of(b, 0);
    if (s.p) {
        tca__st32(s.p + off, v);
        fix_header_crc(&s);
    }
    return s;
}
static stream sec_u64(const stream *b, size_t off, uint64_t v)
{
    stream s = copy_of(b, 0);
    if (s.p) {
        tca__st64(s.p + off, v);
        fix_content_crc(&s);
    }
    return s;
}

/* Code of lane l's element e in a strip record (spec 8.3). */
static unsigned code_of(const uint8_t *rec, unsigned l, unsigned e)
{
    unsigned i = e / 8, n = e % 8;
    if (i < 3) return (tca__le32(rec + 4 * (32 * i + l)) >> 4 * n) & 7u;
    unsigned c = 0;
    for (unsigned b = 0; b < 3; b++) c |= ((tca__le32(rec + 4 * (32 * b + l)) >> (4 * n + 3)) & 1u) << b;
    return c;
}

/* Index in the strip's exception slice of the fallback element (r, c) of a strip: start(l) +
 * rank(l, e) (spec 8.5). */
static unsigned exc_index(const uint8_t *rec, unsigned r, unsigned c)
{
    unsigned l0 = lane_of(r, c), e0 = elem_of(r, c), k = 0;
    for (unsigned l = 0; l < 32; l++)
        for (unsigned e = 0; e < 32; e++) {
            if (l == l0 && e == e0) return k;
            k += code_of(rec, l, e) == 0;
        }
    return k;
}

/* Number of code-0 elements of a strip record (n_s of spec 8.5). */
static unsigned strip_count(const uint8_t *rec)
{
    unsigned n = 0;
    for (unsigned l = 0; l < 32; l++)
        for (unsigned e = 0; e < 32; e++) n += code_of(rec, l, e) == 0;
    return n;
}

/* Insert `extra` zero bytes into the Exceptions section at stream offset `at`, move the offsets
 * of the strips after strip s (entries s + 1 .. 4G) and, when grow_len, Exception_Length. */
static stream insert_exc(const stream *b, const flayout *l, size_t at, size_t extra, uint64_t first_entry,
                         int grow_len)
{
    stream s = copy_of(b, extra);
    if (!s.p) return s;
    memmove(s.p + at + extra, s.p + at, s.n - at);
    memset(s.p + at, 0, extra);
    s.n += extra;
    size_t xo = l->xo + extra;
    for (uint64_t e = first_entry; e <= l->n_strips; e++) tca__st64(s.p + xo + 8 * e, tca__le64(s.p + xo + 8 * e) + extra);
    if (grow_len) tca__st64(s.p + 40, l->exc_len + extra);
    fix_header_crc(&s);
    fix_content_crc(&s);
    return s;
}

static tca_status build_invalid(ilist *L, const stream *sparse, const stream *dense, const stream *ragged,
                                const stream *counts)
{
    flayout ls, ld, lr, lc;
    if (!layout_of(sparse, &ls) || !layout_of(dense, &ld) || !layout_of(ragged, &lr) || !layout_of(counts, &lc))
        return TCA_ERROR_INTERNAL;
    stream s;

    /* F1, F11, F12: sizes */
    s = copy_of(dense, 0);
    s.n = 63;
    add(L, "Truncated", "F1", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = copy_of(dense, 0);
    s.n = 0;
    add(L, "Truncated", "F1", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = copy_of(dense, 0);
    s.n -= 1;
    add(L, "Truncated", "F11", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = copy_of(dense, 0);
    s.n = ld.exc; /* cut at a section boundary: the Strips end */
    add(L, "Truncated", "F11", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = copy_of(dense, 1);
    if (s.p) s.p[s.n++] = 0;
    add(L, "Trailing", "F12", TCA_ERROR_FORMAT_TRAILING, s);

    /* F2-F6: the header frame */
    s = copy_of(dense, 0);
    if (s.p) s.p[1] = 0x55;
    add(L, "Magic", "F2", TCA_ERROR_FORMAT_MAGIC, s);
    add(L, "Version", "F3", TCA_ERROR_FORMAT_VERSION, hdr_byte(dense, 4, 2));
    add(L, "Version", "F3", TCA_ERROR_FORMAT_VERSION, hdr_byte(dense, 4, 0));
    s = copy_of(dense, 0);
    if (s.p) s.p[62] ^= 0x10;
    add(L, "HeaderCRC", "F4", TCA_ERROR_FORMAT_HEADER_CHECKSUM, s);
    s = copy_of(dense, 0);
    if (s.p) s.p[24] ^= 0x01; /* Base_Exponent changed, checksum not repaired */
    add(L, "HeaderCRC", "F4", TCA_ERROR_FORMAT_HEADER_CHECKSUM, s);
    add(L, "Layout", "F5", TCA_ERROR_FORMAT_LAYOUT, hdr_byte(dense, 6, 2));
    add(L, "Layout", "F5", TCA_ERROR_FORMAT_LAYOUT, hdr_byte(dense, 6, 0xFF));
    add(L, "ReservedBits", "F6", TCA_ERROR_FORMAT_RESERVED, hdr_byte(dense, 7, 0x03));
    add(L, "ReservedBits", "F6", TCA_ERROR_FORMAT_RESERVED, hdr_byte(dense, 26, 0x01));
    add(L, "ReservedBits", "F6", TCA_ERROR_FORMAT_RESERVED, hdr_byte(dense, 32, 0x10)); /* v1's Max_Full */
    add(L, "ReservedBits", "F6", TCA_ERROR_FORMAT_RESERVED, hdr_byte(dense, 37, 0x01));
    add(L, "ReservedBits", "F6", TCA_ERROR_FORMAT_RESERVED, hdr_byte(dense, 48, 0x01)); /* v1's Full_Length */
    add(L, "ReservedBits", "F6", TCA_ERROR_FORMAT_RESERVED, hdr_byte(dense, 59, 0x80));

    /* F7, F8: shape and base */
    add(L, "Shape", "F7", TCA_ERROR_FORMAT_SHAPE, hdr_u64(dense, 8, 0));
    add(L, "Shape", "F7", TCA_ERROR_FORMAT_SHAPE, hdr_u64(dense, 16, (1ull << 32) + 1));
    s = hdr_u64(dense, 8, 1ull << 32);
    if (s.p) {
        tca__st64(s.p + 16, 1ull << 32);
        fix_header_crc(&s);
    }
    add(L, "Shape", "F7", TCA_ERROR_FORMAT_SHAPE, s);
    add(L, "BaseOutOfRange", "F8", TCA_ERROR_FORMAT_BASE_RANGE, hdr_byte(dense, 24, 249));
    add(L, "BaseOutOfRange", "F8", TCA_ERROR_FORMAT_BASE_RANGE, hdr_byte(dense, 24, 255));

    /* F9, F10: header bounds of the exception stream */
    add(L, "ExceptionLength", "F9", TCA_ERROR_FORMAT_COUNTS, hdr_u64(dense, 40, ld.exc_len + 8));
    add(L, "ExceptionLength", "F9", TCA_ERROR_FORMAT_COUNTS, hdr_u64(dense, 40, 1024 * ld.n_strips + 16));
    add(L, "Maxima", "F10", TCA_ERROR_FORMAT_MAXIMA, hdr_u32(dense, 28, tca__le32(dense->p + 28) + 8));
    add(L, "Maxima", "F10", TCA_ERROR_FORMAT_MAXIMA, hdr_u32(sparse, 28, 1040));
    add(L, "Maxima", "F10", TCA_ERROR_FORMAT_MAXIMA, hdr_u32(dense, 28, (uint32_t)ld.exc_len + 16));

    /* F13, F14: the offsets table */
    add(L, "ExceptionOffsets", "F13", TCA_ERROR_FORMAT_EXCEPTIONS, sec_u64(dense, ld.xo, 16));
    add(L, "ExceptionOffsets", "F14", TCA_ERROR_FORMAT_EXCEPTIONS,
        sec_u64(counts, lc.xo + 8 * 2, tca__le64(counts->p + lc.xo + 16) + 1));
    add(L, "ExceptionOffsets", "F14", TCA_ERROR_FORMAT_EXCEPTIONS,
        sec_u64(counts, lc.xo + 8 * 4, tca__le64(counts->p + lc.xo + 32) - 16));
    /* entry 6 far beyond the section (a multiple of 16, but not a strip's worth of padding) */
    add(L, "ExceptionOffsets", "F14", TCA_ERROR_FORMAT_EXCEPTIONS, sec_u64(counts, lc.xo + 8 * 6, 1ull << 40));
    /* codes of strip 0 changed (in-window -> 0) so that its padded count grows by 16 */
    s = copy_of(dense, 0);
    if (s.p) {
        uint8_t *rec = s.p + ld.strips;
        unsigned n0 = strip_count(rec), need = n0 % 16 ? 17 - n0 % 16 : 1, done = 0;
        for (unsigned l = 0; l < 32 && done < need; l++)
            for (unsigned k = 0; k < 8 && done < need; k++) {
                uint32_t w0 = tca__le32(rec + 4 * l);
                if ((w0 >> 4 * k) & 7u) {
                    tca__st32(rec + 4 * l, w0 & ~(7u << 4 * k)); /* slice 0 element k: code 0 */
                    done++;
                }
            }
        fix_content_crc(&s);
    }
    add(L, "CodesDisagree", "F14", TCA_ERROR_FORMAT_EXCEPTIONS, s);
    /* strip 1 of `counts` (1 exception) padded to 32 bytes instead of 16 */
    {
        uint64_t o2 = tca__le64(counts->p + lc.xo + 16);
        add(L, "NonMinimalPadding", "F14", TCA_ERROR_FORMAT_PADDING, insert_exc(counts, &lc, lc.exc + o2, 16, 2, 1));
    }

    /* F15: Exception_Length 16 smaller, the stream 16 bytes shorter, the offsets unchanged: the
     * last strip's slice ends beyond the section */
    if (ld.exc_len >= 32 && tca__le32(dense->p + 28) <= ld.exc_len - 16) {
        s = copy_of(dense, 0);
        if (s.p) {
            memmove(s.p + ld.exc + ld.exc_len - 16, s.p + ld.exc + ld.exc_len, s.n - (ld.exc + ld.exc_len));
            s.n -= 16;
            tca__st64(s.p + 40, ld.exc_len - 16);
            fix_header_crc(&s);
            fix_content_crc(&s);
        }
        add(L, "CountsMismatch", "F15", TCA_ERROR_FORMAT_COUNTS, s);
    }
    /* F18: 16 zero bytes appended to the Exceptions section and counted in Exception_Length, the
     * offsets unchanged */
    add(L, "CountsMismatch", "F18", TCA_ERROR_FORMAT_COUNTS, insert_exc(dense, &ld, ld.exc + ld.exc_len, 16, ld.n_strips + 1, 1));

    /* F16: a padding byte of strip 1 of `counts` (1 exception, 15 padding bytes) */
    s = copy_of(counts, 0);
    if (s.p) {
        s.p[lc.exc + tca__le64(counts->p + lc.xo + 8) + 1] = 0x01;
        fix_content_crc(&s);
    }
    add(L, "Padding", "F16", TCA_ERROR_FORMAT_PADDING, s);
    /* ... and the last padding byte of a strip of the dense matrix */
    for (uint64_t st = 0; st < ld.n_strips; st++) {
        unsigned n = strip_count(dense->p + ld.strips + STRIP * st);
        uint64_t o1 = tca__le64(dense->p + ld.xo + 8 * (st + 1));
        if (n % 16 == 0) continue;
        s = copy_of(dense, 0);
        if (s.p) {
            s.p[ld.exc + o1 - 1] = 0x80;
            fix_content_crc(&s);
        }
        add(L, "Padding", "F16", TCA_ERROR_FORMAT_PADDING, s);
        break;
    }

    /* F17: padding elements. The dense 64 x 64 matrix relabelled 63 x 64 and 64 x 1; the ragged
     * 40 x 50 matrix with the sign-mantissa byte of padding element (0, 50) set, and with the
     * exception byte of padding element (0, 63) set to 0x80 (outside the window). */
    add(L, "PadElement", "F17", TCA_ERROR_FORMAT_PAD_ELEMENT, hdr_u64(dense, 8, 63));
    add(L, "PadElement", "F17", TCA_ERROR_FORMAT_PAD_ELEMENT, hdr_u64(dense, 16, 1));
    s = copy_of(ragged, 0);
    if (s.p) {
        /* (0, 50): strip 0, slice i = 3, lane l = (50 % 8) / 2 = 1, n = 0 (spec 8.2, 8.4) */
        unsigned l = lane_of(0, 50), e = elem_of(0, 50), i = e / 8, n = e % 8;
        s.p[lr.strips + 384 + 512 * (i >> 1) + 16 * l + 8 * (i & 1) + n] = 0x01;
        fix_content_crc(&s);
    }
    add(L, "PadElement", "F17", TCA_ERROR_FORMAT_PAD_ELEMENT, s);
    s = copy_of(ragged, 0);
    if (s.p) {
        /* (0, 63): a padding element, code 0; its exception byte is at start(l) + rank(l, e) */
        s.p[lr.exc + exc_index(ragged->p + lr.strips, 0, 63)] = 0x80;
        fix_content_crc(&s);
    }
    add(L, "PadElement", "F17", TCA_ERROR_FORMAT_PAD_ELEMENT, s);

    /* F19: Max_Exceptions within the F10 bounds but not the maximum */
    add(L, "Maxima", "F19", TCA_ERROR_FORMAT_MAXIMA, hdr_u32(counts, 28, 1008));
    add(L, "Maxima", "F19", TCA_ERROR_FORMAT_MAXIMA, hdr_u32(dense, 28, tca__le32(dense->p + 28) - 16));

    /* F20: content checksum */
    s = copy_of(dense, 0);
    if (s.p) s.p[s.n - 2] ^= 0x01;
    add(L, "ContentCRC", "F20", TCA_ERROR_FORMAT_CONTENT_CHECKSUM, s);
    s = copy_of(dense, 0);
    if (s.p) s.p[ld.strips + 384 + 5] ^= 0x80; /* a sign-mantissa byte: structure intact, value changed */
    add(L, "ContentCRC", "F20", TCA_ERROR_FORMAT_CONTENT_CHECKSUM, s);

    /* F21: an exception byte inside the window [base + 1, base + 7] */
    s = copy_of(dense, 0);
    if (s.p) {
        s.p[ld.exc] = (uint8_t)(ld.base + 1);
        fix_content_crc(&s);
    }
    add(L, "NonCanonical", "F21", TCA_ERROR_FORMAT_NONCANONICAL, s);
    s = copy_of(sparse, 0);
    if (s.p) {
        s.p[ls.exc + ls.exc_len - 1 - 16] = (uint8_t)(ls.base + 7);
        fix_content_crc(&s);
    }
    add(L, "NonCanonical", "F21", TCA_ERROR_FORMAT_NONCANONICAL, s);
    return TCA_OK;
}

static tca_status gen_invalid_f(tca__tv_gen *g)
{
    /* Base streams: sparse 64 x 64 (one in-window element), dense 64 x 64 weights, ragged
     * 40 x 50 weights, and the ExceptionCounts matrix (valid record 103) */
    uint16_t *m = calloc(64 * 128, 2);
    stream sparse = {0}, dense = {0}, ragged = {0}, counts = {0};
    tca_status st = m ? TCA_OK : TCA_ERROR_ALLOC;
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(FORMAT_F_SEED, 1000));
    if (!st) {
        m[0] = 0x3F80;
        st = tca__tv_encode_stream_f(m, 64, 64, 0, &sparse.p, &sparse.n);
    }
    if (!st) {
        for (int i = 0; i < 64 * 64; i++) m[i] = tca_prng_unit(&r) < 1.0 / 64 ? 0 : tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r));
        st = tca__tv_encode_stream_f(m, 64, 64, 0, &dense.p, &dense.n);
    }
    if (!st) st = tca__tv_encode_stream_f(m, 40, 50, 0, &ragged.p, &ragged.n);
    if (!st) {
        tca_prng_seed(&r, tca_prng_derive(FORMAT_F_SEED, 103));
        fill_exception_counts(&r, m, 64, 128);
        st = tca__tv_encode_stream_f(m, 64, 128, 0, &counts.p, &counts.n);
    }
    ilist *L = calloc(1, sizeof *L);
    if (!st && !L) st = TCA_ERROR_ALLOC;
    if (!st) st = build_invalid(L, &sparse, &dense, &ragged, &counts);

    tca_tv_manifest_row row;
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    if (!st) {
        tca__tv_row(&row, "v1/format/f/invalid.tv", "format-invalid", "-", "quick", 0, L->n,
                    "malformed layout F streams and the rejection each must get");
        tca__tv_gen_begin_layout(&w, &row, TCA_TV_FILES_1_1, 1);
        put_notes(&w, invalid_f_notes, sizeof invalid_f_notes / sizeof invalid_f_notes[0]);
        tca_tv_put_end(&w);
    }
    for (size_t i = 0; L && !st && i < L->n; i++) {
        icase *c = &L->c[i];
        /* self-check: the reference decoder reports exactly the status of the broken rule (the
         * order of spec 8.8 is normative) */
        static uint16_t out[64 * 128];
        tca_status got = tca_tbe_any_decode_stream(c->s.p, c->s.n, out, sizeof out / 2);
        if (got != c->error) {
            fprintf(stderr, "tca gen: layout F invalid case %zu (%s, %s): reference says %s, expected %s\n", i + 1,
                    c->flags, c->rule, tca_status_name(got), tca_status_name(c->error));
            st = TCA_ERROR_INTERNAL;
            break;
        }
        tca_tv_put_u64(&w, "id", i + 1);
        tca_tv_put(&w, "flags", c->flags);
        tca_tv_put(&w, "rule", c->rule);
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
    free(dense.p);
    free(ragged.p);
    free(counts.p);
    return st;
}

/* ------------------------------------------------------------- large streams by recipe (full) */

static tca_status gen_large_f(tca__tv_gen *g)
{
    size_t n = tca__tv_format_large_count();
    const char *recipe;
    uint64_t rows, cols, rs;
    tca__tv_format_large_case(0, &recipe, &rows, &cols, &rs);
    (void)recipe;
    tca_tv_manifest_row row;
    /* the same records as v1/format/large.tv (file seed, record seeds, recipes, shapes) */
    tca__tv_row(&row, "v1/format/f/large.tv", "format-recipe", "-", "full", tca_prng_derive(0x5443412d464d5431ull, 2000),
                n, "large matrices drawn by recipe in layout F; stream and decoded values by SHA-256");
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    tca__tv_gen_begin_layout(&w, &row, TCA_TV_FILES_1_1, 1);
    tca_tv_put(&w, "notes.Recipe",
               "W is drawn by the recipe from the record seed (vectors 2.3) and encoded in layout F (spec 4.5, 8)");
    tca_tv_put(&w, "notes.MultiTile", "several global tiles");
    tca_tv_put(&w, "notes.Ragged", "rows or cols not a multiple of 64");
    tca_tv_put_end(&w);
    tca_status st = TCA_OK;
    for (size_t i = 0; i < n && !st; i++) {
        tca__tv_format_large_case(i, &recipe, &rows, &cols, &rs);
        uint16_t *m = malloc(rows * cols * 2);
        uint8_t *s = NULL;
        size_t sn = 0;
        if (!m) st = TCA_ERROR_ALLOC;
        if (!st) st = tca_tv_fill_matrix(recipe, rs, m, rows, cols);
        if (!st) st = tca__tv_encode_stream_f(m, rows, cols, 0, &s, &sn);
        if (!st) {
            uint8_t d[32];
            tca_tv_put_u64(&w, "id", i + 1);
            tca_tv_put(&w, "flags", (rows % 64 || cols % 64) ? "Recipe Ragged MultiTile" : "Recipe MultiTile");
            tca_tv_put(&w, "result", "valid");
            tca_tv_put_u64(&w, "rows", rows);
            tca_tv_put_u64(&w, "cols", cols);
            tca_tv_put(&w, "recipe", recipe);
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

tca_status tca__tv_gen_format_f(tca__tv_gen *g)
{
    tca_status st = gen_valid_f(g);
    if (!st) st = gen_invalid_f(g);
    if (!st && g->full) st = gen_large_f(g);
    return st;
}
