// lockstep's row-image decoder against a real MariaDB 10.11, type by type.
//
// For each column type: create a table, remember the GTID position, insert
// edge values (min, max, negative, zero, NULL, fractions, empty, 16 MiB),
// update one row, move another to a new primary key, delete a third; then
// stream the binlog from the remembered position and replay every decoded
// change, rendered by ToSqlLiteral, into a twin table of the same type.
// The twin must end up byte for byte equal to the original, and every
// before image must equal what the replay holds for that row at that point.
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "db/sql.h"
#include "executor/binlog/binlog_stream.h"
#include "executor/binlog/sql_literal.h"
#include "executor/binlog/transaction_reader.h"
#include "support/sandbox.h"

namespace lockstep::testing {
namespace {

using binlog::ColumnSpec;

constexpr char kSchema[] = "bt";

struct TypeCase {
  std::string name;        // the table is bt.t_<name>
  std::string column;      // the definition of column v
  ColumnSpec spec;         // what the applier knows of v
  std::vector<std::string> values;  // SQL expressions, one row each (at least 3)
};

ColumnSpec Unsigned() {
  ColumnSpec spec;
  spec.is_unsigned = true;
  return spec;
}
ColumnSpec Binary() {
  ColumnSpec spec;
  spec.is_binary = true;
  return spec;
}
ColumnSpec Text(const std::string& charset) {
  ColumnSpec spec;
  spec.charset = charset;
  return spec;
}
ColumnSpec Members(std::vector<std::string> members) {
  ColumnSpec spec;
  spec.elements = std::move(members);
  return spec;
}

// gtest prints a parameter that fails; the name says which case it was.
void PrintTo(const TypeCase& tc, std::ostream* os) { *os << tc.name << " (" << tc.column.substr(0, 60) << ")"; }

std::string EnumList(const std::string& prefix, int n) {
  std::string out;
  for (int i = 1; i <= n; ++i) out += (i > 1 ? ",'" : "'") + prefix + std::to_string(i) + "'";
  return out;
}

std::vector<TypeCase> Cases() {
  return {
      {"tinyint", "TINYINT", {}, {"-128", "127", "0", "-1", "NULL"}},
      {"tinyint_u", "TINYINT UNSIGNED", Unsigned(), {"0", "255", "128", "NULL"}},
      {"smallint", "SMALLINT", {}, {"-32768", "32767", "0", "-2", "NULL"}},
      {"smallint_u", "SMALLINT UNSIGNED", Unsigned(), {"65535", "0", "32768", "NULL"}},
      {"mediumint", "MEDIUMINT", {}, {"-8388608", "8388607", "0", "-3", "NULL"}},
      {"mediumint_u", "MEDIUMINT UNSIGNED", Unsigned(), {"16777215", "0", "8388608", "NULL"}},
      {"int", "INT", {}, {"-2147483648", "2147483647", "0", "-4", "NULL"}},
      {"int_u", "INT UNSIGNED", Unsigned(), {"4294967295", "0", "2147483648", "NULL"}},
      {"bigint", "BIGINT", {}, {"-9223372036854775808", "9223372036854775807", "0", "-5", "NULL"}},
      {"bigint_u", "BIGINT UNSIGNED", Unsigned(),
       {"18446744073709551615", "0", "9223372036854775808", "NULL"}},
      {"decimal", "DECIMAL(10,4)", {},
       {"-123456.7891", "999999.9999", "0", "-0.0001", "-999999.9999", "NULL"}},
      {"decimal_wide", "DECIMAL(65,30)", {},
       {"-99999999999999999999999999999999999.999999999999999999999999999999",
        "12345678901234567890.123456789012345678901234567890", "-1.000000000000000000000000000001",
        "0.000000000000000000000000000001", "NULL"}},
      {"decimal_int", "DECIMAL(5,0) UNSIGNED", Unsigned(), {"99999", "0", "12345", "NULL"}},
      {"decimal_odd", "DECIMAL(19,9)", {}, {"-9999999999.999999999", "1.5", "-0.000000001", "NULL"}},
      {"float", "FLOAT", {}, {"-3.40282e38", "1.17549e-38", "0.1", "-0", "123456.789", "NULL"}},
      {"double", "DOUBLE", {},
       {"-1.7976931348623157e308", "2.2250738585072014e-308", "0.1", "-2.5", "NULL"}},
      {"bit1", "BIT(1)", {}, {"b'0'", "b'1'", "b'1'", "NULL"}},
      {"bit13", "BIT(13)", {}, {"b'1010101010101'", "b'0'", "b'1111111111111'", "NULL"}},
      {"bit64", "BIT(64)", {}, {"18446744073709551615", "0", "b'1000000000000000000000000000000000000000000000000000000000000001'", "NULL"}},
      {"date", "DATE", {}, {"'1000-01-01'", "'9999-12-31'", "'0000-00-00'", "'2024-02-29'", "NULL"}},
      {"time", "TIME", {}, {"'-838:59:59'", "'838:59:59'", "'00:00:00'", "'-00:00:01'", "NULL"}},
      {"time1", "TIME(1)", {}, {"'-00:00:00.1'", "'-838:59:58.9'", "'12:00:00.5'", "NULL"}},
      {"time2", "TIME(2)", {}, {"'-00:00:01.01'", "'-12:34:56.99'", "'838:59:58.99'", "NULL"}},
      {"time3", "TIME(3)", {}, {"'-00:00:00.001'", "'-12:00:00.999'", "'00:00:00.500'", "NULL"}},
      {"time4", "TIME(4)", {}, {"'-00:00:00.0001'", "'-01:00:00.5'", "'23:59:59.9999'", "NULL"}},
      {"time6", "TIME(6)", {},
       {"'-838:59:58.999999'", "'-00:00:00.000001'", "'-01:02:03.123456'", "'12:34:56.000001'",
        "NULL"}},
      {"datetime", "DATETIME", {},
       {"'1000-01-01 00:00:00'", "'9999-12-31 23:59:59'", "'0000-00-00 00:00:00'", "NULL"}},
      {"datetime1", "DATETIME(1)", {}, {"'2024-01-02 03:04:05.6'", "'0000-00-00 00:00:00.0'", "'9999-12-31 23:59:59.9'", "NULL"}},
      {"datetime3", "DATETIME(3)", {}, {"'2024-01-02 03:04:05.678'", "'1000-01-01 00:00:00.001'", "'0000-00-00 00:00:00'", "NULL"}},
      {"datetime6", "DATETIME(6)", {},
       {"'2024-02-29 12:34:56.123456'", "'9999-12-31 23:59:59.999999'",
        "'0000-00-00 00:00:00.000000'", "'1000-01-01 00:00:00.000001'", "NULL"}},
      {"timestamp", "TIMESTAMP NULL", {},
       {"'1970-01-01 00:00:01'", "'2038-01-19 03:14:07'", "'0000-00-00 00:00:00'", "NULL"}},
      {"timestamp2", "TIMESTAMP(2) NULL", {}, {"'2001-02-03 04:05:06.78'", "'1970-01-01 00:00:01.01'", "'0000-00-00 00:00:00'", "NULL"}},
      {"timestamp6", "TIMESTAMP(6) NULL", {},
       {"'2001-02-03 04:05:06.789012'", "'2038-01-19 03:14:07.999999'", "'1999-12-31 23:59:59.000001'", "NULL"}},
      {"year", "YEAR", {}, {"0", "1901", "2155", "2000", "NULL"}},
      {"char_utf8mb4", "CHAR(10) CHARACTER SET utf8mb4", Text("utf8mb4"),
       {"'abc'", "''", "'é€😀'", "'trail  '", "NULL"}},
      {"char_utf8mb4_long", "CHAR(100) CHARACTER SET utf8mb4", Text("utf8mb4"),
       {"REPEAT('é', 100)", "'x'", "REPEAT('😀', 99)", "NULL"}},
      {"char_latin1", "CHAR(255) CHARACTER SET latin1", Text("latin1"),
       {"'café'", "REPEAT(_latin1 X'FF', 255)", "''", "NULL"}},
      {"varchar_utf8mb4", "VARCHAR(50) CHARACTER SET utf8mb4", Text("utf8mb4"),
       {"''", "'hé😀'", "REPEAT('z', 50)", "'a\\'b\\\\c'", "NULL"}},
      {"varchar_latin1_255", "VARCHAR(255) CHARACTER SET latin1", Text("latin1"),
       {"REPEAT('é', 255)", "''", "'x'", "NULL"}},
      {"varchar_latin1_300", "VARCHAR(300) CHARACTER SET latin1", Text("latin1"),
       {"REPEAT('é', 300)", "''", "'y'", "NULL"}},
      {"binary", "BINARY(16)", Binary(),
       {"X'0102000000'", "X'00'", "''", "X'FF00FF00FF00FF00FF00FF00FF00FF00'", "X'00000000000000000000000000000001'", "NULL"}},
      {"binary255", "BINARY(255)", Binary(), {"X'41'", "REPEAT(X'00', 255)", "REPEAT(X'FE', 255)", "NULL"}},
      {"varbinary", "VARBINARY(300)", Binary(), {"X'000000'", "''", "REPEAT(X'00FF', 150)", "NULL"}},
      {"tinytext", "TINYTEXT CHARACTER SET utf8mb4", Text("utf8mb4"), {"''", "'ünïcödé'", "REPEAT('a', 255)", "NULL"}},
      {"text", "TEXT CHARACTER SET utf8mb4", Text("utf8mb4"), {"REPEAT('😀', 16383)", "''", "'x'", "NULL"}},
      {"mediumtext", "MEDIUMTEXT CHARACTER SET latin1", Text("latin1"), {"REPEAT('é', 100000)", "''", "'x'", "NULL"}},
      {"longtext", "LONGTEXT CHARACTER SET utf8mb4", Text("utf8mb4"), {"REPEAT('ab', 300000)", "''", "'x'", "NULL"}},
      {"tinyblob", "TINYBLOB", Binary(), {"REPEAT(X'00', 255)", "''", "X'00FF'", "NULL"}},
      {"blob", "BLOB", Binary(), {"REPEAT(X'01', 65535)", "''", "X'00'", "NULL"}},
      {"mediumblob", "MEDIUMBLOB", Binary(), {"REPEAT(X'02', 16777215)", "''", "X'00'", "NULL"}},
      {"longblob_16m", "LONGBLOB", Binary(), {"REPEAT(X'03', 16777216)", "''", "X'0000'", "NULL"}},
      {"json", "JSON", Text("utf8mb4"), {"'{\"a\": [1, 2, \"é\"]}'", "'[]'", "'null'", "NULL"}},
      {"enum_index", "ENUM('a','b','c')", {}, {"'a'", "'c'", "'b'", "NULL"}},
      {"enum_names", "ENUM('a','b','c')", Members({"a", "b", "c"}), {"'a'", "'c'", "'b'", "NULL"}},
      {"enum_wide", "ENUM(" + EnumList("e", 300) + ")", {}, {"'e300'", "'e1'", "'e256'", "NULL"}},
      {"set_index", "SET('a','b','c','d')", {}, {"'a,c'", "''", "'a,b,c,d'", "NULL"}},
      {"set_names", "SET('a','b','c','d')", Members({"a", "b", "c", "d"}), {"'a,c'", "''", "'d'", "NULL"}},
      {"set_wide", "SET(" + EnumList("m", 64) + ")", {}, {"'m64,m1'", "'m33'", "''", "NULL"}},
      {"set9", "SET(" + EnumList("s", 9) + ")", {}, {"'s9'", "'s1,s8'", "''", "NULL"}},
      {"geometry", "GEOMETRY", Binary(),
       {"ST_GeomFromText('POINT(1 2)')", "ST_GeomFromText('LINESTRING(0 0,1 1,2 5)')",
        "ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))')", "NULL"}},
      {"point", "POINT", Binary(), {"POINT(-1.5, 2.25)", "POINT(0, 0)", "POINT(1e300, -1e-300)", "NULL"}},
  };
}

// One sandbox for every suite of this binary.
Sandbox* sandbox_ = nullptr;

class SandboxEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    auto s = Sandbox::Start(SandboxOptions::Mesh(1, LOCKSTEP_TEST_BASE_PORT));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    sandbox_ = std::move(*s).release();
    auto c = sandbox_->Connect(1);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    // 16 MiB values; connections opened from now on get the new limit.
    ASSERT_TRUE((*c)->Execute("SET GLOBAL max_allowed_packet = 256 * 1024 * 1024").ok());
    ASSERT_TRUE((*c)->Execute("CREATE DATABASE bt").ok());
  }
  void TearDown() override {
    delete sandbox_;
    sandbox_ = nullptr;
  }
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new SandboxEnvironment);

