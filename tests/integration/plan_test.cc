// lockstep plan against a real 3-DC sandbox: each check failing for its own
// reason, the decisions per zone type, and a plan that writes nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "db/sql.h"
#include "planner/plan/planner.h"
#include "planner/sql/statement_parser.h"
#include "support/sandbox_suite.h"

namespace lockstep::testing {
namespace {

class PlanTest : public SandboxSuite<3> {
 protected:

  void SetUp() override {
    ASSERT_NE(sandbox_, nullptr);
    // A fresh table per test, created in dc1 and replicated everywhere.
    table_ = std::string("t_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    On(1, "CREATE DATABASE IF NOT EXISTS plantest");
    On(1, "CREATE TABLE " + Qualified() +
              " (id INT AUTO_INCREMENT PRIMARY KEY, a INT, b VARCHAR(50)) ENGINE=InnoDB");
    On(1, "INSERT INTO " + Qualified() + " (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')");
    ASSERT_TRUE(sandbox_->WaitForReplication().ok());
  }

  std::string Qualified() const { return sql::QualifiedName("plantest", table_); }

  void On(int k, const std::string& stmt, bool local_only = false) {
    auto c = sandbox_->Connect(k);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    if (local_only) {
      ASSERT_TRUE((*c)->Execute("SET SESSION sql_log_bin = 0").ok());
    }
    Status s = (*c)->Execute(stmt);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  Plan MakePlanFor(const std::string& clauses, const Topology& topology) {
    auto alter = sql::ParseAlterTable("ALTER TABLE " + Qualified() + " " + clauses);
    EXPECT_TRUE(alter.ok()) << alter.status().ToString();
    PlanRequest req{"plantest", table_, *alter, clauses};
    MariaDbConnectionFactory factory;
    auto plan = MakePlan(topology, factory, req);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    return plan.ok() ? *plan : Plan{};
  }
  Plan MakePlanFor(const std::string& clauses) { return MakePlanFor(clauses, sandbox_->topology()); }

  // "dc:name" of every failed check.
  static std::vector<std::string> Failures(const Plan& p) {
    std::vector<std::string> out;
    for (const auto& c : p.checks) {
      if (c.status == CheckStatus::kFail) out.push_back(c.dc + ":" + c.name);
    }
    return out;
  }

  using V = std::vector<std::string>;
  std::string table_;
};

TEST_F(PlanTest, InstantAddColumnIsOkAndWritesNothing) {
  std::vector<std::string> before;
  for (int k = 1; k <= 3; ++k) {
    auto c = sandbox_->Connect(k);
    before.push_back((*c)->QueryValue("SELECT @@gtid_binlog_pos")->value_or(""));
  }
  Plan p = MakePlanFor("ADD COLUMN c INT");
  EXPECT_TRUE(p.ok()) << ::testing::PrintToString(Failures(p));
  EXPECT_EQ(p.skew_class, SkewClass::kA);
  EXPECT_EQ(p.strategy, Strategy::kInstant);
  EXPECT_EQ(p.cutover_mode, CutoverMode::kWindow);
  for (int k = 1; k <= 3; ++k) {
    auto c = sandbox_->Connect(k);
    EXPECT_EQ((*c)->QueryValue("SELECT @@gtid_binlog_pos")->value_or(""), before[k - 1])
        << "planning wrote to dc" << k << "'s binlog";
  }
  auto probe_left = (*sandbox_->Connect(1))->QueryValue(
      "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME LIKE '\\_lockstep%'");
  EXPECT_EQ(probe_left->value_or(""), "0");
}

TEST_F(PlanTest, ClassBInShardingZoneFencesEveryDc) {
  Plan p = MakePlanFor("MODIFY a BIGINT");
  EXPECT_TRUE(p.ok()) << ::testing::PrintToString(Failures(p));
  EXPECT_EQ(p.skew_class, SkewClass::kB);
  EXPECT_EQ(p.strategy, Strategy::kCopy);
  EXPECT_EQ(p.cutover_mode, CutoverMode::kFenced);
  EXPECT_EQ(p.fenced_dcs, (V{"dc1", "dc2", "dc3"}));
  EXPECT_FALSE(p.suggestion.empty());
}

TEST_F(PlanTest, ClassBInGlobalZoneFencesOnlyTheWriter) {
  Topology t = sandbox_->topology();
  t.zones[0].type = ZoneType::kGlobal;
  t.zones[0].writer_dc = "dc2";
  Plan p = MakePlanFor("MODIFY a BIGINT", t);
  EXPECT_EQ(p.cutover_mode, CutoverMode::kFenced);
  EXPECT_EQ(p.fenced_dcs, (V{"dc2"}));
}

TEST_F(PlanTest, TooLittleDiskThroughTheSpaceBudget) {
  Topology t = sandbox_->topology();
  t.sharding_budget.min_free_bytes = int64_t{1} << 55;  // 32 PiB must stay free
  Plan p = MakePlanFor("MODIFY a BIGINT", t);
  EXPECT_EQ(Failures(p), (V{"dc1:space", "dc2:space", "dc3:space"}));
  EXPECT_FALSE(p.ok());
}

TEST_F(PlanTest, LongTransactionHoldingTheTable) {
  Topology t = sandbox_->topology();
  t.sharding_budget.max_trx_age_ms = 500;
  auto holder = sandbox_->Connect(2);
  ASSERT_TRUE(holder.ok());
  ASSERT_TRUE((*holder)->Execute("BEGIN").ok());
  ASSERT_TRUE((*holder)->Query("SELECT * FROM " + Qualified() + " FOR UPDATE").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  Plan p = MakePlanFor("ADD COLUMN c INT", t);
  ASSERT_TRUE((*holder)->Execute("ROLLBACK").ok());
  // Without the metadata_lock_info plugin the scope is unknown: a warning;
  // with it, a failure. Either way it is named, in dc2 only.
  bool named = false;
  for (const auto& c : p.checks) {
    if (c.name != "long_transactions") continue;
    if (c.dc == "dc2") {
      EXPECT_NE(c.status, CheckStatus::kPass) << c.message;
      named = true;
    } else {
      EXPECT_EQ(c.status, CheckStatus::kPass) << c.dc << ": " << c.message;
    }
  }
  EXPECT_TRUE(named);
}

TEST_F(PlanTest, LaggingLink) {
  // dc3 applies dc1's events 30 s late: a real lag, not a stopped link. Both of
  // dc3's links are delayed, since in a mesh dc1's rows also arrive via dc2.
  for (const char* link : {"dc1", "dc2"}) {
    On(3, std::string("STOP SLAVE '") + link + "'");
    On(3, std::string("CHANGE MASTER '") + link + "' TO MASTER_DELAY = 30");
    On(3, std::string("START SLAVE '") + link + "'");
    ASSERT_TRUE(sandbox_->WaitLinkRunning(3, link).ok());
  }
  On(1, "INSERT INTO " + Qualified() + " (a, b) VALUES (4, 'late')");
  // Plan once one of dc3's links sits in its delay with the row and the
  // other waits for it to apply the same GTID (gtid_ignore_duplicates):
  // reading the waiting link's status then waits too, until the row is
  // applied. The planner read the links before it measured the lag, and
  // found none (a flaky failure here until session 7); then it waited for
  // the read as long as the delay lasted. The processlist shows the two
  // states without waiting.
  auto dc3 = sandbox_->Connect(3);
  ASSERT_TRUE(dc3.ok());
  bool both = false;
  for (int i = 0; i < 60 && !both; ++i) {
    auto states = (*dc3)->QueryValue(
        "SELECT COUNT(DISTINCT LEFT(STATE, 12)) FROM information_schema.PROCESSLIST "
        "WHERE STATE LIKE 'Waiting until MASTER_DELAY%' "
        "OR STATE LIKE 'Waiting for other master connection%'");
    ASSERT_TRUE(states.ok()) << states.status().ToString();
    both = states->value_or("") == "2";
    if (!both) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(both) << "dc3's links never waited for the delayed row";
  Plan p = MakePlanFor("ADD COLUMN c INT");
  // Still within the delay: the links' read was given up, not waited out.
  auto still_waiting = (*dc3)->QueryValue(
      "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
      "WHERE STATE LIKE 'Waiting until MASTER_DELAY%'");
  ASSERT_TRUE(still_waiting.ok());
  for (const char* link : {"dc1", "dc2"}) {
    On(3, std::string("STOP SLAVE '") + link + "'");
    On(3, std::string("CHANGE MASTER '") + link + "' TO MASTER_DELAY = 0");
    On(3, std::string("START SLAVE '") + link + "'");
    ASSERT_TRUE(sandbox_->WaitLinkRunning(3, link).ok());
  }
  EXPECT_EQ(still_waiting->value_or(""), "1") << "the plan waited for the delayed link";
  // The lag over budget, and the links themselves unknown.
  const std::vector<std::string> failures = Failures(p);
  EXPECT_EQ(std::set<std::string>(failures.begin(), failures.end()), std::set<std::string>{"dc3:link_lag"});
  bool unknown = false;
  for (const auto& c : p.checks) {
    unknown |= c.name == "link_lag" && c.message.find("did not answer within") != std::string::npos;
  }
  EXPECT_TRUE(unknown) << ::testing::PrintToString(failures);
  ASSERT_TRUE(sandbox_->WaitForReplication().ok());
}

TEST_F(PlanTest, SchemaDriftInOneDc) {
  On(3, "ALTER TABLE " + Qualified() + " ADD COLUMN drift INT", /*local_only=*/true);
  Plan p = MakePlanFor("ADD COLUMN c INT");
  EXPECT_EQ(Failures(p), (V{"dc3:schema_drift"}));
  On(3, "ALTER TABLE " + Qualified() + " DROP COLUMN drift", /*local_only=*/true);
}

TEST_F(PlanTest, NoPrimaryKeyBlocksACopy) {
  On(1, "ALTER TABLE " + Qualified() + " MODIFY id INT NOT NULL, DROP PRIMARY KEY");
  ASSERT_TRUE(sandbox_->WaitForReplication().ok());
  Plan p = MakePlanFor("MODIFY a BIGINT");
  EXPECT_EQ(Failures(p), (V{":usable_key", ":usable_key"}));
}

TEST_F(PlanTest, LeftoverArtifacts) {
  On(2, "CREATE TABLE plantest._" + table_ + "_new (id INT PRIMARY KEY)");
  Plan p = MakePlanFor("ADD COLUMN c INT");
  EXPECT_EQ(Failures(p), (V{"dc2:artifacts"}));
  On(2, "DROP TABLE plantest._" + table_ + "_new");
}

TEST_F(PlanTest, ChangeTheServerRejectsIsNamed) {
  Plan p = MakePlanFor("DROP COLUMN no_such_column");
  EXPECT_EQ(Failures(p), (V{"dc1:alter_valid"}));
  EXPECT_EQ(p.cutover_mode, CutoverMode::kRefused);
  EXPECT_NE(p.refusal_reason.find("no_such_column"), std::string::npos) << p.refusal_reason;
}

TEST_F(PlanTest, ParenthesizedAddListIsProbedAsWritten) {
  Plan p = MakePlanFor("ADD (c1 INT, c2 VARCHAR(10))");
  EXPECT_TRUE(p.ok()) << ::testing::PrintToString(Failures(p)) << p.probe_error;
  EXPECT_EQ(p.skew_class, SkewClass::kA);
}

TEST_F(PlanTest, OwnForeignKeysBlockACopy) {
  On(1, "CREATE TABLE plantest.parent_" + table_ + " (id INT PRIMARY KEY)");
  On(1, "INSERT INTO plantest.parent_" + table_ + " VALUES (1), (2), (3)");
  On(1, "ALTER TABLE " + Qualified() + " ADD CONSTRAINT fk_" + table_ +
            " FOREIGN KEY (a) REFERENCES plantest.parent_" + table_ + " (id)");
  ASSERT_TRUE(sandbox_->WaitForReplication().ok());
  Plan p = MakePlanFor("MODIFY b VARCHAR(10)");  // narrowing: the server copies
  EXPECT_EQ(Failures(p), (V{":triggers_foreign_keys"}));
}

// MariaDB refuses FULLTEXT keys on the probe's temporary table (1796): the
// plan still comes, decided from the parsed clause, and says so.
TEST_F(PlanTest, AFulltextKeyIsPlannedFromTheParsedClause) {
  Plan p = MakePlanFor("ADD FULLTEXT INDEX fb (b)");
  EXPECT_EQ(p.refusal_reason, "");
  EXPECT_EQ(p.probe_error, "");
  EXPECT_EQ(p.skew_class, SkewClass::kA);
  EXPECT_EQ(p.strategy, Strategy::kCopy);
  bool said = false;
  for (const auto& r : p.skew_reasons) said = said || r.find("decided from the parsed clause") != std::string::npos;
  EXPECT_TRUE(said) << ::testing::PrintToString(p.skew_reasons);
  // With other clauses, those are still tried on the server.
  Plan mixed = MakePlanFor("ADD FULLTEXT INDEX fb (b), MODIFY a BIGINT");
  EXPECT_EQ(mixed.refusal_reason, "");
  EXPECT_NE(mixed.after_sql.find("bigint"), std::string::npos) << mixed.after_sql;
}

// Every clause form the ALTER grammar knows, valid for this table: each gets
// a class and a strategy (a plan), never a refusal for lockstep's own reasons.
TEST_F(PlanTest, EveryClauseFormTheServerAcceptsGetsAPlan) {
  On(1, "ALTER TABLE " + Qualified() + " ADD INDEX old_ix (a)");
  ASSERT_TRUE(sandbox_->WaitForReplication().ok());
  const std::vector<std::string> forms{
      "ADD COLUMN c INT", "ADD COLUMN c INT FIRST", "ADD COLUMN c INT AFTER a",
      "ADD COLUMN IF NOT EXISTS c INT", "ADD c INT NOT NULL DEFAULT 0", "ADD (c INT, d INT)",
      "DROP COLUMN a", "DROP COLUMN IF EXISTS zz", "DROP a", "MODIFY a BIGINT",
      "MODIFY COLUMN b VARCHAR(100)", "CHANGE a a2 INT", "CHANGE COLUMN b b VARCHAR(60) NOT NULL DEFAULT ''",
      "RENAME COLUMN a TO a3", "ALTER COLUMN a SET DEFAULT 5", "ALTER COLUMN a DROP DEFAULT",
      "ALTER a SET DEFAULT 6", "ADD INDEX ia (a)", "ADD KEY ib (b(10))", "ADD UNIQUE KEY ua (a)",
      "ADD FULLTEXT INDEX fb (b)", "ADD CONSTRAINT ck CHECK (a >= 0)", "DROP INDEX old_ix",
      "RENAME INDEX old_ix TO new_ix", "RENAME KEY old_ix TO new_ix2", "ENGINE=InnoDB",
      "ROW_FORMAT=DYNAMIC", "COMMENT 'orders'", "AUTO_INCREMENT = 1000",
      "CONVERT TO CHARACTER SET utf8mb4", "DEFAULT CHARSET = utf8mb4", "FORCE",
      "ALGORITHM=INPLACE, ADD INDEX ic (a)", "LOCK=NONE, ADD INDEX ie (a)",
      "ADD COLUMN c INT, ADD INDEX ic (c), DROP COLUMN b",
  };
  for (const std::string& form : forms) {
    Plan p = MakePlanFor(form);
    EXPECT_EQ(p.probe_error, "") << form;
    EXPECT_NE(p.after_sql, "") << form << ": " << p.refusal_reason;
    EXPECT_EQ(p.refusal_reason.find("could not be tried"), std::string::npos) << form << ": " << p.refusal_reason;
  }
}

TEST_F(PlanTest, CommandLineJsonAndExitCodes) {
  CommandOutput ok = RunLockstep({"--config", sandbox_->topology_path(), "plan", "--table",
                                  "plantest." + table_, "--alter", "ADD INDEX ka (a)",
                                  "--format", "json"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  for (const char* key : {"\"verdict\":\"ok\"", "\"skew_class\":\"A\"", "\"cutover_mode\":\"window\"",
                          "\"strategy\":\"inplace\"", "\"checks\":[", "\"estimates\":{"}) {
    EXPECT_NE(ok.out.find(key), std::string::npos) << key << " in " << ok.out;
  }
  CommandOutput blocked = RunLockstep({"--config", sandbox_->topology_path(), "plan", "--table",
                                       "plantest." + table_, "--alter", "DROP COLUMN nope"});
  EXPECT_EQ(blocked.exit_code, 1) << blocked.out << blocked.err;
  EXPECT_NE(blocked.out.find("verdict: blocked"), std::string::npos) << blocked.out;
  CommandOutput bad_sql = RunLockstep({"--config", sandbox_->topology_path(), "plan", "--table",
                                       "plantest." + table_, "--alter", "ADD COLUMN (c INT"});
  EXPECT_EQ(bad_sql.exit_code, 2);
  EXPECT_NE(bad_sql.err.find("1:"), std::string::npos) << bad_sql.err;
  CommandOutput github = RunLockstep({"--config", sandbox_->topology_path(), "plan", "--table",
                                      "plantest." + table_, "--alter", "DROP COLUMN nope",
                                      "--format", "github"});
  EXPECT_EQ(github.exit_code, 1);
  EXPECT_NE(github.out.find("::error title=plan/alter_valid::"), std::string::npos)
      << github.out;
}

}  // namespace
}  // namespace lockstep::testing
