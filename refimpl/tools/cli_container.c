/* SPDX-License-Identifier: Apache-2.0 */
/* compress / decompress jobs with worker threads, progress and summary (safetensors 5, 6). */
#include "cli_container.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "atomic_file.h"
#include "cli_util.h"
#include "progress.h"

typedef struct encode_job {
    tca_ckpt_plan *plan;
    size_t *order; /* items, largest first, for load balance */
    size_t next;
    tca_status status;
    size_t failed;
    cli_progress progress;
    pthread_mutex_t lock;
} encode_job;

static void *encode_worker(void *arg)
{
    encode_job *j = (encode_job *)arg;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        size_t k = j->next++;
        int stop = k >= j->plan->n_items || j->status != TCA_OK;
        pthread_mutex_unlock(&j->lock);
        if (stop) return NULL;
        size_t i = j->order[k];
        tca_status st = tca_ckpt_plan_encode(j->plan, i);
        pthread_mutex_lock(&j->lock);
        if (st != TCA_OK && (j->status == TCA_OK || i < j->failed)) {
            j->status = st;
            j->failed = i;
        }
        cli_progress_add(&j->progress, j->plan->items[i].original_bytes);
        pthread_mutex_unlock(&j->lock);
    }
}

static const tca_ckpt_plan *sort_plan;
static int by_size_desc(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    uint64_t sx = sort_plan->items[x].original_bytes, sy = sort_plan->items[y].original_bytes;
    if (sx != sy) return sx > sy ? -1 : 1;
    return x < y ? -1 : x > y;
}

tca_status cli_encode_all(tca_ckpt_plan *p, unsigned threads, size_t *failed_item)
{
    encode_job j;
    memset(&j, 0, sizeof j);
    j.plan = p;
    j.order = (size_t *)malloc((p->n_items ? p->n_items : 1) * sizeof(size_t));
    if (!j.order) return TCA_ERROR_ALLOC;
    uint64_t total = 0;
    for (size_t i = 0; i < p->n_items; i++) {
        j.order[i] = i;
        total += p->items[i].original_bytes;
    }
    sort_plan = p; /* single-threaded here */
    qsort(j.order, p->n_items, sizeof(size_t), by_size_desc);
    pthread_mutex_init(&j.lock, NULL);
    cli_progress_init(&j.progress, "compress", total);
    if (threads < 1) threads = 1;
    if (threads > p->n_items) threads = p->n_items ? (unsigned)p->n_items : 1;
    pthread_t *tid = (pthread_t *)malloc(threads * sizeof(pthread_t));
    unsigned started = 0;
    if (tid)
        for (; started + 1 < threads; started++)
            if (pthread_create(&tid[started], NULL, encode_worker, &j) != 0) break;
    encode_worker(&j); /* the calling thread works too */
    for (unsigned t = 0; t < started; t++) pthread_join(tid[t], NULL);
    free(tid);
    cli_progress_finish(&j.progress);
    pthread_mutex_destroy(&j.lock);
    free(j.order);
    if (j.status != TCA_OK && failed_item) *failed_item = j.failed;
    return j.status;
}