class BinlogDecoderTest : public ::testing::TestWithParam<TypeCase> {};
class BinlogDecoderWideTest : public ::testing::Test {};

std::string Pos(Connection& c) {
  auto v = c.QueryValue("SELECT @@gtid_binlog_pos");
  return v.ok() ? v->value_or("") : "";
}

void MustExecute(Connection& c, const std::string& statement) {
  Status s = c.Execute(statement);
  ASSERT_TRUE(s.ok()) << s.ToString().substr(0, 400);
}

// Streams bt.<table> from `start` to the server's current position and
// replays its decoded changes into bt.<twin> (column 0 is the primary key;
// `specs` describe every column). Before images are checked against the
// replay; the kinds of changes are counted into `kinds`.
void StreamAndReplay(Sandbox& sandbox, Connection& c, const std::string& start,
                     const std::string& table, const std::string& twin,
                     const std::vector<ColumnSpec>& specs,
                     std::map<binlog::RowChangeKind, int>* kinds) {
  const auto end = binlog::GtidPosition::Parse(Pos(c));
  ASSERT_TRUE(end.ok());
  const uint64_t end_seq = end->Find(1)->seq_no;
  binlog::BinlogStreamOptions options;
  options.server_id = 1000001;
  options.start_position = start;
  options.filter = {kSchema, table};
  auto stream = binlog::BinlogStream::Open(sandbox.topology().dcs[0], "", options);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  binlog::TransactionReader reader(stream->get());

  auto literals = [&](const binlog::Row& row) {
    std::vector<std::string> out;
    for (size_t i = 0; i < row.size(); ++i) out.push_back(binlog::ToSqlLiteral(row[i], specs[i]));
    return out;
  };
  std::map<int64_t, std::vector<std::string>> replay;  // pk -> literals of the row
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((*stream)->position().Find(1)->seq_no < end_seq) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "stream did not reach the end";
    auto txn = reader.Next();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    if (!txn->has_value()) continue;  // heartbeat
    for (const binlog::RowChange& rc : (*txn)->changes) {
      ASSERT_EQ(rc.table->table, table);
      ASSERT_EQ(rc.table->columns.size(), specs.size());
      ++(*kinds)[rc.kind];
      if (rc.before) {
        const int64_t pk = (*rc.before)[0].AsSigned();
        ASSERT_TRUE(replay.count(pk)) << "before image of unknown row " << pk;
        EXPECT_TRUE(literals(*rc.before) == replay[pk]) << "before image of pk " << pk;
        replay.erase(pk);
      }
      if (rc.after) replay[(*rc.after)[0].AsSigned()] = literals(*rc.after);
    }
  }
  for (const auto& [pk, row] : replay) {
    std::string values;
    for (const std::string& v : row) values += (values.empty() ? "" : ", ") + v;
    Status s = c.Execute("INSERT INTO " + sql::QualifiedName(kSchema, twin) + " VALUES (" +
                         values + ")");
    ASSERT_TRUE(s.ok()) << "pk " << pk << ": " << s.ToString().substr(0, 400);
  }
}

