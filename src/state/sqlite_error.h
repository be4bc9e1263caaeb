// Turns a SQLite result code into a lockstep Status.
//
// Every SQLite failure in the state store goes through here so that each
// message names the database file and carries SQLite's own words.
#pragma once

#include <string_view>

#include "common/status.h"

struct sqlite3;

namespace lockstep {

// Maps `rc` (an extended result code) to a Status:
//   SQLITE_BUSY / SQLITE_LOCKED  -> Timeout: another writer held the lock for
//                                   longer than the busy timeout; retrying is safe.
//   SQLITE_CONSTRAINT_*          -> Conflict: the row breaks a rule of the
//                                   schema (unique, check, append-only trigger).
//   anything else                -> IoError.
// The message is "<path>: <context>: <sqlite message>". `db` may be null
// (then SQLite's generic text for `rc` is used).
Status SqliteStatus(int rc, sqlite3* db, std::string_view path, std::string_view context);

}  // namespace lockstep
