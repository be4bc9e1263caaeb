// The copy's throttle: the governor's arithmetic and the DBA's commands as a
// running migration sees them.
#include <gtest/gtest.h>

#include "common/clock.h"
#include "executor/copy/impact_governor.h"
#include "executor/migration/operator_poll.h"
#include "state/state_store.h"
#include "state_test_support.h"

namespace lockstep {
namespace {

using executor::ImpactGovernor;
using executor::ImpactGovernorConfig;

TEST(ImpactGovernorTest, IdleServerMeansFullSpeed) {
  ImpactGovernor governor;
  governor.ChunkWindow(500, 20);  // 40 statements/s: lockstep's own
  governor.ChunkWindow(25, 7);    // 280/s over a short chunk, all lockstep's own
  EXPECT_FALSE(governor.busy());
  EXPECT_EQ(governor.RestAfter(500), 0);
  EXPECT_EQ(governor.rest_ratio(), 0);
}

TEST(ImpactGovernorTest, RestsSoTheApplicationKeepsItsShare) {
  ImpactGovernorConfig config;
  config.own_statements_per_window = 0;  // exact arithmetic
  config.keep_share = 0.8;
  config.smoothing = 1.0;  // no memory: each window decides
  ImpactGovernor governor(config);
  governor.ChunkWindow(500, 2500);  // 5000/s while copying: busy
  ASSERT_TRUE(governor.busy());
  // Nothing measured at rest yet: assume a chunk halves the application.
  EXPECT_NEAR(governor.rest_ratio(), (0.8 - 0.5) / 0.2, 1e-9);
  EXPECT_EQ(governor.RestAfter(100), config.reference_rest_ms) << "long enough to measure";
  governor.RestWindow(1000, 10000);  // 10000/s at rest
  governor.ChunkWindow(500, 1000);   // 2000/s copying: slowed to 20%
  ASSERT_TRUE(governor.slowdown().has_value());
  EXPECT_NEAR(*governor.slowdown(), 0.2, 1e-9);
  // (0.2 + n) / (1 + n) = 0.8  =>  n = 3
  EXPECT_NEAR(governor.rest_ratio(), 3.0, 1e-9);
  EXPECT_EQ(governor.RestAfter(200), 600);
  // Keeping 80% on average, checked: 200 ms at 20% plus 600 ms at 100%.
  EXPECT_NEAR((200 * 0.2 + 600 * 1.0) / 800, 0.8, 1e-9);
}

TEST(ImpactGovernorTest, AnUnaffectedApplicationStillGetsAProbingRest) {
  ImpactGovernorConfig config;
  config.own_statements_per_window = 0;  // exact arithmetic
  config.smoothing = 1.0;
  ImpactGovernor governor(config);
  governor.ChunkWindow(500, 5000);
  governor.RestWindow(500, 5000);
  governor.ChunkWindow(500, 5000);  // not slowed at all
  EXPECT_NEAR(*governor.slowdown(), 1.0, 1e-9);
  EXPECT_EQ(governor.rest_ratio(), config.min_rest_ratio);
  EXPECT_EQ(governor.RestAfter(1000), 250);
  EXPECT_EQ(governor.RestAfter(10), config.min_rest_ms) << "long enough to measure";
}

TEST(ImpactGovernorTest, AStalledApplicationIsCappedAndAQuietOneReleasesTheCopy) {
  ImpactGovernorConfig config;
  config.own_statements_per_window = 0;  // exact arithmetic
  config.smoothing = 1.0;
  ImpactGovernor governor(config);
  governor.ChunkWindow(500, 5000);
  governor.RestWindow(500, 5000);
  governor.ChunkWindow(500, 0);  // the application stood still while copying
  EXPECT_EQ(governor.rest_ratio(), std::min(config.max_rest_ratio,
                                            config.keep_share / (1 - config.keep_share)));
  governor.RestWindow(1000, 10);  // it went quiet
  EXPECT_FALSE(governor.busy());
  EXPECT_EQ(governor.RestAfter(500), 0);
  EXPECT_FALSE(governor.slowdown().has_value());
}

TEST(ImpactGovernorTest, OnlyLongRestsMeasureTheApplicationAndTheyRecur) {
  ImpactGovernorConfig config;
  config.own_statements_per_window = 0;  // exact arithmetic
  config.smoothing = 1.0;
  ImpactGovernor governor(config);
  governor.ChunkWindow(500, 5000);
  governor.RestWindow(config.reference_min_ms, 4000);  // 10000/s: the reference
  governor.RestWindow(100, 100);  // right after a chunk, still recovering: not a reference
  EXPECT_TRUE(governor.busy()) << "a short rest cannot say the application went quiet";
  governor.ChunkWindow(500, 2500);  // 5000/s
  EXPECT_NEAR(*governor.slowdown(), 0.5, 1e-9);
  EXPECT_LT(governor.RestAfter(100), config.reference_rest_ms);
  for (int64_t copied = 0; copied < config.reference_every_ms; copied += 500) {
    governor.ChunkWindow(500, 2500);
  }
  EXPECT_EQ(governor.RestAfter(100), config.reference_rest_ms) << "time for a new reference";
}

TEST(ImpactGovernorTest, ShortWindowsAreIgnoredAndSmoothingDampsNoise) {
  ImpactGovernorConfig config;
  config.own_statements_per_window = 0;  // exact arithmetic
  config.smoothing = 0.5;
  ImpactGovernor governor(config);
  governor.ChunkWindow(5, 5000);  // 1,000,000/s over 5 ms: noise
  EXPECT_FALSE(governor.busy());
  governor.ChunkWindow(500, 5000);
  governor.RestWindow(500, 5000);   // 10000/s
  governor.ChunkWindow(500, 5000);  // 100%
  governor.ChunkWindow(500, 0);     // 0%: one bad window moves it half way
  EXPECT_NEAR(*governor.slowdown(), 0.5, 1e-9);
}

TEST(NiceRatioArgumentTest, ReadsTheRatioAndRefusesNonsense) {
  EXPECT_DOUBLE_EQ(*NiceRatioArgument(R"({"nice_ratio": 2.5})"), 2.5);
  EXPECT_DOUBLE_EQ(*NiceRatioArgument(R"({"nice_ratio":0})"), 0.0);
  EXPECT_TRUE(NiceRatioArgument("{}").status().IsInvalidArgument());
  EXPECT_TRUE(NiceRatioArgument(R"({"nice_ratio": "fast"})").status().IsInvalidArgument());
  EXPECT_TRUE(NiceRatioArgument(R"({"nice_ratio": -1})").status().IsInvalidArgument());
}

class OperatorPollTest : public StateDirTest {
 protected:
  void SetUp() override {
    StateDirTest::SetUp();
    auto store = StateStore::Open(path_, {.busy_timeout_ms = 5000, .clock = &clock_});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auto id = store_->CreateMigration(MinimalMigrationSpec());
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    id_ = *id;
  }

