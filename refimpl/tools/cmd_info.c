/* SPDX-License-Identifier: Apache-2.0 */
/* tca info FILE [--json]: per-tensor layout, window, base, in-window fraction, bits per weight,
 * ratio and the exponent-entropy bound, then totals (safetensors 3, 6). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_container.h"
#include "cli_util.h"
#include "tca/safetensors.h"

const char tca_cmd_info_summary[] = "describe a (compressed) safetensors file tensor by tensor";

static const char usage[] = "tca info FILE.safetensors [--json]";

static json_t *json_shape(const tca_st_tensor *t)
{
    json_t *a = json_array();
    for (unsigned d = 0; d < t->rank; d++) json_array_append_new(a, json_integer((json_int_t)t->shape[d]));
    return a;
}

/* A plain safetensors file: list the tensors. */
static int info_plain(const char *path, const tca_st_file *f, size_t file_size, int as_json)
{
    if (as_json) {
        json_t *root = json_object(), *ts = json_array();
        json_object_set_new(root, "file", json_string(path));
        json_object_set_new(root, "format", json_string("safetensors"));
        for (size_t i = 0; i < f->n_tensors; i++) {
            const tca_st_tensor *t = &f->tensors[i];
            json_t *o = json_object();
            json_object_set_new(o, "name", json_string(t->name));
            json_object_set_new(o, "dtype", json_string(tca_st_dtype_name(t->dtype)));
            json_object_set_new(o, "shape", json_shape(t));
            json_object_set_new(o, "stored", json_string("plain"));
            json_object_set_new(o, "bytes", json_integer((json_int_t)(t->end - t->begin)));
            json_array_append_new(ts, o);
        }
        json_object_set_new(root, "tensors", ts);
        json_t *tot = json_object();
        json_object_set_new(tot, "tensors", json_integer((json_int_t)f->n_tensors));
        json_object_set_new(tot, "file_bytes", json_integer((json_int_t)file_size));
        json_object_set_new(root, "totals", tot);
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(root);
        return 0;
    }
    char sh[96], b[32];
    printf("%s: plain safetensors (not a TCA-TBE checkpoint), %zu tensors, %s\n", path, f->n_tensors,
           cli_bytes(file_size, b, sizeof b));
    int nw = 6;
    for (size_t i = 0; i < f->n_tensors; i++) {
        size_t l = strlen(f->tensors[i].name);
        if (l > (size_t)nw) nw = l > 60 ? 60 : (int)l;
    }
    printf("%-*s %-7s %-20s %10s\n", nw, "tensor", "dtype", "shape", "bytes");
    for (size_t i = 0; i < f->n_tensors; i++) {
        const tca_st_tensor *t = &f->tensors[i];
        printf("%-*s %-7s %-20s %10s\n", nw, t->name, tca_st_dtype_name(t->dtype), cli_shape(t->rank, t->shape, sh, sizeof sh),
               cli_bytes(t->end - t->begin, b, sizeof b));
    }
    return 0;
}

