#include "db/sql.h"

namespace lockstep::sql {

std::string QuoteIdentifier(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '`';
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  out += '`';
  return out;
}

std::string QualifiedName(std::string_view schema, std::string_view table) {
  return QuoteIdentifier(schema) + "." + QuoteIdentifier(table);
}

std::string QuoteString(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  out += '\'';
  for (char c : value) {
    switch (c) {
      case '\0': out += "\\0"; break;
      case '\'': out += "\\'"; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\x1a': out += "\\Z"; break;
      default: out += c;
    }
  }
  out += '\'';
  return out;
}

std::string SessionSetup(std::string_view sql_mode, unsigned lock_wait_timeout_s) {
  return "SET SESSION sql_mode = " + QuoteString(sql_mode) +
         ", SESSION time_zone = '+00:00'"
         ", SESSION lock_wait_timeout = " + std::to_string(lock_wait_timeout_s) +
         ", NAMES utf8mb4";
}

std::string ShowCreateTable(std::string_view schema, std::string_view table) {
  return "SHOW CREATE TABLE " + QualifiedName(schema, table);
}

std::string TableStatus(std::string_view schema, std::string_view table) {
  return "SELECT ENGINE, TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH, DATA_FREE, AVG_ROW_LENGTH "
         "FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + QuoteString(schema) +
         " AND TABLE_NAME = " + QuoteString(table);
}

std::string ShowAllSlavesStatus() { return "SHOW ALL SLAVES STATUS"; }

std::string ServerSettings() {
  return "SELECT @@version AS version, @@server_id AS server_id, "
         "@@gtid_domain_id AS gtid_domain_id, @@log_bin AS log_bin, "
         "@@binlog_format AS binlog_format, @@binlog_row_image AS binlog_row_image, "
         "@@log_slave_updates AS log_slave_updates, "
         "@@gtid_ignore_duplicates AS gtid_ignore_duplicates, "
         "@@auto_increment_increment AS auto_increment_increment, "
         "@@auto_increment_offset AS auto_increment_offset, "
         "@@gtid_binlog_pos AS gtid_binlog_pos, @@read_only AS read_only, "
         "@@lock_wait_timeout AS lock_wait_timeout, @@datadir AS datadir";
}

std::string ServerClockMicros() {
  return "SELECT CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED)";
}


std::string DisksPluginSpace() {
  return "SELECT Path, Total * 1024 AS total_bytes, Available * 1024 AS available_bytes "
         "FROM information_schema.DISKS";
}

std::string InformationSchemaTableExists(std::string_view name) {
  return "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
         "'information_schema' AND TABLE_NAME = " + QuoteString(name);
}

std::string InnodbTransactions() {
  // Ages are computed by the server from its own clock: no skew with ours.
  return "SELECT trx_mysql_thread_id AS thread_id, "
         "TIMESTAMPDIFF(MICROSECOND, trx_started, NOW(6)) DIV 1000 AS age_ms, "
         "trx_state AS state, LEFT(COALESCE(trx_query, ''), 200) AS query "
         "FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id <> CONNECTION_ID() "
         "ORDER BY trx_started";
}

std::string MetadataLockHolders(std::string_view schema, std::string_view table) {
  return "SELECT DISTINCT THREAD_ID FROM information_schema.METADATA_LOCK_INFO "
         "WHERE TABLE_SCHEMA = " + QuoteString(schema) + " AND TABLE_NAME = " + QuoteString(table) +
         " AND THREAD_ID <> CONNECTION_ID()";
}

std::string ExistingTables(std::string_view schema, const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + QuoteString(n);
  if (list.empty()) list = "NULL";
  return "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
         QuoteString(schema) + " AND TABLE_NAME IN (" + list + ") ORDER BY TABLE_NAME";
}

std::string TriggerCount(std::string_view schema, std::string_view table) {
  return "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = " +
         QuoteString(schema) + " AND EVENT_OBJECT_TABLE = " + QuoteString(table);
}

std::string ReferencingForeignKeys(std::string_view schema, std::string_view table) {
  return "SELECT CONCAT(CONSTRAINT_SCHEMA, '.', TABLE_NAME, '.', CONSTRAINT_NAME) "
         "FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE UNIQUE_CONSTRAINT_SCHEMA = " +
         QuoteString(schema) + " AND REFERENCED_TABLE_NAME = " + QuoteString(table);
}


std::string CreateTemporaryTableLike(std::string_view schema, std::string_view probe,
                                     std::string_view table) {
  return "CREATE TEMPORARY TABLE " + QualifiedName(schema, probe) + " LIKE " +
         QualifiedName(schema, table);
}

std::string DropTemporaryTable(std::string_view schema, std::string_view probe) {
  return "DROP TEMPORARY TABLE IF EXISTS " + QualifiedName(schema, probe);
}

std::string AlterTableClauses(std::string_view schema, std::string_view table,
                              const std::vector<std::string>& clauses) {
  std::string out = "ALTER TABLE " + QualifiedName(schema, table) + " ";
  for (size_t i = 0; i < clauses.size(); ++i) out += (i ? ", " : "") + clauses[i];
  return out;
}

std::string MasterGtidWait(std::string_view gtid, int64_t timeout_ms) {
  return "SELECT MASTER_GTID_WAIT(" + QuoteString(gtid) + ", " +
         std::to_string(static_cast<double>(timeout_ms) / 1000.0) + ")";
}

std::string BinlogChecksum() { return "SELECT @@GLOBAL.binlog_checksum"; }

std::string BinlogDumpSession(std::string_view checksum,
                              std::optional<std::string_view> gtid_position, int64_t heartbeat_ns) {
  std::string set = "SET @master_binlog_checksum = " + QuoteString(checksum);
  if (gtid_position) {
    set += ", @slave_connect_state = " + QuoteString(*gtid_position) +
           ", @slave_gtid_strict_mode = 0, @slave_gtid_ignore_duplicates = 0";
  }
  return set + ", @mariadb_slave_capability = 4, @master_heartbeat_period = " +
         std::to_string(heartbeat_ns);
}

std::string BinlogDumpThreads() {
  return "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND = 'Binlog Dump' ORDER BY ID";
}

std::string KillConnection(uint64_t connection_id) {
  return "KILL CONNECTION " + std::to_string(connection_id);
}

std::string ShowBinaryLogs() { return "SHOW BINARY LOGS"; }

std::string MaxAllowedPacket() { return "SELECT @@max_allowed_packet"; }

std::string QuestionsCount() {
  return "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
         "WHERE VARIABLE_NAME = 'QUESTIONS'";
}

std::string BinlogGtidPosAtStart(std::string_view file) {
  return "SELECT BINLOG_GTID_POS(" + QuoteString(file) + ", 4)";
}

std::string SessionBinlogOff() { return "SET SESSION sql_log_bin = 0"; }

std::string AlterTableNative(std::string_view schema, std::string_view table,
                             const std::vector<std::string>& clauses, std::string_view algorithm) {
  std::vector<std::string> all = clauses;
  all.push_back("ALGORITHM=" + std::string(algorithm));
  all.push_back("LOCK=NONE");
  return AlterTableClauses(schema, table, all);
}

std::string SessionLockWaitTimeout(int64_t timeout_ms) {
  const int64_t seconds = timeout_ms < 1000 ? 1 : (timeout_ms + 999) / 1000;
  return "SET SESSION lock_wait_timeout = " + std::to_string(seconds);
}

}  // namespace lockstep::sql
