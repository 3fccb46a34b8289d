/* SPDX-License-Identifier: Apache-2.0 */
/* tca-conform SUBJECT.so [--vectors DIR] [--level quick|full] [--junit FILE] [--profile P|all]
 *             [--mustpass FILE] [--waivers FILE] [--max-failures-per-file N] [-v]
 *
 * Loads a subject (conformance/subject.h), verifies the vector corpus (SHA256SUMS, manifest rows
 * against file headers), runs every vector of the level, prints one line per failing test and
 * the summary line `N passed, M failed, K skipped`, and writes a JUnit XML report.
 * Exit: 0 no failure (and, with --mustpass, the claim holds), 1 failures, 2 usage / I/O /
 * corrupt vectors / subject cannot be loaded. docs/conformance.md describes the procedure. */
#include <dlfcn.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conform.h"
#include "tca/checksum.h"
#include "tca/mma.h"
#include "tca/version.h"

#ifndef TCA_GIT_REVISION
#define TCA_GIT_REVISION "unknown"
#endif
#define SUITE_VERSION TCA_VERSION_STRING

static void usage(FILE *o)
{
    fprintf(o, "usage: tca-conform SUBJECT.so [--vectors DIR] [--level quick|full] [--junit FILE]\n"
               "                   [--profile NAME|all] [--mustpass FILE] [--waivers FILE]\n"
               "                   [--max-failures-per-file N] [-v]\n"
               "  DIR defaults to ./vectors (run from the repository root).\n"
               "  --profile all runs the subject once per profile (it must accept each in tca_subject_init).\n");
}

static char *path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", a, b);
    return p;
}

static int load_subject(subject *s, const char *path)
{
    /* a bare file name would make dlopen search the library path: make it explicit */
    char *p = strchr(path, '/') ? strdup(path) : path_join(".", path);
    s->dl = p ? dlopen(p, RTLD_NOW | RTLD_LOCAL) : NULL;
    free(p);
    if (!s->dl) {
        fprintf(stderr, "tca-conform: cannot load %s: %s\n", path, dlerror());
        return 0;
    }
    *(void **)&s->init = dlsym(s->dl, "tca_subject_init");
    *(void **)&s->fini = dlsym(s->dl, "tca_subject_fini");
    *(void **)&s->get_info = dlsym(s->dl, "tca_subject_get_info");
    *(void **)&s->decompress = dlsym(s->dl, "tca_subject_decompress");
    *(void **)&s->gemm = dlsym(s->dl, "tca_subject_gemm");
    *(void **)&s->mma = dlsym(s->dl, "tca_subject_mma");
    *(void **)&s->container = dlsym(s->dl, "tca_subject_container_decompress");
    if (!s->init || !s->fini || !s->get_info) {
        fprintf(stderr, "tca-conform: %s lacks tca_subject_init/fini/get_info\n", path);
        return 0;
    }
    return 1;
}

/* Open a context for one profile and check the declared capabilities against the symbols. */
static int open_profile(subject *s, const char *profile, char *why, size_t cap)
{
    s->ctx = NULL;
    int rc = s->init(profile, &s->ctx);
    if (rc) {
        snprintf(why, cap, "subject cannot run as profile %s (init returned %d)", profile ? profile : "(default)", rc);
        return 0;
    }
    memset(&s->info, 0, sizeof s->info);
    if (s->get_info(s->ctx, &s->info) || s->info.abi_version != TCA_SUBJECT_ABI_VERSION || !s->info.profile) {
        snprintf(why, cap, "subject info unusable (ABI version %u, expected %u)", s->info.abi_version,
                 TCA_SUBJECT_ABI_VERSION);
        s->fini(s->ctx);
        return -1;
    }
    if (((s->info.caps & TCA_SUBJECT_CAP_DECOMPRESS) && !s->decompress) ||
        ((s->info.caps & TCA_SUBJECT_CAP_GEMM) && !s->gemm) || ((s->info.caps & TCA_SUBJECT_CAP_MMA) && !s->mma) ||
        ((s->info.caps & TCA_SUBJECT_CAP_CONTAINER) && !s->container)) {
        snprintf(why, cap, "subject declares a capability whose function it does not export");
        s->fini(s->ctx);
        return -1;
    }
    return 1;
}

