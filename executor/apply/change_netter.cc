#include "executor/apply/change_netter.h"

#include <cctype>

#include "executor/apply/ddl_targets.h"
#include "executor/copy/key_span.h"

namespace lockstep {
namespace {

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

}  // namespace

bool IsIntegerLiteral(const std::string& s) {
  const size_t digits = !s.empty() && s[0] == '-' ? 1 : 0;
  if (s.size() == digits) return false;
  for (size_t i = digits; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

bool KeyOrder::operator()(const std::vector<std::string>& a, const std::vector<std::string>& b) const {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (int c = CompareLiteral(a[i], b[i]); c != 0) return c < 0;
  }
  return a.size() < b.size();
}

RowKey ChangeNetter::RenderKey(const binlog::Row& row) const {
  RowKey key;
  key.reserve(mapping_.key_positions.size());
  for (size_t pos : mapping_.key_positions) {
    const auto& col = mapping_.columns[pos];
    key.push_back(binlog::ToSqlLiteral(row[col.source_position], col.spec));
  }
  return key;
}

bool LeftToCopy(const std::vector<std::string>& key, const std::optional<CopyFrontier>& frontier) {
  if (!frontier || key.size() != 1) return false;
  const auto value = executor::ParseIntegerKey(key[0]);
  return value && *value > frontier->copied_to && *value <= frontier->copy_upper;
}

namespace {

// Memory a decoded row holds, near enough to bound a batch by.
size_t RowBytes(const std::optional<binlog::Row>& row) {
  if (!row) return 0;
  size_t bytes = sizeof(binlog::Row) + row->size() * sizeof(binlog::Value);
  for (const auto& value : *row) bytes += value.bytes().capacity();
  return bytes;
}

// Sets `key`'s entry of `batch` to `row`, keeping batch.bytes.
void Put(NetBatch& batch, RowKey key, std::optional<binlog::Row> row) {
  auto [entry, added] = batch.rows.try_emplace(std::move(key));
  if (!added) batch.bytes -= RowBytes(entry->second);
  batch.bytes += RowBytes(row);
  entry->second = std::move(row);
}

}  // namespace

Status ChangeNetter::CheckWidth(const binlog::Row& row, const binlog::Transaction& trx) const {
  if (row.size() == mapping_.source_column_count) return Status::Ok();
  return Status::FailedPrecondition(
      "a row event of " + target_.table + " has " + std::to_string(row.size()) +
      " columns where lockstep expects " + std::to_string(mapping_.source_column_count) + " (" +
      trx.gtid.ToString() + "): the table changed during the migration");
}

Status ChangeNetter::CheckStatements(const binlog::Transaction& trx) const {
  for (const auto& st : trx.statements) {
    if (StatementChangesTable(st.text, st.schema, target_.schema, target_.table)) {
      return Status::FailedPrecondition("the table was changed by another statement during the "
                                        "migration (" + trx.gtid.ToString() + "): " +
                                        st.text.substr(0, 200));
    }
    if (StatementWritesTable(st.text, st.schema, target_.schema, target_.table)) {
      return Status::FailedPrecondition(
          "a write to " + target_.table + " was logged as a statement (binlog_format=STATEMENT or "
          "MIXED in that session, " + trx.gtid.ToString() + "): its rows cannot be applied "
          "exactly; the migration stops. Keep binlog_format=ROW for every session writing to "
          "the table: " + st.text.substr(0, 200));
    }
  }
  return Status::Ok();
}

Status ChangeNetter::CheckExact(const binlog::Transaction& trx, const binlog::RowChange& change) {
  if (trx.xa_prepared) {
    return Status::FailedPrecondition(
        "an XA transaction wrote to " + target_.table + " (" + trx.gtid.ToString() +
        "): at XA PREPARE the binlog cannot tell whether it will commit, so its rows cannot be "
        "applied exactly; the migration stops. Run it again when no XA transaction writes "
        "the table");
  }
  if (change.table != last_checked_map_) {
    if (!pinned_columns_) {
      pinned_columns_ = change.table->columns;
    } else if (change.table->columns != *pinned_columns_) {
      return Status::FailedPrecondition(
          "a TABLE_MAP of " + target_.table + " (" + trx.gtid.ToString() + ") describes other "
          "columns than the table had when this applier started: the table changed during the "
          "migration");
    }
    last_checked_map_ = change.table;
  }
  if (change.after_present) {
    return Status::FailedPrecondition(
        "a row image of " + target_.table + " without every column (binlog_row_image=MINIMAL or "
        "NOBLOB in that session, " + trx.gtid.ToString() + "): the row's other columns are not "
        "in the binlog, so it cannot be applied exactly; the migration stops. Keep "
        "binlog_row_image=FULL for every session writing to the table");
  }
  if (change.before_present) {
    for (size_t pos : mapping_.key_positions) {
      const size_t column = mapping_.columns[pos].source_position;
      if (column >= change.before_present->size() || !(*change.before_present)[column]) {
        return Status::FailedPrecondition(
            "a before image of " + target_.table + " (" + trx.gtid.ToString() + ") lacks the "
            "primary key column " + mapping_.columns[pos].source_name + ": the row it changed "
            "cannot be found; the migration stops");
      }
    }
  }
  return Status::Ok();
}

Status ChangeNetter::Add(binlog::Transaction& trx, const std::optional<CopyFrontier>& frontier,
                         NetBatch& batch) {
  LOCKSTEP_RETURN_IF_ERROR(CheckStatements(trx));
  for (auto& change : trx.changes) {
    if (change.table == nullptr || change.table->schema != target_.schema ||
        change.table->table != target_.table) {
      continue;
    }
    LOCKSTEP_RETURN_IF_ERROR(CheckExact(trx, change));
    ++events_seen_;
    if (change.before) {
      LOCKSTEP_RETURN_IF_ERROR(CheckWidth(*change.before, trx));
      // Only the key of a before image is needed.
      RowKey key = RenderKey(*change.before);
      if (LeftToCopy(key, frontier)) {
        ++rows_left_to_copy_;
      } else {
        Put(batch, std::move(key), std::nullopt);  // gone, unless re-added below
      }
    }
    if (change.after) {
      LOCKSTEP_RETURN_IF_ERROR(CheckWidth(*change.after, trx));
      RowKey key = RenderKey(*change.after);
      if (LeftToCopy(key, frontier)) {
        ++rows_left_to_copy_;
        continue;
      }
      // Kept decoded: the applier renders only the rows that survive netting.
      Put(batch, std::move(key), std::move(change.after));
    }
  }
  return Status::Ok();
}

}  // namespace lockstep
