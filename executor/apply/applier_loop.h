// The applier's threads: one streams this DC's binlog from a GTID position and
// nets the live table's changes into batches (ChangeNetter); the other applies
// each batch with a ChangeApplier and tracks how far it has applied, so that
// the copier can checkpoint and the cut-over can wait until everything logged
// before its lock is in the shadow table. Two threads, so that decoding the
// next batch overlaps the server applying this one (with one thread each
// waited for the other; measured draining a backlog: 6,500 transactions/s).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "config/topology.h"
#include "executor/apply/change_applier.h"
#include "executor/binlog/binlog_stream.h"

namespace lockstep {

struct ApplierLoopOptions {
  DcConfig dc;
  std::string password;             // never logged
  uint32_t replica_server_id = 0;   // must differ from every real server's id
  std::string start_position;       // GTID list read before the copy started
  // How long the reader nets changes into one batch before it hands the
  // batch to an idle apply thread. The longer, the more writes to a hot key
  // fold into one (sysbench's default distribution sends three quarters of
  // its writes to 1% of the keys; the window's cost to the application is
  // in docs/benchmarks.md, "netting as the reader reads"). A busy apply thread
  // lengthens the window by itself; max_batch_rows and a heartbeat (the
  // stream was quiet) end it, and a waiter (WaitApplied:
  // the cut-over's drain, a differing checksum chunk) ends it at once.
  int64_t net_window_ms = 8000;
  // Keys a batch nets at most, and bytes of decoded values: bound memory
  // (the batch being applied and the reader's), whatever the window. A
  // sysbench row takes about 600 bytes decoded, so the keys bind first;
  // rows of large TEXT or BLOB values fill a batch by bytes.
  size_t max_batch_rows = 32768;
  size_t max_batch_bytes = 64u << 20;
  // A stream quiet this long ends the netting window (without bursts; in
  // bursts, a burst that read no transaction does).
  int64_t heartbeat_ms = 100;
  // Once the reader has read everything the server sent, it waits up to this
  // long before reading on, so that one read takes what a busy server sent
  // meanwhile. Under load the server sends each commit group as it is
  // written, thousands a second, and reading each as it came woke the reader
  // for each: a poll and a recv, expensive on a VM (docs/benchmarks.md).
  // A waiter (WaitApplied: the cut-over's drain, a
  // differing checksum chunk) ends the wait at once, and a backlog never
  // starts one: the socket is not drained. 0: off.
  int64_t read_coalesce_ms = 20;
  // Read the binlog in bursts (BinlogStream): once the reader has read to
  // the end of the binlog, it closes the dump and opens the next this much
  // later. A dump that waits for new events is woken by every commit, which
  // the application pays for (docs/benchmarks.md, "the binlog read in bursts"). A waiter
  // (WaitApplied) ends the wait at once: the reader hands over the batch
  // that holds its position, or reads it in the next burst. A backlog is
  // read in one burst, as fast as a waiting dump. 0: one waiting dump
  // (read_coalesce_ms).
  int64_t burst_interval_ms = 1000;
  // A copy is about to start: apply nothing until SetCopyFrontier says which
  // keys it leaves to the copy. Applied before, a change to a key the copy
  // then claims stays in the shadow table: the copy never overwrites a row,
  // and the changes after it are left to the copy.
  bool hold_until_frontier = false;
};

class ApplierLoop {
 public:
  // Opens the stream and starts the threads. `shadow_sessions` (at least one)
  // are the applier's own; a large batch is split over all of them
  // (ChangeApplier).
  static Result<std::unique_ptr<ApplierLoop>> Start(
      ApplierLoopOptions options, std::vector<std::unique_ptr<Connection>> shadow_sessions,
      ApplierTarget target, RowImageMapping mapping);
  ~ApplierLoop();  // stops the thread
  ApplierLoop(const ApplierLoop&) = delete;
  ApplierLoop& operator=(const ApplierLoop&) = delete;

  // Blocks until every GTID of `gtid_list` (a @@gtid_binlog_pos read from this
  // DC) is applied to the shadow table, the loop fails, or the timeout passes.
  [[nodiscard]] Status WaitApplied(const std::string& gtid_list, int64_t timeout_ms);

  // The position up to which every change is in the shadow table: safe to
  // checkpoint (a resume replays from here; replaying is idempotent).
  std::string applied_position() const;
  // OK while running; the first error once the loop has stopped on one.
  Status status() const;
  uint64_t rows_applied() const { return rows_applied_.load(); }
  uint64_t transactions_seen() const { return transactions_seen_.load(); }
  // The position up to which the reader has read (and netted) the binlog:
  // ahead of applied_position() by up to a netting window and two batches.
  // A reader whose batches are full stops reading, so a slow apply falls
  // behind here too.
  std::string read_position() const;
  // Row events of the table read from the binlog (before netting per key).
  uint64_t row_events() const { return row_events_.load(); }

