// The one place where lockstep builds SQL text.
//
// Identifiers are always backtick-quoted and values always quoted and escaped
// here, so no other file splices names or user text into a statement.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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

}  // namespace lockstep::sql
