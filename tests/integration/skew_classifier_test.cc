// The skew classifier against real servers (REFERENCE.md section 3 and more).
//
// For each change: create the table in both DCs, apply the change in dc1 only
// (sql_log_bin=0, so dc2 keeps the old schema), write rows in both directions,
// and compare what arrived with what was written. lockstep must never call a
// change A when rows break (replication stops) or change (silent corruption).
// For B changes the test reports what actually happened, for the record.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

#include "db/sql.h"
#include "planner/classify/skew_classifier.h"
#include "planner/inspect/schema_effect.h"
#include "planner/sql/clause_text.h"
#include "planner/sql/create_table_parser.h"
#include "planner/sql/statement_parser.h"
#include "support/sandbox_suite.h"

namespace lockstep::testing {
namespace {

constexpr const char* kSchema = "skew";
// Every case starts from this table (latin1, so a charset conversion is a real change).
constexpr const char* kBaseColumns =
    "(id INT PRIMARY KEY, a INT, b VARCHAR(50), c INT NOT NULL DEFAULT 0, KEY kb (b), "
    "UNIQUE KEY ub (b)) ENGINE=InnoDB DEFAULT CHARSET=latin1";
// Rows written in dc2 (old schema): a NULL, a negative number, and a duplicate
// value of `a`, the inputs that measured B changes mishandle.
constexpr const char* kOldRows =
    "(id, a, b, c) VALUES (2, NULL, 'old-null', 22), (3, -5, 'old-negative', 33), "
    "(4, -5, 'old-duplicate', 44)";

struct SkewCase {
  const char* name;
  const char* alter;     // clauses applied to dc1 only
  SkewClass expected;    // what REFERENCE.md (or reasoning about metadata) says
  const char* new_rows;  // rows written in dc1 under the new schema
  std::map<std::string, std::string> renames = {};  // old column -> new column
};

const char* kAllColumnsRow = "(id, a, b, c) VALUES (1, 10, 'from-dc1', 11)";

std::vector<SkewCase> Cases() {
  return {
      {"add_column_at_end_nullable", "ADD COLUMN d INT", SkewClass::kA,
       "(id, a, b, c, d) VALUES (1, 10, 'from-dc1', 11, 12)"},
      {"add_column_at_end_default", "ADD COLUMN d INT NOT NULL DEFAULT 7", SkewClass::kA,
       "(id, a, b, c, d) VALUES (1, 10, 'from-dc1', 11, 12)"},
      {"add_column_at_end_not_null_no_default", "ADD COLUMN d VARCHAR(10) NOT NULL", SkewClass::kA,
       "(id, a, b, c, d) VALUES (1, 10, 'from-dc1', 11, 'x')"},
      {"add_two_columns_and_index", "ADD COLUMN d INT, ADD COLUMN e TEXT, ADD INDEX kd (d)",
       SkewClass::kA, "(id, a, b, c, d, e) VALUES (1, 10, 'from-dc1', 11, 12, 'e')"},
      {"add_column_after_other_type", "ADD COLUMN x VARCHAR(5) AFTER a", SkewClass::kB,
       "(id, a, x, b, c) VALUES (1, 10, 'x', 'from-dc1', 11)"},
      {"add_column_after_same_type", "ADD COLUMN x INT AFTER a", SkewClass::kB,
       "(id, a, x, b, c) VALUES (1, 10, 99, 'from-dc1', 11)"},
      {"add_column_first", "ADD COLUMN x INT FIRST", SkewClass::kB,
       "(x, id, a, b, c) VALUES (99, 1, 10, 'from-dc1', 11)"},
      {"drop_last_column", "DROP COLUMN c", SkewClass::kA,
       "(id, a, b) VALUES (1, 10, 'from-dc1')"},
      {"drop_middle_column", "DROP COLUMN a", SkewClass::kB, "(id, b, c) VALUES (1, 'from-dc1', 11)"},
      {"int_to_bigint", "MODIFY a BIGINT", SkewClass::kB, kAllColumnsRow},
      {"varchar_widen", "MODIFY b VARCHAR(200)", SkewClass::kB, kAllColumnsRow},
      {"rename_column", "RENAME COLUMN b TO b2", SkewClass::kA,
       "(id, a, b2, c) VALUES (1, 10, 'from-dc1', 11)", {{"b", "b2"}}},
      {"change_column_name_only", "CHANGE a a2 INT", SkewClass::kA,
       "(id, a2, b, c) VALUES (1, 10, 'from-dc1', 11)", {{"a", "a2"}}},
      {"add_index", "ADD INDEX ka (a)", SkewClass::kA, kAllColumnsRow},
      {"drop_index", "DROP INDEX kb", SkewClass::kA, kAllColumnsRow},
      {"table_comment", "COMMENT = 'orders of the shop'", SkewClass::kA, kAllColumnsRow},
      {"engine_rebuild", "ENGINE = InnoDB", SkewClass::kA, kAllColumnsRow},
      {"auto_increment_option", "AUTO_INCREMENT = 1000", SkewClass::kA, kAllColumnsRow},
      {"default_change", "ALTER COLUMN c SET DEFAULT 5", SkewClass::kA, kAllColumnsRow},
      {"default_via_modify", "MODIFY c INT NOT NULL DEFAULT 9", SkewClass::kA, kAllColumnsRow},
      {"default_charset_only", "DEFAULT CHARSET = utf8mb4", SkewClass::kA, kAllColumnsRow},
      {"column_comment", "MODIFY b VARCHAR(50) COMMENT 'label'", SkewClass::kA, kAllColumnsRow},
      {"add_unique", "ADD UNIQUE KEY ua (a)", SkewClass::kB, kAllColumnsRow},
      {"drop_unique", "DROP INDEX ub", SkewClass::kB, kAllColumnsRow},
      {"convert_charset", "CONVERT TO CHARACTER SET utf8mb4", SkewClass::kB, kAllColumnsRow},
      {"not_null", "MODIFY a INT NOT NULL", SkewClass::kB, kAllColumnsRow},
      {"unsigned", "MODIFY a INT UNSIGNED", SkewClass::kB, kAllColumnsRow},
      {"nullable", "MODIFY c INT NULL DEFAULT 0", SkewClass::kB, kAllColumnsRow},
      {"column_charset", "MODIFY b VARCHAR(50) CHARACTER SET utf8mb4", SkewClass::kB, kAllColumnsRow},
  };
}

// gtest prints parameters byte by byte unless told how.
void PrintTo(const SkewCase& c, std::ostream* os) { *os << c.name << ": " << c.alter; }

class SkewClassifierTest : public SandboxSuite<2>,
                           public ::testing::WithParamInterface<SkewCase> {
 protected:
  static void SetUpTestSuite() {
    SandboxSuite::SetUpTestSuite();
    if (sandbox_ == nullptr) return;
    auto c = sandbox_->Connect(1);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->Execute("CREATE DATABASE skew").ok());
    ASSERT_TRUE(sandbox_->WaitForReplication().ok());
  }

