#include "executor/binlog/binlog_stream.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "common/logging.h"

namespace lockstep::binlog {

Result<std::unique_ptr<BinlogStream>> BinlogStream::Open(const DcConfig& dc, std::string password,
                                                         BinlogStreamOptions options) {
  LOCKSTEP_ASSIGN_OR_RETURN(GtidPosition start, GtidPosition::Parse(options.start_position));
  if (!options.sleep_ms) {
    options.sleep_ms = [](int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  }
  std::unique_ptr<BinlogStream> stream(
      new BinlogStream(dc, std::move(password), std::move(options), std::move(start)));
  LOCKSTEP_RETURN_IF_ERROR(stream->Connect());
  return stream;
}

BinlogStream::BinlogStream(const DcConfig& dc, std::string password, BinlogStreamOptions options,
                           GtidPosition start)
    : dc_(dc),
      password_(std::move(password)),
      options_(std::move(options)),
      position_(std::move(start)),
      parser_(options_.filter, /*checksums=*/false) {}

Status BinlogStream::Connect() {
  ReplicaSessionOptions opts;
  opts.server_id = options_.server_id;
  opts.gtid_position = position_.ToString();
  opts.heartbeat_period_ms = options_.heartbeat_period_ms;
  opts.read_timeout_s = options_.read_timeout_s;
  LOCKSTEP_ASSIGN_OR_RETURN(session_, ReplicaSession::Open(dc_, password_, opts));
  parser_.Reset(session_->checksums());
  current_.reset();
  DcLogger(dc_.name)->info("binlog: dump from GTID position '{}' as server_id {}",
                           opts.gtid_position, options_.server_id);
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
    backoff = std::min(backoff * 2, options_.max_backoff_ms);
    last = Connect();
    if (last.ok()) {
      ++reconnects_;
      return Status::Ok();
    }
    // Only a DC that cannot be reached is worth waiting for; a server that
    // answers with an error (a purged position, no privilege) will again.
    if (!last.IsUnavailable()) return last;
  }
  return Status::Unavailable("binlog: gave up after " +
                             std::to_string(options_.max_reconnect_attempts) +
                             " reconnect attempts; last error: " + last.ToString())
      .WithContext(dc_.name);
}

Result<BinlogEvent> BinlogStream::Next() {
  if (!failed_.ok()) return failed_;
  auto fail = [this](Status s) {
    failed_ = s;
    session_.reset();
    return s;
  };
  if (session_ == nullptr) return fail(Status::FailedPrecondition("binlog stream is closed"));

  auto raw = session_->Fetch();
  if (!raw.ok()) {
    if (!raw.status().IsUnavailable()) return fail(raw.status());
    Status s = Reconnect(raw.status());
    if (!s.ok()) return fail(s);
    BinlogEvent ev;
    ev.kind = EventKind::kReconnected;
    return ev;
  }
  auto parsed = parser_.Parse(*raw);
  if (!parsed.ok()) {
    return fail(parsed.status().WithContext(dc_.name + ": binlog event after GTID position '" +
                                            position_.ToString() + "'"));
  }
  BinlogEvent& ev = *parsed;
  if (ev.kind == EventKind::kTransactionStart) current_ = ev.gtid;
  if (ev.ends_transaction) {
    if (current_) position_.Advance(*current_);
    current_.reset();
  }
  return std::move(*parsed);
}

}  // namespace lockstep::binlog
