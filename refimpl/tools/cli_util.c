/* SPDX-License-Identifier: Apache-2.0 */
/* Shared helpers of the container commands (safetensors 6). */
#include "cli_util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int cli_exit_for(tca_status s)
{
    if (s == TCA_OK) return CLI_EXIT_OK;
    return tca_status_is_format_error(s) ? CLI_EXIT_CORRUPT : CLI_EXIT_USAGE;
}

int cli_fail(const char *cmd, const char *file, tca_status s, const char *detail_fmt, ...)
{
    fprintf(stderr, "tca %s: %s: ", cmd, file);
    if (detail_fmt) {
        va_list ap;
        va_start(ap, detail_fmt);
        vfprintf(stderr, detail_fmt, ap);
        va_end(ap);
        fputs(": ", stderr);
    }
    fprintf(stderr, "%s (%s)\n", tca_status_message(s), tca_status_name(s));
    return cli_exit_for(s);
}

int cli_usage(const char *cmd, const char *usage, const char *fmt, ...)
{
    fprintf(stderr, "tca %s: ", cmd);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s\n", usage);
    return CLI_EXIT_USAGE;
}

int cli_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    if (!s || !*s) return 0;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v == 0 || v > max || s[0] == '-') return 0;
    *out = v;
    return 1;
}

int cli_input_open(const char *cmd, const char *path, cli_input *in)
{
    memset(in, 0, sizeof *in);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "tca %s: %s: cannot open: %s\n", cmd, path, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fprintf(stderr, "tca %s: %s: not a regular file\n", cmd, path);
        close(fd);
        return CLI_EXIT_USAGE;
    }
    if ((uint64_t)sb.st_size > SIZE_MAX) {
        fprintf(stderr, "tca %s: %s: too large for this platform\n", cmd, path);
        close(fd);
        return CLI_EXIT_USAGE;
    }
    in->size = (size_t)sb.st_size;
    if (in->size == 0) {
        static const uint8_t empty[1];
        in->data = empty;
        close(fd);
        return CLI_EXIT_OK;
    }
    void *p = mmap(NULL, in->size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
        in->data = (const uint8_t *)p;
        in->mapped = 1;
        close(fd);
        return CLI_EXIT_OK;
    }
    /* Fall back to reading (e.g. a file system without mmap). */
    uint8_t *buf = (uint8_t *)malloc(in->size);
    size_t got = 0;
    while (buf && got < in->size) {
        ssize_t r = read(fd, buf + got, in->size - got);
        if (r <= 0) {
            if (r < 0 && errno == EINTR) continue;
            break;
        }
        got += (size_t)r;
    }
    close(fd);
    if (!buf || got != in->size) {
        fprintf(stderr, "tca %s: %s: cannot read: %s\n", cmd, path, buf ? strerror(errno) : "out of memory");
        free(buf);
        return CLI_EXIT_USAGE;
    }
    in->data = buf;
    in->owned = buf;
    return CLI_EXIT_OK;
}

void cli_input_close(cli_input *in)
{
    if (in->mapped) munmap((void *)in->data, in->size);
    free(in->owned);
    memset(in, 0, sizeof *in);
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

unsigned cli_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (unsigned)n : 1u;
}

const char *cli_bytes(uint64_t n, char *buf, size_t len)
{
    if (n < 10000)
        snprintf(buf, len, "%llu B", (unsigned long long)n);
    else if (n < 10000000ull)
        snprintf(buf, len, "%.1f kB", (double)n / 1e3);
    else if (n < 10000000000ull)
        snprintf(buf, len, "%.1f MB", (double)n / 1e6);
    else
        snprintf(buf, len, "%.2f GB", (double)n / 1e9);
    return buf;
}

const char *cli_shape(unsigned rank, const uint64_t *shape, char *buf, size_t len)
{
    size_t pos = 0;
    pos += (size_t)snprintf(buf + pos, len - pos, "[");
    for (unsigned d = 0; d < rank && pos < len; d++)
        pos += (size_t)snprintf(buf + pos, len - pos, d ? ", %llu" : "%llu", (unsigned long long)shape[d]);
    if (pos < len) snprintf(buf + pos, len - pos, "]");
    return buf;
}
