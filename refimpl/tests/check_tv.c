/* SPDX-License-Identifier: Apache-2.0 */
/* .tv reader/writer (spec/tca-test-vectors.md 3, 4, 8). Expected values are written by hand from
 * the grammar; malformed inputs each break one rule and must give the named status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tca/tca.h"
#include "tca/tv.h"
#include "test_util.h"

/* An MMA file in exactly the form the issue fixes (A 16x16, B 16x8, C and D 16x8 f32). */
static char *mma_text(void)
{
    static char buf[16384];
    char *o = buf;
    o += sprintf(o, "# tca-tv 1\nop = mma.m16n8k16.row.col.f32.bf16.bf16.f32\narch = sm90\n\nid = 7\nA =");
    for (int i = 0; i < 256; i++) o += sprintf(o, " %04x", i == 0 ? 0x3f80 : 0);
    o += sprintf(o, "\nB =");
    for (int i = 0; i < 128; i++) o += sprintf(o, " %04x", i == 0 ? 0x4000 : 0);
    o += sprintf(o, "\nC =");
    for (int i = 0; i < 128; i++) o += sprintf(o, " %08x", 0u);
    o += sprintf(o, "\nD =");
    for (int i = 0; i < 128; i++) o += sprintf(o, " %08x", i == 0 ? 0x40000000u : 0u);
    o += sprintf(o, "\n");
    return buf;
}

START_TEST(test_tv_mma_fixed_form_accepted)
{
    const char *t = mma_text();
    tca_tv_file *f = NULL;
    tca_tv_error e;
    tca_ck_assert_status(tca_tv_parse(t, strlen(t), NULL, &f, &e), TCA_OK);
    ck_assert_uint_eq(f->n_records, 1);
    ck_assert_str_eq(tca_tv_get(&f->header, "arch"), "sm90");
    tca_mma_op op;
    tca_ck_assert_status(tca_tv_mma_op_parse(tca_tv_get(&f->header, "op"), &op), TCA_OK);
    ck_assert_int_eq(op.shape, TCA_MMA_M16N8K16);
    ck_assert_int_eq(op.in, TCA_MMA_IN_BF16);
    ck_assert_int_eq(op.acc, TCA_MMA_ACC_F32);
    static tca_tv_mma_case c;
    tca_ck_assert_status(tca_tv_mma_case_read(&f->records[0], op, &c), TCA_OK);
    ck_assert_uint_eq(c.id, 7);
    tca_ck_assert_bits16(c.A[0], 0x3f80);
    tca_ck_assert_bits16(c.A[1], 0);
    tca_ck_assert_bits16(c.B[0], 0x4000);
    tca_ck_assert_bits32(c.D[0], 0x40000000u);
    tca_ck_assert_bits32(c.D[127], 0);

    /* The writer reproduces the same record text byte for byte. */
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    tca_tv_put_preamble(&w, NULL);
    tca_tv_put(&w, "op", "mma.m16n8k16.row.col.f32.bf16.bf16.f32");
    tca_tv_put(&w, "arch", "sm90");
    tca_tv_put_end(&w);
    tca_tv_mma_case_write(&w, op, &c);
    tca_ck_assert_status(w.status, TCA_OK);
    /* the hand-built text has no trailing blank line; the writer ends each record with one */
    ck_assert_uint_eq(w.len, strlen(t) + 1);
    ck_assert_int_eq(memcmp(w.buf, t, strlen(t)), 0);
    tca_tv_writer_free(&w);
    tca_tv_free(f);
}
END_TEST

