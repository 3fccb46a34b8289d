/* SPDX-License-Identifier: Apache-2.0 */
/* Fragment layouts (spec mma-semantics 2): closed forms, their inverses, the written-out tables,
 * ldmatrix and wgmma. The closed forms are numerics reference 6.1-6.4. The tables were generated
 * once from the per-register descriptions of the same sections ("R0 = A[g][2t..2t+1],
 * R1 = A[g+8][2t..2t+1], ...", a different statement than the formulas) and are kept here as
 * data; check_mma_layout proves formula == table and that each is a bijection, and checks the
 * copies printed in the spec against the formulas. */
#include "tca/mma_layout.h"

/* ---- written-out tables: entry [row][col] = lane * 8 + element (spec 2.1, 2.2) */
static const uint16_t m16n8k16_a_table[16][16] = {
    {  0,   1,   8,   9,  16,  17,  24,  25,   4,   5,  12,  13,  20,  21,  28,  29},
    { 32,  33,  40,  41,  48,  49,  56,  57,  36,  37,  44,  45,  52,  53,  60,  61},
    { 64,  65,  72,  73,  80,  81,  88,  89,  68,  69,  76,  77,  84,  85,  92,  93},
    { 96,  97, 104, 105, 112, 113, 120, 121, 100, 101, 108, 109, 116, 117, 124, 125},
    {128, 129, 136, 137, 144, 145, 152, 153, 132, 133, 140, 141, 148, 149, 156, 157},
    {160, 161, 168, 169, 176, 177, 184, 185, 164, 165, 172, 173, 180, 181, 188, 189},
    {192, 193, 200, 201, 208, 209, 216, 217, 196, 197, 204, 205, 212, 213, 220, 221},
    {224, 225, 232, 233, 240, 241, 248, 249, 228, 229, 236, 237, 244, 245, 252, 253},
    {  2,   3,  10,  11,  18,  19,  26,  27,   6,   7,  14,  15,  22,  23,  30,  31},
    { 34,  35,  42,  43,  50,  51,  58,  59,  38,  39,  46,  47,  54,  55,  62,  63},
    { 66,  67,  74,  75,  82,  83,  90,  91,  70,  71,  78,  79,  86,  87,  94,  95},
    { 98,  99, 106, 107, 114, 115, 122, 123, 102, 103, 110, 111, 118, 119, 126, 127},
    {130, 131, 138, 139, 146, 147, 154, 155, 134, 135, 142, 143, 150, 151, 158, 159},
    {162, 163, 170, 171, 178, 179, 186, 187, 166, 167, 174, 175, 182, 183, 190, 191},
    {194, 195, 202, 203, 210, 211, 218, 219, 198, 199, 206, 207, 214, 215, 222, 223},
    {226, 227, 234, 235, 242, 243, 250, 251, 230, 231, 238, 239, 246, 247, 254, 255},
};

static const uint16_t m16n8k16_b_table[16][8] = {
    {  0,  32,  64,  96, 128, 160, 192, 224},
    {  1,  33,  65,  97, 129, 161, 193, 225},
    {  8,  40,  72, 104, 136, 168, 200, 232},
    {  9,  41,  73, 105, 137, 169, 201, 233},
    { 16,  48,  80, 112, 144, 176, 208, 240},
    { 17,  49,  81, 113, 145, 177, 209, 241},
    { 24,  56,  88, 120, 152, 184, 216, 248},
    { 25,  57,  89, 121, 153, 185, 217, 249},
    {  2,  34,  66,  98, 130, 162, 194, 226},
    {  3,  35,  67,  99, 131, 163, 195, 227},
    { 10,  42,  74, 106, 138, 170, 202, 234},
    { 11,  43,  75, 107, 139, 171, 203, 235},
    { 18,  50,  82, 114, 146, 178, 210, 242},
    { 19,  51,  83, 115, 147, 179, 211, 243},
    { 26,  58,  90, 122, 154, 186, 218, 250},
    { 27,  59,  91, 123, 155, 187, 219, 251},
};

