// A table's definition as the server reports it (SHOW CREATE TABLE): the model
// the planner diffs to classify a change, and lint reads for table facts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "planner/sql/ast.h"

namespace lockstep::sql {

struct TableOptions {
  std::string engine;     // as written: "InnoDB"
  std::string charset;    // DEFAULT CHARSET
  std::string collation;  // COLLATE
  std::string row_format;
  std::optional<uint64_t> auto_increment;
  std::optional<std::string> comment;
  // Every other option, in order: {"KEY_BLOCK_SIZE", "8"}, {"PAGE_COMPRESSED", "1"}.
  std::vector<std::pair<std::string, std::string>> other;
};

struct TableDef {
  std::string schema;  // empty when neither the statement nor a USE named one
  std::string name;
  bool temporary = false;
  std::vector<ColumnDef> columns;        // in table order
  std::vector<IndexDef> indexes;         // in definition order; inline PRIMARY KEY/UNIQUE included
  std::vector<ForeignKeyDef> foreign_keys;
  std::vector<CheckDef> checks;
  TableOptions options;
  std::string partitioning;  // "PARTITION BY ..." as written; empty when not partitioned
  bool system_versioned = false;  // MariaDB: WITH SYSTEM VERSIONING
  SourcePos pos;

  // Column and index names compare ignoring case, as the server does.
  const ColumnDef* FindColumn(std::string_view column) const;
  int ColumnIndex(std::string_view column) const;  // -1 when absent
  const IndexDef* FindIndex(std::string_view index) const;
  const IndexDef* PrimaryKey() const;
  // The column's own charset/collation, else the table's default.
  std::string EffectiveCharset(const ColumnDef& column) const;
  std::string EffectiveCollation(const ColumnDef& column) const;
  std::string QualifiedName() const { return schema.empty() ? name : schema + "." + name; }
};

}  // namespace lockstep::sql
