/* SPDX-License-Identifier: Apache-2.0 */
/* .tv reader (spec/tca-test-vectors.md section 3). Written for hostile input: the text is copied,
 * split into bounded lines, and every line is classified before anything is stored. Keys and
 * values point into the private copy. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tca/tv.h"

static tca_status fail(tca_tv_error *err, uint32_t line, tca_status s, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->line = line;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return s;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }
static int is_key_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
}

/* A growable array of key/value entries (the allocator has no realloc). */
typedef struct kv_vec {
    tca_tv_kv *v;
    size_t n, cap;
} kv_vec;

static int kv_push(kv_vec *a, const tca_allocator *al, tca_tv_kv kv)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        tca_tv_kv *nv = tca_alloc_array(al, cap, sizeof *nv);
        if (!nv) return 0;
        if (a->n) memcpy(nv, a->v, a->n * sizeof *nv);
        tca_free(al, a->v);
        a->v = nv;
        a->cap = cap;
    }
    a->v[a->n++] = kv;
    return 1;
}

/* Group boundaries: start index into the kv array of each group. */
typedef struct group_vec {
    size_t *start;
    uint32_t *line;
    size_t n, cap;
} group_vec;

static int group_push(group_vec *g, const tca_allocator *al, size_t start, uint32_t line)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 64;
        size_t *ns = tca_alloc_array(al, cap, sizeof *ns);
        uint32_t *nl = tca_alloc_array(al, cap, sizeof *nl);
        if (!ns || !nl) {
            tca_free(al, ns);
            tca_free(al, nl);
            return 0;
        }
        if (g->n) {
            memcpy(ns, g->start, g->n * sizeof *ns);
            memcpy(nl, g->line, g->n * sizeof *nl);
        }
        tca_free(al, g->start);
        tca_free(al, g->line);
        g->start = ns;
        g->line = nl;
        g->cap = cap;
    }
    g->start[g->n] = start;
    g->line[g->n] = line;
    g->n++;
    return 1;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

tca_status tca_tv_parse_u64(const char *t, uint64_t *out)
{
    if (!t || !out) return TCA_ERROR_PARAM_NULL;
    uint64_t v = 0;
    if (t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
        size_t i = 2;
        for (; t[i]; i++) {
            unsigned char c = (unsigned char)t[i];
            unsigned d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else return TCA_ERROR_TV_VALUE;
            if (i - 2 >= 16) return TCA_ERROR_TV_VALUE;
            v = (v << 4) | d;
        }
        if (i == 2) return TCA_ERROR_TV_VALUE;
    } else {
        size_t i = 0;
        for (; t[i]; i++) {
            unsigned char c = (unsigned char)t[i];
            if (c < '0' || c > '9') return TCA_ERROR_TV_VALUE;
            unsigned d = c - '0';
            if (v > (UINT64_MAX - d) / 10) return TCA_ERROR_TV_VALUE;
            v = v * 10 + d;
        }
        if (i == 0) return TCA_ERROR_TV_VALUE;
        if (i > 1 && t[0] == '0') return TCA_ERROR_TV_VALUE; /* vectors 3.4: no leading zeros */
    }
    *out = v;
    return TCA_OK;
}

/* Split one group's kv range into a record and check it: unique keys (vectors 3.3). */
static tca_status check_group(const tca_tv_kv *kv, size_t n, tca_tv_error *err)
{
    if (n > TCA_TV_KEYS_MAX)
        return fail(err, kv[0].line, TCA_ERROR_TV_VALUE, "more than %u keys in one group", TCA_TV_KEYS_MAX);
    for (size_t i = 1; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(kv[i].key, kv[j].key))
                return fail(err, kv[i].line, TCA_ERROR_TV_SYNTAX, "duplicate key '%s' (first on line %u)", kv[i].key,
                            (unsigned)kv[j].line);
    return TCA_OK;
}

