/* SPDX-License-Identifier: Apache-2.0 */
/* Output files written atomically (safetensors 6): a temporary file in the target directory,
 * renamed over the target only when complete. The temporary file is removed on error and on
 * SIGINT, SIGTERM, SIGHUP and SIGPIPE, so nothing half-written is ever left. */
#ifndef TCA_ATOMIC_FILE_H
#define TCA_ATOMIC_FILE_H
#include <stdio.h>

typedef struct cli_out {
    char *path;     /* the target */
    char *tmp_path; /* DIR/.NAME.tca-tmp.XXXXXX */
    FILE *fp;
    int slot;       /* signal-cleanup slot, -1 if none */
} cli_out;

/** Create the temporary file for path. On failure prints the error naming path and returns 2;
 *  0 on success. */
int cli_out_open(const char *cmd, const char *path, cli_out *o);
/** Flush, sync, close and rename onto the target. On failure removes the temporary file, prints
 *  the error and returns 2; 0 on success. */
int cli_out_commit(const char *cmd, cli_out *o);
/** Close and remove the temporary file (nothing is left). Safe to call twice. */
void cli_out_abort(cli_out *o);
#endif