  // Waits for dc `to` to apply everything dc `from` logged; false when the
  // link stopped with an error (the change broke replication) or timed out.
  static bool Arrived(int from, int to, std::string* error) {
    auto src = Dc(from);
    auto dst = Dc(to);
    auto pos = src->QueryValue("SELECT @@gtid_binlog_pos");
    auto domain = src->QueryValue("SELECT @@gtid_domain_id");
    std::string gtid;
    for (size_t start = 0; start <= pos->value_or("").size();) {
      size_t comma = pos->value_or("").find(',', start);
      if (comma == std::string::npos) comma = pos->value_or("").size();
      std::string item = pos->value_or("").substr(start, comma - start);
      if (item.rfind(domain->value_or("") + "-", 0) == 0) gtid = item;
      start = comma + 1;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      auto waited = dst->QueryValue("SELECT MASTER_GTID_WAIT(" + sql::QuoteString(gtid) + ", 0.2)");
      if (waited.ok() && waited->value_or("") == "0") return true;
      auto status = dst->Query("SHOW SLAVE 'dc" + std::to_string(from) + "' STATUS");
      if (status.ok() && !status->rows.empty()) {
        const std::string err = status->Get(0, "Last_SQL_Error").value_or("");
        if (!err.empty()) {
          *error = err;
          return false;
        }
      }
    }
    *error = "timed out";
    return false;
  }

