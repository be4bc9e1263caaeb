// Whether a DC's binlog still holds everything after a GTID position: a
// resume from a checkpoint whose events were purged would skip changes.
// The server does not always refuse such a start (measured on 10.11: a dump
// from a purged GTID position started without error 1236), so lockstep checks
// it itself against the position at the start of the oldest binlog file.
#pragma once

#include <string>

#include "common/status.h"
#include "db/connection.h"

namespace lockstep {

// OK when every domain of `position` is at or after the oldest binlog's start;
// FailedPrecondition naming the purged domain otherwise.
[[nodiscard]] Status CheckBinlogHolds(Connection& conn, const std::string& position);

}  // namespace lockstep