START_TEST(test_tv_grammar_details)
{
    /* comments anywhere, CRLF, blank runs, trailing `# comment` after a hex list, ids any order */
    const char *t = "# tca-tv 1\r\n# generated\nkind = x\n  # indented comment\nnotes.Z = a # b\n\n\n"
                    "id = 2\nv = 0001 ffff  # two values\n\nid = 1\nv = ABCD 0000\n";
    tca_tv_file *f = NULL;
    tca_ck_assert_status(tca_tv_parse(t, strlen(t), NULL, &f, NULL), TCA_OK);
    ck_assert_uint_eq(f->n_records, 2);
    ck_assert_str_eq(tca_tv_get(&f->header, "notes.Z"), "a # b"); /* `#` inside a value is text */
    uint16_t v[2];
    tca_ck_assert_status(tca_tv_parse_hex16(tca_tv_get(&f->records[0], "v"), v, 2), TCA_OK);
    tca_ck_assert_bits16(v[0], 0x0001);
    tca_ck_assert_bits16(v[1], 0xffff);
    tca_ck_assert_status(tca_tv_parse_hex16(tca_tv_get(&f->records[1], "v"), v, 2), TCA_OK);
    tca_ck_assert_bits16(v[0], 0xabcd);
    /* wrong count either way */
    tca_ck_assert_status(tca_tv_parse_hex16("0001 0002 0003", v, 2), TCA_ERROR_TV_VALUE);
    tca_ck_assert_status(tca_tv_parse_hex16("0001", v, 2), TCA_ERROR_TV_VALUE);
    tca_ck_assert_status(tca_tv_parse_hex16("001 0002", v, 2), TCA_ERROR_TV_VALUE);
    tca_ck_assert_status(tca_tv_parse_hex16("00012 0002", v, 2), TCA_ERROR_TV_VALUE);
    tca_ck_assert_status(tca_tv_parse_hex16("000g 0002", v, 2), TCA_ERROR_TV_VALUE);
    uint32_t w32[1];
    tca_ck_assert_status(tca_tv_parse_hex32("7fffffff", w32, 1, 8), TCA_OK);
    tca_ck_assert_bits32(w32[0], 0x7fffffffu);
    tca_ck_assert_status(tca_tv_parse_hex32("7fff", w32, 1, 8), TCA_ERROR_TV_VALUE);
    uint64_t u;
    tca_ck_assert_status(tca_tv_parse_u64("18446744073709551615", &u), TCA_OK);
    ck_assert(u == UINT64_MAX);
    tca_ck_assert_status(tca_tv_parse_u64("18446744073709551616", &u), TCA_ERROR_TV_VALUE);
    tca_ck_assert_status(tca_tv_parse_u64("0x5443412d54424531", &u), TCA_OK);
    ck_assert(u == 0x5443412d54424531ull);
    tca_ck_assert_status(tca_tv_parse_u64("0x10000000000000000", &u), TCA_ERROR_TV_VALUE);
    tca_ck_assert_status(tca_tv_parse_u64("-1", &u), TCA_ERROR_TV_VALUE);
    tca_ck_assert_status(tca_tv_parse_u64("", &u), TCA_ERROR_TV_VALUE);
    tca_ck_assert_status(tca_tv_parse_u64("007", &u), TCA_ERROR_TV_VALUE);
    uint8_t d[32];
    tca_ck_assert_status(
        tca_tv_parse_sha256("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", d), TCA_OK);
    ck_assert_uint_eq(d[0], 0xba);
    ck_assert_uint_eq(d[31], 0xad);
    tca_ck_assert_status(tca_tv_parse_sha256("sha256:ba78", d), TCA_ERROR_TV_VALUE);
    tca_tv_free(f);
}
END_TEST

/* Each malformed file breaks exactly one rule. */
static const struct {
    const char *text;
    tca_status expect;
} bad[] = {
    {"", TCA_ERROR_TV_SYNTAX},
    {"# tca-tv\nk = v\n", TCA_ERROR_TV_SYNTAX},
    {"# tca-tv 2\nk = v\n", TCA_ERROR_TV_VALUE},
    {"# tca-tv 1x\nk = v\n", TCA_ERROR_TV_SYNTAX},
    {"k = v\n", TCA_ERROR_TV_SYNTAX},
    {"# tca-tv 1\n", TCA_ERROR_TV_MISSING},
    {"# tca-tv 1\nk = v\n\nx = 1\n", TCA_ERROR_TV_MISSING},      /* record without id */
    {"# tca-tv 1\nid = 1\n", TCA_ERROR_TV_MISSING},              /* header missing */
    {"# tca-tv 1\nk = v\n\nid = 1\n\nid = 1\n", TCA_ERROR_TV_VALUE}, /* duplicate id */
    {"# tca-tv 1\nk = v\n\nid = 0x1\n", TCA_ERROR_TV_VALUE},
    {"# tca-tv 1\nk = v\n\nid = -1\n", TCA_ERROR_TV_VALUE},
    {"# tca-tv 1\nk = v\nk = w\n", TCA_ERROR_TV_SYNTAX},          /* duplicate key */
    {"# tca-tv 1\nk v\n", TCA_ERROR_TV_SYNTAX},
    {"# tca-tv 1\n= v\n", TCA_ERROR_TV_SYNTAX},
    {"# tca-tv 1\nk$ = v\n", TCA_ERROR_TV_SYNTAX},
    {"# tca-tv 1\nk = v\x01\n", TCA_ERROR_TV_SYNTAX},
    {"# tca-tv 1\nk = a\rb\n", TCA_ERROR_TV_SYNTAX},
};

