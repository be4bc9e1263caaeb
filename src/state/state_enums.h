// The small enums the state store keeps as text, and their stored names.
//
// The names are part of the database format: the schema's CHECK constraints
// list exactly these strings (see schema_v1.cc). Renaming one needs a schema
// migration.
#pragma once

#include <optional>
#include <string_view>

#include "common/change_kinds.h"

namespace lockstep {

enum class ArtifactKind { kShadow, kOld, kSentry, kFenceTrigger, kMarker };
// planned: recorded, about to be created (it may or may not exist);
// created: known to exist; dropped: known to be gone.
enum class ArtifactState { kPlanned, kCreated, kDropped };
enum class CutoverDecision { kPending, kCommit, kAbort };
enum class OperatorCommandKind {
  kPause,
  kResume,
  kAbort,
  kThrottle,
  kPostpone,
  kCutover,
  kOverride
};

// "shadow" | "old" | "sentry" | "fence_trigger" | "marker"
const char* ArtifactKindName(ArtifactKind value);
const char* ArtifactStateName(ArtifactState value);      // "planned" | "created" | "dropped"
const char* CutoverDecisionName(CutoverDecision value);  // "pending" | "commit" | "abort"
const char* OperatorCommandKindName(OperatorCommandKind value);  // "pause" | ... | "override"

std::optional<ArtifactKind> ParseArtifactKind(std::string_view text);
std::optional<ArtifactState> ParseArtifactState(std::string_view text);
std::optional<CutoverDecision> ParseCutoverDecision(std::string_view text);
std::optional<OperatorCommandKind> ParseOperatorCommandKind(std::string_view text);

}  // namespace lockstep
