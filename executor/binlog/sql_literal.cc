#include "executor/binlog/sql_literal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "db/sql.h"

namespace lockstep::binlog {
namespace {

void AppendHex(std::string* out, const std::string& bytes, size_t pad_to) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  out->reserve(out->size() + 3 + 2 * std::max(bytes.size(), pad_to));
  out->append("X'");
  for (unsigned char c : bytes) {
    out->push_back(kDigits[c >> 4]);
    out->push_back(kDigits[c & 15]);
  }
  for (size_t i = bytes.size(); i < pad_to; ++i) out->append("00");
  out->push_back('\'');
}

std::string Fraction(uint32_t micros, uint8_t fsp) {
  if (fsp == 0) return "";
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06u", micros % 1000000);
  return "." + std::string(buf, fsp > 6 ? 6 : fsp);
}

std::string EnumOrSetLiteral(const Value& value, const ColumnSpec& spec) {
  const uint64_t raw = value.AsUnsigned();
  if (spec.elements.empty()) return std::to_string(raw);
  if (value.type() == ColumnType::kEnum) {
    // Index 0 is the '' a non-strict session stores for an invalid value.
    if (raw == 0 || raw > spec.elements.size()) return sql::QuoteString("");
    return sql::QuoteString(spec.elements[raw - 1]);
  }
  std::string members;
  for (size_t i = 0; i < spec.elements.size() && i < 64; ++i) {
    if ((raw >> i) & 1) {
      if (!members.empty()) members += ',';
      members += spec.elements[i];
    }
  }
  return sql::QuoteString(members);
}

}  // namespace

std::string TemporalText(const Value& value) {
  const Temporal& t = value.temporal();
  char buf[64];
  switch (value.type()) {
    case ColumnType::kDate:
    case ColumnType::kNewDate:
      std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", t.year, t.month, t.day);
      return buf;
    case ColumnType::kTime:
    case ColumnType::kTime2:
      std::snprintf(buf, sizeof buf, "%s%02u:%02u:%02u", t.negative ? "-" : "", t.hour, t.minute,
                    t.second);
      return buf + Fraction(t.micros, value.fsp());
    case ColumnType::kDateTime:
    case ColumnType::kDateTime2:
    case ColumnType::kTimestamp:
    case ColumnType::kTimestamp2:
      std::snprintf(buf, sizeof buf, "%04u-%02u-%02u %02u:%02u:%02u", t.year, t.month, t.day,
                    t.hour, t.minute, t.second);
      return buf + Fraction(t.micros, value.fsp());
    default:
      return "";
  }
}

std::string ToSqlLiteral(const Value& value, const ColumnSpec& spec) {
  if (value.is_null()) return "NULL";
  switch (value.type()) {
    case ColumnType::kTiny:
    case ColumnType::kShort:
    case ColumnType::kInt24:
    case ColumnType::kLong:
    case ColumnType::kLongLong:
      return spec.is_unsigned ? std::to_string(value.AsUnsigned())
                              : std::to_string(value.AsSigned());
    case ColumnType::kYear:
      return value.AsUnsigned() == 0 ? "0" : std::to_string(1900 + value.AsUnsigned());
    case ColumnType::kBit:
      return std::to_string(value.AsUnsigned());
    case ColumnType::kEnum:
    case ColumnType::kSet:
      return EnumOrSetLiteral(value, spec);
    case ColumnType::kFloat:
    case ColumnType::kDouble: {
      // A column cannot hold NaN or infinity; NULL is the honest rendering of
      // a value that cannot have come from one.
      if (!std::isfinite(value.AsDouble())) return "NULL";
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17e", value.AsDouble());
      return buf;
    }
    case ColumnType::kNewDecimal:
      return value.bytes();
    case ColumnType::kDate:
    case ColumnType::kNewDate:
    case ColumnType::kTime:
    case ColumnType::kTime2:
    case ColumnType::kDateTime:
    case ColumnType::kDateTime2:
    case ColumnType::kTimestamp:
    case ColumnType::kTimestamp2:
      return "'" + TemporalText(value) + "'";
    case ColumnType::kString:
    case ColumnType::kVarchar:
    case ColumnType::kVarString:
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kBlob:
    case ColumnType::kJson:
    case ColumnType::kGeometry: {
      std::string out;
      const bool binary = spec.is_binary || value.type() == ColumnType::kGeometry;
      if (!binary && !spec.charset.empty()) out = "_" + spec.charset + " ";
      // BINARY(n) lost its trailing 0x00 bytes in the binlog; CHAR's trailing
      // spaces are restored by the server itself.
      const size_t pad = binary && value.type() == ColumnType::kString ? value.declared_length() : 0;
      AppendHex(&out, value.bytes(), pad);
      return out;
    }
    case ColumnType::kNull:
    case ColumnType::kDecimalOld:
      break;
  }
  return "NULL";
}

}  // namespace lockstep::binlog
