#include "executor/apply/row_image_mapping.h"

#include "planner/sql/token.h"

#include <algorithm>
#include <cctype>

namespace lockstep {
namespace {

bool IsBinaryType(const std::string& name) {
  return name == "binary" || name == "varbinary" || name == "tinyblob" || name == "blob" ||
         name == "mediumblob" || name == "longblob" || name == "geometry" || name == "point" ||
         name == "linestring" || name == "polygon" || name == "multipoint" ||
         name == "multilinestring" || name == "multipolygon" || name == "geometrycollection";
}

bool IsTextType(const std::string& name) {
  return name == "char" || name == "varchar" || name == "tinytext" || name == "text" ||
         name == "mediumtext" || name == "longtext" || name == "enum" || name == "set" ||
         name == "json";
}

}  // namespace

binlog::ColumnSpec SpecOf(const sql::TableDef& table, const sql::ColumnDef& column) {
  binlog::ColumnSpec spec;
  spec.is_unsigned = column.type.is_unsigned;
  const std::string charset = IsTextType(column.type.name) ? table.EffectiveCharset(column) : "";
  spec.is_binary = IsBinaryType(column.type.name) || column.type.binary || charset == "binary";
  // JSON is utf8mb4 whatever the table's default says.
  spec.charset = column.type.name == "json" ? "utf8mb4" : (spec.is_binary ? "" : charset);
  if (column.type.name == "enum" || column.type.name == "set") spec.elements = column.type.values;
  return spec;
}

Result<RowImageMapping> RowImageMapping::Build(const sql::TableDef& source, const sql::TableDef& shadow,
                                           const std::map<std::string, std::string>& renames) {
  RowImageMapping m;
  m.source_column_count = source.columns.size();
  for (size_t i = 0; i < source.columns.size(); ++i) {
    const sql::ColumnDef& col = source.columns[i];
    std::string target = sql::ToLowerAscii(col.name);
    if (auto it = renames.find(target); it != renames.end()) target = it->second;
    const sql::ColumnDef* in_shadow = shadow.FindColumn(target);
    if (in_shadow == nullptr) continue;  // dropped by the change
    if (in_shadow->generated != sql::GeneratedKind::kNone) continue;  // computed by the server
    if (col.generated != sql::GeneratedKind::kNone) continue;
    m.columns.push_back({i, col.name, in_shadow->name, SpecOf(source, col)});
  }
  const sql::IndexDef* pk = source.PrimaryKey();
  if (pk == nullptr) {
    return Status::FailedPrecondition(source.QualifiedName() +
                                      " has no primary key; the applier needs one");
  }
  for (const auto& key_col : pk->columns) {
    auto it = std::find_if(m.columns.begin(), m.columns.end(), [&](const MappedColumn& c) {
      return sql::ToLowerAscii(c.source_name) == sql::ToLowerAscii(key_col.name);
    });
    if (it == m.columns.end()) {
      return Status::FailedPrecondition("primary key column `" + key_col.name +
                                        "` does not survive the change; lockstep cannot "
                                        "address rows of the shadow table by it");
    }
    m.key_positions.push_back(static_cast<size_t>(it - m.columns.begin()));
  }
  std::vector<std::string> key_names, shadow_unique;
  for (size_t pos : m.key_positions) key_names.push_back(sql::ToLowerAscii(m.columns[pos].shadow_name));
  int unique_keys = 0;
  for (const auto& index : shadow.indexes) {
    if (!index.IsUnique()) continue;
    ++unique_keys;
    if (index.kind == sql::IndexKind::kPrimary) {
      for (const auto& name : index.ColumnNames()) shadow_unique.push_back(sql::ToLowerAscii(name));
    }
  }
  std::sort(key_names.begin(), key_names.end());
  std::sort(shadow_unique.begin(), shadow_unique.end());
  m.key_is_only_unique = unique_keys == 1 && key_names == shadow_unique;
  return m;
}

}  // namespace lockstep
