// Aborting a migration that has not cut over: its work is taken away and it
// ends in phase aborted, with the operator's reason.
//
// Used by `lockstep abort` when no runner is live, and meant for the runner
// itself when it takes an abort command from the operator queue (after it has
// stopped its copy, applier and any cut-over session).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/topology.h"
#include "db/connection.h"
#include "state/state_store.h"

namespace lockstep {

struct AbortSummary {
  bool already_aborted = false;      // nothing was left to do
  std::vector<std::string> dropped;  // "dc1: `shop`.`_orders_new`", in the order dropped
};

// Ok when migration `m` may still be aborted; FailedPrecondition when it is
// done or failed, or a cut-over COMMIT is recorded (it only rolls forward).
// Aborted is Ok: aborting again changes nothing.
[[nodiscard]] Status CheckAbortable(StateStore& store, const MigrationRecord& m);

// Drops every shadow (`_t_new`) and sentry table the state store records for
// the migration as planned or created, each in its own DC (binlogged for the
// DC's own replicas; the DRC links filter `_` tables), marks
// each dropped, moves every DC and then the migration to aborted with
// `reason`, and logs it all as `actor`. Never drops `_t_old`, never touches
// `t`. A pending cut-over attempt is decided ABORT first: no rename was sent
// for it (COMMIT is recorded before any rename).
//
// Safe to run again after a failure part-way: drops are IF EXISTS and the
// record says what is already gone.
//
// REQUIRES: the caller holds the migration's runner lease, so that no other
// process runs the migration meanwhile.
//   NotFound: no such migration.
//   FailedPrecondition: it is done or failed; a cut-over COMMIT is recorded
//     (it only rolls forward); one of its DCs is not in `topology`; `t` is
//     missing in a DC with something to drop (check by hand).
//   DbError / Unavailable: a DC failed; run it again.
[[nodiscard]] Result<AbortSummary> AbortMigration(StateStore& store, ConnectionFactory& factory,
                                                  const Topology& topology, int64_t migration_id,
                                                  std::string_view actor, std::string_view reason);

}  // namespace lockstep
