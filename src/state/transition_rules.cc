#include "state/transition_rules.h"

#include <string>

namespace lockstep {

Status CheckTransition(SqliteDb& db, std::string_view subject, int64_t migration_id,
                       Strategy strategy, Phase from, Phase to) {
  if (!IsLegalTransition(strategy, from, to)) {
    return Status::InvalidArgument(std::string(subject) + ": " + PhaseName(from) + " -> " +
                                   PhaseName(to) + " is not a legal transition for strategy " +
                                   StrategyName(strategy));
  }
  const bool enters_cut_over = to == Phase::kCutOver;
  const bool backs_out = from == Phase::kCuttingOver && to == Phase::kReady;
  const bool aborts = to == Phase::kAborted;
  if (!enters_cut_over && !backs_out && !aborts) return Status::Ok();

  LOCKSTEP_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db.Prepare(
          "SELECT coalesce(sum(decision = 'commit'), 0), coalesce(sum(decision = 'pending'), 0) "
          "FROM cutover_attempts WHERE migration_id = ?1"));
  LOCKSTEP_RETURN_IF_ERROR(stmt.BindAll(migration_id));
  LOCKSTEP_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  const int64_t commits = has_row ? stmt.ColumnInt64(0) : 0;
  const int64_t pending = has_row ? stmt.ColumnInt64(1) : 0;
  const std::string move =
      std::string(subject) + ": cannot go " + PhaseName(from) + " -> " + PhaseName(to);

  if (enters_cut_over && commits == 0) {
    return Status::FailedPrecondition(move +
                                      ": no cut-over attempt has a recorded COMMIT "
                                      "(record the decision first)");
  }
  // Once COMMIT is recorded some DC may already run the new schema: the
  // migration and every DC only roll forward (or stop as failed).
  if ((backs_out || aborts) && commits > 0) {
    return Status::FailedPrecondition(move +
                                      ": a COMMIT is recorded, so the cut-over only "
                                      "rolls forward");
  }
  // Leaving cutting_over with an undecided attempt would strand it: the DCs
  // could still be waiting for its decision.
  if (from == Phase::kCuttingOver && (backs_out || aborts) && pending > 0) {
    return Status::FailedPrecondition(move +
                                      " while a cut-over attempt is undecided "
                                      "(decide it first)");
  }
  return Status::Ok();
}

}  // namespace lockstep
