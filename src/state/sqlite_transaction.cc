#include "state/sqlite_transaction.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace lockstep {

Result<SqliteTransaction> SqliteTransaction::BeginImmediate(SqliteDb& db) {
  if (!db.InAutocommit()) {
    return Status::Internal(db.path() + ": nested transaction (a transaction is already open)");
  }
  LOCKSTEP_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  return SqliteTransaction(&db);
}

SqliteTransaction::SqliteTransaction(SqliteTransaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

SqliteTransaction::~SqliteTransaction() { RollbackIfOpen(); }

Status SqliteTransaction::Commit() {
  if (db_ == nullptr) return Status::Internal("commit of a finished transaction");
  Status status = db_->Exec("COMMIT");
  // A failed COMMIT leaves the transaction open; the destructor rolls it back.
  if (status.ok()) db_ = nullptr;
  return status;
}

void SqliteTransaction::RollbackIfOpen() {
  if (db_ == nullptr) return;
  SqliteDb* db = std::exchange(db_, nullptr);
  // SQLite rolls back by itself after some errors (a full disk, an I/O
  // error); a ROLLBACK then would only fail with "no transaction is active".
  if (db->InAutocommit()) return;
  Status status = db->Exec("ROLLBACK");
  // A destructor cannot return the error, and nothing was committed, so the
  // durable state is still the state before BEGIN; say so loudly.
  if (!status.ok()) spdlog::error("state store rollback failed: {}", status.ToString());
}

}  // namespace lockstep
