/* SPDX-License-Identifier: Apache-2.0 */
/* tca verify FILE [--against ORIGINAL]: check every CRC-32C, decode every tensor, and optionally
 * compare the reconstruction with the original bit for bit (safetensors 3.3, 4, 6). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_container.h"
#include "cli_util.h"
#include "progress.h"
#include "common/le.h"
#include "tca/checksum.h"
#include "tca/safetensors.h"

const char tca_cmd_verify_summary[] = "check CRCs and decode every tensor; --against compares with the original";

static const char usage[] = "tca verify FILE.safetensors [--against ORIGINAL.safetensors]";

/* Report the first differing element of tensor t (bytes got vs expected). */
static void report_element(const char *file, const char *against, const tca_st_tensor *t, const uint8_t *got,
                           const uint8_t *exp, uint64_t bytes)
{
    uint64_t off = 0;
    while (off < bytes && got[off] == exp[off]) off++;
    size_t es = tca_st_dtype_size(t->dtype);
    uint64_t flat = off / es;
    char idx[256];
    size_t pos = 0;
    uint64_t rem = flat;
    uint64_t coord[TCA_ST_MAX_RANK];
    for (unsigned d = t->rank; d-- > 0;) {
        coord[d] = t->shape[d] ? rem % t->shape[d] : 0;
        rem = t->shape[d] ? rem / t->shape[d] : 0;
    }
    pos += (size_t)snprintf(idx, sizeof idx, "[");
    for (unsigned d = 0; d < t->rank && pos < sizeof idx; d++)
        pos += (size_t)snprintf(idx + pos, sizeof idx - pos, d ? ", %llu" : "%llu", (unsigned long long)coord[d]);
    if (pos < sizeof idx) snprintf(idx + pos, sizeof idx - pos, "]");
    uint64_t g = 0, e = 0;
    for (size_t k = es; k-- > 0;) {
        g = (g << 8) | got[flat * es + k];
        e = (e << 8) | exp[flat * es + k];
    }
    fprintf(stderr, "tca verify: %s: tensor %s differs from %s at element %s (flat index %llu): 0x%0*llx, expected 0x%0*llx\n",
            file, t->name, against, idx, (unsigned long long)flat, (int)(2 * es), (unsigned long long)g, (int)(2 * es),
            (unsigned long long)e);
}

