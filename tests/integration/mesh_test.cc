// The sandbox is a faithful multi-DC mesh: a row written in any DC arrives in
// every other DC exactly once, and tables named _* (lockstep's artifacts) stay
// in the DC that wrote them.
#include <gtest/gtest.h>

#include "support/sandbox_suite.h"

namespace lockstep::testing {
namespace {

class MeshTest : public SandboxSuite<3> {
 protected:


};

TEST_F(MeshTest, EveryRowArrivesEverywhereExactlyOnce) {
  ASSERT_NE(sandbox_, nullptr);
  auto dc1 = Dc(1);
  ASSERT_TRUE(dc1->Execute("CREATE DATABASE IF NOT EXISTS meshtest").ok());
  ASSERT_TRUE(dc1->Execute("CREATE TABLE meshtest.rows_everywhere (id BIGINT AUTO_INCREMENT "
                           "PRIMARY KEY, origin VARCHAR(8) NOT NULL)").ok());
  ASSERT_TRUE(sandbox_->WaitForReplication().ok());
  constexpr int kRowsPerDc = 50;
  for (int k = 1; k <= sandbox_->dcs(); ++k) {
    auto dc = Dc(k);
    for (int i = 0; i < kRowsPerDc; ++i) {
      Status s = dc->Execute("INSERT INTO meshtest.rows_everywhere (origin) VALUES ('dc" +
                             std::to_string(k) + "')");
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
  }
  Status waited = sandbox_->WaitForReplication();
  ASSERT_TRUE(waited.ok()) << waited.ToString();
  for (int k = 1; k <= sandbox_->dcs(); ++k) {
    auto dc = Dc(k);
    auto r = dc->Query("SELECT origin, COUNT(*), COUNT(DISTINCT id) FROM meshtest.rows_everywhere "
                       "GROUP BY origin ORDER BY origin");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->rows.size(), 3u) << "dc" << k;
    for (int origin = 1; origin <= 3; ++origin) {
      const auto& row = r->rows[static_cast<size_t>(origin - 1)];
      EXPECT_EQ(*row[0], "dc" + std::to_string(origin));
      EXPECT_EQ(*row[1], std::to_string(kRowsPerDc)) << "dc" << k << " from dc" << origin;
      EXPECT_EQ(*row[2], std::to_string(kRowsPerDc)) << "duplicate ids in dc" << k;
    }
  }
}

TEST_F(MeshTest, UnderscoreTablesStayLocal) {
  ASSERT_NE(sandbox_, nullptr);
  auto dc2 = Dc(2);
  ASSERT_TRUE(dc2->Execute("CREATE DATABASE IF NOT EXISTS meshtest").ok());
  ASSERT_TRUE(sandbox_->WaitForReplication().ok());
  ASSERT_TRUE(dc2->Execute("CREATE TABLE meshtest._artifact (id INT PRIMARY KEY)").ok());
  ASSERT_TRUE(dc2->Execute("INSERT INTO meshtest._artifact VALUES (1), (2)").ok());
  // A marker row in a replicated table, written after the artifact: once it has
  // arrived, anything the artifact would have sent has arrived too.
  ASSERT_TRUE(dc2->Execute("CREATE TABLE meshtest.marker (id INT PRIMARY KEY)").ok());
  ASSERT_TRUE(sandbox_->WaitForReplication().ok());
  for (int k : {1, 3}) {
    auto dc = Dc(k);
    auto exists = dc->QueryValue(
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'meshtest' "
        "AND TABLE_NAME IN ('_artifact', 'marker') GROUP BY TABLE_SCHEMA");
    ASSERT_TRUE(exists.ok()) << exists.status().ToString();
    EXPECT_EQ(exists->value_or(""), "1") << "dc" << k << " should hold only the marker";
    auto artifact = dc->QueryValue(
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'meshtest' "
        "AND TABLE_NAME = '_artifact'");
    ASSERT_TRUE(artifact.ok());
    EXPECT_EQ(artifact->value_or(""), "0") << "dc" << k;
  }
}

}  // namespace
}  // namespace lockstep::testing
