// The change applier: replays the live table's row events (from this DC's
// binlog: local writes and DRC-applied writes alike) onto the shadow table.
//
// A batch, netted by the ChangeNetter to the final state of each primary key
// it touched, is applied in one shadow transaction. Where the primary key is
// _t_new's only unique key: a DELETE of the deleted keys and one multi-row
// INSERT ... ON DUPLICATE KEY UPDATE of the rows that exist. Otherwise a
// DELETE of every touched key and one multi-row INSERT, because an upsert
// would update whichever row holds a duplicate of another unique key. Both
// are idempotent (a replay after a crash converges), handle UPDATEs that move
// a primary key, and never use REPLACE or INSERT IGNORE: with a unique key
// added by the change, a duplicate stops the migration with the offending
// values instead of silently dropping a row (pt-osc, gh-ost #1633).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "db/connection.h"
#include "executor/apply/change_netter.h"
#include "executor/apply/row_image_mapping.h"

namespace lockstep {

class ChangeApplier {
 public:
  // `sessions` write the shadow table (at least one); none may be shared with
  // another thread. With more than one, a large batch whose key is the
  // shadow's only unique key is split by key hash and applied on all of them
  // at once (see Apply).
  // `max_allowed_packet` is the sessions' (all connected under one global
  // value): no statement sent is longer than it allows, and none longer than
  // kMaxStatementBytes unless a single row is.
  ChangeApplier(std::vector<Connection*> sessions, ApplierTarget target, RowImageMapping mapping,
                uint64_t max_allowed_packet = 16u << 20);

  // The longest statement worth sending: longer ones are not faster.
  static constexpr size_t kMaxStatementBytes = 8u << 20;

  // Writes `net` to the shadow table (the rows are rendered here, once each).
  // Split over several sessions, each part commits on its own; the batch is
  // applied once every part has. A failed part fails the batch, which is then
  // replayed whole (idempotent: the parts that committed converge again).
  [[nodiscard]] Status Apply(NetChanges net);

  uint64_t rows_applied() const { return rows_applied_; }
  // Whether _t_new has a unique key besides the primary key, so that a batch
  // can collide with a newer state of another row (error 1062).
  bool may_collide() const { return !mapping_.key_is_only_unique; }
  // Batches split over more than one session.
  uint64_t batches_split() const { return batches_split_; }

 private:
  // One session's share of a batch: keys to delete, rows to write.
  struct Part {
    std::vector<std::vector<std::string>> delete_keys;
    std::vector<std::vector<std::string>> rows;
  };

  // Applies `part` in one transaction on `conn`, retrying deadlocks and lock
  // wait timeouts.
  Status ApplyPart(Connection* conn, const Part& part) const;
  std::vector<std::string> Render(const binlog::Row& row) const;

  std::vector<Connection*> sessions_;
  ApplierTarget target_;
  RowImageMapping mapping_;
  std::vector<std::string> key_columns_;  // shadow names, in key order
  std::vector<std::string> columns_;      // shadow names, in row order
  uint64_t rows_applied_ = 0;
  uint64_t batches_split_ = 0;
  size_t max_row_bytes_;        // a row's literals longer than this cannot be sent
  size_t max_statement_bytes_;  // a run of rows' literals, at most
};

}  // namespace lockstep
