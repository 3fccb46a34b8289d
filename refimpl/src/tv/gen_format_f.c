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
#define STRIP 1408u /* spec 8.2 */

/* The notes of v1/format/valid.tv hold for the same flags here, but for these texts (flags whose
 * layout F meaning differs) and the flags only layout F has, which follow them (vectors 5.5). */
static const char *const valid_f_notes[][2] = {
    {"AllFallback", "no element in the window: every strip has 1024 exceptions (32 per lane)"},
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

/* spec 8.2: lane l and lane element index e = 8 i + n of strip element (r, c) */
static unsigned lane_of(unsigned r, unsigned c) { return 4u * (r % 8u) + (c % 8u) / 2u; }
static unsigned elem_of(unsigned r, unsigned c)
{
    return 8u * (c / 16u) + 2u * ((r / 8u) + 2u * ((c % 16u) / 8u)) + c % 2u;
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
            uint16_t v = fb ? tca__tv_with_exp(r, (e & 1) ? 200 : 0) : tca__tv_with_exp(r, 120 + (e % 7));
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
            w[row * k + col] = idx % 9 == 4 ? tca__tv_with_exp(r, 30) : tca__tv_with_exp(r, 100 + (l + e + row / 16) % 7);
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
                    uint16_t v = rank < cnt[s] ? tca__tv_with_exp(r, out_exp[rank % 4]) : tca__tv_with_exp(r, 127);
                    w[(16 * med + rr) * k + 64 * g + cc] = v;
                }
}

/* records 101.. (vectors 5.5): matrices drawn from derive(FORMAT_F_SEED, id) */
static const tca__tv_vcase f_cases[] = {
    {"LaneSkew RarePath", 64, 64, 0, fill_lane_skew},
    {"SpareBits", 64, 64, 0, fill_spare_bits},
    {"ExceptionCounts RarePath MultiTile MaximaFromOtherTile", 64, 128, 0, fill_exception_counts},
};

static tca_status gen_valid_f(tca__tv_gen *g)
{
    /* records 1..27: the matrices of v1/format/valid.tv with the same ids; 101..: layout F only */
    const tca__tv_vgroup groups[] = {
        tca__tv_format_v1_valid(" SameMatrixAsV1"),
        {f_cases, sizeof f_cases / sizeof f_cases[0], FORMAT_F_SEED, 101, NULL},
    };
    return tca__tv_gen_valid_file(g, 1, "v1/format/f/valid.tv", FORMAT_F_SEED,
                                  "valid layout F streams with their decoded BF16", valid_f_notes,
                                  sizeof valid_f_notes / sizeof valid_f_notes[0], groups, 2);
}

/* ------------------------------------------------------------------------ invalid streams */

/* Section offsets of a well-formed layout F stream (spec 8.7). */
typedef struct flayout {
    size_t strips, exc, xo, cc;
    uint64_t n_strips, exc_len;
    unsigned base;
} flayout;

static int layout_of(const tca__tv_stream *s, flayout *l)
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

/* Insert `extra` zero bytes into the Exceptions section at tca__tv_stream offset `at`, move the offsets
 * of the strips after strip s (entries s + 1 .. 4G) and, when grow_len, Exception_Length. */
static tca__tv_stream insert_exc(const tca__tv_stream *b, const flayout *l, size_t at, size_t extra, uint64_t first_entry,
                         int grow_len)
{
    tca__tv_stream s = tca__tv_copy_of(b, extra);
    if (!s.p) return s;
    memmove(s.p + at + extra, s.p + at, s.n - at);
    memset(s.p + at, 0, extra);
    s.n += extra;
    size_t xo = l->xo + extra;
    for (uint64_t e = first_entry; e <= l->n_strips; e++) tca__st64(s.p + xo + 8 * e, tca__le64(s.p + xo + 8 * e) + extra);
    if (grow_len) tca__st64(s.p + 40, l->exc_len + extra);
    tca__tv_fix_header_crc(&s);
    tca__tv_fix_content_crc(&s);
    return s;
}

