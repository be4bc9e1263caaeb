#include "planner/sql/clause_text.h"

#include <gtest/gtest.h>

#include "planner/sql/statement_parser.h"

namespace lockstep::sql {
namespace {

std::vector<std::string> Effect(const std::string& statement) {
  auto alter = ParseAlterTable(statement);
  EXPECT_TRUE(alter.ok()) << alter.status().ToString();
  return alter.ok() ? EffectClauseSql(*alter) : std::vector<std::string>{};
}

TEST(ClauseTextTest, ParenthesizedAddListGetsItsAddBack) {
  EXPECT_EQ(Effect("ALTER TABLE t ADD (a INT, b VARCHAR(5))"),
            (std::vector<std::string>{"ADD a INT", "ADD b VARCHAR(5)"}));
}

TEST(ClauseTextTest, AlgorithmAndLockAreLeftOut) {
  EXPECT_EQ(Effect("ALTER TABLE t ADD COLUMN c INT, ALGORITHM=COPY, LOCK=SHARED, DROP INDEX k"),
            (std::vector<std::string>{"ADD COLUMN c INT", "DROP INDEX k"}));
}

TEST(ClauseTextTest, OtherClausesAreKeptAsWritten) {
  EXPECT_EQ(Effect("alter table t modify c bigint not null, add index k (c)"),
            (std::vector<std::string>{"modify c bigint not null", "add index k (c)"}));
}

}  // namespace
}  // namespace lockstep::sql