void cli_print_compress_summary(FILE *out, const tca_ckpt_plan *p, const cli_compress_result *r, unsigned threads)
{
    char b1[32], b2[32], sh[96];
    uint64_t comp_elems = 0, comp_bytes = 0, comp_orig = 0;
    int nw = 6;
    for (size_t i = 0; i < p->n_items; i++) {
        size_t l = strlen(p->in->tensors[p->items[i].tensor].name);
        if (l > (size_t)nw) nw = l > 60 ? 60 : (int)l;
    }
    fprintf(out, "%-*s %-5s %-16s %-26s %10s %10s %6s\n", nw, "tensor", "dtype", "shape", "stored as", "before",
            "after", "b/w");
    for (size_t i = 0; i < p->n_items; i++) {
        const tca_ckpt_item *it = &p->items[i];
        const tca_st_tensor *t = &p->in->tensors[it->tensor];
        char bpw[16] = "-";
        const char *how = it->action != TCA_CKPT_COMPRESS ? tca_ckpt_action_reason(it->action)
                          : it->layout == TCA_LAYOUT_F ? "TCA-TBE layout F"
                                                       : "TCA-TBE";
        char howbuf[40];
        if (it->action != TCA_CKPT_COMPRESS) {
            snprintf(howbuf, sizeof howbuf, "as is (%s)", how);
            how = howbuf;
        } else {
            snprintf(bpw, sizeof bpw, "%.2f", 8.0 * (double)it->stored_bytes / (double)t->elements);
            comp_elems += t->elements;
            comp_bytes += it->stored_bytes;
            comp_orig += it->original_bytes;
        }
        fprintf(out, "%-*s %-5s %-16s %-26s %10s %10s %6s\n", nw, t->name, tca_st_dtype_name(t->dtype),
                cli_shape(t->rank, t->shape, sh, sizeof sh), how, cli_bytes(it->original_bytes, b1, sizeof b1),
                cli_bytes(it->stored_bytes, b2, sizeof b2), bpw);
    }
    fprintf(out, "\n");
    fprintf(out, "tensors      %zu (%zu compressed, %zu passed through)\n", r->n_tensors, r->n_compressed,
            r->n_tensors - r->n_compressed);
    fprintf(out, "file size    %s -> %s (%.2f%% of the input, ratio %.3fx)\n", cli_bytes(r->in_size, b1, sizeof b1),
            cli_bytes(r->out_size, b2, sizeof b2), r->in_size ? 100.0 * (double)r->out_size / (double)r->in_size : 0.0,
            r->out_size ? (double)r->in_size / (double)r->out_size : 0.0);
    if (comp_elems)
        fprintf(out, "compressed   %s -> %s, %.3f bits per weight (BF16: 16)\n", cli_bytes(comp_orig, b1, sizeof b1),
                cli_bytes(comp_bytes, b2, sizeof b2), 8.0 * (double)comp_bytes / (double)comp_elems);
    fprintf(out, "time         %.3f s with %u thread%s, %.1f MB/s of input\n", r->seconds, threads,
            threads == 1 ? "" : "s", r->seconds > 0 ? (double)r->in_size / r->seconds / 1e6 : 0.0);
}

int cli_compress_file(const char *cmd, const char *in_path, const char *out_path, unsigned threads, int force,
                      int low_memory, int summary, cli_compress_result *res)
{
    return cli_compress_file_layout(cmd, in_path, out_path, threads, force, low_memory, TCA_LAYOUT_V1, summary, res);
}

