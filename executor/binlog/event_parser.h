// Turns the raw bytes of binlog events, as the server sends them, into
// BinlogEvents: checks the CRC32, keeps the TABLE_MAPs of the statement in
// progress, filters tables before any row is decoded, inflates compressed
// events, and decodes rows with RowImageDecoder.
//
// lockstep uses Connector/C only to frame events (mariadb_rpl_fetch) and
// parses every event itself from its raw bytes: the library's own parsing
// differs between 3.3 releases and its row extraction is unusable.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "executor/binlog/binlog_event.h"
#include "executor/binlog/table_map.h"

namespace lockstep::binlog {

// Which tables' rows to decode; an empty field matches any name.
struct TableFilter {
  std::string schema;
  std::string table;

  bool Matches(std::string_view s, std::string_view t) const {
    return (schema.empty() || schema == s) && (table.empty() || table == t);
  }
};

class EventParser {
 public:
  // `checksums`: whether events carry a CRC32 until a FORMAT_DESCRIPTION
  // says otherwise (what the connection negotiated with @master_binlog_checksum).
  EventParser(TableFilter filter, bool checksums) : filter_(std::move(filter)), checksums_(checksums) {}

  // `event` is one whole event: the 19-byte header, the body and the
  // checksum if any. Corrupt input gives an error, never a read past the end.
  [[nodiscard]] Result<BinlogEvent> Parse(std::string_view event);

  // A new connection: table maps are forgotten, `checksums` as negotiated.
  void Reset(bool checksums);

 private:
  Status ParseBody(uint8_t type, std::string_view body, BinlogEvent* ev);
  Status ParseTableMapEvent(std::string_view body, BinlogEvent* ev);
  Status ParseRowsEvent(uint8_t type, std::string_view body, BinlogEvent* ev);
  Status ParseQueryEvent(std::string_view body, bool compressed, BinlogEvent* ev);

  TableFilter filter_;
  bool checksums_;
  // TABLE_MAPs of the statement in progress by table id; nullptr for a table
  // the filter rejected (its rows are skipped undecoded).
  std::unordered_map<uint64_t, std::shared_ptr<const TableMap>> tables_;
  bool next_query_ends_group_ = false;  // after a standalone GTID event
};

}  // namespace lockstep::binlog
