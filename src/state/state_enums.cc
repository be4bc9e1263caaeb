#include "state/state_enums.h"

#include "state/enum_names.h"

namespace lockstep {
namespace {

using enum_names::Table;

constexpr Table<ArtifactKind, 5> kArtifactKinds{{
    {ArtifactKind::kShadow, "shadow"},
    {ArtifactKind::kOld, "old"},
    {ArtifactKind::kSentry, "sentry"},
    {ArtifactKind::kFenceTrigger, "fence_trigger"},
    {ArtifactKind::kMarker, "marker"},
}};

constexpr Table<ArtifactState, 3> kArtifactStates{{
    {ArtifactState::kPlanned, "planned"},
    {ArtifactState::kCreated, "created"},
    {ArtifactState::kDropped, "dropped"},
}};

constexpr Table<CutoverDecision, 3> kCutoverDecisions{{
    {CutoverDecision::kPending, "pending"},
    {CutoverDecision::kCommit, "commit"},
    {CutoverDecision::kAbort, "abort"},
}};

constexpr Table<OperatorCommandKind, 7> kOperatorCommandKinds{{
    {OperatorCommandKind::kPause, "pause"},
    {OperatorCommandKind::kResume, "resume"},
    {OperatorCommandKind::kAbort, "abort"},
    {OperatorCommandKind::kThrottle, "throttle"},
    {OperatorCommandKind::kPostpone, "postpone"},
    {OperatorCommandKind::kCutover, "cutover"},
    {OperatorCommandKind::kOverride, "override"},
}};

}  // namespace

const char* ArtifactKindName(ArtifactKind v) { return enum_names::NameOf(kArtifactKinds, v); }
const char* ArtifactStateName(ArtifactState v) { return enum_names::NameOf(kArtifactStates, v); }
const char* CutoverDecisionName(CutoverDecision v) {
  return enum_names::NameOf(kCutoverDecisions, v);
}
const char* OperatorCommandKindName(OperatorCommandKind v) {
  return enum_names::NameOf(kOperatorCommandKinds, v);
}

std::optional<ArtifactKind> ParseArtifactKind(std::string_view t) {
  return enum_names::Parse(kArtifactKinds, t);
}
std::optional<ArtifactState> ParseArtifactState(std::string_view t) {
  return enum_names::Parse(kArtifactStates, t);
}
std::optional<CutoverDecision> ParseCutoverDecision(std::string_view t) {
  return enum_names::Parse(kCutoverDecisions, t);
}
std::optional<OperatorCommandKind> ParseOperatorCommandKind(std::string_view t) {
  return enum_names::Parse(kOperatorCommandKinds, t);
}

}  // namespace lockstep
