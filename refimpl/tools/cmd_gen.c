/* SPDX-License-Identifier: Apache-2.0 */
/* tca gen: write the vector corpus deterministically, or check a corpus against a regeneration
 * (spec/tca-test-vectors.md section 8). Hardware-captured files (v1/mma/sm90-hw/) are not
 * generated; they are listed in the manifest and checksums from the files found in DIR. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "tca/checksum.h"
#include "tca/tv.h"
#include "tv/tv_gen.h"

int tca_cmd_gen(int argc, char **argv);
extern const char tca_cmd_gen_summary[];
const char tca_cmd_gen_summary[] = "write or check the test-vector corpus (vectors/)";

#define HW_DIR "v1/mma/sm90-hw"

static void usage(FILE *o)
{
    fprintf(o, "usage: tca gen [--out DIR] [--level quick|full] [--check] [--update] [--reindex] [-v]\n"
               "  Writes the vector corpus into DIR (default ./vectors): v1/..., MANIFEST.tsv, SHA256SUMS,\n"
               "  VERSION. --level quick writes only the quick files (and a manifest of those).\n"
               "  --check regenerates in memory and compares with DIR instead of writing (exit 1 on drift).\n"
               "  Existing files that would change are never rewritten without --update.\n"
               "  --reindex rewrites only MANIFEST.tsv, SHA256SUMS and VERSION from the files in DIR (the\n"
               "  generated files' rows kept from MANIFEST.tsv, the hardware captures' rows from their\n"
               "  headers): run it after adding or recapturing files under " HW_DIR "/.\n");
}

static char *join(const char *dir, const char *rel)
{
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", dir, rel);
    return p;
}

static int mkdirs_for(const char *path)
{
    char *p = strdup(path);
    if (!p) return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

static int cmp_files(const void *a, const void *b)
{
    return strcmp(((const tca__tv_gen_file *)a)->row.path, ((const tca__tv_gen_file *)b)->row.path);
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Hardware-captured files found in DIR: added with their own contents (vectors 8.1). */
static tca_status add_hw_files(tca__tv_gen *g, const char *dir)
{
    char *hw = join(dir, HW_DIR);
    if (!hw) return TCA_ERROR_ALLOC;
    DIR *d = opendir(hw);
    if (!d) {
        free(hw);
        return TCA_OK; /* none captured yet */
    }
    char *names[1024];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 1024) {
        size_t l = strlen(e->d_name);
        if (l > 3 && !strcmp(e->d_name + l - 3, ".tv")) names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    tca_status st = TCA_OK;
    for (size_t i = 0; i < n; i++) {
        char rel[256], *path = NULL;
        uint8_t *data = NULL;
        size_t size = 0;
        tca_tv_file *f = NULL;
        tca_tv_error err;
        snprintf(rel, sizeof rel, "%s/%s", HW_DIR, names[i] ? names[i] : "");
        path = join(dir, rel);
        if (!names[i] || !path) st = TCA_ERROR_ALLOC;
        if (!st) st = tca_tv_read_file(path, TCA_TV_FILE_MAX, NULL, &data, &size);
        if (!st) st = tca_tv_parse(data, size, NULL, &f, &err);
        if (st) {
            fprintf(stderr, "tca gen: %s: %s (line %u: %s)\n", rel, tca_status_name(st), (unsigned)err.line, err.message);
        } else {
            const char *prof = tca_tv_get(&f->header, "profile");
            if (!prof) prof = tca_tv_get(&f->header, "arch");
            const char *level = tca_tv_get(&f->header, "level");
            const char *op = tca_tv_get(&f->header, "op");
            uint64_t seed = 0;
            if (tca_tv_get_u64(&f->header, "seed", &seed)) seed = 0;
            char desc[200];
            snprintf(desc, sizeof desc, "hardware-captured %s", op ? op : "mma");
            tca_tv_manifest_row row;
            tca__tv_row(&row, rel, "mma-hw", prof ? prof : "sm90",
                        level && !strcmp(level, "full") ? "full" : "quick", seed, f->n_records, desc);
            tca_tv_writer w;
            tca_tv_writer_init(&w, NULL);
            tca_tv_put_raw(&w, (const char *)data, size);
            st = tca__tv_gen_add(g, &row, &w);
            tca_tv_writer_free(&w);
        }
        tca_tv_free(f);
        free(data);
        free(path);
        if (st) break;
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(hw);
    return st;
}

/* --reindex: the non-hardware files of DIR with their committed manifest rows. */
static tca_status add_committed_files(tca__tv_gen *g, const char *dir)
{
    char *mp = join(dir, "MANIFEST.tsv");
    uint8_t *text = NULL;
    size_t size = 0;
    tca_tv_manifest m;
    tca_tv_error err;
    tca_status st = mp ? tca_tv_read_file(mp, (size_t)1 << 24, NULL, &text, &size) : TCA_ERROR_ALLOC;
    free(mp);
    if (!st) st = tca_tv_manifest_parse(text, size, NULL, &m, &err);
    free(text);
    if (st) {
        fprintf(stderr, "tca gen: %s/MANIFEST.tsv: %s\n", dir, tca_status_name(st));
        return st;
    }
    for (size_t i = 0; i < m.n_rows && !st; i++) {
        if (!strncmp(m.rows[i].path, HW_DIR "/", strlen(HW_DIR) + 1)) continue;
        char *fp = join(dir, m.rows[i].path);
        uint8_t *data = NULL;
        size_t n = 0;
        st = fp ? tca_tv_read_file(fp, (size_t)1 << 30, NULL, &data, &n) : TCA_ERROR_ALLOC;
        if (st) fprintf(stderr, "tca gen: cannot read %s/%s\n", dir, m.rows[i].path);
        if (!st) {
            tca_tv_writer w;
            tca_tv_writer_init(&w, NULL);
            tca_tv_put_raw(&w, (const char *)data, n);
            st = tca__tv_gen_add(g, &m.rows[i], &w);
            tca_tv_writer_free(&w);
        }
        free(data);
        free(fp);
    }
    tca_tv_manifest_free(&m);
    return st;
}

/* MANIFEST.tsv, SHA256SUMS and VERSION for the file list (sorted by path). */
static tca_status build_index(const tca__tv_gen *g, tca_tv_writer *manifest, tca_tv_writer *sums,
                              tca_tv_writer *version)
{
    tca_tv_manifest_put_header(manifest);
    for (size_t i = 0; i < g->n; i++) tca_tv_manifest_put_row(manifest, &g->files[i].row);
    tca_tv_put_raw(version, TCA_TV_CORPUS_VERSION "\n", strlen(TCA_TV_CORPUS_VERSION) + 1);
    /* vectors 8.2: coreutils format "<64 hex>  <path>", sorted by path, covering every file but
     * SHA256SUMS itself */
    struct {
        const char *path;
        const char *data;
        size_t size;
    } extra[2] = {{"MANIFEST.tsv", manifest->buf, manifest->len}, {"VERSION", version->buf, version->len}};
    size_t ie = 0, ig = 0;
    while (ie < 2 || ig < g->n) {
        const char *path, *data;
        size_t size;
        if (ig < g->n && (ie == 2 || strcmp(g->files[ig].row.path, extra[ie].path) < 0)) {
            path = g->files[ig].row.path;
            data = g->files[ig].data;
            size = g->files[ig].size;
            ig++;
        } else {
            path = extra[ie].path;
            data = extra[ie].data;
            size = extra[ie].size;
            ie++;
        }
        uint8_t d[32];
        char hex[65], line[400];
        tca_sha256(data, size, d);
        tca_sha256_hex(d, hex);
        int n = snprintf(line, sizeof line, "%s  %s\n", hex, path);
        tca_tv_put_raw(sums, line, (size_t)n);
    }
    if (manifest->status) return manifest->status;
    if (sums->status) return sums->status;
    return version->status;
}

/* 0 same, 1 differs, -1 missing */
static int compare_file(const char *dir, const char *rel, const char *data, size_t size)
{
    char *path = join(dir, rel);
    uint8_t *have = NULL;
    size_t n = 0;
    tca_status st = path ? tca_tv_read_file(path, (size_t)1 << 31, NULL, &have, &n) : TCA_ERROR_ALLOC;
    free(path);
    if (st) return -1;
    int diff = n != size || memcmp(have, data, size) != 0;
    free(have);
    return diff;
}

/* Every line of `want` must occur as a whole line in `have`. */
static int lines_contained(const char *have, size_t hn, const char *want, size_t wn, const char *what, const char *dir)
{
    int bad = 0;
    const char *p = want, *end = want + wn;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        int found = 0;
        for (const char *q = have; q && q < have + hn;) {
            const char *qn = memchr(q, '\n', (size_t)(have + hn - q));
            size_t ql = qn ? (size_t)(qn - q) + 1 : (size_t)(have + hn - q);
            if (ql == l && !memcmp(q, p, l)) {
                found = 1;
                break;
            }
            q += ql;
        }
        if (!found) {
            printf("DRIFT %s/%s: missing or different line: %.*s", dir, what, (int)l, p);
            if (p[l - 1] != '\n') printf("\n");
            bad = 1;
        }
        p += l;
    }
    return bad;
}