  void Command(OperatorCommandKind kind, const std::string& args = "{}") {
    OperatorCommand c;
    c.migration_id = id_;
    c.command = kind;
    c.args_json = args;
    c.actor = "dba";
    c.reason = "incident 42";
    ASSERT_TRUE(store_->EnqueueOperatorCommand(c).ok());
  }

  FakeClock clock_;
  std::unique_ptr<StateStore> store_;
  int64_t id_ = 0;
};

TEST_F(OperatorPollTest, PauseThrottleResumeAndAbortTakeEffectAtTheNextPoll) {
  OperatorPoll control(*store_, id_, clock_, 500);
  auto state = control.Poll();
  ASSERT_TRUE(state.ok());
  EXPECT_FALSE(state->paused);

  Command(OperatorCommandKind::kPause);
  Command(OperatorCommandKind::kThrottle, R"({"nice_ratio": 4})");
  EXPECT_FALSE(control.Poll()->paused) << "polled again before poll_ms: the cached state";
  clock_.Advance(500);
  state = control.Poll();
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->paused);
  EXPECT_EQ(state->pause_reason, "paused by dba: incident 42");
  EXPECT_EQ(state->nice_ratio, 4.0);
  EXPECT_TRUE(store_->GetMigration(id_)->paused) << "the effect is written before acting";

  Command(OperatorCommandKind::kResume);
  Command(OperatorCommandKind::kThrottle, R"({"nice_ratio": 0})");
  clock_.Advance(500);
  state = control.Poll();
  EXPECT_FALSE(state->paused);
  EXPECT_FALSE(state->nice_ratio.has_value()) << "0 goes back to the measured rest";
  EXPECT_FALSE(store_->GetMigration(id_)->paused);

  Command(OperatorCommandKind::kAbort);
  clock_.Advance(500);
  state = control.Poll();
  ASSERT_TRUE(state->abort_reason.has_value());
  EXPECT_EQ(*state->abort_reason, "aborted by dba: incident 42");
}

TEST_F(OperatorPollTest, AMigrationPausedBeforeTheRunStaysPaused) {
  ASSERT_TRUE(store_->SetPaused(id_, true, "dba", "wait for the sale").ok());
  OperatorPoll control(*store_, id_, clock_, 500);
  auto state = control.Poll();
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->paused);
}

TEST_F(OperatorPollTest, AMalformedThrottleIsRecordedAndSkippedNotTheCommandsBehindIt) {
  OperatorPoll control(*store_, id_, clock_, 500);
  Command(OperatorCommandKind::kThrottle, R"({"speed": 1})");
  Command(OperatorCommandKind::kPause);
  auto state = control.Poll();
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_FALSE(state->nice_ratio.has_value());
  EXPECT_TRUE(state->paused) << "the pause queued behind it still counts";
  auto events = store_->ListEvents(id_);
  ASSERT_TRUE(events.ok());
  bool ignored = false;
  for (const auto& e : *events) ignored |= e.event.kind == "operator_command_ignored";
  EXPECT_TRUE(ignored);
}

}  // namespace
}  // namespace lockstep
