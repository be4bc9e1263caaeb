// OperatorPoll: a running migration's view of the DBA's commands (queued by
// the CLI side in src/cli/operator_control.h).
//
// `lockstep pause | resume | throttle | abort` queue commands in the state
// database from another process; the running migration polls the queue
// (at most every `poll_ms`, so a command takes effect within a second) and
// writes each command's effect to the store before acting on it (the queue
// delivers at most once).
//
//   pause      the copy and checksum wait; the migration's paused flag is set
//   resume     clears it
//   throttle   {"nice_ratio": R}: rest R chunk lengths after each chunk
//              instead of the measured rest; R = 0 goes back to measuring
//   abort      the migration stops at the next chunk boundary
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "state/state_store.h"

namespace lockstep {

// The event that records an abort taken off the queue, before it is acted on.
inline constexpr const char* kAbortTakenEvent = "operator_abort_taken";

struct OperatorState {
  bool paused = false;
  std::string pause_reason;               // "paused by <who>: <why>"
  std::optional<double> nice_ratio;        // an operator's fixed rest ratio
  std::optional<std::string> abort_reason;  // "aborted by <who>: <why>"
  std::string abort_actor;                  // with abort_reason: who and why,
  std::string abort_why;                    // for the clean-up's record
};

class OperatorPoll {
 public:
  OperatorPoll(StateStore& store, int64_t migration_id, const Clock& clock,
                  int64_t poll_ms = 500)
      : store_(store), id_(migration_id), clock_(clock), poll_ms_(poll_ms) {}

  // The operator's wishes as of now; reads the queue when `poll_ms` has passed.
  // Thread-safe: every DC's copy of a migration shares one poll, since the
  // queue hands each command out once.
  [[nodiscard]] Result<OperatorState> Poll();
  // The state as of the last Poll().
  OperatorState last() const {
    std::lock_guard lock(mu_);
    return state_;
  }

 private:
  Status Apply(const OperatorCommandRecord& record);
  // Records that a command was taken but not acted on, and why.
  Status Ignore(const OperatorCommand& command, const std::string& why);

  StateStore& store_;
  const int64_t id_;
  const Clock& clock_;
  const int64_t poll_ms_;
  mutable std::mutex mu_;  // guards the two below
  std::optional<int64_t> last_poll_ms_;
  OperatorState state_;
};

// The "nice_ratio" of a throttle command's arguments ({"nice_ratio": 2.5}).
// InvalidArgument when it is missing, not a number or negative.
Result<double> NiceRatioArgument(const std::string& args_json);

}  // namespace lockstep