/* SHA256SUMS (vectors 8.2): every line "<64 hex>  <path>"; every file must match. */
static int verify_sums(const char *dir, size_t *n_files)
{
    char *p = path_join(dir, "SHA256SUMS");
    uint8_t *text = NULL;
    size_t size = 0;
    if (!p || tca_tv_read_file(p, (size_t)1 << 24, NULL, &text, &size)) {
        fprintf(stderr, "tca-conform: cannot read %s\n", p ? p : "SHA256SUMS");
        free(p);
        return 0;
    }
    free(p);
    int ok = 1;
    size_t n = 0;
    char *line = (char *)text;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        if (strlen(line) < 67 || line[64] != ' ' || line[65] != ' ') {
            fprintf(stderr, "tca-conform: SHA256SUMS: malformed line\n");
            ok = 0;
            break;
        }
        char *fp = path_join(dir, line + 66);
        uint8_t *data = NULL, d[32];
        size_t dn = 0;
        char hex[65];
        if (!fp || tca_tv_read_file(fp, (size_t)1 << 30, NULL, &data, &dn)) {
            fprintf(stderr, "tca-conform: %s listed in SHA256SUMS is missing\n", line + 66);
            ok = 0;
        } else {
            tca_sha256(data, dn, d);
            tca_sha256_hex(d, hex);
            if (memcmp(hex, line, 64)) {
                fprintf(stderr, "tca-conform: %s does not match SHA256SUMS (vectors corrupted or edited)\n",
                        line + 66);
                ok = 0;
            }
        }
        free(data);
        free(fp);
        n++;
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    *n_files = n;
    return ok;
}

/* vectors 8.1: the header of a file must agree with its manifest row. */
static int header_matches(const tca_tv_file *f, const tca_tv_manifest_row *row, char *why, size_t cap)
{
    const char *kind = tca_tv_get(&f->header, "kind");
    const char *prof = tca_tv_get(&f->header, "profile");
    if (!prof) prof = tca_tv_get(&f->header, "arch");
    if (!prof) prof = "-";
    const char *level = tca_tv_get(&f->header, "level");
    if (!level) level = "quick";
    uint64_t seed = 0, count = 0;
    if (tca_tv_get(&f->header, "seed") && tca_tv_get_u64(&f->header, "seed", &seed)) seed = UINT64_MAX;
    int have_count = tca_tv_get_u64(&f->header, "count", &count) == TCA_OK;
    if (!kind || strcmp(kind, row->kind)) snprintf(why, cap, "kind %s, manifest says %s", kind ? kind : "-", row->kind);
    else if (strcmp(prof, row->profile)) snprintf(why, cap, "profile %s, manifest says %s", prof, row->profile);
    else if (strcmp(level, row->level)) snprintf(why, cap, "level %s, manifest says %s", level, row->level);
    else if (seed != row->seed) snprintf(why, cap, "seed differs from the manifest");
    else if (row->count != f->n_records || (have_count && count != f->n_records))
        snprintf(why, cap, "%zu records, manifest says %llu", f->n_records, (unsigned long long)row->count);
    else return 1;
    return 0;
}

/* Dotted id prefix of a file: tca. + path without v1/ and .tv, '/' -> '.' (vectors 9.1). */
static void prefix_of(const char *path, char *out, size_t cap)
{
    const char *p = !strncmp(path, "v1/", 3) ? path + 3 : path;
    size_t n = strlen(p);
    if (n > 3 && !strcmp(p + n - 3, ".tv")) n -= 3;
    snprintf(out, cap, "tca.%.*s", (int)n, p);
    for (char *q = out; *q; q++)
        if (*q == '/') *q = '.';
}

static int run_file(conform *c, const tca_tv_manifest_row *row, const char *skip_why)
{
    char prefix[300], why[200];
    prefix_of(row->path, prefix, sizeof prefix);
    char *fp = path_join(c->vectors, row->path);
    tca_tv_file *f = NULL;
    tca_tv_error err;
    tca_status st = fp ? tca_tv_load(fp, NULL, &f, &err) : TCA_ERROR_ALLOC;
    free(fp);
    if (st) {
        fprintf(stderr, "tca-conform: %s: %s (line %u: %s)\n", row->path, tca_status_name(st), (unsigned)err.line,
                err.message);
        return 1;
    }
    if (!header_matches(f, row, why, sizeof why)) {
        fprintf(stderr, "tca-conform: %s: header disagrees with MANIFEST.tsv: %s\n", row->path, why);
        tca_tv_free(f);
        return 1;
    }
    conform_begin_file(c, prefix);
    int rc = 0;
    if (skip_why) conform_skip_file(c, f, prefix, skip_why);
    else if (!strcmp(row->kind, "container")) rc = conform_run_container(c, f, prefix);
    else if (!strncmp(row->kind, "format", 6)) rc = conform_run_format(c, f, prefix, row->kind);
    else if (!strncmp(row->kind, "mma", 3)) rc = conform_run_mma(c, f, prefix, row->kind);
    else if (!strcmp(row->kind, "gemm")) rc = conform_run_gemm(c, f, prefix);
    else {
        fprintf(stderr, "tca-conform: %s: unknown kind %s\n", row->path, row->kind);
        rc = 1;
    }
    tca_tv_free(f);
    return rc;
}