START_TEST(test_tv_rejects_malformed)
{
    tca_tv_file *f = NULL;
    tca_tv_error e;
    const char *t = bad[_i].text;
    tca_status st = tca_tv_parse(t, strlen(t), NULL, &f, &e);
    ck_assert_msg(st == bad[_i].expect, "case %d: got %s (%s), expected %s", _i, tca_status_name(st), e.message,
                  tca_status_name(bad[_i].expect));
    ck_assert_ptr_null(f);
    ck_assert(e.message[0] != 0);
}
END_TEST

START_TEST(test_tv_limits)
{
    /* A NUL byte is a control byte. */
    const char nul[] = "# tca-tv 1\nk = a\0b\n";
    tca_tv_file *f = NULL;
    tca_ck_assert_status(tca_tv_parse(nul, sizeof nul - 1, NULL, &f, NULL), TCA_ERROR_TV_SYNTAX);
    /* Line of exactly TCA_TV_LINE_MAX bytes is accepted, one more is not. */
    size_t n = TCA_TV_LINE_MAX + 64;
    char *t = malloc(n);
    ck_assert_ptr_nonnull(t);
    for (int extra = 0; extra <= 1; extra++) {
        size_t p = (size_t)sprintf(t, "# tca-tv 1\nk = ");
        size_t line_len = TCA_TV_LINE_MAX + (size_t)extra;
        memset(t + p, 'a', line_len - 4);
        p += line_len - 4;
        t[p++] = '\n';
        tca_status st = tca_tv_parse(t, p, NULL, &f, NULL);
        tca_ck_assert_status(st, extra ? TCA_ERROR_TV_SYNTAX : TCA_OK);
        tca_tv_free(f);
        f = NULL;
    }
    free(t);
}
END_TEST

START_TEST(test_tv_allocation_failures)
{
    const char *t = mma_text();
    /* every allocation failing in turn gives ALLOC and leaks nothing */
    for (long i = 0; i < 64; i++) {
        tca_test_allocator a;
        tca_test_allocator_init(&a, i);
        tca_tv_file *f = NULL;
        tca_status st = tca_tv_parse(t, strlen(t), &a.base, &f, NULL);
        if (st == TCA_OK) {
            tca_tv_free(f);
            ck_assert_int_eq(a.live, 0);
            break;
        }
        tca_ck_assert_status(st, TCA_ERROR_ALLOC);
        ck_assert_int_eq(a.live, 0);
    }
}
END_TEST

START_TEST(test_tv_writer_rejects_bad_keys_and_values)
{
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    tca_tv_put(&w, "bad key", "v");
    tca_ck_assert_status(w.status, TCA_ERROR_PARAM_INVALID);
    tca_tv_writer_free(&w);
    tca_tv_writer_init(&w, NULL);
    tca_tv_put(&w, "k", "two\nlines");
    tca_ck_assert_status(w.status, TCA_ERROR_PARAM_INVALID);
    tca_tv_writer_free(&w);
    tca_tv_writer_init(&w, NULL);
    uint8_t b[3] = {0x89, 0x54, 0x00};
    tca_tv_put_bytes(&w, "s", b, 3);
    tca_tv_put_x64(&w, "seed", 0x5443412d54424531ull);
    tca_ck_assert_status(w.status, TCA_OK);
    ck_assert_str_eq(w.buf, "s = 895400\nseed = 0x5443412d54424531\n");
    tca_tv_writer_free(&w);
}
END_TEST

