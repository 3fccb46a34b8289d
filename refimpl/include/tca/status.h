/* SPDX-License-Identifier: Apache-2.0 */
/* Status codes of every tca_ function. Numeric values are pinned: a released value is never
 * changed or reused. Each FORMAT_ and CONTAINER_ code cites the spec section it enforces
 * (spec/tca-tbe-format.md, spec/tca-safetensors.md, spec/tca-test-vectors.md). */
#ifndef TCA_STATUS_H
#define TCA_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* X(NAME, value, "message") */
#define TCA_STATUS_LIST(X)                                                                      \
    X(OK, 0, "success")                                                                         \
    /* --- malformed TCA-TBE stream or arrays (spec/tca-tbe-format.md) --- */                   \
    X(ERROR_FORMAT_MAGIC, 10, "spec 3.1: Magic_Number mismatch")                                \
    X(ERROR_FORMAT_VERSION, 11, "spec 3.2: unsupported Format_Version_Major")                   \
    X(ERROR_FORMAT_RESERVED, 12, "spec 3.4: a Reserved field or bit is not zero")               \
    X(ERROR_FORMAT_HEADER_CHECKSUM, 13, "spec 3.8: Header_Checksum mismatch")                   \
    X(ERROR_FORMAT_LAYOUT, 14, "spec 3.3: unknown or unsupported Layout")                       \
    X(ERROR_FORMAT_SHAPE, 15, "spec 3.5: Rows or Cols is zero or above the stated limits")      \
    X(ERROR_FORMAT_BASE_RANGE, 16, "spec 3.6: Base_Exponent outside 0..248")                    \
    X(ERROR_FORMAT_TRUNCATED, 17, "spec 6.8, 7.1: input shorter than the header or than the sizes it declares") \
    X(ERROR_FORMAT_TRAILING, 18, "spec 6.8: bytes after the last section")                      \
    X(ERROR_FORMAT_TOG, 19, "spec 6.6: global offset table not zero-based, monotone and "       \
                            "equal to the padded per-tile counts")                              \
    X(ERROR_FORMAT_TOM, 20, "spec 6.5: median offset table disagrees with the bitmaps")         \
    X(ERROR_FORMAT_COUNTS, 21, "spec 6.2, 8.8: stream lengths disagree with the codes")            \
    X(ERROR_FORMAT_MAXIMA, 22, "spec 3.7: Max_Sign_Mantissa or Max_Full is not the maximum "    \
                               "padded per-tile count")                                         \
    X(ERROR_FORMAT_PADDING, 23, "spec 6.4: padding bytes are not zero or not minimal")          \
    X(ERROR_FORMAT_PAD_ELEMENT, 24, "spec 5.1: an element outside the logical shape is not +0") \
    X(ERROR_FORMAT_CONTENT_CHECKSUM, 25, "spec 6.9: Content_Checksum mismatch")                 \
    X(ERROR_FORMAT_EXCEPTIONS, 26, "spec 8.6, 8.8: layout F exception offsets inconsistent")            \
    X(ERROR_FORMAT_LIMIT, 27, "spec 3.5: a count exceeds what this platform can address")       \
    X(ERROR_FORMAT_NONCANONICAL, 28, "spec 4.4, 7.1 V22, 8.8 F21: a fallback value's exponent "  \
                                     "lies inside the window (it MUST be coded in window)")      \
    /* --- malformed safetensors container (spec/tca-safetensors.md) --- */                     \
    X(ERROR_CONTAINER_HEADER, 30, "safetensors 2: header length or JSON malformed")             \
    X(ERROR_CONTAINER_TENSOR, 31, "safetensors 2: tensor entry has a bad dtype, shape or "      \
                                  "offsets, or the data region has holes or overlaps")          \
    X(ERROR_CONTAINER_METADATA, 32, "safetensors 3: tca metadata missing or malformed")         \
    X(ERROR_CONTAINER_CRC, 33, "safetensors 3.3: CRC-32C mismatch (array, pass-through tensor or tca metadata)")                         \
    X(ERROR_CONTAINER_ORIGINAL, 34, "safetensors 4: stored original header inconsistent with "  \
                                    "the tensors")                                              \
    X(ERROR_CONTAINER_NAME, 35, "safetensors 3: tensor name collides with a tca array name")    \
    /* --- malformed vector / manifest files (spec/tca-test-vectors.md) --- */                  \
    X(ERROR_TV_SYNTAX, 50, "vectors: malformed line or record")                                 \
    X(ERROR_TV_VALUE, 51, "vectors: value out of range or of the wrong length")                 \
    X(ERROR_TV_MISSING, 52, "vectors: a required key is missing")                               \
    X(ERROR_TV_DIGEST, 53, "vectors: digest mismatch")                                          \
    /* --- caller errors --- */                                                                 \
    X(ERROR_PARAM_NULL, 60, "null pointer argument")                                            \
    X(ERROR_PARAM_SHAPE, 61, "unsupported matrix shape")                                        \
    X(ERROR_PARAM_DST_TOO_SMALL, 62, "destination buffer too small")                            \
    X(ERROR_PARAM_SPLIT_K, 63, "split-K factor outside 1..number of 64-wide K tiles")           \
    X(ERROR_PARAM_PROFILE, 64, "unknown or unsupported arithmetic profile")                     \
    X(ERROR_PARAM_WINDOW, 65, "window start outside 1..249")                                    \
    X(ERROR_PARAM_LAYOUT, 66, "unknown layout")                                                 \
    X(ERROR_PARAM_INVALID, 67, "invalid argument")                                              \
    /* --- environment --- */                                                                   \
    X(ERROR_ALLOC, 80, "allocation failed")                                                     \
    X(ERROR_IO, 81, "input/output error")                                                       \
    X(ERROR_UNSUPPORTED, 82, "not supported by this build")                                     \
    X(ERROR_INTERNAL, 90, "internal error")

typedef enum tca_status {
#define TCA_STATUS_ENUM_(name, value, msg) TCA_##name = value,
    TCA_STATUS_LIST(TCA_STATUS_ENUM_)
#undef TCA_STATUS_ENUM_
} tca_status;

/** Message for a status, citing the spec section it enforces. Never NULL. */
const char *tca_status_message(tca_status s);
/** Symbolic name without prefix, e.g. "ERROR_FORMAT_MAGIC". Never NULL. */
const char *tca_status_name(tca_status s);
/** 1 if s is a FORMAT_ or CONTAINER_ code (the input is malformed), else 0. */
int tca_status_is_format_error(tca_status s);

#ifdef __cplusplus
}
#endif
#endif