tca_status tca_tv_parse(const void *data, size_t size, const tca_allocator *al, tca_tv_file **out, tca_tv_error *err)
{
    if (err) {
        err->line = 0;
        err->message[0] = 0;
    }
    if ((!data && size) || !out) return TCA_ERROR_PARAM_NULL;
    if (size > TCA_TV_FILE_MAX) return fail(err, 0, TCA_ERROR_TV_VALUE, "file larger than %zu bytes", TCA_TV_FILE_MAX);

    tca_status st = TCA_OK;
    char *text = tca_alloc(al, size + 1);
    kv_vec kvs = {0};
    group_vec groups = {0};
    tca_tv_file *f = NULL;
    uint64_t *ids = NULL;
    if (!text) return TCA_ERROR_ALLOC;
    if (size) memcpy(text, data, size);
    text[size] = 0;

    size_t pos = 0;
    uint32_t lineno = 0;
    int in_group = 0;
    while (pos < size) {
        /* One line: [pos, end), newline excluded. */
        char *nl = memchr(text + pos, '\n', size - pos);
        size_t end = nl ? (size_t)(nl - text) : size;
        size_t len = end - pos;
        char *line = text + pos;
        pos = nl ? end + 1 : size;
        if (lineno == UINT32_MAX) {
            st = fail(err, lineno, TCA_ERROR_TV_VALUE, "too many lines");
            goto done;
        }
        lineno++;
        if (len > TCA_TV_LINE_MAX) {
            st = fail(err, lineno, TCA_ERROR_TV_SYNTAX, "line longer than %u bytes", TCA_TV_LINE_MAX);
            goto done;
        }
        line[len] = 0;
        /* vectors 3.2: a line ends with LF; a CR before it is tolerated and removed. */
        if (len && line[len - 1] == '\r') line[--len] = 0;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)line[i];
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                st = fail(err, lineno, TCA_ERROR_TV_SYNTAX, "control byte 0x%02x in column %zu", c, i + 1);
                goto done;
            }
        }
        while (len && is_blank(line[len - 1])) line[--len] = 0;
        size_t s = 0;
        while (s < len && is_blank(line[s])) s++;

        if (lineno == 1) {
            /* vectors 3.1: the first line names the grammar and its version. */
            unsigned long v = 0;
            size_t i = 0;
            if (strncmp(line, "# tca-tv ", 9) != 0) {
                st = fail(err, 1, TCA_ERROR_TV_SYNTAX, "first line is not '# tca-tv 1'");
                goto done;
            }
            for (i = 9; line[i] >= '0' && line[i] <= '9' && i < 15; i++) v = v * 10 + (unsigned long)(line[i] - '0');
            if (i == 9 || line[i] != 0) {
                st = fail(err, 1, TCA_ERROR_TV_SYNTAX, "first line is not '# tca-tv 1'");
                goto done;
            }
            if (v != TCA_TV_GRAMMAR_VERSION) {
                st = fail(err, 1, TCA_ERROR_TV_VALUE, "unsupported grammar version %lu", v);
                goto done;
            }
            continue;
        }
        if (s == len) { /* blank line: ends the current group (vectors 3.3) */
            in_group = 0;
            continue;
        }
        if (line[s] == '#') continue; /* comment line */

        /* key = value */
        size_t k = s;
        while (k < len && is_key_char((unsigned char)line[k])) k++;
        if (k == s || k - s > TCA_TV_KEY_MAX) {
            st = fail(err, lineno, TCA_ERROR_TV_SYNTAX, k == s ? "expected a key" : "key longer than %u bytes",
                      TCA_TV_KEY_MAX);
            goto done;
        }
        size_t e = k;
        while (e < len && is_blank(line[e])) e++;
        if (e >= len || line[e] != '=') {
            st = fail(err, lineno, TCA_ERROR_TV_SYNTAX, "expected '=' after key");
            goto done;
        }
        e++;
        while (e < len && is_blank(line[e])) e++;
        line[k] = 0;
        if (!in_group) {
            if (groups.n > TCA_TV_RECORDS_MAX) {
                st = fail(err, lineno, TCA_ERROR_TV_VALUE, "more than %u records", TCA_TV_RECORDS_MAX);
                goto done;
            }
            if (!group_push(&groups, al, kvs.n, lineno)) {
                st = TCA_ERROR_ALLOC;
                goto done;
            }
            in_group = 1;
        }
        tca_tv_kv kv = {line + s, line + e, lineno};
        if (!kv_push(&kvs, al, kv)) {
            st = TCA_ERROR_ALLOC;
            goto done;
        }
    }
    if (lineno == 0) {
        st = fail(err, 0, TCA_ERROR_TV_SYNTAX, "empty file (expected '# tca-tv 1')");
        goto done;
    }
    if (groups.n == 0) {
        st = fail(err, lineno, TCA_ERROR_TV_MISSING, "no header");
        goto done;
    }

    f = tca_alloc(al, sizeof *f);
    if (!f) {
        st = TCA_ERROR_ALLOC;
        goto done;
    }
    memset(f, 0, sizeof *f);
    f->n_records = groups.n - 1;
    f->records = tca_alloc_array(al, f->n_records ? f->n_records : 1, sizeof *f->records);
    ids = tca_alloc_array(al, f->n_records ? f->n_records : 1, sizeof *ids);
    if (!f->records || !ids) {
        st = TCA_ERROR_ALLOC;
        goto done;
    }
    for (size_t g = 0; g < groups.n; g++) {
        size_t b = groups.start[g], e = g + 1 < groups.n ? groups.start[g + 1] : kvs.n;
        tca_tv_record r = {kvs.v + b, e - b, groups.line[g]};
        st = check_group(r.kv, r.n_kv, err);
        if (st) goto done;
        const char *id = tca_tv_get(&r, "id");
        if (g == 0) {
            /* vectors 3.3: the header carries no id; a first group with one means a missing header */
            if (id) {
                st = fail(err, r.line, TCA_ERROR_TV_MISSING, "missing header (first group has an id)");
                goto done;
            }
            f->header = r;
            continue;
        }
        if (!id) {
            st = fail(err, r.line, TCA_ERROR_TV_MISSING, "record without id");
            goto done;
        }
        if (tca_tv_parse_u64(id, &ids[g - 1]) || (id[0] == '0' && id[1] == 'x')) {
            st = fail(err, r.line, TCA_ERROR_TV_VALUE, "id is not a decimal integer");
            goto done;
        }
        f->records[g - 1] = r;
    }
    qsort(ids, f->n_records, sizeof *ids, cmp_u64);
    for (size_t i = 1; i < f->n_records; i++)
        if (ids[i] == ids[i - 1]) {
            st = fail(err, 0, TCA_ERROR_TV_VALUE, "duplicate id %llu", (unsigned long long)ids[i]);
            goto done;
        }

