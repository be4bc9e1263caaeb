#include "executor/binlog/table_map.h"

#include "executor/binlog/byte_reader.h"

namespace lockstep::binlog {
namespace {

Status Malformed(const char* what) {
  return Status::Internal(std::string("malformed TABLE_MAP event: ") + what);
}

// Post-header: table id (6 bytes), flags (2). Then schema and table, each a
// length byte, the name and a NUL.
Status ReadHeader(ByteReader& r, TableMapHeader* out) {
  uint64_t flags;
  uint8_t len;
  const uint8_t* name;
  if (!r.UintLE(6, &out->table_id) || !r.UintLE(2, &flags)) return Malformed("short post-header");
  if (!r.U8(&len) || !r.Bytes(len, &name) || !r.Skip(1)) return Malformed("short schema name");
  out->schema = std::string_view(reinterpret_cast<const char*>(name), len);
  if (!r.U8(&len) || !r.Bytes(len, &name) || !r.Skip(1)) return Malformed("short table name");
  out->table = std::string_view(reinterpret_cast<const char*>(name), len);
  return Status::Ok();
}

}  // namespace

Result<TableMapHeader> ParseTableMapHeader(std::string_view body) {
  ByteReader r(body);
  TableMapHeader header;
  LOCKSTEP_RETURN_IF_ERROR(ReadHeader(r, &header));
  return header;
}

Result<TableMap> ParseTableMap(std::string_view body) {
  ByteReader r(body);
  TableMapHeader header;
  LOCKSTEP_RETURN_IF_ERROR(ReadHeader(r, &header));
  TableMap map;
  map.table_id = header.table_id;
  map.schema = std::string(header.schema);
  map.table = std::string(header.table);

  uint64_t ncols;
  const uint8_t* types;
  // 4096 is the most columns a MariaDB table can have; more means corruption.
  if (!r.PackedInt(&ncols) || ncols == 0 || ncols > 4096) return Malformed("bad column count");
  if (!r.Bytes(ncols, &types)) return Malformed("short column types");
  uint64_t meta_len;
  const uint8_t* meta;
  if (!r.PackedInt(&meta_len) || !r.Bytes(meta_len, &meta)) return Malformed("short metadata");
  const uint8_t* nulls;
  if (!r.Bytes((ncols + 7) / 8, &nulls)) return Malformed("short null bitmap");
  // What follows is the optional metadata (binlog_row_metadata): not used.

  map.columns.resize(ncols);
  size_t m = 0;
  for (size_t i = 0; i < ncols; ++i) {
    const auto type = static_cast<ColumnType>(types[i]);
    if (type == ColumnType::kTime || type == ColumnType::kDateTime ||
        type == ColumnType::kTimestamp) {
      // MariaDB 10.11 writes TIME2/DATETIME2/TIMESTAMP2 for every table it
      // creates. The old codes come from tables of the pre-10.1 format, whose
      // high-resolution values have a width the binlog does not give: refuse
      // rather than guess.
      return Status::FailedPrecondition(
          "TABLE_MAP of " + map.schema + "." + map.table + ": column " + std::to_string(i + 1) +
          " is a " + ColumnTypeName(type) +
          " of the pre-10.1 format (/* mariadb-5.3 */ in SHOW CREATE TABLE), whose width the "
          "binlog does not carry; rebuild the table (ALTER TABLE ... FORCE) first");
    }
    const int size = MetadataSize(types[i]);
    if (size < 0) {
      return Status::Internal("TABLE_MAP of " + map.schema + "." + map.table + ": column " +
                              std::to_string(i + 1) + " has binlog type " +
                              std::to_string(types[i]) + ", which lockstep cannot decode");
    }
    if (m + static_cast<size_t>(size) > meta_len) return Malformed("metadata shorter than types");
    uint8_t padded[2] = {0, 0};  // types without metadata read zeros
    for (int k = 0; k < size; ++k) padded[k] = meta[m + static_cast<size_t>(k)];
    if (!DecodeColumnInfo(types[i], padded, &map.columns[i])) {
      return Status::Internal("TABLE_MAP of " + map.schema + "." + map.table + ": column " +
                              std::to_string(i + 1) + " has invalid metadata for type " +
                              std::to_string(types[i]));
    }
    map.columns[i].nullable = (nulls[i / 8] >> (i % 8)) & 1;
    m += static_cast<size_t>(size);
  }
  if (m != meta_len) return Malformed("metadata longer than types");
  return map;
}

}  // namespace lockstep::binlog
