/* SPDX-License-Identifier: Apache-2.0 */
/* The worked examples of spec 10 cannot drift: each is regenerated through the same library
 * function as `tca spec-examples` (tca_edu_example_markdown) and compared, byte for byte, with the
 * block between its markers in spec/tca-tbe-format.md and with spec/examples/<name>.md.
 * Independently of the generator, the tile example must show the bitmap words, IND and streams
 * printed in the reference notes (tca-tbe-layout.md section 4.1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tca/edu.h"
#include "test_util.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    ck_assert_int_ge(n, 0);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The text between `<!-- BEGIN GENERATED: name -->\n` and `<!-- END GENERATED: name -->`. */
static char *block(const char *doc, const char *name)
{
    char begin[128], end[128];
    snprintf(begin, sizeof begin, "<!-- BEGIN GENERATED: %s -->\n", name);
    snprintf(end, sizeof end, "<!-- END GENERATED: %s -->", name);
    const char *b = strstr(doc, begin);
    ck_assert_msg(b != NULL, "spec: marker '%s' missing", begin);
    b += strlen(begin);
    const char *e = strstr(b, end);
    ck_assert_msg(e != NULL, "spec: marker '%s' missing", end);
    ck_assert_msg(strstr(e + 1, begin) == NULL, "spec: example '%s' embedded twice", name);
    char *out = malloc((size_t)(e - b) + 1);
    ck_assert_ptr_nonnull(out);
    memcpy(out, b, (size_t)(e - b));
    out[e - b] = '\0';
    return out;
}

/* Report the first differing line, so a failure says what drifted. */
static void assert_same_text(const char *got, const char *want, const char *what)
{
    if (strcmp(got, want) == 0) return;
    size_t line = 1, i = 0;
    while (got[i] && got[i] == want[i]) {
        if (got[i] == '\n') line++;
        i++;
    }
    ck_abort_msg("%s differs from the generated text at line %zu (regenerate with "
                 "`tca spec-examples --update-spec spec/tca-tbe-format.md` and "
                 "`tca spec-examples --write-dir spec/examples`)",
                 what, line);
}

START_TEST(test_spec_examples_match_spec)
{
    char *doc = slurp(tca_test_source_path("spec/tca-tbe-format.md"));
    for (int i = 0; tca_edu_example_names[i]; i++) {
        const char *name = tca_edu_example_names[i];
        char *text = NULL;
        tca_ck_assert_status(tca_edu_example_markdown(name, &text), TCA_OK);
        ck_assert_uint_gt(strlen(text), 100);
        char *in_spec = block(doc, name);
        char what[160];
        snprintf(what, sizeof what, "spec/tca-tbe-format.md block '%s'", name);
        assert_same_text(in_spec, text, what);
        char rel[128];
        snprintf(rel, sizeof rel, "spec/examples/%s.md", name);
        char *file = slurp(tca_test_source_path(rel));
        assert_same_text(file, text, rel);
        free(file);
        free(in_spec);
        free(text);
    }
    free(doc);
}
END_TEST

START_TEST(test_spec_examples_deterministic)
{
    for (int i = 0; tca_edu_example_names[i]; i++) {
        char *a = NULL, *b = NULL;
        tca_ck_assert_status(tca_edu_example_markdown(tca_edu_example_names[i], &a), TCA_OK);
        tca_ck_assert_status(tca_edu_example_markdown(tca_edu_example_names[i], &b), TCA_OK);
        ck_assert_str_eq(a, b);
        free(a);
        free(b);
    }
    char *x = NULL;
    tca_ck_assert_status(tca_edu_example_markdown("no-such-example", &x), TCA_ERROR_PARAM_INVALID);
    ck_assert_ptr_null(x);
}
END_TEST

/* The library encoder's output for the reference tile, as printed by the generator, shows the
 * values of the reference notes (an independent source). */
START_TEST(test_spec_examples_tile_matches_reference)
{
    char *text = NULL;
    tca_ck_assert_status(tca_edu_example_markdown("tile", &text), TCA_OK);
    static const char *const expect[] = {
        "B1  = 0x55AA55AA55AA55AA",
        "B2  = 0x993366CC993366CC",
        "B3  = 0xE1C3870F1E3C78F0",
        "IND = 0xFDFBF7EFDFBF7FFE    popc(IND) = 56 in-window, 8 fallback",
        "30 55 FA 1F 44 E9 0E 33 D8 7D 22 C7 6C 11 5B 00\n"
        "A5 4A 6F 94 5E 83 28 4D F2 17 E1 06 2B D0 75 1A\n"
        "64 09 AE 53 78 9D 67 8C 31 56 FB 20 EA 0F 34 D9\n"
        "7E 23 6D 12 B7 5C 01 A6\n",
        "0000 8000 7FC1 7F80 0005 3F80 C2F7 3E80\n",
        "`Base_Exponent` = 115",
        /* the reference's lane table: p, prefix count, result */
        "| 0 | 0 | (0, 0) | 0 | 0 | 0 | Full[0 - 0] = Full[0] | **0000** |",
        "| 0 | 1 | (0, 1) | 1 | 1 | 0 | SignMantissa[0] = 30 |",
        "| 6 | 12 | (1, 4) | 1 | 5 | 11 | SignMantissa[11] = C7 |",
        "| 19 | 38 | (4, 6) | 1 | 2 | 33 | SignMantissa[33] = 09 |",
        "| 31 | 63 | (7, 7) | 1 | 6 | 55 | SignMantissa[55] = A6 |",
        "= **3A30** |",
        "= **BC47** |",
        "= **3A89** |",
        "= **BCA6** |",
        /* hand derivation (spec 6.4-6.6): hf 56 -> 64, full 4040; TOM of the 4 median tiles */
        "| TOM (6.5) | (0, 0), (56, 968), (56, 1992), (56, 3016) |",
        "| TOG (6.6) | (0, 0), (64, 4040) |",
        /* spec 6.8: 64 + 24*64 + 32 + 32 + 64 + 2*4040 + 4 */
        "**9812 bytes**",
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++)
        ck_assert_msg(strstr(text, expect[i]) != NULL, "tile example lacks \"%s\"", expect[i]);
    free(text);
}
END_TEST

Suite *tca_spec_examples_suite(void);
Suite *tca_spec_examples_suite(void)
{
    Suite *s = suite_create("spec_examples");
    TCase *tc = tcase_create("examples");
    tcase_add_test(tc, test_spec_examples_match_spec);
    tcase_add_test(tc, test_spec_examples_deterministic);
    tcase_add_test(tc, test_spec_examples_tile_matches_reference);
    suite_add_tcase(s, tc);
    return s;
}
