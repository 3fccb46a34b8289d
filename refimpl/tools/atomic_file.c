/* SPDX-License-Identifier: Apache-2.0 */
/* Atomic output files with signal cleanup (safetensors 6). */
#include "atomic_file.h"
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli_util.h"

/* Temporary paths the signal handler removes. A slot is live while its flag is set; the path is
 * written before the flag, so the handler never sees a partial path. */
#define CLI_TMP_SLOTS 4
#define CLI_TMP_PATH_MAX 4096
static char tmp_paths[CLI_TMP_SLOTS][CLI_TMP_PATH_MAX];
static volatile sig_atomic_t tmp_live[CLI_TMP_SLOTS];
static int handlers_installed;

static void on_signal(int sig)
{
    for (int i = 0; i < CLI_TMP_SLOTS; i++)
        if (tmp_live[i]) unlink(tmp_paths[i]); /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_handlers(void)
{
    if (handlers_installed) return;
    handlers_installed = 1;
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        /* keep an inherited "ignore" (e.g. nohup) */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

static int claim_slot(const char *path)
{
    if (strlen(path) >= CLI_TMP_PATH_MAX) return -1;
    for (int i = 0; i < CLI_TMP_SLOTS; i++)
        if (!tmp_live[i]) {
            strcpy(tmp_paths[i], path);
            tmp_live[i] = 1;
            return i;
        }
    return -1;
}

static void release_slot(int slot)
{
    if (slot >= 0) tmp_live[slot] = 0;
}

int cli_out_open(const char *cmd, const char *path, cli_out *o)
{
    memset(o, 0, sizeof *o);
    o->slot = -1;
    install_handlers();
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    if (!*base) {
        fprintf(stderr, "tca %s: %s: not a file name\n", cmd, path);
        return CLI_EXIT_USAGE;
    }
    size_t len = dirlen + 1 + strlen(base) + sizeof ".tca-tmp.XXXXXX";
    o->path = strdup(path);
    o->tmp_path = (char *)malloc(len);
    if (!o->path || !o->tmp_path) {
        fprintf(stderr, "tca %s: %s: out of memory\n", cmd, path);
        cli_out_abort(o);
        return CLI_EXIT_USAGE;
    }
    snprintf(o->tmp_path, len, "%.*s.%s.tca-tmp.XXXXXX", (int)dirlen, path, base);
    /* Block the cleanup signals between creating the file and registering it. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    int fd = mkstemp(o->tmp_path);
    if (fd >= 0) o->slot = claim_slot(o->tmp_path);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        fprintf(stderr, "tca %s: %s: cannot create a temporary file in its directory: %s\n", cmd, path,
                strerror(errno));
        free(o->tmp_path);
        o->tmp_path = NULL;
        cli_out_abort(o);
        return CLI_EXIT_USAGE;
    }
    /* mkstemp creates mode 0600; give the result the usual 0666 & ~umask */
    mode_t um = umask(0);
    umask(um);
    fchmod(fd, (mode_t)(0666 & ~um));
    o->fp = fdopen(fd, "wb");
    if (!o->fp) {
        close(fd);
        fprintf(stderr, "tca %s: %s: %s\n", cmd, path, strerror(errno));
        cli_out_abort(o);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

int cli_out_commit(const char *cmd, cli_out *o)
{
    int err = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp)) err = errno ? errno : EIO;
    if (!err && fsync(fileno(o->fp)) != 0 && errno != EINVAL) err = errno;
    if (fclose(o->fp) != 0 && !err) err = errno ? errno : EIO;
    o->fp = NULL;
    if (!err && rename(o->tmp_path, o->path) != 0) err = errno;
    if (err) {
        fprintf(stderr, "tca %s: %s: cannot write: %s\n", cmd, o->path, strerror(err));
        cli_out_abort(o);
        return CLI_EXIT_USAGE;
    }
    release_slot(o->slot);
    o->slot = -1;
    free(o->tmp_path);
    free(o->path);
    o->tmp_path = o->path = NULL;
    return CLI_EXIT_OK;
}

void cli_out_abort(cli_out *o)
{
    if (o->fp) fclose(o->fp);
    o->fp = NULL;
    if (o->tmp_path) unlink(o->tmp_path);
    release_slot(o->slot);
    o->slot = -1;
    free(o->tmp_path);
    free(o->path);
    o->tmp_path = o->path = NULL;
}
