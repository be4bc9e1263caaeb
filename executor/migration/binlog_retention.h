// Whether a DC's binlog still holds everything after a GTID position: a
// resume from a checkpoint whose events were purged would skip changes.
// The server does not always refuse such a start (measured on 10.11: a dump
// from a purged GTID position started without error 1236), so lockstep checks
// it itself against the position at the start of the oldest binlog file.
#pragma once

#include <optional>
#include <string>

#include "common/status.h"
#include "db/connection.h"
#include "executor/binlog/gtid_position.h"

namespace lockstep {

// OK when every domain of `position` is at or after the oldest binlog's start;
// FailedPrecondition naming the purged domain otherwise.
[[nodiscard]] Status CheckBinlogHolds(Connection& conn, const std::string& position);

// The first GTID of the oldest binlog (`oldest_start`, one per domain) that
// `wanted` has not reached: its domain's events before it are purged. Every
// domain counts, whatever its id.
std::optional<binlog::Gtid> FirstGtidNotHeld(const binlog::GtidPosition& oldest_start,
                                              const binlog::GtidPosition& wanted);

}  // namespace lockstep
