// An owned MariaDB client session with lockstep's session settings.
//
// Every connection lockstep opens gets the same session: UTC time zone,
// utf8mb4, a bounded lock_wait_timeout and a predictable sql_mode, so that the
// same statement means the same thing in every DC.
#pragma once

#include <mysql.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/topology.h"

namespace lockstep {

struct SessionOptions {
  unsigned connect_timeout_s = 5;
  unsigned read_timeout_s = 60;
  unsigned write_timeout_s = 60;
  unsigned lock_wait_timeout_s = 10;  // metadata locks; the cut-over sets its own
  // No NO_BACKSLASH_ESCAPES: sql::QuoteString relies on backslash escapes.
  std::string sql_mode = "STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION";
};

// A fully read result set. Values are the server's text form; NULL is nullopt.
struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;

  // Index of a column by name (case-insensitive), or -1.
  int ColumnIndex(std::string_view name) const;
  // The value at (row, column name); nullopt when NULL or the column is absent.
  std::optional<std::string> Get(size_t row, std::string_view column) const;
};

class Connection {
 public:
  // Connects to `dc` with `password` (already resolved: never logged).
  static Result<std::unique_ptr<Connection>> Open(const DcConfig& dc, const std::string& password,
                                                  const SessionOptions& options = {});

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  const std::string& dc_name() const { return dc_name_; }

  // Runs a statement that returns no rows (or discards them).
  [[nodiscard]] Status Execute(std::string_view sql);
  // Runs a query and reads all its rows.
  [[nodiscard]] Result<QueryResult> Query(std::string_view sql);
  // Runs a query expected to return one row with one column.
  [[nodiscard]] Result<std::optional<std::string>> QueryValue(std::string_view sql);

  // Rows the last Execute() changed (inserted, updated, deleted).
  uint64_t affected_rows() const;
  MYSQL* raw() { return mysql_; }

 private:
  Connection(MYSQL* mysql, std::string dc_name) : mysql_(mysql), dc_name_(std::move(dc_name)) {}
  Status LastError(std::string_view sql) const;

  MYSQL* mysql_;
  std::string dc_name_;
  uint64_t affected_rows_ = 0;
};

// Opens connections to DCs. An interface so that callers can be given a
// different factory (for example one that injects failures) in tests.
class ConnectionFactory {
 public:
  virtual ~ConnectionFactory() = default;
  virtual Result<std::unique_ptr<Connection>> Connect(const DcConfig& dc) = 0;
  // A session like Connect()'s that waits `read_timeout_s` for each answer
  // (a short read that must not hang, a long DDL that must not be cut off);
  // a factory that cannot set it gives its usual session.
  virtual Result<std::unique_ptr<Connection>> ConnectWithReadTimeout(const DcConfig& dc,
                                                                     unsigned /*read_timeout_s*/) {
    return Connect(dc);
  }
};

// Resolves each DC's password (env var or 0600 file) and connects.
class MariaDbConnectionFactory : public ConnectionFactory {
 public:
  explicit MariaDbConnectionFactory(SessionOptions options = {}) : options_(std::move(options)) {}
  Result<std::unique_ptr<Connection>> Connect(const DcConfig& dc) override;
  Result<std::unique_ptr<Connection>> ConnectWithReadTimeout(const DcConfig& dc,
                                                             unsigned read_timeout_s) override;

 private:
  SessionOptions options_;
};

}  // namespace lockstep