/* base: the sparse, dense, ragged and counts streams of gen_invalid_f */
static tca_status build_invalid(tca__tv_ilist *L, const tca__tv_stream *base)
{
    const tca__tv_stream *sparse = &base[0], *dense = &base[1], *ragged = &base[2], *counts = &base[3];
    flayout ls, ld, lr, lc;
    if (!layout_of(sparse, &ls) || !layout_of(dense, &ld) || !layout_of(ragged, &lr) || !layout_of(counts, &lc))
        return TCA_ERROR_INTERNAL;
    tca__tv_stream s;

    /* F1, F11, F12: sizes */
    s = tca__tv_copy_of(dense, 0);
    s.n = 63;
    tca__tv_add_invalid(L, "Truncated", "F1", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = tca__tv_copy_of(dense, 0);
    s.n = 0;
    tca__tv_add_invalid(L, "Truncated", "F1", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = tca__tv_copy_of(dense, 0);
    s.n -= 1;
    tca__tv_add_invalid(L, "Truncated", "F11", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = tca__tv_copy_of(dense, 0);
    s.n = ld.exc; /* cut at a section boundary: the Strips end */
    tca__tv_add_invalid(L, "Truncated", "F11", TCA_ERROR_FORMAT_TRUNCATED, s);
    s = tca__tv_copy_of(dense, 1);
    if (s.p) s.p[s.n++] = 0;
    tca__tv_add_invalid(L, "Trailing", "F12", TCA_ERROR_FORMAT_TRAILING, s);

    /* F2-F6: the header frame */
    s = tca__tv_copy_of(dense, 0);
    if (s.p) s.p[1] = 0x55;
    tca__tv_add_invalid(L, "Magic", "F2", TCA_ERROR_FORMAT_MAGIC, s);
    tca__tv_add_invalid(L, "Version", "F3", TCA_ERROR_FORMAT_VERSION, tca__tv_hdr_byte(dense, 4, 2));
    tca__tv_add_invalid(L, "Version", "F3", TCA_ERROR_FORMAT_VERSION, tca__tv_hdr_byte(dense, 4, 0));
    s = tca__tv_copy_of(dense, 0);
    if (s.p) s.p[62] ^= 0x10;
    tca__tv_add_invalid(L, "HeaderCRC", "F4", TCA_ERROR_FORMAT_HEADER_CHECKSUM, s);
    s = tca__tv_copy_of(dense, 0);
    if (s.p) s.p[24] ^= 0x01; /* Base_Exponent changed, checksum not repaired */
    tca__tv_add_invalid(L, "HeaderCRC", "F4", TCA_ERROR_FORMAT_HEADER_CHECKSUM, s);
    tca__tv_add_invalid(L, "Layout", "F5", TCA_ERROR_FORMAT_LAYOUT, tca__tv_hdr_byte(dense, 6, 2));
    tca__tv_add_invalid(L, "Layout", "F5", TCA_ERROR_FORMAT_LAYOUT, tca__tv_hdr_byte(dense, 6, 0xFF));
    tca__tv_add_invalid(L, "ReservedBits", "F6", TCA_ERROR_FORMAT_RESERVED, tca__tv_hdr_byte(dense, 7, 0x03));
    tca__tv_add_invalid(L, "ReservedBits", "F6", TCA_ERROR_FORMAT_RESERVED, tca__tv_hdr_byte(dense, 26, 0x01));
    tca__tv_add_invalid(L, "ReservedBits", "F6", TCA_ERROR_FORMAT_RESERVED, tca__tv_hdr_byte(dense, 32, 0x10)); /* v1's Max_Full */
    tca__tv_add_invalid(L, "ReservedBits", "F6", TCA_ERROR_FORMAT_RESERVED, tca__tv_hdr_byte(dense, 37, 0x01));
    tca__tv_add_invalid(L, "ReservedBits", "F6", TCA_ERROR_FORMAT_RESERVED, tca__tv_hdr_byte(dense, 48, 0x01)); /* v1's Full_Length */
    tca__tv_add_invalid(L, "ReservedBits", "F6", TCA_ERROR_FORMAT_RESERVED, tca__tv_hdr_byte(dense, 59, 0x80));

    /* F7, F8: shape and base */
    tca__tv_add_invalid(L, "Shape", "F7", TCA_ERROR_FORMAT_SHAPE, tca__tv_hdr_u64(dense, 8, 0));
    tca__tv_add_invalid(L, "Shape", "F7", TCA_ERROR_FORMAT_SHAPE, tca__tv_hdr_u64(dense, 16, (1ull << 32) + 1));
    s = tca__tv_hdr_u64(dense, 8, 1ull << 32);
    if (s.p) {
        tca__st64(s.p + 16, 1ull << 32);
        tca__tv_fix_header_crc(&s);
    }
    tca__tv_add_invalid(L, "Shape", "F7", TCA_ERROR_FORMAT_SHAPE, s);
    tca__tv_add_invalid(L, "BaseOutOfRange", "F8", TCA_ERROR_FORMAT_BASE_RANGE, tca__tv_hdr_byte(dense, 24, 249));
    tca__tv_add_invalid(L, "BaseOutOfRange", "F8", TCA_ERROR_FORMAT_BASE_RANGE, tca__tv_hdr_byte(dense, 24, 255));

    /* F9, F10: header bounds of the exception tca__tv_stream */
    tca__tv_add_invalid(L, "ExceptionLength", "F9", TCA_ERROR_FORMAT_COUNTS, tca__tv_hdr_u64(dense, 40, ld.exc_len + 8));
    tca__tv_add_invalid(L, "ExceptionLength", "F9", TCA_ERROR_FORMAT_COUNTS, tca__tv_hdr_u64(dense, 40, 1024 * ld.n_strips + 16));
    tca__tv_add_invalid(L, "Maxima", "F10", TCA_ERROR_FORMAT_MAXIMA, tca__tv_hdr_u32(dense, 28, tca__le32(dense->p + 28) + 8));
    tca__tv_add_invalid(L, "Maxima", "F10", TCA_ERROR_FORMAT_MAXIMA, tca__tv_hdr_u32(sparse, 28, 1040));
    tca__tv_add_invalid(L, "Maxima", "F10", TCA_ERROR_FORMAT_MAXIMA, tca__tv_hdr_u32(dense, 28, (uint32_t)ld.exc_len + 16));

    /* F13, F14: the offsets table */
    tca__tv_add_invalid(L, "ExceptionOffsets", "F13", TCA_ERROR_FORMAT_EXCEPTIONS, tca__tv_sec_u64(dense, ld.xo, 16));
    tca__tv_add_invalid(L, "ExceptionOffsets", "F14", TCA_ERROR_FORMAT_EXCEPTIONS,
        tca__tv_sec_u64(counts, lc.xo + 8 * 2, tca__le64(counts->p + lc.xo + 16) + 1));
    tca__tv_add_invalid(L, "ExceptionOffsets", "F14", TCA_ERROR_FORMAT_EXCEPTIONS,
        tca__tv_sec_u64(counts, lc.xo + 8 * 4, tca__le64(counts->p + lc.xo + 32) - 16));
    /* entry 6 far beyond the section (a multiple of 16, but not a strip's worth of padding) */
    tca__tv_add_invalid(L, "ExceptionOffsets", "F14", TCA_ERROR_FORMAT_EXCEPTIONS, tca__tv_sec_u64(counts, lc.xo + 8 * 6, 1ull << 40));
    /* codes of strip 0 changed (in-window -> 0) so that its padded count grows by 16 */
    s = tca__tv_copy_of(dense, 0);
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
        tca__tv_fix_content_crc(&s);
    }
    tca__tv_add_invalid(L, "CodesDisagree", "F14", TCA_ERROR_FORMAT_EXCEPTIONS, s);
    /* strip 1 of `counts` (1 exception) padded to 32 bytes instead of 16 */
    {
        uint64_t o2 = tca__le64(counts->p + lc.xo + 16);
        tca__tv_add_invalid(L, "NonMinimalPadding", "F14", TCA_ERROR_FORMAT_PADDING, insert_exc(counts, &lc, lc.exc + o2, 16, 2, 1));
    }

    /* F15: Exception_Length 16 smaller, the tca__tv_stream 16 bytes shorter, the offsets unchanged: the
     * last strip's slice ends beyond the section */
    if (ld.exc_len >= 32 && tca__le32(dense->p + 28) <= ld.exc_len - 16) {
        s = tca__tv_copy_of(dense, 0);
        if (s.p) {
            memmove(s.p + ld.exc + ld.exc_len - 16, s.p + ld.exc + ld.exc_len, s.n - (ld.exc + ld.exc_len));
            s.n -= 16;
            tca__st64(s.p + 40, ld.exc_len - 16);
            tca__tv_fix_header_crc(&s);
            tca__tv_fix_content_crc(&s);
        }
        tca__tv_add_invalid(L, "CountsMismatch", "F15", TCA_ERROR_FORMAT_COUNTS, s);
    }
    /* F18: 16 zero bytes appended to the Exceptions section and counted in Exception_Length, the
     * offsets unchanged */
    tca__tv_add_invalid(L, "CountsMismatch", "F18", TCA_ERROR_FORMAT_COUNTS, insert_exc(dense, &ld, ld.exc + ld.exc_len, 16, ld.n_strips + 1, 1));

    /* F16: a padding byte of strip 1 of `counts` (1 exception, 15 padding bytes) */
    s = tca__tv_copy_of(counts, 0);
    if (s.p) {
        s.p[lc.exc + tca__le64(counts->p + lc.xo + 8) + 1] = 0x01;
        tca__tv_fix_content_crc(&s);
    }
    tca__tv_add_invalid(L, "Padding", "F16", TCA_ERROR_FORMAT_PADDING, s);
    /* ... and the last padding byte of a strip of the dense matrix */
    for (uint64_t st = 0; st < ld.n_strips; st++) {
        unsigned n = strip_count(dense->p + ld.strips + STRIP * st);
        uint64_t o1 = tca__le64(dense->p + ld.xo + 8 * (st + 1));
        if (n % 16 == 0) continue;
        s = tca__tv_copy_of(dense, 0);
        if (s.p) {
            s.p[ld.exc + o1 - 1] = 0x80;
            tca__tv_fix_content_crc(&s);
        }
        tca__tv_add_invalid(L, "Padding", "F16", TCA_ERROR_FORMAT_PADDING, s);
        break;
    }

    /* F17: padding elements. The dense 64 x 64 matrix relabelled 63 x 64 and 64 x 1; the ragged
     * 40 x 50 matrix with the sign-mantissa byte of padding element (0, 50) set, and with the
     * exception byte of padding element (0, 63) set to 0x80 (outside the window). */
    tca__tv_add_invalid(L, "PadElement", "F17", TCA_ERROR_FORMAT_PAD_ELEMENT, tca__tv_hdr_u64(dense, 8, 63));
    tca__tv_add_invalid(L, "PadElement", "F17", TCA_ERROR_FORMAT_PAD_ELEMENT, tca__tv_hdr_u64(dense, 16, 1));
    s = tca__tv_copy_of(ragged, 0);
    if (s.p) {
        /* (0, 50): strip 0, slice i = 3, lane l = (50 % 8) / 2 = 1, n = 0 (spec 8.2, 8.4) */
        unsigned l = lane_of(0, 50), e = elem_of(0, 50), i = e / 8, n = e % 8;
        s.p[lr.strips + 384 + 512 * (i >> 1) + 16 * l + 8 * (i & 1) + n] = 0x01;
        tca__tv_fix_content_crc(&s);
    }
    tca__tv_add_invalid(L, "PadElement", "F17", TCA_ERROR_FORMAT_PAD_ELEMENT, s);
    s = tca__tv_copy_of(ragged, 0);
    if (s.p) {
        /* (0, 63): a padding element, code 0; its exception byte is at start(l) + rank(l, e) */
        s.p[lr.exc + exc_index(ragged->p + lr.strips, 0, 63)] = 0x80;
        tca__tv_fix_content_crc(&s);
    }
    tca__tv_add_invalid(L, "PadElement", "F17", TCA_ERROR_FORMAT_PAD_ELEMENT, s);

    /* F19: Max_Exceptions within the F10 bounds but not the maximum */
    tca__tv_add_invalid(L, "Maxima", "F19", TCA_ERROR_FORMAT_MAXIMA, tca__tv_hdr_u32(counts, 28, 1008));
    tca__tv_add_invalid(L, "Maxima", "F19", TCA_ERROR_FORMAT_MAXIMA, tca__tv_hdr_u32(dense, 28, tca__le32(dense->p + 28) - 16));

    /* F20: content checksum */
    s = tca__tv_copy_of(dense, 0);
    if (s.p) s.p[s.n - 2] ^= 0x01;
    tca__tv_add_invalid(L, "ContentCRC", "F20", TCA_ERROR_FORMAT_CONTENT_CHECKSUM, s);
    s = tca__tv_copy_of(dense, 0);
    if (s.p) s.p[ld.strips + 384 + 5] ^= 0x80; /* a sign-mantissa byte: structure intact, value changed */
    tca__tv_add_invalid(L, "ContentCRC", "F20", TCA_ERROR_FORMAT_CONTENT_CHECKSUM, s);

    /* F21: an exception byte inside the window [base + 1, base + 7] */
    s = tca__tv_copy_of(dense, 0);
    if (s.p) {
        s.p[ld.exc] = (uint8_t)(ld.base + 1);
        tca__tv_fix_content_crc(&s);
    }
    tca__tv_add_invalid(L, "NonCanonical", "F21", TCA_ERROR_FORMAT_NONCANONICAL, s);
    s = tca__tv_copy_of(sparse, 0);
    if (s.p) {
        s.p[ls.exc + ls.exc_len - 1 - 16] = (uint8_t)(ls.base + 7);
        tca__tv_fix_content_crc(&s);
    }
    tca__tv_add_invalid(L, "NonCanonical", "F21", TCA_ERROR_FORMAT_NONCANONICAL, s);
    return TCA_OK;
}

static tca_status gen_invalid_f(tca__tv_gen *g)
{
    /* Base streams: sparse 64 x 64 (one in-window element), dense 64 x 64 weights, ragged
     * 40 x 50 weights, and the ExceptionCounts matrix (valid record 103) */
    uint16_t *m = calloc(64 * 128, 2);
    tca__tv_stream base[4] = {{0}}; /* sparse, dense, ragged, counts */
    tca_status st = m ? TCA_OK : TCA_ERROR_ALLOC;
    tca_prng r;
    tca_prng_seed(&r, tca_prng_derive(FORMAT_F_SEED, 1000));
    if (!st) {
        m[0] = 0x3F80;
        st = tca__tv_encode_stream_layout(1, m, 64, 64, 0, &base[0].p, &base[0].n);
    }
    if (!st) {
        for (int i = 0; i < 64 * 64; i++) m[i] = tca_prng_unit(&r) < 1.0 / 64 ? 0 : tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r));
        st = tca__tv_encode_stream_layout(1, m, 64, 64, 0, &base[1].p, &base[1].n);
    }
    if (!st) st = tca__tv_encode_stream_layout(1, m, 40, 50, 0, &base[2].p, &base[2].n);
    if (!st) {
        tca_prng_seed(&r, tca_prng_derive(FORMAT_F_SEED, 103));
        fill_exception_counts(&r, m, 64, 128);
        st = tca__tv_encode_stream_layout(1, m, 64, 128, 0, &base[3].p, &base[3].n);
    }
    if (!st)
        st = tca__tv_gen_invalid_file(g, 1, build_invalid, base, "v1/format/f/invalid.tv",
                                      "malformed layout F streams and the rejection each must get", invalid_f_notes,
                                      sizeof invalid_f_notes / sizeof invalid_f_notes[0]);
    free(m);
    for (int k = 0; k < 4; k++) free(base[k].p);
    return st;
}

/* ------------------------------------------------------------- large streams by recipe (full) */

static tca_status gen_large_f(tca__tv_gen *g)
{
    /* the same records as v1/format/large.tv (file seed, record seeds, recipes, shapes) */
    static const char *const notes[][2] = {
        {"Recipe", "W is drawn by the recipe from the record seed (vectors 2.3) and encoded in layout F (spec 4.5, 8)"},
        {"MultiTile", "several global tiles"},
        {"Ragged", "rows or cols not a multiple of 64"},
    };
    return tca__tv_gen_large_file(g, 1, "v1/format/f/large.tv",
                                  "large matrices drawn by recipe in layout F; stream and decoded values by SHA-256",
                                  notes, sizeof notes / sizeof notes[0]);
}

tca_status tca__tv_gen_format_f(tca__tv_gen *g)
{
    tca_status st = gen_valid_f(g);
    if (!st) st = gen_invalid_f(g);
    if (!st && g->full) st = gen_large_f(g);
    return st;
}
