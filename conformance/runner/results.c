/* SPDX-License-Identifier: Apache-2.0 */
/* tca-conform: result bookkeeping, decoded mismatch lines (design guide 6.5, TestFloat style)
 * and the JUnit XML report. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conform.h"
#include "tca/bf16.h"

static char *dupstr(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

size_t conform_begin_file(conform *c, const char *prefix)
{
    char **nf = realloc(c->files, (c->n_files + 1) * sizeof *nf);
    if (!nf) {
        fprintf(stderr, "tca-conform: out of memory\n");
        exit(2);
    }
    c->files = nf;
    c->files[c->n_files] = dupstr(prefix);
    c->cur_file = c->n_files++;
    c->cur_file_failures = 0;
    return c->cur_file;
}

void conform_result(conform *c, const char *id, int status, const char *fmt, ...)
{
    char msg[1024] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
    }
    if (c->n_res == c->cap_res) {
        size_t cap = c->cap_res ? 2 * c->cap_res : 1024;
        result *nr = realloc(c->res, cap * sizeof *nr);
        if (!nr) {
            fprintf(stderr, "tca-conform: out of memory\n");
            exit(2);
        }
        c->res = nr;
        c->cap_res = cap;
    }
    result *r = &c->res[c->n_res++];
    r->id = dupstr(id);
    r->file = c->cur_file;
    r->status = status;
    r->layout = c->cur_layout >= 0 && c->cur_layout < LAY_COUNT ? c->cur_layout : LAY_NONE;
    c->lay_count[r->layout][status]++;
    r->message = msg[0] ? dupstr(msg) : NULL;
    if (status == RES_PASS) {
        c->passed++;
        if (c->verbose > 1) printf("pass %s\n", id);
    } else if (status == RES_SKIP) {
        c->skipped++;
        if (c->verbose) printf("skip %s: %s\n", id, msg);
    } else {
        c->failed++;
        c->cur_file_failures++;
        if (!c->max_failures_per_file || c->cur_file_failures <= c->max_failures_per_file)
            printf("FAIL %s: %s\n", id, msg);
        else if (c->cur_file_failures == c->max_failures_per_file + 1)
            printf("FAIL ... further failures in %s not shown (see the JUnit report)\n", c->files[c->cur_file]);
    }
}

void conform_free_results(conform *c)
{
    for (size_t i = 0; i < c->n_res; i++) {
        free(c->res[i].id);
        free(c->res[i].message);
    }
    free(c->res);
    for (size_t i = 0; i < c->n_files; i++) free(c->files[i]);
    free(c->files);
}

static double f16_value(uint16_t h)
{
    int s = h >> 15, e = (h >> 10) & 31, m = h & 1023;
    double v;
    if (e == 31) v = m ? NAN : INFINITY;
    else if (e == 0) v = m * (1.0 / 16777216.0); /* 2^-24 */
    else {
        v = (1024 + m) / 1024.0;
        for (int i = 15; i < e; i++) v *= 2;
        for (int i = e; i < 15; i++) v /= 2;
    }
    return s ? -v : v;
}

void conform_decode_value(char *buf, size_t cap, uint32_t bits, int fmt)
{
    unsigned s, e, m;
    double v;
    if (fmt == VAL_F32) {
        s = bits >> 31;
        e = (bits >> 23) & 0xFF;
        m = bits & 0x7FFFFF;
        v = tca_double_from_f32(bits);
        snprintf(buf, cap, "0x%08x (%c e=%u m=0x%06x = %.9g)", bits, s ? '-' : '+', e, m, v);
    } else if (fmt == VAL_BF16) {
        s = (bits >> 15) & 1;
        e = (bits >> 7) & 0xFF;
        m = bits & 0x7F;
        v = tca_double_from_bf16((uint16_t)bits);
        snprintf(buf, cap, "0x%04x (%c e=%u m=0x%02x = %.5g)", bits & 0xFFFF, s ? '-' : '+', e, m, v);
    } else {
        s = (bits >> 15) & 1;
        e = (bits >> 10) & 31;
        m = bits & 0x3FF;
        v = f16_value((uint16_t)bits);
        snprintf(buf, cap, "0x%04x (%c e=%u m=0x%03x = %.6g)", bits & 0xFFFF, s ? '-' : '+', e, m, v);
    }
}

