#include "executor/binlog/column_decoder.h"

#include <cstring>
#include <string>

namespace lockstep::binlog {
namespace {

// Bytes used by a group of 0-9 decimal digits in the DECIMAL binary format.
constexpr int kDigitsToBytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
constexpr uint32_t kPowersOf10[10] = {1,      10,      100,      1000,      10000,
                                      100000, 1000000, 10000000, 100000000, 1000000000};

Status Truncated(const ColumnInfo& column) {
  return Status::Internal(std::string("row image ends inside a ") + ColumnTypeName(column.type) +
                          " value");
}

Status Corrupt(const ColumnInfo& column, const char* what) {
  return Status::Internal(std::string("invalid ") + ColumnTypeName(column.type) + " value: " + what);
}

// Bytes of the fractional part of TIME2/DATETIME2/TIMESTAMP2 for `fsp` digits.
size_t FractionBytes(uint8_t fsp) { return (fsp + 1u) / 2u; }

void AppendPadded(std::string* out, uint32_t v, int digits) {
  char buf[16];
  for (int i = digits - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out->append(buf, static_cast<size_t>(digits));
}

// MySQL 5.6 TIME2 (my_time_packed_from_binary): 3 bytes big-endian of
// (sign offset, 10-bit hour, 6-bit minute, 6-bit second) plus 0-3 bytes of
// fraction. A negative value is the two's complement of the whole packed
// number, so a 1-2 byte fraction of a negative time borrows one second from
// the integer part; a 3-byte fraction is part of one 6-byte number.
bool DecodeTime2(ByteReader& r, uint8_t fsp, Temporal* t) {
  uint64_t int_raw;
  if (!r.UintBE(3, &int_raw)) return false;
  int64_t int_part = static_cast<int64_t>(int_raw) - 0x800000;
  const size_t fbytes = FractionBytes(fsp);
  uint64_t frac_raw = 0;
  if (fbytes > 0 && !r.UintBE(fbytes, &frac_raw)) return false;
  int64_t frac = static_cast<int64_t>(frac_raw);
  if (fbytes == 1 || fbytes == 2) {
    if (int_part < 0 && frac != 0) {
      int_part += 1;
      frac -= static_cast<int64_t>(1) << (8 * fbytes);
    }
    frac *= fbytes == 1 ? 10000 : 100;
  }
  int64_t packed = int_part * (int64_t{1} << 24) + frac;
  t->negative = packed < 0;
  if (packed < 0) packed = -packed;
  const int64_t hms = packed >> 24;
  t->hour = static_cast<uint32_t>((hms >> 12) % (1 << 10));
  t->minute = static_cast<uint32_t>((hms >> 6) % (1 << 6));
  t->second = static_cast<uint32_t>(hms % (1 << 6));
  t->micros = static_cast<uint32_t>(packed % (1 << 24));
  return t->micros <= 999999 && t->minute < 60 && t->second < 60;
}

// MySQL 5.6 DATETIME2: 5 bytes big-endian of (1-bit sign, 17 year*13+month,
// 5 day, 5 hour, 6 minute, 6 second) plus the fraction (never negative).
bool DecodeDateTime2(ByteReader& r, uint8_t fsp, Temporal* t) {
  uint64_t raw;
  if (!r.UintBE(5, &raw)) return false;
  const int64_t int_part = static_cast<int64_t>(raw) - 0x8000000000LL;
  if (int_part < 0) return false;  // a DATETIME is never negative
  uint64_t frac = 0;
  const size_t fbytes = FractionBytes(fsp);
  if (fbytes > 0 && !r.UintBE(fbytes, &frac)) return false;
  if (fbytes == 1) frac *= 10000;
  if (fbytes == 2) frac *= 100;
  if (frac > 999999) return false;
  const uint64_t ymdhms = static_cast<uint64_t>(int_part);
  const uint64_t ymd = ymdhms >> 17;
  const uint64_t ym = ymd >> 5;
  const uint64_t hms = ymdhms % (1 << 17);
  t->day = static_cast<uint32_t>(ymd % (1 << 5));
  t->month = static_cast<uint32_t>(ym % 13);
  t->year = static_cast<uint32_t>(ym / 13);
  t->second = static_cast<uint32_t>(hms % (1 << 6));
  t->minute = static_cast<uint32_t>((hms >> 6) % (1 << 6));
  t->hour = static_cast<uint32_t>(hms >> 12);
  t->micros = static_cast<uint32_t>(frac);
  return true;
}

bool DecodeTimestamp2(ByteReader& r, uint8_t fsp, Temporal* t) {
  uint64_t seconds;
  if (!r.UintBE(4, &seconds)) return false;
  uint64_t frac = 0;
  const size_t fbytes = FractionBytes(fsp);
  if (fbytes > 0 && !r.UintBE(fbytes, &frac)) return false;
  if (fbytes == 1) frac *= 10000;
  if (fbytes == 2) frac *= 100;
  if (frac > 999999) return false;
  // 0 is the zero TIMESTAMP '0000-00-00 00:00:00', not the epoch.
  *t = seconds == 0 ? Temporal{} : CivilFromUnixSeconds(static_cast<int64_t>(seconds));
  t->micros = static_cast<uint32_t>(frac);
  return true;
}

Status DecodeString(ByteReader& r, const ColumnInfo& column, size_t prefix_bytes,
                    uint32_t declared_length, Value* out) {
  uint64_t length;
  const uint8_t* data;
  if (!r.UintLE(prefix_bytes, &length) || !r.Bytes(length, &data)) return Truncated(column);
  *out = Value::Bytes(column.type, std::string(reinterpret_cast<const char*>(data), length),
                      declared_length);
  return Status::Ok();
}

Status DecodeInteger(ByteReader& r, const ColumnInfo& column, uint8_t width, Value* out) {
  uint64_t v;
  if (!r.UintLE(width, &v)) return Truncated(column);
  *out = Value::Integer(column.type, v, width);
  return Status::Ok();
}

}  // namespace

size_t DecimalBinarySize(int precision, int scale) {
  const int intg = precision - scale;
  return static_cast<size_t>((intg / 9) * 4 + kDigitsToBytes[intg % 9] + (scale / 9) * 4 +
                             kDigitsToBytes[scale % 9]);
}

// MariaDB's binary DECIMAL (decimal2bin): the integer digits then the
// fraction digits, in groups of 9 digits per 4 bytes (a partial group at the
// far ends uses 1-4 bytes), big-endian; the sign bit is the top bit of the
// first byte inverted, and a negative number has every byte inverted.
bool DecimalToText(const uint8_t* data, size_t size, int precision, int scale, std::string* out) {
  if (precision < 1 || precision > 65 || scale < 0 || scale > precision) return false;
  if (size != DecimalBinarySize(precision, scale)) return false;
  uint8_t buf[40];
  std::memcpy(buf, data, size);
  const bool negative = (buf[0] & 0x80) == 0;
  buf[0] ^= 0x80;
  if (negative) {
    for (size_t i = 0; i < size; ++i) buf[i] ^= 0xff;
  }
  ByteReader r(buf, size);
  const int intg = precision - scale;
  std::string digits;
  auto group = [&](int ndigits, std::string* dst) {
    uint64_t v;
    if (!r.UintBE(static_cast<size_t>(kDigitsToBytes[ndigits]), &v)) return false;
    if (v >= kPowersOf10[ndigits]) return false;
    AppendPadded(dst, static_cast<uint32_t>(v), ndigits);
    return true;
  };
  if (intg % 9 != 0 && !group(intg % 9, &digits)) return false;
  for (int i = 0; i < intg / 9; ++i) {
    if (!group(9, &digits)) return false;
  }
  std::string frac;
  for (int i = 0; i < scale / 9; ++i) {
    if (!group(9, &frac)) return false;
  }
  if (scale % 9 != 0 && !group(scale % 9, &frac)) return false;
  const size_t first = digits.find_first_not_of('0');
  out->clear();
  if (negative) out->push_back('-');
  if (first == std::string::npos) {
    out->push_back('0');
  } else {
    out->append(digits, first, std::string::npos);
  }
  if (scale > 0) {
    out->push_back('.');
    out->append(frac);
  }
  return true;
}

Temporal CivilFromUnixSeconds(int64_t seconds) {
  // Howard Hinnant's days-to-civil algorithm: exact for the proleptic
  // Gregorian calendar, independent of the process's time zone.
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  Temporal t;
  t.year = static_cast<uint32_t>(y);
  t.month = static_cast<uint32_t>(m);
  t.day = static_cast<uint32_t>(d);
  t.hour = static_cast<uint32_t>(rem / 3600);
  t.minute = static_cast<uint32_t>(rem / 60 % 60);
  t.second = static_cast<uint32_t>(rem % 60);
  return t;
}

Status DecodeColumnValue(ByteReader& r, const ColumnInfo& column, Value* out) {
  switch (column.type) {
    case ColumnType::kTiny:
      return DecodeInteger(r, column, 1, out);
    case ColumnType::kShort:
      return DecodeInteger(r, column, 2, out);
    case ColumnType::kInt24:
      return DecodeInteger(r, column, 3, out);
    case ColumnType::kLong:
      return DecodeInteger(r, column, 4, out);
    case ColumnType::kLongLong:
      return DecodeInteger(r, column, 8, out);
    case ColumnType::kYear:
      // 0 is YEAR 0000, anything else 1900 + v: kept raw, rendered by ToSqlLiteral.
      return DecodeInteger(r, column, 1, out);
    case ColumnType::kEnum:
    case ColumnType::kSet:
      return DecodeInteger(r, column, static_cast<uint8_t>(column.max_length), out);
    case ColumnType::kBit: {
      const uint8_t width = static_cast<uint8_t>((column.bits + 7) / 8);
      uint64_t v;
      if (!r.UintBE(width, &v)) return Truncated(column);
      if (column.bits < 64 && (v >> column.bits) != 0) return Corrupt(column, "bits past the width");
      *out = Value::Integer(column.type, v, width);
      return Status::Ok();
    }
    case ColumnType::kFloat: {
      const uint8_t* p;
      if (!r.Bytes(4, &p)) return Truncated(column);
      float f;
      std::memcpy(&f, p, 4);  // IEEE 754 little-endian, as the server wrote it
      *out = Value::Float(f);
      return Status::Ok();
    }
    case ColumnType::kDouble: {
      const uint8_t* p;
      if (!r.Bytes(8, &p)) return Truncated(column);
      double d;
      std::memcpy(&d, p, 8);
      *out = Value::Double(d);
      return Status::Ok();
    }
    case ColumnType::kNewDecimal: {
      const size_t size = DecimalBinarySize(column.precision, column.scale);
      const uint8_t* p;
      if (!r.Bytes(size, &p)) return Truncated(column);
      std::string text;
      if (!DecimalToText(p, size, column.precision, column.scale, &text)) {
        return Corrupt(column, "digit group out of range");
      }
      *out = Value::Bytes(column.type, std::move(text));
      return Status::Ok();
    }
    case ColumnType::kString:
      return DecodeString(r, column, column.max_length > 255 ? 2 : 1, column.max_length, out);
    case ColumnType::kVarchar:
      return DecodeString(r, column, column.max_length > 255 ? 2 : 1, column.max_length, out);
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kBlob:
    case ColumnType::kGeometry:
    case ColumnType::kJson:
      return DecodeString(r, column, column.length_bytes, 0, out);
    case ColumnType::kDate:
    case ColumnType::kNewDate: {
      uint64_t v;
      if (!r.UintLE(3, &v)) return Truncated(column);
      Temporal t;
      t.day = static_cast<uint32_t>(v & 31);
      t.month = static_cast<uint32_t>((v >> 5) & 15);
      t.year = static_cast<uint32_t>(v >> 9);
      *out = Value::Time(ColumnType::kDate, t, 0);
      return Status::Ok();
    }
    case ColumnType::kTime2: {
      Temporal t;
      if (!DecodeTime2(r, column.fsp, &t)) return Corrupt(column, "truncated or out of range");
      *out = Value::Time(column.type, t, column.fsp);
      return Status::Ok();
    }
    case ColumnType::kDateTime2: {
      Temporal t;
      if (!DecodeDateTime2(r, column.fsp, &t)) return Corrupt(column, "truncated or out of range");
      *out = Value::Time(column.type, t, column.fsp);
      return Status::Ok();
    }
    case ColumnType::kTimestamp2: {
      Temporal t;
      if (!DecodeTimestamp2(r, column.fsp, &t)) return Corrupt(column, "truncated or out of range");
      *out = Value::Time(column.type, t, column.fsp);
      return Status::Ok();
    }
    case ColumnType::kNull:
      *out = Value::Null(column.type);
      return Status::Ok();
    case ColumnType::kTime:       // refused with the TABLE_MAP: see table_map.cc
    case ColumnType::kDateTime:
    case ColumnType::kTimestamp:
    case ColumnType::kDecimalOld:
    case ColumnType::kVarString:
      break;
  }
  return Status::Internal(std::string("cannot decode column type ") + ColumnTypeName(column.type));
}

}  // namespace lockstep::binlog
