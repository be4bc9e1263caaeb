#include "executor/migration/operator_poll.h"

#include <cerrno>
#include <cstdlib>

#include "common/logging.h"

namespace lockstep {

Result<double> NiceRatioArgument(const std::string& args_json) {
  const std::string key = "\"nice_ratio\"";
  const size_t at = args_json.find(key);
  size_t colon = at == std::string::npos ? at : args_json.find(':', at + key.size());
  if (colon == std::string::npos) {
    return Status::InvalidArgument("throttle arguments lack nice_ratio: " + args_json);
  }
  const char* begin = args_json.c_str() + colon + 1;
  char* end = nullptr;
  errno = 0;
  const double ratio = std::strtod(begin, &end);
  if (end == begin || errno != 0 || !(ratio >= 0)) {
    return Status::InvalidArgument("throttle nice_ratio is not a number >= 0: " + args_json);
  }
  return ratio;
}

Status OperatorPoll::Ignore(const OperatorCommand& c, const std::string& why) {
  const std::string note = std::string(OperatorCommandKindName(c.command)) + " ignored: " + why;
  MainLogger()->warn("migration {}: {} (from {}: {})", id_, note, c.actor, c.reason);
  auto logged =
      store_.AppendEvent({id_, "lockstep", "operator_command_ignored", std::nullopt, note, c.reason});
  return logged.ok() ? Status::Ok() : logged.status();
}

Status OperatorPoll::Apply(const OperatorCommandRecord& record) {
  const OperatorCommand& c = record.command;
  const std::string who = c.actor + ": " + c.reason;
  switch (c.command) {
    case OperatorCommandKind::kPause:
      LOCKSTEP_RETURN_IF_ERROR(store_.SetPaused(id_, true, c.actor, c.reason));
      state_.paused = true;
      state_.pause_reason = "paused by " + who;
      break;
    case OperatorCommandKind::kResume:
      LOCKSTEP_RETURN_IF_ERROR(store_.SetPaused(id_, false, c.actor, c.reason));
      state_.paused = false;
      state_.pause_reason.clear();
      break;
    case OperatorCommandKind::kThrottle: {
      Result<double> ratio = NiceRatioArgument(c.args_json);
      // The command is already taken from the queue: an error here would
      // lose the commands behind it, so a bad one is recorded and skipped.
      if (!ratio.ok()) return Ignore(c, ratio.status().message());
      state_.nice_ratio = *ratio > 0 ? std::optional<double>(*ratio) : std::nullopt;
      break;
    }
    case OperatorCommandKind::kAbort:
      // Taken off the queue: recorded before acted on, so that a process
      // dying before the clean-up leaves the abort for the next one.
      LOCKSTEP_RETURN_IF_ERROR(store_
                                   .AppendEvent({id_, c.actor, kAbortTakenEvent, std::nullopt,
                                                 "abort taken by the running migration", c.reason})
                                   .status());
      state_.abort_reason = "aborted by " + who;
      state_.abort_actor = c.actor;
      state_.abort_why = c.reason;
      break;
    case OperatorCommandKind::kPostpone:
    case OperatorCommandKind::kCutover:
    case OperatorCommandKind::kOverride:
      // Taken from the queue all the same: say so rather than drop it quietly.
      return Ignore(c, "not acted on by a running shadow copy yet");
  }
  MainLogger()->info("migration {}: {} by {}", id_, OperatorCommandKindName(c.command), who);
  return Status::Ok();
}

Result<OperatorState> OperatorPoll::Poll() {
  std::lock_guard lock(mu_);
  const int64_t now = clock_.NowMillis();
  if (last_poll_ms_ && now - *last_poll_ms_ < poll_ms_) return state_;
  if (!last_poll_ms_) {
    // A migration paused before this process took it over stays paused.
    LOCKSTEP_ASSIGN_OR_RETURN(MigrationRecord record, store_.GetMigration(id_));
    state_.paused = record.paused;
    if (record.paused) state_.pause_reason = "paused (before this run started)";
    // An abort an earlier process took and did not finish is still wanted.
    LOCKSTEP_ASSIGN_OR_RETURN(std::vector<EventRecord> taken,
                              store_.ListEventsOfKinds(id_, {kAbortTakenEvent}));
    for (const EventRecord& e : taken) {
      state_.abort_reason = "aborted by " + e.event.actor + ": " + e.event.reason +
                            " (taken before this run started)";
      state_.abort_actor = e.event.actor;
      state_.abort_why = e.event.reason;
    }
  }
  last_poll_ms_ = now;
  LOCKSTEP_ASSIGN_OR_RETURN(auto commands, store_.TakePendingOperatorCommands(id_));
  for (const auto& command : commands) LOCKSTEP_RETURN_IF_ERROR(Apply(command));
  return state_;
}

}  // namespace lockstep
