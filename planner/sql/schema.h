// Facts about a database's tables, read from a schema dump: each table's
// definition and which tables carry triggers. Lint checks an ALTER against them.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "planner/sql/table_def.h"

namespace lockstep::sql {

class Schema {
 public:
  // A later definition of the same table replaces the earlier one, as replaying
  // the dump would.
  void AddTable(TableDef table);
  void AddTrigger(std::string schema, std::string table, std::string trigger);

  // Schema names match when both are given; an empty one matches any schema
  // (an ALTER of `t` against a dump without USE statements).
  const TableDef* FindTable(std::string_view schema, std::string_view table) const;
  std::vector<std::string> TriggersOn(std::string_view schema, std::string_view table) const;

  struct Reference {
    const TableDef* child;
    const ForeignKeyDef* foreign_key;
  };
  // Foreign keys of other tables that point at this one.
  std::vector<Reference> ReferencesTo(std::string_view schema, std::string_view table) const;

  const std::vector<TableDef>& tables() const { return tables_; }

 private:
  struct Trigger {
    std::string schema;
    std::string table;
    std::string name;
  };
  std::vector<TableDef> tables_;
  std::vector<Trigger> triggers_;
};

}  // namespace lockstep::sql
