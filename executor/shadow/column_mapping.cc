#include "executor/shadow/column_mapping.h"

#include "planner/sql/token.h"

namespace lockstep::executor {

std::optional<std::string> ColumnMapping::NewName(std::string_view old_name) const {
  for (const ColumnPair& p : copied) {
    if (sql::EqualsIgnoreCase(p.old_name, old_name)) return p.new_name;
  }
  return std::nullopt;
}

std::optional<std::string> ColumnMapping::OldName(std::string_view new_name) const {
  for (const ColumnPair& p : copied) {
    if (sql::EqualsIgnoreCase(p.new_name, new_name)) return p.old_name;
  }
  return std::nullopt;
}

Result<ColumnMapping> MapColumns(const sql::TableDef& old_def, const sql::TableDef& new_def,
                                 const ShadowSpec& spec) {
  for (const ColumnRename& r : spec.renames) {
    if (old_def.FindColumn(r.from) == nullptr) {
      return Status::InvalidArgument("the ALTER renames column `" + r.from + "`, which " +
                                     old_def.name + " does not have");
    }
    if (new_def.FindColumn(r.to) == nullptr) {
      return Status::InvalidArgument("the ALTER renames `" + r.from + "` to `" + r.to +
                                     "`, which the shadow table does not have");
    }
  }
  ColumnMapping mapping;
  for (const sql::ColumnDef& old_col : old_def.columns) {
    const std::optional<std::string> target = spec.TargetOf(old_col.name);
    const sql::ColumnDef* new_col = target ? new_def.FindColumn(*target) : nullptr;
    if (new_col == nullptr) {
      mapping.dropped.push_back(old_col.name);
      continue;
    }
    if (new_col->generated != sql::GeneratedKind::kNone) continue;  // computed, listed below
    if (mapping.OldName(new_col->name)) {
      return Status::InvalidArgument("two columns of " + old_def.name + " map to `" +
                                     new_col->name + "`");
    }
    mapping.copied.push_back({old_col.name, new_col->name});
  }
  for (const sql::ColumnDef& new_col : new_def.columns) {
    if (new_col.generated != sql::GeneratedKind::kNone) {
      mapping.generated.push_back(new_col.name);
    } else if (!mapping.OldName(new_col.name)) {
      mapping.added.push_back(new_col.name);
    }
  }
  return mapping;
}

}  // namespace lockstep::executor
