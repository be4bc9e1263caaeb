// The checks every phase change goes through, for a migration or one DC:
// the edge must exist in the state machine (phase.h), and it must agree with
// the cut-over attempts recorded so far.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "state/phase.h"
#include "state/sqlite_db.h"

namespace lockstep {

// REQUIRES: inside the write transaction that will make the change, so the
// attempts read here cannot change before it commits.
//   InvalidArgument:    `from -> to` is not an edge for `strategy`.
//   FailedPrecondition: entering cut_over without a recorded COMMIT;
//                       aborting, or going cutting_over -> ready, after a
//                       COMMIT; leaving cutting_over for ready or aborted
//                       while an attempt is still undecided.
// `subject` names what moves in messages ("migration 7", "migration 7 dc2").
[[nodiscard]] Status CheckTransition(SqliteDb& db, std::string_view subject, int64_t migration_id,
                                     Strategy strategy, Phase from, Phase to);

}  // namespace lockstep
