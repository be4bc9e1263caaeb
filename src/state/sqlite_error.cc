#include "state/sqlite_error.h"

#include <sqlite3.h>

#include <string>

namespace lockstep {

Status SqliteStatus(int rc, sqlite3* db, std::string_view path, std::string_view context) {
  // sqlite3_errmsg describes the most recent failure on `db`; when the caller
  // passes a code that did not come from the last call (or no handle), the
  // generic text for the code is the honest fallback.
  const char* text = (db != nullptr && sqlite3_extended_errcode(db) == rc) ? sqlite3_errmsg(db)
                                                                           : sqlite3_errstr(rc);
  std::string msg = std::string(path) + ": ";
  if (!context.empty()) msg += std::string(context) + ": ";
  msg += text;
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Timeout(msg + " (state database busy: another process holds the write lock)");
    case SQLITE_CONSTRAINT:
      return Status::Conflict(msg);
    default:
      return Status::IoError(msg);
  }
}

}  // namespace lockstep
