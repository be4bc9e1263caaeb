// A bounds-checked cursor over an event's bytes.
//
// Every read checks what is left first, so a truncated or corrupt event ends
// in a failed read (false) that the decoder turns into a Status, never in a
// read past the buffer. Inline: it is on the path of every decoded value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace lockstep::binlog {

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : pos_(data), end_(data + size) {}
  explicit ByteReader(std::string_view bytes)
      : ByteReader(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()) {}

  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }
  const uint8_t* position() const { return pos_; }

  [[nodiscard]] bool Skip(size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }

  // Points `*out` at the next n bytes and moves past them.
  [[nodiscard]] bool Bytes(size_t n, const uint8_t** out) {
    if (remaining() < n) return false;
    *out = pos_;
    pos_ += n;
    return true;
  }

  [[nodiscard]] bool U8(uint8_t* out) {
    if (remaining() < 1) return false;
    *out = *pos_++;
    return true;
  }

  // n bytes (1-8), little-endian, zero-extended.
  [[nodiscard]] bool UintLE(size_t n, uint64_t* out) {
    if (n > 8 || remaining() < n) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(pos_[i]) << (8 * i);
    pos_ += n;
    *out = v;
    return true;
  }

  // n bytes (1-8), big-endian, zero-extended: the order of DECIMAL, BIT and
  // the MySQL 5.6 temporal formats, so that they compare as memcmp.
  [[nodiscard]] bool UintBE(size_t n, uint64_t* out) {
    if (n > 8 || remaining() < n) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | pos_[i];
    pos_ += n;
    *out = v;
    return true;
  }

  // The protocol's length-encoded integer (1, 3, 4 or 9 bytes).
  [[nodiscard]] bool PackedInt(uint64_t* out) {
    uint8_t first;
    if (!U8(&first)) return false;
    if (first < 251) {
      *out = first;
      return true;
    }
    if (first == 252) return UintLE(2, out);
    if (first == 253) return UintLE(3, out);
    if (first == 254) return UintLE(8, out);
    return false;  // 251 is SQL NULL in result sets, 255 is invalid: neither belongs here
  }

 private:
  const uint8_t* pos_;
  const uint8_t* end_;
};

}  // namespace lockstep::binlog
