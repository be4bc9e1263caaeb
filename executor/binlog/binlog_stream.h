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
// Bursts. With between_bursts set, each session reads to the end of the
// binlog and closes (BINLOG_DUMP_NON_BLOCK); the stream then calls
// between_bursts and opens the next session at the file offset after the
// last complete group, where the server seeks instead of scanning for a GTID.
// A dump thread that waits for new events is woken by every commit, which
// costs the application more than a burst a second (docs/benchmarks.md,
// "the binlog read in bursts"). A burst that read no event group is quiet:
// Next() returns a kHeartbeat for it, as a waiting dump would have. Offsets
// are only good on the server they were read from: a burst served by another
// server id, or refused its offset (a purged file), starts by GTID, as does
// any session after a lost connection.
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
  // Set: asked before every reconnect attempt; true ends the attempts (the
  // reader is stopping), and Next() returns kUnavailable at once instead of
  // after the whole backoff.
  std::function<bool()> stopping;
  // Set: read in bursts (see above), waiting in it between two. It returns
  // false when the caller wants control back without reading on (it is
  // stopping, or has a batch to hand over): Next() then returns a heartbeat,
  // and the next Next() calls it again. Empty: one session that waits for
  // new events.
  std::function<bool()> between_bursts;
};

class BinlogStream {
 public:
  // Connects and starts the dump. `password` is never logged.
  static Result<std::unique_ptr<BinlogStream>> Open(const DcConfig& dc, std::string password,
                                                    BinlogStreamOptions options);

  BinlogStream(const BinlogStream&) = delete;
  BinlogStream& operator=(const BinlogStream&) = delete;

  // Blocks until the next event (while idle, a heartbeat at least every
  // period, or, in bursts, for each quiet burst). Errors: kUnavailable when reconnecting gave up, kDbError for an
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
  // Bursts: the sessions opened so far, and whether the stream has read to
  // the end of the binlog and waits for the next burst.
  int bursts() const { return bursts_; }
  int bursts_at_file_position() const { return bursts_at_file_position_; }
  bool between_bursts() const { return session_ == nullptr && at_end_; }

 private:
  BinlogStream(const DcConfig& dc, std::string password, BinlogStreamOptions options,
               GtidPosition start);
  // Opens a session at position_, or in bursts at file_position_ once known
  // and trusted.
  Status Connect(bool at_file_position);
  // Connect, and on a transient failure Reconnect.
  Status OpenSession(bool at_file_position);
  Status Reconnect(const Status& cause);
  // Worth retrying: the DC is unreachable or has no connection to spare.
  static bool IsTransient(const Status& s);
  // A burst read to the end of the binlog: a heartbeat if it read no
  // group, else the first event of the next burst.
  Result<BinlogEvent> EndOfBurst();
  void TrackFilePosition(const BinlogEvent& ev);

  DcConfig dc_;
  std::string password_;
  BinlogStreamOptions options_;
  GtidPosition position_;
  std::optional<Gtid> current_;
  EventParser parser_;
  std::unique_ptr<ReplicaSession> session_;
  // Where the event after the last complete group starts in the server's
  // binlog: from rotate events and event headers (0 for events the server
  // makes up, such as a dump's first format description). Unknown until the
  // server sent a position.
  std::optional<BinlogFilePosition> file_position_;
  bool offset_trusted_ = false;   // see TrackFilePosition
  int64_t events_in_session_ = 0;
  std::optional<uint32_t> serving_server_id_;  // from the rotate a dump starts with
  bool session_by_file_ = false;  // the current session started at file_position_
  bool at_end_ = false;           // the last burst read to the end of the binlog
  bool burst_read_group_ = false; // the current burst has read an event group
  int reconnects_ = 0;
  int bursts_ = 0;
  int bursts_at_file_position_ = 0;
  Status failed_;  // set once Next() has returned an error
};

}  // namespace lockstep::binlog
