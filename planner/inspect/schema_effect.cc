#include "planner/inspect/schema_effect.h"

#include <set>
#include <sstream>

#include "db/sql.h"
#include "planner/sql/create_table_parser.h"
#include "planner/sql/statement_parser.h"

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

// The clause's key if it adds a FULLTEXT key.
std::optional<sql::IndexDef> AddedFulltextKey(const std::string& clause) {
  auto alter = sql::ParseAlterTable("ALTER TABLE `lockstep_probe` " + clause);
  if (!alter.ok() || alter->clauses.size() != 1) return std::nullopt;
  const sql::AlterClause& c = alter->clauses[0];
  if (c.kind != sql::ClauseKind::kAddIndex || !c.index || c.index->kind != sql::IndexKind::kFulltext) {
    return std::nullopt;
  }
  return c.index;
}

// `create_sql` with FULLTEXT key lines for `keys` after its last key line
// (before the constraints), named as the server names them.
Result<std::string> WithFulltextKeys(const std::string& create_sql, const std::vector<sql::IndexDef>& keys) {
  LOCKSTEP_ASSIGN_OR_RETURN(sql::TableDef def, sql::ParseCreateTable(create_sql));
  std::set<std::string> taken;
  for (const sql::IndexDef& index : def.indexes) taken.insert(sql::ToLowerAscii(index.name));
  std::vector<std::string> lines;
  std::istringstream in(create_sql);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  if (lines.size() < 3) return Status::Internal("unexpected SHOW CREATE TABLE: " + create_sql);
  // Body lines run from 1 to the line starting with ')'.
  size_t close = lines.size() - 1;
  while (close > 0 && (lines[close].empty() || lines[close][0] != ')')) --close;
  size_t at = close;  // insert before this line
  for (size_t i = 1; i < close; ++i) {
    if (lines[i].rfind("  CONSTRAINT ", 0) == 0) {
      at = i;
      break;
    }
  }
  std::vector<std::string> added;
  for (const sql::IndexDef& key : keys) {
    if (key.columns.empty() || key.columns[0].name.empty()) {
      return Status::InvalidArgument("a FULLTEXT key needs named columns");
    }
    std::string name = key.name.empty() ? key.columns[0].name : key.name;
    for (int n = 2; key.name.empty() && taken.count(sql::ToLowerAscii(name)); ++n) {
      name = key.columns[0].name + "_" + std::to_string(n);
    }
    taken.insert(sql::ToLowerAscii(name));
    std::string cols;
    for (const sql::IndexColumn& c : key.columns) cols += (cols.empty() ? "" : ",") + sql::QuoteIdentifier(c.name);
    added.push_back("  FULLTEXT KEY " + sql::QuoteIdentifier(name) + " (" + cols + ")");
  }
  // Every body line but the last ends with a comma.
  if (at == close && at > 1 && lines[at - 1].back() != ',') lines[at - 1] += ",";
  for (size_t i = 0; i < added.size(); ++i) {
    if (at != close || i + 1 < added.size()) added[i] += ",";
  }
  lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), added.begin(), added.end());
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out;
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
  Result<std::vector<std::string>> after = ProbeSchemaSteps(conn, schema, table, {clauses});
  if (!after.ok() && after.status().message().find("FULLTEXT index on temporary") != std::string::npos) {
    std::vector<std::string> tried;
    std::vector<sql::IndexDef> fulltext;
    for (const std::string& clause : clauses) {
      if (std::optional<sql::IndexDef> key = AddedFulltextKey(clause)) {
        fulltext.push_back(*key);
        effect.decided_from_clauses.push_back(
            "`" + clause + "` decided from the parsed clause, not tried: the server's temporary "
            "probe table cannot take a FULLTEXT key; an added key changes no row event");
      } else {
        tried.push_back(clause);
      }
    }
    if (!fulltext.empty()) {
      LOCKSTEP_ASSIGN_OR_RETURN(std::vector<std::string> rest, ProbeSchemaSteps(conn, schema, table, {tried}));
      LOCKSTEP_ASSIGN_OR_RETURN(effect.after_sql, WithFulltextKeys(rest.at(0), fulltext));
      return effect;
    }
  }
  if (!after.ok()) return after.status();
  effect.after_sql = after->at(0);
  return effect;
}

}  // namespace lockstep
