# SPDX-License-Identifier: Apache-2.0
# tca_add_check_test(<file.c> [LIBS ...] [LABELS ...] [TIMEOUT s])
#   <file.c> is check_<unit>.c and defines `Suite *tca_<unit>_suite(void)`. Builds one executable
#   check_<unit> with a generated main (prints the seed, runs the suite in fork mode) and
#   registers it with CTest as <unit>, labelled "quick" unless LABELS says otherwise.
set(TCA_TEST_MAIN_TEMPLATE ${CMAKE_CURRENT_LIST_DIR}/test_main.c.in)

function(tca_add_check_test file)
  cmake_parse_arguments(T "" "TIMEOUT" "LIBS;LABELS" ${ARGN})
  get_filename_component(_stem ${file} NAME_WE)
  string(REGEX REPLACE "^check_" "" _unit ${_stem})
  set(TCA_SUITE_FN tca_${_unit}_suite)
  configure_file(${TCA_TEST_MAIN_TEMPLATE} ${CMAKE_CURRENT_BINARY_DIR}/${_stem}_main.c @ONLY)
  add_executable(${_stem} ${file} ${CMAKE_CURRENT_BINARY_DIR}/${_stem}_main.c)
  target_compile_definitions(${_stem} PRIVATE _POSIX_C_SOURCE=200809L)
  target_link_libraries(${_stem} PRIVATE tca_testutil ${T_LIBS} PkgConfig::CHECK)
  add_test(NAME ${_unit} COMMAND ${_stem})
  if(NOT T_LABELS)
    set(T_LABELS quick)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 1800)
  endif()
  set_tests_properties(${_unit} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
                       ENVIRONMENT "TCA_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
