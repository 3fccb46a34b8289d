# SPDX-License-Identifier: Apache-2.0
# `cmake --install` into a temporary prefix gives a working library, headers, CLI, pkg-config file
# and CMake package: a program using the public API compiles and runs through both pkg-config and
# find_package(tca). Usage: bash test_install.sh BUILD_DIR
set -u
B=${1:?usage: bash test_install.sh BUILD_DIR}
W=$(mktemp -d "${TMPDIR:-/tmp}/tca-install-test.XXXXXX")
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$B" --prefix "$W/inst" > "$W/install.log" 2>&1 || { cat "$W/install.log"; fail "cmake --install"; }
[ -x "$W/inst/bin/tca" ] || fail "no tca CLI installed"
"$W/inst/bin/tca" --version | grep -q "^tca " || fail "installed tca --version"

cat > "$W/use.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "tca/tca.h"
int main(void)
{
    const uint16_t w[6] = {0x3F80, 0xC000, 0x0000, 0x7FC1, 0x0001, 0x8000};
    uint16_t out[6];
    tca_tbe_matrix *m = NULL;
    if (tca_tbe_encode(w, 2, 3, NULL, NULL, &m) != TCA_OK) return 1;
    tca_status st = tca_tbe_decode(&m->view, out, 6);
    tca_tbe_matrix_free(m);
    if (st != TCA_OK || memcmp(w, out, sizeof w) != 0) return 1;
    printf("round trip ok with tca %s\n", tca_version_string());
    return 0;
}
C

# pkg-config (shared library)
export PKG_CONFIG_PATH="$W/inst/lib/pkgconfig:$(ls -d "$W"/inst/lib/*/pkgconfig 2>/dev/null | tr '\n' ':')"
flags=$(pkg-config --cflags --libs tca) || fail "pkg-config does not find tca"
cc -std=c11 "$W/use.c" $flags -o "$W/use_pc" || fail "compile with pkg-config flags: $flags"
LD_LIBRARY_PATH="$W/inst/lib:$(ls -d "$W"/inst/lib/*/ 2>/dev/null | tr '\n' ':')" "$W/use_pc" || fail "pkg-config program"

# find_package(tca) (static library)
mkdir -p "$W/proj"
cat > "$W/proj/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.25)
project(use_tca C)
find_package(tca REQUIRED)
add_executable(use_cmake "$W/use.c")
target_link_libraries(use_cmake PRIVATE tca::tca_static)
CM
cmake -S "$W/proj" -B "$W/proj/b" -DCMAKE_PREFIX_PATH="$W/inst" > "$W/cfg.log" 2>&1 || { cat "$W/cfg.log"; fail "find_package(tca)"; }
cmake --build "$W/proj/b" > "$W/bld.log" 2>&1 || { cat "$W/bld.log"; fail "build with find_package"; }
"$W/proj/b/use_cmake" || fail "find_package program"
echo "install: pkg-config and find_package(tca) both work"
