// lockstep run against a real 3-DC sandbox: native changes in every DC,
// with the state database recording each step, and the refusals.
#include <gtest/gtest.h>

#include "db/sql.h"
#include "state/state_store.h"
#include "support/sandbox_suite.h"

namespace lockstep::testing {
namespace {

class RunTest : public SandboxSuite<3> {
 protected:
  static void SetUpTestSuite() {
    SandboxSuite::SetUpTestSuite();
    if (sandbox_ == nullptr) return;
    auto c = sandbox_->Connect(1);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->Execute("CREATE DATABASE shop").ok());
  }

  void SetUp() override {
    ASSERT_NE(sandbox_, nullptr);
    table_ = std::string("t_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    auto c = sandbox_->Connect(1);
    ASSERT_TRUE((*c)->Execute("CREATE TABLE shop." + table_ +
                              " (id INT AUTO_INCREMENT PRIMARY KEY, a INT, b VARCHAR(20))").ok());
    ASSERT_TRUE((*c)->Execute("INSERT INTO shop." + table_ + " (a, b) VALUES (1, 'x'), (2, 'y')").ok());
    ASSERT_TRUE(sandbox_->WaitForReplication().ok());
  }

  CommandOutput Run(const std::string& alter, std::vector<std::string> extra = {"--yes"}) {
    std::vector<std::string> args{"--config", sandbox_->topology_path(), "run", "--table",
                                  "shop." + table_, "--alter", alter};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunLockstep(args);
  }

  std::string ColumnsIn(int k) {
    auto c = sandbox_->Connect(k);
    auto r = (*c)->QueryValue(
        "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = " + sql::QuoteString(table_));
    return r.ok() ? r->value_or("") : r.status().ToString();
  }

  std::string table_;
};

TEST_F(RunTest, InstantChangeRunsInEveryDcAndIsRecorded) {
  CommandOutput out = Run("ADD COLUMN note VARCHAR(64)");
  ASSERT_EQ(out.exit_code, 0) << out.out << out.err;
  EXPECT_NE(out.out.find("done"), std::string::npos) << out.out;
  for (int k = 1; k <= 3; ++k) EXPECT_EQ(ColumnsIn(k), "id,a,b,note") << "dc" << k;
  // The DDL did not travel over the links as well: they still run.
  MariaDbConnectionFactory factory;
  for (int k = 1; k <= 3; ++k) {
    auto c = sandbox_->Connect(k);
    auto links = (*c)->Query("SHOW ALL SLAVES STATUS");
    for (size_t r = 0; r < links->rows.size(); ++r) {
      EXPECT_EQ(links->Get(r, "Slave_SQL_Running").value_or(""), "Yes")
          << "dc" << k << ": " << links->Get(r, "Last_SQL_Error").value_or("");
    }
  }
  auto store = StateStore::Open(sandbox_->topology().state_db_path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto m = (*store)->ActiveMigrationFor("shop", table_);
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->has_value()) << "the migration should be finished";
  auto all = (*store)->ListMigrations({});
  ASSERT_TRUE(all.ok());
  bool found = false;
  for (const auto& rec : *all) {
    if (rec.spec.table_name != table_) continue;
    found = true;
    EXPECT_EQ(rec.phase, Phase::kDone);
    EXPECT_EQ(rec.spec.strategy, Strategy::kInstant);
    EXPECT_TRUE(rec.phase_entered_at.count(Phase::kCutOver));
    // Run in every DC at once; the report says how long each took and how
    // far apart they finished.
    auto attempts = (*store)->ListCutoverAttempts(rec.id);
    ASSERT_TRUE(attempts.ok() && attempts->size() == 1u);
    const std::string report = attempts->front().timings_json.value_or("");
    for (const char* dc : {"dc1", "dc2", "dc3"}) {
      EXPECT_NE(report.find(std::string("{\"dc\":\"") + dc + "\",\"outcome\":\"changed\",\"change_ms\":"),
                std::string::npos)
          << report;
    }
    EXPECT_NE(report.find("\"change_skew_ms\":"), std::string::npos) << report;
  }
  EXPECT_TRUE(found);
  EXPECT_NE(out.out.find("cut-over attempt 1: commit (native change in every DC)"), std::string::npos)
      << out.out;
}

TEST_F(RunTest, InplaceIndexRunsInEveryDc) {
  CommandOutput out = Run("ADD INDEX ka (a)");
  ASSERT_EQ(out.exit_code, 0) << out.out << out.err;
  for (int k = 1; k <= 3; ++k) {
    auto c = sandbox_->Connect(k);
    auto idx = (*c)->QueryValue("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE "
                                "TABLE_SCHEMA = 'shop' AND TABLE_NAME = " + sql::QuoteString(table_) +
                                " AND INDEX_NAME = 'ka'");
    EXPECT_EQ(idx->value_or(""), "1") << "dc" << k;
  }
}

TEST_F(RunTest, WithoutYesNothingRuns) {
  CommandOutput out = Run("ADD COLUMN note2 INT", {});
  EXPECT_EQ(out.exit_code, 2) << out.err;
  EXPECT_NE(out.err.find("--yes"), std::string::npos) << out.err;
  for (int k = 1; k <= 3; ++k) EXPECT_EQ(ColumnsIn(k), "id,a,b");
}

TEST_F(RunTest, BlockedPlanRunsNothing) {
  CommandOutput out = Run("DROP COLUMN missing");
  EXPECT_EQ(out.exit_code, 1) << out.out << out.err;
  EXPECT_NE(out.out.find("verdict: blocked"), std::string::npos) << out.out;
}

TEST_F(RunTest, ClassBAcrossDcsWaitsForTheFencedCutOver) {
  // MODIFY ... NOT NULL is class B; several DCs need a fenced cut-over.
  CommandOutput out = Run("MODIFY a INT NOT NULL DEFAULT 0");
  EXPECT_EQ(out.exit_code, 3) << out.out << out.err;
  EXPECT_NE(out.err.find("needs the fenced cut-over"), std::string::npos) << out.err;
  for (int k = 1; k <= 3; ++k) EXPECT_EQ(ColumnsIn(k), "id,a,b");
}

}  // namespace
}  // namespace lockstep::testing
