// RunnerLeaseTable: which process runs each migration, so that two never run
// the same one and a DBA's command knows whether anyone will pick it up.
//
// One lease per migration: owner host and pid, renewed by the owner's
// heartbeat. A lease binds until it expires, or, when its owner ran on this
// host, until that process is gone: a resume right after a kill -9 on the
// same host takes over at once instead of waiting out the time to live.
// Hosts are trusted to have roughly synchronized clocks (expiry compares the
// caller's clock with the owner's heartbeat) and distinct host names.
//
// Every change is a compare-and-swap inside one write transaction; taking a
// lease and taking it over are written to the event log (renewals are not:
// one a second would drown the log).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/process.h"
#include "common/status.h"
#include "state/event_log.h"
#include "state/records.h"
#include "state/sqlite_db.h"

namespace lockstep {

class RunnerLeaseTable {
 public:
  // All references must outlive the table. `this_host` is the host whose
  // processes `processes` can see. Not thread-safe: StateStore serializes calls.
  RunnerLeaseTable(SqliteDb& db, const Clock& clock, EventLog& events,
                   const ProcessProbe& processes, std::string this_host)
      : db_(db), clock_(clock), events_(events), processes_(processes),
        this_host_(std::move(this_host)) {}

  // Takes the migration's lease for `runner` until now + ttl_ms: when nobody
  // holds it, when it expired, when its owner was a process of this host that
  // is gone, or when `runner` already holds it (then it is renewed).
  //   InvalidArgument: empty host, pid <= 0, ttl_ms <= 0.
  //   NotFound; FailedPrecondition: the migration is terminal.
  //   Conflict: another live runner holds it; the message names its host and pid.
  [[nodiscard]] Result<RunnerLease> Acquire(int64_t migration_id, const RunnerIdentity& runner,
                                            int64_t ttl_ms);

  // Moves the heartbeat to now and the expiry to now + ttl_ms, if `runner`
  // still holds the lease (even an expired one nobody took over).
  //   Conflict: the lease is gone or held by another runner: stop running.
  [[nodiscard]] Status Renew(int64_t migration_id, const RunnerIdentity& runner, int64_t ttl_ms);

  // Gives the lease up. Ok when `runner` did not hold it (nothing to give up).
  [[nodiscard]] Status Release(int64_t migration_id, const RunnerIdentity& runner);

  // The lease as stored, live or not; nullopt when there is none.
  [[nodiscard]] Result<std::optional<RunnerLease>> Get(int64_t migration_id);

  // The lease when it still binds (not expired, owner not known to be gone);
  // nullopt when nobody runs the migration.
  [[nodiscard]] Result<std::optional<RunnerLease>> GetLive(int64_t migration_id);

 private:
  // Why `lease` binds nobody any more ("it expired ...", "its process is
  // gone"); empty while it binds its owner.
  std::string WhyLapsed(const RunnerLease& lease, int64_t now) const;

  SqliteDb& db_;
  const Clock& clock_;
  EventLog& events_;
  const ProcessProbe& processes_;
  const std::string this_host_;
};

// "pid 4242 on host db1"
std::string DescribeRunner(const RunnerIdentity& runner);

}  // namespace lockstep
