#include "executor/apply/change_applier.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <thread>

#include "db/apply_sql.h"
#include "db/server_errors.h"
#include "executor/copy/key_span.h"

namespace lockstep {
namespace {

bool IsIntegerLiteral(const std::string& s) {
  const size_t digits = !s.empty() && s[0] == '-' ? 1 : 0;
  if (s.size() == digits) return false;
  for (size_t i = digits; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// <0, 0, >0 like strcmp; integers by value, anything else as text.
int CompareLiteral(const std::string& a, const std::string& b) {
  if (IsIntegerLiteral(a) && IsIntegerLiteral(b)) {
    const bool neg_a = a[0] == '-', neg_b = b[0] == '-';
    if (neg_a != neg_b) return neg_a ? -1 : 1;
    int magnitude = a.size() != b.size() ? (a.size() < b.size() ? -1 : 1) : a.compare(b);
    return neg_a ? -magnitude : magnitude;
  }
  return a.compare(b);
}

// A batch smaller than this stays on one session: a small one is not worth a
// second transaction. Full batches (2,000 transactions: about 5,000 netted
// rows of sysbench's write mix) are split. The server sends no heartbeat
// while events flow, so under a steady load the batches fill up too and are
// split unless the copy frontier leaves many of their rows to the copy.
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

bool IsIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

}  // namespace

bool StatementChangesTable(std::string_view text, std::string_view table) {
  std::string verb;
  for (char c : text.substr(0, 16)) verb += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const bool ddl = verb.rfind("ALTER", 0) == 0 || verb.rfind("DROP", 0) == 0 ||
                   verb.rfind("RENAME", 0) == 0 || verb.rfind("TRUNCATE", 0) == 0;
  if (!ddl || table.empty()) return false;
  // lockstep's own statements name its artifacts (_t_new, _t_old).
  if (text.find("_" + std::string(table) + "_") != std::string_view::npos) return false;
  for (size_t at = text.find(table); at != std::string_view::npos; at = text.find(table, at + 1)) {
    const size_t end = at + table.size();
    if ((at == 0 || !IsIdentifierChar(text[at - 1])) &&
        (end == text.size() || !IsIdentifierChar(text[end]))) {
      return true;
    }
  }
  return false;
}

bool ChangeApplier::KeyOrder::operator()(const std::vector<std::string>& a,
                                         const std::vector<std::string>& b) const {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (int c = CompareLiteral(a[i], b[i]); c != 0) return c < 0;
  }
  return a.size() < b.size();
}

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

std::vector<std::string> ChangeApplier::KeyOf(const std::vector<std::string>& rendered) const {
  std::vector<std::string> key;
  key.reserve(mapping_.key_positions.size());
  for (size_t pos : mapping_.key_positions) key.push_back(rendered[pos]);
  return key;
}

std::vector<std::string> ChangeApplier::RenderKey(const binlog::Row& row) const {
  std::vector<std::string> key;
  key.reserve(mapping_.key_positions.size());
  for (size_t pos : mapping_.key_positions) {
    const auto& col = mapping_.columns[pos];
    key.push_back(binlog::ToSqlLiteral(row[col.source_position], col.spec));
  }
  return key;
}

bool ChangeApplier::LeftToCopy(const std::vector<std::string>& key,
                              const std::optional<CopyFrontier>& frontier) const {
  if (!frontier || key.size() != 1) return false;
  const auto value = executor::ParseIntegerKey(key[0]);
  return value && *value > frontier->copied_to && *value <= frontier->copy_upper;
}

Status ChangeApplier::Net(const binlog::Transaction& trx, const std::optional<CopyFrontier>& frontier,
                         NetChanges& net) {
  for (const auto& st : trx.statements) {
    if (StatementChangesTable(st.text, target_.table)) {
      return Status::FailedPrecondition("the table was changed by another statement during the "
                                        "migration (" + trx.gtid.ToString() + "): " +
                                        st.text.substr(0, 200));
    }
  }
  for (const auto& change : trx.changes) {
    if (change.table == nullptr || change.table->schema != target_.schema ||
        change.table->table != target_.table) {
      continue;
    }
    ++events_seen_;
    auto check_width = [&](const binlog::Row& row) -> Status {
      if (row.size() != mapping_.source_column_count) {
        return Status::FailedPrecondition(
            "a row event of " + target_.table + " has " + std::to_string(row.size()) +
            " columns where lockstep expects " + std::to_string(mapping_.source_column_count) +
            " (" + trx.gtid.ToString() + "): the table changed during the migration");
      }
      return Status::Ok();
    };
    if (change.before) {
      LOCKSTEP_RETURN_IF_ERROR(check_width(*change.before));
      // Only the key of a before image is needed. Rendering the whole row
      // rendered half of the images of sysbench's write mix for nothing (the
      // before images of its UPDATEs and DELETEs).
      std::vector<std::string> key = RenderKey(*change.before);
      if (LeftToCopy(key, frontier)) {
        ++rows_left_to_copy_;
      } else {
        net[std::move(key)] = std::nullopt;  // gone, unless re-added below
      }
    }
    if (change.after) {
      LOCKSTEP_RETURN_IF_ERROR(check_width(*change.after));
      // The key first: a row left to the copy is not rendered at all (at the
      // start of a copy, that is nearly every row).
      if (frontier && LeftToCopy(RenderKey(*change.after), frontier)) {
        ++rows_left_to_copy_;
        continue;
      }
      std::vector<std::string> row = Render(*change.after);
      net[KeyOf(row)] = std::move(row);
    }
  }
  return Status::Ok();
}

Status ChangeApplier::ApplyBatch(const std::vector<binlog::Transaction>& batch,
                                 const std::optional<CopyFrontier>& frontier) {
  // The frontier is the same for the whole batch, so every image of a key
  // is either applied or left to the copy: netting never mixes the two.
  NetChanges net;
  for (const auto& trx : batch) LOCKSTEP_RETURN_IF_ERROR(Net(trx, frontier, net));
  if (net.empty()) return Status::Ok();

  // Where the key is _t_new's only unique key, a row that exists is upserted
  // in place and only deleted keys are deleted: a third of the row operations
  // of deleting and inserting every touched key (measured: the applier alone
  // cost the application a quarter of its TPS on the 2-core sandbox).
  // Such a batch can also be split by key over several sessions: parts touch
  // disjoint keys of the only unique key, so they cannot collide, and the
  // server applies them on as many threads (with one session, the server
  // used 61% of a core draining a backlog while lockstep waited on it). A
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
  for (auto& [key, row] : net) {
    size_t h = 0;
    if (ways > 1) {
      for (const auto& literal : key) h = h * 31 + hash(literal);
    }
    Part& part = parts[h % ways];  // each part stays in key order
    if (!row || !mapping_.key_is_only_unique) part.delete_keys.push_back(key);
    if (row) part.rows.push_back(std::move(*row));
  }
  std::vector<Status> results(ways);
  std::vector<std::jthread> helpers;  // joined on every way out, also by an exception
  for (size_t i = 1; i < ways; ++i) {
    helpers.emplace_back([&, i] { results[i] = ApplyPart(sessions_[i], parts[i]); });
  }
  results[0] = ApplyPart(sessions_[0], parts[0]);
  helpers.clear();
  for (const Status& result : results) LOCKSTEP_RETURN_IF_ERROR(result);
  rows_applied_ += net.size();
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
    return Status::FailedPrecondition(
        "applying a change to " + target_.shadow + " hit a duplicate key: the new unique key "
        "does not hold for the live data; lockstep stops rather than drop rows (" +
        last.message() + ")");
  }
  return last;
}

}  // namespace lockstep
