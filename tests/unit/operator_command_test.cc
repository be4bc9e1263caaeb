// The DBA's controls end to end without a server: argument checks, and what
// pause, throttle, abort and resume record when a live runner holds the
// lease (another process of this host: the test's parent) or nobody does.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "common/process.h"
#include "state/runner_lease_keeper.h"
#include "state/state_store.h"
#include "state_test_support.h"

namespace lockstep::cli {
namespace {

namespace fs = std::filesystem;

using CommandFnRef = int (*)(const std::vector<std::string>&, CommandIo);

class OperatorCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("lockstep_operator_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    config_ = (dir_ / "topology.ini").string();
    // No server: these paths never connect to a DC.
    std::ofstream(config_) << "[lockstep]\nstate_db = state.db\n\n"
                              "[dc.dc1]\nhost = 127.0.0.1\nport = 1\nuser = lockstep\n";
    setenv("LOCKSTEP_OPERATOR", "dba-carol", 1);
    auto store = StateStore::Open((dir_ / "state.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auto id = store_->CreateMigration(MinimalMigrationSpec());
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    id_ = *id;
    ASSERT_TRUE(store_->TransitionPhase(id_, Phase::kPlanned, Phase::kShadowCreated, "t", "").ok());
    ASSERT_TRUE(store_->TransitionPhase(id_, Phase::kShadowCreated, Phase::kCopying, "t", "").ok());
  }
  void TearDown() override {
    unsetenv("LOCKSTEP_OPERATOR");
    store_.reset();
    fs::remove_all(dir_);
  }

  int Run(CommandFnRef fn, std::vector<std::string> args, bool with_config = true) {
    out_.str("");
    err_.str("");
    if (with_config) args.insert(args.end(), {"--config", config_});
    return fn(args, {out_, err_});
  }

  // A live runner: a process of this host that is not this one.
  void HoldLeaseElsewhere() {
    ASSERT_TRUE(store_->AcquireRunnerLease(id_, Elsewhere(), kRunnerLeaseTtlMs).ok());
  }
  static RunnerIdentity Elsewhere() { return {ThisHostName(), static_cast<int64_t>(getppid())}; }

  std::vector<OperatorCommandRecord> Taken() {
    auto taken = store_->TakePendingOperatorCommands(id_);
    EXPECT_TRUE(taken.ok()) << taken.status().ToString();
    return taken.ok() ? *taken : std::vector<OperatorCommandRecord>{};
  }

  fs::path dir_;
  std::string config_;
  std::unique_ptr<StateStore> store_;
  int64_t id_ = 0;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(OperatorCommandTest, ReasonIsRequiredAndMustNotBeBlank) {
  const std::string id = std::to_string(id_);
  for (CommandFnRef fn : {&RunPause, &RunAbort}) {
    EXPECT_EQ(Run(fn, {"--id", id}), kExitUsage);
    EXPECT_NE(err_.str().find("give --reason"), std::string::npos) << err_.str();
    EXPECT_EQ(Run(fn, {"--id", id, "--reason", "  \t"}), kExitUsage);
    EXPECT_NE(err_.str().find("blank"), std::string::npos) << err_.str();
  }
  EXPECT_EQ(Run(&RunThrottle, {"--id", id, "--nice-ratio", "1"}), kExitUsage);
  EXPECT_EQ(Run(&RunResume, {"--id", id, "--reason", " ", "--yes"}), kExitUsage);
  EXPECT_TRUE(Taken().empty());
}

TEST_F(OperatorCommandTest, IdIsRequiredAndPositive) {
  EXPECT_EQ(Run(&RunPause, {"--reason", "r"}), kExitUsage);
  EXPECT_NE(err_.str().find("give --id"), std::string::npos) << err_.str();
  EXPECT_EQ(Run(&RunPause, {"--id", "0", "--reason", "r"}), kExitUsage);
  EXPECT_EQ(Run(&RunAbort, {"--id", "x", "--reason", "r"}), kExitUsage);
  EXPECT_EQ(Run(&RunPause, {"--id", "999", "--reason", "r"}), kExitUsage);
  EXPECT_NE(err_.str().find("does not exist"), std::string::npos) << err_.str();
  EXPECT_EQ(Run(&RunResume, {"--yes"}), kExitUsage);
  EXPECT_NE(err_.str().find("give --id N or --table"), std::string::npos) << err_.str();
}

TEST_F(OperatorCommandTest, NiceRatioMustBeANumberAtLeastZero) {
  const std::string id = std::to_string(id_);
  EXPECT_EQ(Run(&RunThrottle, {"--id", id, "--reason", "r"}), kExitUsage);
  EXPECT_NE(err_.str().find("give --nice-ratio"), std::string::npos) << err_.str();
  EXPECT_EQ(Run(&RunThrottle, {"--id", id, "--reason", "r", "--nice-ratio=-0.5"}), kExitUsage);
  EXPECT_NE(err_.str().find(">= 0"), std::string::npos) << err_.str();
  EXPECT_EQ(Run(&RunThrottle, {"--id", id, "--reason", "r", "--nice-ratio", "fast"}), kExitUsage);
  EXPECT_EQ(Run(&RunThrottle, {"--id", id, "--reason", "r", "--nice-ratio", "nan"}), kExitUsage);
  EXPECT_TRUE(Taken().empty());
}

TEST_F(OperatorCommandTest, HelpSaysWhatEachDoesAndWhenItIsPickedUp) {
  for (CommandFnRef fn : {&RunPause, &RunThrottle, &RunAbort, &RunResume}) {
    EXPECT_EQ(Run(fn, {"--help"}, false), kExitOk);
    EXPECT_NE(out_.str().find("within a second"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("--reason"), std::string::npos) << out_.str();
  }
  EXPECT_EQ(Run(&RunThrottle, {"--help"}, false), kExitOk);
  EXPECT_NE(out_.str().find("R = 0"), std::string::npos) << out_.str();
  EXPECT_EQ(Run(&RunAbort, {"--help"}, false), kExitOk);
  EXPECT_NE(out_.str().find("binlogged for the DC's own replicas"), std::string::npos) << out_.str();
}

TEST_F(OperatorCommandTest, WithALiveRunnerEveryControlIsQueuedForIt) {
  HoldLeaseElsewhere();
  const std::string id = std::to_string(id_);
  EXPECT_EQ(Run(&RunPause, {"--id", id, "--reason", "disk at 91%"}), kExitOk) << err_.str();
  EXPECT_NE(out_.str().find("picks it up within a second"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("pid " + std::to_string(getppid())), std::string::npos) << out_.str();
  EXPECT_EQ(Run(&RunThrottle, {"--id", id, "--reason", "peak", "--nice-ratio", "0.5"}), kExitOk)
      << err_.str();
  EXPECT_EQ(Run(&RunAbort, {"--id", id, "--reason", "wrong column"}), kExitOk) << err_.str();
  const auto taken = Taken();
  ASSERT_EQ(taken.size(), 3u);
  EXPECT_EQ(taken[0].command.command, OperatorCommandKind::kPause);
  EXPECT_EQ(taken[0].command.reason, "disk at 91%");
  EXPECT_EQ(taken[0].command.actor, "dba-carol");
  EXPECT_EQ(taken[1].command.command, OperatorCommandKind::kThrottle);
  EXPECT_EQ(taken[1].command.args_json, R"({"nice_ratio": 0.5})");
  EXPECT_EQ(taken[2].command.command, OperatorCommandKind::kAbort);
  // Queued only: the runner acts. Nothing here changed the migration.
  auto m = store_->GetMigration(id_);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->phase, Phase::kCopying);
  EXPECT_FALSE(m->paused);
}

TEST_F(OperatorCommandTest, ThrottleZeroHandsThePaceBack) {
  HoldLeaseElsewhere();
  EXPECT_EQ(Run(&RunThrottle, {"--id", std::to_string(id_), "--reason", "done", "--nice-ratio",
                               "0"}),
            kExitOk)
      << err_.str();
  const auto taken = Taken();
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].command.args_json, R"({"nice_ratio": 0})");
}

TEST_F(OperatorCommandTest, ResumeOfARunningMigration) {
  HoldLeaseElsewhere();
  const std::string id = std::to_string(id_);
  // Not paused: someone runs it already.
  EXPECT_EQ(Run(&RunResume, {"--id", id, "--yes"}), kExitNo);
  EXPECT_NE(err_.str().find("already being run by pid " + std::to_string(getppid())),
            std::string::npos)
      << err_.str();
  // Paused (as the runner records it when it takes a pause): the resume is
  // queued for the runner, and needs a reason.
  ASSERT_TRUE(store_->SetPaused(id_, true, "dba-carol", "disk").ok());
  EXPECT_EQ(Run(&RunResume, {"--id", id}), kExitUsage);
  EXPECT_NE(err_.str().find("needs --reason"), std::string::npos) << err_.str();
  EXPECT_EQ(Run(&RunResume, {"--id", id, "--reason", "disk freed"}), kExitOk) << err_.str();
  const auto taken = Taken();
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].command.command, OperatorCommandKind::kResume);
  EXPECT_EQ(taken[0].command.reason, "disk freed");
}

TEST_F(OperatorCommandTest, PauseWithNoRunnerMarksItPausedAndReleasesTheLease) {
  EXPECT_EQ(Run(&RunPause, {"--id", std::to_string(id_), "--reason", "freeze"}), kExitOk)
      << err_.str();
  EXPECT_NE(out_.str().find("no process runs it now"), std::string::npos) << out_.str();
  auto m = store_->GetMigration(id_);
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->paused);
  EXPECT_TRUE(Taken().empty());
  auto lease = store_->GetRunnerLease(id_);
  ASSERT_TRUE(lease.ok());
  EXPECT_FALSE(lease->has_value());
  auto events = store_->ListEvents(id_);
  ASSERT_TRUE(events.ok());
  bool logged = false;
  for (const auto& e : *events) {
    logged |= e.event.kind == "paused" && e.event.actor == "dba-carol" && e.event.reason == "freeze";
  }
  EXPECT_TRUE(logged);
}