int tca_cmd_gen(int argc, char **argv)
{
    const char *dir = "vectors";
    int full = 1, check = 0, update = 0, verbose = 0, reindex = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc) dir = argv[++i];
        else if (!strcmp(argv[i], "--level") && i + 1 < argc) {
            const char *l = argv[++i];
            if (!strcmp(l, "quick")) full = 0;
            else if (!strcmp(l, "full")) full = 1;
            else {
                usage(stderr);
                return 2;
            }
        } else if (!strcmp(argv[i], "--check")) check = 1;
        else if (!strcmp(argv[i], "--update")) update = 1;
        else if (!strcmp(argv[i], "--reindex")) reindex = 1;
        else if (!strcmp(argv[i], "-v")) verbose = 1;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }

    tca__tv_gen g;
    memset(&g, 0, sizeof g);
    g.full = full;
    g.verbose = verbose;
    if (reindex && check) {
        usage(stderr);
        return 2;
    }
    tca_status st = reindex ? add_committed_files(&g, dir) : tca__tv_gen_format(&g);
    if (!st && !reindex) st = tca__tv_gen_mma(&g);
    if (!st && !reindex) st = tca__tv_gen_gemm(&g);
    if (!st) st = add_hw_files(&g, dir);
    if (st) {
        fprintf(stderr, "tca gen: generation failed: %s (%s)\n", tca_status_name(st), tca_status_message(st));
        tca__tv_gen_free(&g);
        return st == TCA_ERROR_IO ? 2 : 1;
    }
    qsort(g.files, g.n, sizeof g.files[0], cmp_files);

    tca_tv_writer manifest, sums, version;
    tca_tv_writer_init(&manifest, NULL);
    tca_tv_writer_init(&sums, NULL);
    tca_tv_writer_init(&version, NULL);
    st = build_index(&g, &manifest, &sums, &version);
    int rc = 0;
    if (st) {
        fprintf(stderr, "tca gen: index: %s\n", tca_status_name(st));
        rc = 1;
    } else if (check) {
        size_t drift = 0;
        for (size_t i = 0; i < g.n; i++) {
            if (!strncmp(g.files[i].row.path, HW_DIR "/", strlen(HW_DIR) + 1)) continue; /* read from DIR */
            int c = compare_file(dir, g.files[i].row.path, g.files[i].data, g.files[i].size);
            if (c) {
                printf("DRIFT %s/%s: %s\n", dir, g.files[i].row.path, c < 0 ? "missing" : "differs from regeneration");
                drift++;
            }
        }
        if (full) {
            const char *names[3] = {"MANIFEST.tsv", "SHA256SUMS", "VERSION"};
            tca_tv_writer *ws[3] = {&manifest, &sums, &version};
            for (int k = 0; k < 3; k++)
                if (compare_file(dir, names[k], ws[k]->buf, ws[k]->len)) {
                    printf("DRIFT %s/%s: differs from regeneration\n", dir, names[k]);
                    drift++;
                }
        } else {
            /* quick: the quick files' rows and sums must be present in the committed index */
            const char *names[2] = {"MANIFEST.tsv", "SHA256SUMS"};
            tca_tv_writer *ws[2] = {&manifest, &sums};
            for (int k = 0; k < 2; k++) {
                char *path = join(dir, names[k]);
                uint8_t *have = NULL;
                size_t hn = 0;
                if (!path || tca_tv_read_file(path, (size_t)1 << 26, NULL, &have, &hn)) {
                    printf("DRIFT %s/%s: missing\n", dir, names[k]);
                    drift++;
                } else {
                    /* skip lines of MANIFEST.tsv / SHA256SUMS / VERSION themselves in quick mode */
                    tca_tv_writer sub;
                    tca_tv_writer_init(&sub, NULL);
                    const char *p = ws[k]->buf, *end = p + ws[k]->len;
                    while (p < end) {
                        const char *nl = memchr(p, '\n', (size_t)(end - p));
                        size_t l = (size_t)(nl - p) + 1;
                        int self = k == 1 && l > 66 &&
                                   ((l == 66 + 13 && !memcmp(p + 64, "  MANIFEST.tsv\n", 15)) ||
                                    (l == 66 + 8 && !memcmp(p + 64, "  VERSION\n", 10)));
                        if (!self)
                            tca_tv_put_raw(&sub, p, l);
                        p += l;
                    }
                    if (lines_contained((const char *)have, hn, sub.buf, sub.len, names[k], dir)) drift++;
                    tca_tv_writer_free(&sub);
                }
                free(have);
                free(path);
            }
        }
        printf("tca gen --check: %zu files compared, %zu drifted\n", g.n, drift);
        rc = drift ? 1 : 0;
    } else {
        /* write: refuse to change committed files silently (vectors 8.3) */
        size_t changed = 0;
        for (size_t i = 0; i < g.n; i++)
            if (compare_file(dir, g.files[i].row.path, g.files[i].data, g.files[i].size) > 0) {
                fprintf(stderr, "tca gen: %s/%s would change\n", dir, g.files[i].row.path);
                changed++;
            }
        if (changed && !update) {
            fprintf(stderr, "tca gen: %zu existing files would change; bump TCA_TV_CORPUS_VERSION and rerun with "
                            "--update (vectors 8.3)\n", changed);
            rc = 1;
        }
        for (size_t i = 0; i < g.n && !rc && !reindex; i++) {
            char *path = join(dir, g.files[i].row.path);
            if (!path || mkdirs_for(path) || tca_tv_write_file(path, g.files[i].data, g.files[i].size)) {
                fprintf(stderr, "tca gen: cannot write %s/%s\n", dir, g.files[i].row.path);
                rc = 2;
            }
            free(path);
        }
        const char *names[3] = {"MANIFEST.tsv", "SHA256SUMS", "VERSION"};
        tca_tv_writer *ws[3] = {&manifest, &sums, &version};
        for (int k = 0; k < 3 && !rc; k++) {
            char *path = join(dir, names[k]);
            if (!path || mkdirs_for(path) || tca_tv_write_file(path, ws[k]->buf, ws[k]->len)) {
                fprintf(stderr, "tca gen: cannot write %s/%s\n", dir, names[k]);
                rc = 2;
            }
            free(path);
        }
        if (!rc) printf("tca gen: %s %zu vector files %s %s\n", reindex ? "indexed" : "wrote", g.n, reindex ? "in" : "to", dir);
    }
    tca_tv_writer_free(&manifest);
    tca_tv_writer_free(&sums);
    tca_tv_writer_free(&version);
    tca__tv_gen_free(&g);
    return rc;
}