// bt.<table> and bt.<twin> hold the same rows, compared as values and as bytes.
void ExpectSameRows(Connection& c, const std::string& table, const std::string& twin,
                    const std::vector<std::string>& columns, size_t expected_rows) {
  const std::string t = sql::QualifiedName(kSchema, table);
  const std::string tw = sql::QualifiedName(kSchema, twin);
  std::string same;
  for (const std::string& col : columns) {
    const std::string a = "a." + sql::QuoteIdentifier(col), b = "b." + sql::QuoteIdentifier(col);
    same += " AND " + a + " <=> " + b + " AND CAST(" + a + " AS BINARY) <=> CAST(" + b + " AS BINARY)";
  }
  auto counts = c.Query("SELECT (SELECT COUNT(*) FROM " + t + "), (SELECT COUNT(*) FROM " + tw +
                        "), (SELECT COUNT(*) FROM " + t + " a JOIN " + tw + " b USING (pk) WHERE 1" +
                        same + ")");
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  const auto& row = counts->rows[0];
  EXPECT_EQ(*row[0], std::to_string(expected_rows));
  EXPECT_EQ(*row[1], *row[0]) << "replayed rows";
  EXPECT_EQ(*row[2], *row[0]) << "rows equal to the original";
  if (*row[2] != *row[0]) {
    auto diff = c.Query("SELECT a.pk, LEFT(HEX(a." + sql::QuoteIdentifier(columns.back()) +
                        "), 80), LEFT(HEX(b." + sql::QuoteIdentifier(columns.back()) + "), 80) FROM " +
                        t + " a LEFT JOIN " + tw + " b USING (pk) ORDER BY a.pk");
    ASSERT_TRUE(diff.ok());
    for (const auto& r : diff->rows) {
      ADD_FAILURE() << "pk " << *r[0] << ": " << r[1].value_or("NULL") << " vs "
                    << r[2].value_or("NULL");
    }
  }
}

