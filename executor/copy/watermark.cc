#include "executor/copy/watermark.h"

namespace lockstep::executor {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string EncodeWatermark(const sql::KeyTuple& key) {
  static const char* kDigits = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    if (i > 0) out += ',';
    for (unsigned char c : key[i]) {
      if (c == '%' || c == ',' || c < 0x20 || c > 0x7E) {
        out += '%';
        out += kDigits[c >> 4];
        out += kDigits[c & 0xF];
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out;
}

Result<sql::KeyTuple> DecodeWatermark(std::string_view text, size_t columns) {
  sql::KeyTuple key(1);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ',') {
      key.emplace_back();
    } else if (c == '%') {
      const bool complete = i + 2 < text.size();
      const int hi = complete ? HexValue(text[i + 1]) : -1;
      const int lo = complete ? HexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return Status::InvalidArgument("malformed copy watermark (bad %-escape at " +
                                       std::to_string(i) + "): " + std::string(text));
      }
      key.back() += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      key.back() += c;
    }
  }
  if (key.size() != columns) {
    return Status::InvalidArgument("copy watermark has " + std::to_string(key.size()) +
                                   " values, the primary key " + std::to_string(columns) +
                                   " columns: " + std::string(text));
  }
  return key;
}

}  // namespace lockstep::executor
