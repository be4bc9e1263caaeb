// The owner record of a migrated table in one DC (db/owner_sql.h): a second
// lockstep working from another state file against the same DCs would copy
// into the same `_t_new` and rename over the first one's work; the record
// makes it stop before it touches anything.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "db/connection.h"

namespace lockstep {

// The event recorded in the state store before a DC's owner record is
// claimed: where a release has something to do.
inline constexpr const char* kTableClaimedEvent = "table_claimed";

struct TableOwnerId {
  std::string store_id;  // StateStore::Identity()
  int64_t migration_id = 0;
  std::string host;      // for the message only
};

// Claims schema.table for `me` in the DC `conn` is connected to, or finds it
// already claimed by `me`. FailedPrecondition naming the other owner when
// another state store or migration holds it.
[[nodiscard]] Status ClaimTable(Connection& conn, const std::string& dc, const std::string& schema,
                                const std::string& table, const TableOwnerId& me);

// Lets the table go (the migration ended: done or aborted). A no-op when `me`
// does not hold it.
[[nodiscard]] Status ReleaseTable(Connection& conn, const std::string& schema,
                                  const std::string& table, const TableOwnerId& me);

}  // namespace lockstep
