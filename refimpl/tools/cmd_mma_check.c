/* SPDX-License-Identifier: Apache-2.0 */
/* tca mma-check FILE.tv...: recompute every MMA record (vectors 4) with the emulator and compare
 * D bit for bit. The profile comes from the file's `arch` header, the instruction from `op`.
 * Each mismatch is printed decoded: record id, element D[row][col], the lane and register that
 * hold it in the PTX C/D fragment (numerics reference 6.1), got and expected with sign, exponent
 * and mantissa. Exit codes: 0 all match, 1 a mismatch, 2 usage, I/O or parse error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_util.h"
#include "tca/mma.h"
#include "tca/tv.h"

const char tca_cmd_mma_check_summary[] = "recompute the MMA records of .tv files with the emulator";

static const char usage[] = "tca mma-check [--profile NAME] [--max-report N] [--quiet] FILE.tv...";

/* "0x3f800001 (s=0 e=0x7f m=0x000001)" for f32, "0x3c01 (s=0 e=0x0f m=0x001)" for f16 */
static void describe(char *buf, size_t len, uint32_t v, int f16)
{
    if (f16)
        snprintf(buf, len, "0x%04x (s=%u e=0x%02x m=0x%03x)", (unsigned)v, (unsigned)(v >> 15) & 1u,
                 (unsigned)(v >> 10) & 0x1Fu, (unsigned)v & 0x3FFu);
    else
        snprintf(buf, len, "0x%08lx (s=%u e=0x%02x m=0x%06lx)", (unsigned long)v, (unsigned)(v >> 31),
                 (unsigned)(v >> 23) & 0xFFu, (unsigned long)(v & 0x7FFFFFu));
}

typedef struct check_totals {
    unsigned long long passed, failed;
} check_totals;

/* Returns 0 if the file parsed (its records counted into t), else 2. */
static int check_file(const char *cmd, const char *path, const tca_mma_profile *forced, unsigned long max_report,
                      int quiet, check_totals *t)
{
    tca_tv_file *f = NULL;
    tca_tv_error err;
    memset(&err, 0, sizeof err);
    tca_status st = tca_tv_load(path, NULL, &f, &err);
    if (st != TCA_OK) {
        fprintf(stderr, "tca %s: %s:%lu: %s (%s)\n", cmd, path, (unsigned long)err.line,
                err.message[0] ? err.message : tca_status_message(st), tca_status_name(st));
        return CLI_EXIT_USAGE;
    }
    int rc = 0;
    const char *arch = tca_tv_get(&f->header, "arch"), *op_text = tca_tv_get(&f->header, "op");
    const tca_mma_profile *p = forced ? forced : tca_mma_profile_by_name(arch);
    tca_mma_op op;
    if (!op_text || tca_tv_mma_op_parse(op_text, &op) != TCA_OK) {
        fprintf(stderr, "tca %s: %s: header `op` %s%s%s is missing or not a supported MMA op\n", cmd, path,
                op_text ? "'" : "", op_text ? op_text : "", op_text ? "'" : "");
        rc = CLI_EXIT_USAGE;
        goto done;
    }
    if (!p) {
        fprintf(stderr, "tca %s: %s: header `arch` %s%s%s is missing or not a known profile\n", cmd, path,
                arch ? "'" : "", arch ? arch : "", arch ? "'" : "");
        rc = CLI_EXIT_USAGE;
        goto done;
    }
    uint64_t declared;
    if (tca_tv_get(&f->header, "count") &&
        (tca_tv_get_u64(&f->header, "count", &declared) != TCA_OK || declared != f->n_records)) {
        fprintf(stderr, "tca %s: %s: header `count` does not match the %zu records\n", cmd, path, f->n_records);
        rc = CLI_EXIT_USAGE;
        goto done;
    }
    const int f16 = op.acc == TCA_MMA_ACC_F16;
    unsigned long reported = 0, file_failed = 0;
    for (size_t i = 0; i < f->n_records; i++) {
        static tca_tv_mma_case c;
        st = tca_tv_mma_case_read(&f->records[i], op, &c);
        if (st != TCA_OK) {
            fprintf(stderr, "tca %s: %s:%lu: malformed MMA record (%s)\n", cmd, path,
                    (unsigned long)f->records[i].line, tca_status_name(st));
            rc = CLI_EXIT_USAGE;
            goto done;
        }
        uint32_t D[128];
        st = tca_mma_tile(p, op, c.A, c.B, c.C, D);
        if (st != TCA_OK) {
            fprintf(stderr, "tca %s: %s: the emulator rejected op %s (%s)\n", cmd, path, op_text, tca_status_name(st));
            rc = CLI_EXIT_USAGE;
            goto done;
        }
        int bad = 0;
        for (unsigned e = 0; e < 128; e++) {
            const uint32_t want = f16 ? (D[e] & 0xFFFFu) : D[e];
            if (c.D[e] == want) continue;
            bad = 1;
            if (quiet || reported >= max_report) continue;
            reported++;
            /* numerics reference 6.1: D[row][col] sits in lane 4(row % 8) + col / 2; f32: register
             * 2(row / 8) + col % 2; f16: register row / 8, half col % 2 (0 = bits 15:0) */
            const unsigned row = e / 8u, col = e % 8u, lane = 4u * (row % 8u) + col / 2u;
            char got[64], exp[64], where[32];
            if (f16)
                snprintf(where, sizeof where, "d%u.%s", row / 8u, (col % 2u) ? "hi" : "lo");
            else
                snprintf(where, sizeof where, "d%u", 2u * (row / 8u) + col % 2u);
            describe(got, sizeof got, c.D[e], f16);
            describe(exp, sizeof exp, want, f16);
            printf("%s: id %llu: D[%u][%u] (lane %u, %s): file %s, emulator %s [%s %s]\n", path,
                   (unsigned long long)c.id, row, col, lane, where, got, exp, p->name, op_text);
        }
        if (bad) {
            t->failed++;
            file_failed++;
        } else {
            t->passed++;
        }
    }
    if (!quiet && reported >= max_report && file_failed)
        printf("%s: (mismatch reports limited to %lu; see --max-report)\n", path, max_report);
done:
    tca_tv_free(f);
    return rc;
}

