// The copy watermark: the key of the last row copied, as text the caller can
// persist in a checkpoint and hand back on resume.
//
// Values are joined with ',' and percent-encoded: '%', ',' and every byte
// outside printable ASCII become %XX, so any key (binary included) round-trips
// and an integer key reads as itself: "42", "7,abc".
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "db/copy_sql.h"

namespace lockstep::executor {

std::string EncodeWatermark(const sql::KeyTuple& key);
// InvalidArgument when the text is malformed or does not hold `columns` values.
Result<sql::KeyTuple> DecodeWatermark(std::string_view text, size_t columns);

}  // namespace lockstep::executor