TEST_F(OperatorCommandTest, AbortWithNoRunnerAndNothingCreatedEndsItWithTheReason) {
  // No artifact is recorded, so no DC is connected to (there is none here).
  EXPECT_EQ(Run(&RunAbort, {"--id", std::to_string(id_), "--reason", "wrong table"}), kExitOk)
      << err_.str();
  EXPECT_NE(out_.str().find("aborted in phase copying"), std::string::npos) << out_.str();
  auto m = store_->GetMigration(id_);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->phase, Phase::kAborted);
  auto dc = store_->GetDcProgress(id_, "dc1");
  ASSERT_TRUE(dc.ok());
  EXPECT_EQ(dc->phase, Phase::kAborted);
  auto events = store_->ListEvents(id_);
  ASSERT_TRUE(events.ok());
  ASSERT_FALSE(events->empty());
  bool logged = false;
  for (const auto& e : *events) {
    logged |= e.event.kind == "phase" && e.event.message == "copying -> aborted" &&
              e.event.actor == "dba-carol" && e.event.reason == "wrong table";
  }
  EXPECT_TRUE(logged);
  EXPECT_EQ(events->back().event.kind, "lease_released");
  EXPECT_TRUE(Taken().empty());
}

TEST_F(OperatorCommandTest, TerminalMigrationsAreRefused) {
  ASSERT_TRUE(store_->TransitionPhase(id_, Phase::kCopying, Phase::kAborted, "t", "x").ok());
  const std::string id = std::to_string(id_);
  for (CommandFnRef fn : {&RunPause, &RunAbort}) {
    EXPECT_EQ(Run(fn, {"--id", id, "--reason", "r"}), kExitNo);
    EXPECT_NE(err_.str().find("is aborted; there is nothing to"), std::string::npos) << err_.str();
  }
  EXPECT_EQ(Run(&RunThrottle, {"--id", id, "--reason", "r", "--nice-ratio", "1"}), kExitNo);
  EXPECT_EQ(Run(&RunResume, {"--id", id, "--yes"}), kExitNo);
  EXPECT_NE(err_.str().find("nothing to resume"), std::string::npos) << err_.str();
}

TEST_F(OperatorCommandTest, AbortAfterACommitIsRefused) {
  ASSERT_TRUE(store_->TransitionPhase(id_, Phase::kCopying, Phase::kVerifying, "t", "").ok());
  ASSERT_TRUE(store_->TransitionPhase(id_, Phase::kVerifying, Phase::kReady, "t", "").ok());
  ASSERT_TRUE(store_->TransitionPhase(id_, Phase::kReady, Phase::kCuttingOver, "t", "").ok());
  auto attempt = store_->BeginCutoverAttempt(id_, 60000, "t");
  ASSERT_TRUE(attempt.ok());
  ASSERT_TRUE(store_->DecideCutoverAttempt(attempt->id, CutoverDecision::kCommit, std::nullopt,
                                           "t", "ready")
                  .ok());
  EXPECT_EQ(Run(&RunAbort, {"--id", std::to_string(id_), "--reason", "r"}), kExitNo);
  EXPECT_NE(err_.str().find("only rolls forward"), std::string::npos) << err_.str();
  EXPECT_TRUE(Taken().empty());
  auto m = store_->GetMigration(id_);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->phase, Phase::kCuttingOver);
}

}  // namespace
}  // namespace lockstep::cli
