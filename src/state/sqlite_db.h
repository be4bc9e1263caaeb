// SqliteDb: one SQLite connection, owned (RAII). Thin: it opens, runs plain
// SQL, prepares statements and reports errors with the file's path. What the
// connection is for (pragmas, schema, permissions) is decided by StateStore.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "state/sqlite_statement.h"

struct sqlite3;

namespace lockstep {

class SqliteDb {
 public:
  // Opens an existing database file read-write; never creates one (the
  // caller creates the file itself so that it can choose its mode) and never
  // follows a symlink as the last path component.
  [[nodiscard]] static Result<SqliteDb> OpenExisting(const std::string& path);

  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  SqliteDb(SqliteDb&& other) noexcept;
  SqliteDb& operator=(SqliteDb&& other) noexcept;

  // Runs SQL that takes no parameters and whose rows, if any, are not needed
  // (DDL, PRAGMA assignments, BEGIN/COMMIT). May hold several statements.
  [[nodiscard]] Status Exec(std::string_view sql);
  [[nodiscard]] Result<SqliteStatement> Prepare(std::string_view sql);
  // Runs a query whose first column of its only row is an integer.
  [[nodiscard]] Result<int64_t> QueryInt64(std::string_view sql);
  // Runs a query whose first column of its only row is text.
  [[nodiscard]] Result<std::string> QueryText(std::string_view sql);

  // Whether `text` is well-formed JSON by SQLite's json_valid(), the test
  // the schema's CHECK constraints apply; lets callers reject it up front
  // with a clear message instead of a constraint failure.
  [[nodiscard]] Result<bool> IsValidJson(std::string_view text);

  [[nodiscard]] Status SetBusyTimeout(int millis);

  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  int64_t Changes() const;
  int64_t LastInsertRowId() const;
  // True outside an explicit transaction.
  bool InAutocommit() const;

  const std::string& path() const { return path_; }
  // Builds a Status for `rc` that names this database.
  Status Error(int rc, std::string_view context) const;

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  void Close();

  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace lockstep
