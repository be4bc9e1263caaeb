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

TEST(SqlTest, BinlogDumpSessionQuotesItsValues) {
  EXPECT_EQ(BinlogDumpSession("CRC32", "1-1-10,2-2-7", 1'000'000'000),
            "SET @master_binlog_checksum = 'CRC32', @slave_connect_state = '1-1-10,2-2-7', "
            "@slave_gtid_strict_mode = 0, @slave_gtid_ignore_duplicates = 0, "
            "@mariadb_slave_capability = 4, @master_heartbeat_period = 1000000000");
  EXPECT_NE(BinlogDumpSession("NONE", "x'; DROP TABLE t; --", 1).find("'x\\'; DROP TABLE t; --'"),
            std::string::npos);
  EXPECT_EQ(BinlogDumpSession("CRC32", std::nullopt, 5),
            "SET @master_binlog_checksum = 'CRC32', @mariadb_slave_capability = 4, "
            "@master_heartbeat_period = 5")
      << "a dump by file position must not set @slave_connect_state";
  EXPECT_EQ(KillConnection(42), "KILL CONNECTION 42");
}

}  // namespace
}  // namespace lockstep::sql
