#include "state/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

#include "state/sqlite_error.h"

namespace lockstep {

Result<SqliteDb> SqliteDb::OpenExisting(const std::string& path) {
  sqlite3* db = nullptr;
  // NOMUTEX: a connection is used by one thread at a time (StateStore holds
  // its own mutex), so SQLite's per-call mutex would only cost time.
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status status = SqliteStatus(rc, db, path, "open");
    // On failure SQLite may still have allocated a handle; it must be closed.
    sqlite3_close_v2(db);
    return status;
  }
  SqliteDb handle(db, path);
  // Defensive mode forbids writable_schema and other ways of corrupting the
  // file through SQL; the state store needs none of them.
  rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  if (rc != SQLITE_OK) return handle.Error(rc, "enable defensive mode");
  return handle;
}

SqliteDb::~SqliteDb() { Close(); }

SqliteDb::SqliteDb(SqliteDb&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
  if (this != &other) {
    Close();
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

void SqliteDb::Close() {
  // close_v2 defers the close until every statement is finalized, so a
  // statement outliving its connection cannot use freed memory. It only
  // fails for a bad handle.
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

Status SqliteDb::Error(int rc, std::string_view context) const {
  return SqliteStatus(rc, db_, path_, context);
}

Status SqliteDb::Exec(std::string_view sql) {
  std::string text(sql);  // sqlite3_exec needs a NUL-terminated string
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string first_words(sql.substr(0, 60));
  return Error(rc, "[" + first_words + (sql.size() > 60 ? "...]" : "]"));
}

Result<SqliteStatement> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error(rc, "prepare [" + std::string(sql.substr(0, 60)) + "]");
  }
  return SqliteStatement(stmt, db_, path_);
}

Result<int64_t> SqliteDb::QueryInt64(std::string_view sql) {
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement stmt, Prepare(sql));
  LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return Status::IoError(path_ + ": no row from [" + std::string(sql) + "]");
  return stmt.ColumnInt64(0);
}

Result<std::string> SqliteDb::QueryText(std::string_view sql) {
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement stmt, Prepare(sql));
  LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return Status::IoError(path_ + ": no row from [" + std::string(sql) + "]");
  return stmt.ColumnText(0);
}

Result<bool> SqliteDb::IsValidJson(std::string_view text) {
  LOCKSTEP_ASSIGN_OR_RETURN(SqliteStatement stmt, Prepare("SELECT json_valid(?1)"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(text));
  LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  return has_row && stmt.ColumnInt64(0) == 1;
}

Status SqliteDb::SetBusyTimeout(int millis) {
  int rc = sqlite3_busy_timeout(db_, millis);
  return rc == SQLITE_OK ? Status::Ok() : Error(rc, "busy_timeout");
}

int64_t SqliteDb::Changes() const { return sqlite3_changes64(db_); }

int64_t SqliteDb::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

bool SqliteDb::InAutocommit() const { return sqlite3_get_autocommit(db_) != 0; }

}  // namespace lockstep
