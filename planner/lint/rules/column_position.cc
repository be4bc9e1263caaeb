// LS401: row events carry columns by position, not by name. A column added or
// moved anywhere but the end shifts every later column, so while DCs differ
// replication fails (error 1677) or, when neighbouring types line up, writes
// values into the wrong columns silently (REFERENCE.md section 3).
//
// With --schema the column order is followed through the ALTER, so "AFTER the
// last column" and "FIRST for a column already first" are recognised as no move.
#include <algorithm>
#include <optional>

#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"
#include "planner/sql/token.h"

namespace lockstep::lint {
namespace {

class ColumnOrder {
 public:
  explicit ColumnOrder(const sql::TableDef* table) {
    if (table == nullptr) return;
    known_ = true;
    for (const sql::ColumnDef& c : table->columns) names_.push_back(c.name);
  }

  bool known() const { return known_; }

  // Where the column would be placed; nullopt when unknown.
  std::optional<size_t> Target(const sql::ColumnPosition& position) const {
    if (position.kind == sql::ColumnPosition::Kind::kFirst) return 0;
    const std::optional<size_t> after = Find(position.after);
    if (!after) return std::nullopt;
    return *after + 1;
  }
  std::optional<size_t> Find(const std::string& name) const {
    for (size_t i = 0; i < names_.size(); ++i) {
      if (sql::EqualsIgnoreCase(names_[i], name)) return i;
    }
    return std::nullopt;
  }
  size_t size() const { return names_.size(); }

  void Remove(const std::string& name) {
    if (std::optional<size_t> i = Find(name)) names_.erase(names_.begin() + static_cast<long>(*i));
  }
  void Insert(size_t at, const std::string& name) {
    names_.insert(names_.begin() + static_cast<long>(std::min(at, names_.size())), name);
  }
  void Rename(const std::string& from, const std::string& to) {
    if (std::optional<size_t> i = Find(from)) names_[*i] = to;
  }

 private:
  bool known_ = false;
  std::vector<std::string> names_;
};

std::string Placement(const sql::ColumnPosition& position) {
  return position.kind == sql::ColumnPosition::Kind::kFirst ? "FIRST" : "AFTER " + Quoted(position.after);
}

constexpr const char* kWhy =
    ": row events between DCs match columns by position, so while DCs differ every later "
    "column shifts; replication fails or, when types line up, corrupts rows silently";

}  // namespace

void CheckColumnPosition(const StatementInput& input, FindingSink& sink) {
  if (input.alter == nullptr) return;
  ColumnOrder order(input.table);
  for (const sql::AlterClause& clause : input.alter->clauses) {
    if (clause.kind == sql::ClauseKind::kDropColumn) {
      order.Remove(clause.name);
      continue;
    }
    if (clause.kind == sql::ClauseKind::kRenameColumn) {
      order.Rename(clause.name, clause.new_name);
      continue;
    }
    if (!clause.column) continue;
    const sql::ColumnDef& column = *clause.column;
    const bool adds = clause.kind == sql::ClauseKind::kAddColumn;
    if (!adds && !RedefinesColumn(clause)) continue;
    const std::optional<size_t> current = adds ? std::nullopt : order.Find(clause.name);
    if (column.position.kind == sql::ColumnPosition::Kind::kEnd) {
      if (adds) order.Insert(order.size(), column.name);
      else order.Rename(clause.name, column.name);
      continue;
    }
    // Where the column ends up, counted without it, against where it is now.
    std::optional<size_t> target;
    if (order.known()) {
      order.Remove(clause.name);
      target = order.Target(column.position);
      const size_t end = order.size();
      order.Insert(target.value_or(end), column.name);
    }
    const bool stays = target && ((adds && *target == order.size() - 1) || (current && *current == *target));
    if (stays) continue;
    if (adds) {
      sink.Report(Severity::kError, clause.pos,
                  "adds " + Quoted(column.name) + " " + Placement(column.position) +
                      ", not at the end" + kWhy,
                  "add the column at the end (drop " + Placement(column.position) +
                      "); column order only shows in SELECT *");
    } else {
      sink.Report(Severity::kError, clause.pos,
                  "moves " + Quoted(clause.name) + " " + Placement(column.position) + kWhy,
                  "keep the column where it is (drop " + Placement(column.position) + ")");
    }
  }
}

}  // namespace lockstep::lint
