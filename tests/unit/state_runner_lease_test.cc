// The runner lease: who runs a migration. Expiry on a FakeClock, takeover
// from a dead pid on the same host, refusal while the owner lives, and the
// RAII keeper (heartbeats called directly: no sleeps).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>

#include "common/clock.h"
#include "common/process.h"
#include "state/runner_lease_keeper.h"
#include "state/state_store.h"

#include "state_test_support.h"

namespace lockstep {
namespace {

// Processes of "host-a" that run: exactly the pids it is told.
class FakeProcessProbe final : public ProcessProbe {
 public:
  bool IsAlive(int64_t pid) const override { return alive.count(pid) > 0; }
  std::set<int64_t> alive;
};

constexpr int64_t kTtl = 10'000;
const RunnerIdentity kA1{"host-a", 101};
const RunnerIdentity kA2{"host-a", 102};
const RunnerIdentity kB1{"host-b", 201};

class RunnerLeaseTest : public StateDirTest {
 protected:
  void SetUp() override {
    StateDirTest::SetUp();
    processes_.alive = {101, 102};
    store_ = Open();
    ASSERT_NE(store_, nullptr);
    auto id = store_->CreateMigration(MinimalMigrationSpec());
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    id_ = *id;
  }

  // A store as seen from `host` (its processes are processes_).
  std::unique_ptr<StateStore> Open(const std::string& host = "host-a") {
    StateStoreOptions options;
    options.clock = &clock_;
    options.processes = &processes_;
    options.host = host;
    auto store = StateStore::Open(path_, options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::vector<std::string> EventKinds() {
    auto events = store_->ListEvents(id_);
    EXPECT_TRUE(events.ok());
    std::vector<std::string> kinds;
    for (const auto& e : *events) {
      if (e.event.kind.rfind("lease_", 0) == 0) kinds.push_back(e.event.kind + ": " + e.event.message);
    }
    return kinds;
  }

  FakeClock clock_;
  FakeProcessProbe processes_;
  std::unique_ptr<StateStore> store_;
  int64_t id_ = 0;
};

TEST_F(RunnerLeaseTest, AcquireWhenFreeRecordsOwnerAndHeartbeat) {
  auto lease = store_->AcquireRunnerLease(id_, kA1, kTtl);
  ASSERT_TRUE(lease.ok()) << lease.status().ToString();
  EXPECT_EQ(lease->owner, kA1);
  EXPECT_EQ(lease->heartbeat_at, clock_.NowMillis());
  EXPECT_EQ(lease->expires_at, clock_.NowMillis() + kTtl);
  auto stored = store_->GetRunnerLease(id_);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->owner, kA1);
  EXPECT_EQ(EventKinds(), std::vector<std::string>{
                              "lease_acquired: runner lease taken by pid 101 on host host-a"});
}

TEST_F(RunnerLeaseTest, LivePidOnSameHostIsRefusedWithHostAndPid) {
  ASSERT_TRUE(store_->AcquireRunnerLease(id_, kA1, kTtl).ok());
  clock_.Advance(kTtl - 1);
  auto second = store_->AcquireRunnerLease(id_, kA2, kTtl);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(second.status().IsConflict()) << second.status().ToString();
  EXPECT_NE(second.status().message().find("pid 101 on host host-a"), std::string::npos)
      << second.status().message();
  auto live = store_->LiveRunnerLease(id_);
  ASSERT_TRUE(live.ok() && live->has_value());
  EXPECT_EQ((*live)->owner, kA1);
}

TEST_F(RunnerLeaseTest, DeadPidOnSameHostIsTakenOverAtOnce) {
  ASSERT_TRUE(store_->AcquireRunnerLease(id_, kA1, kTtl).ok());
  processes_.alive.erase(101);  // kill -9
  auto live = store_->LiveRunnerLease(id_);
  ASSERT_TRUE(live.ok());
  EXPECT_FALSE(live->has_value());
  auto taken = store_->AcquireRunnerLease(id_, kA2, kTtl);  // no time has passed
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
  EXPECT_EQ(taken->owner, kA2);
  const auto kinds = EventKinds();
  ASSERT_EQ(kinds.size(), 2u);
  EXPECT_EQ(kinds[1],
            "lease_taken_over: runner lease taken over by pid 102 on host host-a from pid 101 on "
            "host host-a: its process is gone");
}

TEST_F(RunnerLeaseTest, AnotherHostsOwnerBindsUntilExpiry) {
  auto from_b = Open("host-b");
  ASSERT_TRUE(from_b->AcquireRunnerLease(id_, kB1, kTtl).ok());
  // host-a cannot see host-b's pid 201 (it is not in its process table):
  // only the expiry frees the lease.
  clock_.Advance(kTtl - 1);
  auto early = store_->AcquireRunnerLease(id_, kA1, kTtl);
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.status().message().find("pid 201 on host host-b"), std::string::npos);
  clock_.Advance(1);
  auto live = store_->LiveRunnerLease(id_);
  ASSERT_TRUE(live.ok());
  EXPECT_FALSE(live->has_value());
  auto late = store_->AcquireRunnerLease(id_, kA1, kTtl);
  ASSERT_TRUE(late.ok()) << late.status().ToString();
  EXPECT_NE(EventKinds().back().find("its last heartbeat was 10000 ms ago"), std::string::npos)
      << EventKinds().back();
}

TEST_F(RunnerLeaseTest, RenewKeepsALeaseAliveAndFailsOnceTakenOver) {
  ASSERT_TRUE(store_->AcquireRunnerLease(id_, kA1, kTtl).ok());
  for (int i = 0; i < 30; ++i) {  // 30 s of heartbeats, one a second
    clock_.Advance(1000);
    ASSERT_TRUE(store_->RenewRunnerLease(id_, kA1, kTtl).ok());
  }
  EXPECT_FALSE(store_->AcquireRunnerLease(id_, kB1, kTtl).ok());
  auto lease = store_->GetRunnerLease(id_);
  ASSERT_TRUE(lease.ok() && lease->has_value());
  EXPECT_EQ((*lease)->heartbeat_at, clock_.NowMillis());
  EXPECT_EQ((*lease)->acquired_at, clock_.NowMillis() - 30'000);

  clock_.Advance(kTtl);  // stalled past its expiry: another host takes over
  auto from_b = Open("host-b");
  ASSERT_TRUE(from_b->AcquireRunnerLease(id_, kB1, kTtl).ok());
  Status renewed = store_->RenewRunnerLease(id_, kA1, kTtl);
  EXPECT_TRUE(renewed.IsConflict()) << renewed.ToString();
  EXPECT_NE(renewed.message().find("lost its runner lease to pid 201 on host host-b"),
            std::string::npos)
      << renewed.message();
}

TEST_F(RunnerLeaseTest, ExpiredButNotTakenOverCanStillBeRenewed) {
  ASSERT_TRUE(store_->AcquireRunnerLease(id_, kA1, kTtl).ok());
  clock_.Advance(kTtl + 5000);
  EXPECT_TRUE(store_->RenewRunnerLease(id_, kA1, kTtl).ok());
  EXPECT_FALSE(store_->AcquireRunnerLease(id_, kA2, kTtl).ok());
}

TEST_F(RunnerLeaseTest, AcquiringAgainByTheOwnerRenews) {
  ASSERT_TRUE(store_->AcquireRunnerLease(id_, kA1, kTtl).ok());
  const int64_t first = clock_.NowMillis();
  clock_.Advance(500);
  auto again = store_->AcquireRunnerLease(id_, kA1, kTtl);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->acquired_at, first);
  EXPECT_EQ(again->heartbeat_at, first + 500);
  EXPECT_EQ(EventKinds().size(), 1u);  // a renewal is not news
}

TEST_F(RunnerLeaseTest, ReleaseOnlyByTheOwner) {
  ASSERT_TRUE(store_->AcquireRunnerLease(id_, kA1, kTtl).ok());
  EXPECT_TRUE(store_->ReleaseRunnerLease(id_, kA2).ok());  // not its lease: nothing happens
  auto still = store_->GetRunnerLease(id_);
  ASSERT_TRUE(still.ok() && still->has_value());
  EXPECT_TRUE(store_->ReleaseRunnerLease(id_, kA1).ok());
  auto gone = store_->GetRunnerLease(id_);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  EXPECT_TRUE(store_->AcquireRunnerLease(id_, kA2, kTtl).ok());
  EXPECT_TRUE(store_->RenewRunnerLease(id_, kA1, kTtl).IsConflict());
  const auto kinds = EventKinds();
  ASSERT_EQ(kinds.size(), 3u);
  EXPECT_EQ(kinds[1], "lease_released: runner lease released by pid 101 on host host-a");
}

TEST_F(RunnerLeaseTest, RefusesBadArgumentsMissingAndTerminalMigrations) {
  EXPECT_TRUE(store_->AcquireRunnerLease(id_, {"", 1}, kTtl).status().IsInvalidArgument());
  EXPECT_TRUE(store_->AcquireRunnerLease(id_, {"host-a", 0}, kTtl).status().IsInvalidArgument());
  EXPECT_TRUE(store_->AcquireRunnerLease(id_, kA1, 0).status().IsInvalidArgument());
  EXPECT_TRUE(store_->AcquireRunnerLease(id_ + 1, kA1, kTtl).status().IsNotFound());
  ASSERT_TRUE(store_->TransitionPhase(id_, Phase::kPlanned, Phase::kAborted, "alice", "no").ok());
  auto terminal = store_->AcquireRunnerLease(id_, kA1, kTtl);
  EXPECT_EQ(terminal.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(RunnerLeaseTest, KeeperHoldsRenewsAndReleases) {
  RunnerLeaseKeeperOptions options;
  options.ttl_ms = kTtl;
  options.renew_every_ms = kTtl - 1;  // the test beats by hand
  {
    auto keeper = RunnerLeaseKeeper::Acquire(*store_, id_, kA1, options);
    ASSERT_TRUE(keeper.ok()) << keeper.status().ToString();
    EXPECT_FALSE(RunnerLeaseKeeper::Acquire(*store_, id_, kA2, options).ok());
    clock_.Advance(3000);
    ASSERT_TRUE((*keeper)->Renew().ok());
    auto lease = store_->GetRunnerLease(id_);
    ASSERT_TRUE(lease.ok() && lease->has_value());
    EXPECT_EQ((*lease)->expires_at, clock_.NowMillis() + kTtl);
  }
  auto after = store_->GetRunnerLease(id_);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->has_value()) << "released by the keeper's destructor";
}

TEST_F(RunnerLeaseTest, KeeperReportsALostLeaseOnceAndLeavesTheNewOwnerAlone) {
  RunnerLeaseKeeperOptions options;
  options.ttl_ms = kTtl;
  options.renew_every_ms = kTtl - 1;
  int lost = 0;
  options.on_lost = [&lost](const Status& why) {
    EXPECT_TRUE(why.IsConflict());
    ++lost;
  };
  {
    auto keeper = RunnerLeaseKeeper::Acquire(*store_, id_, kA1, options);
    ASSERT_TRUE(keeper.ok());
    clock_.Advance(kTtl);
    auto from_b = Open("host-b");
    ASSERT_TRUE(from_b->AcquireRunnerLease(id_, kB1, kTtl).ok());
    EXPECT_TRUE((*keeper)->Renew().IsConflict());
    EXPECT_TRUE((*keeper)->lost());
    EXPECT_TRUE((*keeper)->Renew().IsConflict());
  }
  EXPECT_EQ(lost, 1);
  auto lease = store_->GetRunnerLease(id_);
  ASSERT_TRUE(lease.ok() && lease->has_value());
  EXPECT_EQ((*lease)->owner, kB1) << "a keeper that lost its lease must not release another's";
}

TEST(SystemProcessProbeTest, ThisProcessIsAliveAndAReapedChildIsNot) {
  const auto& probe = SystemProcessProbe::Instance();
  EXPECT_TRUE(probe.IsAlive(ThisProcessId()));
  EXPECT_FALSE(probe.IsAlive(0));
  EXPECT_FALSE(probe.IsAlive(-5));
  const pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_FALSE(probe.IsAlive(child));
}

}  // namespace
}  // namespace lockstep
