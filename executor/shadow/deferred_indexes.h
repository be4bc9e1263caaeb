// DeferredIndexes: the secondary indexes `_t_new` is built without, and
// added once the copy is done.
//
// Every row the copy inserts in key order and every change the applier
// upserts also goes into each secondary index of `_t_new`, at a random place
// in it. Without them, and one sorted build per index at the end (what the
// server's own ALTER does), measured on the sandbox with a 1M-row sysbench
// table and its one secondary index: the copy took 3.9 s instead of 6.0 s,
// plus 0.8 s for the build; applying 164k changed rows took 2.1 s instead of
// 2.9 s. Both are server time the application does not get while the copy
// runs.
//
// Only plain (non-unique) B-tree keys on named columns of InnoDB tables are
// deferred: a UNIQUE key must hold while rows arrive (a duplicate stops the
// copy and is reported, never dropped), and only InnoDB adds keys online.
// HASH keys stay; tables with foreign keys (which need their index),
// FULLTEXT or SPATIAL keys, generated columns or system versioning keep the
// plain path. ShadowTable also checks on a temporary copy that dropping and
// adding the keys back gives the same definition (the server lists keys
// added later after the others), and defers nothing where it does not.
#pragma once

#include <string>
#include <vector>

#include "planner/sql/table_def.h"

namespace lockstep::executor {

struct DeferredIndex {
  std::string name;        // as the server names it
  std::string definition;  // as SHOW CREATE TABLE prints it: "KEY `k_1` (`k`)"
};

// The keys of `final_def` (parsed from `final_sql`, the SHOW CREATE TABLE
// text of the table the change makes) that the copy can do without.
std::vector<DeferredIndex> DeferrableIndexes(const sql::TableDef& final_def,
                                             const std::string& final_sql);

// "DROP INDEX `a`", ... for each index.
std::vector<std::string> DropIndexClauses(const std::vector<DeferredIndex>& indexes);
// "ADD KEY `a` (`x`)", ... for each index.
std::vector<std::string> AddIndexClauses(const std::vector<DeferredIndex>& indexes);
// "`a`, `b`" for messages.
std::string IndexNames(const std::vector<DeferredIndex>& indexes);

}  // namespace lockstep::executor
