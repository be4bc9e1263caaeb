// A change the server makes itself (ALGORITHM=INSTANT or INPLACE, LOCK=NONE),
// run in one DC with the session kept out of the binlog: lockstep runs the
// DDL in every DC, so it must not also arrive over the DRC links (it would
// be applied twice and stop replication).
#pragma once

#include <string>
#include <vector>

#include "common/change_kinds.h"
#include "common/status.h"
#include "db/connection.h"

namespace lockstep {

struct NativeChangeRequest {
  std::string schema;
  std::string table;
  std::vector<std::string> clauses;  // without ALGORITHM/LOCK
  Strategy strategy = Strategy::kInstant;  // kInstant or kInplace
  int64_t lock_wait_ms = 2000;       // the metadata lock is waited for at most this long
};

// Runs the change; a server that cannot do it natively refuses at once.
[[nodiscard]] Status RunNativeChange(Connection& conn, const NativeChangeRequest& request);

}  // namespace lockstep