TEST_P(BinlogDecoderTest, DecodedValuesReplayToTheSameTable) {
  ASSERT_NE(sandbox_, nullptr);
  const TypeCase& tc = GetParam();
  ASSERT_GE(tc.values.size(), 3u);
  auto conn_or = sandbox_->Connect(1);
  ASSERT_TRUE(conn_or.ok()) << conn_or.status().ToString();
  Connection& c = **conn_or;
  const std::string table = "t_" + tc.name;
  const std::string twin = "c_" + tc.name;
  const std::string t = sql::QualifiedName(kSchema, table);
  MustExecute(c, "CREATE TABLE " + t + " (pk INT NOT NULL PRIMARY KEY, v " + tc.column + ")");
  MustExecute(c, "CREATE TABLE " + sql::QualifiedName(kSchema, twin) + " LIKE " + t);
  const std::string start = Pos(c);

  // The first two rows in one statement (one event, two rows), the rest alone.
  MustExecute(c, "INSERT INTO " + t + " VALUES (1, " + tc.values[0] + "), (2, " + tc.values[1] + ")");
  for (size_t i = 2; i < tc.values.size(); ++i) {
    MustExecute(c, "INSERT INTO " + t + " VALUES (" + std::to_string(i + 1) + ", " + tc.values[i] + ")");
  }
  MustExecute(c, "UPDATE " + t + " SET v = " + tc.values[2] + " WHERE pk = 1");
  MustExecute(c, "UPDATE " + t + " SET pk = pk + 1000 WHERE pk = 2");  // a new primary key
  MustExecute(c, "DELETE FROM " + t + " WHERE pk = 3");

  std::map<binlog::RowChangeKind, int> kinds;
  StreamAndReplay(*sandbox_, c, start, table, twin, {Unsigned(), tc.spec}, &kinds);
  EXPECT_EQ(kinds[binlog::RowChangeKind::kInsert], static_cast<int>(tc.values.size()));
  EXPECT_EQ(kinds[binlog::RowChangeKind::kUpdate], 2);
  EXPECT_EQ(kinds[binlog::RowChangeKind::kDelete], 1);
  ExpectSameRows(c, table, twin, {"v"}, tc.values.size() - 1);
}

