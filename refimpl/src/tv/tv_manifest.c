/* SPDX-License-Identifier: Apache-2.0 */
/* MANIFEST.tsv (spec/tca-test-vectors.md section 8.1): one tab-separated row per vector file. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tca/tv.h"

static const char manifest_header[] = "# path\tkind\tprofile\tlevel\tseed\tcount\tdescription";

static tca_status fail(tca_tv_error *err, uint32_t line, const char *msg)
{
    if (err) {
        err->line = line;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return line ? TCA_ERROR_TV_SYNTAX : TCA_ERROR_TV_VALUE;
}

/* Copy a field into a fixed buffer; 0 when it does not fit or is empty. */
static int field(char *dst, size_t cap, const char *s, size_t n)
{
    if (n == 0 || n >= cap) return 0;
    memcpy(dst, s, n);
    dst[n] = 0;
    return 1;
}

/* vectors 8.1: paths are relative, '/'-separated, without "." or ".." components. */
static int path_ok(const char *p)
{
    if (p[0] == '/' || p[0] == 0) return 0;
    const char *c = p;
    while (*c) {
        const char *e = strchr(c, '/');
        size_t n = e ? (size_t)(e - c) : strlen(c);
        if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.')) return 0;
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)c[i];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                  ch == '.' || ch == '-'))
                return 0;
        }
        if (!e) break;
        c = e + 1;
    }
    return 1;
}

static int by_path_then_row(const void *a, const void *b)
{
    const tca_tv_manifest_row *x = *(const tca_tv_manifest_row *const *)a, *y = *(const tca_tv_manifest_row *const *)b;
    int c = strcmp(x->path, y->path);
    return c ? c : (x < y ? -1 : x > y);
}

/* vectors 8.1: paths are unique. Sorting row pointers keeps this O(n log n) for manifests from
 * others (a quadratic scan took hours on a 16 MiB file). Reports the first line, in file order,
 * that repeats an earlier path: row i is on line i + 2. */
static tca_status check_unique_paths(const tca_tv_manifest_row *rows, size_t n, const tca_allocator *al,
                                     tca_tv_error *err)
{
    if (n < 2) return TCA_OK;
    const tca_tv_manifest_row **ord = tca_alloc_array(al, n, sizeof *ord);
    if (!ord) return TCA_ERROR_ALLOC;
    for (size_t i = 0; i < n; i++) ord[i] = &rows[i];
    qsort(ord, n, sizeof *ord, by_path_then_row);
    size_t first_dup = n;
    for (size_t i = 1; i < n; i++)
        if (!strcmp(ord[i - 1]->path, ord[i]->path) && (size_t)(ord[i] - rows) < first_dup)
            first_dup = (size_t)(ord[i] - rows);
    tca_free(al, (void *)ord);
    return first_dup < n ? fail(err, (uint32_t)(first_dup + 2), "duplicate path") : TCA_OK;
}

