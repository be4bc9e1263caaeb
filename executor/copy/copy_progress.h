// CopyProgress: where a row copy stands, handed to the CopyObserver after
// every chunk so the caller can persist a checkpoint and show progress.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "db/copy_sql.h"

namespace lockstep::executor {

struct CopyProgress {
  int64_t rows_copied = 0;          // inserted by this run (rows already present are not counted)
  int64_t rows_total_estimate = 0;  // t's row estimate, raised when the copy passes it
  double rows_per_second = 0;       // this run's average, throttled time excluded
  int64_t chunks = 0;               // chunks done by this run
  int64_t chunk_rows = 0;           // the size the next chunk will ask for
  int64_t throttled_ms = 0;
  // Encoded keys (watermark.h) of the last chunk: it covered (lower, watermark].
  std::optional<std::string> chunk_lower;  // nullopt: from the first row
  std::optional<std::string> watermark;    // the last copied key; persist it to resume
  int64_t last_chunk_rows = 0;
  int64_t last_chunk_ms = 0;
  bool done = false;
};

// Called after each chunk has committed. The caller persists the checkpoint
// here (binlog position read BEFORE this watermark: replaying too much is
// safe, skipping is not). An error stops the copy: the caller could not record
// its progress, so it must not run ahead of its record.
class CopyObserver {
 public:
  virtual ~CopyObserver() = default;
  // Before a chunk reads its rows: it copies up to `chunk_end`, and the copy
  // as a whole up to `upper` (t's largest key when it started). Keys in
  // (chunk_end, upper] are read later, at their current state.
  // Once the copy knows its range, before any chunk: it copies the keys
  // after `after` (nullopt: from the smallest) up to `upper` (nullopt: t is
  // empty, and nothing is copied).
  virtual void CopyStarting(const std::optional<sql::KeyTuple>& after,
                            const std::optional<sql::KeyTuple>& upper) {
    (void)after;
    (void)upper;
  }
  virtual void ChunkStarting(const sql::KeyTuple& chunk_end, const sql::KeyTuple& upper) {
    (void)chunk_end;
    (void)upper;
  }
  [[nodiscard]] virtual Status ChunkCopied(const CopyProgress& progress) = 0;
};

}  // namespace lockstep::executor