static const uint16_t m16n8k8_a_table[16][8] = {
    {  0,   1,   8,   9,  16,  17,  24,  25},
    { 32,  33,  40,  41,  48,  49,  56,  57},
    { 64,  65,  72,  73,  80,  81,  88,  89},
    { 96,  97, 104, 105, 112, 113, 120, 121},
    {128, 129, 136, 137, 144, 145, 152, 153},
    {160, 161, 168, 169, 176, 177, 184, 185},
    {192, 193, 200, 201, 208, 209, 216, 217},
    {224, 225, 232, 233, 240, 241, 248, 249},
    {  2,   3,  10,  11,  18,  19,  26,  27},
    { 34,  35,  42,  43,  50,  51,  58,  59},
    { 66,  67,  74,  75,  82,  83,  90,  91},
    { 98,  99, 106, 107, 114, 115, 122, 123},
    {130, 131, 138, 139, 146, 147, 154, 155},
    {162, 163, 170, 171, 178, 179, 186, 187},
    {194, 195, 202, 203, 210, 211, 218, 219},
    {226, 227, 234, 235, 242, 243, 250, 251},
};

static const uint16_t m16n8k8_b_table[8][8] = {
    {  0,  32,  64,  96, 128, 160, 192, 224},
    {  1,  33,  65,  97, 129, 161, 193, 225},
    {  8,  40,  72, 104, 136, 168, 200, 232},
    {  9,  41,  73, 105, 137, 169, 201, 233},
    { 16,  48,  80, 112, 144, 176, 208, 240},
    { 17,  49,  81, 113, 145, 177, 209, 241},
    { 24,  56,  88, 120, 152, 184, 216, 248},
    { 25,  57,  89, 121, 153, 185, 217, 249},
};

static const uint16_t m16n8_c_f32_table[16][8] = {
    {  0,   1,   8,   9,  16,  17,  24,  25},
    { 32,  33,  40,  41,  48,  49,  56,  57},
    { 64,  65,  72,  73,  80,  81,  88,  89},
    { 96,  97, 104, 105, 112, 113, 120, 121},
    {128, 129, 136, 137, 144, 145, 152, 153},
    {160, 161, 168, 169, 176, 177, 184, 185},
    {192, 193, 200, 201, 208, 209, 216, 217},
    {224, 225, 232, 233, 240, 241, 248, 249},
    {  2,   3,  10,  11,  18,  19,  26,  27},
    { 34,  35,  42,  43,  50,  51,  58,  59},
    { 66,  67,  74,  75,  82,  83,  90,  91},
    { 98,  99, 106, 107, 114, 115, 122, 123},
    {130, 131, 138, 139, 146, 147, 154, 155},
    {162, 163, 170, 171, 178, 179, 186, 187},
    {194, 195, 202, 203, 210, 211, 218, 219},
    {226, 227, 234, 235, 242, 243, 250, 251},
};

static const uint16_t m16n8_c_f16_table[16][8] = {
    {  0,   1,   8,   9,  16,  17,  24,  25},
    { 32,  33,  40,  41,  48,  49,  56,  57},
    { 64,  65,  72,  73,  80,  81,  88,  89},
    { 96,  97, 104, 105, 112, 113, 120, 121},
    {128, 129, 136, 137, 144, 145, 152, 153},
    {160, 161, 168, 169, 176, 177, 184, 185},
    {192, 193, 200, 201, 208, 209, 216, 217},
    {224, 225, 232, 233, 240, 241, 248, 249},
    {  2,   3,  10,  11,  18,  19,  26,  27},
    { 34,  35,  42,  43,  50,  51,  58,  59},
    { 66,  67,  74,  75,  82,  83,  90,  91},
    { 98,  99, 106, 107, 114, 115, 122, 123},
    {130, 131, 138, 139, 146, 147, 154, 155},
    {162, 163, 170, 171, 178, 179, 186, 187},
    {194, 195, 202, 203, 210, 211, 218, 219},
    {226, 227, 234, 235, 242, 243, 250, 251},
};

