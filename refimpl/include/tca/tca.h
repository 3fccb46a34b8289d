/* SPDX-License-Identifier: Apache-2.0 */
/* Umbrella header of libtca. */
#ifndef TCA_TCA_H
#define TCA_TCA_H
#include "tca/version.h"
#include "tca/status.h"
#include "tca/alloc.h"
#include "tca/bf16.h"
#include "tca/prng.h"
#include "tca/checksum.h"
#include "tca/tbe.h"
#include "tca/edu.h"
#include "tca/mma.h"
#include "tca/mma_layout.h"
#include "tca/families.h"
#include "tca/gemm.h"
#include "tca/safetensors.h"
#include "tca/tv.h"
#endif
