// Dropping a migration's recorded tables in one DC: what `lockstep abort`
// (the shadow and sentry tables) and `lockstep cleanup` (the old table after
// its retention) share.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/topology.h"
#include "db/connection.h"
#include "state/state_store.h"

namespace lockstep {

// The DCs migration `m` runs in, by name, from `topology`;
// FailedPrecondition when one is missing there (its tables could not be
// reached), naming `what` would have been done.
[[nodiscard]] Result<std::map<std::string, const DcConfig*>> MigrationDcs(
    const Topology& topology, const MigrationRecord& m, std::string_view what);

// Drops `artifacts` (all of DC `dc`, each accepted by `may_drop`, which is
// asked again just before its DROP), binlogged, marks each dropped
// and logs an artifact_dropped event as `actor` with `reason`; appends
// "dc: `schema`.`name`" to `dropped`. First checks that `t` exists there:
// with `t` missing the record and the DC disagree, and the artifact may hold
// the only copy of the rows, so nothing is dropped (FailedPrecondition).
// `verb` prefixes the log lines ("abort", "cleanup").
[[nodiscard]] Status DropArtifactsInDc(StateStore& store, ConnectionFactory& factory,
                                       const DcConfig& dc, const MigrationRecord& m,
                                       const std::vector<ArtifactRecord>& artifacts,
                                       const std::function<bool(const ArtifactRecord&)>& may_drop,
                                       std::string_view verb, std::string_view actor,
                                       std::string_view reason, std::vector<std::string>& dropped);

// Releases the migration's owner record (table_owner.h) in every DC it runs
// in: it ended, and the table may be migrated again, by any state store.
[[nodiscard]] Status ReleaseTableEverywhere(StateStore& store, ConnectionFactory& factory,
                                            const Topology& topology, const MigrationRecord& m);

}  // namespace lockstep
