// SQL text of the executor's shadow table and cut-over steps: session
// settings, AUTO_INCREMENT, the cut-over lock, the atomic rename, and the
// processlist look-ups that watch the rename queue behind the lock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lockstep::sql {

// --- sessions ---
std::string ConnectionId();
std::string SetReadCommitted();
std::string SetInnodbLockWaitTimeout(unsigned seconds);
std::string SetLockWaitTimeout(unsigned seconds);
std::string InnodbAutoincLockMode();
std::string GtidBinlogPos();
std::string ShowWarnings();
std::string Begin();
std::string Commit();
std::string Rollback();

// --- shadow table ---
std::string CreateTableLike(std::string_view schema, std::string_view table, std::string_view like);
std::string DropTableIfExists(std::string_view schema, std::string_view table);
// The table's next AUTO_INCREMENT value (NULL without an AUTO_INCREMENT
// column). Reading it opens the table, so it also serves as a metadata-lock
// probe: under LOCK TABLES the server only tries the lock and, when another
// session holds it exclusively, skips the table with warning 1684.
std::string TableAutoIncrement(std::string_view schema, std::string_view table);
std::string SetAutoIncrement(std::string_view schema, std::string_view table, uint64_t value);
// Exact row count (a full scan: tests and small tables only).
std::string CountRows(std::string_view schema, std::string_view table);

// --- cut-over ---
// LOCK TABLES t WRITE that gives up after `max_wait_ms` (error 1969).
// lock_wait_timeout counts whole seconds only (and `WAIT 0.5` is taken as
// NOWAIT, measured), so the sub-second bound is max_statement_time's.
std::string LockTableForWrite(std::string_view schema, std::string_view table, int64_t max_wait_ms);
std::string UnlockTables();
// RENAME TABLE t TO old, shadow TO t: one atomic statement that the DRC
// filter drops as a whole (REFERENCE.md section 2).
std::string CutoverRename(std::string_view schema, std::string_view table,
                          std::string_view old_table, std::string_view shadow_table);
// STATE and INFO of one connection ("Waiting for table metadata lock").
std::string ThreadState(uint64_t connection_id);
std::string KillQuery(uint64_t connection_id);
// KillConnection: see sql.h.

}  // namespace lockstep::sql