int tca_cmd_mma_check(int argc, char **argv);
int tca_cmd_mma_check(int argc, char **argv)
{
    const tca_mma_profile *forced = NULL;
    unsigned long max_report = 50;
    int quiet = 0, nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: %s\n\n"
                   "Recomputes D of every MMA record (A, B, C) with the emulator and compares bits.\n"
                   "The profile is the file's `arch` header, the instruction its `op` header.\n"
                   "  --profile NAME   use this profile instead of `arch` (sm80 sm86 sm89 sm90 sm100 sm120)\n"
                   "  --max-report N   print at most N mismatching elements per file (default 50)\n"
                   "  --quiet          print only the summary line\n"
                   "Prints each mismatch (record id, element, lane and register, file vs emulator), then\n"
                   "`N passed, M failed` (records). Exit codes: 0 all match, 1 mismatch, 2 usage, I/O\n"
                   "or parse error.\n",
                   usage);
            return 0;
        } else if (!strcmp(a, "--profile")) {
            if (i + 1 >= argc || !(forced = tca_mma_profile_by_name(argv[i + 1])))
                return cli_usage(argv[0], usage, "--profile needs a profile name (sm80 ... sm120)");
            i++;
        } else if (!strcmp(a, "--max-report")) {
            if (i + 1 >= argc || !cli_parse_uint(argv[i + 1], 1000000000ul, &max_report))
                return cli_usage(argv[0], usage, "--max-report needs a positive number");
            i++;
        } else if (!strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage(argv[0], usage, "unknown option '%s'", a);
        } else {
            nfiles++;
        }
    }
    if (nfiles == 0) return cli_usage(argv[0], usage, "needs at least one .tv file");
    check_totals t = {0, 0};
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--profile") || !strcmp(a, "--max-report")) {
            i++;
            continue;
        }
        if (a[0] == '-' && a[1]) continue;
        if (check_file(argv[0], a, forced, max_report, quiet, &t) != 0) rc = CLI_EXIT_USAGE;
    }
    printf("%llu passed, %llu failed\n", t.passed, t.failed);
    if (rc) return rc;
    return t.failed ? CLI_EXIT_CORRUPT : CLI_EXIT_OK;
}
