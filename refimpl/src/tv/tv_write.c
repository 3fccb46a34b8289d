/* SPDX-License-Identifier: Apache-2.0 */
/* .tv writer (spec/tca-test-vectors.md section 3): the canonical form, byte for byte
 * deterministic (lower-case hex, single spaces, LF line ends), and the temp-name + rename file
 * write every output of the project uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tca/tv.h"

void tca_tv_writer_init(tca_tv_writer *w, const tca_allocator *alloc)
{
    memset(w, 0, sizeof *w);
    w->alloc = alloc;
}

void tca_tv_writer_free(tca_tv_writer *w)
{
    if (!w) return;
    tca_free(w->alloc, w->buf);
    w->buf = NULL;
    w->len = w->cap = 0;
}

static int reserve(tca_tv_writer *w, size_t extra)
{
    if (w->status) return 0;
    if (extra > SIZE_MAX - w->len - 1) {
        w->status = TCA_ERROR_ALLOC;
        return 0;
    }
    size_t need = w->len + extra + 1;
    if (need <= w->cap) return 1;
    size_t cap = w->cap ? w->cap : 4096;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *nb = tca_alloc(w->alloc, cap);
    if (!nb) {
        w->status = TCA_ERROR_ALLOC;
        return 0;
    }
    if (w->len) memcpy(nb, w->buf, w->len);
    nb[w->len] = 0;
    tca_free(w->alloc, w->buf);
    w->buf = nb;
    w->cap = cap;
    return 1;
}

static void append(tca_tv_writer *w, const char *s, size_t n)
{
    if (!reserve(w, n)) return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = 0;
}

static void append_str(tca_tv_writer *w, const char *s) { append(w, s, strlen(s)); }

void tca_tv_put_raw(tca_tv_writer *w, const char *text, size_t n) { append(w, text, n); }

static int key_ok(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    if (n == 0 || n > TCA_TV_KEY_MAX) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)k[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-'))
            return 0;
    }
    return 1;
}

static int text_ok(const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if ((*p < 0x20 && *p != '\t') || *p == 0x7F) return 0;
    return 1;
}

static void put_key(tca_tv_writer *w, const char *key)
{
    if (w->status) return;
    if (!key_ok(key)) {
        w->status = TCA_ERROR_PARAM_INVALID;
        return;
    }
    append_str(w, key);
    append(w, " = ", 3);
}

void tca_tv_put_preamble(tca_tv_writer *w, const char *comment)
{
    append_str(w, "# tca-tv 1\n");
    if (comment) tca_tv_put_comment(w, comment);
}

void tca_tv_put_comment(tca_tv_writer *w, const char *text)
{
    /* one `# ` line per line of text */
    const char *p = text;
    while (!w->status) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        append(w, "# ", 2);
        for (size_t i = 0; i < n; i++)
            if (((unsigned char)p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7F) w->status = TCA_ERROR_PARAM_INVALID;
        append(w, p, n);
        append(w, "\n", 1);
        if (!nl || !nl[1]) break;
        p = nl + 1;
    }
}

void tca_tv_put(tca_tv_writer *w, const char *key, const char *value)
{
    if (w->status) return;
    if (!value || !text_ok(value) || strlen(value) > TCA_TV_LINE_MAX - TCA_TV_KEY_MAX - 3) {
        w->status = TCA_ERROR_PARAM_INVALID;
        return;
    }
    /* values keep no surrounding blanks (the reader strips them) */
    size_t n = strlen(value);
    if (n && (value[0] == ' ' || value[0] == '\t' || value[n - 1] == ' ' || value[n - 1] == '\t')) {
        w->status = TCA_ERROR_PARAM_INVALID;
        return;
    }
    put_key(w, key);
    append(w, value, n);
    append(w, "\n", 1);
}

void tca_tv_put_u64(tca_tv_writer *w, const char *key, uint64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%llu", (unsigned long long)v);
    tca_tv_put(w, key, b);
}

void tca_tv_put_x64(tca_tv_writer *w, const char *key, uint64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "0x%016llx", (unsigned long long)v);
    tca_tv_put(w, key, b);
}

static const char hexdig[] = "0123456789abcdef";

static void put_tokens(tca_tv_writer *w, const char *key, const uint16_t *v16, const uint32_t *v32, size_t n,
                       int digits)
{
    if (w->status) return;
    if (n > (TCA_TV_LINE_MAX - TCA_TV_KEY_MAX - 3) / (size_t)(digits + 1)) {
        w->status = TCA_ERROR_PARAM_INVALID; /* the line would exceed TCA_TV_LINE_MAX */
        return;
    }
    put_key(w, key);
    if (!reserve(w, n * (size_t)(digits + 1) + 1)) return;
    char *o = w->buf + w->len;
    for (size_t i = 0; i < n; i++) {
        uint32_t x = v16 ? v16[i] : v32[i];
        if (i) *o++ = ' ';
        for (int d = digits - 1; d >= 0; d--) *o++ = hexdig[(x >> (4 * d)) & 15];
    }
    *o++ = '\n';
    *o = 0;
    w->len = (size_t)(o - w->buf);
}

void tca_tv_put_hex16(tca_tv_writer *w, const char *key, const uint16_t *v, size_t n)
{
    put_tokens(w, key, v, NULL, n, 4);
}

void tca_tv_put_hex32(tca_tv_writer *w, const char *key, const uint32_t *v, size_t n, int digits)
{
    if (digits != 4 && digits != 8) {
        w->status = TCA_ERROR_PARAM_INVALID;
        return;
    }
    put_tokens(w, key, NULL, v, n, digits);
}

void tca_tv_put_bytes(tca_tv_writer *w, const char *key, const uint8_t *v, size_t n)
{
    if (w->status) return;
    if (n > (TCA_TV_LINE_MAX - TCA_TV_KEY_MAX - 3) / 2) {
        w->status = TCA_ERROR_PARAM_INVALID;
        return;
    }
    if (n == 0) {
        tca_tv_put(w, key, "-");
        return;
    }
    put_key(w, key);
    if (!reserve(w, 2 * n + 1)) return;
    char *o = w->buf + w->len;
    for (size_t i = 0; i < n; i++) {
        *o++ = hexdig[v[i] >> 4];
        *o++ = hexdig[v[i] & 15];
    }
    *o++ = '\n';
    *o = 0;
    w->len = (size_t)(o - w->buf);
}

void tca_tv_put_sha256(tca_tv_writer *w, const char *key, const uint8_t digest[32])
{
    char b[7 + 64 + 1];
    memcpy(b, "sha256:", 7);
    for (int i = 0; i < 32; i++) {
        b[7 + 2 * i] = hexdig[digest[i] >> 4];
        b[8 + 2 * i] = hexdig[digest[i] & 15];
    }
    b[71] = 0;
    tca_tv_put(w, key, b);
}

void tca_tv_put_end(tca_tv_writer *w) { append(w, "\n", 1); }

tca_status tca_tv_write_file(const char *path, const void *data, size_t size)
{
    if (!path || (!data && size)) return TCA_ERROR_PARAM_NULL;
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp) return TCA_ERROR_ALLOC;
    snprintf(tmp, n + 16, "%s.tmp~", path);
    FILE *fp = fopen(tmp, "wb");
    if (!fp) {
        free(tmp);
        return TCA_ERROR_IO;
    }
    int ok = fwrite(data, 1, size, fp) == size;
    ok = (fclose(fp) == 0) && ok;
    if (ok) ok = rename(tmp, path) == 0;
    if (!ok) remove(tmp);
    free(tmp);
    return ok ? TCA_OK : TCA_ERROR_IO;
}
