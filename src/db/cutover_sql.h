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
// The server closes the session after this many idle seconds: a lock held by
// a lockstep that hangs (SIGSTOP, cut off) ends by itself.
std::string SetWaitTimeout(unsigned seconds);
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
// The same, given up after `max_ms` (a holder of the table's metadata lock
// must not hold the cut-over's lock longer than its budget).
std::string SetAutoIncrementWithin(std::string_view schema, std::string_view table, uint64_t value,
                                   int64_t max_ms);
// Exact row count (a full scan: tests and small tables only).
std::string CountRows(std::string_view schema, std::string_view table);

// --- cut-over ---
// LOCK TABLES t WRITE that gives up after `max_wait_ms` (error 1969).
// lock_wait_timeout counts whole seconds only (and `WAIT 0.5` is taken as
// NOWAIT, measured), so the sub-second bound is max_statement_time's.
std::string LockTableForWrite(std::string_view schema, std::string_view table, int64_t max_wait_ms);
// LOCK TABLES t READ, sentry WRITE, with the same bound. READ stops every
// write to t and still lets a no-wait read tell a pending RENAME
// (PendingExclusiveProbe); the sentry must be write-locked to be dropped.
enum class TableLockMode { kRead, kWrite };
std::string LockTableAndSentry(std::string_view schema, std::string_view table, std::string_view sentry,
                               TableLockMode mode, int64_t max_wait_ms);
// A read of t that does not wait for its metadata lock: it fails with 1205
// while an exclusive request (the RENAME) is queued on t, and passes under
// LOCK TABLES t READ alone.
std::string PendingExclusiveProbe(std::string_view schema, std::string_view table);
std::string SetMaxStatementTime(int64_t max_ms);
// The sentry: a table under the rename's target name, so that a RENAME let
// through without the lock holder fails (1050); dropped only by the holder.
std::string CreateSentry(std::string_view schema, std::string_view sentry);
std::string DropTable(std::string_view schema, std::string_view table);
// DROP TABLE given up after `max_ms`: under the cut-over's lock, bounded by its budget.
std::string DropTableWithin(std::string_view schema, std::string_view table, int64_t max_ms);
// TABLE_COMMENT of one table: how a sentry is told from a real `_t_old`.
std::string TableComment(std::string_view schema, std::string_view table);
inline constexpr const char* kSentryComment = "lockstep cut-over sentry";
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
