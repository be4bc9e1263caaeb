#include "planner/lint/type_change.h"

#include <cstdint>
#include <cstdlib>
#include <optional>

namespace lockstep::lint {
namespace {

enum class Family { kInteger, kDecimal, kFloat, kBit, kText, kBinary, kTemporal, kEnum, kSet, kOther };

// A type reduced to what decides whether values survive a change.
struct Shape {
  Family family = Family::kOther;
  std::string name;
  bool is_unsigned = false;
  uint64_t size = 0;     // integers, floats: bytes; bit: bits; char/binary: length; text/blob: max bytes
  bool fixed_length = false;  // char, binary: padded
  bool blob_like = false;     // the text and blob types (capacity in bytes, not characters)
  int precision = 0;     // decimal
  int scale = 0;         // decimal
  int fsp = 0;           // fractional seconds of time types
  std::vector<std::string> values;  // enum/set members
};

std::optional<uint64_t> Param(const sql::DataType& t, size_t i) {
  if (i >= t.params.size()) return std::nullopt;
  return std::strtoull(t.params[i].c_str(), nullptr, 10);
}

// Worst-case bytes per character: an unknown charset may be utf8mb4.
uint64_t BytesPerChar(const sql::DataType& t) {
  if (!t.charset) return 4;
  const std::string& cs = *t.charset;
  if (cs == "latin1" || cs == "ascii" || cs == "binary" || cs == "latin2" || cs == "cp1252") return 1;
  if (cs == "ucs2") return 2;
  if (cs == "utf8" || cs == "utf8mb3") return 3;
  return 4;
}

Shape ShapeOf(const sql::DataType& t) {
  Shape s;
  s.name = CanonicalTypeName(t.name);
  s.is_unsigned = t.is_unsigned || t.zerofill;  // ZEROFILL implies UNSIGNED
  s.values = t.values;
  const std::string& n = s.name;
  if (n == "tinyint" || n == "smallint" || n == "mediumint" || n == "int" || n == "bigint") {
    s.family = Family::kInteger;
    s.size = n == "tinyint" ? 1 : n == "smallint" ? 2 : n == "mediumint" ? 3 : n == "int" ? 4 : 8;
  } else if (n == "decimal") {
    s.family = Family::kDecimal;
    s.precision = static_cast<int>(Param(t, 0).value_or(10));
    s.scale = static_cast<int>(Param(t, 1).value_or(0));
  } else if (n == "float" || n == "double") {
    s.family = Family::kFloat;
    s.size = n == "double" ? 8 : 4;
    if (n == "float" && t.params.size() == 1 && Param(t, 0).value_or(0) > 24) s.size = 8;  // float(53)
    if (t.params.size() == 2) {  // FLOAT(M,D): rounds like a decimal
      s.precision = static_cast<int>(Param(t, 0).value_or(0));
      s.scale = static_cast<int>(Param(t, 1).value_or(0));
    }
  } else if (n == "bit") {
    s.family = Family::kBit;
    s.size = Param(t, 0).value_or(1);
  } else if (n == "char" || n == "varchar") {
    s.family = Family::kText;
    s.fixed_length = n == "char";
    s.size = Param(t, 0).value_or(1);
  } else if (n == "tinytext" || n == "text" || n == "mediumtext" || n == "longtext") {
    s.family = Family::kText;
    s.blob_like = true;
    s.size = n == "tinytext" ? 255 : n == "text" ? 65535 : n == "mediumtext" ? 16777215 : 4294967295u;
  } else if (n == "binary" || n == "varbinary") {
    s.family = Family::kBinary;
    s.fixed_length = n == "binary";
    s.size = Param(t, 0).value_or(1);
  } else if (n == "tinyblob" || n == "blob" || n == "mediumblob" || n == "longblob") {
    s.family = Family::kBinary;
    s.blob_like = true;
    s.size = n == "tinyblob" ? 255 : n == "blob" ? 65535 : n == "mediumblob" ? 16777215 : 4294967295u;
  } else if (n == "date" || n == "datetime" || n == "timestamp" || n == "time" || n == "year") {
    s.family = Family::kTemporal;
    s.fsp = static_cast<int>(Param(t, 0).value_or(0));
    if (n == "year") s.fsp = 0;  // year(4) is a display width
  } else if (n == "enum") {
    s.family = Family::kEnum;
  } else if (n == "set") {
    s.family = Family::kSet;
  }
  return s;
}

// Decimal digits an integer type needs.
int IntegerDigits(const Shape& s) {
  switch (s.size) {
    case 1: return 3;
    case 2: return 5;
    case 3: return 8;
    case 4: return 10;
    default: return s.is_unsigned ? 20 : 19;
  }
}

TypeChange Widening() { return {TypeChangeKind::kWidening, ""}; }
TypeChange Narrowing(std::string why) { return {TypeChangeKind::kNarrowing, std::move(why)}; }

TypeChange CompareIntegers(const Shape& a, const Shape& b) {
  if (!a.is_unsigned && b.is_unsigned) return Narrowing("signed to unsigned loses negative values");
  if (a.is_unsigned == b.is_unsigned) {
    if (b.size == a.size) return {TypeChangeKind::kSame, ""};
    return b.size > a.size ? Widening() : Narrowing("the new integer type has a smaller range");
  }
  // unsigned to signed: needs a strictly larger type to keep the top half.
  return b.size > a.size ? Widening() : Narrowing("unsigned to signed of the same size loses the upper half");
}

TypeChange CompareDecimals(int p1, int s1, bool u1, int p2, int s2, bool u2) {
  if (!u1 && u2) return Narrowing("signed to unsigned loses negative values");
  if (p1 == p2 && s1 == s2 && u1 == u2) return {TypeChangeKind::kSame, ""};
  if (s2 >= s1 && p2 - s2 >= p1 - s1) return Widening();
  return Narrowing(s2 < s1 ? "fewer decimal places round values" : "fewer integer digits reject large values");
}

TypeChange CompareText(const Shape& a, const Shape& b, const sql::DataType& to) {
  if (a.family == Family::kEnum || a.family == Family::kSet) {
    // ENUM -> VARCHAR keeps the labels when they fit.
    uint64_t longest = 0;
    for (const std::string& v : a.values) longest = std::max<uint64_t>(longest, v.size());
    if (a.family == Family::kSet) {
      longest = 0;
      for (const std::string& v : a.values) longest += v.size() + 1;
    }
    const uint64_t room = b.blob_like ? b.size / BytesPerChar(to) : b.size;
    return room >= longest ? Widening() : Narrowing("the longest value does not fit");
  }
  if (!a.blob_like && !b.blob_like) {
    if (a.size == b.size && a.fixed_length == b.fixed_length) return {TypeChangeKind::kSame, ""};
    if (!a.fixed_length && b.fixed_length) {
      return Narrowing(a.family == Family::kText ? "CHAR strips the trailing spaces VARCHAR kept"
                                                 : "BINARY pads values with zero bytes");
    }
    return b.size >= a.size ? Widening() : Narrowing("shorter values truncate or reject longer ones");
  }
  if (a.blob_like && !b.blob_like) return Narrowing("a fixed maximum length truncates or rejects longer values");
  if (!a.blob_like && b.blob_like) {
    const uint64_t need = a.family == Family::kText ? a.size * BytesPerChar(to) : a.size;
    return b.size >= need ? Widening() : Narrowing("the new type holds fewer bytes");
  }
  if (a.size == b.size) return {TypeChangeKind::kSame, ""};
  return b.size > a.size ? Widening() : Narrowing("the new type holds fewer bytes");
}

TypeChange CompareTemporal(const Shape& a, const Shape& b) {
  if (a.name == b.name) {
    if (a.fsp == b.fsp) return {TypeChangeKind::kSame, ""};
    return b.fsp > a.fsp ? Widening() : Narrowing("fewer fractional-second digits round values");
  }
  if (a.name == "time" || b.name == "time" || a.name == "year" || b.name == "year") {
    return {TypeChangeKind::kIncompatible, a.name + " values do not convert to " + b.name};
  }
  if (a.name == "date" && b.name == "datetime") return Widening();
  if (a.name == "timestamp" && b.name == "datetime") {
    return b.fsp >= a.fsp ? Widening() : Narrowing("fewer fractional-second digits round values");
  }
  if (b.name == "timestamp") return Narrowing("TIMESTAMP holds only 1970 to 2038");
  if (b.name == "date") return Narrowing("DATE drops the time of day");
  return {TypeChangeKind::kIncompatible, a.name + " values do not convert to " + b.name};
}

}  // namespace

std::string CanonicalTypeName(const std::string& name) {
  if (name == "integer" || name == "int4") return "int";
  if (name == "int1" || name == "bool" || name == "boolean") return "tinyint";
  if (name == "int2") return "smallint";
  if (name == "int3" || name == "middleint") return "mediumint";
  if (name == "int8" || name == "serial") return "bigint";
  if (name == "dec" || name == "numeric" || name == "fixed") return "decimal";
  if (name == "real" || name == "float8") return "double";
  if (name == "float4") return "float";
  if (name == "json") return "longtext";  // MariaDB stores JSON as LONGTEXT
  if (name == "character" || name == "nchar") return "char";
  if (name == "nvarchar") return "varchar";
  return name;
}

bool IsCharacterType(const sql::DataType& type) {
  const Shape s = ShapeOf(type);
  return s.family == Family::kText || s.family == Family::kEnum || s.family == Family::kSet;
}

TypeChange ClassifyTypeChange(const sql::DataType& from, const sql::DataType& to) {
  const Shape a = ShapeOf(from);
  const Shape b = ShapeOf(to);
  if ((a.family == Family::kEnum && b.family == Family::kEnum) ||
      (a.family == Family::kSet && b.family == Family::kSet)) {
    return {TypeChangeKind::kEnumOrSet, ""};
  }
  if (a.family == Family::kInteger && b.family == Family::kInteger) return CompareIntegers(a, b);
  if (a.family == Family::kDecimal && b.family == Family::kDecimal) {
    return CompareDecimals(a.precision, a.scale, a.is_unsigned, b.precision, b.scale, b.is_unsigned);
  }
  if (a.family == Family::kInteger && b.family == Family::kDecimal) {
    const TypeChange change =
        CompareDecimals(IntegerDigits(a), 0, a.is_unsigned, b.precision, b.scale, b.is_unsigned);
    return change.kind == TypeChangeKind::kSame ? Widening() : change;  // same values, other type
  }
  if (a.family == Family::kFloat && b.family == Family::kFloat) {
    if (!a.is_unsigned && b.is_unsigned) return Narrowing("signed to unsigned loses negative values");
    if (a.precision > 0 || b.precision > 0) {
      if (a.precision > 0 && b.precision > 0 && b.size >= a.size) {
        return CompareDecimals(a.precision, a.scale, a.is_unsigned, b.precision, b.scale, b.is_unsigned);
      }
      if (b.precision > 0) return Narrowing("FLOAT(M,D) rounds values");
      return b.size >= a.size ? Widening() : Narrowing("DOUBLE to FLOAT loses precision");
    }
    if (a.size == b.size && a.is_unsigned == b.is_unsigned) return {TypeChangeKind::kSame, ""};
    return b.size >= a.size ? Widening() : Narrowing("DOUBLE to FLOAT loses precision");
  }
  if (a.family == Family::kInteger && b.family == Family::kFloat) {
    // A float holds integers exactly up to 2^24, a double up to 2^53.
    if (!a.is_unsigned && b.is_unsigned) return Narrowing("signed to unsigned loses negative values");
    const uint64_t exact_bytes = b.size == 8 ? 6 : 3;
    return a.size <= exact_bytes && b.precision == 0 ? Widening()
                                                     : Narrowing("large integers lose precision as floating point");
  }
  if (a.family == Family::kBit && b.family == Family::kBit) {
    if (a.size == b.size) return {TypeChangeKind::kSame, ""};
    return b.size > a.size ? Widening() : Narrowing("fewer bits truncate values");
  }
  const bool a_text = a.family == Family::kText || a.family == Family::kEnum || a.family == Family::kSet;
  if (a_text && b.family == Family::kText) return CompareText(a, b, to);
  if (a.family == Family::kBinary && b.family == Family::kBinary) return CompareText(a, b, to);
  if (a.family == Family::kTemporal && b.family == Family::kTemporal) return CompareTemporal(a, b);
  if (a.family == Family::kOther && b.family == Family::kOther && a.name == b.name &&
      from.params == to.params) {
    return {TypeChangeKind::kSame, ""};
  }
  return {TypeChangeKind::kIncompatible,
          from.name + " values do not convert to " + to.name + " without loss or reinterpretation"};
}

}  // namespace lockstep::lint
