#include "state/phase.h"

#include "state/enum_names.h"

namespace lockstep {
namespace {

constexpr enum_names::Table<Phase, 11> kPhaseNames{{
    {Phase::kPlanned, "planned"},
    {Phase::kShadowCreated, "shadow_created"},
    {Phase::kCopying, "copying"},
    {Phase::kVerifying, "verifying"},
    {Phase::kReady, "ready"},
    {Phase::kCuttingOver, "cutting_over"},
    {Phase::kCutOver, "cut_over"},
    {Phase::kCleanedUp, "cleaned_up"},
    {Phase::kDone, "done"},
    {Phase::kAborted, "aborted"},
    {Phase::kFailed, "failed"},
}};

// The forward step out of `from`, or nullopt at the end of the line.
std::optional<Phase> NextPhase(Strategy strategy, Phase from) {
  switch (from) {
    case Phase::kPlanned:
      return IsNative(strategy) ? Phase::kReady : Phase::kShadowCreated;
    case Phase::kShadowCreated:
      return Phase::kCopying;
    case Phase::kCopying:
      return Phase::kVerifying;
    case Phase::kVerifying:
      return Phase::kReady;
    case Phase::kReady:
      return Phase::kCuttingOver;
    case Phase::kCuttingOver:
      return Phase::kCutOver;
    case Phase::kCutOver:
      return Phase::kCleanedUp;
    case Phase::kCleanedUp:
      return Phase::kDone;
    case Phase::kDone:
    case Phase::kAborted:
    case Phase::kFailed:
      return std::nullopt;
  }
  return std::nullopt;
}

// The phases a native migration never enters: it has no shadow table.
bool IsShadowOnly(Phase phase) {
  return phase == Phase::kShadowCreated || phase == Phase::kCopying || phase == Phase::kVerifying;
}

}  // namespace

const char* PhaseName(Phase phase) { return enum_names::NameOf(kPhaseNames, phase); }

std::optional<Phase> ParsePhase(std::string_view text) {
  return enum_names::Parse(kPhaseNames, text);
}

bool IsTerminalPhase(Phase phase) {
  return phase == Phase::kDone || phase == Phase::kAborted || phase == Phase::kFailed;
}

bool IsLegalTransition(Strategy strategy, Phase from, Phase to) {
  if (IsTerminalPhase(from)) return false;
  if (IsNative(strategy) && IsShadowOnly(from)) return false;
  if (NextPhase(strategy, from) == to) return true;
  if (from == Phase::kCuttingOver && to == Phase::kReady) return true;
  // Before COMMIT the original table is untouched, so stopping is clean;
  // after it some DC may already run the new schema, so only forward is safe.
  if (to == Phase::kAborted) {
    return from != Phase::kCutOver && from != Phase::kCleanedUp;
  }
  if (to == Phase::kFailed) return true;
  return false;
}

}  // namespace lockstep
