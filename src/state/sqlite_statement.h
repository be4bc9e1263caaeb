// SqliteStatement: one prepared statement, owned (RAII), with typed binds and
// column reads. Built by SqliteDb::Prepare.
//
//   LOCKSTEP_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT phase FROM migrations WHERE id = ?1"));
//   LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(id));
//   LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
//
// Parameters are always bound, never spliced into the SQL text.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace lockstep {

class SqliteStatement {
 public:
  // Takes ownership of `stmt`. `db` and `path` are for error messages.
  SqliteStatement(sqlite3_stmt* stmt, sqlite3* db, std::string path);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;

  // Parameter indexes start at 1, as in SQLite.
  [[nodiscard]] Status BindInt64(int index, int64_t value);
  [[nodiscard]] Status BindText(int index, std::string_view value);
  [[nodiscard]] Status BindNull(int index);
  [[nodiscard]] Status BindBlob(int index, std::span<const uint8_t> value);

  // Binds args to parameters 1..N in order. Accepts integers, strings,
  // std::nullopt (NULL), std::optional<int64_t|std::string>, and blobs.
  template <typename... Args>
  [[nodiscard]] Status BindAll(const Args&... args) {
    int index = 0;
    Status status;
    // Stops at the first failure: later binds are skipped once status is set.
    ((status.ok() ? (status = BindValue(++index, args), 0) : 0), ...);
    return status;
  }

  // Advances to the next row: true when a row is ready to read, false when
  // the statement has finished.
  [[nodiscard]] Result<bool> Step();
  // Runs a statement that returns no rows (INSERT/UPDATE/DELETE) to the end.
  [[nodiscard]] Status Run();
  // Makes the statement runnable again; bindings are kept.
  [[nodiscard]] Status Reset();

  // Column indexes start at 0. Reads of the current row only.
  bool ColumnIsNull(int column) const;
  int64_t ColumnInt64(int column) const;
  std::string ColumnText(int column) const;  // "" for NULL
  std::optional<int64_t> ColumnOptionalInt64(int column) const;
  std::optional<std::string> ColumnOptionalText(int column) const;
  std::vector<uint8_t> ColumnBlob(int column) const;

  // The database file, for messages.
  const std::string& path() const { return path_; }

 private:
  Status BindValue(int index, int64_t value) { return BindInt64(index, value); }
  Status BindValue(int index, int value) { return BindInt64(index, value); }
  Status BindValue(int index, std::string_view value) { return BindText(index, value); }
  Status BindValue(int index, const std::string& value) { return BindText(index, value); }
  Status BindValue(int index, const char* value) { return BindText(index, value); }
  Status BindValue(int index, std::nullopt_t) { return BindNull(index); }
  Status BindValue(int index, std::span<const uint8_t> value) { return BindBlob(index, value); }
  template <typename T>
  Status BindValue(int index, const std::optional<T>& value) {
    return value.has_value() ? BindValue(index, *value) : BindNull(index);
  }

  Status Error(int rc, std::string_view context) const;
  void Finalize();

  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace lockstep
