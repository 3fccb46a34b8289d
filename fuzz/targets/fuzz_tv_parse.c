/* SPDX-License-Identifier: Apache-2.0 */
/* Any bytes through the vector-file readers (refimpl/include/tca/tv.h; spec/tca-test-vectors.md):
 * the conformance runner reads .tv files and MANIFEST.tsv written by others, so they must never
 * crash, hang or leak. Invariants:
 *   - tca_tv_parse: TCA_OK or a TV_* code (vectors 3); accepted files have a header without id
 *     and records with unique decimal ids;
 *   - parse -> write (tca_tv_put of every key/value) -> parse gives the same groups, keys and
 *     values (the writer produces the canonical form the reader accepts), and writing that again
 *     gives the identical bytes;
 *   - each record read as an MMA case with every op (vectors 4) either fails with a TV_* code or
 *     writes back (tca_tv_mma_case_write) to text that reads back to the same case;
 *   - the value parsers on every value: tca_tv_parse_u64 agrees with an independent model of
 *     vectors 3.4 (decimal without leading zeros, or 0x + 1..16 hex digits); hex16/hex32/bytes/
 *     sha256 accept only well-formed text, and what they accept writes back and parses equal;
 *   - tca_tv_manifest_parse: TCA_OK or a TV_* code (vectors 8.1); accepted rows write back
 *     (tca_tv_manifest_put_row) to text that parses to the same rows. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_util.h"
#include "tca/tv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_tv_error(tca_status st)
{
    return st == TCA_ERROR_TV_SYNTAX || st == TCA_ERROR_TV_VALUE || st == TCA_ERROR_TV_MISSING;
}
#define TV_ERROR(st) FUZZ_ASSERT_MSG(is_tv_error(st), "got %s", tca_status_name(st))

/* ------------------------------------------------------------------ value parsers vs models */

static int hexd(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* vectors 3.4, written independently: returns 1 and *v for a well-formed unsigned integer. */
static int model_u64(const char *t, uint64_t *v)
{
    size_t n = strlen(t);
    uint64_t x = 0;
    if (n >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
        if (n == 2 || n > 18) return 0;
        for (size_t i = 2; i < n; i++) {
            int d = hexd(t[i]);
            if (d < 0) return 0;
            x = x * 16 + (uint64_t)d;
        }
    } else {
        if (n == 0 || n > 20 || (n > 1 && t[0] == '0')) return 0;
        for (size_t i = 0; i < n; i++) {
            if (t[i] < '0' || t[i] > '9') return 0;
            uint64_t d = (uint64_t)(t[i] - '0');
            if (x > (UINT64_MAX - d) / 10) return 0;
            x = x * 10 + d;
        }
    }
    *v = x;
    return 1;
}

/* vectors 3.4: tokens of exactly `digits` hex digits separated by blanks; `#` ends the list. */
static long model_hex_count(const char *t, int digits)
{
    long count = 0;
    const char *p = t;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (*p == 0 || *p == '#') return count;
        for (int d = 0; d < digits; d++)
            if (hexd(p[d]) < 0) return -1;
        p += digits;
        if (*p != 0 && *p != ' ' && *p != '\t') return -1;
        count++;
    }
}

