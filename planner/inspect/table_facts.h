// What the planner reads about one table in one DC: its definition, size,
// the free disk under it, transactions that could block a cut-over, and
// leftovers of an earlier migration. Read-only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/topology.h"
#include "db/connection.h"

namespace lockstep {

struct DiskSpace {
  std::optional<int64_t> free_bytes;   // nullopt: unknown
  std::optional<int64_t> total_bytes;
  std::string source;                  // how it was learned, or why it is unknown
};

struct OpenTransaction {
  int64_t thread_id = 0;
  int64_t age_ms = 0;
  std::string state;
  std::string query;
  // true: holds a metadata lock on the table; nullopt: cannot tell (no
  // metadata_lock_info plugin), which the checks treat as "may touch it".
  std::optional<bool> touches_table;
};

struct TableFacts {
  bool exists = false;
  std::string create_sql;  // SHOW CREATE TABLE, as the server prints it
  std::string engine;
  int64_t rows_estimate = 0;
  int64_t data_bytes = 0;
  int64_t index_bytes = 0;
  DiskSpace disk;
  std::vector<OpenTransaction> transactions;    // every open InnoDB transaction
  std::vector<std::string> leftover_artifacts;  // _t_new, _t_old, ... that exist now
  std::optional<std::string> owner;             // the lockstep migrating it (db/owner_sql.h)
  int64_t trigger_count = 0;
  std::vector<std::string> referencing_foreign_keys;
};

// Reads the facts of schema.table in the DC behind `conn`. `datadir` (from
// DcFacts) locates the disk; `dc` tells whether the server is on this machine.
Result<TableFacts> InspectTable(Connection& conn, const DcConfig& dc, const std::string& datadir,
                                const std::string& schema, const std::string& table);

}  // namespace lockstep
