#include "executor/shadow/shadow_table.h"

#include <mysqld_error.h>

#include <cstdlib>

#include "db/artifact_names.h"
#include "db/cutover_sql.h"
#include "db/sql.h"
#include "planner/inspect/schema_effect.h"
#include "planner/sql/create_table_parser.h"

namespace lockstep::executor {
namespace {

Result<std::optional<uint64_t>> AutoIncrementOf(Connection& conn, const std::string& schema,
                                                const std::string& table) {
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult r, conn.Query(sql::TableAutoIncrement(schema, table)));
  if (r.rows.empty() || !r.rows[0][0]) return std::optional<uint64_t>();
  return std::optional<uint64_t>(std::stoull(*r.rows[0][0]));
}

}  // namespace

std::string NormalizedDefinition(const std::string& show_create, const std::string& table) {
  const size_t eol = show_create.find('\n');
  std::string out = "CREATE TABLE " + sql::QuoteIdentifier(table) + " (" +
                    (eol == std::string::npos ? "" : show_create.substr(eol));
  // The options follow the last ')' of the column list.
  const std::string option = " AUTO_INCREMENT=";
  const size_t close = out.rfind("\n)");
  size_t at = out.find(option, close == std::string::npos ? 0 : close);
  if (at != std::string::npos) {
    size_t end = at + option.size();
    while (end < out.size() && out[end] >= '0' && out[end] <= '9') ++end;
    out.erase(at, end - at);
  }
  return out;
}

Result<std::optional<std::string>> ShadowTable::ShowCreateIfExists(const std::string& table) {
  auto r = conn_.Query(sql::ShowCreateTable(spec_.schema, table));
  if (!r.ok()) {
    if (r.status().server_errno() == ER_NO_SUCH_TABLE) return std::optional<std::string>();
    return r.status();
  }
  if (r->rows.empty() || r->rows[0].size() < 2 || !r->rows[0][1]) {
    return Status::NotFound("SHOW CREATE TABLE returned nothing for " + table);
  }
  return std::optional<std::string>(*r->rows[0][1]);
}

Result<bool> ShadowTable::IsEmpty(const std::string& table) {
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult r, conn_.Query(sql::CountRows(spec_.schema, table)));
  return !r.rows.empty() && r.rows[0][0] == std::optional<std::string>("0");
}

Status ShadowTable::ApplyClauses() {
  if (spec_.alter_clauses.empty()) return Status::Ok();
  return conn_.Execute(
      sql::AlterTableClauses(spec_.schema, ShadowTableName(spec_.table), spec_.alter_clauses));
}

Status ShadowTable::DropDeferred(const std::vector<DeferredIndex>& deferred) {
  if (deferred.empty()) return Status::Ok();
  return conn_.Execute(
      sql::AlterTableClauses(spec_.schema, ShadowTableName(spec_.table), DropIndexClauses(deferred)));
}

Status ShadowTable::Create(const std::vector<DeferredIndex>& deferred) {
  const std::string shadow = ShadowTableName(spec_.table);
  LOCKSTEP_RETURN_IF_ERROR(recorder_.Planned(ArtifactKind::kShadow, spec_.schema, shadow));
  LOCKSTEP_RETURN_IF_ERROR(conn_.Execute(sql::CreateTableLike(spec_.schema, shadow, spec_.table)));
  Status altered = ApplyClauses();
  if (altered.ok()) altered = DropDeferred(deferred);
  if (!altered.ok()) {
    // Nothing but this run has seen the half-made table: take it away so a
    // retry starts clean. The ALTER was accepted on the probe, so this is rare.
    Status dropped = conn_.Execute(sql::DropTableIfExists(spec_.schema, shadow));
    if (dropped.ok()) {
      LOCKSTEP_RETURN_IF_ERROR(recorder_.Dropped(ArtifactKind::kShadow, spec_.schema, shadow));
    }
    return altered.WithContext("applying the ALTER to " + shadow);
  }
  return recorder_.Created(ArtifactKind::kShadow, spec_.schema, shadow);
}