static void check_value(const char *v)
{
    uint64_t got = 0, want = 0;
    tca_status st = tca_tv_parse_u64(v, &got);
    int ok = model_u64(v, &want);
    FUZZ_ASSERT_MSG((st == TCA_OK) == ok, "parse_u64(\"%s\") returned %s", v, tca_status_name(st));
    if (ok) FUZZ_ASSERT(got == want);
    else TV_ERROR(st);

    /* hex arrays: any count the model sees, for both widths */
    for (int digits = 4; digits <= 8; digits += 4) {
        long n = model_hex_count(v, digits);
        size_t count = n > 0 ? (size_t)n : 3;
        if (count > 4096) count = 4096;
        uint32_t *a32 = malloc(count * sizeof *a32);
        uint16_t *a16 = malloc(count * sizeof *a16);
        FUZZ_ASSERT(a32 && a16);
        st = tca_tv_parse_hex32(v, a32, count, digits);
        FUZZ_ASSERT((st == TCA_OK) == (n >= 0 && (size_t)n == count));
        if (st == TCA_OK) {
            tca_tv_writer w;
            tca_tv_writer_init(&w, NULL);
            tca_tv_put_hex32(&w, "k", a32, count, digits);
            FUZZ_ASSERT(w.status == TCA_OK && w.len > 4 && w.buf[w.len - 1] == '\n');
            w.buf[w.len - 1] = 0;
            uint32_t *b32 = malloc(count * sizeof *b32);
            FUZZ_ASSERT(b32);
            FUZZ_ASSERT(tca_tv_parse_hex32(w.buf + 4, b32, count, digits) == TCA_OK); /* after "k = " */
            FUZZ_ASSERT(memcmp(a32, b32, count * sizeof *b32) == 0);
            free(b32);
            tca_tv_writer_free(&w);
        } else {
            TV_ERROR(st);
        }
        if (digits == 4) {
            st = tca_tv_parse_hex16(v, a16, count);
            FUZZ_ASSERT((st == TCA_OK) == (n >= 0 && (size_t)n == count));
            if (st == TCA_OK)
                for (size_t i = 0; i < count; i++) FUZZ_ASSERT(a16[i] == (uint16_t)a32[i]);
        }
        free(a32);
        free(a16);
    }

    /* byte strings and digests */
    size_t len = 0;
    st = tca_tv_parse_bytes(v, NULL, 0, &len);
    size_t n = strlen(v);
    int bytes_ok = (n == 1 && v[0] == '-') || n % 2 == 0;
    for (size_t i = 0; bytes_ok && !(n == 1 && v[0] == '-') && i < n; i++) bytes_ok = hexd(v[i]) >= 0;
    FUZZ_ASSERT((st == TCA_OK) == bytes_ok);
    if (st == TCA_OK) {
        uint8_t *buf = malloc(len ? len : 1);
        FUZZ_ASSERT(buf);
        size_t len2 = 0;
        FUZZ_ASSERT(tca_tv_parse_bytes(v, buf, len, &len2) == TCA_OK && len2 == len);
        if (len) FUZZ_ASSERT(tca_tv_parse_bytes(v, buf, len - 1, &len2) == TCA_ERROR_TV_VALUE);
        tca_tv_writer w;
        tca_tv_writer_init(&w, NULL);
        tca_tv_put_bytes(&w, "k", buf, len);
        FUZZ_ASSERT(w.status == TCA_OK);
        w.buf[w.len - 1] = 0;
        uint8_t *again = malloc(len ? len : 1);
        FUZZ_ASSERT(again);
        FUZZ_ASSERT(tca_tv_parse_bytes(w.buf + 4, again, len, &len2) == TCA_OK && len2 == len);
        if (len) FUZZ_ASSERT(memcmp(buf, again, len) == 0);
        free(again);
        free(buf);
        tca_tv_writer_free(&w);
    } else {
        TV_ERROR(st);
    }
    uint8_t digest[32];
    st = tca_tv_parse_sha256(v, digest);
    int sha_ok = n == 71 && !strncmp(v, "sha256:", 7);
    for (size_t i = 7; sha_ok && i < n; i++) sha_ok = hexd(v[i]) >= 0;
    FUZZ_ASSERT((st == TCA_OK) == sha_ok);
    if (st == TCA_OK) {
        tca_tv_writer w;
        tca_tv_writer_init(&w, NULL);
        tca_tv_put_sha256(&w, "k", digest);
        FUZZ_ASSERT(w.status == TCA_OK);
        w.buf[w.len - 1] = 0;
        uint8_t again[32];
        FUZZ_ASSERT(tca_tv_parse_sha256(w.buf + 4, again) == TCA_OK && !memcmp(digest, again, 32));
        tca_tv_writer_free(&w);
    }
}

/* ------------------------------------------------------------------------------ .tv files */

static void put_group(tca_tv_writer *w, const tca_tv_record *r)
{
    for (size_t i = 0; i < r->n_kv; i++) tca_tv_put(w, r->kv[i].key, r->kv[i].value);
    tca_tv_put_end(w);
}

