// The change netter: the reader's half of the change applier. It folds the
// live table's row events, transaction by transaction as the binlog reader
// decodes them, into the final state of each primary key they touched; the
// ChangeApplier then writes that state to the shadow table.
//
// Netting as the events are read, rather than over a batch of transactions
// held in memory, is what lets a batch span seconds of binlog: its memory is
// one entry per key touched, however many times each key changed. The longer
// the batch, the more writes to a hot key fold into one (sysbench's default
// distribution sends three quarters of its writes to 1% of the keys).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "executor/apply/row_image_mapping.h"
#include "executor/binlog/transaction_reader.h"

namespace lockstep {

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
  // Below every key (keys are at most 64 bits): before the first chunk.
  static constexpr __int128 kNothingCopied = -(static_cast<__int128>(1) << 100);
  __int128 copied_to = 0;   // the end of the chunk being copied, or of the last one
  __int128 copy_upper = 0;  // t's largest key when the copy started
};

// Whether `key` is the copy's to read: a single integer key in
// (copied_to, copy_upper].
bool LeftToCopy(const std::vector<std::string>& key, const std::optional<CopyFrontier>& frontier);

// Orders keys the way the server's primary key does where that is known
// (integer literals by value), so that a batch locks rows in the order the
// copier's chunks do: in string order ("10" < "9") the upsert and a chunk
// locked rows in opposite orders and deadlocked.
struct KeyOrder {
  bool operator()(const std::vector<std::string>& a, const std::vector<std::string>& b) const;
};

// Whether every value is an integer literal ("-12", "7").
bool IsIntegerLiteral(const std::string& s);

// A primary key's values rendered as SQL literals, in key order.
using RowKey = std::vector<std::string>;
// Key -> the row's final after image as decoded, nullopt = deleted.
using NetChanges = std::map<RowKey, std::optional<binlog::Row>, KeyOrder>;

// The reader's open batch.
struct NetBatch {
  NetChanges rows;
  size_t bytes = 0;  // held by the rows' decoded values: wide rows fill a batch early
};

class ChangeNetter {
 public:
  ChangeNetter(ApplierTarget target, RowImageMapping mapping)
      : target_(std::move(target)), mapping_(std::move(mapping)) {}

  // Folds `trx`'s changes of t into `batch` (other tables' are ignored; the
  // after images are moved out of `trx`), leaving out those of rows the copy
  // has not read yet. `frontier` must be read after `trx` was read from the
  // binlog, so that the copy reads those rows after `trx` committed. It may
  // change between the transactions of a batch (from none to the copy's
  // first, then forward); ApplierLoop filters the whole batch again with the
  // frontier it reads when the batch is applied, so that no key is written
  // from an image netted before the copy claimed it.
  // A statement that alters t itself, or a row of another width, fails: the
  // mapping would be wrong from there on.
  [[nodiscard]] Status Add(binlog::Transaction& trx, const std::optional<CopyFrontier>& frontier,
                           NetBatch& batch);

  // Row events of t seen (before netting).
  uint64_t events_seen() const { return events_seen_; }
  // Row images (before and after images alike) left to the copy (CopyFrontier).
  uint64_t rows_left_to_copy() const { return rows_left_to_copy_; }

 private:
  RowKey RenderKey(const binlog::Row& row) const;
  Status CheckWidth(const binlog::Row& row, const binlog::Transaction& trx) const;
  // Stops on anything of t that cannot be applied exactly: a TABLE_MAP
  // unlike the first one read, an image without a column the applier needs,
  // a write in statement format, an XA transaction.
  Status CheckExact(const binlog::Transaction& trx, const binlog::RowChange& change);
  Status CheckStatements(const binlog::Transaction& trx) const;

  ApplierTarget target_;
  RowImageMapping mapping_;
  // The columns of t's first TABLE_MAP this applier read; every later one
  // must equal them (a DDL of t the statement check missed shows here).
  std::optional<std::vector<binlog::ColumnInfo>> pinned_columns_;
  // The last map checked, held so that a later map cannot reuse its address.
  std::shared_ptr<const binlog::TableMap> last_checked_map_;
  uint64_t events_seen_ = 0;
  uint64_t rows_left_to_copy_ = 0;
};

}  // namespace lockstep
