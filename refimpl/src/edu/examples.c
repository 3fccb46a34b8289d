/* SPDX-License-Identifier: Apache-2.0 */
/* The worked examples of spec 10, generated as markdown. Each example is encoded with the
 * library's encoder (src/tbe/), serialised as a stream, decoded back with the educational decoder
 * (which must reproduce the input bit for bit), and traced element by element with the
 * educational decoder's random-access formula (spec 7.2). The spec embeds this text between
 * `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->`; tests/check_spec_examples.c
 * regenerates it and fails on any difference, so the spec cannot drift from the code. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/le.h"
#include "tca/bf16.h"
#include "tca/edu.h"
#include "tca/prng.h"
#include "tca/tbe.h"

const char *const tca_edu_example_names[] = {"tile", "matrix", NULL};

/* ---------------------------------------------------------------- a growable string */

typedef struct strbuf {
    char *p;
    size_t len, cap;
    int failed; /* an allocation failed: the text is incomplete */
} strbuf;

static void sb_printf(strbuf *b, const char *fmt, ...)
{
    if (b->failed) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->p ? b->p + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if ((size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap ? 2 * b->cap : 4096) + (size_t)n;
        char *q = realloc(b->p, cap);
        if (!q) {
            b->failed = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
}

/* ---------------------------------------------------------------- shared pieces */

/* An encoded example: the matrix, its encoding and its stream. */
typedef struct example {
    const uint16_t *w;
    uint64_t rows, cols;
    tca_tbe_matrix *m;
    uint8_t *stream;
    size_t stream_size;
} example;

static void example_free(example *e)
{
    tca_tbe_matrix_free(e->m);
    free(e->stream);
}

/* Encode with the library encoder (default options: window by spec 4.5, Content_Checksum on),
 * write the stream, and check that the educational decoder gives the input back. */
static tca_status example_encode(example *e, const uint16_t *w, uint64_t rows, uint64_t cols)
{
    memset(e, 0, sizeof *e);
    e->w = w;
    e->rows = rows;
    e->cols = cols;
    tca_status st = tca_tbe_encode(w, rows, cols, NULL, NULL, &e->m);
    if (st != TCA_OK) return st;
    size_t cap = (size_t)tca_tbe_stream_bound(rows, cols);
    e->stream = malloc(cap);
    if (!e->stream) return TCA_ERROR_ALLOC;
    if ((st = tca_tbe_stream_write(&e->m->view, e->stream, cap, &e->stream_size)) != TCA_OK) return st;
    uint16_t *back = malloc((size_t)(rows * cols) * sizeof *back);
    if (!back) return TCA_ERROR_ALLOC;
    st = tca_edu_decode_stream(e->stream, e->stream_size, back, rows * cols);
    if (st == TCA_OK && memcmp(back, w, (size_t)(rows * cols) * sizeof *back) != 0) st = TCA_ERROR_INTERNAL;
    free(back);
    return st;
}

static uint64_t view_word(const uint8_t *p, uint64_t i) { return tca__le64(p + 8 * i); }

/* Header fields as a table (spec 3). */
static void print_header_table(strbuf *b, const example *e)
{
    const uint8_t *s = e->stream;
    sb_printf(b, "| Offset | Field | Value |\n|---|---|---|\n");
    sb_printf(b, "| 0 | `Magic_Number` | `%02X %02X %02X %02X` |\n", s[0], s[1], s[2], s[3]);
    sb_printf(b, "| 4 | `Format_Version_Major` | %u |\n", s[4]);
    sb_printf(b, "| 5 | `Format_Version_Minor` | %u |\n", s[5]);
    sb_printf(b, "| 6 | `Layout` | %u |\n", s[6]);
    sb_printf(b, "| 7 | `Flags` | 0x%02X |\n", s[7]);
    sb_printf(b, "| 8 | `Rows` | %llu |\n", (unsigned long long)tca__le64(s + 8));
    sb_printf(b, "| 16 | `Cols` | %llu |\n", (unsigned long long)tca__le64(s + 16));
    sb_printf(b, "| 24 | `Base_Exponent` | %u (window %u..%u) |\n", s[24], s[24] + 1u, s[24] + 7u);
    sb_printf(b, "| 28 | `Max_Sign_Mantissa` | %lu |\n", (unsigned long)tca__le32(s + 28));
    sb_printf(b, "| 32 | `Max_Full` | %lu |\n", (unsigned long)tca__le32(s + 32));
    sb_printf(b, "| 40 | `Sign_Mantissa_Length` | %llu |\n", (unsigned long long)tca__le64(s + 40));
    sb_printf(b, "| 48 | `Full_Length` | %llu |\n", (unsigned long long)tca__le64(s + 48));
    sb_printf(b, "| 60 | `Header_Checksum` | 0x%08lX |\n", (unsigned long)tca__le32(s + 60));
    sb_printf(b, "\nThe 64 header bytes:\n\n```\n");
    for (int i = 0; i < 64; i++) sb_printf(b, "%02X%s", s[i], (i % 16 == 15) ? "\n" : " ");
    sb_printf(b, "```\n");
}

/* Section offsets and sizes (spec 6.8), and the Content_Checksum (spec 6.9). */
static void print_sections(strbuf *b, const example *e)
{
    const tca_tbe_header *h = &e->m->view.hdr;
    uint64_t mp = (e->rows + 63) / 64 * 64, kp = (e->cols + 63) / 64 * 64;
    uint64_t g = (mp / 64) * (kp / 64), t = 64 * g;
    struct {
        const char *name;
        uint64_t size;
    } sec[] = {{"Bitmap1", 8 * t},    {"Bitmap2", 8 * t},
               {"Bitmap3", 8 * t},    {"TOM", 32 * g},
               {"TOG", 16 * (g + 1)}, {"SignMantissa", h->sign_mantissa_len},
               {"Full", 2 * h->full_len}};
    sb_printf(b, "| Section | Offset | Size (bytes) |\n|---|---|---|\n");
    uint64_t off = 64;
    for (size_t i = 0; i < sizeof sec / sizeof sec[0]; i++) {
        sb_printf(b, "| %s | %llu | %llu |\n", sec[i].name, (unsigned long long)off, (unsigned long long)sec[i].size);
        off += sec[i].size;
    }
    sb_printf(b, "| Content_Checksum | %llu | 4 |\n", (unsigned long long)off);
    sb_printf(b, "\nStream_Size = 64 + 24·%llu + 32·%llu + 16·%llu + %llu + 2·%llu + 4 = **%zu bytes**; "
                 "Content_Checksum = 0x%08lX.\n",
              (unsigned long long)t, (unsigned long long)g, (unsigned long long)(g + 1),
              (unsigned long long)h->sign_mantissa_len, (unsigned long long)h->full_len, e->stream_size,
              (unsigned long)h->content_checksum);
}

/* ---------------------------------------------------------------- example "tile" (spec 10.1) */

/* The tile of the reference notes (tca-tbe-layout.md section 4.1): code (r + c) mod 8, code-0
 * positions holding special or out-of-window values. */
static const uint16_t tile_values[64] = {
    0x0000, 0x3A30, 0x3AD5, 0xBB7A, 0x3B9F, 0x3C44, 0xBCE9, 0x3D0E, /* r0 */
    0x3A33, 0xBAD8, 0x3B7D, 0x3BA2, 0xBC47, 0x3CEC, 0x3D11, 0x8000, /* r1 */
    0x3ADB, 0x3B00, 0xBBA5, 0x3C4A, 0x3CEF, 0xBD14, 0x7FC1, 0x3A5E, /* r2 */
    0xBB03, 0x3BA8, 0x3C4D, 0xBCF2, 0x3D17, 0x7F80, 0xBA61, 0x3A86, /* r3 */
    0x3BAB, 0xBC50, 0x3CF5, 0x3D1A, 0x0005, 0x3A64, 0x3A89, 0xBB2E, /* r4 */
    0x3C53, 0x3CF8, 0xBD1D, 0x3F80, 0x3A67, 0xBA8C, 0x3B31, 0x3BD6, /* r5 */
    0xBCFB, 0x3D20, 0xC2F7, 0xBA6A, 0x3A8F, 0x3B34, 0xBBD9, 0x3C7E, /* r6 */
    0x3D23, 0x3E80, 0x3A6D, 0x3A92, 0xBB37, 0x3BDC, 0x3C01, 0xBCA6, /* r7 */
};

static tca_status example_tile(strbuf *b)
{
    example e;
    tca_status st = example_encode(&e, tile_values, 8, 8);
    if (st != TCA_OK) {
        example_free(&e);
        return st;
    }
    const tca_tbe_view *v = &e.m->view;

    sb_printf(b, "Input `W[8][8]` (hex BF16; row r along M, column c along K):\n\n");
    sb_printf(b, "| r \\ c | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 |\n|---|---|---|---|---|---|---|---|---|\n");
    for (int r = 0; r < 8; r++) {
        sb_printf(b, "| %d |", r);
        for (int c = 0; c < 8; c++) sb_printf(b, " %04X |", tile_values[8 * r + c]);
        sb_printf(b, "\n");
    }

    /* coverage of every window (spec 4.5), counted here from the values */
    unsigned cover_best = 0, cover_other = 0, w0_best = 0;
    for (unsigned w0 = 1; w0 <= 249; w0++) {
        unsigned cover = 0;
        for (int i = 0; i < 64; i++) cover += TCA_BF16_EXP(tile_values[i]) >= w0 && TCA_BF16_EXP(tile_values[i]) <= w0 + 6;
        if (cover > cover_best) {
            cover_other = cover_best > cover_other ? cover_best : cover_other;
            cover_best = cover;
            w0_best = w0;
        } else if (cover > cover_other) {
            cover_other = cover;
        }
    }
    unsigned base = v->hdr.base;
    if (w0_best != base + 1) {
        st = TCA_ERROR_INTERNAL; /* the encoder did not choose by spec 4.5 */
        goto out;
    }
    sb_printf(b, "\nWindow selection (4.5) picks w0 = %u: the window %u..%u holds %u of the 64 elements, "
                 "every other window at most %u. So `Base_Exponent` = %u. Codes (4.2; 0 = fallback):\n\n",
              base + 1, base + 1, base + 7, cover_best, cover_other, base);
    sb_printf(b, "| r \\ c | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 |\n|---|---|---|---|---|---|---|---|---|\n");
    for (unsigned r = 0; r < 8; r++) {
        sb_printf(b, "| %u |", r);
        for (unsigned c = 0; c < 8; c++) {
            tca_edu_trace tr;
            if ((st = tca_edu_decode_element(v, r, c, &tr)) != TCA_OK) goto out;
            sb_printf(b, " %u |", tr.code);
        }
        sb_printf(b, "\n");
    }

    uint64_t b1 = view_word(v->bitmap[0], 0), b2 = view_word(v->bitmap[1], 0), b3 = view_word(v->bitmap[2], 0);
    uint64_t ind = b1 | b2 | b3;
    unsigned n = 0;
    for (uint64_t x = ind; x; x &= x - 1) n++;
    sb_printf(b, "\nSmall tile 0 (6.1; bit p = 8r + c, 5.3):\n\n```\n");
    sb_printf(b, "B1  = 0x%016llX\n", (unsigned long long)b1);
    sb_printf(b, "B2  = 0x%016llX\n", (unsigned long long)b2);
    sb_printf(b, "B3  = 0x%016llX\n", (unsigned long long)b3);
    sb_printf(b, "IND = 0x%016llX    popc(IND) = %u in-window, %u fallback\n```\n", (unsigned long long)ind, n, 64 - n);

    sb_printf(b, "\nSignMantissa bytes of small tile 0 (4.3; %u bytes, increasing p):\n\n```\n", n);
    for (unsigned i = 0; i < n; i++) sb_printf(b, "%02X%s", v->sign_mantissa[i], (i % 16 == 15 || i == n - 1) ? "\n" : " ");
    sb_printf(b, "```\n\nFull values of small tile 0 (4.4; %u values, increasing p):\n\n```\n", 64 - n);
    for (unsigned i = 0; i < 64 - n; i++)
        sb_printf(b, "%04X%s", tca__le16(v->full + 2 * i), (i % 16 == 15 || i == 63 - n) ? "\n" : " ");
    sb_printf(b, "```\n");

    sb_printf(b, "\nDecoding selected lanes (7.2, 7.3): lane l decodes p = 2l and 2l + 1 of the tile "
                 "into one `.bf16x2` register (even p in bits 15:0). `below` = popc(IND & ((1 << p) - 1)); an "
                 "in-window element reads SignMantissa[below], a fallback element Full[p - below].\n\n");
    sb_printf(b, "| Lane | p | (r, c) | IND bit | Code | below | Read | Result |\n|---|---|---|---|---|---|---|---|\n");
    static const unsigned lanes[] = {0, 6, 19, 31};
    uint32_t reg[4];
    for (unsigned li = 0; li < 4; li++) {
        reg[li] = 0;
        for (unsigned h = 0; h < 2; h++) {
            unsigned p = 2 * lanes[li] + h;
            tca_edu_trace tr;
            if ((st = tca_edu_decode_element(v, p / 8, p % 8, &tr)) != TCA_OK) goto out;
            if (tr.code)
                sb_printf(b, "| %u | %u | (%u, %u) | 1 | %u | %u | SignMantissa[%llu] = %02X | ((%02X & 0x80) << 8) \\| "
                             "((%u + %u) << 7) \\| (%02X & 0x7F) = **%04X** |\n",
                          lanes[li], p, p / 8, p % 8, tr.code, tr.below, (unsigned long long)tr.index,
                          v->sign_mantissa[tr.index], v->sign_mantissa[tr.index], base, tr.code,
                          v->sign_mantissa[tr.index], tr.value);
            else
                sb_printf(b, "| %u | %u | (%u, %u) | 0 | 0 | %u | Full[%u - %u] = Full[%llu] | **%04X** |\n", lanes[li], p,
                          p / 8, p % 8, tr.below, p, tr.below, (unsigned long long)tr.index, tr.value);
            reg[li] |= (uint32_t)tr.value << (16 * h);
        }
    }
    sb_printf(b, "\nThe registers: ");
    for (unsigned li = 0; li < 4; li++) sb_printf(b, "lane %u: 0x%08lX%s", lanes[li], (unsigned long)reg[li], li == 3 ? ".\n" : "; ");

    /* the rest of the stream */
    sb_printf(b, "\nThe other 63 small tiles of global tile 0 hold padding elements only (5.1): all their "
                 "bitmap bits are 0 and each adds 64 values `0000` to Full. So hf_0 = %u, full_0 = %u; the "
                 "SignMantissa section is padded with %llu zero bytes to %llu, the Full section with %llu "
                 "elements to %llu (6.4).\n\n",
              n, 4096 - n, (unsigned long long)(v->hdr.sign_mantissa_len - n), (unsigned long long)v->hdr.sign_mantissa_len,
              (unsigned long long)(v->hdr.full_len - (4096 - n)), (unsigned long long)v->hdr.full_len);
    sb_printf(b, "| Table | Entries |\n|---|---|\n");
    sb_printf(b, "| TOM (6.5) |");
    for (unsigned i = 0; i < 4; i++)
        sb_printf(b, " (%lu, %lu)%s", (unsigned long)tca__le32(v->tom + 8 * i), (unsigned long)tca__le32(v->tom + 8 * i + 4),
                  i == 3 ? " |\n" : ",");
    sb_printf(b, "| TOG (6.6) | (%llu, %llu), (%llu, %llu) |\n\n", (unsigned long long)tca__le64(v->tog),
              (unsigned long long)tca__le64(v->tog + 8), (unsigned long long)tca__le64(v->tog + 16),
              (unsigned long long)tca__le64(v->tog + 24));
    print_header_table(b, &e);
    sb_printf(b, "\n");
    print_sections(b, &e);
out:
    example_free(&e);
    return st;
}

/* ---------------------------------------------------------------- example "matrix" (spec 10.2) */

#define MATRIX_ROWS 80
#define MATRIX_COLS 136
#define MATRIX_SEED 0x7463612D73706563ull /* "tca-spec" */

/* The special values of the recipe, one comment per entry. */
static const uint16_t matrix_specials[8] = {
    0x0000, /* +0 */
    0x8000, /* -0 */
    0x0001, /* smallest positive subnormal */
    0x7F80, /* +Inf */
    0xFF80, /* -Inf */
    0x7FC1, /* quiet NaN with payload 0x41 */
    0x3F80, /* 1.0: normal, above the window */
    0xC000, /* -2.0: normal, above the window */
};

static void matrix_values(uint16_t *w)
{
    tca_prng r;
    tca_prng_seed(&r, MATRIX_SEED);
    for (unsigned i = 0; i < MATRIX_ROWS * MATRIX_COLS; i++) {
        if (tca_prng_below(&r, 100) < 2)
            w[i] = matrix_specials[tca_prng_below(&r, 8)];
        else
            w[i] = tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r));
    }
}

