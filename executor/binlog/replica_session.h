// One binlog dump session: a MariaDB connection that registered as a replica
// and asked for the binlog from a GTID position. Owns the connection and the
// MARIADB_RPL handle; frames events, but parses none (EventParser does).
//
// A session does not survive a lost connection: BinlogStream opens a new one
// from the last complete transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "config/topology.h"
#include "db/connection.h"

// Connector/C's handles, declared here so that its headers stay in the .cc.
struct st_mariadb_rpl;
struct st_mariadb_rpl_event;

namespace lockstep::binlog {

// A place in one binlog file of the server.
struct BinlogFilePosition {
  std::string file;
  uint64_t offset = 0;
};

struct ReplicaSessionOptions {
  // The server id this client registers with. It must differ from every real
  // server's and every other replica's: the server drops an older dump
  // session with the same id.
  uint32_t server_id = 0;
  std::string gtid_position;  // "" = from the oldest binlog
  // Start at this offset of this binlog file instead of at gtid_position:
  // the server seeks there, where a GTID start reads the file from its
  // beginning to find the position. Only at an event group's boundary.
  std::optional<BinlogFilePosition> file_position;
  // Read to the end of the binlog and stop (BINLOG_DUMP_NON_BLOCK): Fetch()
  // then returns nullopt. Otherwise the server waits for new events.
  bool until_end = false;
  int64_t heartbeat_period_ms = 1000;
  // A read with no packet for this long (heartbeats included) is a lost
  // connection. 0: three heartbeat periods, at least 10 s.
  unsigned read_timeout_s = 0;
  unsigned connect_timeout_s = 5;
};

class ReplicaSession {
 public:
  static Result<std::unique_ptr<ReplicaSession>> Open(const DcConfig& dc,
                                                      const std::string& password,
                                                      const ReplicaSessionOptions& options);
  ~ReplicaSession();
  ReplicaSession(const ReplicaSession&) = delete;
  ReplicaSession& operator=(const ReplicaSession&) = delete;

  // The next event, header to checksum, valid until the next call; nullopt
  // at the end of the binlog (until_end only). A lost connection is
  // kUnavailable; an error the server sent (1236: position not in the
  // binlog) is a DbError carrying its errno.
  [[nodiscard]] Result<std::optional<std::string_view>> Fetch();

  // Whether the server was asked for CRC32 checksums.
  bool checksums() const { return checksums_; }
  // The server-side connection id (as in SHOW PROCESSLIST).
  uint64_t connection_id() const;
  // Whether the socket holds no unread bytes: the server has sent nothing
  // more yet (the client library may still hold what it read ahead).
  bool SocketDrained() const;

 private:
  ReplicaSession(std::unique_ptr<Connection> conn, bool checksums, bool until_end)
      : conn_(std::move(conn)), checksums_(checksums), until_end_(until_end) {}
  Status LastError(const char* what) const;

  std::unique_ptr<Connection> conn_;
  st_mariadb_rpl* rpl_ = nullptr;
  // Reused by every fetch; mariadb_rpl_fetch frees it when it returns NULL.
  st_mariadb_rpl_event* event_ = nullptr;
  bool checksums_;
  bool until_end_;
};

}  // namespace lockstep::binlog
