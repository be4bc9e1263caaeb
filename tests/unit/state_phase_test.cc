// The phase state machine and the stored names of the state store's enums.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "state/phase.h"
#include "state/state_enums.h"

namespace lockstep {
namespace {

using P = Phase;
using Edge = std::pair<Phase, Phase>;

// clang-format off
// Every legal edge for the shadow-copy strategy, written out: the table is the
// specification (docs/state.md) and any change to it should be deliberate.
const std::set<Edge> kShadowCopyEdges = {
    {P::kPlanned, P::kShadowCreated},   {P::kShadowCreated, P::kCopying},
    {P::kCopying, P::kVerifying},       {P::kVerifying, P::kReady},
    {P::kReady, P::kCuttingOver},       {P::kCuttingOver, P::kCutOver},
    {P::kCutOver, P::kCleanedUp},       {P::kCleanedUp, P::kDone},
    {P::kCuttingOver, P::kReady},
    {P::kPlanned, P::kAborted},         {P::kShadowCreated, P::kAborted},
    {P::kCopying, P::kAborted},         {P::kVerifying, P::kAborted},
    {P::kReady, P::kAborted},           {P::kCuttingOver, P::kAborted},
    {P::kPlanned, P::kFailed},          {P::kShadowCreated, P::kFailed},
    {P::kCopying, P::kFailed},          {P::kVerifying, P::kFailed},
    {P::kReady, P::kFailed},            {P::kCuttingOver, P::kFailed},
    {P::kCutOver, P::kFailed},          {P::kCleanedUp, P::kFailed},
};

// Native changes have no shadow table: planned goes straight to ready.
const std::set<Edge> kNativeEdges = {
    {P::kPlanned, P::kReady},
    {P::kReady, P::kCuttingOver},       {P::kCuttingOver, P::kCutOver},
    {P::kCutOver, P::kCleanedUp},       {P::kCleanedUp, P::kDone},
    {P::kCuttingOver, P::kReady},
    {P::kPlanned, P::kAborted},         {P::kReady, P::kAborted},
    {P::kCuttingOver, P::kAborted},
    {P::kPlanned, P::kFailed},          {P::kReady, P::kFailed},
    {P::kCuttingOver, P::kFailed},      {P::kCutOver, P::kFailed},
    {P::kCleanedUp, P::kFailed},
};
// clang-format on

void ExpectExactlyTheseEdges(Strategy strategy, const std::set<Edge>& legal) {
  for (Phase from : kAllPhases) {
    for (Phase to : kAllPhases) {
      EXPECT_EQ(IsLegalTransition(strategy, from, to), legal.count({from, to}) == 1)
          << StrategyName(strategy) << ": " << PhaseName(from) << " -> " << PhaseName(to);
    }
  }
}

TEST(StatePhaseTest, ShadowCopyEdges) {
  ExpectExactlyTheseEdges(Strategy::kCopy, kShadowCopyEdges);
}

TEST(StatePhaseTest, NativeEdges) { ExpectExactlyTheseEdges(Strategy::kInstant, kNativeEdges); }

TEST(StatePhaseTest, NothingLeavesATerminalPhase) {
  for (Phase from : {P::kDone, P::kAborted, P::kFailed}) {
    EXPECT_TRUE(IsTerminalPhase(from));
    for (Phase to : kAllPhases) {
      EXPECT_FALSE(IsLegalTransition(Strategy::kCopy, from, to));
    }
  }
}

TEST(StatePhaseTest, NoAbortAfterCommit) {
  // After cut_over some DC may run the new schema: only forward (or failed).
  for (Strategy s : {Strategy::kCopy, Strategy::kInstant}) {
    EXPECT_FALSE(IsLegalTransition(s, P::kCutOver, P::kAborted));
    EXPECT_FALSE(IsLegalTransition(s, P::kCleanedUp, P::kAborted));
    EXPECT_FALSE(IsLegalTransition(s, P::kCutOver, P::kReady));
  }
}

TEST(StatePhaseTest, NamesRoundTrip) {
  const char* expected[] = {"planned", "shadow_created", "copying",  "verifying",
                            "ready",   "cutting_over",   "cut_over", "cleaned_up",
                            "done",    "aborted",        "failed"};
  ASSERT_EQ(std::size(expected), kAllPhases.size());
  for (size_t i = 0; i < kAllPhases.size(); ++i) {
    EXPECT_STREQ(PhaseName(kAllPhases[i]), expected[i]);
    EXPECT_EQ(ParsePhase(expected[i]), kAllPhases[i]);
  }
  EXPECT_EQ(ParsePhase("paused"), std::nullopt) << "paused is a flag, not a phase";
  EXPECT_EQ(ParsePhase("PLANNED"), std::nullopt);
}

TEST(StatePhaseTest, EnumNamesRoundTrip) {
  for (auto v : {SkewClass::kA, SkewClass::kB}) EXPECT_EQ(ParseSkewClass(SkewClassName(v)), v);
  for (auto v : {CutoverMode::kWindow, CutoverMode::kFenced}) {
    EXPECT_EQ(ParseCutoverMode(CutoverModeName(v)), v);
  }
  for (auto v : {Strategy::kInstant, Strategy::kInplace, Strategy::kCopy})
    EXPECT_EQ(ParseStrategy(StrategyName(v)), v);
  for (auto v : {ArtifactKind::kShadow, ArtifactKind::kOld, ArtifactKind::kSentry,
                 ArtifactKind::kFenceTrigger, ArtifactKind::kMarker}) {
    EXPECT_EQ(ParseArtifactKind(ArtifactKindName(v)), v);
  }
  for (auto v : {ArtifactState::kPlanned, ArtifactState::kCreated, ArtifactState::kDropped}) {
    EXPECT_EQ(ParseArtifactState(ArtifactStateName(v)), v);
  }
  for (auto v : {CutoverDecision::kPending, CutoverDecision::kCommit, CutoverDecision::kAbort}) {
    EXPECT_EQ(ParseCutoverDecision(CutoverDecisionName(v)), v);
  }
  for (auto v :
       {OperatorCommandKind::kPause, OperatorCommandKind::kResume, OperatorCommandKind::kAbort,
        OperatorCommandKind::kThrottle, OperatorCommandKind::kPostpone,
        OperatorCommandKind::kCutover, OperatorCommandKind::kOverride}) {
    EXPECT_EQ(ParseOperatorCommandKind(OperatorCommandKindName(v)), v);
  }
  EXPECT_EQ(ParseStrategy("native"), std::nullopt);
}

}  // namespace
}  // namespace lockstep