static const uint16_t ldmatrix_table[8][8] = {
    {  0,   1,   2,   3,   4,   5,   6,   7},
    {  8,   9,  10,  11,  12,  13,  14,  15},
    { 16,  17,  18,  19,  20,  21,  22,  23},
    { 24,  25,  26,  27,  28,  29,  30,  31},
    { 32,  33,  34,  35,  36,  37,  38,  39},
    { 40,  41,  42,  43,  44,  45,  46,  47},
    { 48,  49,  50,  51,  52,  53,  54,  55},
    { 56,  57,  58,  59,  60,  61,  62,  63},
};

static const uint16_t ldmatrix_trans_table[8][8] = {
    {  0,   8,  16,  24,  32,  40,  48,  56},
    {  1,   9,  17,  25,  33,  41,  49,  57},
    {  2,  10,  18,  26,  34,  42,  50,  58},
    {  3,  11,  19,  27,  35,  43,  51,  59},
    {  4,  12,  20,  28,  36,  44,  52,  60},
    {  5,  13,  21,  29,  37,  45,  53,  61},
    {  6,  14,  22,  30,  38,  46,  54,  62},
    {  7,  15,  23,  31,  39,  47,  55,  63},
};

static const tca_mma_frag_info frag_info[TCA_MMA_FRAG_COUNT] = {
    {"m16n8k16.A", 16, 16, 4, 8}, {"m16n8k16.B", 16, 8, 2, 4}, {"m16n8k8.A", 16, 8, 2, 4},
    {"m16n8k8.B", 8, 8, 1, 2},    {"m16n8.C.f32", 16, 8, 4, 4}, {"m16n8.C.f16", 16, 8, 2, 4},
};

static int frag_known(tca_mma_frag f) { return (int)f >= 0 && (int)f < TCA_MMA_FRAG_COUNT; }

const tca_mma_frag_info *tca_mma_frag_get_info(tca_mma_frag f) { return frag_known(f) ? &frag_info[f] : NULL; }

const uint16_t *tca_mma_frag_table(tca_mma_frag f)
{
    switch (f) {
    case TCA_MMA_FRAG_M16N8K16_A:
        return &m16n8k16_a_table[0][0];
    case TCA_MMA_FRAG_M16N8K16_B:
        return &m16n8k16_b_table[0][0];
    case TCA_MMA_FRAG_M16N8K8_A:
        return &m16n8k8_a_table[0][0];
    case TCA_MMA_FRAG_M16N8K8_B:
        return &m16n8k8_b_table[0][0];
    case TCA_MMA_FRAG_C_F32:
        return &m16n8_c_f32_table[0][0];
    case TCA_MMA_FRAG_C_F16:
        return &m16n8_c_f16_table[0][0];
    default:
        return NULL;
    }
}

tca_status tca_mma_frag_coord(tca_mma_frag f, int lane, int elem, int *row, int *col)
{
    if (row == NULL || col == NULL) return TCA_ERROR_PARAM_NULL;
    if (!frag_known(f) || lane < 0 || lane > 31 || elem < 0 || elem >= frag_info[f].elems)
        return TCA_ERROR_PARAM_INVALID;
    const int g = lane >> 2, t = lane & 3;
    switch (f) {
    case TCA_MMA_FRAG_M16N8K16_A: /* spec 2.1: row = g + 8((i>>1)&1), col = 2t + (i&1) + 8(i>>2) */
    case TCA_MMA_FRAG_M16N8K8_A:  /* spec 2.2: the same with i < 4 */
        *row = g + 8 * ((elem >> 1) & 1);
        *col = 2 * t + (elem & 1) + 8 * (elem >> 2);
        break;
    case TCA_MMA_FRAG_M16N8K16_B: /* spec 2.1: k = 2t + (i&1) + 8(i>>1), n = g */
    case TCA_MMA_FRAG_M16N8K8_B:  /* spec 2.2: the same with i < 2 */
        *row = 2 * t + (elem & 1) + 8 * (elem >> 1);
        *col = g;
        break;
    default: /* C/D, f32 (i = register) and f16 (i = 2 register + half): row = g + 8(i>>1),
              * col = 2t + (i&1) */
        *row = g + 8 * (elem >> 1);
        *col = 2 * t + (elem & 1);
        break;
    }
    return TCA_OK;
}