/* ------------------------------------------------------------------ must-pass and waivers */

typedef struct patterns {
    char **p;
    size_t n;
} patterns;

static void patterns_free(patterns *ps)
{
    for (size_t i = 0; i < ps->n; i++) free(ps->p[i]);
    free(ps->p);
}

/* One pattern per line; `#` comments. Waivers (requires_reason): every pattern must follow a
 * comment line "# Issue <ref>: <reason>" (design guide 9). */
static int load_patterns(const char *path, int requires_reason, patterns *out)
{
    memset(out, 0, sizeof *out);
    uint8_t *text = NULL;
    size_t size = 0;
    if (tca_tv_read_file(path, (size_t)1 << 20, NULL, &text, &size)) {
        fprintf(stderr, "tca-conform: cannot read %s\n", path);
        return 0;
    }
    int ok = 1, have_reason = 0;
    char *line = (char *)text;
    unsigned lineno = 0;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        lineno++;
        size_t l = strlen(line);
        while (l && (line[l - 1] == ' ' || line[l - 1] == '\r' || line[l - 1] == '\t')) line[--l] = 0;
        if (line[0] == '#') {
            if (!strncmp(line, "# Issue ", 8) && strchr(line, ':') && strlen(strchr(line, ':')) > 2) have_reason = 1;
        } else if (l == 0) {
            have_reason = 0;
        } else {
            if (requires_reason && !have_reason) {
                fprintf(stderr, "tca-conform: %s:%u: waiver without a '# Issue <ref>: <reason>' line\n", path, lineno);
                ok = 0;
            }
            char **np = realloc(out->p, (out->n + 1) * sizeof *np);
            if (!np) {
                ok = 0;
                break;
            }
            out->p = np;
            out->p[out->n++] = strdup(line);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    return ok;
}

/* `{profile}` in a pattern is the claimed profile; a leading `?` makes a pattern optional (it may
 * match no test). */
static void expand(const char *pat, const char *profile, char *out, size_t cap)
{
    const char *q = strstr(pat, "{profile}");
    if (q) snprintf(out, cap, "%.*s%s%s", (int)(q - pat), pat, profile, q + 9);
    else snprintf(out, cap, "%s", pat);
}

/* A must-pass line may start with a layout marker, `[v1] ` or `[F] `: the pattern is required only
 * when the subject declares that layout (subject.h layouts), so a kernel of one layout makes a
 * claim for that layout. Returns the pattern after the marker, or NULL when it does not apply. */
static const char *layout_pattern(const char *pat, uint32_t layouts)
{
    if (!strncmp(pat, "[v1] ", 5)) return (layouts & TCA_SUBJECT_LAYOUT_V1) ? pat + 5 : NULL;
    if (!strncmp(pat, "[F] ", 4)) return (layouts & TCA_SUBJECT_LAYOUT_F) ? pat + 4 : NULL;
    return pat;
}

static int claim_verdict(const conform *c, const patterns *must, const patterns *waive, char claimed[][16], int n_claimed,
                         const char *level, int full, uint32_t layouts)
{
    size_t required = 0, bad = 0, waived = 0;
    int empty_pattern = 0;
    for (int pi = 0; pi < n_claimed; pi++)
        for (size_t k = 0; k < must->n; k++) {
            const char *pat = layout_pattern(must->p[k], layouts);
            if (!pat) continue;
            int skip_mark = pat[0] == '?';
            /* at the quick level, patterns of full-level files match nothing: only a full run can
             * make a claim, a quick run checks what it ran */
            int optional = skip_mark || !full;
            char e[300];
            expand(pat + skip_mark, claimed[pi], e, sizeof e);
            size_t matched = 0;
            for (size_t i = 0; i < c->n_res; i++) {
                if (fnmatch(e, c->res[i].id, 0)) continue;
                matched++;
                required++;
                if (c->res[i].status == RES_PASS) continue;
                int is_waived = 0;
                for (size_t w = 0; waive && w < waive->n; w++)
                    if (!fnmatch(waive->p[w], c->res[i].id, 0)) is_waived = 1;
                if (is_waived) {
                    waived++;
                    continue;
                }
                bad++;
                printf("must-pass %s: %s\n", c->res[i].id, c->res[i].status == RES_SKIP ? "skipped" : "failed");
            }
            if (!matched && !optional) {
                printf("must-pass pattern %s matched no test\n", e);
                empty_pattern = 1;
            }
        }
    /* a claim is for the layouts the subject reads: at least one */
    int no_layout = !(layouts & (TCA_SUBJECT_LAYOUT_V1 | TCA_SUBJECT_LAYOUT_F));
    if (no_layout) printf("the subject declares no stream layout (subject.h layouts)\n");
    int ok = !bad && !empty_pattern && required > 0 && !no_layout;
    printf("conformance (%s level, layouts%s%s): %s: %zu must-pass tests, %zu not passed, %zu waived\n", level,
           (layouts & TCA_SUBJECT_LAYOUT_V1) ? " v1" : "", (layouts & TCA_SUBJECT_LAYOUT_F) ? " F" : "",
           ok ? "CONFORMANT" : "NOT CONFORMANT", required, bad, waived);
    return ok;
}

/* ------------------------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    const char *subject_path = NULL, *vectors = "vectors", *junit = NULL, *profile_arg = NULL;
    const char *mustpass = NULL, *waivers = NULL;
    int full = 0, verbose = 0;
    long max_fail = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--vectors") && i + 1 < argc) vectors = argv[++i];
        else if (!strcmp(a, "--junit") && i + 1 < argc) junit = argv[++i];
        else if (!strcmp(a, "--profile") && i + 1 < argc) profile_arg = argv[++i];
        else if (!strcmp(a, "--mustpass") && i + 1 < argc) mustpass = argv[++i];
        else if (!strcmp(a, "--waivers") && i + 1 < argc) waivers = argv[++i];
        else if (!strcmp(a, "--max-failures-per-file") && i + 1 < argc) max_fail = atol(argv[++i]);
        else if (!strcmp(a, "--level") && i + 1 < argc) {
            const char *l = argv[++i];
            if (!strcmp(l, "full")) full = 1;
            else if (strcmp(l, "quick")) {
                usage(stderr);
                return 2;
            }
        } else if (!strcmp(a, "-v")) verbose++;
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (a[0] != '-' && !subject_path) subject_path = a;
        else {
            usage(stderr);
            return 2;
        }
    }
    if (!subject_path || max_fail < 0) {
        usage(stderr);
        return 2;
    }
    const char *level = full ? "full" : "quick";

    conform c;
    memset(&c, 0, sizeof c);
    c.vectors = vectors;
    c.verbose = verbose;
    c.max_failures_per_file = (size_t)max_fail;

    /* the corpus: VERSION, SHA256SUMS over every file, MANIFEST.tsv */
    char version[64] = "?";
    {
        char *vp = path_join(vectors, "VERSION");
        uint8_t *t = NULL;
        size_t n = 0;
        if (vp && !tca_tv_read_file(vp, 64, NULL, &t, &n)) {
            snprintf(version, sizeof version, "%.*s", (int)strcspn((char *)t, "\n"), (char *)t);
            free(t);
        } else {
            fprintf(stderr, "tca-conform: no vectors at %s (missing VERSION); use --vectors DIR\n", vectors);
            free(vp);
            return 2;
        }
        free(vp);
    }
    size_t n_sums = 0;
    if (!verify_sums(vectors, &n_sums)) return 2;
    tca_tv_manifest man;
    {
        char *mp = path_join(vectors, "MANIFEST.tsv");
        uint8_t *t = NULL;
        size_t n = 0;
        tca_tv_error err;
        if (!mp || tca_tv_read_file(mp, (size_t)1 << 24, NULL, &t, &n) ||
            tca_tv_manifest_parse(t, n, NULL, &man, &err)) {
            fprintf(stderr, "tca-conform: %s/MANIFEST.tsv unreadable or malformed\n", vectors);
            free(mp);
            free(t);
            return 2;
        }
        free(mp);
        free(t);
    }
    if (!load_subject(&c.s, subject_path)) return 2;

    printf("tca-conform %s (git %s), vectors %s at %s (%zu files verified by SHA256SUMS), level %s\n", SUITE_VERSION,
           TCA_GIT_REVISION, version, vectors, n_sums, level);

    /* profile passes */
    char claimed[16][16];
    int n_claimed = 0, rc_files = 0;
    uint32_t layouts = 0;
    const char *list[16];
    int n_list = 0;
    if (profile_arg && !strcmp(profile_arg, "all"))
        for (int i = 0; i < tca_mma_profile_count() && n_list < 16; i++) list[n_list++] = tca_mma_profile_at(i)->name;
    else list[n_list++] = profile_arg; /* NULL = the subject's default */
    int *done = calloc(man.n_rows ? man.n_rows : 1, sizeof *done);
    int format_done = 0;
    for (int pi = 0; pi < n_list && !rc_files; pi++) {
        char why[200];
        int o = open_profile(&c.s, list[pi], why, sizeof why);
        if (o < 0) {
            fprintf(stderr, "tca-conform: %s\n", why);
            rc_files = 2;
            break;
        }
        if (o == 0) {
            printf("profile %s: %s\n", list[pi] ? list[pi] : "(default)", why);
            continue;
        }
        snprintf(claimed[n_claimed], sizeof claimed[0], "%s", c.s.info.profile);
        layouts = n_claimed ? layouts & c.s.info.layouts : c.s.info.layouts; /* declared on every profile */
        printf("subject %s %s [%s], profile %s, platform: %s, caps 0x%x, layouts 0x%x, mma ops 0x%x, "
               "max split-K %u\n",
               c.s.info.name ? c.s.info.name : "?", c.s.info.version ? c.s.info.version : "?", subject_path,
               c.s.info.profile, c.s.info.platform ? c.s.info.platform : "?", c.s.info.caps, c.s.info.layouts,
               c.s.info.mma_ops, c.s.info.max_split_k);
        for (size_t i = 0; i < man.n_rows && !rc_files; i++) {
            const tca_tv_manifest_row *row = &man.rows[i];
            if (done[i] || (!full && strcmp(row->level, "quick"))) continue;
            int generic = !strcmp(row->profile, "-");
            if (generic ? format_done : strcmp(row->profile, claimed[n_claimed])) continue;
            done[i] = 1;
            if (run_file(&c, row, NULL)) rc_files = 2;
        }
        format_done = 1;
        n_claimed++;
        c.s.fini(c.s.ctx);
    }
    /* files of profiles never claimed: skipped, never passed */
    for (size_t i = 0; i < man.n_rows && !rc_files; i++) {
        const tca_tv_manifest_row *row = &man.rows[i];
        if (done[i] || (!full && strcmp(row->level, "quick"))) continue;
        char why[100];
        snprintf(why, sizeof why, "profile %s not claimed by the subject", row->profile);
        if (run_file(&c, row, why)) rc_files = 2;
    }
    free(done);

    /* per layout (vectors 3.5): what passed in v1 streams and in layout F streams, and the tests
     * without a stream layout (MMA, containers) */
    static const char *const lay_name[LAY_COUNT] = {"none (mma, containers)", "v1", "F"};
    for (int l = LAY_V1; l < LAY_COUNT; l++) {
        const char *note = "";
        if (!(layouts & (l == LAY_F ? TCA_SUBJECT_LAYOUT_F : TCA_SUBJECT_LAYOUT_V1)))
            note = n_claimed ? " (layout not declared by the subject: skipped)" : " (no profile claimed)";
        printf("layout %s: %zu passed, %zu failed, %zu skipped%s\n", lay_name[l], c.lay_count[l][RES_PASS],
               c.lay_count[l][RES_FAIL], c.lay_count[l][RES_SKIP], note);
    }
    printf("layout %s: %zu passed, %zu failed, %zu skipped\n", lay_name[LAY_NONE], c.lay_count[LAY_NONE][RES_PASS],
           c.lay_count[LAY_NONE][RES_FAIL], c.lay_count[LAY_NONE][RES_SKIP]);
    printf("%zu passed, %zu failed, %zu skipped\n", c.passed, c.failed, c.skipped);
    int rc = rc_files ? 2 : c.failed ? 1 : 0;
    if (junit && conform_write_junit(&c, junit, "tca-conform")) {
        fprintf(stderr, "tca-conform: cannot write %s\n", junit);
        rc = 2;
    }
    if (mustpass && !rc_files) {
        patterns must, waive = {0};
        int ok = load_patterns(mustpass, 0, &must) && (!waivers || load_patterns(waivers, 1, &waive));
        if (!ok) rc = 2;
        else if (!claim_verdict(&c, &must, waivers ? &waive : NULL, claimed, n_claimed, level, full, layouts) && rc == 0)
            rc = 1;
        patterns_free(&must);
        patterns_free(&waive);
    }
    tca_tv_manifest_free(&man);
    conform_free_results(&c);
    /* the library stays loaded until exit: a subject's destructors may still run */
    return rc;
}
