// MariaDB's compressed binlog payloads (log_bin_compress=ON): QUERY text and
// row data of the *_COMPRESSED events.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace lockstep::binlog {

// Format (binlog_buf_compress): one byte 0x80 | n (n = 1-4, the algorithm in
// bits 4-6 is 0 = zlib), n bytes of the uncompressed length big-endian, then
// a zlib stream. Anything else, or a stream that does not inflate to exactly
// the announced length, is an error.
[[nodiscard]] Result<std::string> UncompressPayload(std::string_view payload);

}  // namespace lockstep::binlog
