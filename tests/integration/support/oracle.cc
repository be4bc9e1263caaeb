#include "support/oracle.h"

#include <chrono>
#include <random>
#include <set>
#include <sstream>

#include "db/sql.h"

namespace lockstep::testing {
namespace {

std::string Contents(Connection& c, const std::string& qualified) {
  auto r = c.Query("SELECT id, k, c, d, ts FROM " + qualified + " ORDER BY id");
  if (!r.ok()) return "error: " + r.status().ToString();
  std::string out;
  for (const auto& row : r->rows) {
    for (const auto& v : row) out += v.value_or("NULL") + "|";
    out += "\n";
  }
  return out;
}

}  // namespace

Status CreateTableAndOracle(Connection& conn, const std::string& schema, const std::string& table,
                            int rows) {
  const std::string t = sql::QualifiedName(schema, table);
  LOCKSTEP_RETURN_IF_ERROR(conn.Execute("CREATE DATABASE IF NOT EXISTS " + sql::QuoteIdentifier(schema)));
  LOCKSTEP_RETURN_IF_ERROR(conn.Execute(
      "CREATE TABLE " + t + " (id INT AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL, "
      "c VARCHAR(64), d DECIMAL(12,2), ts DATETIME(6), KEY kk (k)) ENGINE=InnoDB"));
  LOCKSTEP_RETURN_IF_ERROR(conn.Execute("CREATE TABLE " + sql::QualifiedName(schema, "oracle") +
                                        " LIKE " + t));
  LOCKSTEP_RETURN_IF_ERROR(conn.Execute(
      "INSERT INTO " + t + " SELECT seq, seq % 97, CONCAT('row', seq), seq / 7, "
      "'2024-01-01 00:00:00.123456' + INTERVAL seq SECOND FROM " +
      sql::QualifiedName(schema, "seq_1_to_" + std::to_string(rows))));
  return conn.Execute("INSERT INTO " + sql::QualifiedName(schema, "oracle") + " SELECT * FROM " + t);
}

OracleWriters::OracleWriters(const Sandbox& sandbox, std::string schema, std::string table,
                             int rows, int threads, WriterOptions options)
    : sandbox_(sandbox), schema_(std::move(schema)), table_(std::move(table)), rows_(rows),
      stripe_(options) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this, i] { Write(i); });
}

OracleWriters::~OracleWriters() { Stop(); }

