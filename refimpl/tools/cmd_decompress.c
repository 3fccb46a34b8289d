/* SPDX-License-Identifier: Apache-2.0 */
/* tca decompress IN OUT: rebuild the original safetensors file byte for byte (safetensors 4, 6). */
#include <stdio.h>
#include <string.h>
#include "cli_container.h"
#include "cli_util.h"

const char tca_cmd_decompress_summary[] = "rebuild the original safetensors file, byte for byte";

static const char usage[] = "tca decompress IN.safetensors OUT.safetensors";

int tca_cmd_decompress(int argc, char **argv);
int tca_cmd_decompress(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL};
    int npaths = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: %s\n\n"
                   "Checks every CRC-32C, decodes every compressed tensor and writes the original file\n"
                   "(same bytes, same sha256; spec/tca-safetensors.md 4).\n"
                   "Exit codes: 0 ok, 1 corrupt input, 2 usage or I/O error.\n",
                   usage);
            return 0;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage(argv[0], usage, "unknown option '%s'", a);
        } else {
            if (npaths == 2) return cli_usage(argv[0], usage, "too many arguments");
            paths[npaths++] = a;
        }
    }
    if (npaths != 2) return cli_usage(argv[0], usage, "needs an input and an output file");
    return cli_decompress_file(argv[0], paths[0], paths[1], NULL);
}
