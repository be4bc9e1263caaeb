#include "planner/sql/schema_dump_parser.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace lockstep::sql {
namespace {

std::string ReadTestdata(const std::string& name) {
  std::ifstream in(std::string(LOCKSTEP_SOURCE_DIR) + "/tests/unit/testdata/" + name);
  std::stringstream buf;
  buf << in.rdbuf();
  EXPECT_FALSE(buf.str().empty()) << name;
  return buf.str();
}

TEST(SchemaDumpParserTest, ReadsARealMariadbDump) {
  Result<Schema> schema = ParseSchemaDump(ReadTestdata("mariadb-10.11/dump_no_data_shop.sql"));
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  std::vector<std::string> names;
  for (const TableDef& t : schema->tables()) names.push_back(t.QualifiedName());
  // The view's stand-in is a view in MariaDB 10.11 dumps, so it is no table here.
  EXPECT_EQ(names, (std::vector<std::string>{"shop.audit_log", "shop.customers", "shop.kv",
                                             "shop.order_items", "shop.orders"}));
  EXPECT_EQ(schema->TriggersOn("shop", "customers"), (std::vector<std::string>{"customers_ai"}));
  EXPECT_EQ(schema->TriggersOn("", "customers"), (std::vector<std::string>{"customers_ai"}));
  EXPECT_TRUE(schema->TriggersOn("shop", "orders").empty());
  const TableDef* customers = schema->FindTable("", "customers");
  ASSERT_NE(customers, nullptr);
  EXPECT_EQ(customers->columns.size(), 23u);
  EXPECT_EQ(schema->FindTable("other", "customers"), nullptr);
  std::vector<Schema::Reference> refs = schema->ReferencesTo("shop", "customers");
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].child->name, "order_items");
  EXPECT_EQ(refs[0].foreign_key->name, "fk_items_customer");
}

TEST(SchemaDumpParserTest, SkipsWhatIsNotATableAndHandlesUnqualifiedNames) {
  Result<Schema> schema = ParseSchemaDump(
      "-- hand-written\n"
      "SET NAMES utf8mb4;\n"
      "DROP TABLE IF EXISTS t;\n"
      "CREATE TABLE t (id INT PRIMARY KEY);\n"
      "INSERT INTO t VALUES (1);\n"
      "CREATE TRIGGER IF NOT EXISTS tr BEFORE UPDATE ON db2.t FOR EACH ROW SET NEW.id = 1;\n"
      "CREATE TABLE t (id INT);  -- redefined: the later one wins\n");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  ASSERT_EQ(schema->tables().size(), 1u);
  EXPECT_EQ(schema->tables()[0].PrimaryKey(), nullptr);
  EXPECT_EQ(schema->TriggersOn("db2", "t"), (std::vector<std::string>{"tr"}));
  EXPECT_TRUE(schema->TriggersOn("db3", "t").empty());
}

TEST(SchemaDumpParserTest, BadCreateTableIsAnErrorWithPosition) {
  Result<Schema> schema = ParseSchemaDump("SET x=1;\n\nCREATE TABLE t (a INT,);");
  ASSERT_FALSE(schema.ok());
  EXPECT_EQ(schema.status().message(), "3:23: unexpected ')', expected a column name");
  Result<Schema> lex = ParseSchemaDump("SET x='abc;\n");
  ASSERT_FALSE(lex.ok());
  EXPECT_EQ(lex.status().message(), "1:7: unterminated string (missing ')");
}

}  // namespace
}  // namespace lockstep::sql