static void same_group(const tca_tv_record *a, const tca_tv_record *b)
{
    FUZZ_ASSERT(a->n_kv == b->n_kv);
    for (size_t i = 0; i < a->n_kv; i++) {
        FUZZ_ASSERT(strcmp(a->kv[i].key, b->kv[i].key) == 0);
        FUZZ_ASSERT(strcmp(a->kv[i].value, b->kv[i].value) == 0);
    }
}

static void check_mma_records(const tca_tv_file *f)
{
    static const tca_mma_op ops[] = {
        {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32}, {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F32},
        {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F16},  {TCA_MMA_M16N8K8, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32},
        {TCA_MMA_M16N8K8, TCA_MMA_IN_F16, TCA_MMA_ACC_F32},   {TCA_MMA_M16N8K8, TCA_MMA_IN_F16, TCA_MMA_ACC_F16},
    };
    /* the op the header names, if any, must be one of them (vectors 4.1) */
    const char *name = tca_tv_get(&f->header, "op");
    tca_mma_op named;
    if (name) {
        tca_status st = tca_tv_mma_op_parse(name, &named);
        if (st == TCA_OK) FUZZ_ASSERT(strcmp(tca_tv_mma_op_name(named), "?") != 0);
        else TV_ERROR(st);
    }
    static tca_tv_mma_case c, again;
    for (size_t i = 0; i < f->n_records && i < 64; i++) {
        for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
            tca_status st = tca_tv_mma_case_read(&f->records[i], ops[o], &c);
            if (st != TCA_OK) {
                TV_ERROR(st);
                continue;
            }
            tca_tv_writer w;
            tca_tv_writer_init(&w, NULL);
            tca_tv_put_preamble(&w, NULL);
            tca_tv_put(&w, "op", tca_tv_mma_op_name(ops[o]));
            tca_tv_put_end(&w);
            tca_tv_mma_case_write(&w, ops[o], &c);
            FUZZ_ASSERT_MSG(w.status == TCA_OK, "writing a case read back failed: %s", tca_status_name(w.status));
            tca_tv_file *g = NULL;
            st = tca_tv_parse(w.buf, w.len, NULL, &g, NULL);
            FUZZ_ASSERT_MSG(st == TCA_OK, "written MMA case does not parse: %s", tca_status_name(st));
            FUZZ_ASSERT(g->n_records == 1);
            FUZZ_ASSERT(tca_tv_mma_case_read(&g->records[0], ops[o], &again) == TCA_OK);
            FUZZ_ASSERT(again.id == c.id);
            FUZZ_ASSERT(!memcmp(again.A, c.A, sizeof c.A) && !memcmp(again.B, c.B, sizeof c.B));
            FUZZ_ASSERT(!memcmp(again.C, c.C, sizeof c.C) && !memcmp(again.D, c.D, sizeof c.D));
            int had_flags = c.flags && c.flags[0], has_flags = again.flags && again.flags[0];
            FUZZ_ASSERT(had_flags == has_flags);
            if (had_flags) FUZZ_ASSERT(strcmp(c.flags, again.flags) == 0);
            tca_tv_free(g);
            tca_tv_writer_free(&w);
        }
    }
}