  // Skips failed events on dc `to`'s link from dc `from` until it runs again.
  static void Repair(int from, int to) {
    auto dst = Dc(to);
    const std::string link = "dc" + std::to_string(from);
    for (int attempt = 0; attempt < 20; ++attempt) {
      auto status = dst->Query("SHOW SLAVE '" + link + "' STATUS");
      if (!status.ok() || status->rows.empty()) return;
      if (status->Get(0, "Slave_SQL_Running").value_or("") == "Yes" &&
          status->Get(0, "Last_SQL_Error").value_or("").empty()) {
        std::string ignored;
        if (Arrived(from, to, &ignored)) return;
      }
      (void)dst->Execute("STOP SLAVE '" + link + "'");
      (void)dst->Execute("SET @@default_master_connection = '" + link + "'");
      (void)dst->Execute("SET GLOBAL sql_slave_skip_counter = 1");
      (void)dst->Execute("START SLAVE '" + link + "'");
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  // Rows by id, as column name -> value (NULL as "<NULL>").
  using Rows = std::map<std::string, std::map<std::string, std::string>>;
  static Rows ReadRows(Connection& c, const std::string& table) {
    Rows rows;
    auto r = c.Query("SELECT * FROM " + sql::QualifiedName(kSchema, table));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return rows;
    const int id_col = r->ColumnIndex("id");
    for (const auto& row : r->rows) {
      auto& out = rows[row[static_cast<size_t>(id_col)].value_or("")];
      for (size_t i = 0; i < row.size(); ++i) out[r->columns[i]] = row[i].value_or("<NULL>");
    }
    return rows;
  }

};

TEST_P(SkewClassifierTest, NeverCallsABrokenOrCorruptingChangeA) {
  ASSERT_NE(sandbox_, nullptr);
  const SkewCase& c = GetParam();
  const std::string table = std::string("t_") + c.name;
  const std::string qualified = sql::QualifiedName(kSchema, table);
  auto dc1 = Dc(1);
  auto dc2 = Dc(2);
  ASSERT_TRUE(dc1->Execute("CREATE TABLE " + qualified + " " + kBaseColumns).ok());
  std::string error;
  ASSERT_TRUE(Arrived(1, 2, &error)) << error;

  // What lockstep says, computed as the planner does.
  auto alter = sql::ParseAlterTable(std::string("ALTER TABLE ") + qualified + " " + c.alter);
  ASSERT_TRUE(alter.ok()) << alter.status().ToString();
  auto effect = ProbeSchemaEffect(*dc1, kSchema, table, sql::EffectClauseSql(*alter));
  ASSERT_TRUE(effect.ok()) << effect.status().ToString();
  auto before = sql::ParseCreateTable(effect->before_sql);
  auto after = sql::ParseCreateTable(effect->after_sql);
  ASSERT_TRUE(before.ok()) << before.status().ToString() << "\n" << effect->before_sql;
  ASSERT_TRUE(after.ok()) << after.status().ToString() << "\n" << effect->after_sql;
  const SkewVerdict verdict = ClassifySkew(*before, *after, *alter);

  // The skew: dc1 gets the new schema, dc2 keeps the old one.
  ASSERT_TRUE(dc1->Execute("SET SESSION sql_log_bin = 0").ok());
  ASSERT_TRUE(dc1->Execute("ALTER TABLE " + qualified + " " + c.alter).ok());
  ASSERT_TRUE(dc1->Execute("SET SESSION sql_log_bin = 1").ok());
  ASSERT_TRUE(dc1->Execute("INSERT INTO " + qualified + " " + c.new_rows).ok());
  ASSERT_TRUE(dc2->Execute("INSERT INTO " + qualified + " " + kOldRows).ok());

  std::string new_to_old_error, old_to_new_error;
  const bool new_to_old = Arrived(1, 2, &new_to_old_error);
  const bool old_to_new = Arrived(2, 1, &old_to_new_error);
  std::vector<std::string> damage;
  if (!new_to_old) damage.push_back("new->old broke: " + new_to_old_error);
  if (!old_to_new) damage.push_back("old->new broke: " + old_to_new_error);

  // Compare every row in both DCs, by id, over the columns both schemas have.
  Rows in_dc1 = ReadRows(*dc1, table);
  Rows in_dc2 = ReadRows(*dc2, table);
  for (const std::string id : {"1", "2", "3", "4"}) {
    if (!in_dc1.count(id) || !in_dc2.count(id)) {
      damage.push_back("row " + id + " missing in dc" + (in_dc1.count(id) ? "2" : "1"));
      continue;
    }
    for (const auto& [old_col, old_value] : in_dc2[id]) {
      std::string new_col = old_col;
      if (auto it = c.renames.find(old_col); it != c.renames.end()) new_col = it->second;
      auto found = in_dc1[id].find(new_col);
      if (found == in_dc1[id].end()) continue;  // dropped in the new schema
      if (found->second != old_value) {
        damage.push_back("row " + id + " column " + old_col + ": dc2 has '" + old_value +
                         "', dc1 has '" + found->second + "'");
      }
    }
  }
  std::string damage_text;
  for (const auto& d : damage) damage_text += "\n    " + d;
  std::string reasons;
  for (const auto& r : verdict.reasons) reasons += "\n    " + r;

  if (verdict.skew_class == SkewClass::kA) {
    EXPECT_TRUE(damage.empty()) << c.name << ": lockstep says A but rows broke or changed:"
                                << damage_text << "\n  reasons:" << reasons;
  }
  EXPECT_EQ(verdict.skew_class, c.expected)
      << c.name << ": lockstep says " << SkewClassName(verdict.skew_class) << reasons
      << "\n  observed:" << (damage.empty() ? std::string(" rows intact") : damage_text);
  std::cout << "[ skew     ] " << c.name << ": class " << SkewClassName(verdict.skew_class)
            << ", observed " << (damage.empty() ? "intact" : "damage:" + damage_text) << "\n";

  Repair(1, 2);
  Repair(2, 1);
}

INSTANTIATE_TEST_SUITE_P(Reference, SkewClassifierTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<SkewCase>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace lockstep::testing