int tca_cmd_verify(int argc, char **argv);
int tca_cmd_verify(int argc, char **argv)
{
    const char *path = NULL, *against = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: %s\n\n"
                   "Checks the metadata, every array's CRC-32C (spec/tca-safetensors.md 3.3) and decodes\n"
                   "every compressed tensor (validation of spec/tca-tbe-format.md 7.1). Prints the sha256\n"
                   "of the file decompression would write. With --against, compares that file with\n"
                   "ORIGINAL byte for byte and names the first differing tensor and element.\n"
                   "Exit codes: 0 ok, 1 corrupt or different, 2 usage or I/O error.\n",
                   usage);
            return 0;
        } else if (!strcmp(a, "--against")) {
            if (i + 1 >= argc) return cli_usage(argv[0], usage, "--against needs a file");
            against = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return cli_usage(argv[0], usage, "unknown option '%s'", a);
        } else {
            if (path) return cli_usage(argv[0], usage, "too many arguments");
            path = a;
        }
    }
    if (!path) return cli_usage(argv[0], usage, "needs a file");
    cli_input in, ref;
    memset(&ref, 0, sizeof ref);
    int rc = cli_input_open(argv[0], path, &in);
    if (rc) return rc;
    if (against && (rc = cli_input_open(argv[0], against, &ref)) != 0) {
        cli_input_close(&in);
        return rc;
    }
    tca_ckpt_reader *r = NULL;
    uint8_t *buf = NULL;
    tca_status st = tca_ckpt_open(in.data, in.size, NULL, &r);
    if (st != TCA_OK) {
        rc = cli_ckpt_open_fail(argv[0], path, in.data, in.size, st);
        goto done;
    }
    const tca_st_file *o = r->original;
    uint8_t prefix[8];
    tca__st64(prefix, (uint64_t)o->header_len);
    tca_sha256_ctx sha;
    tca_sha256_init(&sha);
    tca_sha256_update(&sha, prefix, 8);
    tca_sha256_update(&sha, o->header, o->header_len);
    if (against) {
        /* safetensors 4: the length prefix and the header are the original's, verbatim */
        size_t hdr = 8 + o->header_len;
        size_t n = ref.size < hdr ? ref.size : hdr;
        for (size_t k = 0; k < n; k++) {
            uint8_t mine = k < 8 ? prefix[k] : o->header[k - 8];
            if (mine != ref.data[k]) {
                fprintf(stderr, "tca verify: %s: the stored original header differs from %s at byte %zu\n", path,
                        against, k);
                rc = CLI_EXIT_CORRUPT;
                goto done;
            }
        }
        if (ref.size != r->original_size) {
            fprintf(stderr, "tca verify: %s: the original is %llu bytes but %s has %zu\n", path,
                    (unsigned long long)r->original_size, against, ref.size);
            rc = CLI_EXIT_CORRUPT;
            goto done;
        }
    }
    size_t n_comp = 0;
    cli_progress prog;
    cli_progress_init(&prog, "verify", r->original_size);
    for (size_t k = 0; k < o->n_tensors; k++) {
        size_t i = tca_st_offset_order(o, k);
        const tca_ckpt_entry *e = &r->entries[i];
        const tca_st_tensor *t = e->original;
        uint64_t bytes = t->end - t->begin;
        tca_ckpt_array bad;
        st = tca_ckpt_check_crc(r, i, &bad);
        if (st != TCA_OK) {
            if (e->compressed)
                rc = cli_fail(argv[0], path, st, "tensor %s, array %s.tca.%s", t->name, t->name,
                              e->layout == TCA_LAYOUT_F ? tca_ckpt_f_array_name((unsigned)bad)
                                                        : tca_ckpt_array_name(bad));
            else
                rc = cli_fail(argv[0], path, st, "tensor %s (stored as is)", t->name);
            goto done;
        }
        free(buf);
        buf = (uint8_t *)malloc(bytes ? (size_t)bytes : 1);
        if (!buf) {
            rc = cli_fail(argv[0], path, TCA_ERROR_ALLOC, "tensor %s", t->name);
            goto done;
        }
        st = tca_ckpt_decode_entry(r, i, buf, (size_t)bytes);
        if (st != TCA_OK) {
            rc = cli_fail(argv[0], path, st, "tensor %s", t->name);
            goto done;
        }
        n_comp += e->compressed;
        tca_sha256_update(&sha, buf, (size_t)bytes);
        cli_progress_add(&prog, bytes);
        if (against) {
            const uint8_t *exp = ref.data + 8 + o->header_len + t->begin;
            if (bytes && memcmp(buf, exp, (size_t)bytes)) {
                report_element(path, against, t, buf, exp, bytes);
                rc = CLI_EXIT_CORRUPT;
                goto done;
            }
        }
    }
    cli_progress_finish(&prog);
    uint8_t digest[32];
    char hex[65];
    tca_sha256_final(&sha, digest);
    tca_sha256_hex(digest, hex);
    printf("%s: OK: %zu tensors (%zu compressed, CRC-32C and decoding checked), original %llu bytes, sha256 %s\n",
           path, o->n_tensors, n_comp, (unsigned long long)r->original_size, hex);
    if (against) printf("%s: identical to %s\n", path, against);
    rc = CLI_EXIT_OK;
done:
    if (r) cli_progress_finish(&prog);
    free(buf);
    tca_ckpt_close(r);
    cli_input_close(&in);
    if (against) cli_input_close(&ref);
    return rc;
}
