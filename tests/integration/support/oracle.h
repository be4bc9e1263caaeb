// An oracle for migrations under writes: a twin of the migrated table that
// writer threads change in the same transactions as the table itself, so
// after any migration the table must equal the twin.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "support/sandbox.h"

namespace lockstep::testing {

// Creates schema.table and schema.oracle, both holding `rows` identical rows
// (id, k, c, d, ts).
Status CreateTableAndOracle(Connection& conn, const std::string& schema, const std::string& table,
                            int rows);

// Where and how fast writers write: in DC `dc`, on the rows whose id is
// `dc` modulo `dcs` (and ids it inserts itself), as a ShardingZone's
// application in each DC writes its own keys; `pause_ms` between
// transactions. The default is every row, in dc1, flat out.
struct WriterOptions {
  int dc = 1;
  int dcs = 1;
  int pause_ms = 0;
};

// Threads that insert, update, delete and move primary keys of schema.table
// and schema.oracle alike, each change in one transaction, until Stop().
class OracleWriters {
 public:
  OracleWriters(const Sandbox& sandbox, std::string schema, std::string table, int rows,
                int threads, WriterOptions options = {});
  ~OracleWriters();  // stops them
  void Stop();
  int committed() const { return committed_.load(); }
  int rolled_back() const { return rolled_back_.load(); }

 private:
  void Write(int id);

  const Sandbox& sandbox_;
  const std::string schema_;
  const std::string table_;
  const int rows_;
  const WriterOptions stripe_;
  std::atomic<bool> stop_{false};
  std::atomic<int> committed_{0};
  std::atomic<int> rolled_back_{0};
  std::vector<std::thread> threads_;
};

// "" when schema.table equals schema.oracle over (id, k, c, d, ts); otherwise
// the first differing rows of each side.
std::string DiffAgainstOracle(Connection& conn, const std::string& schema, const std::string& table);

// Once the writers stopped: waits for replication, then "" when every DC's
// schema.table equals that DC's oracle, the DCs hold the same rows and every
// DRC link runs; else what is wrong, DC by DC.
std::string CheckEveryDc(const Sandbox& sandbox, const std::string& schema, const std::string& table);

}  // namespace lockstep::testing
