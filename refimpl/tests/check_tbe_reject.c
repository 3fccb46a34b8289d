/* SPDX-License-Identifier: Apache-2.0 */
/* Rejection (spec 7.1): for each FORMAT error code, a valid stream corrupted so that exactly
 * that rule is violated (the header CRC and the Content_Checksum are recomputed where needed so
 * that the intended check is the one that fires); random corruption never crashes and never
 * decodes to anything but the original. Section offsets are computed here from the
 * architecture's table (docs/architecture.md section 4), not by the library. */
#include <stdlib.h>
#include <string.h>
#include "tca/tca.h"
#include "test_util.h"

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}
static void wr64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static void wr32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* A test stream and the places of its sections. */
typedef struct fixture {
    uint8_t *s;
    size_t n;
    uint64_t M, K, G, T;
    size_t b1, tom, tog, sm, full, crc; /* byte offsets */
    uint16_t *w;
} fixture;

static void locate(fixture *f)
{
    f->M = rd64(f->s + 8);
    f->K = rd64(f->s + 16);
    f->G = ((f->M + 63) / 64) * ((f->K + 63) / 64);
    f->T = 64 * f->G;
    f->b1 = 64;
    f->tom = f->b1 + 24 * f->T;
    f->tog = f->tom + 32 * f->G;
    f->sm = f->tog + 16 * (f->G + 1);
    f->full = f->sm + rd64(f->s + 40);
    f->crc = f->full + 2 * rd64(f->s + 48);
}

/* 100 x 130 (2 x 3 global tiles, ragged on both edges), Gaussian with 10 % specials, so tiles
 * have padding in both streams. */
static void make(fixture *f, int checksum)
{
    f->M = 100;
    f->K = 130;
    f->w = malloc(f->M * f->K * 2);
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed());
    for (uint64_t i = 0; i < f->M * f->K; i++)
        f->w[i] = tca_prng_below(&r, 10) ? tca_bf16_from_double_rne(0.02 * tca_prng_normal(&r)) : (uint16_t)tca_prng_u32(&r);
    tca_tbe_encode_options o;
    tca_tbe_encode_options_default(&o);
    o.content_checksum = checksum;
    tca_tbe_matrix *m = NULL;
    tca_ck_assert_status(tca_tbe_encode(f->w, f->M, f->K, &o, NULL, &m), TCA_OK);
    size_t cap = (size_t)tca_tbe_stream_bound(f->M, f->K) + 64; /* room to grow in tests */
    f->s = malloc(cap);
    tca_ck_assert_status(tca_tbe_stream_write(&m->view, f->s, cap, &f->n), TCA_OK);
    tca_tbe_matrix_free(m);
    locate(f);
}

static void unmake(fixture *f)
{
    free(f->s);
    free(f->w);
}

static void fix_header_crc(fixture *f) { wr32(f->s + 60, tca_crc32c(f->s, 60)); }
static void fix_content_crc(fixture *f)
{
    if (f->s[7] & 1) wr32(f->s + f->n - 4, tca_crc32c(f->s + 64, f->n - 68));
}

static tca_status decode(const fixture *f)
{
    uint16_t *d = malloc(f->M * f->K * 2 + 2);
    tca_status st = tca_tbe_decode_stream(f->s, f->n, d, f->M * f->K);
    free(d);
    return st;
}

/* Unpadded in-window count of global tile g, from the planes (popcount written out). */
static uint64_t tile_hf(const fixture *f, uint64_t g)
{
    uint64_t n = 0;
    for (uint64_t t = 64 * g; t < 64 * g + 64; t++) {
        uint64_t ind = rd64(f->s + f->b1 + 8 * t) | rd64(f->s + f->b1 + 8 * (f->T + t)) |
                       rd64(f->s + f->b1 + 8 * (2 * f->T + t));
        for (int b = 0; b < 64; b++) n += (ind >> b) & 1;
    }
    return n;
}

