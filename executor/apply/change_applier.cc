#include "executor/apply/change_applier.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <thread>

#include "db/apply_sql.h"
#include "db/server_errors.h"

namespace lockstep {
namespace {

// A batch smaller than this stays on one session: a small one is not worth a
// second transaction. A backlog's batches are full (ApplierLoopOptions::
// max_batch_rows) and split; under a steady load a netting window's batch
// is split unless the copy frontier leaves most of its rows to the copy.
constexpr size_t kMinRowsToSplit = 4096;

// Runs [begin, end) of `items` (rows or keys of rendered literals) whose
// rendered length adds up to at most `max_bytes` each; an item longer than
// that is a run of its own. `longest` is set to the longest item's length.
std::vector<std::pair<size_t, size_t>> Runs(const std::vector<std::vector<std::string>>& items,
                                            size_t max_bytes, size_t& longest) {
  std::vector<std::pair<size_t, size_t>> runs;
  size_t begin = 0, bytes = 0;
  longest = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    size_t item_bytes = 3;  // "(", ")", ","
    for (const auto& literal : items[i]) item_bytes += literal.size() + 1;
    longest = std::max(longest, item_bytes);
    if (i > begin && bytes + item_bytes > max_bytes) {
      runs.emplace_back(begin, i);
      begin = i;
      bytes = 0;
    }
    bytes += item_bytes;
  }
  if (begin < items.size()) runs.emplace_back(begin, items.size());
  return runs;
}

}  // namespace

ChangeApplier::ChangeApplier(std::vector<Connection*> sessions, ApplierTarget target,
                             RowImageMapping mapping, uint64_t max_allowed_packet)
    : sessions_(std::move(sessions)),
      target_(std::move(target)),
      mapping_(std::move(mapping)),
      // The column list and the ON DUPLICATE KEY UPDATE clause take a few KB
      // at most; 64 KB of room covers them.
      max_row_bytes_(static_cast<size_t>(max_allowed_packet > (128u << 10)
                                             ? max_allowed_packet - (64u << 10)
                                             : (64u << 10))),
      max_statement_bytes_(std::min(max_row_bytes_, kMaxStatementBytes)) {
  for (size_t pos : mapping_.key_positions) key_columns_.push_back(mapping_.columns[pos].shadow_name);
  for (const auto& c : mapping_.columns) columns_.push_back(c.shadow_name);
}

std::vector<std::string> ChangeApplier::Render(const binlog::Row& row) const {
  std::vector<std::string> out;
  out.reserve(mapping_.columns.size());
  for (const auto& col : mapping_.columns) {
    out.push_back(binlog::ToSqlLiteral(row[col.source_position], col.spec));
  }
  return out;
}

Status ChangeApplier::Apply(NetChanges net) {
  if (net.empty()) return Status::Ok();

  // Where the key is _t_new's only unique key, a row that exists is upserted
  // in place and only deleted keys are deleted: a third of the row operations
  // of deleting and inserting every touched key.
  // Such a batch can also be split by key over several sessions: parts touch
  // disjoint keys of the only unique key, so they cannot collide, and the
  // server applies them on as many threads (one session left a core idle
  // while draining a backlog: docs/benchmarks.md). A
  // delete-and-insert batch stays on one session: a part inserting a unique
  // value that another part's delete frees would fail as a duplicate.
  // Only where every key value is an integer, though: the split hashes the
  // key's text, and the server compares text keys by collation ('A' = 'a',
  // 'a' = 'a ' under a _ci PAD SPACE one). Netted by text, a key whose case
  // changed is a delete of 'A' and an upsert of 'a'; in two parts the upsert
  // can update the old row and the delete then remove it.
  auto integer_keys = [&] {
    for (const auto& entry : net) {
      for (const auto& literal : entry.first) {
        if (!IsIntegerLiteral(literal)) return false;
      }
    }
    return true;
  };
  const size_t ways = mapping_.key_is_only_unique && net.size() >= kMinRowsToSplit &&
                              sessions_.size() > 1 && integer_keys()
                          ? sessions_.size() : 1;
  std::vector<Part> parts(ways);
  std::hash<std::string> hash;
  const size_t netted = net.size();
  // Each entry leaves the batch as it is rendered, so that a full batch is
  // never held decoded and rendered at once.
  while (!net.empty()) {
    auto entry = net.extract(net.begin());
    size_t h = 0;
    if (ways > 1) {
      for (const auto& literal : entry.key()) h = h * 31 + hash(literal);
    }
    Part& part = parts[h % ways];  // each part stays in key order
    const auto& row = entry.mapped();
    if (row) part.rows.push_back(Render(*row));
    if (!row || !mapping_.key_is_only_unique) part.delete_keys.push_back(std::move(entry.key()));
  }
  std::vector<Status> results(ways);
  std::vector<std::jthread> helpers;  // joined on every way out, also by an exception
  for (size_t i = 1; i < ways; ++i) {
    helpers.emplace_back([&, i] { results[i] = ApplyPart(sessions_[i], parts[i]); });
  }
  results[0] = ApplyPart(sessions_[0], parts[0]);
  helpers.clear();
  for (const Status& result : results) LOCKSTEP_RETURN_IF_ERROR(result);
  rows_applied_ += netted;
  if (ways > 1) ++batches_split_;
  return Status::Ok();
}

