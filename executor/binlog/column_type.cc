#include "executor/binlog/column_type.h"

namespace lockstep::binlog {

const char* ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kDecimalOld: return "DECIMAL(old)";
    case ColumnType::kTiny: return "TINYINT";
    case ColumnType::kShort: return "SMALLINT";
    case ColumnType::kLong: return "INT";
    case ColumnType::kFloat: return "FLOAT";
    case ColumnType::kDouble: return "DOUBLE";
    case ColumnType::kNull: return "NULL";
    case ColumnType::kTimestamp: return "TIMESTAMP(old)";
    case ColumnType::kLongLong: return "BIGINT";
    case ColumnType::kInt24: return "MEDIUMINT";
    case ColumnType::kDate: return "DATE";
    case ColumnType::kTime: return "TIME(old)";
    case ColumnType::kDateTime: return "DATETIME(old)";
    case ColumnType::kYear: return "YEAR";
    case ColumnType::kNewDate: return "NEWDATE";
    case ColumnType::kVarchar: return "VARCHAR";
    case ColumnType::kBit: return "BIT";
    case ColumnType::kTimestamp2: return "TIMESTAMP";
    case ColumnType::kDateTime2: return "DATETIME";
    case ColumnType::kTime2: return "TIME";
    case ColumnType::kJson: return "JSON";
    case ColumnType::kNewDecimal: return "DECIMAL";
    case ColumnType::kEnum: return "ENUM";
    case ColumnType::kSet: return "SET";
    case ColumnType::kTinyBlob: return "TINYBLOB";
    case ColumnType::kMediumBlob: return "MEDIUMBLOB";
    case ColumnType::kLongBlob: return "LONGBLOB";
    case ColumnType::kBlob: return "BLOB";
    case ColumnType::kVarString: return "VAR_STRING";
    case ColumnType::kString: return "CHAR";
    case ColumnType::kGeometry: return "GEOMETRY";
  }
  return "UNKNOWN";
}

bool IsIntegerType(ColumnType type) {
  switch (type) {
    case ColumnType::kTiny:
    case ColumnType::kShort:
    case ColumnType::kInt24:
    case ColumnType::kLong:
    case ColumnType::kLongLong:
      return true;
    default:
      return false;
  }
}

int MetadataSize(uint8_t binlog_type) {
  switch (static_cast<ColumnType>(binlog_type)) {
    case ColumnType::kTiny:
    case ColumnType::kShort:
    case ColumnType::kInt24:
    case ColumnType::kLong:
    case ColumnType::kLongLong:
    case ColumnType::kNull:
    case ColumnType::kDate:
    case ColumnType::kNewDate:
    case ColumnType::kYear:
    case ColumnType::kTime:
    case ColumnType::kDateTime:
    case ColumnType::kTimestamp:
      return 0;
    case ColumnType::kFloat:
    case ColumnType::kDouble:
    case ColumnType::kTime2:
    case ColumnType::kDateTime2:
    case ColumnType::kTimestamp2:
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kBlob:
    case ColumnType::kGeometry:
    case ColumnType::kJson:
      return 1;
    case ColumnType::kVarchar:
    case ColumnType::kVarString:
    case ColumnType::kString:
    case ColumnType::kEnum:
    case ColumnType::kSet:
    case ColumnType::kNewDecimal:
    case ColumnType::kBit:
      return 2;
    case ColumnType::kDecimalOld:
      return -1;
  }
  return -1;
}

bool DecodeColumnInfo(uint8_t binlog_type, const uint8_t* meta, ColumnInfo* out) {
  ColumnInfo info;
  info.type = static_cast<ColumnType>(binlog_type);
  switch (info.type) {
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      info.max_length = meta[0];
      if (info.max_length != (info.type == ColumnType::kFloat ? 4u : 8u)) return false;
      break;
    case ColumnType::kTime2:
    case ColumnType::kDateTime2:
    case ColumnType::kTimestamp2:
      info.fsp = meta[0];
      if (info.fsp > 6) return false;
      break;
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kBlob:
    case ColumnType::kGeometry:
    case ColumnType::kJson:
      // The four blob sizes are all written as kBlob; the prefix width tells them apart.
      info.length_bytes = meta[0];
      if (info.length_bytes < 1 || info.length_bytes > 4) return false;
      break;
    case ColumnType::kVarchar:
    case ColumnType::kVarString:
      info.type = ColumnType::kVarchar;
      info.max_length = static_cast<uint32_t>(meta[0]) | (static_cast<uint32_t>(meta[1]) << 8);
      break;
    case ColumnType::kString:
    case ColumnType::kEnum:
    case ColumnType::kSet: {
      // CHAR, BINARY, ENUM and SET are all written as MYSQL_TYPE_STRING with
      // the real type in the first byte. A CHAR longer than 255 bytes keeps
      // the two high bits of its length in bits 4-5 of that byte, inverted
      // (this packing is what Connector/C's own decoder gets wrong).
      uint8_t real = meta[0];
      uint32_t length = meta[1];
      if ((real & 0x30) != 0x30) {
        length |= static_cast<uint32_t>((real & 0x30) ^ 0x30) << 4;
        real |= 0x30;
      }
      info.max_length = length;
      switch (real) {
        case static_cast<uint8_t>(ColumnType::kString):
          info.type = ColumnType::kString;
          break;
        case static_cast<uint8_t>(ColumnType::kEnum):
          info.type = ColumnType::kEnum;
          if (length < 1 || length > 2) return false;
          break;
        case static_cast<uint8_t>(ColumnType::kSet):
          info.type = ColumnType::kSet;
          if (length < 1 || length > 8) return false;
          break;
        default:
          return false;
      }
      break;
    }
    case ColumnType::kNewDecimal:
      info.precision = meta[0];
      info.scale = meta[1];
      if (info.precision < 1 || info.precision > 65 || info.scale > 38 ||
          info.scale > info.precision) {
        return false;
      }
      break;
    case ColumnType::kBit: {
      const unsigned bits = meta[0] + 8u * meta[1];
      if (meta[0] > 7 || bits < 1 || bits > 64) return false;
      info.bits = static_cast<uint16_t>(bits);
      break;
    }
    default:
      // Types without metadata (integers, DATE, old TIME/DATETIME/TIMESTAMP,
      // YEAR, NULL) need nothing decoded; any other type is unknown.
      if (MetadataSize(binlog_type) != 0) return false;
      break;
  }
  *out = info;
  return true;
}

}  // namespace lockstep::binlog
