// The change applier: replays the live table's row events (from this DC's
// binlog: local writes and DRC-applied writes alike) onto the shadow table.
//
// A batch of transactions is netted to the final state of each primary key it
// touched, then applied in one shadow transaction. Where the primary key is
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
#include "executor/apply/row_image_mapping.h"
#include "executor/binlog/transaction_reader.h"

namespace lockstep {

// Whether a statement of the binlog changes `table`'s shape under the
// applier's feet: an ALTER, DROP, RENAME or TRUNCATE naming it (as a whole
// identifier, anywhere in the statement: conservative). lockstep's own
// statements, which name its artifacts (_t_new, _t_old), do not count.
bool StatementChangesTable(std::string_view text, std::string_view table);

struct ApplierTarget {
  std::string schema;
  std::string table;   // t
  std::string shadow;  // _t_new
};

// Keys of a single integer primary key that the running copy has not read
// yet: (copied_to, copy_upper]. A change to such a row need not be applied:
// the copy reads the row later, in its state then, which includes every
// change already in the binlog. Skipping them is what lets the applier keep
// up cheaply while the copy runs (at half-way, half the changes); Spirit and
// Vitess do the same. Keys above copy_upper (rows added after the copy
// started) are always applied: the copy never reads them.
struct CopyFrontier {
  __int128 copied_to = 0;   // the end of the chunk being copied, or of the last one
  __int128 copy_upper = 0;  // t's largest key when the copy started
};

class ChangeApplier {
 public:
  // `sessions` write the shadow table (at least one); none may be shared with
  // another thread. With more than one, a large batch whose key is the
  // shadow's only unique key is split by key hash and applied on all of them
  // at once (see ApplyBatch).
  // `max_allowed_packet` is the sessions' (all connected under one global
  // value): no statement sent is longer than it allows, and none longer than
  // kMaxStatementBytes unless a single row is.
  ChangeApplier(std::vector<Connection*> sessions, ApplierTarget target, RowImageMapping mapping,
                uint64_t max_allowed_packet = 16u << 20);

  // The longest statement worth sending: longer ones are not faster.
  static constexpr size_t kMaxStatementBytes = 8u << 20;

  // Applies the row changes of `t` in `batch` (other tables' are ignored).
  // A statement that alters `t` itself fails the batch: the mapping would be
  // wrong from there on.
  // With `frontier`, changes to keys the copy has not read yet are left out
  // (CopyFrontier); it must be read after every transaction of `batch` was
  // read from the binlog, so that the copy reads those rows after they
  // committed.
  // Split over several sessions, each part commits on its own; the batch is
  // applied once every part has. A failed part fails the batch, which is then
  // replayed whole (idempotent: the parts that committed converge again).
  [[nodiscard]] Status ApplyBatch(const std::vector<binlog::Transaction>& batch,
                                  const std::optional<CopyFrontier>& frontier = std::nullopt);

  // Orders keys the way the server's primary key does where that is known
  // (integer literals by value), so that a batch locks rows in the order the
  // copier's chunks do: in string order ("10" < "9") the upsert and a chunk
  // locked rows in opposite orders and deadlocked.
  struct KeyOrder {
    bool operator()(const std::vector<std::string>& a, const std::vector<std::string>& b) const;
  };

  uint64_t rows_applied() const { return rows_applied_; }
  uint64_t events_seen() const { return events_seen_; }
  // Batches split over more than one session.
  uint64_t batches_split() const { return batches_split_; }
  // Row images (before and after images alike) left to the copy (CopyFrontier).
  uint64_t rows_left_to_copy() const { return rows_left_to_copy_; }

 private:
  // Key (rendered literals) -> final row (rendered literals), nullopt = deleted.
  using NetChanges = std::map<std::vector<std::string>, std::optional<std::vector<std::string>>, KeyOrder>;

  // One session's share of a batch: keys to delete, rows to write.
  struct Part {
    std::vector<std::vector<std::string>> delete_keys;
    std::vector<std::vector<std::string>> rows;
  };

  // Adds `trx`'s changes of t to `net`, leaving out those of rows the copy
  // has not read yet.
  Status Net(const binlog::Transaction& trx, const std::optional<CopyFrontier>& frontier,
             NetChanges& net);
  // Whether `key` (rendered) is the copy's to read (CopyFrontier): a single
  // integer key in (copied_to, copy_upper].
  bool LeftToCopy(const std::vector<std::string>& key,
                  const std::optional<CopyFrontier>& frontier) const;
  // Applies `part` in one transaction on `conn`, retrying deadlocks and lock
  // wait timeouts.
  Status ApplyPart(Connection* conn, const Part& part) const;
  std::vector<std::string> Render(const binlog::Row& row) const;
  std::vector<std::string> KeyOf(const std::vector<std::string>& rendered) const;
  std::vector<std::string> RenderKey(const binlog::Row& row) const;  // the key columns only

  std::vector<Connection*> sessions_;
  ApplierTarget target_;
  RowImageMapping mapping_;
  std::vector<std::string> key_columns_;  // shadow names, in key order
  std::vector<std::string> columns_;      // shadow names, in row order
  uint64_t rows_applied_ = 0;
  uint64_t events_seen_ = 0;
  uint64_t rows_left_to_copy_ = 0;
  uint64_t batches_split_ = 0;
  size_t max_row_bytes_;        // a row's literals longer than this cannot be sent
  size_t max_statement_bytes_;  // a run of rows' literals, at most
};

}  // namespace lockstep
