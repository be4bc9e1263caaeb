// The shadow copy in three DCs at once, under writes in every DC (each DC on
// its own keys, as a ShardingZone's application writes them): every DC's
// copy, the two-phase cut-over inside the window, and recovery from the
// faults a multi-DC cut-over meets. After each, every DC's t equals the
// oracle twin written in the same transactions, the DCs hold the same rows
// and every DRC link runs.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include "db/sql.h"
#include "state/state_store.h"
#include "support/oracle.h"
#include "support/sandbox_suite.h"

namespace lockstep::testing {
namespace {

constexpr int kDcs = 3;
constexpr int kRows = 30000;

class CoordinatorTest : public SandboxSuite<kDcs> {
 protected:
  // coord.<table> and its oracle, created in dc1 and replicated to every DC.
  static void CreateTable(const std::string& table) {
    auto c = Dc(1);
    ASSERT_TRUE(c->Execute("CREATE DATABASE IF NOT EXISTS coord").ok());
    ASSERT_TRUE(c->Execute("DROP TABLE IF EXISTS coord.oracle").ok());
    ASSERT_TRUE(CreateTableAndOracle(*c, "coord", table, kRows).ok());
    ASSERT_TRUE(sandbox_->WaitForReplication().ok());
  }

  // Writers in every DC, each on its own stripe of keys.
  static std::vector<std::unique_ptr<OracleWriters>> WritersInEveryDc(const std::string& table) {
    std::vector<std::unique_ptr<OracleWriters>> writers;
    for (int k = 1; k <= kDcs; ++k) {
      writers.push_back(std::make_unique<OracleWriters>(*sandbox_, "coord", table, kRows, 1,
                                                        WriterOptions{k, kDcs, 2}));
    }
    return writers;
  }

  static std::vector<std::string> Change(const std::string& table) {
    return {"--config", sandbox_->topology_path(), "--table", "coord." + table, "--alter",
            "ADD COLUMN e INT"};
  }
  static std::vector<std::string> RunArgs(const std::string& table) {
    std::vector<std::string> args{"run"};
    const auto change = Change(table);
    args.insert(args.end(), change.begin(), change.end());
    args.insert(args.end(), {"--strategy", "copy", "--yes"});
    return args;
  }
  static CommandOutput Resume(const std::string& table) {
    std::vector<std::string> args{"resume"};
    const auto change = Change(table);
    args.insert(args.end(), change.begin(), change.end());
    args.push_back("--yes");
    return RunLockstep(args);
  }

  // Stops the writers a moment after the migration, then checks every DC:
  // the new column, t equal to the oracle, the same rows everywhere, every
  // link running.
  static void ExpectEveryDcEqualsTheOracle(const std::string& table,
                                           std::vector<std::unique_ptr<OracleWriters>>& writers) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    int committed = 0;
    for (auto& w : writers) {
      w->Stop();
      committed += w->committed();
    }
    EXPECT_GT(committed, 30) << "the writers barely ran";
    EXPECT_EQ(CheckEveryDc(*sandbox_, "coord", table), "") << committed << " writer transactions";
    for (int k = 1; k <= kDcs; ++k) {
      EXPECT_TRUE(Dc(k)->Query("SELECT e FROM coord." + table + " LIMIT 0").ok()) << "dc" << k << " has no column e";
    }
    std::cout << "[ oracle   ] " << committed << " writer transactions in " << kDcs << " DCs\n";
  }

  static MigrationFilter ForTable(const std::string& table) {
    MigrationFilter filter;
    filter.table_name = table;
    return filter;
  }

  // The table's (latest) migration id in the sandbox's state store, or 0.
  static int64_t MigrationOf(StateStore& store, const std::string& table) {
    auto m = store.ListMigrations(ForTable(table));
    EXPECT_TRUE(m.ok() && !m->empty()) << "no migration of " << table;
    return m.ok() && !m->empty() ? m->front().id : 0;
  }

  static std::vector<CutoverAttempt> AttemptsOf(StateStore& store, const std::string& table) {
    auto attempts = store.ListCutoverAttempts(MigrationOf(store, table));
    EXPECT_TRUE(attempts.ok());
    return attempts.ok() ? *attempts : std::vector<CutoverAttempt>{};
  }

  // `lockstep run` of the change, which must die of SIGKILL at `failpoint`.
  static void RunToFailpoint(const std::string& table, const std::string& failpoint) {
    const int pid = SpawnLockstep(RunArgs(table), {"LOCKSTEP_FAILPOINT=" + failpoint});
    ASSERT_GT(pid, 0);
    const std::optional<int> status = WaitForExit(pid, 240000);
    ASSERT_TRUE(status.has_value() && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL)
        << "the failpoint " << failpoint << " was not hit";
  }