  void Stop();

  // From now on, changes to keys the copy has not read yet are left to it
  // (CopyFrontier); nullopt: apply every change (no copy running, or it is
  // done). Only ever moved forward by one copy. Ends hold_until_frontier.
  void SetCopyFrontier(std::optional<CopyFrontier> frontier);
  // Row images the reader left to the copy, and netted rows the apply thread
  // did (their keys claimed by the copy after they were read).
  uint64_t rows_left_to_copy() const { return rows_left_to_copy_.load() + netted_left_to_copy_.load(); }
  uint64_t batches_split() const { return batches_split_.load(); }
  // The reader has read to the end of the binlog and waits for its next
  // burst: nothing logged before that burst ended is left to read.
  bool between_bursts() const { return between_bursts_.load(); }

 private:
  // A batch read and not yet applied; once applied, everything up to
  // `position_after` is (a heartbeat's batch may be empty).
  struct Work {
    NetChanges net;
    binlog::GtidPosition position_after;
    // Handed over at a heartbeat: the reader had read everything the server
    // had logged by `handed_at`.
    bool caught_up = false;
    std::chrono::steady_clock::time_point handed_at;
  };

  ApplierLoop(std::vector<std::unique_ptr<Connection>> sessions, ApplierTarget target,
              RowImageMapping mapping, const ApplierLoopOptions& options,
              uint64_t max_allowed_packet);
  void Read();   // the reader thread
  // The reader's wait once the socket is drained (read_coalesce_ms).
  void CoalesceReads(std::chrono::steady_clock::time_point& last_check);
  void Apply();  // the apply thread
  // The stream's wait between two bursts: burst_interval_ms, or until a
  // waiter wants a position. True: read the next burst now; false: back to
  // the reader without reading (the loop is stopping, or the reader holds
  // the waiter's position in its open batch and hands it over).
  bool BetweenBursts();
  // Hands a batch to the apply thread once it is idle (so that at most two
  // batches are in memory); false once the loop is stopping.
  bool Enqueue(Work work);
  void Fail(Status failure);  // the first failure stops both threads
  bool Covers(const binlog::GtidPosition& target) const;  // REQUIRES: mu_ held
  // Whether a waiter is waiting for a position `position` reaches.
  bool ReachesFlushTarget(const binlog::GtidPosition& position) const;  // REQUIRES: mu_ held

  std::unique_ptr<binlog::BinlogStream> stream_;
  std::vector<std::unique_ptr<Connection>> sessions_;
  std::string dc_name_;
  ChangeNetter netter_;    // the reader thread's
  ChangeApplier applier_;  // the apply thread's
  std::chrono::milliseconds net_window_;
  size_t max_batch_rows_;
  size_t max_batch_bytes_;
  int64_t read_coalesce_ms_;
  std::chrono::milliseconds burst_interval_;
  int64_t unread_retry_ms_ = 0;  // the reader's: backoff for a waiter's unread position

  mutable std::mutex mu_;
  std::condition_variable applied_cv_;
  binlog::GtidPosition applied_;  // guarded by mu_
  binlog::GtidPosition read_;     // guarded by mu_
  binlog::GtidPosition handed_;   // guarded by mu_: the last batch handed to the apply thread
  Status error_;                  // guarded by mu_
  bool stopped_ = false;          // guarded by mu_
  // What WaitApplied() callers wait for: the batch is applied as soon as it
  // reaches it rather than when it is full (under steady load the stream is
  // never idle long enough for a heartbeat to flush it). Guarded by mu_.
  std::vector<binlog::GtidPosition> flush_targets_;
  std::optional<CopyFrontier> frontier_;  // guarded by mu_
  bool frontier_known_ = true;             // guarded by mu_: not while holding
  std::deque<Work> queue_;         // guarded by mu_: at most one batch
  bool applying_ = false;          // guarded by mu_: the apply thread has a batch
  // The apply thread holds a batch that collided on a new unique key: the
  // reader hands over every transaction and heartbeat until it is resolved.
  bool deferring_ = false;         // guarded by mu_
  bool reader_done_ = false;       // guarded by mu_: nothing more will be queued
  std::condition_variable queue_cv_;

  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> between_bursts_{false};
  std::atomic<uint64_t> rows_applied_{0};
  std::atomic<uint64_t> transactions_seen_{0};
  std::atomic<uint64_t> row_events_{0};
  std::atomic<uint64_t> rows_left_to_copy_{0};    // the reader's
  std::atomic<uint64_t> netted_left_to_copy_{0};  // the apply thread's
  std::atomic<uint64_t> batches_split_{0};
  std::thread reader_;
  std::thread apply_;
};

}  // namespace lockstep
