#include "planner/classify/skew_classifier.h"

#include "planner/sql/token.h"

#include "planner/classify/column_types.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace lockstep {
namespace {

// old name -> new name, for RENAME COLUMN and CHANGE a b.
std::map<std::string, std::string> Renames(const sql::AlterTable& alter) {
  std::map<std::string, std::string> out;
  for (const auto& c : alter.clauses) {
    if (c.kind == sql::ClauseKind::kRenameColumn) out[sql::ToLowerAscii(c.name)] = sql::ToLowerAscii(c.new_name);
    if (c.kind == sql::ClauseKind::kChangeColumn && c.column) {
      out[sql::ToLowerAscii(c.name)] = sql::ToLowerAscii(c.column->name);
    }
  }
  return out;
}

// A unique key by what it constrains: kind and columns (with prefixes).
std::string UniqueSignature(const sql::IndexDef& idx) {
  std::string sig = idx.kind == sql::IndexKind::kPrimary ? "PRIMARY(" : "UNIQUE(";
  for (const auto& col : idx.columns) {
    sig += sql::ToLowerAscii(col.name.empty() ? col.expression : col.name);
    if (col.prefix_length) sig += "(" + std::to_string(*col.prefix_length) + ")";
    sig += ",";
  }
  return sig + ")";
}

std::set<std::string> UniqueKeys(const sql::TableDef& t,
                                 const std::map<std::string, std::string>& renames) {
  std::set<std::string> out;
  for (const auto& idx : t.indexes) {
    if (!idx.IsUnique()) continue;
    sql::IndexDef renamed = idx;
    for (auto& col : renamed.columns) {
      if (auto it = renames.find(sql::ToLowerAscii(col.name)); it != renames.end()) col.name = it->second;
    }
    out.insert(UniqueSignature(renamed));
  }
  return out;
}

std::string ForeignKeySignature(const sql::ForeignKeyDef& fk) {
  std::string sig;
  for (const auto& c : fk.columns) sig += sql::ToLowerAscii(c) + ",";
  sig += "->" + sql::ToLowerAscii(fk.ref_schema) + "." + sql::ToLowerAscii(fk.ref_table) + "(";
  for (const auto& c : fk.ref_columns) sig += sql::ToLowerAscii(c) + ",";
  return sig + ")" + fk.on_delete.value_or("") + "/" + fk.on_update.value_or("");
}

// Compares the columns both definitions share by position.
void CompareColumn(const sql::TableDef& before, const sql::ColumnDef& b, const sql::TableDef& after,
                   const sql::ColumnDef& a, std::vector<std::string>& b_reasons) {
  const std::string name = "`" + a.name + "`";
  if (!a.type.SameStorage(b.type)) {
    b_reasons.push_back("the type of " + name + " changes from " + b.type.ToString() + " to " +
                        a.type.ToString() +
                        " (measured: error 1677 or silent truncation/sign change across DCs)");
  }
  if ((IsTextual(a.type) || IsTextual(b.type)) &&
      (before.EffectiveCharset(b) != after.EffectiveCharset(a) ||
       before.EffectiveCollation(b) != after.EffectiveCollation(a))) {
    b_reasons.push_back("the character set or collation of " + name + " changes (measured: "
                        "error 1677 across DCs)");
  }
  if (b.IsNullable() != a.IsNullable()) {
    b_reasons.push_back(name + (a.IsNullable() ? " becomes nullable: NULLs written here fail or "
                                                 "change in DCs that still have NOT NULL"
                                               : " becomes NOT NULL: NULLs from DCs with the old "
                                                 "schema turn into 0 or '' silently (measured)"));
  }
  if (a.generated != b.generated || a.generated_expression != b.generated_expression) {
    b_reasons.push_back("the generated expression of " + name + " changes");
  }
  if (a.auto_increment != b.auto_increment) {
    b_reasons.push_back("AUTO_INCREMENT moves to or from " + name);
  }
}

}  // namespace

SkewVerdict ClassifySkew(const sql::TableDef& before, const sql::TableDef& after,
                         const sql::AlterTable& alter) {
  std::vector<std::string> b_reasons;
  std::vector<std::string> a_notes;
  const auto renames = Renames(alter);

  for (const auto& c : alter.clauses) {
    if (c.kind == sql::ClauseKind::kOther) {
      b_reasons.push_back("clause not understood by lockstep: " + c.text);
    }
    if (c.kind == sql::ClauseKind::kPartition) {
      b_reasons.push_back("partitioning changes are not known to be skew-safe: " + c.text);
    }
  }

  // Columns are matched by position, as row events are applied.
  const size_t n = before.columns.size();
  const size_t m = after.columns.size();
  const size_t shared = std::min(n, m);
  for (size_t i = 0; i < shared; ++i) {
    const auto& b = before.columns[i];
    const auto& a = after.columns[i];
    std::string expected = sql::ToLowerAscii(b.name);
    if (auto it = renames.find(expected); it != renames.end()) expected = it->second;
    if (sql::ToLowerAscii(a.name) != expected) {
      b_reasons.push_back("column " + std::to_string(i + 1) + " changes from `" + b.name +
                          "` to `" + a.name + "`: row events are applied by position, so values "
                          "would land in the wrong column (measured: error 1677, or silent "
                          "corruption when the types match)");
      break;  // every later position is shifted too; one sentence says it
    }
    if (sql::ToLowerAscii(a.name) != sql::ToLowerAscii(b.name)) {
      a_notes.push_back("renames `" + b.name + "` to `" + a.name + "` (positional: safe)");
    }
    CompareColumn(before, b, after, a, b_reasons);
  }
  for (size_t i = shared; i < m; ++i) {
    const auto& a = after.columns[i];
    if (a.generated != sql::GeneratedKind::kNone || a.auto_increment) {
      b_reasons.push_back("adds the generated or auto-increment column `" + a.name + "`");
    } else {
      a_notes.push_back("adds `" + a.name + "` as the last column");
    }
  }
  for (size_t i = shared; i < n; ++i) {
    a_notes.push_back("drops the trailing column `" + before.columns[i].name + "`");
  }

  if (UniqueKeys(before, renames) != UniqueKeys(after, {})) {
    b_reasons.push_back("a primary or unique key is added, dropped or changed: a DC with the "
                        "other schema can write rows this one rejects (measured: error 1062)");
  }
  std::multiset<std::string> fks_before, fks_after;
  for (const auto& fk : before.foreign_keys) fks_before.insert(ForeignKeySignature(fk));
  for (const auto& fk : after.foreign_keys) fks_after.insert(ForeignKeySignature(fk));
  if (fks_before != fks_after) {
    b_reasons.push_back("foreign keys change: rows valid under one schema may be rejected "
                        "under the other");
  }
  std::multiset<std::string> checks_before, checks_after;
  for (const auto& c : before.checks) checks_before.insert(c.expression);
  for (const auto& c : after.checks) checks_after.insert(c.expression);
  if (checks_before != checks_after) {
    b_reasons.push_back("CHECK constraints change: rows valid under one schema may be "
                        "rejected under the other");
  }
  if (sql::ToLowerAscii(before.partitioning) != sql::ToLowerAscii(after.partitioning)) {
    b_reasons.push_back("the partitioning changes");
  }

  SkewVerdict v;
  if (!b_reasons.empty()) {
    v.skew_class = SkewClass::kB;
    v.reasons = std::move(b_reasons);
    return v;
  }
  v.skew_class = SkewClass::kA;
  if (a_notes.empty()) a_notes.push_back("indexes, defaults or table options only");
  v.reasons = std::move(a_notes);
  return v;
}

}  // namespace lockstep
