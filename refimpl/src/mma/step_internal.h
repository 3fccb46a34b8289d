/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: the step computed only through the general, clause-by-clause path (no branch-free
 * fast path), so that tests can prove the two paths equal. */
#ifndef TCA_MMA_STEP_INTERNAL_H
#define TCA_MMA_STEP_INTERNAL_H
#include <stdint.h>
#include "tca/mma.h"

uint32_t tca__mma_step_f32_generic(const tca_mma_profile *p, tca_mma_input in, const uint16_t *a, const uint16_t *b,
                                   int n, uint32_t c);
uint16_t tca__mma_step_f16_generic(const tca_mma_profile *p, const uint16_t *a, const uint16_t *b, int n, uint16_t c);

#endif
