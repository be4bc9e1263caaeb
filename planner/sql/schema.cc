#include "planner/sql/schema.h"

namespace lockstep::sql {
namespace {

bool Matches(std::string_view want_schema, std::string_view want_table, std::string_view schema,
             std::string_view table) {
  // Table names are case-sensitive on Linux servers (lower_case_table_names=0).
  if (table != want_table) return false;
  return want_schema.empty() || schema.empty() || want_schema == schema;
}

}  // namespace

void Schema::AddTable(TableDef table) {
  for (TableDef& existing : tables_) {
    if (existing.name == table.name && existing.schema == table.schema) {
      existing = std::move(table);
      return;
    }
  }
  tables_.push_back(std::move(table));
}

void Schema::AddTrigger(std::string schema, std::string table, std::string trigger) {
  triggers_.push_back({std::move(schema), std::move(table), std::move(trigger)});
}

const TableDef* Schema::FindTable(std::string_view schema, std::string_view table) const {
  for (const TableDef& def : tables_) {
    if (Matches(schema, table, def.schema, def.name)) return &def;
  }
  return nullptr;
}

std::vector<std::string> Schema::TriggersOn(std::string_view schema, std::string_view table) const {
  std::vector<std::string> out;
  for (const Trigger& t : triggers_) {
    if (Matches(schema, table, t.schema, t.table)) out.push_back(t.name);
  }
  return out;
}

std::vector<Schema::Reference> Schema::ReferencesTo(std::string_view schema,
                                                    std::string_view table) const {
  std::vector<Reference> out;
  for (const TableDef& child : tables_) {
    for (const ForeignKeyDef& fk : child.foreign_keys) {
      // An unqualified reference points into the child's own schema.
      const std::string& ref_schema = fk.ref_schema.empty() ? child.schema : fk.ref_schema;
      const bool self = child.name == table && (schema.empty() || child.schema.empty() ||
                                                child.schema == schema);
      if (!self && Matches(schema, table, ref_schema, fk.ref_table)) out.push_back({&child, &fk});
    }
  }
  return out;
}

}  // namespace lockstep::sql
