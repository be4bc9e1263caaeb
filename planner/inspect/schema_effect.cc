#include "planner/inspect/schema_effect.h"

#include "db/sql.h"

namespace lockstep {
namespace {

constexpr const char* kProbeTable = "_lockstep_plan_probe";

// SHOW CREATE of the probe names the probe and says TEMPORARY; rewrite its
// first line so the result reads as the table's own definition.
std::string AsTableDefinition(const std::string& probe_sql, const std::string& table) {
  const size_t eol = probe_sql.find('\n');
  const std::string rest = eol == std::string::npos ? "" : probe_sql.substr(eol);
  return "CREATE TABLE " + sql::QuoteIdentifier(table) + " (" + rest;
}

Result<std::string> ShowCreate(Connection& conn, const std::string& schema,
                               const std::string& table) {
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql::ShowCreateTable(schema, table)));
  if (r.rows.empty() || r.rows[0].size() < 2 || !r.rows[0][1]) {
    return Status::NotFound("SHOW CREATE TABLE returned nothing for " + schema + "." + table);
  }
  return *r.rows[0][1];
}

}  // namespace

Result<std::vector<std::string>> ProbeSchemaSteps(
    Connection& conn, const std::string& schema, const std::string& table,
    const std::vector<std::vector<std::string>>& steps) {
  // A probe left by an earlier failure in this same session is dropped first.
  LOCKSTEP_RETURN_IF_ERROR(conn.Execute(sql::DropTemporaryTable(schema, kProbeTable)));
  LOCKSTEP_RETURN_IF_ERROR(conn.Execute(sql::CreateTemporaryTableLike(schema, kProbeTable, table)));
  std::vector<std::string> after;
  Status altered;
  for (const auto& clauses : steps) {
    altered = conn.Execute(sql::AlterTableClauses(schema, kProbeTable, clauses));
    if (!altered.ok()) break;
    auto shown = ShowCreate(conn, schema, kProbeTable);
    altered = shown.status();
    if (!altered.ok()) break;
    after.push_back(AsTableDefinition(*shown, table));
  }
  Status dropped = conn.Execute(sql::DropTemporaryTable(schema, kProbeTable));
  if (!altered.ok()) {
    if (altered.IsDbError()) {
      return Status::InvalidArgument("the server rejects the change: " + altered.message());
    }
    return altered;
  }
  LOCKSTEP_RETURN_IF_ERROR(dropped);
  return after;
}

Result<SchemaEffect> ProbeSchemaEffect(Connection& conn, const std::string& schema,
                                       const std::string& table,
                                       const std::vector<std::string>& clauses) {
  SchemaEffect effect;
  LOCKSTEP_ASSIGN_OR_RETURN(effect.before_sql, ShowCreate(conn, schema, table));
  LOCKSTEP_ASSIGN_OR_RETURN(std::vector<std::string> after,
                            ProbeSchemaSteps(conn, schema, table, {clauses}));
  effect.after_sql = after.at(0);
  return effect;
}

}  // namespace lockstep
