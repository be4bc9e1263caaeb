#include "executor/binlog/compressed_payload.h"

#include <zlib.h>

#include <cstdint>

namespace lockstep::binlog {

Result<std::string> UncompressPayload(std::string_view payload) {
  if (payload.empty()) return Status::Internal("empty compressed payload");
  const uint8_t first = static_cast<uint8_t>(payload[0]);
  const size_t len_bytes = first & 0x07;
  if ((first & 0xf0) != 0x80 || len_bytes < 1 || len_bytes > 4 || payload.size() < 1 + len_bytes) {
    return Status::Internal("unknown compressed payload header");
  }
  uint64_t length = 0;
  for (size_t i = 0; i < len_bytes; ++i) {
    length = (length << 8) | static_cast<uint8_t>(payload[1 + i]);
  }
  // zlib cannot inflate more than about 1032 times its input: a larger claim
  // is corrupt, and must not make us allocate it.
  const size_t compressed = payload.size() - 1 - len_bytes;
  if (length > compressed * 1032 + 64) {
    return Status::Internal("compressed payload claims " + std::to_string(length) +
                            " bytes from " + std::to_string(compressed));
  }
  std::string out(length, '\0');
  uLongf out_len = static_cast<uLongf>(length);
  const auto* src = reinterpret_cast<const Bytef*>(payload.data() + 1 + len_bytes);
  const int rc = uncompress(reinterpret_cast<Bytef*>(out.data()), &out_len, src,
                            static_cast<uLong>(compressed));
  if (rc != Z_OK || out_len != length) {
    return Status::Internal("compressed payload does not inflate (zlib " + std::to_string(rc) + ")");
  }
  return out;
}

}  // namespace lockstep::binlog