done:
    tca_free(al, ids);
    tca_free(al, groups.start);
    tca_free(al, groups.line);
    if (st) {
        if (f) tca_free(al, f->records);
        tca_free(al, f);
        tca_free(al, kvs.v);
        tca_free(al, text);
        return st;
    }
    f->text_ = text;
    f->kv_ = kvs.v;
    f->alloc_ = al;
    *out = f;
    return TCA_OK;
}

void tca_tv_free(tca_tv_file *f)
{
    if (!f) return;
    const tca_allocator *al = f->alloc_;
    tca_free(al, f->records);
    tca_free(al, f->kv_);
    tca_free(al, f->text_);
    tca_free(al, f);
}

tca_status tca_tv_load(const char *path, const tca_allocator *al, tca_tv_file **out, tca_tv_error *err)
{
    uint8_t *data = NULL;
    size_t size = 0;
    tca_status st = tca_tv_read_file(path, TCA_TV_FILE_MAX, al, &data, &size);
    if (st) return fail(err, 0, st, "cannot read %s", path ? path : "(null)");
    st = tca_tv_parse(data, size, al, out, err);
    tca_free(al, data);
    return st;
}

const char *tca_tv_get(const tca_tv_record *r, const char *key)
{
    if (!r || !key) return NULL;
    for (size_t i = 0; i < r->n_kv; i++)
        if (!strcmp(r->kv[i].key, key)) return r->kv[i].value;
    return NULL;
}

