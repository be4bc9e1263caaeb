// lockstep's model of the binlog: the events a BinlogStream hands out and
// the row changes decoded from them.
//
// A row is a vector of Values by column position: names are not in the
// binlog (without binlog_row_metadata=FULL), so the applier maps positions
// to names from its own knowledge of the table at that point of the stream.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "executor/binlog/table_map.h"
#include "executor/binlog/value.h"

namespace lockstep::binlog {

// A MariaDB GTID: domain-server-sequence.
struct Gtid {
  uint32_t domain_id = 0;
  uint32_t server_id = 0;
  uint64_t seq_no = 0;

  std::string ToString() const;  // "1-1-42"
  bool operator==(const Gtid&) const = default;
};

enum class RowChangeKind { kInsert, kUpdate, kDelete };
const char* RowChangeKindName(RowChangeKind kind);

// One column value per position; a column absent from the image (only with
// binlog_row_image other than FULL, which the planner refuses) is a NULL
// Value of type kNull.
using Row = std::vector<Value>;

struct RowChange {
  RowChangeKind kind = RowChangeKind::kInsert;
  std::shared_ptr<const TableMap> table;  // schema, table and column types
  std::optional<Row> before;              // update, delete
  std::optional<Row> after;               // insert, update
  // Which columns an image holds, by position, when it does not hold them all
  // (binlog_row_image MINIMAL or NOBLOB); null for a full image. An absent
  // column reads as NULL in the Row: only this tells it from a real NULL.
  std::shared_ptr<const std::vector<bool>> before_present;
  std::shared_ptr<const std::vector<bool>> after_present;
};

enum class EventKind {
  kTransactionStart,   // a GTID event: `gtid`, `standalone`
  kRows,               // row changes of a table that passed the filter: `changes`
  kCommit,             // XID event or a COMMIT/ROLLBACK query: `xid` (0 for a query)
  kXaPrepare,          // XA PREPARE ends an event group without committing it
  kQuery,              // any other statement (DDL above all): `schema`, `statement`
  kRotate,             // the server moved to another binlog file: `log_file`, `log_position`
  kHeartbeat,          // no new event for a heartbeat period: caught up and idle
  kFormatDescription,  // start of a binlog file (or of a connection)
  kGtidList,           // the binlog state at the start of a file: `gtid_list`
  kFiltered,           // a TABLE_MAP or row event of a table the caller does not want
  kOther,              // TABLE_MAP, ANNOTATE_ROWS, checkpoints, user variables, ...
  kReconnected,        // the stream lost its connection and resumed: see BinlogStream
};
const char* EventKindName(EventKind kind);

struct BinlogEvent {
  EventKind kind = EventKind::kOther;
  uint8_t type_code = 0;      // the binlog event type
  uint32_t timestamp = 0;     // seconds since the epoch, when the statement began
  uint32_t server_id = 0;     // the server that wrote the event first
  uint32_t next_position = 0; // offset of the next event in the server's binlog file
  // The event closes its event group: an XID, a COMMIT, XA PREPARE, or the
  // statement of a standalone group (DDL). After it the position may advance.
  bool ends_transaction = false;

  Gtid gtid;                 // kTransactionStart
  bool standalone = false;   // kTransactionStart: one statement, no COMMIT follows (DDL)
  uint64_t xid = 0;          // kCommit from an XID event
  std::string schema;        // kQuery: the default database of the statement
  std::string statement;     // kQuery, kCommit from a query
  std::string log_file;      // kRotate, kHeartbeat
  uint64_t log_position = 0; // kRotate, kHeartbeat
  std::vector<Gtid> gtid_list;      // kGtidList
  std::vector<RowChange> changes;   // kRows
};

}  // namespace lockstep::binlog
