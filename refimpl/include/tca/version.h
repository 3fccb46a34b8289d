/* SPDX-License-Identifier: Apache-2.0 */
/* Library version (changes with the code) and format versions (change with the spec). */
#ifndef TCA_VERSION_H
#define TCA_VERSION_H

#define TCA_VERSION_MAJOR 0
#define TCA_VERSION_MINOR 1
#define TCA_VERSION_PATCH 0
#define TCA_VERSION_STRING "0.1.0"

/* spec/tca-tbe-format.md version */
#define TCA_FORMAT_VERSION_MAJOR 1
#define TCA_FORMAT_VERSION_MINOR 0

#ifdef __cplusplus
extern "C" {
#endif
/** Library version as MAJOR*10000 + MINOR*100 + PATCH. */
unsigned tca_version_number(void);
const char *tca_version_string(void);
#ifdef __cplusplus
}
#endif
#endif
