#include "planner/lint/type_change.h"

#include <gtest/gtest.h>

#include "planner/sql/statement_parser.h"

namespace lockstep::lint {
namespace {

sql::DataType Type(const std::string& text) {
  Result<sql::AlterTable> alter = sql::ParseAlterTable("ALTER TABLE t MODIFY c " + text);
  EXPECT_TRUE(alter.ok()) << text;
  return alter.ok() ? alter->clauses[0].column->type : sql::DataType{};
}

TypeChangeKind Kind(const std::string& from, const std::string& to) {
  return ClassifyTypeChange(Type(from), Type(to)).kind;
}

using K = TypeChangeKind;

TEST(TypeChangeTest, Table) {
  struct Case {
    const char* from;
    const char* to;
    TypeChangeKind kind;
  } cases[] = {
      {"int(11)", "int", K::kSame},
      {"tinyint(1)", "boolean", K::kSame},
      {"int", "bigint", K::kWidening},
      {"bigint", "int", K::kNarrowing},
      {"int unsigned", "bigint", K::kWidening},
      {"int unsigned", "int", K::kNarrowing},
      {"int", "int unsigned", K::kNarrowing},
      {"smallint zerofill", "smallint unsigned", K::kSame},
      {"int", "decimal(10,0)", K::kWidening},
      {"int", "decimal(9,0)", K::kNarrowing},
      {"int", "double", K::kWidening},
      {"bigint", "double", K::kNarrowing},
      {"smallint", "float", K::kWidening},
      {"decimal(10,2)", "decimal(11,3)", K::kWidening},
      {"decimal(10,2)", "numeric(10,2)", K::kSame},
      {"decimal(10,2)", "decimal(10,3)", K::kNarrowing},
      {"float", "double", K::kWidening},
      {"double", "float", K::kNarrowing},
      {"float(7,3)", "float(8,3)", K::kWidening},
      {"float(7,3)", "float(7,2)", K::kNarrowing},
      {"bit(1)", "bit(8)", K::kWidening},
      {"char(10)", "varchar(10)", K::kWidening},
      {"varchar(10)", "char(10)", K::kNarrowing},
      {"varchar(50)", "varchar(60)", K::kWidening},
      {"varchar(100)", "tinytext", K::kNarrowing},
      {"varchar(60) CHARACTER SET latin1", "tinytext CHARACTER SET latin1", K::kWidening},
      {"text", "mediumtext", K::kWidening},
      {"json", "longtext", K::kSame},
      {"longtext", "text", K::kNarrowing},
      {"binary(16)", "varbinary(16)", K::kWidening},
      {"varbinary(16)", "binary(16)", K::kNarrowing},
      {"blob", "longblob", K::kWidening},
      {"datetime", "datetime(3)", K::kWidening},
      {"datetime(6)", "datetime", K::kNarrowing},
      {"date", "datetime", K::kWidening},
      {"timestamp", "datetime", K::kWidening},
      {"datetime", "timestamp", K::kNarrowing},
      {"datetime", "date", K::kNarrowing},
      {"time", "date", K::kIncompatible},
      {"enum('a','bb')", "varchar(2)", K::kWidening},
      {"enum('a','bbb')", "varchar(2)", K::kNarrowing},
      {"enum('a')", "enum('a','b')", K::kEnumOrSet},
      {"set('a')", "set('b')", K::kEnumOrSet},
      {"int", "varchar(20)", K::kIncompatible},
      {"varchar(20)", "int", K::kIncompatible},
      {"uuid", "uuid", K::kSame},
      {"uuid", "inet6", K::kIncompatible},
      {"geometry", "point", K::kIncompatible},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Kind(c.from, c.to), c.kind) << c.from << " -> " << c.to;
  }
}

TEST(TypeChangeTest, ReasonsAreGiven) {
  EXPECT_EQ(ClassifyTypeChange(Type("int"), Type("int unsigned")).reason,
            "signed to unsigned loses negative values");
  EXPECT_EQ(ClassifyTypeChange(Type("varchar(10)"), Type("char(10)")).reason,
            "CHAR strips the trailing spaces VARCHAR kept");
}

TEST(TypeChangeTest, CharacterTypes) {
  EXPECT_TRUE(IsCharacterType(Type("varchar(5)")));
  EXPECT_TRUE(IsCharacterType(Type("enum('a')")));
  EXPECT_TRUE(IsCharacterType(Type("mediumtext")));
  EXPECT_FALSE(IsCharacterType(Type("blob")));
  EXPECT_FALSE(IsCharacterType(Type("int")));
}

}  // namespace
}  // namespace lockstep::lint
