/* SPDX-License-Identifier: Apache-2.0 */
/* Decoding of bf16 / binary16 / binary32 patterns into (class, sign, m, e), written for the
 * oracle independently of the emulator: numerics reference section 3, "Notation". */
#ifndef TCA_ORACLE_OPERAND_H
#define TCA_ORACLE_OPERAND_H
#include <stdint.h>

typedef enum oracle_class { ORACLE_ZERO, ORACLE_FINITE, ORACLE_INF, ORACLE_NAN } oracle_class;

/* value = (-1)^sign * m * 2^(e - frac_bits) for ORACLE_FINITE (m > 0; includes subnormals with
 * e = emin and no hidden bit). */
typedef struct oracle_operand {
    oracle_class cls;
    int sign;
    uint32_t m;
    int e;
} oracle_operand;

/* An IEEE-style binary format: frac_bits stored fraction bits, exp_bits exponent bits. */
typedef struct oracle_format {
    int frac_bits;
    int exp_bits;
} oracle_format;

static const oracle_format ORACLE_BF16 = {7, 8};
static const oracle_format ORACLE_F16 = {10, 5};
static const oracle_format ORACLE_F32 = {23, 8};

oracle_operand oracle_decode(uint32_t bits, oracle_format f);
#endif
