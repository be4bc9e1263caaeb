#include "db/connection.h"

#include <strings.h>

#include <mutex>

#include "db/server_errors.h"
#include "db/sql.h"

namespace lockstep {
namespace {

// mysql_library_init is not thread-safe; mysql_init calls it implicitly.
void InitLibraryOnce() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

void ApplyTls(MYSQL* mysql, const DcConfig& dc) {
  if (dc.tls_mode == TlsMode::kDisabled) return;
  auto opt = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
  mysql_ssl_set(mysql, opt(dc.tls_key), opt(dc.tls_cert), opt(dc.tls_ca), nullptr, nullptr);
  if (dc.tls_mode != TlsMode::kPreferred) {
    my_bool enforce = 1;
    mysql_optionsv(mysql, MYSQL_OPT_SSL_ENFORCE, &enforce);
  }
  my_bool verify = (dc.tls_mode == TlsMode::kVerifyCa || dc.tls_mode == TlsMode::kVerifyIdentity);
  mysql_optionsv(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
}

}  // namespace

int QueryResult::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].size() == name.size() &&
        strncasecmp(columns[i].data(), name.data(), name.size()) == 0) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

std::optional<std::string> QueryResult::Get(size_t row, std::string_view column) const {
  const int idx = ColumnIndex(column);
  if (idx < 0 || row >= rows.size()) return std::nullopt;
  return rows[row][static_cast<size_t>(idx)];
}

Result<std::unique_ptr<Connection>> Connection::Open(const DcConfig& dc,
                                                     const std::string& password,
                                                     const SessionOptions& options) {
  InitLibraryOnce();
  MYSQL* mysql = mysql_init(nullptr);
  if (mysql == nullptr) return Status::Internal("mysql_init failed (out of memory)");
  std::unique_ptr<Connection> conn(new Connection(mysql, dc.name));

  mysql_optionsv(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &options.connect_timeout_s);
  mysql_optionsv(mysql, MYSQL_OPT_READ_TIMEOUT, &options.read_timeout_s);
  mysql_optionsv(mysql, MYSQL_OPT_WRITE_TIMEOUT, &options.write_timeout_s);
  mysql_optionsv(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  // TCP even for "localhost": the topology names network endpoints.
  unsigned protocol = MYSQL_PROTOCOL_TCP;
  mysql_optionsv(mysql, MYSQL_OPT_PROTOCOL, &protocol);
  ApplyTls(mysql, dc);

  if (mysql_real_connect(mysql, dc.host.c_str(), dc.user.c_str(), password.c_str(), nullptr,
                         dc.port, nullptr, CLIENT_MULTI_RESULTS) == nullptr) {
    const unsigned err = mysql_errno(mysql);
    std::string msg = "cannot connect to " + dc.host + ":" + std::to_string(dc.port) + " as " +
                      dc.user + ": " + mysql_error(mysql);
    if (IsConnectionError(err)) return Status::Unavailable(msg).WithContext(dc.name);
    return Status::DbError(dc.name, err, msg);
  }
  LOCKSTEP_RETURN_IF_ERROR(conn->Execute(sql::SessionSetup(options.sql_mode,
                                                            options.lock_wait_timeout_s)));
  return conn;
}

Connection::~Connection() {
  if (mysql_ != nullptr) mysql_close(mysql_);
}

Status Connection::LastError(std::string_view sql) const {
  const unsigned err = mysql_errno(mysql_);
  std::string msg = mysql_error(mysql_);
  // The statement is included for context but cut short: it may be long.
  std::string stmt(sql.substr(0, 200));
  if (sql.size() > 200) stmt += "...";
  msg += " [" + stmt + "]";
  return Status::DbError(dc_name_, err, msg);
}

Status Connection::Execute(std::string_view sql) {
  affected_rows_ = 0;
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) return LastError(sql);
  // Read now: draining the result sets below resets the client's count.
  affected_rows_ = mysql_affected_rows(mysql_);
  // Drain every result set so the connection is usable for the next statement.
  do {
    if (MYSQL_RES* res = mysql_store_result(mysql_); res != nullptr) mysql_free_result(res);
    else if (mysql_field_count(mysql_) != 0) return LastError(sql);
  } while (mysql_next_result(mysql_) == 0);
  if (mysql_errno(mysql_) != 0) return LastError(sql);
  return Status::Ok();
}

Result<QueryResult> Connection::Query(std::string_view sql) {
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) return LastError(sql);
  MYSQL_RES* res = mysql_store_result(mysql_);
  if (res == nullptr) {
    if (mysql_field_count(mysql_) != 0) return LastError(sql);
    return QueryResult{};  // a statement without a result set
  }
  std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> guard(res, &mysql_free_result);
  QueryResult out;
  const unsigned ncols = mysql_num_fields(res);
  MYSQL_FIELD* fields = mysql_fetch_fields(res);
  for (unsigned i = 0; i < ncols; ++i) out.columns.emplace_back(fields[i].name);
  out.rows.reserve(mysql_num_rows(res));
  while (MYSQL_ROW row = mysql_fetch_row(res)) {
    unsigned long* lengths = mysql_fetch_lengths(res);
    auto& dst = out.rows.emplace_back();
    dst.reserve(ncols);
    for (unsigned i = 0; i < ncols; ++i) {
      if (row[i] == nullptr) dst.emplace_back(std::nullopt);
      else dst.emplace_back(std::string(row[i], lengths[i]));
    }
  }
  // Further result sets (a CALL) are drained and ignored.
  while (mysql_next_result(mysql_) == 0) {
    if (MYSQL_RES* more = mysql_store_result(mysql_); more != nullptr) mysql_free_result(more);
  }
  return out;
}

Result<std::optional<std::string>> Connection::QueryValue(std::string_view sql) {
  LOCKSTEP_ASSIGN_OR_RETURN(QueryResult r, Query(sql));
  if (r.rows.empty() || r.rows[0].empty()) {
    return Status::NotFound("query returned no row: " + std::string(sql.substr(0, 200)))
        .WithContext(dc_name_);
  }
  return r.rows[0][0];
}

uint64_t Connection::affected_rows() const { return affected_rows_; }

Result<std::unique_ptr<Connection>> MariaDbConnectionFactory::Connect(const DcConfig& dc) {
  LOCKSTEP_ASSIGN_OR_RETURN(std::string password, ResolvePassword(dc));
  return Connection::Open(dc, password, options_);
}

Result<std::unique_ptr<Connection>> MariaDbConnectionFactory::ConnectWithReadTimeout(
    const DcConfig& dc, unsigned read_timeout_s) {
  SessionOptions options = options_;
  options.read_timeout_s = read_timeout_s;
  LOCKSTEP_ASSIGN_OR_RETURN(std::string password, ResolvePassword(dc));
  return Connection::Open(dc, password, options);
}

}  // namespace lockstep
