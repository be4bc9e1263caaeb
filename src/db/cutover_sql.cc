#include "db/cutover_sql.h"

#include <algorithm>
#include <cstdio>

#include "db/sql.h"

namespace lockstep::sql {

std::string ConnectionId() { return "SELECT CONNECTION_ID()"; }
std::string SetReadCommitted() { return "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"; }
std::string SetInnodbLockWaitTimeout(unsigned seconds) {
  return "SET SESSION innodb_lock_wait_timeout = " + std::to_string(std::max(seconds, 1u));
}
std::string SetLockWaitTimeout(unsigned seconds) {
  return "SET SESSION lock_wait_timeout = " + std::to_string(std::max(seconds, 1u));
}
std::string SetWaitTimeout(unsigned seconds) {
  return "SET SESSION wait_timeout = " + std::to_string(std::max(seconds, 1u));
}
std::string InnodbAutoincLockMode() { return "SELECT @@innodb_autoinc_lock_mode"; }
std::string GtidBinlogPos() { return "SELECT @@gtid_binlog_pos"; }
std::string ShowWarnings() { return "SHOW WARNINGS"; }
std::string Begin() { return "START TRANSACTION"; }
std::string Commit() { return "COMMIT"; }
std::string Rollback() { return "ROLLBACK"; }

std::string CreateTableLike(std::string_view schema, std::string_view table, std::string_view like) {
  return "CREATE TABLE " + QualifiedName(schema, table) + " LIKE " + QualifiedName(schema, like);
}

std::string DropTableIfExists(std::string_view schema, std::string_view table) {
  return "DROP TABLE IF EXISTS " + QualifiedName(schema, table);
}

std::string TableAutoIncrement(std::string_view schema, std::string_view table) {
  return "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
         QuoteString(schema) + " AND TABLE_NAME = " + QuoteString(table);
}

std::string SetAutoIncrement(std::string_view schema, std::string_view table, uint64_t value) {
  return "ALTER TABLE " + QualifiedName(schema, table) + " AUTO_INCREMENT = " + std::to_string(value);
}

namespace {
std::string StatementTimeLimit(int64_t max_ms) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", static_cast<double>(std::max<int64_t>(max_ms, 1)) / 1000.0);
  return std::string("SET STATEMENT max_statement_time = ") + seconds + " FOR ";
}
}  // namespace

std::string SetAutoIncrementWithin(std::string_view schema, std::string_view table, uint64_t value,
                                   int64_t max_ms) {
  return StatementTimeLimit(max_ms) + SetAutoIncrement(schema, table, value);
}

std::string CountRows(std::string_view schema, std::string_view table) {
  return "SELECT COUNT(*) FROM " + QualifiedName(schema, table);
}

std::string LockTableForWrite(std::string_view schema, std::string_view table, int64_t max_wait_ms) {
  return StatementTimeLimit(max_wait_ms) + "LOCK TABLES " + QualifiedName(schema, table) + " WRITE";
}

std::string LockTableAndSentry(std::string_view schema, std::string_view table, std::string_view sentry,
                               TableLockMode mode, int64_t max_wait_ms) {
  return StatementTimeLimit(max_wait_ms) + "LOCK TABLES " + QualifiedName(schema, table) +
         (mode == TableLockMode::kRead ? " READ, " : " WRITE, ") + QualifiedName(schema, sentry) + " WRITE";
}

std::string PendingExclusiveProbe(std::string_view schema, std::string_view table) {
  return "SET STATEMENT lock_wait_timeout = 0 FOR SELECT 1 FROM " + QualifiedName(schema, table) +
         " LIMIT 0";
}

std::string SetMaxStatementTime(int64_t max_ms) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", static_cast<double>(std::max<int64_t>(max_ms, 1)) / 1000.0);
  return std::string("SET SESSION max_statement_time = ") + seconds;
}

std::string CreateSentry(std::string_view schema, std::string_view sentry) {
  return "CREATE TABLE " + QualifiedName(schema, sentry) +
         " (lockstep_sentry TINYINT) ENGINE=InnoDB COMMENT " + QuoteString(kSentryComment);
}

std::string DropTable(std::string_view schema, std::string_view table) {
  return "DROP TABLE " + QualifiedName(schema, table);
}

std::string DropTableWithin(std::string_view schema, std::string_view table, int64_t max_ms) {
  return StatementTimeLimit(max_ms) + DropTable(schema, table);
}

std::string TableComment(std::string_view schema, std::string_view table) {
  return "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
         QuoteString(schema) + " AND TABLE_NAME = " + QuoteString(table);
}

std::string UnlockTables() { return "UNLOCK TABLES"; }

std::string CutoverRename(std::string_view schema, std::string_view table,
                          std::string_view old_table, std::string_view shadow_table) {
  return "RENAME TABLE " + QualifiedName(schema, table) + " TO " + QualifiedName(schema, old_table) +
         ", " + QualifiedName(schema, shadow_table) + " TO " + QualifiedName(schema, table);
}

std::string ThreadState(uint64_t connection_id) {
  return "SELECT STATE, INFO FROM information_schema.PROCESSLIST WHERE ID = " +
         std::to_string(connection_id);
}

std::string KillQuery(uint64_t connection_id) {
  return "KILL QUERY " + std::to_string(connection_id);
}

}  // namespace lockstep::sql
