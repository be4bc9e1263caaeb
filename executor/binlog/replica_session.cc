#include "executor/binlog/replica_session.h"

#include <sys/ioctl.h>

// mariadb_rpl.h needs mysql.h first.
#include <mysql.h>
#include <mariadb_rpl.h>

#include <algorithm>

#include "db/server_errors.h"
#include "db/sql.h"

namespace lockstep::binlog {

Result<std::unique_ptr<ReplicaSession>> ReplicaSession::Open(const DcConfig& dc,
                                                             const std::string& password,
                                                             const ReplicaSessionOptions& options) {
  if (options.server_id == 0) {
    return Status::InvalidArgument("a binlog client needs a non-zero server_id");
  }
  SessionOptions session;
  session.connect_timeout_s = options.connect_timeout_s;
  session.read_timeout_s = options.read_timeout_s != 0
                               ? options.read_timeout_s
                               : std::max<unsigned>(10, static_cast<unsigned>(
                                                            3 * options.heartbeat_period_ms / 1000));
  LOCKSTEP_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                            Connection::Open(dc, password, session));
  // Ask for the checksums the server writes, and check them: the binlog is
  // the only copy of a change on its way to the shadow table.
  LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string> checksum,
                            conn->QueryValue(sql::BinlogChecksum()));
  const std::string alg = checksum.value_or("NONE");
  const auto& file = options.file_position;
  std::optional<std::string_view> gtid_position;
  if (!file) gtid_position = options.gtid_position;
  LOCKSTEP_RETURN_IF_ERROR(conn->Execute(
      sql::BinlogDumpSession(alg, gtid_position, options.heartbeat_period_ms * 1'000'000)));

  std::unique_ptr<ReplicaSession> s(
      new ReplicaSession(std::move(conn), alg == "CRC32", options.until_end));
  s->rpl_ = mariadb_rpl_init(s->conn_->raw());
  if (s->rpl_ == nullptr) return s->LastError("mariadb_rpl_init");
  // GTID mode: the file name is empty and the position is ignored; the
  // server starts after @slave_connect_state.
  const std::string file_name = file ? file->file : std::string();
  mariadb_rpl_optionsv(s->rpl_, MARIADB_RPL_FILENAME, file_name.c_str(), file_name.size());
  mariadb_rpl_optionsv(s->rpl_, MARIADB_RPL_START,
                       static_cast<unsigned long>(file ? file->offset : 4));
  mariadb_rpl_optionsv(s->rpl_, MARIADB_RPL_SERVER_ID, static_cast<unsigned int>(options.server_id));
  mariadb_rpl_optionsv(s->rpl_, MARIADB_RPL_FLAGS,
                       options.until_end ? static_cast<unsigned>(MARIADB_RPL_BINLOG_DUMP_NON_BLOCK)
                                         : 0u);
  // With a host set the library registers the client (COM_REGISTER_SLAVE), so
  // that a DBA sees it in SHOW SLAVE HOSTS with its server id.
  mariadb_rpl_optionsv(s->rpl_, MARIADB_RPL_HOST, "lockstep");
  mariadb_rpl_optionsv(s->rpl_, MARIADB_RPL_PORT, 0u);
  if (mariadb_rpl_open(s->rpl_) != 0) return s->LastError("COM_BINLOG_DUMP");
  return s;
}

ReplicaSession::~ReplicaSession() {
  if (event_ != nullptr) mariadb_free_rpl_event(event_);
  if (rpl_ != nullptr) mariadb_rpl_close(rpl_);
  // conn_ closes the connection after the handle that used it.
}

uint64_t ReplicaSession::connection_id() const { return mysql_thread_id(conn_->raw()); }

bool ReplicaSession::SocketDrained() const {
  int unread = 0;
  const int fd = static_cast<int>(mysql_get_socket(conn_->raw()));
  return fd < 0 || ioctl(fd, FIONREAD, &unread) != 0 || unread == 0;
}

Status ReplicaSession::LastError(const char* what) const {
  MYSQL* mysql = conn_->raw();
  unsigned err = mysql_errno(mysql);
  std::string msg = mysql_error(mysql);
  if (rpl_ != nullptr && mariadb_rpl_errno(rpl_) != 0) {
    err = mariadb_rpl_errno(rpl_);
    msg = mariadb_rpl_error(rpl_);
  }
  msg = std::string(what) + ": " + (msg.empty() ? "connection closed by the server" : msg);
  // No errno at all: the server ended the stream without saying why.
  if (err == 0 || IsConnectionError(err)) {
    return Status::Unavailable(msg + " (errno " + std::to_string(err) + ")")
        .WithContext(conn_->dc_name());
  }
  return Status::DbError(conn_->dc_name(), err, msg);
}

Result<std::optional<std::string_view>> ReplicaSession::Fetch() {
  event_ = mariadb_rpl_fetch(rpl_, event_);
  if (event_ == nullptr) {
    // The server's EOF packet ends a non-blocking dump: the library returns
    // no event and no error. Anything else without an event is a failure.
    if (until_end_ && mysql_errno(conn_->raw()) == 0 && mariadb_rpl_errno(rpl_) == 0) {
      return std::optional<std::string_view>();
    }
    return LastError("reading the binlog");
  }
  // raw_data is the whole packet: the OK byte (0x00), then the event.
  if (event_->raw_data == nullptr || event_->raw_data_size < 1 || event_->raw_data[0] != 0) {
    return Status::Internal("binlog packet without the OK byte").WithContext(conn_->dc_name());
  }
  return std::optional(std::string_view(reinterpret_cast<const char*>(event_->raw_data) + 1,
                                        event_->raw_data_size - 1));
}

}  // namespace lockstep::binlog
