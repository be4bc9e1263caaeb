// The end of a migration that cut over: once its retention has passed, the
// old table (`_t_old`, the way back) is dropped in every DC and the migration
// moves cut_over -> cleaned_up -> done, after which the table may get its
// next migration.
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

// When migration `m`'s old tables may be dropped (ms since the epoch): its
// cut-over time plus its zone's old_table_retention_s. FailedPrecondition
// when it has not cut over.
[[nodiscard]] Result<int64_t> OldTablesDueAtMs(const Topology& topology, const MigrationRecord& m);

struct CleanupSummary {
  bool already_done = false;
  std::vector<std::string> dropped;  // "dc1: `shop`.`_orders_old`"
};

// Drops every `_t_old` the state database records for the migration (each in
// its DC, binlogged like every drop lockstep makes), marks them
// dropped and moves the DCs and the migration to done through cleaned_up,
// logged as `actor` with `reason`. Does not look at the retention: the
// caller does (OldTablesDueAtMs). Never touches `t`; refuses a DC where `t`
// is missing (the old table may be the only copy). Safe to run again after
// a failure part-way.
//   NotFound: no such migration.
//   FailedPrecondition: it is not cut over (or cleaned up); a DC is not in
//     `topology`; `t` is missing in a DC.
//   DbError / Unavailable: a DC failed; run it again.
// Event kinds: a rename that the binlog showed (or could not rule out)
// stranded writes in `_t_old`, and an operator's word that they are dealt with.
inline constexpr const char* kRenameUnverifiedEvent = "rename_unverified";
inline constexpr const char* kRenameReconciledEvent = "rename_reconciled";
// The DC's @@gtid_binlog_pos read under a cut-over attempt's lock: where a
// witness starts when the process died after the rename.
inline constexpr const char* kCutoverLockedEvent = "cutover_locked";

// FailedPrecondition while migration `id` has a rename_unverified event that
// no later rename_reconciled event answers: its `_t_old` may hold the only
// copy of writes the new table lacks, and must not be dropped.
[[nodiscard]] Status CheckOldTablesReleased(StateStore& store, int64_t id);

[[nodiscard]] Result<CleanupSummary> DropOldTables(StateStore& store, ConnectionFactory& factory,
                                                   const Topology& topology, int64_t migration_id,
                                                   std::string_view actor, std::string_view reason);

}  // namespace lockstep
