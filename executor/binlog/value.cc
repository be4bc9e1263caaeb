#include "executor/binlog/value.h"

#include <cstdio>

namespace lockstep::binlog {

Value Value::Null(ColumnType type) {
  Value v;
  v.type_ = type;
  return v;
}

Value Value::Integer(ColumnType type, uint64_t raw, uint8_t width) {
  Value v;
  v.type_ = type;
  v.null_ = false;
  v.raw_ = raw;
  v.width_ = width;
  return v;
}

Value Value::Float(float f) {
  Value v;
  v.type_ = ColumnType::kFloat;
  v.null_ = false;
  v.dbl_ = static_cast<double>(f);
  v.width_ = 4;
  return v;
}

Value Value::Double(double d) {
  Value v;
  v.type_ = ColumnType::kDouble;
  v.null_ = false;
  v.dbl_ = d;
  v.width_ = 8;
  return v;
}

Value Value::Bytes(ColumnType type, std::string bytes, uint32_t declared_length) {
  Value v;
  v.type_ = type;
  v.null_ = false;
  v.bytes_ = std::move(bytes);
  v.declared_length_ = declared_length;
  return v;
}

Value Value::Time(ColumnType type, const Temporal& t, uint8_t fsp) {
  Value v;
  v.type_ = type;
  v.null_ = false;
  v.temporal_ = t;
  v.fsp_ = fsp;
  return v;
}

int64_t Value::AsSigned() const {
  if (width_ == 0 || width_ >= 8) return static_cast<int64_t>(raw_);
  const unsigned shift = 64 - 8 * width_;
  // Shift the sign bit of the narrow value into bit 63, then back (arithmetic).
  return static_cast<int64_t>(raw_ << shift) >> shift;
}

std::string Value::DebugString() const {
  std::string out = ColumnTypeName(type_);
  if (null_) return out + "=NULL";
  char buf[96];
  switch (type_) {
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      std::snprintf(buf, sizeof buf, "=%.17g", dbl_);
      return out + buf;
    case ColumnType::kDate:
    case ColumnType::kTime:
    case ColumnType::kTime2:
    case ColumnType::kDateTime:
    case ColumnType::kDateTime2:
    case ColumnType::kTimestamp:
    case ColumnType::kTimestamp2: {
      const Temporal& t = temporal_;
      std::snprintf(buf, sizeof buf, "=%s%04u-%02u-%02u %02u:%02u:%02u.%06u/%u",
                    t.negative ? "-" : "", t.year, t.month, t.day, t.hour, t.minute, t.second,
                    t.micros, fsp_);
      return out + buf;
    }
    default:
      break;
  }
  if (width_ != 0) {
    std::snprintf(buf, sizeof buf, "(%u bytes)=0x%llx", width_,
                  static_cast<unsigned long long>(raw_));
    return out + buf;
  }
  out += "='";
  for (size_t i = 0; i < bytes_.size() && i < 64; ++i) {
    const unsigned char c = static_cast<unsigned char>(bytes_[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (bytes_.size() > 64) out += "...(" + std::to_string(bytes_.size()) + " bytes)";
  return out + "'";
}

bool Value::operator==(const Value& o) const {
  return type_ == o.type_ && null_ == o.null_ && width_ == o.width_ && fsp_ == o.fsp_ &&
         raw_ == o.raw_ && dbl_ == o.dbl_ && temporal_ == o.temporal_ && bytes_ == o.bytes_;
}

}  // namespace lockstep::binlog