// Every case's column side by side in one table: NULL bitmaps wider than a
// byte, rows that are NULL in every column, and updates between the two.
TEST_F(BinlogDecoderWideTest, RowsNullInEveryColumnAndBack) {
  ASSERT_NE(sandbox_, nullptr);
  auto conn_or = sandbox_->Connect(1);
  ASSERT_TRUE(conn_or.ok()) << conn_or.status().ToString();
  Connection& c = **conn_or;
  std::string defs, first, second, nulls, set_null;
  std::vector<ColumnSpec> specs{Unsigned()};
  std::vector<std::string> columns;
  for (const TypeCase& tc : Cases()) {
    if (tc.name.find("blob") != std::string::npos || tc.name.find("text") != std::string::npos) {
      continue;  // keep the row under the 64 KiB row size limit
    }
    const std::string col = sql::QuoteIdentifier("c_" + tc.name);
    defs += ", " + col + " " + tc.column;
    first += ", " + tc.values[0];
    second += ", " + tc.values[1];
    nulls += ", NULL";
    set_null += std::string(set_null.empty() ? "" : ", ") + col + " = NULL";
    specs.push_back(tc.spec);
    columns.push_back("c_" + tc.name);
  }
  MustExecute(c, "CREATE TABLE bt.wide (pk INT NOT NULL PRIMARY KEY" + defs + ")");
  MustExecute(c, "CREATE TABLE bt.wide_twin LIKE bt.wide");
  const std::string start = Pos(c);
  MustExecute(c, "INSERT INTO bt.wide VALUES (1" + first + "), (2" + nulls + "), (3" + second + ")");
  MustExecute(c, "UPDATE bt.wide SET " + set_null + " WHERE pk = 1");
  MustExecute(c, "UPDATE bt.wide SET pk = 4 WHERE pk = 3");
  std::map<binlog::RowChangeKind, int> kinds;
  StreamAndReplay(*sandbox_, c, start, "wide", "wide_twin", specs, &kinds);
  EXPECT_EQ(kinds[binlog::RowChangeKind::kInsert], 3);
  EXPECT_EQ(kinds[binlog::RowChangeKind::kUpdate], 2);
  ExpectSameRows(c, "wide", "wide_twin", columns, 3);
}