tca_status tca_tv_get_u64(const tca_tv_record *r, const char *key, uint64_t *out)
{
    const char *v = tca_tv_get(r, key);
    if (!v) return TCA_ERROR_TV_MISSING;
    return tca_tv_parse_u64(v, out);
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Shared by the 16- and 32-bit forms: count tokens of exactly `digits` hex digits. */
static tca_status parse_hex_tokens(const char *t, uint32_t *out32, uint16_t *out16, size_t count, int digits)
{
    if (!t) return TCA_ERROR_PARAM_NULL;
    size_t i = 0;
    const unsigned char *p = (const unsigned char *)t;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (*p == 0 || *p == '#') break; /* vectors 3.4: `#` ends the list */
        if (i == count) return TCA_ERROR_TV_VALUE;
        uint32_t v = 0;
        int d = 0;
        for (; d < digits; d++) {
            int h = hexval(p[d]);
            if (h < 0) return TCA_ERROR_TV_VALUE;
            v = (v << 4) | (uint32_t)h;
        }
        p += digits;
        if (*p != 0 && *p != ' ' && *p != '\t') return TCA_ERROR_TV_VALUE;
        if (out32) out32[i] = v;
        if (out16) out16[i] = (uint16_t)v;
        i++;
    }
    return i == count ? TCA_OK : TCA_ERROR_TV_VALUE;
}

tca_status tca_tv_parse_hex16(const char *text, uint16_t *out, size_t count)
{
    if (!out && count) return TCA_ERROR_PARAM_NULL;
    return parse_hex_tokens(text, NULL, out, count, 4);
}

tca_status tca_tv_parse_hex32(const char *text, uint32_t *out, size_t count, int digits)
{
    if (!out && count) return TCA_ERROR_PARAM_NULL;
    if (digits != 4 && digits != 8) return TCA_ERROR_PARAM_INVALID;
    return parse_hex_tokens(text, out, NULL, count, digits);
}

tca_status tca_tv_parse_bytes(const char *text, uint8_t *out, size_t cap, size_t *len)
{
    if (!text || !len) return TCA_ERROR_PARAM_NULL;
    size_t n = strlen(text);
    /* `-` is the empty byte string (vectors 3.4) */
    if (n == 1 && text[0] == '-') {
        *len = 0;
        return TCA_OK;
    }
    if (n % 2) return TCA_ERROR_TV_VALUE;
    if (out && n / 2 > cap) return TCA_ERROR_TV_VALUE;
    for (size_t i = 0; i < n; i += 2) {
        int h = hexval((unsigned char)text[i]), l = hexval((unsigned char)text[i + 1]);
        if (h < 0 || l < 0) return TCA_ERROR_TV_VALUE;
        if (out) out[i / 2] = (uint8_t)(h << 4 | l);
    }
    *len = n / 2;
    return TCA_OK;
}

tca_status tca_tv_parse_sha256(const char *text, uint8_t digest[32])
{
    if (!text || !digest) return TCA_ERROR_PARAM_NULL;
    if (strncmp(text, "sha256:", 7) != 0 || strlen(text) != 7 + 64) return TCA_ERROR_TV_VALUE;
    size_t len = 0;
    return tca_tv_parse_bytes(text + 7, digest, 32, &len);
}

tca_status tca_tv_read_file(const char *path, size_t max, const tca_allocator *al, uint8_t **data, size_t *size)
{
    if (!path || !data || !size) return TCA_ERROR_PARAM_NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) return TCA_ERROR_IO;
    size_t cap = 65536, n = 0;
    uint8_t *buf = tca_alloc(al, cap + 1);
    if (!buf) {
        fclose(fp);
        return TCA_ERROR_ALLOC;
    }
    for (;;) {
        if (n == cap) {
            if (cap > max) break;
            size_t ncap = cap * 2;
            uint8_t *nb = tca_alloc(al, ncap + 1);
            if (!nb) {
                tca_free(al, buf);
                fclose(fp);
                return TCA_ERROR_ALLOC;
            }
            memcpy(nb, buf, n);
            tca_free(al, buf);
            buf = nb;
            cap = ncap;
        }
        size_t r = fread(buf + n, 1, cap - n, fp);
        n += r;
        if (r == 0) break;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        tca_free(al, buf);
        return TCA_ERROR_IO;
    }
    if (n > max) {
        tca_free(al, buf);
        return TCA_ERROR_TV_VALUE;
    }
    buf[n] = 0;
    *data = buf;
    *size = n;
    return TCA_OK;
}
