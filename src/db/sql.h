// The one place where lockstep builds SQL text.
//
// Identifiers are always backtick-quoted and values always quoted and escaped
// here, so no other file splices names or user text into a statement.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep::sql {

// `name` with embedded backticks doubled. Works for any byte string.
std::string QuoteIdentifier(std::string_view name);
// `schema`.`table`
std::string QualifiedName(std::string_view schema, std::string_view table);
// 'value' with quotes, backslashes, NUL, CR, LF and ^Z escaped. Requires a
// session without NO_BACKSLASH_ESCAPES (every lockstep session).
std::string QuoteString(std::string_view value);

// Session setup run on every new connection.
std::string SessionSetup(std::string_view sql_mode, unsigned lock_wait_timeout_s);

// --- inspection (read-only) ---
std::string ShowCreateTable(std::string_view schema, std::string_view table);
// information_schema.TABLES row of one table: engine, rows, data/index length, free.
std::string TableStatus(std::string_view schema, std::string_view table);
// Replication links of this server (multi-source), one row per connection.
std::string ShowAllSlavesStatus();
// The server variables the doctor and the planner judge, as name/value rows.
std::string ServerSettings();
// The server's clock in microseconds since the epoch.
std::string ServerClockMicros();


// Table-level facts for the planner (all read-only).
// Free and total bytes per mount from the `disks` plugin (KiB in the server).
std::string DisksPluginSpace();
// Whether an information_schema table exists (a plugin may provide it).
std::string InformationSchemaTableExists(std::string_view name);
// InnoDB transactions with their age in milliseconds, oldest first.
std::string InnodbTransactions();
// Thread ids holding a metadata lock on the table (metadata_lock_info plugin).
std::string MetadataLockHolders(std::string_view schema, std::string_view table);
// Which of `names` exist as tables in `schema`.
std::string ExistingTables(std::string_view schema, const std::vector<std::string>& names);
// Number of triggers defined on the table.
std::string TriggerCount(std::string_view schema, std::string_view table);
// Foreign keys of other tables that reference this one ("schema.table.constraint").
std::string ReferencingForeignKeys(std::string_view schema, std::string_view table);


// Session-scoped probes used by the planner (not binlogged under ROW format).
std::string CreateTemporaryTableLike(std::string_view schema, std::string_view probe,
                                     std::string_view table);
std::string DropTemporaryTable(std::string_view schema, std::string_view probe);
// ALTER TABLE `schema`.`table` <clause>, <clause>, ... The clauses are the
// user's ALTER text split by the parser; they are SQL by design, not values.
std::string AlterTableClauses(std::string_view schema, std::string_view table,
                              const std::vector<std::string>& clauses);

// Waits until this server has applied `gtid`; 0 when it has, -1 on timeout.
std::string MasterGtidWait(std::string_view gtid, int64_t timeout_ms);

// --- binlog streaming (executor/binlog) ---
// The server's binlog checksum algorithm ("CRC32" or "NONE").
std::string BinlogChecksum();
// The session variables a binlog dump reads before COM_BINLOG_DUMP: send
// events with `checksum`, start after the GTIDs in `gtid_position`
// (MariaDB GTID mode, capability 4), and send a heartbeat after
// `heartbeat_ns` nanoseconds without events. Without a GTID position the
// dump starts at the file and offset COM_BINLOG_DUMP names: the server
// takes any @slave_connect_state, even '', as GTID mode.
std::string BinlogDumpSession(std::string_view checksum,
                              std::optional<std::string_view> gtid_position, int64_t heartbeat_ns);
// Server threads serving binlog dumps (command "Binlog Dump"), with their ids.
std::string BinlogDumpThreads();
// KILL CONNECTION <id>.
std::string KillConnection(uint64_t connection_id);

// The session's max_allowed_packet: the longest statement it may send.
std::string MaxAllowedPacket();

// Statements clients have sent since the server started (global status
// Questions): the application's activity, sampled over a window.
std::string QuestionsCount();

// The binary log files, oldest first.
std::string ShowBinaryLogs();
// The GTID position at the start of binlog file `file` (what it holds after).
std::string BinlogGtidPosAtStart(std::string_view file);

// Keeps this session's statements out of the binlog, so the DRC links do not
// carry them: lockstep runs a DDL in every DC itself (needs BINLOG ADMIN).
std::string SessionBinlogOff();
// ALTER TABLE ... <clauses>, ALGORITHM=<algorithm>, LOCK=NONE: the server
// refuses at once (1845/1846) rather than copying or locking when it cannot.
std::string AlterTableNative(std::string_view schema, std::string_view table,
                             const std::vector<std::string>& clauses, std::string_view algorithm);
// Session lock_wait_timeout in whole seconds (at least 1).
std::string SessionLockWaitTimeout(int64_t timeout_ms);

}  // namespace lockstep::sql
