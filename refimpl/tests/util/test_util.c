/* SPDX-License-Identifier: Apache-2.0 */
#include "test_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "tca/status.h"

uint64_t tca_test_seed(void)
{
    static int ready;
    static uint64_t seed;
    if (!ready) {
        const char *env = getenv("TCA_TEST_SEED");
        if (!env || !*env)
            seed = 0x7463615F74657374ull;
        else if (!strcmp(env, "random"))
            seed = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid();
        else
            seed = strtoull(env, NULL, 0);
        ready = 1;
    }
    return seed;
}

void tca_test_print_seed(void)
{
    fprintf(stderr, "TCA_TEST_SEED=0x%016llx (include this in bug reports)\n", (unsigned long long)tca_test_seed());
}

int tca_test_expensive(void)
{
    const char *env = getenv("TCA_CHECK_EXPENSIVE");
    return env && !strcmp(env, "1");
}

uint64_t tca_test_count(uint64_t quick, uint64_t full) { return tca_test_expensive() ? full : quick; }

static void *test_alloc(void *opaque, size_t size)
{
    tca_test_allocator *a = (tca_test_allocator *)opaque;
    if (a->calls++ == a->fail_at) return NULL;
    void *p = malloc(size);
    if (p) a->live++;
    return p;
}

static void test_free(void *opaque, void *ptr)
{
    tca_test_allocator *a = (tca_test_allocator *)opaque;
    if (ptr) a->live--;
    free(ptr);
}

void tca_test_allocator_init(tca_test_allocator *a, long fail_at)
{
    a->base.alloc = test_alloc;
    a->base.free = test_free;
    a->base.opaque = a;
    a->calls = 0;
    a->fail_at = fail_at;
    a->live = 0;
}

const char *tca_test_source_path(const char *rel)
{
    static char buf[4096];
    const char *root = getenv("TCA_SOURCE_DIR");
    snprintf(buf, sizeof buf, "%s/%s", root ? root : ".", rel);
    return buf;
}
