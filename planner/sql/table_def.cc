#include "planner/sql/table_def.h"

#include "planner/sql/token.h"

namespace lockstep::sql {

const ColumnDef* TableDef::FindColumn(std::string_view column) const {
  const int i = ColumnIndex(column);
  return i < 0 ? nullptr : &columns[static_cast<size_t>(i)];
}

int TableDef::ColumnIndex(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (EqualsIgnoreCase(columns[i].name, column)) return static_cast<int>(i);
  }
  return -1;
}

const IndexDef* TableDef::FindIndex(std::string_view index) const {
  for (const IndexDef& def : indexes) {
    if (EqualsIgnoreCase(def.name, index)) return &def;
  }
  return nullptr;
}

const IndexDef* TableDef::PrimaryKey() const {
  for (const IndexDef& def : indexes) {
    if (def.kind == IndexKind::kPrimary) return &def;
  }
  return nullptr;
}

std::string TableDef::EffectiveCharset(const ColumnDef& column) const {
  return column.type.charset ? *column.type.charset : options.charset;
}

std::string TableDef::EffectiveCollation(const ColumnDef& column) const {
  return column.type.collation ? *column.type.collation : options.collation;
}

}  // namespace lockstep::sql
