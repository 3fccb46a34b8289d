/* SPDX-License-Identifier: Apache-2.0 */
/* Shared helpers of the container commands (compress, decompress, verify, info, run): exit
 * codes and messages (safetensors 6), input mapping, timing. */
#ifndef TCA_CLI_UTIL_H
#define TCA_CLI_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "tca/status.h"

/* safetensors 6: exit codes */
enum { CLI_EXIT_OK = 0, CLI_EXIT_CORRUPT = 1, CLI_EXIT_USAGE = 2 };

/** Exit code for a status: 1 for FORMAT/CONTAINER codes (the input is corrupt), 2 otherwise. */
int cli_exit_for(tca_status s);
/** Print "tca CMD: FILE: [DETAIL: ]MESSAGE (NAME)" on stderr; returns cli_exit_for(s). */
int cli_fail(const char *cmd, const char *file, tca_status s, const char *detail_fmt, ...);
/** Print "tca CMD: MESSAGE" plus the usage line on stderr; returns 2. */
int cli_usage(const char *cmd, const char *usage, const char *fmt, ...);
/** Parse a positive integer option value; 0 on error. */
int cli_parse_uint(const char *s, unsigned long max, unsigned long *out);

/** A read-only input file, memory-mapped (or read when it cannot be mapped). */
typedef struct cli_input {
    const uint8_t *data;
    size_t size;
    int mapped;
    void *owned;
} cli_input;
/** Open and map path. On failure prints the error (naming the file) and returns 2. */
int cli_input_open(const char *cmd, const char *path, cli_input *in);
void cli_input_close(cli_input *in);

/** Seconds from a monotonic clock. */
double cli_now(void);
/** Number of online processors (at least 1). */
unsigned cli_cpu_count(void);
/** Human-readable size ("12.3 MB") into buf. */
const char *cli_bytes(uint64_t n, char *buf, size_t len);
/** Shape as "[a, b, c]" into buf. */
const char *cli_shape(unsigned rank, const uint64_t *shape, char *buf, size_t len);
#endif