Status ChangeApplier::ApplyPart(Connection* conn, const Part& part) const {
  if (part.delete_keys.empty() && part.rows.empty()) return Status::Ok();
  // Lock wait timeouts and deadlocks (with the copier, or another part) are
  // retried, after a growing pause that lets the other transaction finish;
  // the part is idempotent, so running it again is safe.
  Status last;
  for (int attempt = 0; attempt < 10; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10 << std::min(attempt, 6)));
    last = conn->Execute("START TRANSACTION");
    // Each list in statements of at most max_statement_bytes_: a batch of
    // wide rows in one statement went over max_allowed_packet.
    auto in_runs = [&](const std::vector<std::vector<std::string>>& items, auto statement) {
      size_t longest = 0;
      const auto runs = Runs(items, max_statement_bytes_, longest);
      if (last.ok() && longest > max_row_bytes_) {
        // The server would drop the connection on it: say why instead.
        last = Status::FailedPrecondition(
            "a row of " + target_.table + " takes " + std::to_string(longest) +
            " bytes as SQL, more than the server's max_allowed_packet allows in one statement: "
            "raise it (SET GLOBAL max_allowed_packet) and resume");
      }
      for (const auto& [begin, end] : runs) {
        if (!last.ok()) return;
        if (runs.size() == 1) {
          last = conn->Execute(statement(items));
        } else {
          last = conn->Execute(statement(std::vector<std::vector<std::string>>(
              items.begin() + static_cast<std::ptrdiff_t>(begin),
              items.begin() + static_cast<std::ptrdiff_t>(end))));
        }
      }
    };
    in_runs(part.delete_keys, [&](const std::vector<std::vector<std::string>>& keys) {
      return sql::DeleteByKeys(target_.schema, target_.shadow, key_columns_, keys);
    });
    in_runs(part.rows, [&](const std::vector<std::vector<std::string>>& rows) {
      return mapping_.key_is_only_unique
                 ? sql::UpsertRows(target_.schema, target_.shadow, columns_, key_columns_, rows)
                 : sql::InsertRows(target_.schema, target_.shadow, columns_, rows);
    });
    if (last.ok()) last = conn->Execute("COMMIT");
    if (last.ok()) return Status::Ok();
    (void)conn->Execute("ROLLBACK");
    if (!last.IsDbError() || !IsRetryableError(last.server_errno())) break;
  }
  if (last.IsDbError() && last.server_errno() == 1062) {
    // Kept a DbError 1062: the loop decides whether the data or only this
    // batch's age is to blame (ApplierLoop::Apply).
    return last.WithContext("applying a change to " + target_.shadow + " hit a duplicate of its new "
                            "unique key");
  }
  return last;
}

}  // namespace lockstep