tca_status tca_tv_manifest_parse(const void *data, size_t size, const tca_allocator *al, tca_tv_manifest *out,
                                 tca_tv_error *err)
{
    if ((!data && size) || !out) return TCA_ERROR_PARAM_NULL;
    const char *t = data;
    memset(out, 0, sizeof *out);
    /* count lines for the allocation */
    size_t lines = 0;
    for (size_t i = 0; i < size; i++)
        if (t[i] == '\n') lines++;
    if (size == 0 || t[size - 1] != '\n') return fail(err, 0, "manifest must end with a newline");
    if (lines > TCA_TV_RECORDS_MAX) return fail(err, 0, "manifest has too many rows");
    tca_tv_manifest_row *rows = tca_alloc_array(al, lines ? lines : 1, sizeof *rows);
    if (!rows) return TCA_ERROR_ALLOC;
    size_t n_rows = 0, pos = 0;
    uint32_t lineno = 0;
    tca_status st = TCA_OK;
    while (pos < size) {
        const char *l = t + pos;
        const char *nl = memchr(l, '\n', size - pos);
        size_t len = (size_t)(nl - l);
        pos += len + 1;
        lineno++;
        if (lineno == 1) {
            if (len != strlen(manifest_header) || memcmp(l, manifest_header, len)) {
                st = fail(err, 1, "first line is not the manifest column header");
                break;
            }
            continue;
        }
        if (len > 2048) {
            st = fail(err, lineno, "line too long");
            break;
        }
        const char *f[TCA_TV_MANIFEST_COLUMNS];
        size_t fl[TCA_TV_MANIFEST_COLUMNS];
        size_t nf = 0, s = 0;
        for (size_t i = 0; i <= len && nf < TCA_TV_MANIFEST_COLUMNS + 1; i++) {
            if (i == len || l[i] == '\t') {
                if (nf < TCA_TV_MANIFEST_COLUMNS) {
                    f[nf] = l + s;
                    fl[nf] = i - s;
                }
                nf++;
                s = i + 1;
            } else if ((unsigned char)l[i] < 0x20 || l[i] == 0x7F) {
                nf = 99;
                break;
            }
        }
        if (nf != TCA_TV_MANIFEST_COLUMNS) {
            st = fail(err, lineno, "expected 7 tab-separated columns of printable text");
            break;
        }
        tca_tv_manifest_row *r = &rows[n_rows];
        memset(r, 0, sizeof *r);
        char num[32];
        if (!field(r->path, sizeof r->path, f[0], fl[0]) || !path_ok(r->path) ||
            !field(r->kind, sizeof r->kind, f[1], fl[1]) || !field(r->profile, sizeof r->profile, f[2], fl[2]) ||
            !field(r->level, sizeof r->level, f[3], fl[3]) ||
            !field(r->description, sizeof r->description, f[6], fl[6])) {
            st = fail(err, lineno, "empty, oversized or malformed column");
            break;
        }
        if (strcmp(r->level, "quick") && strcmp(r->level, "full")) {
            st = fail(err, lineno, "level must be quick or full");
            break;
        }
        if (!field(num, sizeof num, f[4], fl[4]) || (strcmp(num, "-") && tca_tv_parse_u64(num, &r->seed))) {
            st = fail(err, lineno, "bad seed");
            break;
        }
        if (!field(num, sizeof num, f[5], fl[5]) || tca_tv_parse_u64(num, &r->count)) {
            st = fail(err, lineno, "bad count");
            break;
        }
        n_rows++;
    }
    if (!st) st = check_unique_paths(rows, n_rows, al, err);
    if (st) {
        tca_free(al, rows);
        return st;
    }
    out->rows = rows;
    out->n_rows = n_rows;
    out->alloc_ = al;
    return TCA_OK;
}

void tca_tv_manifest_free(tca_tv_manifest *m)
{
    if (!m) return;
    tca_free(m->alloc_, m->rows);
    m->rows = NULL;
    m->n_rows = 0;
}

void tca_tv_manifest_put_header(tca_tv_writer *w)
{
    if (w->status) return;
    /* reuse the comment writer: the header is a `# ` line */
    tca_tv_put_comment(w, manifest_header + 2);
}

void tca_tv_manifest_put_row(tca_tv_writer *w, const tca_tv_manifest_row *r)
{
    if (w->status) return;
    if (!path_ok(r->path) || strchr(r->description, '\t') || strchr(r->description, '\n')) {
        w->status = TCA_ERROR_PARAM_INVALID;
        return;
    }
    char line[1024];
    char seed[24];
    if (r->seed)
        snprintf(seed, sizeof seed, "0x%016llx", (unsigned long long)r->seed);
    else
        snprintf(seed, sizeof seed, "-");
    int n = snprintf(line, sizeof line, "%s\t%s\t%s\t%s\t%s\t%llu\t%s\n", r->path, r->kind, r->profile, r->level, seed,
                     (unsigned long long)r->count, r->description);
    if (n < 0 || (size_t)n >= sizeof line) {
        w->status = TCA_ERROR_PARAM_INVALID;
        return;
    }
    tca_tv_put_raw(w, line, (size_t)n);
}
