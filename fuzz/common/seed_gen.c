/* SPDX-License-Identifier: Apache-2.0 */
/* Writes the seed corpora of the TCA-TBE fuzz targets into DIR/<target>/ deterministically:
 * valid streams of ragged shapes and edge distributions for the decoders, and short payloads
 * for the generators. Run: fuzz_seed_gen fuzz/corpus */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "seed_util.h"
#include "tca/tca.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fuzz_seed_gen CORPUS_DIR\n");
        return 2;
    }
    static const uint64_t shapes[][2] = {{1, 1}, {8, 8}, {64, 64}, {65, 3}, {17, 130}, {128, 64}};
    tca_prng r;
    tca_prng_seed(&r, 0x66757A7A5F736565ull);
    int idx = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        for (int kind = 0; kind < 5; kind++, idx++) {
            uint64_t rows = shapes[s][0], cols = shapes[s][1], n = rows * cols;
            uint16_t *w = malloc(n * sizeof *w);
            seed_fill_matrix(w, n, kind, &r);
            tca_tbe_matrix *m = NULL;
            tca_tbe_encode_options opt;
            tca_tbe_encode_options_default(&opt);
            opt.content_checksum = idx % 2;
            if (tca_tbe_encode(w, rows, cols, &opt, NULL, &m) != TCA_OK) return 1;
            uint64_t bound = tca_tbe_stream_bound(rows, cols);
            uint8_t *buf = malloc(bound);
            size_t len = 0;
            if (tca_tbe_stream_write(&m->view, buf, bound, &len) != TCA_OK) return 1;
            char name[64];
            snprintf(name, sizeof name, "stream-%02d.tbe", idx);
            seed_write_file("seed_gen", argv[1], "tbe_decode_any", name, buf, len);
            seed_write_file("seed_gen", argv[1], "tbe_header", name, buf, len);
            seed_write_file("seed_gen", argv[1], "tbe_differential", name, buf, len);
            /* generator targets: the matrix bytes followed by the tail parameters */
            snprintf(name, sizeof name, "payload-%02d.bin", idx);
            size_t plen = n * 2 < 512 ? n * 2 : 512;
            seed_write_file("seed_gen", argv[1], "tbe_round_trip", name, w, plen);
            seed_write_file("seed_gen", argv[1], "tbe_distributions", name, w, plen < 64 ? plen : 64);
            free(buf);
            free(w);
            tca_tbe_matrix_free(m);
        }
    }
    return 0;
}