Result<ShadowTableInfo> ShadowTable::Ensure() {
  ShadowTableInfo info;
  info.schema = spec_.schema;
  info.table = spec_.table;
  info.shadow_table = ShadowTableName(spec_.table);
  info.old_table = OldTableName(spec_.table);
  if (info.old_table.size() > kMaxTableNameLength) {
    return Status::FailedPrecondition("table name too long for lockstep's artifacts: " +
                                      info.old_table);
  }

  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> source_sql, ShowCreateIfExists(spec_.table));
  if (!source_sql) return Status::NotFound("no table " + spec_.schema + "." + spec_.table);
  LOCKSTEP_ASSIGN_OR_RETURN(SchemaEffect effect,
                            ProbeSchemaEffect(conn_, spec_.schema, spec_.table, spec_.alter_clauses));
  const std::string expected = NormalizedDefinition(effect.after_sql, spec_.table);
  LOCKSTEP_ASSIGN_OR_RETURN(info.shadow_def, sql::ParseCreateTable(expected));

  // What _t_new is while rows are copied: without its deferrable keys, as
  // the server makes it, learned on a temporary copy that also adds them
  // back. Nothing is deferred where the server will not drop a key (an
  // AUTO_INCREMENT column's only key) or adding them back does not give the
  // expected definition (keys added later are listed after the others). An
  // existing _t_new is accepted in the building form even when this run
  // would not defer (an earlier run did).
  std::vector<DeferredIndex> deferrable = DeferrableIndexes(info.shadow_def, expected);
  std::string building = expected;
  if (!deferrable.empty()) {
    auto steps = ProbeSchemaSteps(conn_, spec_.schema, spec_.table,
                                  {spec_.alter_clauses, DropIndexClauses(deferrable),
                                   AddIndexClauses(deferrable)});
    if (steps.ok() && NormalizedDefinition(steps->at(2), spec_.table) == expected) {
      building = NormalizedDefinition(steps->at(1), spec_.table);
    } else if (steps.ok() || steps.status().IsInvalidArgument()) {
      deferrable.clear();
    } else {
      return steps.status();
    }
  }
  const std::vector<DeferredIndex> deferred =
      options_.defer_secondary_indexes ? deferrable : std::vector<DeferredIndex>{};

  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> existing, ShowCreateIfExists(info.shadow_table));
  if (!existing) {
    LOCKSTEP_RETURN_IF_ERROR(Create(deferred));
  } else {
    info.reused = true;
    std::string found = NormalizedDefinition(*existing, spec_.table);
    if (found != expected && found != building &&
        found == NormalizedDefinition(*source_sql, spec_.table)) {
      // A crash between CREATE ... LIKE and the ALTER: finish it, if nothing
      // has been written into the table yet.
      LOCKSTEP_ASSIGN_OR_RETURN(bool empty, IsEmpty(info.shadow_table));
      if (empty) {
        LOCKSTEP_RETURN_IF_ERROR(ApplyClauses());
        LOCKSTEP_RETURN_IF_ERROR(DropDeferred(deferred));
      }
    } else if (found == expected && !deferred.empty()) {
      // A crash between the ALTER and dropping the deferred keys.
      LOCKSTEP_ASSIGN_OR_RETURN(bool empty, IsEmpty(info.shadow_table));
      if (empty) LOCKSTEP_RETURN_IF_ERROR(DropDeferred(deferred));
    }
    // Recorded again: a no-op when the record exists, a repair when it does not.
    LOCKSTEP_RETURN_IF_ERROR(recorder_.Planned(ArtifactKind::kShadow, spec_.schema, info.shadow_table));
    LOCKSTEP_RETURN_IF_ERROR(recorder_.Created(ArtifactKind::kShadow, spec_.schema, info.shadow_table));
  }
  LOCKSTEP_ASSIGN_OR_RETURN(existing, ShowCreateIfExists(info.shadow_table));
  const std::string now = existing ? NormalizedDefinition(*existing, spec_.table) : "";
  if (now != expected && now != building) {
    return Status::FailedPrecondition(
        spec_.schema + "." + info.shadow_table +
        " exists but is not what this ALTER makes of " + spec_.table +
        " (left by another change, or the table changed since): drop it or finish that change");
  }
  info.final_definition = expected;
  if (now != expected) info.indexes_to_build = std::move(deferrable);

  LOCKSTEP_ASSIGN_OR_RETURN(info.source_def, sql::ParseCreateTable(*source_sql));
  if (info.source_def.PrimaryKey() == nullptr) {
    return Status::FailedPrecondition(spec_.schema + "." + spec_.table +
                                      " has no primary key: rows cannot be copied in key order");
  }
  LOCKSTEP_ASSIGN_OR_RETURN(info.mapping, MapColumns(info.source_def, info.shadow_def, spec_));
  info.copy_safety = AnalyzeCopySafety(info.source_def, info.shadow_def, info.mapping);
  LOCKSTEP_ASSIGN_OR_RETURN(info.source_auto_increment, AutoIncrementOf(conn_, spec_.schema, spec_.table));
  return info;
}

Status ShadowTable::BuildDeferredIndexes(ShadowTableInfo& info, unsigned lock_wait_s) {
  if (info.indexes_to_build.empty()) return Status::Ok();
  // ALGORITHM=INPLACE, LOCK=NONE: the server sorts each key once and logs
  // the applier's writes meanwhile. Its metadata lock waits behind the
  // applier's open transactions (short) and, at most lock_wait_s, behind
  // anything else.
  LOCKSTEP_ASSIGN_OR_RETURN(auto previous_wait, conn_.QueryValue("SELECT @@SESSION.lock_wait_timeout"));
  LOCKSTEP_RETURN_IF_ERROR(conn_.Execute(sql::SetLockWaitTimeout(lock_wait_s)));
  std::vector<std::string> clauses = AddIndexClauses(info.indexes_to_build);
  clauses.push_back("ALGORITHM=INPLACE");
  clauses.push_back("LOCK=NONE");
  Status built = conn_.Execute(sql::AlterTableClauses(info.schema, info.shadow_table, clauses));
  const unsigned long previous = previous_wait ? std::strtoul(previous_wait->c_str(), nullptr, 10) : 0;
  if (previous > 0) (void)conn_.Execute(sql::SetLockWaitTimeout(static_cast<unsigned>(previous)));
  // A key that exists already: an earlier run's build finished after it
  // died. The definition below tells whether all are there.
  if (!built.ok() && built.server_errno() != ER_DUP_KEYNAME) {
    return built.WithContext("adding " + IndexNames(info.indexes_to_build) + " to " + info.shadow_table);
  }
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> now, ShowCreateIfExists(info.shadow_table));
  if (!now || NormalizedDefinition(*now, info.table) != info.final_definition) {
    return Status::FailedPrecondition(info.schema + "." + info.shadow_table + " is not what the change "
                                      "makes of " + info.table + " after adding " +
                                      IndexNames(info.indexes_to_build));
  }
  info.indexes_to_build.clear();
  return Status::Ok();
}

}  // namespace lockstep::executor