tca_status tca_mma_frag_owner(tca_mma_frag f, int row, int col, int *lane, int *elem)
{
    if (lane == NULL || elem == NULL) return TCA_ERROR_PARAM_NULL;
    if (!frag_known(f) || row < 0 || row >= frag_info[f].rows || col < 0 || col >= frag_info[f].cols)
        return TCA_ERROR_PARAM_INVALID;
    switch (f) {
    case TCA_MMA_FRAG_M16N8K16_A:
    case TCA_MMA_FRAG_M16N8K8_A:
        *lane = 4 * (row & 7) + ((col & 7) >> 1);
        *elem = (col & 1) | ((row >> 3) << 1) | ((col >> 3) << 2);
        break;
    case TCA_MMA_FRAG_M16N8K16_B:
    case TCA_MMA_FRAG_M16N8K8_B:
        *lane = 4 * col + ((row & 7) >> 1);
        *elem = (row & 1) | ((row >> 3) << 1);
        break;
    default:
        *lane = 4 * (row & 7) + (col >> 1);
        *elem = (col & 1) | ((row >> 3) << 1);
        break;
    }
    return TCA_OK;
}

/* ------------------------------------------------------------------ ldmatrix (spec 2.3) */

tca_status tca_ldmatrix_coord(int trans, int lane, int half, int *row, int *col)
{
    if (row == NULL || col == NULL) return TCA_ERROR_PARAM_NULL;
    if (lane < 0 || lane > 31 || half < 0 || half > 1) return TCA_ERROR_PARAM_INVALID;
    const int r = lane >> 2, c = 2 * (lane & 3) + half;
    *row = trans ? c : r;
    *col = trans ? r : c;
    return TCA_OK;
}

int tca_ldmatrix_address_lane(int matrix, int row) { return 8 * matrix + row; }

const uint16_t *tca_ldmatrix_table(int trans) { return trans ? &ldmatrix_trans_table[0][0] : &ldmatrix_table[0][0]; }

tca_status tca_ldmatrix(const uint16_t *smem, size_t smem_elems, const uint64_t row_offset[32], int count,
                        int trans, uint32_t out[32][4])
{
    if (smem == NULL || row_offset == NULL || out == NULL) return TCA_ERROR_PARAM_NULL;
    if (count != 1 && count != 2 && count != 4) return TCA_ERROR_PARAM_INVALID;
    /* every row address used must name 8 elements inside smem */
    for (int l = 0; l < 8 * count; l++)
        if (smem_elems < 8 || row_offset[l] > (uint64_t)smem_elems - 8) return TCA_ERROR_PARAM_SHAPE;
    for (int j = 0; j < count; j++) {
        for (int lane = 0; lane < 32; lane++) {
            uint32_t reg = 0;
            for (int h = 0; h < 2; h++) {
                int r, c;
                (void)tca_ldmatrix_coord(trans, lane, h, &r, &c);
                const uint16_t v = smem[row_offset[tca_ldmatrix_address_lane(j, r)] + (uint64_t)c];
                reg |= (uint32_t)v << (16 * h); /* half 0 in bits 15:0 */
            }
            out[lane][j] = reg;
        }
    }
    return TCA_OK;
}

/* ---------------------------------------------------------------- wgmma (spec 2.4) */

static int wgmma_n_ok(int n) { return n >= 8 && n <= 256 && n % 8 == 0; }

