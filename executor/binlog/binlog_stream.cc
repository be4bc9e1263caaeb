#include "executor/binlog/binlog_stream.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "common/logging.h"
#include "db/server_errors.h"

namespace lockstep::binlog {

Result<std::unique_ptr<BinlogStream>> BinlogStream::Open(const DcConfig& dc, std::string password,
                                                         BinlogStreamOptions options) {
  LOCKSTEP_ASSIGN_OR_RETURN(GtidPosition start, GtidPosition::Parse(options.start_position));
  if (!options.sleep_ms) {
    options.sleep_ms = [](int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  }
  std::unique_ptr<BinlogStream> stream(
      new BinlogStream(dc, std::move(password), std::move(options), std::move(start)));
  LOCKSTEP_RETURN_IF_ERROR(stream->Connect(/*at_file_position=*/false));
  return stream;
}

BinlogStream::BinlogStream(const DcConfig& dc, std::string password, BinlogStreamOptions options,
                           GtidPosition start)
    : dc_(dc),
      password_(std::move(password)),
      options_(std::move(options)),
      position_(std::move(start)),
      parser_(options_.filter, /*checksums=*/false) {}

Status BinlogStream::Connect(bool at_file_position) {
  ReplicaSessionOptions opts;
  opts.server_id = options_.server_id;
  opts.heartbeat_period_ms = options_.heartbeat_period_ms;
  opts.read_timeout_s = options_.read_timeout_s;
  opts.until_end = static_cast<bool>(options_.between_bursts);
  session_by_file_ = at_file_position && file_position_.has_value() && offset_trusted_;
  if (session_by_file_) {
    opts.file_position = *file_position_;
  } else {
    opts.gtid_position = position_.ToString();
  }
  LOCKSTEP_ASSIGN_OR_RETURN(session_, ReplicaSession::Open(dc_, password_, opts));
  parser_.Reset(session_->checksums());
  current_.reset();
  at_end_ = false;
  burst_read_group_ = false;
  events_in_session_ = 0;
  // An offset read by GTID is trusted once the server has passed the
  // position (TrackFilePosition); one read by offset already was.
  if (!session_by_file_) offset_trusted_ = false;
  if (opts.until_end) ++bursts_;
  if (session_by_file_) ++bursts_at_file_position_;
  if (!session_by_file_) {
    DcLogger(dc_.name)->info("binlog: dump from GTID position '{}' as server_id {}{}",
                             opts.gtid_position, options_.server_id,
                             opts.until_end ? ", in bursts" : "");
  }
  return Status::Ok();
}

Status BinlogStream::Reconnect(const Status& cause) {
  session_.reset();
  int64_t backoff = options_.first_backoff_ms;
  Status last = cause;
  for (int attempt = 1; attempt <= options_.max_reconnect_attempts; ++attempt) {
    DcLogger(dc_.name)->warn("binlog: {}; reconnecting in {} ms (attempt {}/{})", last.ToString(),
                             backoff, attempt, options_.max_reconnect_attempts);
    options_.sleep_ms(backoff);
    if (options_.stopping && options_.stopping()) {
      return Status::Unavailable("binlog: stopped while reconnecting; last error: " +
                                 last.ToString())
          .WithContext(dc_.name);
    }
    backoff = std::min(backoff * 2, options_.max_backoff_ms);
    // By GTID: a file offset means nothing on another server, and a lost
    // connection may be a failover.
    last = Connect(/*at_file_position=*/false);
    if (last.ok()) {
      ++reconnects_;
      return Status::Ok();
    }
    // Only a DC that cannot be reached, or that has no connection to spare,
    // is worth waiting for; a server that answers with another error (a
    // purged position, no privilege) will again.
    if (!IsTransient(last)) return last;
  }
  return Status::Unavailable("binlog: gave up after " +
                             std::to_string(options_.max_reconnect_attempts) +
                             " reconnect attempts; last error: " + last.ToString())
      .WithContext(dc_.name);
}

bool BinlogStream::IsTransient(const Status& s) {
  return s.IsUnavailable() || (s.IsDbError() && IsRetryableError(s.server_errno()));
}

Status BinlogStream::OpenSession(bool at_file_position) {
  Status opened = Connect(at_file_position);
  if (!opened.ok() && IsTransient(opened)) opened = Reconnect(opened);
  return opened;
}

Result<BinlogEvent> BinlogStream::Next() {
  if (!failed_.ok()) return failed_;
  auto fail = [this](Status s) {
    failed_ = s;
    session_.reset();
    return s;
  };
  if (session_ == nullptr) {
    if (!at_end_) return fail(Status::FailedPrecondition("binlog stream is closed"));
    if (!options_.between_bursts()) {
      BinlogEvent ev;  // the caller wants control back, without reading
      ev.kind = EventKind::kHeartbeat;
      return ev;
    }
    // Between groups: nothing is in progress, so no kReconnected.
    if (Status opened = OpenSession(/*at_file_position=*/true); !opened.ok()) return fail(opened);
  }

  auto raw = session_->Fetch();
  if (!raw.ok() && session_by_file_ && events_in_session_ == 0 && raw.status().IsDbError()) {
    // The server refused the offset (its file was purged, say): the GTID
    // position decides whether the binlog still has what comes next.
    DcLogger(dc_.name)->warn("binlog: {}; reading by GTID", raw.status().ToString());
    file_position_.reset();
    if (Status s = OpenSession(/*at_file_position=*/false); !s.ok()) return fail(s);
    return Next();
  }
  if (!raw.ok()) {
    if (!raw.status().IsUnavailable()) return fail(raw.status());
    Status s = Reconnect(raw.status());
    if (!s.ok()) return fail(s);
    BinlogEvent ev;
    ev.kind = EventKind::kReconnected;
    return ev;
  }
  if (!raw->has_value()) return EndOfBurst();
  ++events_in_session_;
  auto parsed = parser_.Parse(**raw);
  if (!parsed.ok()) {
    return fail(parsed.status().WithContext(dc_.name + ": binlog event after GTID position '" +
                                            position_.ToString() + "'"));
  }
  BinlogEvent& ev = *parsed;
  if (ev.kind == EventKind::kRotate && ev.next_position == 0) {
    // The rotate a dump starts with names the serving server. A file offset
    // is only good on the server it was read from: on another (a failover
    // behind the same address) the burst starts again by GTID.
    if (session_by_file_ && serving_server_id_ && ev.server_id != *serving_server_id_) {
      DcLogger(dc_.name)->warn("binlog: server_id {} now serves the binlog, not {}: reading by GTID",
                               ev.server_id, *serving_server_id_);
      file_position_.reset();
      session_.reset();
      if (Status s = OpenSession(/*at_file_position=*/false); !s.ok()) return fail(s);
      return Next();
    }
    serving_server_id_ = ev.server_id;
  }
  if (ev.kind == EventKind::kTransactionStart) current_ = ev.gtid;
  if (ev.ends_transaction) {
    if (current_) position_.Advance(*current_);
    current_.reset();
    burst_read_group_ = true;
  }
  TrackFilePosition(ev);
  return std::move(*parsed);
}

Result<BinlogEvent> BinlogStream::EndOfBurst() {
  session_.reset();
  at_end_ = true;
  BinlogEvent ev;
  if (current_) {
    // A dump sends whole groups, so this should not happen; if it does, the
    // group is read again in full from the file position before it.
    current_.reset();
    ev.kind = EventKind::kReconnected;
    return ev;
  }
  if (burst_read_group_) return Next();  // the next burst
  ev.kind = EventKind::kHeartbeat;  // a quiet burst: caught up and idle
  return ev;
}

void BinlogStream::TrackFilePosition(const BinlogEvent& ev) {
  if (ev.kind == EventKind::kRotate) {
    file_position_ = BinlogFilePosition{ev.log_file, ev.log_position};
  } else if (file_position_ && !current_ && ev.next_position != 0 &&
             ev.kind != EventKind::kHeartbeat) {
    // Between groups, after an event the server read from its file.
    file_position_->offset = ev.next_position;
  }
  // A GTID dump skips the groups the position already has, but sends the
  // events between them, so their offsets may lie before groups it skipped.
  // A GTID list (the file's own, or the one the server makes up once it
  // reaches the position in a domain) holds the binlog state at its offset:
  // once that covers the position, no group the position has lies past it.
  // Until then (the position names a group the server has logged but not
  // yet let a dump read) the next burst starts by GTID again.
  if (!offset_trusted_ && ev.kind == EventKind::kGtidList &&
      GtidPosition::Highest(ev.gtid_list).Covers(position_)) {
    offset_trusted_ = true;
  }
}

}  // namespace lockstep::binlog