/* Insert k zero bytes at offset off (the buffer has room). */
static void insert_zeros(fixture *f, size_t off, size_t k)
{
    memmove(f->s + off + k, f->s + off, f->n - off);
    memset(f->s + off, 0, k);
    f->n += k;
}

START_TEST(test_tbe_reject_valid_fixture)
{
    fixture f;
    make(&f, 1);
    tca_ck_assert_status(decode(&f), TCA_OK);
    ck_assert_uint_eq(f.crc + 4, f.n);
    unmake(&f);
}
END_TEST

START_TEST(test_tbe_reject_header_fields)
{
    fixture f;
    make(&f, 1);
    uint8_t *orig = malloc(f.n);
    memcpy(orig, f.s, f.n);
#define RESET() memcpy(f.s, orig, f.n)
    f.s[0] ^= 1; /* spec 3.1 */
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_MAGIC);
    RESET();
    f.s[3] = 0x42;
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_MAGIC);
    RESET();
    f.s[4] = 2; /* spec 3.2: another major */
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_VERSION);
    RESET();
    f.s[4] = 0;
    fix_header_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_VERSION);
    RESET();
    f.s[5] = 7; /* spec 3.2: any minor is accepted */
    fix_header_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_OK);
    RESET();
    f.s[6] = 7; /* spec 3.3 */
    fix_header_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_LAYOUT);
    RESET();
    f.s[6] = 1; /* layout F: not read by the v1 decoder */
    fix_header_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_LAYOUT);
    RESET();
    f.s[6] = 1; /* spec 7.1 order: Layout (V5) is checked before the Reserved fields (V6) */
    f.s[7] |= 0x80;
    fix_header_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_LAYOUT);
    static const size_t reserved[] = {25, 26, 27, 36, 37, 38, 39, 56, 57, 58, 59};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        RESET();
        f.s[reserved[i]] = 0x01; /* spec 3.4 */
        fix_header_crc(&f);
        tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_RESERVED);
    }
    for (int bit = 1; bit < 8; bit++) {
        RESET();
        f.s[7] |= (uint8_t)(1u << bit); /* spec 3.4: Flags bits 1-7 */
        fix_header_crc(&f);
        tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_RESERVED);
    }
    RESET();
    f.s[60] ^= 0x80; /* spec 3.8 */
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_HEADER_CHECKSUM);
    RESET();
    f.s[8] ^= 1; /* a field changed, CRC not updated */
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_HEADER_CHECKSUM);
    RESET();
    wr64(f.s + 8, 0); /* spec 3.5: rows 0 */
    fix_header_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_SHAPE);
    RESET();
    wr64(f.s + 16, 0); /* cols 0 */
    fix_header_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_SHAPE);
    RESET();
    wr64(f.s + 8, (1ull << 32) + 1); /* rows > 2^32 */
    fix_header_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_SHAPE);
    RESET();
    wr64(f.s + 8, 1ull << 32); /* both at 2^32: padded product 2^64 > 2^44 */
    wr64(f.s + 16, 1ull << 32);
    fix_header_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_SHAPE);
    static const uint8_t bad_base[] = {249, 250, 255};
    for (size_t i = 0; i < 3; i++) {
        RESET();
        f.s[24] = bad_base[i]; /* spec 3.6, defect D1 */
        fix_header_crc(&f);
        tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_BASE_RANGE);
    }
#undef RESET
    free(orig);
    unmake(&f);
}
END_TEST