void OracleWriters::Stop() {
  stop_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void OracleWriters::Write(int id) {
  auto conn = sandbox_.Connect(stripe_.dc);
  if (!conn.ok()) return;
  Connection& c = **conn;
  std::mt19937 rng(static_cast<unsigned>(stripe_.dcs == 1 ? id + 1 : stripe_.dc * 100 + id + 1) * 7919u);
  // Each DC inserts in its own range, and moves keys within its stripe.
  int next_insert = 400'000'000 * (stripe_.dc - 1) + 1'000'000 * (id + 1);
  const int move_by = stripe_.dcs == 1 ? 500000 : 600000;
  const unsigned picks = static_cast<unsigned>((rows_ + 500) / stripe_.dcs);
  while (!stop_.load()) {
    const int pick = static_cast<int>(rng() % 100);
    const std::string x =
        std::to_string(static_cast<int>(rng() % picks) * stripe_.dcs + stripe_.dc);
    std::string stmt;
    if (pick < 35) {
      const std::string n = std::to_string(next_insert++);
      // Values the statement fixes itself: NOW() would differ between the twins.
      stmt = "INSERT INTO {T} (id, k, c, d, ts) VALUES (" + n + ", " + n + " % 97, CONCAT('w', " +
             n + "), " + n + " / 13, '2025-01-01 00:00:00.5' + INTERVAL " + n + " MICROSECOND)";
    } else if (pick < 75) {
      stmt = "UPDATE {T} SET k = k + 1, c = CONCAT(c, '+'), d = d * 2 WHERE id = " + x;
    } else if (pick < 90) {
      stmt = "DELETE FROM {T} WHERE id = " + x;
    } else {
      // Move a primary key: the applier must delete the old row and add the new.
      stmt = "UPDATE {T} SET id = id + " + std::to_string(move_by) + " WHERE id = " + x;
    }
    auto on = [&](const std::string& table) {
      std::string s = stmt;
      s.replace(s.find("{T}"), 3, sql::QualifiedName(schema_, table));
      return s;
    };
    Status s = c.Execute("BEGIN");
    if (s.ok()) s = c.Execute(on(table_));
    if (s.ok()) s = c.Execute(on("oracle"));
    if (s.ok()) s = c.Execute("COMMIT");
    if (s.ok()) {
      committed_.fetch_add(1);
      if (stripe_.pause_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(stripe_.pause_ms));
    } else {
      (void)c.Execute("ROLLBACK");  // both or neither
      rolled_back_.fetch_add(1);
      if (!s.IsDbError() || s.server_errno() >= 2000) {
        // The connection is gone (the server restarted?): reconnect.
        auto again = sandbox_.Connect(stripe_.dc);
        if (!again.ok()) return;
        *conn = std::move(*again);
      }
    }
  }
}

std::string DiffAgainstOracle(Connection& conn, const std::string& schema, const std::string& table) {
  const std::string expected = Contents(conn, sql::QualifiedName(schema, "oracle"));
  const std::string actual = Contents(conn, sql::QualifiedName(schema, table));
  if (expected == actual) return "";
  std::set<std::string> in_expected, in_actual;
  std::istringstream e(expected), a(actual);
  std::string line;
  while (std::getline(e, line)) in_expected.insert(line);
  while (std::getline(a, line)) in_actual.insert(line);
  std::string out;
  int shown = 0;
  for (const auto& l : in_expected) {
    if (!in_actual.count(l) && shown++ < 5) out += "  oracle only: " + l + "\n";
  }
  shown = 0;
  for (const auto& l : in_actual) {
    if (!in_expected.count(l) && shown++ < 5) out += "  table only:  " + l + "\n";
  }
  return out;
}

std::string CheckEveryDc(const Sandbox& sandbox, const std::string& schema, const std::string& table) {
  if (Status caught_up = sandbox.WaitForReplication(120); !caught_up.ok()) {
    return "replication did not catch up: " + caught_up.ToString() + "\n";
  }
  std::string wrong, first;
  for (int k = 1; k <= sandbox.dcs(); ++k) {
    const std::string dc = "dc" + std::to_string(k);
    auto c = sandbox.Connect(k);
    if (!c.ok()) return dc + ": " + c.status().ToString() + "\n";
    const std::string diff = DiffAgainstOracle(**c, schema, table);
    if (!diff.empty()) wrong += dc + " differs from the oracle:\n" + diff;
    auto sum = (*c)->QueryValue("SELECT CONCAT(COUNT(*), '/', BIT_XOR(CRC32(CONCAT_WS('|', id, k, c, d, ts)))) "
                                "FROM " + sql::QualifiedName(schema, table));
    const std::string rows = sum.ok() ? sum->value_or("") : sum.status().ToString();
    if (k == 1) first = rows;
    if (rows != first) wrong += dc + " holds other rows than dc1 (" + rows + " vs " + first + ")\n";
    auto links = (*c)->Query("SHOW ALL SLAVES STATUS");
    if (!links.ok()) return dc + ": " + links.status().ToString() + "\n";
    if (links->rows.size() != static_cast<size_t>(sandbox.dcs() - 1)) wrong += dc + " lacks a link\n";
    for (size_t r = 0; r < links->rows.size(); ++r) {
      if (links->Get(r, "Slave_SQL_Running").value_or("") != "Yes" ||
          links->Get(r, "Slave_IO_Running").value_or("") != "Yes") {
        wrong += dc + " link " + links->Get(r, "Connection_name").value_or("") + " is not running: " +
                 links->Get(r, "Last_SQL_Error").value_or("") + "\n";
      }
    }
  }
  return wrong;
}

}  // namespace lockstep::testing