static tca_status example_matrix(strbuf *b)
{
    uint16_t *w = malloc(MATRIX_ROWS * MATRIX_COLS * sizeof *w);
    if (!w) return TCA_ERROR_ALLOC;
    matrix_values(w);
    example e;
    tca_status st = example_encode(&e, w, MATRIX_ROWS, MATRIX_COLS);
    if (st != TCA_OK) goto out;
    const tca_tbe_view *v = &e.m->view;

    sb_printf(b, "Recipe (reproducible with the PRNG of `spec/tca-test-vectors.md` section 2): seed the "
                 "SplitMix64 generator with 0x%016llX; for each element of `W[%d][%d]` in row-major order, "
                 "draw `u = below(100)`; if `u < 2`, the element is `specials[below(8)]` with specials = ",
              (unsigned long long)MATRIX_SEED, MATRIX_ROWS, MATRIX_COLS);
    for (int i = 0; i < 8; i++) sb_printf(b, "%s%04X", i ? ", " : "(", matrix_specials[i]);
    sb_printf(b, ") (+0, -0, subnormal, +Inf, -Inf, NaN, 1.0, -2.0); otherwise it is `normal()` × 0.02 "
                 "rounded to BF16 (nearest even, in one step from the double).\n\n");

    uint64_t in_window = 0;
    for (uint64_t r = 0; r < MATRIX_ROWS; r++)
        for (uint64_t c = 0; c < MATRIX_COLS; c++) {
            tca_edu_trace tr;
            if ((st = tca_edu_decode_element(v, r, c, &tr)) != TCA_OK) goto out;
            in_window += tr.code != 0;
        }
    sb_printf(b, "The padded matrix is 128 × 192 (5.1): GR = 2, GC = 3, G = 6 global tiles, T = 384 small "
                 "tiles; %u of its 24576 elements are padding. Window selection (4.5) picks w0 = %u "
                 "(base %u): %llu of the %d logical elements are in-window.\n\n",
              128 * 192 - MATRIX_ROWS * MATRIX_COLS, v->hdr.base + 1u, v->hdr.base, (unsigned long long)in_window,
              MATRIX_ROWS * MATRIX_COLS);

    print_header_table(b, &e);

    sb_printf(b, "\nPer global tile g = gm·3 + gk (6.2-6.4): logical rows × columns, in-window count hf_g, "
                 "fallback count full_g (padding elements included), and the padded counts:\n\n");
    sb_printf(b, "| g | (gm, gk) | Logical part | hf_g | full_g | ceil16(hf_g) | ceil8(full_g) |\n"
                 "|---|---|---|---|---|---|---|\n");
    for (uint64_t g = 0; g < 6; g++) {
        uint64_t hf = 0;
        for (uint64_t t = 64 * g; t < 64 * g + 64; t++) {
            uint64_t ind = view_word(v->bitmap[0], t) | view_word(v->bitmap[1], t) | view_word(v->bitmap[2], t);
            for (; ind; ind &= ind - 1) hf++;
        }
        uint64_t gm = g / 3, gk = g % 3;
        uint64_t lr = MATRIX_ROWS - 64 * gm < 64 ? MATRIX_ROWS - 64 * gm : 64;
        uint64_t lc = MATRIX_COLS - 64 * gk < 64 ? MATRIX_COLS - 64 * gk : 64;
        sb_printf(b, "| %llu | (%llu, %llu) | %llu × %llu | %llu | %llu | %llu | %llu |\n", (unsigned long long)g,
                  (unsigned long long)gm, (unsigned long long)gk, (unsigned long long)lr, (unsigned long long)lc,
                  (unsigned long long)hf, (unsigned long long)(4096 - hf), (unsigned long long)((hf + 15) / 16 * 16),
                  (unsigned long long)((4096 - hf + 7) / 8 * 8));
    }

    sb_printf(b, "\nTOM (6.5), entry 4g + med = (hf, full) of the preceding median tiles of g:\n\n");
    sb_printf(b, "| g | med 0 | med 1 | med 2 | med 3 |\n|---|---|---|---|---|\n");
    for (uint64_t g = 0; g < 6; g++) {
        sb_printf(b, "| %llu |", (unsigned long long)g);
        for (uint64_t med = 0; med < 4; med++)
            sb_printf(b, " (%lu, %lu) |", (unsigned long)tca__le32(v->tom + 8 * (4 * g + med)),
                      (unsigned long)tca__le32(v->tom + 8 * (4 * g + med) + 4));
        sb_printf(b, "\n");
    }
    sb_printf(b, "\nTOG (6.6), exclusive prefix sums of the padded counts:\n\n| g | TOG[g].hf | TOG[g].full |\n|---|---|---|\n");
    for (uint64_t g = 0; g <= 6; g++)
        sb_printf(b, "| %llu | %llu | %llu |\n", (unsigned long long)g, (unsigned long long)tca__le64(v->tog + 16 * g),
                  (unsigned long long)tca__le64(v->tog + 16 * g + 8));

    sb_printf(b, "\n");
    print_sections(b, &e);
    sb_printf(b, "\nThat is %.3f bits per element of the padded matrix (section 12: 11.094 + 8f with a "
                 "fallback fraction f = %.3f, padding elements included), but %.3f bits per logical element: "
                 "raw BF16 (%d bytes) / stream = %.3f. A matrix this small and this ragged is dominated by "
                 "its padding elements; for real weight matrices (multiples of 64) the padding vanishes.\n",
              8.0 * (double)e.stream_size / (128 * 192), 1.0 - (double)in_window / (128 * 192),
              8.0 * (double)e.stream_size / (MATRIX_ROWS * MATRIX_COLS), 2 * MATRIX_ROWS * MATRIX_COLS,
              (double)(2 * MATRIX_ROWS * MATRIX_COLS) / (double)e.stream_size);

    /* three elements by random access */
    sb_printf(b, "\nThree elements by random access (7.2): location (5.2), stream starts from TOG, TOM and the "
                 "popcounts of the preceding small tiles of the median tile, then the in-tile prefix count:\n\n");
    sb_printf(b, "| (r, c) | g | med | j | t | p | hf_start | full_start | below | Code | Read | Value |\n"
                 "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    static const uint64_t pick[3][2] = {{0, 0}, {37, 100}, {MATRIX_ROWS - 1, MATRIX_COLS - 1}};
    for (int i = 0; i < 3; i++) {
        tca_edu_trace tr;
        if ((st = tca_edu_decode_element(v, pick[i][0], pick[i][1], &tr)) != TCA_OK) goto out;
        sb_printf(b, "| (%llu, %llu) | %llu | %u | %u | %llu | %u | %llu | %llu | %u | %u | %s[%llu] | %04X |\n",
                  (unsigned long long)pick[i][0], (unsigned long long)pick[i][1], (unsigned long long)tr.g, tr.med,
                  tr.j, (unsigned long long)tr.t, tr.p, (unsigned long long)tr.hf_start,
                  (unsigned long long)tr.full_start, tr.below, tr.code, tr.code ? "SignMantissa" : "Full",
                  (unsigned long long)tr.index, tr.value);
        if (tr.value != w[pick[i][0] * MATRIX_COLS + pick[i][1]]) st = TCA_ERROR_INTERNAL;
    }
out:
    example_free(&e);
    free(w);
    return st;
}

/* ---------------------------------------------------------------- entry point */

tca_status tca_edu_example_markdown(const char *name, char **out)
{
    if (!name || !out) return TCA_ERROR_PARAM_NULL;
    strbuf b = {NULL, 0, 0, 0};
    tca_status st;
    if (!strcmp(name, "tile"))
        st = example_tile(&b);
    else if (!strcmp(name, "matrix"))
        st = example_matrix(&b);
    else
        return TCA_ERROR_PARAM_INVALID;
    if (st == TCA_OK && (b.failed || !b.p)) st = TCA_ERROR_ALLOC;
    if (st != TCA_OK) {
        free(b.p);
        return st;
    }
    *out = b.p;
    return TCA_OK;
}
