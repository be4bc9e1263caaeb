// ShadowTable: creates `_t_new` (the table with the new schema) in one DC,
// or finds the one an earlier run created, and describes how rows go from
// `t` into it.
//
//   ShadowTable shadow(conn, recorder, spec);
//   LOCKSTEP_ASSIGN_OR_RETURN(ShadowTableInfo info, shadow.Ensure());
//
// The expected definition is learned from the server: the clauses are first
// applied to a session-scoped temporary copy of `t` (planner's
// ProbeSchemaEffect), so a resume can tell whether an existing `_t_new` is
// the one this change makes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "db/connection.h"
#include "executor/shadow/artifact_recorder.h"
#include "executor/shadow/column_mapping.h"
#include "executor/shadow/copy_safety.h"
#include "executor/shadow/shadow_spec.h"
#include "planner/sql/table_def.h"

namespace lockstep::executor {

struct ShadowTableInfo {
  std::string schema;
  std::string table;         // t
  std::string shadow_table;  // _t_new
  std::string old_table;     // _t_old: what t becomes at the cut-over
  sql::TableDef source_def;  // t as SHOW CREATE TABLE reports it
  sql::TableDef shadow_def;  // _t_new likewise
  ColumnMapping mapping;
  CopySafety copy_safety;
  // t's AUTO_INCREMENT when the shadow was made (nullopt: no such column).
  // The cut-over raises _t_new's to t's value at that moment (gh-ost #381).
  std::optional<uint64_t> source_auto_increment;
  bool reused = false;  // an earlier run's _t_new, verified identical
};

class ShadowTable {
 public:
  // `conn` and `recorder` must outlive the object. `conn` is used for DDL on
  // artifacts only (binlogged; the DRC filter keeps `_` tables local).
  ShadowTable(Connection& conn, ArtifactRecorder& recorder, ShadowSpec spec)
      : conn_(conn), recorder_(recorder), spec_(std::move(spec)) {}

  // Creates `_t_new` or reuses a matching one.
  //   NotFound: t does not exist.
  //   InvalidArgument: the server rejects the clauses; a rename names a missing column.
  //   FailedPrecondition: `_t_new` exists with another definition; t has no
  //     primary key; a name is too long.
  [[nodiscard]] Result<ShadowTableInfo> Ensure();

 private:
  Result<std::optional<std::string>> ShowCreateIfExists(const std::string& table);
  Status Create();
  Status ApplyClauses();
  Result<bool> IsEmpty(const std::string& table);

  Connection& conn_;
  ArtifactRecorder& recorder_;
  const ShadowSpec spec_;
};

// SHOW CREATE TABLE text named as `table`, without the AUTO_INCREMENT=n
// table option (a counter, not a definition): equal texts, equal tables.
std::string NormalizedDefinition(const std::string& show_create, const std::string& table);

}  // namespace lockstep::executor