int tca_cmd_info(int argc, char **argv);
int tca_cmd_info(int argc, char **argv)
{
    const char *path = NULL;
    int as_json = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: %s\n\n"
                   "For each tensor of the original checkpoint: name, dtype, shape, how it is stored, and for\n"
                   "TCA-TBE tensors the layout, window [w0, w0+6], base, in-window fraction, bits per weight,\n"
                   "ratio against BF16 and the exponent-entropy bound 8 + H(exponent) bits for comparison.\n"
                   "Every compressed tensor is CRC-checked and decoded. --json prints one JSON document.\n"
                   "Exit codes: 0 ok, 1 corrupt input, 2 usage or I/O error.\n",
                   usage);
            return 0;
        } else if (!strcmp(a, "--json")) {
            as_json = 1;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage(argv[0], usage, "unknown option '%s'", a);
        } else {
            if (path) return cli_usage(argv[0], usage, "too many arguments");
            path = a;
        }
    }
    if (!path) return cli_usage(argv[0], usage, "needs a file");
    cli_input in;
    int rc = cli_input_open(argv[0], path, &in);
    if (rc) return rc;
    tca_st_file *plain = NULL;
    tca_ckpt_reader *r = NULL;
    uint16_t *w = NULL;
    json_t *root = NULL;
    tca_status st = tca_st_parse(in.data, in.size, NULL, &plain);
    if (st != TCA_OK) {
        rc = cli_fail(argv[0], path, st, NULL);
        goto done;
    }
    if (!tca_ckpt_is_compressed(plain)) {
        rc = info_plain(path, plain, in.size, as_json);
        goto done;
    }
    st = tca_ckpt_open(in.data, in.size, NULL, &r);
    if (st != TCA_OK) {
        rc = cli_ckpt_open_fail(argv[0], path, in.data, in.size, st);
        goto done;
    }
    json_t *ts = json_array();
    root = json_object();
    json_object_set_new(root, "file", json_string(path));
    json_object_set_new(root, "format", json_string(TCA_CKPT_FORMAT));
    json_object_set_new(root, "format_version", json_string(tca_st_meta_get(r->container, "tca.format_version", NULL)));
    int nw = 6;
    for (size_t i = 0; i < r->n_entries; i++) {
        size_t l = strlen(r->entries[i].original->name);
        if (l > (size_t)nw) nw = l > 60 ? 60 : (int)l;
    }
    if (!as_json)
        printf("%-*s %-16s %-6s %-11s %4s %9s %6s %6s %7s\n", nw, "tensor", "shape", "layout", "window", "base",
               "in-window", "b/w", "ratio", "8+H(e)");
    uint64_t comp_elems = 0, comp_bytes = 0, comp_in = 0;
    double ent_sum = 0;
    size_t n_comp = 0;
    for (size_t i = 0; i < r->n_entries; i++) {
        const tca_ckpt_entry *e = &r->entries[i];
        const tca_st_tensor *t = e->original;
        char sh[96];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(t->name));
        json_object_set_new(o, "dtype", json_string(tca_st_dtype_name(t->dtype)));
        json_object_set_new(o, "shape", json_shape(t));
        if (!e->compressed) {
            json_object_set_new(o, "stored", json_string("plain"));
            json_object_set_new(o, "bytes", json_integer((json_int_t)(t->end - t->begin)));
            if (!as_json)
                printf("%-*s %-16s %-6s %-11s %4s %9s %6s %6s %7s   (%s, stored as is)\n", nw, t->name,
                       cli_shape(t->rank, t->shape, sh, sizeof sh), "-", "-", "-", "-", "-", "-", "-",
                       tca_st_dtype_name(t->dtype));
            json_array_append_new(ts, o);
            continue;
        }
        free(w);
        w = (uint16_t *)malloc((size_t)t->elements * sizeof(uint16_t));
        if (!w) {
            json_decref(o);
            json_decref(ts);
            rc = cli_fail(argv[0], path, TCA_ERROR_ALLOC, "tensor %s", t->name);
            goto done;
        }
        st = tca_ckpt_decode_entry(r, i, (uint8_t *)w, (size_t)t->elements * 2);
        /* decode_entry stores little-endian bytes; the statistics read host uint16_t */
        for (size_t k = 0; st == TCA_OK && k < (size_t)t->elements; k++) {
            const uint8_t *p = (const uint8_t *)&w[k];
            w[k] = (uint16_t)(p[0] | (p[1] << 8));
        }
        tca_tbe_stats s;
        int is_f = e->layout == TCA_LAYOUT_F;
        unsigned base = is_f ? e->f_view.hdr.base : e->view.hdr.base;
        if (st == TCA_OK && is_f) {
            /* layout F (spec 8): the same codes and values as v1 (8.9), so the in-window count and
             * entropy come from the transcoded view; the size is F's own arrays */
            tca_tbe_matrix *v1 = NULL;
            tca_tbe_f_sizes fs;
            st = tca_tbe_f_to_v1(&e->f_view, NULL, &v1);
            if (st == TCA_OK) st = tca_tbe_stats_of(&v1->view, w, &s);
            if (st == TCA_OK) st = tca_tbe_f_sizes_of(&e->f_view.hdr, &fs);
            if (st == TCA_OK) {
                s.encoded_bytes = (uint64_t)fs.strips + fs.exceptions + fs.offsets;
                s.bits_per_weight = 8.0 * (double)s.encoded_bytes / (double)s.elements;
            }
            tca_tbe_matrix_free(v1);
        } else if (st == TCA_OK) {
            st = tca_tbe_stats_of(&e->view, w, &s);
        }
        if (st != TCA_OK) {
            json_decref(o);
            json_decref(ts);
            rc = cli_fail(argv[0], path, st, "tensor %s", t->name);
            goto done;
        }
        unsigned w0 = base + 1u;
        const char *layout_name = is_f ? "F" : "v1";
        double frac = s.elements ? (double)s.in_window / (double)s.elements : 0;
        n_comp++;
        comp_elems += s.elements;
        comp_bytes += s.encoded_bytes;
        comp_in += s.in_window;
        ent_sum += s.exponent_entropy_bits * (double)s.elements;
        json_object_set_new(o, "stored", json_string("TCA-TBE"));
        json_object_set_new(o, "layout", json_string(layout_name));
        json_t *win = json_array();
        json_array_append_new(win, json_integer(w0));
        json_array_append_new(win, json_integer(w0 + 6));
        json_object_set_new(o, "window", win);
        json_object_set_new(o, "base", json_integer(base));
        json_object_set_new(o, "in_window_fraction", json_real(frac));
        json_object_set_new(o, "bits_per_weight", json_real(s.bits_per_weight));
        json_object_set_new(o, "ratio", json_real(s.bits_per_weight > 0 ? 16.0 / s.bits_per_weight : 0));
        json_object_set_new(o, "entropy_bound_bits", json_real(s.exponent_entropy_bits));
        json_object_set_new(o, "bytes", json_integer((json_int_t)s.encoded_bytes));
        json_array_append_new(ts, o);
        if (!as_json) {
            char win_s[24];
            snprintf(win_s, sizeof win_s, "[%u, %u]", w0, w0 + 6);
            printf("%-*s %-16s %-6s %-11s %4u %8.2f%% %6.2f %5.3fx %7.2f\n", nw, t->name,
                   cli_shape(t->rank, t->shape, sh, sizeof sh), layout_name, win_s, base, 100 * frac,
                   s.bits_per_weight, s.bits_per_weight > 0 ? 16.0 / s.bits_per_weight : 0.0, s.exponent_entropy_bits);
        }
    }
    json_object_set_new(root, "tensors", ts);
    double bpw = comp_elems ? 8.0 * (double)comp_bytes / (double)comp_elems : 0;
    double ent = comp_elems ? ent_sum / (double)comp_elems : 0;
    json_t *tot = json_object();
    json_object_set_new(tot, "tensors", json_integer((json_int_t)r->n_entries));
    json_object_set_new(tot, "compressed", json_integer((json_int_t)n_comp));
    json_object_set_new(tot, "original_file_bytes", json_integer((json_int_t)r->original_size));
    json_object_set_new(tot, "file_bytes", json_integer((json_int_t)in.size));
    json_object_set_new(tot, "ratio", json_real(in.size ? (double)r->original_size / (double)in.size : 0));
    json_object_set_new(tot, "compressed_weights", json_integer((json_int_t)comp_elems));
    json_object_set_new(tot, "in_window_fraction", json_real(comp_elems ? (double)comp_in / (double)comp_elems : 0));
    json_object_set_new(tot, "bits_per_weight", json_real(bpw));
    json_object_set_new(tot, "entropy_bound_bits", json_real(ent));
    json_object_set_new(root, "totals", tot);
    if (as_json) {
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
    } else {
        char b1[32], b2[32];
        printf("\ntensors      %zu (%zu TCA-TBE, %zu stored as is)\n", r->n_entries, n_comp, r->n_entries - n_comp);
        printf("file         %s; original %s (ratio %.3fx, %.2f%% of the original)\n", cli_bytes(in.size, b1, sizeof b1),
               cli_bytes(r->original_size, b2, sizeof b2), in.size ? (double)r->original_size / (double)in.size : 0.0,
               r->original_size ? 100.0 * (double)in.size / (double)r->original_size : 0.0);
        if (comp_elems)
            printf("TCA-TBE      %llu weights, %.2f%% in window, %.3f bits per weight (ratio %.3fx); "
                   "exponent-entropy bound %.3f bits (%.3fx)\n",
                   (unsigned long long)comp_elems, 100.0 * (double)comp_in / (double)comp_elems, bpw,
                   bpw > 0 ? 16.0 / bpw : 0.0, ent, ent > 0 ? 16.0 / ent : 0.0);
    }
    rc = 0;
done:
    json_decref(root);
    free(w);
    tca_ckpt_close(r);
    tca_st_free(plain);
    cli_input_close(&in);
    return rc;
}
