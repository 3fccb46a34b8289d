/* SPDX-License-Identifier: Apache-2.0 */
/* MMA records (spec/tca-test-vectors.md section 4): the op string and the A, B, C, D arrays. */
#include <string.h>
#include "tca/tv.h"

/* vectors 4.1: canonical op strings, PTX type order D.A.B.C */
static const struct {
    const char *name;
    tca_mma_op op;
} ops[] = {
    {"mma.m16n8k16.row.col.f32.bf16.bf16.f32", {TCA_MMA_M16N8K16, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32}},
    {"mma.m16n8k16.row.col.f32.f16.f16.f32", {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F32}},
    {"mma.m16n8k16.row.col.f16.f16.f16.f16", {TCA_MMA_M16N8K16, TCA_MMA_IN_F16, TCA_MMA_ACC_F16}},
    {"mma.m16n8k8.row.col.f32.bf16.bf16.f32", {TCA_MMA_M16N8K8, TCA_MMA_IN_BF16, TCA_MMA_ACC_F32}},
    {"mma.m16n8k8.row.col.f32.f16.f16.f32", {TCA_MMA_M16N8K8, TCA_MMA_IN_F16, TCA_MMA_ACC_F32}},
    {"mma.m16n8k8.row.col.f16.f16.f16.f16", {TCA_MMA_M16N8K8, TCA_MMA_IN_F16, TCA_MMA_ACC_F16}},
};

tca_status tca_tv_mma_op_parse(const char *text, tca_mma_op *op)
{
    if (!text || !op) return TCA_ERROR_PARAM_NULL;
    /* Also accept the PTX spelling with `.sync.aligned` (vectors 4.1). */
    char buf[96];
    if (!strncmp(text, "mma.sync.aligned.", 17) && strlen(text) < sizeof buf) {
        strcpy(buf, "mma.");
        strcat(buf, text + 17);
        text = buf;
    }
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (!strcmp(text, ops[i].name)) {
            *op = ops[i].op;
            return TCA_OK;
        }
    return TCA_ERROR_TV_VALUE;
}

const char *tca_tv_mma_op_name(tca_mma_op op)
{
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (ops[i].op.shape == op.shape && ops[i].op.in == op.in && ops[i].op.acc == op.acc) return ops[i].name;
    return "?";
}

int tca_tv_mma_k(tca_mma_op op) { return op.shape == TCA_MMA_M16N8K8 ? 8 : 16; }

tca_status tca_tv_mma_case_read(const tca_tv_record *r, tca_mma_op op, tca_tv_mma_case *out)
{
    if (!r || !out) return TCA_ERROR_PARAM_NULL;
    if (!strcmp(tca_tv_mma_op_name(op), "?")) return TCA_ERROR_PARAM_INVALID;
    memset(out, 0, sizeof *out);
    size_t k = (size_t)tca_tv_mma_k(op);
    int acc_digits = op.acc == TCA_MMA_ACC_F16 ? 4 : 8;
    tca_status st = tca_tv_get_u64(r, "id", &out->id);
    if (st) return st;
    out->flags = tca_tv_get(r, "flags");
    const char *a = tca_tv_get(r, "A"), *b = tca_tv_get(r, "B"), *c = tca_tv_get(r, "C"), *d = tca_tv_get(r, "D");
    if (!a || !b || !c || !d) return TCA_ERROR_TV_MISSING;
    if ((st = tca_tv_parse_hex16(a, out->A, 16 * k))) return st;
    if ((st = tca_tv_parse_hex16(b, out->B, k * 8))) return st;
    if ((st = tca_tv_parse_hex32(c, out->C, 128, acc_digits))) return st;
    return tca_tv_parse_hex32(d, out->D, 128, acc_digits);
}

void tca_tv_mma_case_write(tca_tv_writer *w, tca_mma_op op, const tca_tv_mma_case *c)
{
    if (!strcmp(tca_tv_mma_op_name(op), "?")) {
        w->status = TCA_ERROR_PARAM_INVALID;
        return;
    }
    size_t k = (size_t)tca_tv_mma_k(op);
    int acc_digits = op.acc == TCA_MMA_ACC_F16 ? 4 : 8;
    tca_tv_put_u64(w, "id", c->id);
    if (c->flags && c->flags[0]) tca_tv_put(w, "flags", c->flags);
    tca_tv_put_hex16(w, "A", c->A, 16 * k);
    tca_tv_put_hex16(w, "B", c->B, k * 8);
    tca_tv_put_hex32(w, "C", c->C, 128, acc_digits);
    tca_tv_put_hex32(w, "D", c->D, 128, acc_digits);
    tca_tv_put_end(w);
}
