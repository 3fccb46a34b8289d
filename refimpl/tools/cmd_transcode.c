/* SPDX-License-Identifier: Apache-2.0 */
/* tca transcode --layout f|v1 IN OUT: convert a TCA-TBE stream between layout v1 and layout F
 * (spec/tca-tbe-format.md 8.9), losslessly and in linear time. IN is validated completely first;
 * nothing is written for an invalid input. With --tensor NAME, IN is a compressed safetensors
 * checkpoint and the stream of that tensor (CRCs checked, Content_Checksum added) is written in the
 * requested layout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "atomic_file.h"
#include "cli_util.h"
#include "tbe/tbe_internal.h"
#include "tca/safetensors.h"
#include "tca/tbe_f.h"

const char tca_cmd_transcode_summary[] = "convert a TCA-TBE stream between layout v1 and layout F (lossless)";

static const char usage[] = "tca transcode --layout f|v1 [--tensor NAME] IN OUT";

/* The v1 stream of tensor `name` of a compressed checkpoint, CRC-checked, in a fresh buffer. */
static int stream_of_tensor(const char *cmd, const char *path, const cli_input *in, const char *name, uint8_t **out,
                            size_t *out_size)
{
    tca_ckpt_reader *r = NULL;
    tca_status st = tca_ckpt_open(in->data, in->size, NULL, &r);
    if (st != TCA_OK) return cli_fail(cmd, path, st, NULL);
    for (size_t i = 0; i < r->n_entries; i++) {
        const tca_ckpt_entry *e = &r->entries[i];
        if (strcmp(e->original->name, name) != 0) continue;
        if (!e->compressed) {
            tca_ckpt_close(r);
            return cli_fail(cmd, path, TCA_ERROR_PARAM_INVALID, "tensor '%s' is stored uncompressed", name);
        }
        st = tca_ckpt_check_crc(r, i, NULL);
        /* the container's per-array CRCs do not travel with a standalone stream: it gets its own
         * Content_Checksum (spec 6.9) */
        tca_tbe_view v = e->view;
        v.hdr.has_content_checksum = 1;
        tca_tbe_sizes sz;
        if (st == TCA_OK) st = tca_tbe_sizes_of(&v.hdr, &sz);
        if (st == TCA_OK) v.hdr.content_checksum = tca__tbe_content_checksum(&v, &sz);
        uint8_t *buf = NULL;
        if (st == TCA_OK && !(buf = malloc(sz.stream_total))) st = TCA_ERROR_ALLOC;
        if (st == TCA_OK) st = tca_tbe_stream_write(&v, buf, sz.stream_total, out_size);
        tca_ckpt_close(r);
        if (st != TCA_OK) {
            free(buf);
            return cli_fail(cmd, path, st, "tensor '%s'", name);
        }
        *out = buf;
        return 0;
    }
    tca_ckpt_close(r);
    return cli_fail(cmd, path, TCA_ERROR_PARAM_INVALID, "no tensor named '%s'", name);
}

int tca_cmd_transcode(int argc, char **argv);
int tca_cmd_transcode(int argc, char **argv)
{
    const char *cmd = argv[0], *paths[2] = {NULL, NULL}, *tensor = NULL;
    int npaths = 0, have_layout = 0;
    tca_layout target = TCA_LAYOUT_V1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: %s\n\n"
                   "Converts a TCA-TBE stream (.tbe) to layout F (--layout f) or layout v1 (--layout v1)\n"
                   "(spec/tca-tbe-format.md 8.9). The input is validated completely first; the output\n"
                   "decodes to the same matrix, and transcoding it back gives the input byte for byte.\n"
                   "With --tensor NAME, IN is a compressed safetensors checkpoint and the stream of\n"
                   "tensor NAME is written.\n"
                   "Exit codes: 0 ok, 1 corrupt input, 2 usage or I/O error.\n",
                   usage);
            return 0;
        } else if (!strcmp(a, "--layout")) {
            if (++i == argc) return cli_usage(cmd, usage, "--layout needs a value");
            if (!strcmp(argv[i], "f") || !strcmp(argv[i], "F")) target = TCA_LAYOUT_F;
            else if (!strcmp(argv[i], "v1")) target = TCA_LAYOUT_V1;
            else return cli_usage(cmd, usage, "unknown layout '%s' (f or v1)", argv[i]);
            have_layout = 1;
        } else if (!strcmp(a, "--tensor")) {
            if (++i == argc) return cli_usage(cmd, usage, "--tensor needs a name");
            tensor = argv[i];
        } else if (a[0] == '-' && a[1]) {
            return cli_usage(cmd, usage, "unknown option '%s'", a);
        } else {
            if (npaths == 2) return cli_usage(cmd, usage, "too many arguments");
            paths[npaths++] = a;
        }
    }
    if (!have_layout) return cli_usage(cmd, usage, "--layout f or --layout v1 is required");
    if (npaths != 2) return cli_usage(cmd, usage, "needs an input and an output file");

    cli_input in;
    int rc = cli_input_open(cmd, paths[0], &in);
    if (rc) return rc;
    const uint8_t *src = in.data;
    size_t size = in.size;
    uint8_t *extracted = NULL;
    if (tensor) {
        rc = stream_of_tensor(cmd, paths[0], &in, tensor, &extracted, &size);
        if (rc) {
            cli_input_close(&in);
            return rc;
        }
        src = extracted;
    }
    uint8_t *out = NULL;
    size_t out_size = 0;
    double t0 = cli_now();
    tca_status st = tca_tbe_transcode_stream(src, size, target, NULL, &out, &out_size);
    double dt = cli_now() - t0;
    free(extracted);
    cli_input_close(&in);
    if (st != TCA_OK) return cli_fail(cmd, paths[0], st, NULL);

    cli_out o;
    rc = cli_out_open(cmd, paths[1], &o);
    if (!rc && out_size && fwrite(out, 1, out_size, o.fp) != out_size) {
        cli_out_abort(&o);
        rc = cli_fail(cmd, paths[1], TCA_ERROR_IO, "write failed");
    } else if (!rc) {
        rc = cli_out_commit(cmd, &o);
    }
    free(out);
    if (!rc) {
        char a[32], b[32];
        printf("%s -> %s: layout %s, %s -> %s in %.3f s\n", paths[0], paths[1], target == TCA_LAYOUT_F ? "F" : "v1",
               cli_bytes(size, a, sizeof a), cli_bytes(out_size, b, sizeof b), dt);
    }
    return rc;
}
