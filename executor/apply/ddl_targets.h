// Which tables a statement from the binlog changes the shape of: what the
// applier must stop on when it is the table being migrated. Read with
// lockstep's SQL lexer, so comments, quoting and qualification cannot hide a
// table, and a name that merely contains the table's (`idx_t_a`) is not one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

struct TableName {
  std::string schema;
  std::string table;
  bool operator==(const TableName&) const = default;
};

// The tables `text` alters, drops, renames (from and to), truncates,
// replaces, or adds/drops an index or a trigger on; unqualified names are in
// `default_schema` (the statement's database). Not DDL, or not lexable: none.
std::vector<TableName> DdlTargets(std::string_view text, std::string_view default_schema);

// Whether `text` changes schema.table. lockstep's own cut-over RENAME
// (t TO _t_old, _t_new TO t) does not count; nothing else of lockstep's
// names t as a target (`CREATE TABLE _t_new LIKE t` changes only _t_new).
bool StatementChangesTable(std::string_view text, std::string_view default_schema,
                           std::string_view schema, std::string_view table);

// Whether `text` is a data change (INSERT, UPDATE, DELETE, REPLACE, LOAD
// DATA) that names schema.table anywhere: a row write logged as a statement.
// Conservative: a statement that only reads the table also counts.
bool StatementWritesTable(std::string_view text, std::string_view default_schema,
                          std::string_view schema, std::string_view table);

}  // namespace lockstep