int cli_compress_file_layout(const char *cmd, const char *in_path, const char *out_path, unsigned threads, int force,
                             int low_memory, tca_layout layout, int summary, cli_compress_result *res)
{
    double t0 = cli_now();
    cli_input in;
    int rc = cli_input_open(cmd, in_path, &in);
    if (rc) return rc;
    tca_st_file *f = NULL;
    tca_ckpt_plan *p = NULL;
    tca_status st = tca_st_parse(in.data, in.size, NULL, &f);
    if (st != TCA_OK) {
        rc = cli_fail(cmd, in_path, st, NULL);
        goto done;
    }
    if (tca_ckpt_is_compressed(f)) {
        rc = cli_fail(cmd, in_path, TCA_ERROR_CONTAINER_NAME, "already a TCA-TBE checkpoint (tca.format is set)");
        goto done;
    }
    st = tca_ckpt_plan_new(f, force, NULL, &p);
    if (st != TCA_OK) {
        rc = cli_fail(cmd, in_path, st, "a tensor name ends in .tca.<array> or a metadata key starts with tca.");
        goto done;
    }
    p->low_memory = low_memory;
    p->layout = layout;
    size_t failed = 0;
    st = cli_encode_all(p, threads, &failed);
    if (st != TCA_OK) {
        rc = cli_fail(cmd, in_path, st, "tensor %s", f->tensors[p->items[failed].tensor].name);
        goto done;
    }
    cli_out out;
    rc = cli_out_open(cmd, out_path, &out);
    if (rc) goto done;
    uint64_t written = 0;
    st = tca_ckpt_plan_write(p, tca_st_sink_file, out.fp, &written);
    if (st != TCA_OK) {
        cli_out_abort(&out);
        rc = cli_fail(cmd, out_path, st, "writing");
        if (rc == CLI_EXIT_CORRUPT) rc = CLI_EXIT_USAGE;
        goto done;
    }
    rc = cli_out_commit(cmd, &out);
    if (rc) goto done;
    cli_compress_result r;
    r.in_size = in.size;
    r.out_size = written;
    r.n_tensors = p->n_items;
    r.n_compressed = 0;
    for (size_t i = 0; i < p->n_items; i++) r.n_compressed += p->items[i].action == TCA_CKPT_COMPRESS;
    r.seconds = cli_now() - t0;
    if (summary) cli_print_compress_summary(stdout, p, &r, threads);
    if (res) *res = r;
done:
    tca_ckpt_plan_free(p);
    tca_st_free(f);
    cli_input_close(&in);
    return rc;
}

typedef struct progress_sink {
    FILE *fp;
    cli_progress progress;
} progress_sink;

static tca_status sink_with_progress(void *ctx, const void *data, size_t size)
{
    progress_sink *s = (progress_sink *)ctx;
    tca_status st = tca_st_sink_file(s->fp, data, size);
    cli_progress_add(&s->progress, size);
    return st;
}

int cli_ckpt_open_fail(const char *cmd, const char *path, const uint8_t *data, size_t size, tca_status st)
{
    if (st == TCA_ERROR_CONTAINER_METADATA) {
        tca_st_file *f = NULL;
        int plain = tca_st_parse(data, size, NULL, &f) == TCA_OK && !tca_ckpt_is_compressed(f);
        tca_st_free(f);
        if (plain) return cli_fail(cmd, path, st, "not a TCA-TBE checkpoint (no tca.format in __metadata__)");
    }
    if (st == TCA_ERROR_CONTAINER_CRC)
        return cli_fail(cmd, path, st, "the tca metadata is damaged (tca.metadata_crc32c does not match)");
    return cli_fail(cmd, path, st, NULL);
}

int cli_decompress_file(const char *cmd, const char *in_path, const char *out_path, uint64_t *out_size)
{
    cli_input in;
    int rc = cli_input_open(cmd, in_path, &in);
    if (rc) return rc;
    tca_ckpt_reader *r = NULL;
    tca_status st = tca_ckpt_open(in.data, in.size, NULL, &r);
    if (st != TCA_OK) {
        rc = cli_ckpt_open_fail(cmd, in_path, in.data, in.size, st);
        goto done;
    }
    cli_out out;
    rc = cli_out_open(cmd, out_path, &out);
    if (rc) goto done;
    progress_sink ps;
    ps.fp = out.fp;
    cli_progress_init(&ps.progress, "decompress", r->original_size);
    size_t failed = (size_t)-1;
    st = tca_ckpt_decompress(r, sink_with_progress, &ps, &failed);
    cli_progress_finish(&ps.progress);
    if (st != TCA_OK) {
        cli_out_abort(&out);
        if (failed != (size_t)-1)
            rc = cli_fail(cmd, in_path, st, "tensor %s", r->entries[failed].original->name);
        else
            rc = cli_fail(cmd, st == TCA_ERROR_IO ? out_path : in_path, st, NULL);
        goto done;
    }
    rc = cli_out_commit(cmd, &out);
    if (!rc && out_size) *out_size = r->original_size;
done:
    tca_ckpt_close(r);
    cli_input_close(&in);
    return rc;
}
