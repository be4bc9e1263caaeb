// The copy's throttle: the governor's arithmetic and the DBA's commands as a
// running migration sees them.
#include <gtest/gtest.h>

#include <cmath>

#include "common/clock.h"
#include "executor/copy/impact_governor.h"
#include "executor/migration/operator_poll.h"
#include "state/state_store.h"
#include "state_test_support.h"

namespace lockstep {
namespace {

using executor::ImpactGovernor;
using executor::ImpactGovernorConfig;

// Exact arithmetic: no own statements discounted.
ImpactGovernorConfig ExactConfig() {
  ImpactGovernorConfig config;
  config.own_statements_per_window = 0;
  return config;
}

// Runs the reference rest the governor asks for, the application issuing
// `rate` statements a second during it. Returns false if it asked otherwise.
bool TakeReferenceRest(ImpactGovernor& governor, const ImpactGovernorConfig& config, double rate) {
  if (governor.NextRest(100) != config.settle_ms) return false;
  governor.RestWindow(config.settle_ms, static_cast<int64_t>(rate * config.settle_ms / 1000));
  if (governor.NextRest(100) != config.measure_ms) return false;
  governor.RestWindow(config.measure_ms, static_cast<int64_t>(rate * config.measure_ms / 1000));
  return governor.NextRest(100) == 0;  // the reference is taken: a chunk may go
}

TEST(ImpactGovernorTest, IdleServerMeansFullSpeed) {
  ImpactGovernor governor;
  governor.ChunkWindow(500, 20);  // 40 statements/s: lockstep's own
  governor.ChunkWindow(25, 7);    // 280/s over a short chunk, all lockstep's own
  EXPECT_FALSE(governor.busy());
  EXPECT_EQ(governor.NextRest(500), 0);
  EXPECT_EQ(governor.rest_ratio(), 0);
}

TEST(ImpactGovernorTest, ABusyServerFirstGetsAReferenceRestWhoseSettlingPartDoesNotCount) {
  const ImpactGovernorConfig config = ExactConfig();
  ImpactGovernor governor(config);
  governor.ChunkWindow(500, 2500);  // 5000/s while copying: busy
  ASSERT_TRUE(governor.busy());
  ASSERT_EQ(governor.NextRest(500), config.settle_ms);
  governor.RestWindow(config.settle_ms, 0);  // the server still busy with the chunk's work
  ASSERT_EQ(governor.NextRest(500), config.measure_ms);
  governor.RestWindow(config.measure_ms, 8 * config.measure_ms);  // 8,000 a second
  ASSERT_TRUE(governor.reference_rate().has_value());
  EXPECT_NEAR(*governor.reference_rate(), 8000, 1e-9);
  EXPECT_EQ(governor.NextRest(500), 0) << "after the reference, a chunk";
  governor.ChunkWindow(100, 500);
  EXPECT_EQ(governor.NextRest(100), std::llround(config.initial_rest_ratio * 100));
  EXPECT_EQ(governor.NextRest(100), 0) << "one rest per chunk";
}

TEST(ImpactGovernorTest, TooMuchImpactRestsLongerAndHeadroomRestsLess) {
  const ImpactGovernorConfig config = ExactConfig();
  ImpactGovernor governor(config);
  governor.ChunkWindow(500, 2500);
  ASSERT_TRUE(TakeReferenceRest(governor, config, 10000));
  const double before = governor.rest_ratio();
  // A control period at 60% of the reference, chunks and rests together.
  governor.ChunkWindow(1000, 6000);
  governor.RestWindow(1000, 6000);
  ASSERT_TRUE(governor.share().has_value());
  EXPECT_NEAR(*governor.share(), 0.6, 1e-9);
  EXPECT_NEAR(governor.rest_ratio(), before * std::exp(config.gain * (config.keep_share - 0.6)),
              1e-9);
  // Then one at 100%: the copy may rest less.
  const double longer = governor.rest_ratio();
  governor.ChunkWindow(1000, 10000);
  governor.RestWindow(1000, 10000);
  EXPECT_LT(governor.rest_ratio(), longer);
}

TEST(ImpactGovernorTest, TheRatioConvergesOnAModelApplication) {
  // A model server: a chunk costs the application `cost` of its rate for
  // twice the chunk's length (the work lands after it), so at rest ratio n
  // it keeps 1 - 2 * cost / (1 + n). With cost 0.5 keeping 90% needs n = 9.
  ImpactGovernorConfig config = ExactConfig();
  config.keep_share = 0.9;
  ImpactGovernor governor(config);
  const double reference = 10000, cost = 0.5;
  governor.ChunkWindow(100, 1000);
  ASSERT_TRUE(TakeReferenceRest(governor, config, reference));
  for (int chunk = 0; chunk < 2000; ++chunk) {
    int64_t rest = governor.NextRest(100);
    if (rest == config.settle_ms) {
      ASSERT_TRUE(TakeReferenceRest(governor, config, reference));
      rest = governor.NextRest(100);
      ASSERT_EQ(rest, 0);
      continue;
    }
    const double n = static_cast<double>(rest) / 100;
    const double kept = 1 - 2 * cost / (1 + n);
    const auto statements = [&](int64_t ms) {
      return static_cast<int64_t>(kept * reference * static_cast<double>(ms) / 1000);
    };
    governor.ChunkWindow(100, statements(100));
    if (rest > 0) governor.RestWindow(rest, statements(rest));
  }
  EXPECT_NEAR(governor.rest_ratio(), 9.0, 1.5);
  ASSERT_TRUE(governor.share().has_value());
  EXPECT_NEAR(*governor.share(), config.keep_share, 0.02);
}

TEST(ImpactGovernorTest, TheReferenceIsMeasuredAgainAndAQuietApplicationReleasesTheCopy) {
  const ImpactGovernorConfig config = ExactConfig();
  ImpactGovernor governor(config);
  governor.ChunkWindow(500, 2500);
  ASSERT_TRUE(TakeReferenceRest(governor, config, 10000));
  for (int64_t copied = 0; copied < config.reference_every_ms; copied += 500) {
    governor.ChunkWindow(250, 2000);
    governor.RestWindow(250, 2000);
  }
  ASSERT_EQ(governor.NextRest(250), config.settle_ms) << "time for a new reference";
  governor.RestWindow(config.settle_ms, 0);
  ASSERT_EQ(governor.NextRest(250), config.measure_ms);
  governor.RestWindow(config.measure_ms, 10);  // the application went quiet
  EXPECT_FALSE(governor.busy());
  EXPECT_FALSE(governor.reference_rate().has_value());
  EXPECT_EQ(governor.NextRest(500), 0);
}

TEST(ImpactGovernorTest, TheRateBeforeTheCopyIsTheFirstReference) {
  const ImpactGovernorConfig config = ExactConfig();
  ImpactGovernor governor(config);
  governor.Before(250, 1000);  // 4,000 statements a second, nothing copying
  ASSERT_TRUE(governor.busy());
  ASSERT_TRUE(governor.reference_rate().has_value());
  EXPECT_NEAR(*governor.reference_rate(), 4000, 1e-9);
  EXPECT_EQ(governor.NextRest(100), 0) << "no reference rest before the first chunk";
  governor.ChunkWindow(100, 400);
  EXPECT_EQ(governor.NextRest(100), std::llround(config.initial_rest_ratio * 100));
  // The first reference rest comes first_reference_after_ms after the rate
  // before, not reference_every_ms, and a higher rate there raises the reference.
  for (int64_t copied = 200; copied < config.first_reference_after_ms; copied += 200) {
    governor.RestWindow(100, 400);
    governor.ChunkWindow(100, 400);
    EXPECT_NE(governor.NextRest(100), config.settle_ms) << "too early, at " << copied << " ms";
  }
  governor.RestWindow(100, 400);
  ASSERT_TRUE(TakeReferenceRest(governor, config, 5000));
  EXPECT_NEAR(*governor.reference_rate(), 5000, 1e-9);

  ImpactGovernor idle(config);
  idle.Before(250, 10);  // 40 a second: idle, full speed
  EXPECT_FALSE(idle.busy());
  EXPECT_EQ(idle.NextRest(100), 0);
}

TEST(ImpactGovernorTest, AReferenceRestLowersTheReferenceOnlyByTheDecay) {
  // What a chunk leaves behind can outlast the settle: a rest measuring 40%
  // less than the application's rate before the copy lowers the reference
  // by reference_decay, not to the biased rate; a higher rate raises it.
  const ImpactGovernorConfig config = ExactConfig();
  ImpactGovernor governor(config);
  governor.Before(1000, 10000);
  for (int64_t copied = 0; copied <= config.reference_every_ms; copied += 500) {
    governor.ChunkWindow(250, 2000);
    governor.RestWindow(250, 2000);
  }
  ASSERT_TRUE(TakeReferenceRest(governor, config, 6000));
  EXPECT_NEAR(*governor.reference_rate(), 10000 * config.reference_decay, 1e-6);
  for (int64_t copied = 0; copied <= config.reference_every_ms; copied += 500) {
    governor.ChunkWindow(250, 2000);
    governor.RestWindow(250, 2000);
  }
  ASSERT_TRUE(TakeReferenceRest(governor, config, 12000));
  EXPECT_NEAR(*governor.reference_rate(), 12000, 1e-6);
}

TEST(ImpactGovernorTest, RatioStaysWithinItsBoundsAndShortWindowsAreIgnored) {
  ImpactGovernorConfig config = ExactConfig();
  config.reference_every_ms = 1000000;  // no new reference in this test
  ImpactGovernor governor(config);
  governor.ChunkWindow(5, 5000);  // 1,000,000/s over 5 ms: noise
  EXPECT_FALSE(governor.busy());
  governor.ChunkWindow(500, 5000);
  ASSERT_TRUE(TakeReferenceRest(governor, config, 10000));
  for (int i = 0; i < 50; ++i) governor.ChunkWindow(config.control_period_ms, 0);  // stalled
  EXPECT_EQ(governor.rest_ratio(), config.max_rest_ratio);
  EXPECT_EQ(governor.NextRest(100), std::llround(config.max_rest_ratio * 100));
  for (int i = 0; i < 50; ++i) {
    governor.ChunkWindow(config.control_period_ms, 2 * config.control_period_ms * 10);
  }
  EXPECT_EQ(governor.rest_ratio(), config.min_rest_ratio);
  governor.RestWindow(1, 0);
  EXPECT_EQ(governor.NextRest(10), config.min_rest_ms) << "never shorter than min_rest_ms";
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

// An abort taken off the queue by a process that died before its clean-up
// (a crash, kill -9) is still an abort for the process that resumes.
TEST_F(OperatorPollTest, AnAbortTakenBeforeACrashHoldsForTheNextRun) {
  {
    OperatorPoll dying(*store_, id_, clock_, 500);
    Command(OperatorCommandKind::kAbort);
    auto state = dying.Poll();
    ASSERT_TRUE(state.ok() && state->abort_reason.has_value());
  }  // gone before acting: the queue is empty now
  OperatorPoll resumed(*store_, id_, clock_, 500);
  auto state = resumed.Poll();
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  ASSERT_TRUE(state->abort_reason.has_value()) << "the abort was held only in the dead process";
  EXPECT_EQ(state->abort_actor, "dba");
  EXPECT_EQ(state->abort_why, "incident 42");
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