tca_status tca_wgmma_d_coord(int n, int thread, int i, int *row, int *col)
{
    if (row == NULL || col == NULL) return TCA_ERROR_PARAM_NULL;
    if (!wgmma_n_ok(n) || thread < 0 || thread > 127 || i < 0 || i >= n / 2) return TCA_ERROR_PARAM_INVALID;
    const int w = thread >> 5, lane = thread & 31, g = lane >> 2, t = lane & 3;
    *row = 16 * w + g + 8 * ((i >> 1) & 1);
    *col = 8 * (i >> 2) + 2 * t + (i & 1);
    return TCA_OK;
}

tca_status tca_wgmma_d_owner(int n, int row, int col, int *thread, int *i)
{
    if (thread == NULL || i == NULL) return TCA_ERROR_PARAM_NULL;
    if (!wgmma_n_ok(n) || row < 0 || row > 63 || col < 0 || col >= n) return TCA_ERROR_PARAM_INVALID;
    *thread = 32 * (row >> 4) + 4 * (row & 7) + ((col & 7) >> 1);
    *i = (col & 1) | (((row >> 3) & 1) << 1) | ((col >> 3) << 2);
    return TCA_OK;
}

tca_status tca_wgmma_a_coord(int thread, int i, int *row, int *col)
{
    if (row == NULL || col == NULL) return TCA_ERROR_PARAM_NULL;
    if (thread < 0 || thread > 127 || i < 0 || i > 7) return TCA_ERROR_PARAM_INVALID;
    const int w = thread >> 5, lane = thread & 31, g = lane >> 2, t = lane & 3;
    *row = 16 * w + g + 8 * ((i >> 1) & 1);
    *col = 2 * t + (i & 1) + 8 * (i >> 2);
    return TCA_OK;
}

tca_status tca_wgmma_a_owner(int row, int col, int *thread, int *i)
{
    if (thread == NULL || i == NULL) return TCA_ERROR_PARAM_NULL;
    if (row < 0 || row > 63 || col < 0 || col > 15) return TCA_ERROR_PARAM_INVALID;
    *thread = 32 * (row >> 4) + 4 * (row & 7) + ((col & 7) >> 1);
    *i = (col & 1) | (((row >> 3) & 1) << 1) | ((col >> 3) << 2);
    return TCA_OK;
}

tca_status tca_wgmma_d_table(int n, uint32_t *owner)
{
    if (owner == NULL) return TCA_ERROR_PARAM_NULL;
    if (!wgmma_n_ok(n)) return TCA_ERROR_PARAM_INVALID;
    /* warp w owns rows 16w..16w+15; n8 tile j (columns 8j..8j+7) is held in registers
     * 4j..4j+3 exactly as an m16n8 C f32 fragment (PTX wgmma D figure) */
    for (int w = 0; w < 4; w++)
        for (int j = 0; j < n / 8; j++)
            for (int r = 0; r < 16; r++)
                for (int c = 0; c < 8; c++) {
                    const unsigned e = m16n8_c_f32_table[r][c];
                    const unsigned thread = 32u * (unsigned)w + e / 8u, i = 4u * (unsigned)j + e % 8u;
                    owner[(size_t)(16 * w + r) * (size_t)n + (size_t)(8 * j + c)] = thread * 256u + i;
                }
    return TCA_OK;
}

tca_status tca_wgmma_a_table(uint32_t *owner)
{
    if (owner == NULL) return TCA_ERROR_PARAM_NULL;
    /* warp w holds rows 16w..16w+15 as an m16n8k16 A fragment */
    for (int w = 0; w < 4; w++)
        for (int r = 0; r < 16; r++)
            for (int c = 0; c < 16; c++) {
                const unsigned e = m16n8k16_a_table[r][c];
                owner[(size_t)(16 * w + r) * 16u + (size_t)c] = (32u * (unsigned)w + e / 8u) * 256u + e % 8u;
            }
    return TCA_OK;
}
