#include "executor/shadow/copy_safety.h"

#include <algorithm>

#include "planner/sql/token.h"

namespace lockstep::executor {
namespace {

// A unique key as the set of (old column, prefix) it constrains, in the old
// table's names; nullopt when a part is an expression or a new column.
std::optional<std::vector<std::string>> KeyParts(const sql::IndexDef& index,
                                                 const ColumnMapping* to_old) {
  std::vector<std::string> parts;
  for (const sql::IndexColumn& c : index.columns) {
    if (c.name.empty()) return std::nullopt;
    std::string name = c.name;
    if (to_old != nullptr) {
      auto old_name = to_old->OldName(c.name);
      if (!old_name) return std::nullopt;
      name = *old_name;
    }
    parts.push_back(sql::ToLowerAscii(name) + "/" + std::to_string(c.prefix_length.value_or(0)));
  }
  std::sort(parts.begin(), parts.end());
  return parts;
}

bool OldTableHasUniqueKeyOn(const sql::TableDef& old_def, const std::vector<std::string>& parts) {
  for (const sql::IndexDef& index : old_def.indexes) {
    if (!index.IsUnique()) continue;
    auto old_parts = KeyParts(index, nullptr);
    if (old_parts && *old_parts == parts) return true;
  }
  return false;
}

std::string KeyLabel(const sql::IndexDef& index) {
  return index.kind == sql::IndexKind::kPrimary ? "PRIMARY KEY" : "unique key `" + index.name + "`";
}

}  // namespace

CopySafety AnalyzeCopySafety(const sql::TableDef& old_def, const sql::TableDef& new_def,
                             const ColumnMapping& mapping) {
  CopySafety out;
  for (const sql::IndexDef& index : new_def.indexes) {
    if (!index.IsUnique()) continue;
    auto parts = KeyParts(index, &mapping);
    if (parts && OldTableHasUniqueKeyOn(old_def, *parts)) continue;
    out.strict_reasons.push_back("adds " + KeyLabel(index) + ", which existing rows may break");
    out.new_unique_keys.push_back(index.name);
  }
  for (const ColumnPair& pair : mapping.copied) {
    const sql::ColumnDef* old_col = old_def.FindColumn(pair.old_name);
    const sql::ColumnDef* new_col = new_def.FindColumn(pair.new_name);
    if (old_col == nullptr || new_col == nullptr) continue;
    const bool same_type = old_col->type.SameStorage(new_col->type) &&
                           sql::EqualsIgnoreCase(old_def.EffectiveCharset(*old_col),
                                                 new_def.EffectiveCharset(*new_col)) &&
                           sql::EqualsIgnoreCase(old_def.EffectiveCollation(*old_col),
                                                 new_def.EffectiveCollation(*new_col));
    if (!same_type) {
      out.strict_reasons.push_back("changes the type of `" + pair.old_name + "` (" +
                                   old_col->type.ToString() + " -> " + new_col->type.ToString() +
                                   "): IGNORE would clip values that do not fit");
    }
    for (const std::string& attribute : new_col->other_attributes) {
      const bool is_check = attribute.size() >= 5 && sql::EqualsIgnoreCase(attribute.substr(0, 5), "CHECK");
      if (is_check && std::find(old_col->other_attributes.begin(), old_col->other_attributes.end(),
                                attribute) == old_col->other_attributes.end()) {
        out.strict_reasons.push_back("adds " + attribute + " on `" + pair.new_name +
                                     "`: IGNORE would skip failing rows");
      }
    }
    if (old_col->IsNullable() && !new_col->IsNullable()) {
      out.strict_reasons.push_back("makes `" + pair.new_name +
                                   "` NOT NULL: IGNORE would turn NULLs into zero values");
    }
  }
  for (const sql::CheckDef& check : new_def.checks) {
    const bool existed = std::any_of(old_def.checks.begin(), old_def.checks.end(),
                                     [&](const sql::CheckDef& c) { return c.expression == check.expression; });
    if (!existed) out.strict_reasons.push_back("adds CHECK (" + check.expression + "): IGNORE would skip failing rows");
  }
  for (const sql::ForeignKeyDef& fk : new_def.foreign_keys) {
    out.strict_reasons.push_back("has foreign key `" + fk.name + "`: IGNORE would skip orphan rows");
  }
  if (!new_def.partitioning.empty() && new_def.partitioning != old_def.partitioning) {
    out.strict_reasons.push_back("partitions the table anew (" + new_def.partitioning.substr(0, 80) +
                                 "): IGNORE would drop rows that fit no partition");
  }
  out.ignore_allowed = out.strict_reasons.empty();
  return out;
}

}  // namespace lockstep::executor
