/* SPDX-License-Identifier: Apache-2.0 */
/* Status names and messages, generated from the one list in tca/status.h. */
#include "tca/status.h"
#include "tca/version.h"

const char *tca_status_message(tca_status s)
{
    switch (s) {
#define TCA_STATUS_MSG_(name, value, msg) \
    case TCA_##name: return msg;
        TCA_STATUS_LIST(TCA_STATUS_MSG_)
#undef TCA_STATUS_MSG_
    }
    return "unknown status code";
}

const char *tca_status_name(tca_status s)
{
    switch (s) {
#define TCA_STATUS_NAME_(name, value, msg) \
    case TCA_##name: return #name;
        TCA_STATUS_LIST(TCA_STATUS_NAME_)
#undef TCA_STATUS_NAME_
    }
    return "UNKNOWN";
}

int tca_status_is_format_error(tca_status s) { return s >= 10 && s < 50; }

unsigned tca_version_number(void)
{
    return TCA_VERSION_MAJOR * 10000u + TCA_VERSION_MINOR * 100u + TCA_VERSION_PATCH;
}

const char *tca_version_string(void) { return TCA_VERSION_STRING; }
