// A migration's cut-over attempts as `run` and `resume` print them at the
// end: each decision with its reason and its report (per-DC timings, the
// rename skew; executor/cutover/cutover_report_json.h).
#pragma once

#include <cstdint>
#include <ostream>

#include "state/state_store.h"

namespace lockstep::cli {

// "cut-over attempt 1: commit (ready)" and the report, a line each.
void WriteCutoverAttemptsText(StateStore& store, int64_t migration_id, std::ostream& out);
// [{"attempt":1,"decision":"commit","reason":"ready","report":{...}}, ...]
void WriteCutoverAttemptsJson(StateStore& store, int64_t migration_id, std::ostream& out);

}  // namespace lockstep::cli