START_TEST(test_tv_manifest_roundtrip)
{
    const char *t = "# path\tkind\tprofile\tlevel\tseed\tcount\tdescription\n"
                    "v1/mma/sm90/x.tv\tmma\tsm90\tquick\t0x0000000000000001\t12\tnormal family\n"
                    "v1/format/valid.tv\tformat\t-\tfull\t-\t3\tvalid streams\n";
    tca_tv_manifest m;
    tca_ck_assert_status(tca_tv_manifest_parse(t, strlen(t), NULL, &m, NULL), TCA_OK);
    ck_assert_uint_eq(m.n_rows, 2);
    ck_assert_str_eq(m.rows[0].profile, "sm90");
    ck_assert(m.rows[0].seed == 1);
    ck_assert(m.rows[1].seed == 0);
    ck_assert(m.rows[0].count == 12);
    tca_tv_writer w;
    tca_tv_writer_init(&w, NULL);
    tca_tv_manifest_put_header(&w);
    for (size_t i = 0; i < m.n_rows; i++) tca_tv_manifest_put_row(&w, &m.rows[i]);
    ck_assert_str_eq(w.buf, t);
    tca_tv_writer_free(&w);
    tca_tv_manifest_free(&m);
    const char *bad_rows[] = {
        "# path\tkind\tprofile\tlevel\tseed\tcount\tdescription\n../x\tmma\tsm90\tquick\t-\t1\td\n",
        "# path\tkind\tprofile\tlevel\tseed\tcount\tdescription\nx\tmma\tsm90\tslow\t-\t1\td\n",
        "# path\tkind\tprofile\tlevel\tseed\tcount\tdescription\nx\tmma\tsm90\tquick\t-\td\n",
        "# path\tkind\tprofile\tlevel\tseed\tcount\tdescription\nx\tmma\tsm90\tquick\t-\t1\td\nx\tmma\tsm90\tquick\t-\t1\td\n",
        "# path kind\nx\tmma\tsm90\tquick\t-\t1\td\n",
    };
    for (size_t i = 0; i < sizeof bad_rows / sizeof bad_rows[0]; i++) {
        tca_status st = tca_tv_manifest_parse(bad_rows[i], strlen(bad_rows[i]), NULL, &m, NULL);
        ck_assert_msg(st == TCA_ERROR_TV_SYNTAX, "bad manifest %zu accepted (%s)", i, tca_status_name(st));
    }
    /* vectors 8.1: the duplicate is reported at the first line, in file order, that repeats a path
     * (rows "b", "a", "c", "a", "b": line 5 repeats "a" before line 6 repeats "b") */
    const char *dups = "# path\tkind\tprofile\tlevel\tseed\tcount\tdescription\n"
                       "b\tm\tp\tquick\t-\t1\td\na\tm\tp\tquick\t-\t1\td\nc\tm\tp\tquick\t-\t1\td\n"
                       "a\tm\tp\tquick\t-\t1\td\nb\tm\tp\tquick\t-\t1\td\n";
    tca_tv_error err;
    memset(&err, 0, sizeof err);
    tca_ck_assert_status(tca_tv_manifest_parse(dups, strlen(dups), NULL, &m, &err), TCA_ERROR_TV_SYNTAX);
    ck_assert_uint_eq(err.line, 5);
}
END_TEST

Suite *tca_tv_suite(void);
Suite *tca_tv_suite(void)
{
    Suite *s = suite_create("tv");
    TCase *tc = tcase_create("reader-writer");
    tcase_add_test(tc, test_tv_mma_fixed_form_accepted);
    tcase_add_test(tc, test_tv_grammar_details);
    tcase_add_loop_test(tc, test_tv_rejects_malformed, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, test_tv_limits);
    tcase_add_test(tc, test_tv_allocation_failures);
    tcase_add_test(tc, test_tv_writer_rejects_bad_keys_and_values);
    tcase_add_test(tc, test_tv_manifest_roundtrip);
    suite_add_tcase(s, tc);
    return s;
}
