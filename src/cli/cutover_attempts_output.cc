#include "cli/cutover_attempts_output.h"

#include "planner/report/json_writer.h"
#include "state/state_enums.h"

namespace lockstep::cli {

void WriteCutoverAttemptsText(StateStore& store, int64_t migration_id, std::ostream& out) {
  auto attempts = store.ListCutoverAttempts(migration_id);
  if (!attempts.ok()) return;
  for (const CutoverAttempt& a : *attempts) {
    out << "cut-over attempt " << a.attempt_no << ": " << CutoverDecisionName(a.decision)
        << (a.reason.empty() ? "" : " (" + a.reason + ")") << "\n";
    if (a.timings_json) out << "  report " << *a.timings_json << "\n";
  }
}

void WriteCutoverAttemptsJson(StateStore& store, int64_t migration_id, std::ostream& out) {
  out << "[";
  auto attempts = store.ListCutoverAttempts(migration_id);
  if (attempts.ok()) {
    for (size_t i = 0; i < attempts->size(); ++i) {
      const CutoverAttempt& a = (*attempts)[i];
      out << (i ? "," : "") << "{\"attempt\":" << a.attempt_no << ",\"decision\":\""
          << CutoverDecisionName(a.decision) << "\",\"reason\":\""
          << report::JsonWriter::Escape(a.reason) << "\",\"report\":"
          // Checked to be JSON when it was stored.
          << a.timings_json.value_or("null") << "}";
    }
  }
  out << "]";
}

}  // namespace lockstep::cli