  static std::unique_ptr<StateStore> Store() {
    auto store = StateStore::Open(sandbox_->topology().state_db_path);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // Whether DC k holds `name` in coord.
  static bool TableExists(int k, const std::string& name) {
    auto c = Dc(k);
    auto r = c->Query(sql::ExistingTables("coord", {name}));
    return r.ok() && r->rows.size() == 1;
  }
};

TEST_F(CoordinatorTest, EveryDcCutsOverTogetherUnderWritesInEveryDc) {
  const std::string table = "t_together";
  CreateTable(table);
  if (HasFatalFailure()) return;
  auto writers = WritersInEveryDc(table);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CommandOutput run = RunLockstep(RunArgs(table));
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  ExpectEveryDcEqualsTheOracle(table, writers);

  EXPECT_NE(run.out.find("cut-over attempt 1: commit (ready)"), std::string::npos) << run.out;
  auto store = Store();
  ASSERT_NE(store, nullptr);
  const std::vector<CutoverAttempt> attempts = AttemptsOf(*store, table);
  ASSERT_FALSE(attempts.empty());
  const std::string timings = attempts.back().timings_json.value_or("");
  for (const char* field : {"\"dc\":\"dc1\"", "\"dc\":\"dc2\"", "\"dc\":\"dc3\"", "\"rename_skew_ms\":"}) {
    EXPECT_NE(timings.find(field), std::string::npos) << field << " in " << timings;
  }
  auto progress = store->ListDcProgress(MigrationOf(*store, table));
  ASSERT_TRUE(progress.ok());
  ASSERT_EQ(progress->size(), static_cast<size_t>(kDcs));
  for (const auto& p : *progress) EXPECT_EQ(p.phase, Phase::kCutOver) << p.dc;
}

// A transaction left open on t in dc2 keeps the lock from being granted
// there: the attempt is aborted in every DC (the others' locks released at
// once), and a later one succeeds once the transaction ends.
TEST_F(CoordinatorTest, ALongTransactionInOneDcAbortsTheAttemptEverywhere) {
  const std::string table = "t_long_trx";
  CreateTable(table);
  if (HasFatalFailure()) return;
  auto writers = WritersInEveryDc(table);
  // Open before the run: it holds t's metadata lock in dc2, so LOCK TABLES
  // cannot be granted there. Ended once an attempt was aborted.
  auto holder = Dc(2);
  ASSERT_TRUE(holder->Execute("BEGIN").ok());
  ASSERT_TRUE(holder->Query("SELECT id FROM coord." + table + " LIMIT 1").ok());
  std::thread watcher([&] {
    bool aborted = false;
    for (int i = 0; i < 4800 && !aborted; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      auto store = StateStore::Open(sandbox_->topology().state_db_path);
      if (!store.ok()) continue;
      auto m = (*store)->ActiveMigrationFor("coord", table);
      if (!m.ok() || !m->has_value()) continue;
      auto attempts = (*store)->ListCutoverAttempts((*m)->id);
      if (!attempts.ok()) continue;
      for (const auto& a : *attempts) aborted = aborted || a.decision == CutoverDecision::kAbort;
    }
    EXPECT_TRUE(aborted) << "no attempt was aborted";
    EXPECT_TRUE(holder->Execute("COMMIT").ok());
  });
  CommandOutput run = RunLockstep(RunArgs(table));
  watcher.join();
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  ExpectEveryDcEqualsTheOracle(table, writers);

  auto store = Store();
  ASSERT_NE(store, nullptr);
  const std::vector<CutoverAttempt> attempts = AttemptsOf(*store, table);
  ASSERT_GE(attempts.size(), 2u) << run.out;
  const CutoverAttempt& first = attempts.front();
  EXPECT_EQ(first.decision, CutoverDecision::kAbort);
  EXPECT_NE(first.reason.find("dc2"), std::string::npos) << first.reason;
  // The other DCs were locked and let go: their report says aborted.
  const std::string report = first.timings_json.value_or("");
  EXPECT_NE(report.find("\"dc\":\"dc1\""), std::string::npos) << report;
  EXPECT_EQ(attempts.back().decision, CutoverDecision::kCommit);
}

// Killed after COMMIT with dc1 renamed: resume finds dc1 renamed (and
// checks its binlog), and renames the others. Meanwhile another state file
// is refused by the owner records in the DCs.
TEST_F(CoordinatorTest, KilledAfterTheFirstRenameResumeRenamesTheRest) {
  const std::string table = "t_kill_renamed";
  CreateTable(table);
  if (HasFatalFailure()) return;
  auto writers = WritersInEveryDc(table);
  RunToFailpoint(table, "after_rename@dc1");
  if (HasFatalFailure()) return;
  EXPECT_TRUE(TableExists(1, "_" + table + "_old")) << "dc1 renamed before the kill";

  // A second lockstep with a state file of its own is refused.
  const std::string other_state = sandbox_->topology().state_db_path + ".other";
  std::string topology_text;
  {
    std::ifstream in(sandbox_->topology_path());
    topology_text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string other_topology = sandbox_->topology_path() + ".other.toml";
  {
    std::string text = topology_text;
    const std::string from = sandbox_->topology().state_db_path;
    text.replace(text.find(from), from.size(), other_state);
    std::ofstream(other_topology) << text;
  }
  std::vector<std::string> other = RunArgs(table);
  other[2] = other_topology;  // after "run", "--config"
  CommandOutput refused = RunLockstep(other);
  EXPECT_NE(refused.exit_code, 0) << refused.out << refused.err;
  EXPECT_NE((refused.out + refused.err).find("being migrated"), std::string::npos) << refused.out << refused.err;

  CommandOutput resumed = Resume(table);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_NE(resumed.err.find("was found renamed after a restart"), std::string::npos) << resumed.err;
  ExpectEveryDcEqualsTheOracle(table, writers);
  for (int k = 1; k <= kDcs; ++k) EXPECT_FALSE(TableExists(k, "_" + table + "_new")) << "dc" << k;
}

// Killed after COMMIT was recorded, before any DC renamed: resume does not
// decide again, it rolls forward in every DC.
TEST_F(CoordinatorTest, KilledAfterCommitIsRecordedResumeRenamesEveryDc) {
  const std::string table = "t_kill_committed";
  CreateTable(table);
  if (HasFatalFailure()) return;
  auto writers = WritersInEveryDc(table);
  RunToFailpoint(table, "after_commit_recorded");
  if (HasFatalFailure()) return;
  for (int k = 1; k <= kDcs; ++k) EXPECT_TRUE(TableExists(k, "_" + table + "_new")) << "dc" << k;
  CommandOutput resumed = Resume(table);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  ExpectEveryDcEqualsTheOracle(table, writers);
  auto store = Store();
  ASSERT_NE(store, nullptr);
  const std::vector<CutoverAttempt> attempts = AttemptsOf(*store, table);
  ASSERT_EQ(attempts.size(), 1u) << "the COMMIT is not decided again";
  EXPECT_EQ(attempts.front().decision, CutoverDecision::kCommit);
}

// After COMMIT, dc2's lock session is killed (lockstep stopped right after
// recording COMMIT, the session found by the lock it holds on the sentry):
// dc2's RENAME fails on the sentry, and dc2 is prepared again and renamed.
TEST_F(CoordinatorTest, ALockSessionKilledAfterCommitIsPreparedAgainAndRenamed) {
  const std::string table = "t_lock_killed";
  CreateTable(table);
  if (HasFatalFailure()) return;
  auto writers = WritersInEveryDc(table);
  auto dc2 = Dc(2);
  (void)dc2->Execute("INSTALL SONAME 'metadata_lock_info'");  // already there: an error, harmless
  const int pid = SpawnLockstep(RunArgs(table), {"LOCKSTEP_FAILPOINT=after_commit_recorded:stop"});
  ASSERT_GT(pid, 0);
  // Stopped by itself (SIGSTOP) once COMMIT is recorded.
  bool stopped = false;
  for (int i = 0; i < 2400 && !stopped; ++i) {
    int st = 0;
    if (::waitpid(pid, &st, WUNTRACED | WNOHANG) == pid) {
      ASSERT_TRUE(WIFSTOPPED(st)) << "lockstep ended before COMMIT";
      stopped = true;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  ASSERT_TRUE(stopped) << "lockstep never reached COMMIT";
  auto holder = dc2->QueryValue("SELECT THREAD_ID FROM information_schema.METADATA_LOCK_INFO WHERE "
                                "TABLE_SCHEMA = 'coord' AND TABLE_NAME = '_" + table + "_old' LIMIT 1");
  ASSERT_TRUE(holder.ok() && holder->has_value()) << (holder.ok() ? "no holder of the sentry" : holder.status().ToString());
  ASSERT_TRUE(dc2->Execute("KILL " + **holder).ok());
  ::kill(pid, SIGCONT);
  const std::optional<int> status = WaitForExit(pid, 120000);
  ASSERT_TRUE(status.has_value() && WIFEXITED(*status)) << "lockstep did not finish";
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  ExpectEveryDcEqualsTheOracle(table, writers);
  for (int k = 1; k <= kDcs; ++k) {
    EXPECT_TRUE(TableExists(k, "_" + table + "_old")) << "dc" << k << " renamed";
    EXPECT_FALSE(TableExists(k, "_" + table + "_new")) << "dc" << k;
  }
  // dc2 was locked twice (prepared again after COMMIT), the others once.
  auto store = Store();
  ASSERT_NE(store, nullptr);
  auto locked = store->ListEventsOfKinds(MigrationOf(*store, table), {"cutover_locked"});
  ASSERT_TRUE(locked.ok());
  std::map<std::string, int> locks;
  for (const auto& e : *locked) ++locks[e.event.dc.value_or("")];
  EXPECT_EQ(locks["dc1"], 1);
  EXPECT_EQ(locks["dc2"], 2);
  EXPECT_EQ(locks["dc3"], 1);
  EXPECT_EQ(AttemptsOf(*store, table).size(), 1u) << "COMMIT stands; dc2 is renamed under it";
}


// dc2's server stops answering (SIGSTOP, as a cut network would) as its
// prepare begins: the others, READY, are released when the window's READY
// deadline passes, so the application writes on there; the attempt is
// aborted, and one after dc2 answers again succeeds.
TEST_F(CoordinatorTest, ADcUnreachableDuringPrepareAbortsAndALaterAttemptSucceeds) {
  const std::string table = "t_unreachable";
  CreateTable(table);
  if (HasFatalFailure()) return;
  auto writers = WritersInEveryDc(table);
  const int server = sandbox_->ServerPid(2);
  ASSERT_GT(server, 0);
  // lockstep stops itself (SIGSTOP) each time dc2's prepare begins.
  const int pid = SpawnLockstep(RunArgs(table), {"LOCKSTEP_FAILPOINT=before_prepare@dc2:stop"});
  ASSERT_GT(pid, 0);
  int stops = 0;
  int written_while_cut_off = -1;
  std::optional<int> status;
  for (int i = 0; i < 6000 && !status; ++i) {
    int st = 0;
    const int got = ::waitpid(pid, &st, WUNTRACED | WNOHANG);
    if (got == pid && WIFSTOPPED(st)) {
      if (++stops == 1) {
        ASSERT_EQ(::kill(server, SIGSTOP), 0);
        ::kill(pid, SIGCONT);
        // The window's READY deadline (half of 3 s) passes; dc1 and dc3 are
        // released and take writes again while dc2 is still cut off.
        std::this_thread::sleep_for(std::chrono::milliseconds(2500));
        const int before = writers[0]->committed() + writers[2]->committed();
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        written_while_cut_off = writers[0]->committed() + writers[2]->committed() - before;
        ::kill(server, SIGCONT);
      } else {
        ::kill(pid, SIGCONT);
      }
    } else if (got == pid) {
      status = st;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ::kill(server, SIGCONT);  // whatever happened above
  ASSERT_TRUE(status.has_value()) << "lockstep did not finish";
  ASSERT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "lockstep failed";
  EXPECT_GE(stops, 2) << "a second attempt prepared dc2";
  EXPECT_GT(written_while_cut_off, 0) << "dc1 and dc3 took no write while dc2 was cut off";
  ASSERT_TRUE(sandbox_->WaitLinkRunning(1, "dc2", 60).ok());
  ASSERT_TRUE(sandbox_->WaitLinkRunning(3, "dc2", 60).ok());
  ExpectEveryDcEqualsTheOracle(table, writers);
  auto store = Store();
  ASSERT_NE(store, nullptr);
  const std::vector<CutoverAttempt> attempts = AttemptsOf(*store, table);
  ASSERT_GE(attempts.size(), 2u);
  EXPECT_EQ(attempts.front().decision, CutoverDecision::kAbort);
  EXPECT_NE(attempts.front().reason.find("dc2"), std::string::npos) << attempts.front().reason;
  EXPECT_EQ(attempts.back().decision, CutoverDecision::kCommit);
}

}  // namespace
}  // namespace lockstep::testing
