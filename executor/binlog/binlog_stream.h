// BinlogStream: lockstep's binlog client for one DC. Reads the DC's binlog
// from a GTID position, event by event, decoding the rows of the tables the
// filter lets through, and survives lost connections.
//
// Positions. position() is the GTID position after the last *complete*
// event group (its XID, COMMIT or standalone statement was read): that is
// what a checkpoint may record, and where a resume or a reconnect starts.
// The group in progress (current_gtid()) has not moved it yet.
//
// Reconnects. When the connection is lost the stream reconnects (bounded
// attempts with exponential backoff) at position(), and Next() returns one
// kReconnected event: the events handed out since the last
// kTransactionStart belong to a group that will be sent again in full, so
// the caller drops them. Nothing is lost and nothing complete is repeated.
// When every attempt fails Next() returns kUnavailable.
//
// Heartbeats. The server sends a heartbeat after heartbeat_period_ms
// without events: a kHeartbeat event means "caught up and idle". No packet
// at all for the read timeout means a stalled connection, handled as lost.
//
// Not thread-safe: one reader.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "config/topology.h"
#include "executor/binlog/binlog_event.h"
#include "executor/binlog/event_parser.h"
#include "executor/binlog/gtid_position.h"
#include "executor/binlog/replica_session.h"

namespace lockstep::binlog {

struct BinlogStreamOptions {
  // Unique among the DC's servers and replicas, e.g. 1000000 + a number the
  // coordinator gives each executor.
  uint32_t server_id = 0;
  std::string start_position;  // GTID list, as @@gtid_binlog_pos; "" = oldest binlog
  TableFilter filter;          // rows of other tables are skipped undecoded
  int64_t heartbeat_period_ms = 1000;
  unsigned read_timeout_s = 0;  // 0: see ReplicaSessionOptions
  int max_reconnect_attempts = 8;
  int64_t first_backoff_ms = 100;  // doubled after each failed attempt
  int64_t max_backoff_ms = 5000;
  // How the stream waits between attempts; tests pass one that does not sleep.
  std::function<void(int64_t ms)> sleep_ms;
};

class BinlogStream {
 public:
  // Connects and starts the dump. `password` is never logged.
  static Result<std::unique_ptr<BinlogStream>> Open(const DcConfig& dc, std::string password,
                                                    BinlogStreamOptions options);

  BinlogStream(const BinlogStream&) = delete;
  BinlogStream& operator=(const BinlogStream&) = delete;

  // Blocks until the next event (a heartbeat at least every period while
  // idle). Errors: kUnavailable when reconnecting gave up, kDbError for an
  // error from the server (1236: the position is not in the binlog any
  // more), kInternal for a corrupt event. After an error the stream is done.
  [[nodiscard]] Result<BinlogEvent> Next();

  // After the last complete event group: what a checkpoint records.
  const GtidPosition& position() const { return position_; }
  // The group in progress, if Next() is inside one.
  const std::optional<Gtid>& current_gtid() const { return current_; }
  // Whether everything the server has sent so far was read from the socket.
  bool socket_drained() const { return session_ == nullptr || session_->SocketDrained(); }
  // Reconnections so far.
  int reconnects() const { return reconnects_; }
  // The server-side id of the current dump connection; 0 between sessions.
  uint64_t connection_id() const { return session_ ? session_->connection_id() : 0; }

 private:
  BinlogStream(const DcConfig& dc, std::string password, BinlogStreamOptions options,
               GtidPosition start);
  Status Connect();
  Status Reconnect(const Status& cause);

  DcConfig dc_;
  std::string password_;
  BinlogStreamOptions options_;
  GtidPosition position_;
  std::optional<Gtid> current_;
  EventParser parser_;
  std::unique_ptr<ReplicaSession> session_;
  int reconnects_ = 0;
  Status failed_;  // set once Next() has returned an error
};

}  // namespace lockstep::binlog