START_TEST(test_tbe_reject_sizes)
{
    fixture f;
    make(&f, 1);
    size_t n = f.n;
    f.n = n - 1; /* spec 6.8 */
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_TRUNCATED);
    f.n = 63;
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_TRUNCATED);
    f.n = 0;
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_TRUNCATED);
    f.n = n + 1;
    f.s[n] = 0;
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_TRAILING);
    f.n = n;
    /* lengths that are not sums of padded per-tile counts (spec 6.4): the sections are resized
     * so that the stream size stays consistent; the totals check (spec 7.1 V19) fires */
    {
        fixture g;
        make(&g, 1);
        insert_zeros(&g, g.full, 3);
        wr64(g.s + 40, rd64(g.s + 40) + 3);
        fix_header_crc(&g);
        locate(&g);
        fix_content_crc(&g);
        tca_ck_assert_status(decode(&g), TCA_ERROR_FORMAT_COUNTS);
        unmake(&g);
        make(&g, 1);
        insert_zeros(&g, g.crc, 2); /* one more Full element */
        wr64(g.s + 48, rd64(g.s + 48) + 1);
        fix_header_crc(&g);
        locate(&g);
        fix_content_crc(&g);
        tca_ck_assert_status(decode(&g), TCA_ERROR_FORMAT_COUNTS);
        unmake(&g);
    }
    /* a length that can never fit (above 4096 per global tile) */
    wr64(f.s + 40, 4096 * f.G + 16);
    fix_header_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_COUNTS);
    unmake(&f);
}
END_TEST

START_TEST(test_tbe_reject_tog)
{
    fixture f;
    make(&f, 1);
    uint8_t *orig = malloc(f.n);
    memcpy(orig, f.s, f.n);
    wr64(f.s + f.tog, 16); /* spec 6.6: TOG[0] MUST be (0, 0) */
    fix_content_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_TOG);
    memcpy(f.s, orig, f.n);
    wr64(f.s + f.tog + 8, 8);
    fix_content_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_TOG);
    memcpy(f.s, orig, f.n);
    /* non-monotone: TOG[2].hf below TOG[1].hf */
    wr64(f.s + f.tog + 32, rd64(f.s + f.tog + 16) - 16);
    fix_content_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_TOG);
    memcpy(f.s, orig, f.n);
    /* off by one inside */
    wr64(f.s + f.tog + 16 + 8, rd64(f.s + f.tog + 16 + 8) + 1);
    fix_content_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_TOG);
    memcpy(f.s, orig, f.n);
    /* end mismatch: TOG[G] differs from the padded counts */
    wr64(f.s + f.tog + 16 * f.G, rd64(f.s + f.tog + 16 * f.G) - 1);
    fix_content_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_TOG);
    free(orig);
    unmake(&f);
}
END_TEST

START_TEST(test_tbe_reject_tom)
{
    fixture f;
    make(&f, 1);
    uint8_t *orig = malloc(f.n);
    memcpy(orig, f.s, f.n);
    for (uint64_t e = 0; e < 4 * f.G; e += 3) {
        for (int which = 0; which < 2; which++) {
            memcpy(f.s, orig, f.n);
            uint8_t *p = f.s + f.tom + 8 * e + 4 * which;
            wr32(p, rd32(p) + 1); /* spec 6.5 */
            fix_content_crc(&f);
            tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_TOM);
        }
    }
    /* a plane bit moved to another median tile keeps the tile total but breaks TOM: clear the
     * lowest set IND bit of median tile 0 and set a clear one in median tile 3 */
    memcpy(f.s, orig, f.n);
    int moved = 0;
    for (uint64_t t = 0; t < 16 && !moved; t++) {
        uint8_t *b1 = f.s + f.b1 + 8 * t, *b2 = b1 + 8 * f.T, *b3 = b2 + 8 * f.T;
        uint64_t ind = rd64(b1) | rd64(b2) | rd64(b3);
        if (!ind) continue;
        uint64_t bit = ind & (~ind + 1);
        wr64(b1, rd64(b1) & ~bit);
        wr64(b2, rd64(b2) & ~bit);
        wr64(b3, rd64(b3) & ~bit);
        moved = 1;
    }
    ck_assert(moved);
    moved = 0;
    for (uint64_t t = 48; t < 64 && !moved; t++) {
        uint8_t *b1 = f.s + f.b1 + 8 * t, *b2 = b1 + 8 * f.T, *b3 = b2 + 8 * f.T;
        uint64_t ind = rd64(b1) | rd64(b2) | rd64(b3);
        if (ind == ~0ull) continue;
        uint64_t bit = ~ind & (ind + 1);
        wr64(b1, rd64(b1) | bit);
        moved = 1;
    }
    ck_assert(moved);
    fix_content_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_TOM);
    free(orig);
    unmake(&f);
}
END_TEST

