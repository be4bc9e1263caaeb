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
//
// With `defer_secondary_indexes`, `_t_new` is made without its plain
// secondary keys (deferred_indexes.h), and BuildDeferredIndexes() adds them
// once the copy is done; a resume accepts `_t_new` with or without them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "db/connection.h"
#include "executor/shadow/artifact_recorder.h"
#include "executor/shadow/column_mapping.h"
#include "executor/shadow/copy_safety.h"
#include "executor/shadow/deferred_indexes.h"
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
  // The keys _t_new is still without, to be added after the copy; and the
  // definition it has then (normalized SHOW CREATE TABLE text).
  std::vector<DeferredIndex> indexes_to_build;
  std::string final_definition;
};

struct ShadowTableOptions {
  bool defer_secondary_indexes = false;
};

class ShadowTable {
 public:
  // `conn` and `recorder` must outlive the object. `conn` is used for DDL on
  // artifacts only (binlogged; the DRC filter keeps `_` tables local).
  ShadowTable(Connection& conn, ArtifactRecorder& recorder, ShadowSpec spec,
              ShadowTableOptions options = {})
      : conn_(conn), recorder_(recorder), spec_(std::move(spec)), options_(options) {}

  // Creates `_t_new` or reuses a matching one.
  //   NotFound: t does not exist.
  //   InvalidArgument: the server rejects the clauses; a rename names a missing column.
  //   FailedPrecondition: `_t_new` exists with another definition; t has no
  //     primary key; a name is too long.
  [[nodiscard]] Result<ShadowTableInfo> Ensure();

  // Adds `info.indexes_to_build` to _t_new (online: the applier keeps
  // writing), waiting at most `lock_wait_s` for its metadata lock, and
  // checks that _t_new is then what the change makes. Idempotent: a no-op
  // when they are there, also after a crash in the middle of it.
  [[nodiscard]] Status BuildDeferredIndexes(ShadowTableInfo& info, unsigned lock_wait_s = 60);

 private:
  Result<std::optional<std::string>> ShowCreateIfExists(const std::string& table);
  Status Create(const std::vector<DeferredIndex>& deferred);
  Status ApplyClauses();
  Status DropDeferred(const std::vector<DeferredIndex>& deferred);
  Result<bool> IsEmpty(const std::string& table);

  Connection& conn_;
  ArtifactRecorder& recorder_;
  const ShadowSpec spec_;
  const ShadowTableOptions options_;
};

// SHOW CREATE TABLE text named as `table`, without the AUTO_INCREMENT=n
// table option (a counter, not a definition): equal texts, equal tables.
std::string NormalizedDefinition(const std::string& show_create, const std::string& table);

}  // namespace lockstep::executor
