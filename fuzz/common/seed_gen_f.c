/* SPDX-License-Identifier: Apache-2.0 */
/* Writes the seed corpora of the layout F fuzz targets into DIR/<target>/ deterministically:
 * valid layout F streams (ragged shapes, edge distributions, with and without Content_Checksum,
 * and one non-canonical stream) for tbe_f_decode_any, and the same matrices as v1 and F streams
 * for tbe_f_transcode. Run: fuzz_seed_gen_f fuzz/corpus */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "seed_util.h"
#include "tca/tca.h"
#include "tca/tbe_f.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fuzz_seed_gen_f CORPUS_DIR\n");
        return 2;
    }
    static const uint64_t shapes[][2] = {{1, 1}, {16, 64}, {64, 64}, {65, 3}, {17, 130}};
    tca_prng r;
    tca_prng_seed(&r, 0x66757A7A5F66ull); /* "fuzz_f" */
    int idx = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        for (int kind = 0; kind < 5; kind++, idx++) {
            uint64_t rows = shapes[s][0], cols = shapes[s][1], n = rows * cols;
            uint16_t *w = malloc(n * sizeof *w);
            seed_fill_matrix(w, n, kind, &r);
            tca_tbe_encode_options opt;
            tca_tbe_encode_options_default(&opt);
            opt.content_checksum = idx % 2;
            tca_tbe_f_matrix *f = NULL;
            tca_tbe_matrix *v = NULL;
            if (tca_tbe_f_encode(w, rows, cols, &opt, NULL, &f) != TCA_OK) return 1;
            if (tca_tbe_encode(w, rows, cols, &opt, NULL, &v) != TCA_OK) return 1;
            size_t cap_f = (size_t)tca_tbe_f_stream_bound(rows, cols), cap_v = (size_t)tca_tbe_stream_bound(rows, cols);
            uint8_t *bf = malloc(cap_f), *bv = malloc(cap_v);
            size_t nf = 0, nv = 0;
            if (tca_tbe_f_stream_write(&f->view, bf, cap_f, &nf) != TCA_OK) return 1;
            if (tca_tbe_stream_write(&v->view, bv, cap_v, &nv) != TCA_OK) return 1;
            char name[64];
            snprintf(name, sizeof name, "f-%02d.tbe", idx);
            seed_write_file("seed_gen_f", argv[1], "tbe_f_decode_any", name, bf, nf);
            seed_write_file("seed_gen_f", argv[1], "tbe_f_transcode", name, bf, nf);
            snprintf(name, sizeof name, "v1-%02d.tbe", idx);
            seed_write_file("seed_gen_f", argv[1], "tbe_f_transcode", name, bv, nv);
            /* non-canonical: the first exception byte moved into the window (no checksum) */
            if (!opt.content_checksum && f->view.hdr.exception_len > 0) {
                tca_tbe_geometry geo;
                (void)tca_tbe_geometry_of(rows, cols, &geo);
                size_t off_exc = 64 + 1408 * (size_t)geo.n_median;
                bf[off_exc] = (uint8_t)(f->view.hdr.base + 4);
                snprintf(name, sizeof name, "f-noncanonical-%02d.tbe", idx);
                seed_write_file("seed_gen_f", argv[1], "tbe_f_decode_any", name, bf, nf);
                seed_write_file("seed_gen_f", argv[1], "tbe_f_transcode", name, bf, nf);
            }
            free(bf);
            free(bv);
            tca_tbe_f_matrix_free(f);
            tca_tbe_matrix_free(v);
            free(w);
        }
    }
    /* short garbage and a bare header for the parsers */
    static const uint8_t magic[8] = {0x89, 0x54, 0x43, 0x41, 1, 1, 1, 0};
    seed_write_file("seed_gen_f", argv[1], "tbe_f_decode_any", "short-header", magic, sizeof magic);
    return 0;
}
