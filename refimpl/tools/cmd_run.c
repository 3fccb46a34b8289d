/* SPDX-License-Identifier: Apache-2.0 */
/* tca run [--out DIR] [--threads N]: the main job on an embedded default. Generates the
 * deterministic sample checkpoint (sample_checkpoint.h), compresses it, decompresses it, checks
 * that the round trip has the input's sha256, and prints the summary (safetensors 6). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "atomic_file.h"
#include "cli_container.h"
#include "cli_util.h"
#include "sample_checkpoint.h"
#include "tca/checksum.h"

const char tca_cmd_run_summary[] = "the main job: compress, verify and summarise a built-in sample checkpoint";

static const char usage[] = "tca run [--out DIR] [--threads N]";

static int sha256_file(const char *cmd, const char *path, char hex[65])
{
    cli_input in;
    int rc = cli_input_open(cmd, path, &in);
    if (rc) return rc;
    uint8_t d[32];
    tca_sha256(in.data, in.size, d);
    tca_sha256_hex(d, hex);
    cli_input_close(&in);
    return 0;
}

int tca_cmd_run(int argc, char **argv);
int tca_cmd_run(int argc, char **argv)
{
    const char *cmd = "run";
    const char *out_dir = NULL;
    unsigned long threads = cli_cpu_count();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: %s\n\n"
                   "Generates a deterministic Llama-like sample checkpoint (2 blocks, hidden 512, BF16 weights,\n"
                   "F32/BF16 norms), compresses it with TCA-TBE, decompresses it, checks that the round trip\n"
                   "is byte-identical (sha256) and prints the summary. --out DIR keeps the three files\n"
                   "(sample.safetensors, sample.tca.safetensors, sample.roundtrip.safetensors) in DIR;\n"
                   "otherwise they go to a temporary directory that is removed.\n"
                   "Exit codes: 0 ok, 1 round trip mismatch, 2 usage or I/O error.\n",
                   usage);
            return 0;
        } else if (!strcmp(a, "--out")) {
            if (i + 1 >= argc) return cli_usage(cmd, usage, "--out needs a directory");
            out_dir = argv[++i];
        } else if (!strcmp(a, "--threads")) {
            if (i + 1 >= argc || !cli_parse_uint(argv[i + 1], 1024, &threads))
                return cli_usage(cmd, usage, "--threads needs a number in 1..1024");
            i++;
        } else {
            return cli_usage(cmd, usage, "unexpected argument '%s'", a);
        }
    }
    char tmpl[4096];
    int temporary = !out_dir;
    if (temporary) {
        const char *t = getenv("TMPDIR");
        snprintf(tmpl, sizeof tmpl, "%s/tca-run-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(tmpl)) {
            fprintf(stderr, "tca run: %s: cannot create a temporary directory: %s\n", tmpl, strerror(errno));
            return CLI_EXIT_USAGE;
        }
        out_dir = tmpl;
    } else if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "tca run: %s: cannot create directory: %s\n", out_dir, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    char p_in[4200], p_tca[4200], p_rt[4200];
    snprintf(p_in, sizeof p_in, "%s/sample.safetensors", out_dir);
    snprintf(p_tca, sizeof p_tca, "%s/sample.tca.safetensors", out_dir);
    snprintf(p_rt, sizeof p_rt, "%s/sample.roundtrip.safetensors", out_dir);

    int rc;
    double t0 = cli_now();
    tca_st_buffer buf = {NULL, 0, 0, NULL};
    tca_status st = cli_sample_checkpoint(&buf);
    if (st != TCA_OK) {
        rc = cli_fail(cmd, "sample checkpoint", st, "generating");
        goto done;
    }
    cli_out out;
    if ((rc = cli_out_open(cmd, p_in, &out)) != 0) goto done;
    if (fwrite(buf.data, 1, buf.size, out.fp) != buf.size) {
        cli_out_abort(&out);
        fprintf(stderr, "tca run: %s: cannot write: %s\n", p_in, strerror(errno));
        rc = CLI_EXIT_USAGE;
        goto done;
    }
    if ((rc = cli_out_commit(cmd, &out)) != 0) goto done;
    double t_gen = cli_now() - t0;
    printf("tca run: sample Llama-like checkpoint (2 blocks, hidden 512, MLP 1376, vocabulary 4096), %.1f MB, "
           "generated in %.2f s\n\n",
           (double)buf.size / 1e6, t_gen);

    cli_compress_result cr;
    if ((rc = cli_compress_file(cmd, p_in, p_tca, (unsigned)threads, 0, 0, 1, &cr)) != 0) goto done;
    double t1 = cli_now();
    uint64_t rt_size = 0;
    if ((rc = cli_decompress_file(cmd, p_tca, p_rt, &rt_size)) != 0) goto done;
    double t_dec = cli_now() - t1;
    char h_in[65], h_rt[65];
    if ((rc = sha256_file(cmd, p_in, h_in)) != 0 || (rc = sha256_file(cmd, p_rt, h_rt)) != 0) goto done;
    printf("decompress   %.3f s, %.1f MB/s of output\n", t_dec, t_dec > 0 ? (double)rt_size / t_dec / 1e6 : 0.0);
    printf("sha256       input     %s\n             roundtrip %s\n", h_in, h_rt);
    if (strcmp(h_in, h_rt) != 0) {
        fprintf(stderr, "tca run: %s: round trip differs from %s (sha256 mismatch)\n", p_rt, p_in);
        rc = CLI_EXIT_CORRUPT;
        goto done;
    }
    printf("round trip   byte-identical: OK\n");
    if (!temporary) printf("files        %s, %s, %s\n", p_in, p_tca, p_rt);
    rc = CLI_EXIT_OK;
done:
    tca_st_buffer_free(&buf);
    if (temporary) {
        unlink(p_in);
        unlink(p_tca);
        unlink(p_rt);
        rmdir(tmpl);
    }
    return rc;
}