// Temporal columns of the pre-10.1 format (tables created with
// mysql56_temporal_format=OFF, marked /* mariadb-5.3 */) are written with the
// old type codes and no metadata: their fraction digits are not in the binlog,
// so the stream refuses them instead of guessing.
TEST_F(BinlogDecoderWideTest, OldTemporalFormatIsRefusedNotGuessed) {
  ASSERT_NE(sandbox_, nullptr);
  auto conn_or = sandbox_->Connect(1);
  ASSERT_TRUE(conn_or.ok()) << conn_or.status().ToString();
  Connection& c = **conn_or;
  MustExecute(c, "SET GLOBAL mysql56_temporal_format = OFF");
  {
    auto creator = sandbox_->Connect(1);  // a session that sees the old setting
    ASSERT_TRUE(creator.ok());
    MustExecute(**creator, "CREATE TABLE bt.old_temporals (pk INT PRIMARY KEY, a DATETIME(6))");
  }
  MustExecute(c, "SET GLOBAL mysql56_temporal_format = ON");
  const std::string start = Pos(c);
  MustExecute(c, "INSERT INTO bt.old_temporals VALUES (1, '2024-02-29 12:34:56.123456')");
  binlog::BinlogStreamOptions options;
  options.server_id = 1000001;
  options.start_position = start;
  options.filter = {kSchema, "old_temporals"};
  auto stream = binlog::BinlogStream::Open(sandbox_->topology().dcs[0], "", options);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  binlog::TransactionReader reader(stream->get());
  auto txn = reader.Next();
  ASSERT_FALSE(txn.ok());
  EXPECT_NE(txn.status().message().find("mariadb-5.3"), std::string::npos) << txn.status().ToString();
}

INSTANTIATE_TEST_SUITE_P(EveryType, BinlogDecoderTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace lockstep::testing