static void check_tv(const uint8_t *data, size_t size)
{
    tca_tv_file *f = NULL;
    tca_tv_error err;
    tca_status st = tca_tv_parse(data, size, NULL, &f, &err);
    if (st != TCA_OK) {
        TV_ERROR(st);
        FUZZ_ASSERT(memchr(err.message, 0, sizeof err.message) != NULL);
        return;
    }
    FUZZ_ASSERT(tca_tv_get(&f->header, "id") == NULL);
    for (size_t i = 0; i < f->n_records; i++) {
        uint64_t id;
        FUZZ_ASSERT(tca_tv_get_u64(&f->records[i], "id", &id) == TCA_OK);
    }

    /* parse -> write -> parse: the same groups; writing again: the same bytes */
    tca_tv_writer w1, w2;
    tca_tv_writer_init(&w1, NULL);
    tca_tv_put_preamble(&w1, NULL);
    put_group(&w1, &f->header);
    for (size_t i = 0; i < f->n_records; i++) put_group(&w1, &f->records[i]);
    if (w1.status == TCA_OK) {
        tca_tv_file *g = NULL;
        st = tca_tv_parse(w1.buf, w1.len, NULL, &g, &err);
        FUZZ_ASSERT_MSG(st == TCA_OK, "rewritten file does not parse: %s line %u: %s", tca_status_name(st),
                        (unsigned)err.line, err.message);
        FUZZ_ASSERT(g->n_records == f->n_records);
        same_group(&f->header, &g->header);
        for (size_t i = 0; i < f->n_records; i++) same_group(&f->records[i], &g->records[i]);
        tca_tv_writer_init(&w2, NULL);
        tca_tv_put_preamble(&w2, NULL);
        put_group(&w2, &g->header);
        for (size_t i = 0; i < g->n_records; i++) put_group(&w2, &g->records[i]);
        FUZZ_ASSERT(w2.status == TCA_OK && w2.len == w1.len && memcmp(w1.buf, w2.buf, w1.len) == 0);
        tca_tv_writer_free(&w2);
        tca_tv_free(g);
    } else {
        /* the only value the reader keeps and the writer refuses is one longer than a line
         * leaves room for after the longest key (vectors 3.2) */
        FUZZ_ASSERT(w1.status == TCA_ERROR_PARAM_INVALID);
        int long_value = 0;
        for (size_t i = 0; i < f->header.n_kv; i++)
            long_value |= strlen(f->header.kv[i].value) > TCA_TV_LINE_MAX - TCA_TV_KEY_MAX - 3;
        for (size_t r = 0; r < f->n_records; r++)
            for (size_t i = 0; i < f->records[r].n_kv; i++)
                long_value |= strlen(f->records[r].kv[i].value) > TCA_TV_LINE_MAX - TCA_TV_KEY_MAX - 3;
        FUZZ_ASSERT_MSG(long_value, "the writer refused a value the reader accepted");
    }
    tca_tv_writer_free(&w1);

    check_mma_records(f);
    size_t checked = 0;
    for (size_t i = 0; i < f->header.n_kv && checked < 64; i++, checked++) check_value(f->header.kv[i].value);
    for (size_t r = 0; r < f->n_records && checked < 64; r++)
        for (size_t i = 0; i < f->records[r].n_kv && checked < 64; i++, checked++)
            check_value(f->records[r].kv[i].value);
    tca_tv_free(f);
}

/* ------------------------------------------------------------------------------ manifest */

static void check_manifest(const uint8_t *data, size_t size)
{
    tca_tv_manifest m;
    tca_tv_error err;
    tca_status st = tca_tv_manifest_parse(data, size, NULL, &m, &err);
    if (st != TCA_OK) {
        TV_ERROR(st);
        return;
    }
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    tca_tv_manifest_put_header(&w);
    for (size_t i = 0; i < m.n_rows; i++) tca_tv_manifest_put_row(&w, &m.rows[i]);
    FUZZ_ASSERT(w.status == TCA_OK);
    tca_tv_manifest m2;
    st = tca_tv_manifest_parse(w.buf, w.len, NULL, &m2, &err);
    FUZZ_ASSERT_MSG(st == TCA_OK, "rewritten manifest does not parse: %s line %u: %s", tca_status_name(st),
                    (unsigned)err.line, err.message);
    FUZZ_ASSERT(m2.n_rows == m.n_rows);
    for (size_t i = 0; i < m.n_rows; i++) {
        const tca_tv_manifest_row *a = &m.rows[i], *b = &m2.rows[i];
        FUZZ_ASSERT(!strcmp(a->path, b->path) && !strcmp(a->kind, b->kind) && !strcmp(a->profile, b->profile));
        FUZZ_ASSERT(!strcmp(a->level, b->level) && !strcmp(a->description, b->description));
        FUZZ_ASSERT(a->seed == b->seed && a->count == b->count);
    }
    tca_tv_manifest_free(&m2);
    tca_tv_writer_free(&w);
    tca_tv_manifest_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_tv(data, size);
    check_manifest(data, size);
    /* the whole input as one value (NUL-terminated at its first NUL) */
    char *text = malloc(size + 1);
    FUZZ_ASSERT(text);
    memcpy(text, data, size);
    text[size] = 0;
    if (strlen(text) <= 4096) check_value(text);
    free(text);
    return 0;
}