/* Header lengths that disagree with TOG[G] (the sections are resized to match, so the stream
 * size is consistent). */
START_TEST(test_tbe_reject_counts)
{
    fixture f;
    make(&f, 1);
    insert_zeros(&f, f.full, 16); /* 16 more SignMantissa bytes at its end */
    wr64(f.s + 40, rd64(f.s + 40) + 16);
    fix_header_crc(&f);
    locate(&f);
    fix_content_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_COUNTS); /* spec 6.8 */
    unmake(&f);
    make(&f, 1);
    insert_zeros(&f, f.crc, 16); /* 8 more Full elements */
    wr64(f.s + 48, rd64(f.s + 48) + 8);
    fix_header_crc(&f);
    locate(&f);
    fix_content_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_COUNTS);
    unmake(&f);
}
END_TEST

START_TEST(test_tbe_reject_maxima)
{
    fixture f;
    make(&f, 1);
    uint32_t max_sm = rd32(f.s + 28), max_full = rd32(f.s + 32);
    ck_assert_uint_ge(max_sm, 16);
    wr32(f.s + 28, max_sm - 16); /* spec 3.7 */
    fix_header_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_MAXIMA);
    wr32(f.s + 28, max_sm + 16);
    fix_header_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_MAXIMA);
    wr32(f.s + 28, max_sm);
    wr32(f.s + 32, max_full - 8);
    fix_header_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_MAXIMA);
    wr32(f.s + 32, 4104); /* above any tile's capacity */
    fix_header_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_MAXIMA);
    unmake(&f);
}
END_TEST

START_TEST(test_tbe_reject_padding)
{
    fixture f;
    make(&f, 1);
    uint8_t *orig = malloc(f.n + 64);
    memcpy(orig, f.s, f.n);
    size_t n0 = f.n;
    int hit_sm = 0, hit_full = 0;
    for (uint64_t g = 0; g < f.G; g++) {
        uint64_t hf = tile_hf(&f, g), fl = 4096 - hf;
        uint64_t hf_end = rd64(f.s + f.tog + 16 * (g + 1)), fl_end = rd64(f.s + f.tog + 16 * (g + 1) + 8);
        if (hf % 16) { /* spec 6.4: a non-zero SignMantissa padding byte */
            f.s[f.sm + hf_end - 1] = 0x01;
            fix_content_crc(&f);
            tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_PADDING);
            memcpy(f.s, orig, f.n);
            hit_sm = 1;
        }
        if (fl % 8) { /* a non-zero Full padding element */
            f.s[f.full + 2 * (fl_end - 1) + 1] = 0x80;
            fix_content_crc(&f);
            tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_PADDING);
            memcpy(f.s, orig, f.n);
            hit_full = 1;
        }
    }
    ck_assert(hit_sm && hit_full);
    /* excess padding: 16 more zero bytes after global tile 0's SignMantissa slice, every later
     * TOG entry and the length moved up consistently */
    uint64_t end0 = rd64(f.s + f.tog + 16);
    insert_zeros(&f, f.sm + end0, 16);
    for (uint64_t g = 1; g <= f.G; g++) wr64(f.s + f.tog + 16 * g, rd64(f.s + f.tog + 16 * g) + 16);
    wr64(f.s + 40, rd64(f.s + 40) + 16);
    fix_header_crc(&f);
    locate(&f);
    fix_content_crc(&f);
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_PADDING);
    f.n = n0;
    memcpy(f.s, orig, n0);
    locate(&f);
    tca_ck_assert_status(decode(&f), TCA_OK);
    free(orig);
    unmake(&f);
}
END_TEST

/* Full index of padded-matrix element (r, c), walking the reference's traversal order and
 * counting fallback elements (IND bit clear) with the padded per-tile starts from TOG. */
