// DRC lag, measured the way lockstep cares about it: how long a DC takes to
// apply everything another DC has logged so far. Seconds_Behind_Master is
// coarse (whole seconds) and blind to delayed or stalled links, so the
// planner waits, read-only, with MASTER_GTID_WAIT for the source's current
// GTID, bounded by the zone's start budget.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "db/connection.h"

namespace lockstep {

struct LinkCatchUp {
  std::string from;  // the DC whose writes are awaited
  std::string gtid;  // its position when inspected
  // Milliseconds until applied; nullopt when not applied within the limit.
  std::optional<int64_t> caught_up_ms;
  int64_t limit_ms = 0;
};

// The GTID of `domain` in a GTID list ("1-1-10,2-2-7"), or "" when absent.
std::string GtidOfDomain(const std::string& gtid_list, int64_t domain);

// Waits on `dst` (at most limit_ms) until it has applied `gtid` from `from`.
Result<LinkCatchUp> MeasureCatchUp(Connection& dst, const std::string& from,
                                   const std::string& gtid, int64_t limit_ms);

}  // namespace lockstep
