#include "state/state_enums.h"

#include "state/enum_names.h"

namespace lockstep {
namespace {

using enum_names::Table;

constexpr Table<SkewClass, 2> kSkewClasses{{{SkewClass::kA, "A"}, {SkewClass::kB, "B"}}};

constexpr Table<CutoverMode, 2> kCutoverModes{{
    {CutoverMode::kWindow, "window"},
    {CutoverMode::kFenced, "fenced"},
}};

constexpr Table<Strategy, 2> kStrategies{{
    {Strategy::kNative, "native"},
    {Strategy::kShadowCopy, "shadow_copy"},
}};

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

const char* SkewClassName(SkewClass v) { return enum_names::NameOf(kSkewClasses, v); }
const char* CutoverModeName(CutoverMode v) { return enum_names::NameOf(kCutoverModes, v); }
const char* StrategyName(Strategy v) { return enum_names::NameOf(kStrategies, v); }
const char* ArtifactKindName(ArtifactKind v) { return enum_names::NameOf(kArtifactKinds, v); }
const char* ArtifactStateName(ArtifactState v) { return enum_names::NameOf(kArtifactStates, v); }
const char* CutoverDecisionName(CutoverDecision v) {
  return enum_names::NameOf(kCutoverDecisions, v);
}
const char* OperatorCommandKindName(OperatorCommandKind v) {
  return enum_names::NameOf(kOperatorCommandKinds, v);
}

std::optional<SkewClass> ParseSkewClass(std::string_view t) {
  return enum_names::Parse(kSkewClasses, t);
}
std::optional<CutoverMode> ParseCutoverMode(std::string_view t) {
  return enum_names::Parse(kCutoverModes, t);
}
std::optional<Strategy> ParseStrategy(std::string_view t) {
  return enum_names::Parse(kStrategies, t);
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