static uint64_t full_index_of(const fixture *f, uint64_t r, uint64_t c)
{
    uint64_t gcols = (f->K + 63) / 64, g = (r / 64) * gcols + c / 64;
    uint64_t med = (r % 64) / 16, j = ((c % 64) / 8) * 2 + (r % 16) / 8, p = 8 * (r % 8) + c % 8;
    uint64_t idx = rd64(f->s + f->tog + 16 * g + 8);
    for (uint64_t t = 64 * g; t <= 64 * g + 16 * med + j; t++) {
        uint64_t ind = rd64(f->s + f->b1 + 8 * t) | rd64(f->s + f->b1 + 8 * (f->T + t)) |
                       rd64(f->s + f->b1 + 8 * (2 * f->T + t));
        uint64_t last = (t == 64 * g + 16 * med + j) ? p : 64;
        for (uint64_t b = 0; b < last; b++) idx += !((ind >> b) & 1);
    }
    return idx;
}

START_TEST(test_tbe_reject_pad_element)
{
    fixture f;
    make(&f, 1);
    /* padding elements: rows 100..127 (any column), columns 130..191 (any row) */
    static const uint64_t where[][2] = {{100, 0}, {127, 191}, {0, 130}, {99, 191}, {120, 64}, {101, 140}};
    uint8_t *orig = malloc(f.n);
    memcpy(orig, f.s, f.n);
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
        uint64_t k = full_index_of(&f, where[i][0], where[i][1]);
        ck_assert_uint_eq(f.s[f.full + 2 * k] | f.s[f.full + 2 * k + 1], 0);
        f.s[f.full + 2 * k] = 0x80; /* +0.0 -> 0x0080, spec 5.1 */
        fix_content_crc(&f);
        tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_PAD_ELEMENT);
        memcpy(f.s, orig, f.n);
        f.s[f.full + 2 * k + 1] = 0x80; /* +0.0 -> -0.0 */
        fix_content_crc(&f);
        tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_PAD_ELEMENT);
        memcpy(f.s, orig, f.n);
    }
    free(orig);
    unmake(&f);
}
END_TEST

START_TEST(test_tbe_reject_content_checksum)
{
    fixture f;
    make(&f, 1);
    f.s[f.n - 1] ^= 0x10; /* spec 6.9: stored checksum */
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_CONTENT_CHECKSUM);
    f.s[f.n - 1] ^= 0x10;
    f.s[f.sm] ^= 0x01; /* a value byte: structure intact */
    tca_ck_assert_status(decode(&f), TCA_ERROR_FORMAT_CONTENT_CHECKSUM);
    f.s[f.sm] ^= 0x01;
    tca_ck_assert_status(decode(&f), TCA_OK);
    unmake(&f);
}
END_TEST

/* spec 4.4, V22: a Full value whose exponent lies in the window is non-canonical and rejected,
 * after the checksum rule; exponents just outside the window (base and base + 8) stay valid. */
START_TEST(test_tbe_reject_noncanonical)
{
    fixture f;
    make(&f, 1);
    unsigned base = f.s[24];
    uint16_t orig = (uint16_t)(f.s[f.full] | f.s[f.full + 1] << 8); /* first fallback, logical */
    for (unsigned e = base; e <= base + 8; e++) {
        uint16_t x = (uint16_t)((orig & 0x807Fu) | (e << 7));
        f.s[f.full] = (uint8_t)x;
        f.s[f.full + 1] = (uint8_t)(x >> 8);
        /* stale checksum: V21 is reported first */
        tca_status expect_stale = x == orig ? TCA_OK : TCA_ERROR_FORMAT_CONTENT_CHECKSUM;
        tca_ck_assert_status(decode(&f), expect_stale);
        fix_content_crc(&f);
        int inside = e >= base + 1 && e <= base + 7;
        tca_ck_assert_status(decode(&f), inside ? TCA_ERROR_FORMAT_NONCANONICAL : TCA_OK);
        f.s[f.full] = (uint8_t)orig;
        f.s[f.full + 1] = (uint8_t)(orig >> 8);
        fix_content_crc(&f);
    }
    /* the last Full value of the section (padding or not) is checked too */
    size_t last = f.crc - 2;
    f.s[last + 1] = (uint8_t)((f.s[last + 1] & 0x80) | ((base + 7) >> 1));
    f.s[last] = (uint8_t)((f.s[last] & 0x7F) | (((base + 7) & 1) << 7));
    fix_content_crc(&f);
    tca_status st = decode(&f);
    ck_assert_msg(st == TCA_ERROR_FORMAT_NONCANONICAL || st == TCA_ERROR_FORMAT_PADDING ||
                      st == TCA_ERROR_FORMAT_PAD_ELEMENT,
                  "got %s", tca_status_name(st));
    unmake(&f);
}
END_TEST

