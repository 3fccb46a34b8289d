/* SPDX-License-Identifier: Apache-2.0 */
/* tca compress IN.safetensors OUT.safetensors [--threads N] [--force] (safetensors 3, 5, 6). */
#include <stdio.h>
#include <string.h>
#include "cli_container.h"
#include "cli_util.h"

const char tca_cmd_compress_summary[] = "compress the 2-D BF16 tensors of a safetensors file with TCA-TBE";

static const char usage[] =
    "tca compress IN.safetensors OUT.safetensors [--threads N] [--force] [--low-memory] [--layout v1|f]";

int tca_cmd_compress(int argc, char **argv);
int tca_cmd_compress(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL};
    int npaths = 0, force = 0, low_memory = 0;
    tca_layout layout = TCA_LAYOUT_V1;
    unsigned long threads = cli_cpu_count();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: %s\n\n"
                   "Replaces each 2-D BF16 tensor that TCA-TBE makes smaller by its seven TCA-TBE arrays\n"
                   "(spec/tca-safetensors.md 3); every other tensor is stored unchanged (5).\n"
                   "  --threads N  encode N tensors at a time (default: the number of CPUs); the output\n"
                   "               is identical for every N\n"
                   "  --force      also compress 2-D BF16 tensors that would not get smaller\n"
                   "  --low-memory keep only sizes and CRCs of the encodings and encode each tensor again\n"
                   "               when writing: memory for a few tensors instead of the whole output,\n"
                   "               about twice the time; the output is identical\n"
                   "  --layout L   v1 (default: seven arrays per tensor, spec/tca-tbe-format.md 6) or f\n"
                   "               (layout F, three arrays per tensor, spec 8: fixed positions for GPU decoding)\n"
                   "Exit codes: 0 ok, 1 corrupt input, 2 usage or I/O error.\n",
                   usage);
            return 0;
        } else if (!strcmp(a, "--force")) {
            force = 1;
        } else if (!strcmp(a, "--low-memory")) {
            low_memory = 1;
        } else if (!strcmp(a, "--layout")) {
            if (i + 1 >= argc) return cli_usage(argv[0], usage, "--layout needs v1 or f");
            const char *l = argv[++i];
            if (!strcmp(l, "f") || !strcmp(l, "F"))
                layout = TCA_LAYOUT_F;
            else if (!strcmp(l, "v1"))
                layout = TCA_LAYOUT_V1;
            else
                return cli_usage(argv[0], usage, "unknown layout '%s' (v1 or f)", l);
        } else if (!strcmp(a, "--threads")) {
            if (i + 1 >= argc || !cli_parse_uint(argv[i + 1], 1024, &threads))
                return cli_usage(argv[0], usage, "--threads needs a number in 1..1024");
            i++;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage(argv[0], usage, "unknown option '%s'", a);
        } else {
            if (npaths == 2) return cli_usage(argv[0], usage, "too many arguments");
            paths[npaths++] = a;
        }
    }
    if (npaths != 2) return cli_usage(argv[0], usage, "needs an input and an output file");
    return cli_compress_file_layout(argv[0], paths[0], paths[1], (unsigned)threads, force, low_memory, layout, 1, NULL);
}
