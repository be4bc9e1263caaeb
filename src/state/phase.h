// The phases a migration (and each DC's part of it) moves through, and which
// moves are legal. docs/state.md draws the machine.
//
// Pausing is not a phase: a paused migration keeps its phase and resumes where
// it stood (see MigrationRecord::paused).
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "state/state_enums.h"

namespace lockstep {

enum class Phase {
  kPlanned,        // persisted, nothing created in any DC yet
  kShadowCreated,  // _<t>_new exists (shadow_copy only)
  kCopying,        // rows copied, binlog applied (shadow_copy only)
  kVerifying,      // checksums of t against _<t>_new (shadow_copy only)
  kReady,          // waiting for the cut-over window
  kCuttingOver,    // a cut-over attempt is in flight
  kCutOver,        // COMMIT recorded: from here the migration only rolls forward
  kCleanedUp,      // artifacts dropped after the retention period
  kDone,           // terminal: finished
  kAborted,        // terminal: stopped before COMMIT; t was never changed
  kFailed,         // terminal: stopped on an error that needs a human
};

inline constexpr std::array<Phase, 11> kAllPhases = {
    Phase::kPlanned, Phase::kShadowCreated, Phase::kCopying, Phase::kVerifying,
    Phase::kReady,   Phase::kCuttingOver,   Phase::kCutOver, Phase::kCleanedUp,
    Phase::kDone,    Phase::kAborted,       Phase::kFailed,
};

// The stored names: "planned", "shadow_created", ..., "failed".
const char* PhaseName(Phase phase);
std::optional<Phase> ParsePhase(std::string_view text);

// done, aborted and failed: nothing moves a migration out of them, and a
// table may get a new migration only when its last one is terminal.
bool IsTerminalPhase(Phase phase);

// Whether `from -> to` is an edge of the state machine for `strategy`:
//   shadow_copy: planned -> shadow_created -> copying -> verifying -> ready
//   native:      planned -> ready
//   both:        ready -> cutting_over -> cut_over -> cleaned_up -> done
//                cutting_over -> ready            (attempt aborted, retry later)
//                planned..cutting_over -> aborted (never after cut_over)
//                any non-terminal -> failed
// The store adds rules that need the recorded cut-over attempts
// (transition_rules.h): cut_over only after a COMMIT, no abort and no
// cutting_over -> ready after one, and no leaving cutting_over while an
// attempt is undecided.
bool IsLegalTransition(Strategy strategy, Phase from, Phase to);

}  // namespace lockstep
