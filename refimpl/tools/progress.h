/* SPDX-License-Identifier: Apache-2.0 */
/* A progress bar on stderr, drawn only when stderr is a terminal (and TCA_NO_PROGRESS is unset).
 * Not thread-safe: callers serialise updates. */
#ifndef TCA_PROGRESS_H
#define TCA_PROGRESS_H
#include <stdint.h>

typedef struct cli_progress {
    int enabled;
    const char *label;
    uint64_t total, done;
    double start, last_draw;
} cli_progress;

void cli_progress_init(cli_progress *p, const char *label, uint64_t total);
void cli_progress_add(cli_progress *p, uint64_t n);
/** Erase the bar (the summary follows on stdout). */
void cli_progress_finish(cli_progress *p);
#endif
