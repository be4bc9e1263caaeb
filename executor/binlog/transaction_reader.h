// TransactionReader: the BinlogStream seen as whole committed transactions,
// which is how the applier consumes it: it applies a transaction's row
// changes to the shadow table and only then may checkpoint position_after.
//
// The changes of a group are held until its commit arrives, so a group cut
// by a reconnect is dropped and read again in full, never applied twice or
// in part. A group's changes are all in memory: the filter keeps them to the
// one table being migrated.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "executor/binlog/binlog_event.h"
#include "executor/binlog/binlog_stream.h"
#include "executor/binlog/gtid_position.h"

namespace lockstep::binlog {

struct Statement {
  std::string schema;  // the statement's default database
  std::string text;
};

struct Transaction {
  Gtid gtid;
  std::vector<RowChange> changes;     // of the tables the filter let through, in order
  std::vector<Statement> statements;  // QUERY events: DDL above all (ALTER of the table)
  bool xa_prepared = false;           // ended by XA PREPARE, not a commit
  GtidPosition position_after;        // the stream's position once this group is done
};

class TransactionReader {
 public:
  explicit TransactionReader(BinlogStream* stream) : stream_(stream) {}

  // The next complete event group, or nullopt when the server sent a
  // heartbeat between groups (caught up, nothing in progress). Errors are
  // BinlogStream::Next()'s.
  [[nodiscard]] Result<std::optional<Transaction>> Next();

 private:
  BinlogStream* stream_;  // not owned
};

}  // namespace lockstep::binlog
