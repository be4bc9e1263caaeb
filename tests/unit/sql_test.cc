#include "db/sql.h"

#include <gtest/gtest.h>

namespace lockstep::sql {
namespace {

TEST(SqlTest, QuoteIdentifierTable) {
  struct Case { std::string in, out; };
  for (const Case& c : std::vector<Case>{
           {"t", "`t`"},
           {"my table", "`my table`"},
           {"a`b", "`a``b`"},
           {"``", "``````"},
           {"", "``"},
           {"_t_new", "`_t_new`"},
           {"x'; DROP TABLE y; --", "`x'; DROP TABLE y; --`"},
       }) {
    EXPECT_EQ(QuoteIdentifier(c.in), c.out) << c.in;
  }
}

TEST(SqlTest, QuoteStringTable) {
  struct Case { std::string in, out; };
  for (const Case& c : std::vector<Case>{
           {"abc", "'abc'"},
           {"it's", "'it\\'s'"},
           {"back\\slash", "'back\\\\slash'"},
           {std::string("nul\0byte", 8), "'nul\\0byte'"},
           {"line\nfeed\r", "'line\\nfeed\\r'"},
           {"\x1a", "'\\Z'"},
       }) {
    EXPECT_EQ(QuoteString(c.in), c.out);
  }
}

TEST(SqlTest, StatementsQuoteTheirNames) {
  EXPECT_EQ(ShowCreateTable("db", "t`x"), "SHOW CREATE TABLE `db`.`t``x`");
  const std::string status = TableStatus("d'b", "t");
  EXPECT_NE(status.find("TABLE_SCHEMA = 'd\\'b'"), std::string::npos) << status;
  EXPECT_NE(SessionSetup("STRICT_ALL_TABLES", 7).find("lock_wait_timeout = 7"), std::string::npos);
}

}  // namespace
}  // namespace lockstep::sql
