// SqliteTransaction: a write transaction that rolls back unless committed.
//
//   LOCKSTEP_ASSIGN_OR_RETURN(auto tx, SqliteTransaction::BeginImmediate(db));
//   ... statements ...
//   return tx.Commit();
//
// BEGIN IMMEDIATE takes the database's write lock up front, so two writers
// never both read a row, decide, and then collide at their first write: the
// second waits (up to the busy timeout) and then reads what the first wrote.
#pragma once

#include "common/status.h"
#include "state/sqlite_db.h"

namespace lockstep {

class SqliteTransaction {
 public:
  // REQUIRES: `db` is not already inside a transaction and outlives the guard.
  [[nodiscard]] static Result<SqliteTransaction> BeginImmediate(SqliteDb& db);

  // Rolls back if Commit() was not called or failed.
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  SqliteTransaction(SqliteTransaction&& other) noexcept;
  SqliteTransaction& operator=(SqliteTransaction&&) = delete;

  [[nodiscard]] Status Commit();

 private:
  explicit SqliteTransaction(SqliteDb* db) : db_(db) {}
  void RollbackIfOpen();

  SqliteDb* db_;  // null once committed, rolled back, or moved from
};

}  // namespace lockstep
