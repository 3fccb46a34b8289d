/* SPDX-License-Identifier: Apache-2.0 */
/* The compress and decompress jobs shared by `tca compress`, `tca decompress` and `tca run`. */
#ifndef TCA_CLI_CONTAINER_H
#define TCA_CLI_CONTAINER_H
#include <stdint.h>
#include <stdio.h>
#include "tca/safetensors.h"

typedef struct cli_compress_result {
    uint64_t in_size, out_size;
    size_t n_tensors, n_compressed;
    double seconds;
} cli_compress_result;

/** Encode every item of the plan with `threads` worker threads (the output does not depend on
 *  the count). On error returns the status of the failing item with the lowest index and sets
 *  *failed_item. */
tca_status cli_encode_all(tca_ckpt_plan *p, unsigned threads, size_t *failed_item);
/** Print the per-tensor table and the totals of a compression. */
void cli_print_compress_summary(FILE *out, const tca_ckpt_plan *p, const cli_compress_result *r, unsigned threads);
/** compress IN into OUT (atomically). Returns the exit code; prints errors. summary: print the
 *  table to stdout. */
int cli_compress_file(const char *cmd, const char *in_path, const char *out_path, unsigned threads, int force,
                      int low_memory, int summary, cli_compress_result *res);
/** The same with the layout of the compressed tensors (TCA_LAYOUT_V1 or TCA_LAYOUT_F, spec 8). */
int cli_compress_file_layout(const char *cmd, const char *in_path, const char *out_path, unsigned threads, int force,
                             int low_memory, tca_layout layout, int summary, cli_compress_result *res);
/** Report a failed tca_ckpt_open of path (data/size its bytes): names a plain safetensors file as
 *  such. Returns the exit code. */
int cli_ckpt_open_fail(const char *cmd, const char *path, const uint8_t *data, size_t size, tca_status st);
/** decompress IN into OUT (atomically). Returns the exit code; prints errors. */
int cli_decompress_file(const char *cmd, const char *in_path, const char *out_path, uint64_t *out_size);
#endif
