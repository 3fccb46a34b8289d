/* SPDX-License-Identifier: Apache-2.0 */
/* Terminal progress bar on stderr. */
#include "progress.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "cli_util.h"

void cli_progress_init(cli_progress *p, const char *label, uint64_t total)
{
    const char *off = getenv("TCA_NO_PROGRESS");
    p->enabled = isatty(STDERR_FILENO) && !(off && *off);
    p->label = label;
    p->total = total;
    p->done = 0;
    p->start = cli_now();
    p->last_draw = 0;
}

static void draw(cli_progress *p)
{
    const int width = 30;
    double frac = p->total ? (double)p->done / (double)p->total : 1.0;
    if (frac > 1) frac = 1;
    int fill = (int)(frac * width);
    double el = cli_now() - p->start;
    double rate = el > 0 ? (double)p->done / el / 1e6 : 0;
    fprintf(stderr, "\r%-11s [", p->label);
    for (int i = 0; i < width; i++) fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %5.1f%%  %7.1f MB/s ", 100 * frac, rate);
    fflush(stderr);
}

void cli_progress_add(cli_progress *p, uint64_t n)
{
    p->done += n;
    if (!p->enabled) return;
    double t = cli_now();
    if (t - p->last_draw < 0.1 && p->done < p->total) return;
    p->last_draw = t;
    draw(p);
}

void cli_progress_finish(cli_progress *p)
{
    if (!p->enabled) return;
    fprintf(stderr, "\r%72s\r", "");
    fflush(stderr);
}