/* Random corruption: with the checksum, every change is an error or decodes to the original;
 * without it, never a crash (run under ASan/UBSan). */
START_TEST(test_tbe_reject_random_flips)
{
    tca_prng r;
    tca_prng_seed(&r, tca_test_seed() ^ 0xF1);
    uint64_t n = tca_test_count(1500, 50000);
    for (int checksum = 1; checksum >= 0; checksum--) {
        fixture f;
        make(&f, checksum);
        uint8_t *orig = malloc(f.n);
        memcpy(orig, f.s, f.n);
        uint16_t *d = malloc(f.M * f.K * 2);
        for (uint64_t i = 0; i < n; i++) {
            memcpy(f.s, orig, f.n);
            size_t len = f.n;
            unsigned flips = 1 + (unsigned)tca_prng_below(&r, 3);
            for (unsigned k = 0; k < flips; k++) {
                /* half of the flips hit the header and offset tables, where structure lives */
                size_t at = tca_prng_below(&r, 2) ? (size_t)tca_prng_below(&r, f.sm) : (size_t)tca_prng_below(&r, f.n);
                f.s[at] ^= (uint8_t)(1u << tca_prng_below(&r, 8));
            }
            if (tca_prng_below(&r, 8) == 0) len = (size_t)tca_prng_below(&r, f.n + 1);
            /* sometimes make the header CRC valid again: the header then says what it says
             * (e.g. another base), so only "no crash, format error or success" is required */
            int refreshed = tca_prng_below(&r, 4) == 0;
            if (refreshed) wr32(f.s + 60, tca_crc32c(f.s, 60));
            tca_status st = tca_tbe_decode_stream(f.s, len, d, f.M * f.K);
            if (st == TCA_OK && checksum && !refreshed) ck_assert_mem_eq(d, f.w, (size_t)(f.M * f.K * 2));
            if (st != TCA_OK)
                ck_assert_msg(tca_status_is_format_error(st) || st == TCA_ERROR_PARAM_DST_TOO_SMALL, "status %s",
                              tca_status_name(st));
        }
        free(d);
        free(orig);
        unmake(&f);
    }
}
END_TEST

Suite *tca_tbe_reject_suite(void);
Suite *tca_tbe_reject_suite(void)
{
    Suite *s = suite_create("tbe_reject");
    TCase *tc = tcase_create("reject");
    tcase_add_test(tc, test_tbe_reject_valid_fixture);
    tcase_add_test(tc, test_tbe_reject_header_fields);
    tcase_add_test(tc, test_tbe_reject_sizes);
    tcase_add_test(tc, test_tbe_reject_tog);
    tcase_add_test(tc, test_tbe_reject_tom);
    tcase_add_test(tc, test_tbe_reject_counts);
    tcase_add_test(tc, test_tbe_reject_maxima);
    tcase_add_test(tc, test_tbe_reject_padding);
    tcase_add_test(tc, test_tbe_reject_pad_element);
    tcase_add_test(tc, test_tbe_reject_content_checksum);
    tcase_add_test(tc, test_tbe_reject_noncanonical);
    tcase_add_test(tc, test_tbe_reject_random_flips);
    suite_add_tcase(s, tc);
    return s;
}
