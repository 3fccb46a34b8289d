/* SPDX-License-Identifier: Apache-2.0 */
/* tca transcode --layout f|v1 IN OUT: convert between layout v1 and layout F
 * (spec/tca-tbe-format.md 8.9), losslessly and in linear time, either
 *   - a TCA-TBE stream (.tbe), validated completely first, or
 *   - a compressed safetensors checkpoint: every compressed tensor's arrays are transcoded (CRCs
 *     checked and each encoding validated first), pass-through tensors and the stored original
 *     header are kept, so the output decompresses to the same original file; or
 *   - with --tensor NAME, the stream of one tensor of a compressed checkpoint (CRCs checked,
 *     Content_Checksum added) in the requested layout.
 * Nothing is written for an invalid input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "atomic_file.h"
#include "cli_util.h"
#include "tbe/tbe_internal.h"
#include "tca/checksum.h"
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

/* Fill plan item it from compressed entry e, transcoded into `target` (validated first). */
static tca_status transcode_item(const tca_ckpt_entry *e, tca_layout target, tca_ckpt_item *it)
{
    it->action = TCA_CKPT_COMPRESS;
    it->encoded = 1;
    it->layout = target;
    if (target == TCA_LAYOUT_F) {
        tca_tbe_f_matrix *m = NULL;
        tca_status st = e->layout == TCA_LAYOUT_F ? tca_tbe_f_validate(&e->f_view) : tca_tbe_f_from_v1(&e->view, NULL, &m);
        if (st != TCA_OK) return st;
        if (!m) { /* already F: a copy of the validated arrays through the transcoder's round trip */
            tca_tbe_matrix *v1 = NULL;
            st = tca_tbe_f_to_v1(&e->f_view, NULL, &v1);
            if (st == TCA_OK) st = tca_tbe_f_from_v1(&v1->view, NULL, &m);
            tca_tbe_matrix_free(v1);
            if (st != TCA_OK) return st;
        }
        tca_tbe_f_sizes s;
        st = tca_tbe_f_sizes_of(&m->view.hdr, &s);
        if (st != TCA_OK) {
            tca_tbe_f_matrix_free(m);
            return st;
        }
        memset(it->crc, 0, sizeof it->crc);
        it->crc[0] = tca_crc32c(m->view.strips, s.strips); /* safetensors 3.3 */
        it->crc[1] = s.exceptions ? tca_crc32c(m->view.exceptions, s.exceptions) : tca_crc32c("", 0);
        it->crc[2] = tca_crc32c(m->view.exception_offsets, s.offsets);
        it->f_matrix = m;
        it->f_hdr = m->view.hdr;
        it->stored_bytes = (uint64_t)s.strips + s.exceptions + s.offsets;
        return TCA_OK;
    }
    tca_tbe_matrix *m = NULL;
    tca_status st;
    if (e->layout == TCA_LAYOUT_F) {
        st = tca_tbe_f_to_v1(&e->f_view, NULL, &m);
    } else { /* already v1: validated, then a copy through the transcoder's round trip */
        tca_tbe_f_matrix *f = NULL;
        st = tca_tbe_f_from_v1(&e->view, NULL, &f);
        if (st == TCA_OK) st = tca_tbe_f_to_v1(&f->view, NULL, &m);
        tca_tbe_f_matrix_free(f);
    }
    if (st != TCA_OK) return st;
    tca_tbe_sizes s;
    st = tca_tbe_sizes_of(&m->view.hdr, &s);
    if (st != TCA_OK) {
        tca_tbe_matrix_free(m);
        return st;
    }
    const uint8_t *arr[TCA_CKPT_ARRAYS] = {m->view.bitmap[0], m->view.bitmap[1], m->view.bitmap[2], m->view.tom,
                                           m->view.tog,       m->view.sign_mantissa, m->view.full};
    size_t len[TCA_CKPT_ARRAYS] = {s.bitmap, s.bitmap, s.bitmap, s.tom, s.tog, s.sign_mantissa, s.full};
    it->stored_bytes = 0;
    for (unsigned a = 0; a < TCA_CKPT_ARRAYS; a++) {
        it->crc[a] = len[a] ? tca_crc32c(arr[a], len[a]) : tca_crc32c("", 0);
        it->stored_bytes += len[a];
    }
    it->matrix = m;
    it->hdr = m->view.hdr;
    return TCA_OK;
}

/* A whole compressed checkpoint: the original header (without data) becomes the plan's input,
 * pass-through tensors point at their stored bytes, compressed tensors are transcoded. */
static int transcode_checkpoint(const char *cmd, const char *in_path, const char *out_path, const cli_input *in,
                                tca_layout target)
{
    tca_ckpt_reader *r = NULL;
    tca_st_file *orig = NULL;
    tca_ckpt_plan *p = NULL;
    int rc = 0;
    tca_status st = tca_ckpt_open(in->data, in->size, NULL, &r);
    if (st != TCA_OK) return cli_fail(cmd, in_path, st, NULL);
    st = tca_st_parse_header(r->original->header, r->original->header_len, NULL, &orig);
    if (st == TCA_OK) st = tca_ckpt_plan_new(orig, 0, NULL, &p);
    for (size_t i = 0; st == TCA_OK && i < r->n_entries; i++) {
        const tca_ckpt_entry *e = &r->entries[i];
        tca_ckpt_item *it = &p->items[i];
        st = tca_ckpt_check_crc(r, i, NULL); /* safetensors 3.3 */
        if (st != TCA_OK) break;
        if (!e->compressed) {
            orig->tensors[i].data = e->stored->data; /* pass-through: the stored bytes */
            if (it->action == TCA_CKPT_COMPRESS) it->action = TCA_CKPT_PASS_NOT_SMALLER;
            it->crc[0] = tca_crc32c(e->stored->data, (size_t)(e->stored->end - e->stored->begin));
            it->encoded = 1;
            continue;
        }
        st = transcode_item(e, target, it);
    }
    if (st != TCA_OK) {
        rc = cli_fail(cmd, in_path, st, NULL);
        goto done;
    }
    cli_out o;
    rc = cli_out_open(cmd, out_path, &o);
    if (rc) goto done;
    st = tca_ckpt_plan_write(p, tca_st_sink_file, o.fp, NULL);
    if (st != TCA_OK) {
        cli_out_abort(&o);
        rc = cli_fail(cmd, out_path, st, "writing");
        if (rc == CLI_EXIT_CORRUPT) rc = CLI_EXIT_USAGE;
        goto done;
    }
    rc = cli_out_commit(cmd, &o);
done:
    tca_ckpt_plan_free(p);
    tca_st_free(orig);
    tca_ckpt_close(r);
    return rc;
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
    static const uint8_t magic[4] = {0x89, 0x54, 0x43, 0x41}; /* spec 3.1 */
    if (!tensor && (size < 4 || memcmp(src, magic, 4) != 0)) {
        /* not a stream: a compressed safetensors checkpoint */
        double t0 = cli_now();
        rc = transcode_checkpoint(cmd, paths[0], paths[1], &in, target);
        if (!rc)
            printf("%s -> %s: every compressed tensor now in layout %s, in %.3f s\n", paths[0], paths[1],
                   target == TCA_LAYOUT_F ? "F" : "v1", cli_now() - t0);
        cli_input_close(&in);
        return rc;
    }
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
