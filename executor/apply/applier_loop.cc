#include "executor/apply/applier_loop.h"

#include <algorithm>
#include <chrono>

#include "common/logging.h"
#include "db/sql.h"
#include "executor/binlog/transaction_reader.h"

namespace lockstep {

namespace {

std::vector<Connection*> Raw(const std::vector<std::unique_ptr<Connection>>& sessions) {
  std::vector<Connection*> raw;
  for (const auto& s : sessions) raw.push_back(s.get());
  return raw;
}

}  // namespace

Result<std::unique_ptr<ApplierLoop>> ApplierLoop::Start(
    ApplierLoopOptions options, std::vector<std::unique_ptr<Connection>> shadow_sessions,
    ApplierTarget target, RowImageMapping mapping) {
  if (shadow_sessions.empty()) return Status::InvalidArgument("the applier needs a session");
  for (const auto& session : shadow_sessions) {
    // Keyed writes only: no gap locks, so the parts of a split batch (and the
    // copier's chunks) wait on each other only for the rows they share.
    LOCKSTEP_RETURN_IF_ERROR(
        session->Execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"));
    // The applier's statements carry every row as SQL text, and an
    // Annotate_rows event would write that text into the binlog beside the
    // row events (half again as many binlog bytes), for the
    // binlog dump threads to send to every replica and DRC link and to
    // lockstep's own stream. Best effort: the rows are logged either way.
    if (Status off = session->Execute("SET SESSION binlog_annotate_row_events = OFF"); !off.ok()) {
      DcLogger(options.dc.name)->warn("the applier's statements stay annotated in the binlog: {}",
                                      off.ToString());
    }
    // An upsert's before image needs only the key: the shadow's row events
    // go to this DC's replicas only (the DRC links drop '_' tables), which
    // find the row by it: less server CPU per applied row (docs/benchmarks.md,
    // "minimal images") and fewer bytes for every binlog reader. Needs BINLOG
    // ADMIN; without it the images stay full.
    if (Status minimal = session->Execute("SET SESSION binlog_row_image = MINIMAL"); !minimal.ok()) {
      DcLogger(options.dc.name)->debug("the applier's row images stay full: {}", minimal.ToString());
    }
  }
  // Every applier session connected with the same global value.
  LOCKSTEP_ASSIGN_OR_RETURN(auto packet, shadow_sessions.front()->QueryValue(sql::MaxAllowedPacket()));
  const uint64_t max_allowed_packet = std::stoull(packet.value_or("16777216"));
  auto start = binlog::GtidPosition::Parse(options.start_position);
  if (!start.ok()) return start.status();
  binlog::BinlogStreamOptions stream_options;
  stream_options.server_id = options.replica_server_id;
  stream_options.start_position = options.start_position;
  stream_options.filter = {target.schema, target.table};
  stream_options.heartbeat_period_ms = options.heartbeat_ms;
  std::unique_ptr<ApplierLoop> loop(new ApplierLoop(std::move(shadow_sessions), std::move(target),
                                                    std::move(mapping), options,
                                                    max_allowed_packet));
  if (options.burst_interval_ms > 0) {
    stream_options.between_bursts = [raw = loop.get()] { return raw->BetweenBursts(); };
  }
  // A reconnect's backoff ends when the loop stops: Stop() does not wait out
  // the attempts against a DC that is down.
  stream_options.sleep_ms = [raw = loop.get()](int64_t ms) {
    std::unique_lock lock(raw->mu_);
    raw->queue_cv_.wait_for(lock, std::chrono::milliseconds(ms),
                            [raw] { return raw->stop_requested_.load(); });
  };
  stream_options.stopping = [raw = loop.get()] { return raw->stop_requested_.load(); };
  LOCKSTEP_ASSIGN_OR_RETURN(
      loop->stream_, binlog::BinlogStream::Open(options.dc, options.password, stream_options));
  loop->applied_ = *start;
  loop->read_ = *start;
  loop->handed_ = *start;
  loop->frontier_known_ = !options.hold_until_frontier;
  loop->apply_ = std::thread([raw = loop.get()] { raw->Apply(); });
  loop->reader_ = std::thread([raw = loop.get()] { raw->Read(); });
  return loop;
}

ApplierLoop::ApplierLoop(std::vector<std::unique_ptr<Connection>> sessions, ApplierTarget target,
                         RowImageMapping mapping, const ApplierLoopOptions& options,
                         uint64_t max_allowed_packet)
    : sessions_(std::move(sessions)),
      dc_name_(sessions_.front()->dc_name()),
      netter_(target, mapping),
      applier_(Raw(sessions_), std::move(target), std::move(mapping), max_allowed_packet),
      net_window_(std::max<int64_t>(options.net_window_ms, 0)),
      max_batch_rows_(std::max<size_t>(options.max_batch_rows, 1)),
      max_batch_bytes_(std::max<size_t>(options.max_batch_bytes, 1)),
      read_coalesce_ms_(options.burst_interval_ms > 0 ? 0 : options.read_coalesce_ms),
      burst_interval_(std::max<int64_t>(options.burst_interval_ms, 0)) {}

ApplierLoop::~ApplierLoop() { Stop(); }

void ApplierLoop::Stop() {
  stop_requested_ = true;
  // Under the mutex, so that a thread between its check of the flag and its
  // wait cannot miss the notification.
  { std::lock_guard lock(mu_); }
  queue_cv_.notify_all();
  if (reader_.joinable()) reader_.join();
  if (apply_.joinable()) apply_.join();
}

void ApplierLoop::SetCopyFrontier(std::optional<CopyFrontier> frontier) {
  {
    std::lock_guard lock(mu_);
    frontier_ = frontier;
    frontier_known_ = true;
  }
  queue_cv_.notify_all();  // a reader holding its batch for the frontier
}

void ApplierLoop::Fail(Status failure) {
  {
    std::lock_guard lock(mu_);
    if (error_.ok()) {
      error_ = failure;
      DcLogger(dc_name_)->error("applier stopped: {}", failure.ToString());
    }
    // Under the mutex, so that a reader between bursts cannot miss it.
    stop_requested_ = true;
  }
  queue_cv_.notify_all();
}

bool ApplierLoop::Enqueue(Work work) {
  std::unique_lock lock(mu_);
  // Stopped while holding for a frontier that will not come (the copy never
  // started): the batch is dropped, and a resume reads it again.
  auto abandoned = [&] { return stop_requested_ && !frontier_known_; };
  queue_cv_.wait(lock, [&] {
    return (queue_.empty() && !applying_ && frontier_known_) || !error_.ok() || stopped_ ||
           abandoned();
  });
  if (!error_.ok() || stopped_ || abandoned()) return false;
  handed_ = work.position_after;
  queue_.push_back(std::move(work));
  queue_cv_.notify_all();
  return true;
}

void ApplierLoop::Read() {
  using Clock = std::chrono::steady_clock;
  binlog::TransactionReader reader(stream_.get());
  // The open batch: what the reader has netted since its last hand-over, and
  // the position up to which it is complete (nullopt: nothing read since).
  NetBatch net;
  std::optional<binlog::GtidPosition> pending;
  Clock::time_point opened;
  auto hand_over = [&](bool caught_up) {
    Work work{std::move(net.rows), std::move(*pending), caught_up, Clock::now()};
    net = NetBatch{};
    pending.reset();
    return Enqueue(std::move(work));
  };
  auto last_drain_check = Clock::now();
  while (!stop_requested_) {
    if (read_coalesce_ms_ > 0) CoalesceReads(last_drain_check);
    auto next = reader.Next();
    if (!next.ok()) {
      // The open batch is not applied: a resume reads it again. A stream
      // given up because the loop stops is no failure.
      if (!stop_requested_) Fail(next.status());
      break;
    }
    // A transaction, or a heartbeat: caught up for now, and the applied
    // position may move to the stream's (transactions of other tables count).
    binlog::GtidPosition position =
        next->has_value() ? (**next).position_after : stream_->position();
    std::optional<CopyFrontier> frontier;
    bool flush = false, apply_idle = false;
    {
      std::lock_guard lock(mu_);
      frontier = frontier_;  // read after the transaction was (CopyFrontier)
      flush = ReachesFlushTarget(position) || deferring_;
      apply_idle = queue_.empty() && !applying_ && frontier_known_;
      read_ = position;
    }
    if (next->has_value()) {
      ++transactions_seen_;
      if (Status added = netter_.Add(**next, frontier, net); !added.ok()) {
        Fail(added);
        break;
      }
      row_events_ = netter_.events_seen();
      rows_left_to_copy_ = netter_.rows_left_to_copy();
    }
    const auto now = Clock::now();
    if (!pending) opened = now;
    pending = std::move(position);
    // A full batch waits for the apply thread to be idle; a due one is
    // handed over only to an idle apply thread, and nets on meanwhile. A heartbeat makes the batch due: the stream was quiet for a
    // heartbeat period, so there is little left to net with, and holding the
    // batch would only delay the applied position (a checkpoint, the end of
    // a backlog). Under a load worth netting the server sends none.
    const bool due = apply_idle && (!next->has_value() || now - opened >= net_window_);
    const bool full = net.rows.size() >= max_batch_rows_ || net.bytes >= max_batch_bytes_;
    if (flush || due || full) {
      if (!hand_over(!next->has_value())) break;
    }
  }
  if (pending && !net.rows.empty()) hand_over(false);
  std::lock_guard lock(mu_);
  reader_done_ = true;
  queue_cv_.notify_all();
}

void ApplierLoop::CoalesceReads(std::chrono::steady_clock::time_point& last_check) {
  // One ioctl a millisecond at most: checking before every event would cost
  // a system call per event, the very thing this saves.
  const auto now = std::chrono::steady_clock::now();
  if (now - last_check < std::chrono::milliseconds(1)) return;
  last_check = now;
  if (!stream_->socket_drained()) return;
  std::unique_lock lock(mu_);
  queue_cv_.wait_for(lock, std::chrono::milliseconds(read_coalesce_ms_),
                     [&] { return stop_requested_ || !flush_targets_.empty(); });
  last_check = std::chrono::steady_clock::now();
}

namespace {

// The primary keys of up to ten rows of a batch, for the DBA.
std::string SomeKeys(const NetChanges& net) {
  std::string out;
  size_t n = 0;
  for (const auto& [key, row] : net) {
    if (n++ == 10) return out + ", ...";
    std::string tuple;
    for (const auto& literal : key) tuple += (tuple.empty() ? "" : ", ") + literal;
    out += (out.empty() ? "(" : ", (") + tuple + ")";
  }
  return out;
}

}  // namespace

void ApplierLoop::Apply() {
  // A batch that hits a duplicate of _t_new's new unique key may only be
  // older than a row the copy wrote (a value moved between rows): it is
  // kept, the reader hands over every transaction from then on, and it is
  // applied again under each, the newer states winning. The duplicate is one
  // of the data only when a batch the reader handed over caught up (at a
  // heartbeat) after the first collision still collides: every change logged
  // before the copy wrote its row is in it then.
  constexpr auto kLongestDeferral = std::chrono::minutes(5);
  std::optional<Work> deferred;
  std::chrono::steady_clock::time_point deferred_since;
  while (true) {
    Work work;
    {
      std::unique_lock lock(mu_);
      auto ready = [&] { return !queue_.empty() || reader_done_ || !error_.ok(); };
      if (deferred) {
        queue_cv_.wait_for(lock, std::chrono::seconds(1), ready);
      } else {
        queue_cv_.wait(lock, ready);
      }
      if (!error_.ok()) break;
      // Stopping: a deferred batch stays unapplied, its position unrecorded.
      if (queue_.empty() && (!deferred || reader_done_)) break;
      if (queue_.empty()) {
        if (std::chrono::steady_clock::now() - deferred_since < kLongestDeferral) continue;
        lock.unlock();
        Fail(Status::FailedPrecondition(
            "a batch colliding on the new unique key was not resolved by " +
            std::to_string(kLongestDeferral.count()) + " minutes of later changes (rows with "
            "primary key " + SomeKeys(deferred->net) + ")"));
        break;
      }
      work = std::move(queue_.front());
      queue_.pop_front();
      applying_ = true;
      queue_cv_.notify_all();  // room for the reader
    }
    const bool after_first_collision = deferred && work.handed_at > deferred_since;
    if (deferred) {
      // The newer batch's states win; the position is the newer batch's.
      for (auto& [key, row] : work.net) deferred->net.insert_or_assign(key, std::move(row));
      work.net = std::move(deferred->net);
      deferred.reset();
    }
    if (!work.net.empty()) {
      // The reader left out what was the copy's when it read each
      // transaction; the frontier now also covers images netted before the
      // copy claimed their keys. Read after the whole batch was read.
      std::optional<CopyFrontier> frontier;
      {
        std::lock_guard lock(mu_);
        frontier = frontier_;
      }
      netted_left_to_copy_ += std::erase_if(
          work.net, [&](const auto& entry) { return LeftToCopy(entry.first, frontier); });
      std::optional<NetChanges> kept;
      if (applier_.may_collide()) kept = work.net;
      Status applied = applier_.Apply(std::move(work.net));
      if (!applied.ok() && applied.server_errno() == 1062 && kept &&
          !(after_first_collision && work.caught_up)) {
        if (!after_first_collision) deferred_since = std::chrono::steady_clock::now();
        deferred = Work{std::move(*kept), std::move(work.position_after), false, {}};
        std::lock_guard lock(mu_);
        deferring_ = true;
        applying_ = false;
        queue_cv_.notify_all();
        continue;
      }
      if (!applied.ok()) {
        if (applied.server_errno() == 1062 && kept) {
          applied = applied.WithContext(
              "the duplicate outlived every change the binlog held, so it is one of the data: the "
              "new unique key does not hold; lockstep stops rather than drop rows (rows with "
              "primary key " + SomeKeys(*kept) + ")");
        }
        Fail(applied);
        break;
      }
      rows_applied_ = applier_.rows_applied();
      batches_split_ = applier_.batches_split();
    }
    {
      std::lock_guard lock(mu_);
      applied_ = std::move(work.position_after);
      applying_ = false;
      deferring_ = false;
    }
    applied_cv_.notify_all();
    queue_cv_.notify_all();  // the reader may hand over its batch
  }
  std::lock_guard lock(mu_);
  stopped_ = true;
  queue_cv_.notify_all();
  applied_cv_.notify_all();
}

bool ApplierLoop::Covers(const binlog::GtidPosition& target) const {
  return applied_.Covers(target);
}

bool ApplierLoop::BetweenBursts() {
  std::unique_lock lock(mu_);
  // A waiter's position the reader has read but holds in its open batch:
  // back to the reader, which hands the batch over, without a burst.
  auto held_target = [&] {
    return std::any_of(flush_targets_.begin(), flush_targets_.end(), [&](const auto& target) {
      return read_.Covers(target) && !handed_.Covers(target);
    });
  };
  // One it has not read: the next burst at once.
  auto unread_target = [&] {
    return std::any_of(flush_targets_.begin(), flush_targets_.end(),
                       [&](const auto& target) { return !read_.Covers(target); });
  };
  if (stop_requested_ || held_target()) return false;
  if (unread_target()) {
    // The last burst ended short of it: the server has logged it but not
    // yet let a dump read it. Retried with backoff, not in a loop of
    // connections.
    unread_retry_ms_ = std::min<int64_t>(std::max<int64_t>(2 * unread_retry_ms_, 1), 64);
    queue_cv_.wait_for(lock, std::chrono::milliseconds(unread_retry_ms_),
                       [&] { return stop_requested_.load(); });
    return !stop_requested_;
  }
  unread_retry_ms_ = 0;
  between_bursts_ = true;
  queue_cv_.wait_for(lock, burst_interval_,
                     [&] { return stop_requested_ || unread_target() || held_target(); });
  between_bursts_ = false;
  return !stop_requested_ && !held_target();
}

bool ApplierLoop::ReachesFlushTarget(const binlog::GtidPosition& position) const {
  for (const auto& target : flush_targets_) {
    if (position.Covers(target)) return true;
  }
  return false;
}

Status ApplierLoop::WaitApplied(const std::string& gtid_list, int64_t timeout_ms) {
  LOCKSTEP_ASSIGN_OR_RETURN(binlog::GtidPosition target, binlog::GtidPosition::Parse(gtid_list));
  std::unique_lock lock(mu_);
  flush_targets_.push_back(target);
  queue_cv_.notify_all();  // ends a coalescing wait of the reader (CoalesceReads)
  const bool done = applied_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    return stopped_ || Covers(target);
  });
  flush_targets_.erase(std::find(flush_targets_.begin(), flush_targets_.end(), target));
  if (!error_.ok()) return error_;
  if (Covers(target)) return Status::Ok();
  if (stopped_) return Status::Internal("the applier stopped before applying " + gtid_list);
  (void)done;
  return Status::Timeout("the applier did not apply up to " + gtid_list + " within " +
                         std::to_string(timeout_ms) + " ms (at " + applied_.ToString() + ")");
}

std::string ApplierLoop::read_position() const {
  std::lock_guard lock(mu_);
  return read_.ToString();
}

std::string ApplierLoop::applied_position() const {
  std::lock_guard lock(mu_);
  return applied_.ToString();
}

Status ApplierLoop::status() const {
  std::lock_guard lock(mu_);
  return error_;
}

}  // namespace lockstep