/* mma-semantics 2.1 (numerics reference 6.1): c_i at row g + 8(i>>1), col 2t + (i&1), lane 4g+t */
void conform_where_mma_f32(char *buf, size_t cap, uint64_t r, uint64_t c)
{
    unsigned g = (unsigned)(r % 8), t = (unsigned)(c / 2), i = (unsigned)((c & 1) + 2 * (r >= 8));
    snprintf(buf, cap, " (lane %u, c%u)", 4 * g + t, i);
}
void conform_where_mma_f16(char *buf, size_t cap, uint64_t r, uint64_t c)
{
    unsigned g = (unsigned)(r % 8), t = (unsigned)(c / 2);
    snprintf(buf, cap, " (lane %u, register %u bits %s)", 4 * g + t, (unsigned)(r >= 8), (c & 1) ? "31:16" : "15:0");
}
/* Y[n][m] is D[m][n] of the m16n8 tile holding rows m - m%16 and columns n - n%8 */
void conform_where_gemm(char *buf, size_t cap, uint64_t n, uint64_t m)
{
    uint64_t r = m % 16, col = n % 8;
    unsigned g = (unsigned)(r % 8), t = (unsigned)(col / 2), i = (unsigned)((col & 1) + 2 * (r >= 8));
    snprintf(buf, cap, " (m16n8 tile at m=%llu n=%llu: lane %u, c%u)", (unsigned long long)(m - r),
             (unsigned long long)(n - col), 4 * g + t, i);
}

size_t conform_compare(char *buf, size_t cap, const char *name, const uint32_t *got, const uint32_t *exp, uint64_t rows,
                       uint64_t cols, int fmt, void (*where)(char *, size_t, uint64_t, uint64_t))
{
    size_t diff = 0;
    uint64_t first = 0;
    for (uint64_t i = 0; i < rows * cols; i++)
        if (got[i] != exp[i]) {
            if (!diff) first = i;
            diff++;
        }
    if (!diff) return 0;
    char g[96], e[96], w[96] = "";
    conform_decode_value(g, sizeof g, got[first], fmt);
    conform_decode_value(e, sizeof e, exp[first], fmt);
    if (where) where(w, sizeof w, first / cols, first % cols);
    snprintf(buf, cap, "%s[%llu][%llu]%s got %s expected %s; %zu of %llu elements differ", name,
             (unsigned long long)(first / cols), (unsigned long long)(first % cols), w, g, e, diff,
             (unsigned long long)(rows * cols));
    return diff;
}

static void xml_escaped(FILE *o, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", o); break;
        case '<': fputs("&lt;", o); break;
        case '>': fputs("&gt;", o); break;
        case '"': fputs("&quot;", o); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\t') fputc(*s, o);
        }
    }
}

int conform_write_junit(const conform *c, const char *path, const char *suite_name)
{
    size_t n = strlen(path) + 8;
    char *tmp = malloc(n);
    if (!tmp) return -1;
    snprintf(tmp, n, "%s.tmp~", path);
    FILE *o = fopen(tmp, "w");
    if (!o) {
        free(tmp);
        return -1;
    }
    fprintf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(o, "<testsuites name=\"");
    xml_escaped(o, suite_name);
    fprintf(o, "\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" errors=\"0\">\n", c->n_res, c->failed, c->skipped);
    for (size_t f = 0; f < c->n_files; f++) {
        size_t t = 0, fl = 0, sk = 0;
        for (size_t i = 0; i < c->n_res; i++)
            if (c->res[i].file == f) {
                t++;
                fl += c->res[i].status == RES_FAIL;
                sk += c->res[i].status == RES_SKIP;
            }
        if (!t) continue;
        fprintf(o, "  <testsuite name=\"");
        xml_escaped(o, c->files[f]);
        fprintf(o, "\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" errors=\"0\">\n", t, fl, sk);
        for (size_t i = 0; i < c->n_res; i++) {
            const result *r = &c->res[i];
            if (r->file != f) continue;
            const char *dot = strrchr(r->id, '.');
            size_t plen = strlen(c->files[f]);
            const char *name = !strncmp(r->id, c->files[f], plen) && r->id[plen] == '.' ? r->id + plen + 1
                                                                                            : (dot ? dot + 1 : r->id);
            fprintf(o, "    <testcase classname=\"");
            xml_escaped(o, c->files[f]);
            fprintf(o, "\" name=\"");
            xml_escaped(o, name);
            if (r->status == RES_PASS) {
                fprintf(o, "\"/>\n");
                continue;
            }
            fprintf(o, "\">\n      <%s message=\"", r->status == RES_FAIL ? "failure" : "skipped");
            xml_escaped(o, r->message);
            fprintf(o, "\"/>\n    </testcase>\n");
        }
        fprintf(o, "  </testsuite>\n");
    }
    fprintf(o, "</testsuites>\n");
    int bad = ferror(o);
    bad |= fclose(o) != 0;
    if (!bad) bad = rename(tmp, path) != 0;
    if (bad) remove(tmp);
    free(tmp);
    return bad ? -1 : 0;
}
