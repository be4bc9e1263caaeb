// ChunkChecksum: verifies `_t_new` against `t` in one DC, chunk by chunk over
// t's primary key: COUNT(*) and BIT_XOR(CRC32(...)) of the copied columns on
// both sides (ChecksumColumns says how each is read).
//
// The applier keeps writing while this runs, so a chunk may differ for a
// moment. A differing chunk is re-checked after ApplierCatchUp; still
// different (its rows change faster than the applier catches up), it is
// checked piece by piece, each piece after a catch-up of its own, and a piece
// still different is compared with its rows in t locked; different even
// then, it is re-copied (RangeCopier::Recopy) and checked again. Every
// chunk's result goes to the ChecksumObserver for the record; the verdict
// passes only when every chunk ends up equal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "db/connection.h"
#include "executor/common/sleeper.h"
#include "executor/copy/chunk_sizer.h"
#include "executor/copy/range_copier.h"
#include "executor/copy/throttle_gate.h"
#include "executor/copy/applier_catch_up.h"
#include "executor/copy/throttler.h"
#include "executor/shadow/shadow_table.h"
#include "executor/verify/checksum_columns.h"

namespace lockstep::executor {

struct ChecksumChunkResult {
  enum class Outcome { kMatch, kMatchAfterCatchUp, kMatchAfterRecopy, kMismatch };
  std::optional<std::string> lower;  // encoded key (watermark.h); nullopt: from the first row
  std::string upper;                 // encoded key; the chunk is (lower, upper]
  Outcome outcome = Outcome::kMatch;
  int64_t source_rows = 0;  // of the last comparison
  int64_t target_rows = 0;
  int64_t source_crc = 0;
  int64_t target_crc = 0;
  int64_t comparisons = 0;
  int64_t recopied_rows = 0;  // rows the re-copy inserted
  // Pieces (ChunkChecksumConfig::locked_piece_rows) of a chunk still
  // different after a catch-up that were compared with their rows locked.
  int64_t pieces_locked = 0;
  // How long the first comparison took: what sizes the next chunk. Waiting
  // for the applier is not the chunk's cost, and counting it shrank the
  // chunks under load until there were many more of them to wait for.
  int64_t first_compare_ms = 0;
};
const char* ChecksumOutcomeName(ChecksumChunkResult::Outcome outcome);

class ChecksumObserver {
 public:
  virtual ~ChecksumObserver() = default;
  [[nodiscard]] virtual Status ChunkChecked(const ChecksumChunkResult& result) = 0;
};

struct ChecksumVerdict {
  bool passed = false;
  std::optional<std::string> stopped;  // the throttler's reason; then passed is false
  int64_t chunks = 0;
  int64_t rows = 0;                    // rows of t checked
  int64_t matched_after_catch_up = 0;
  int64_t recopied = 0;                // chunks that matched after a re-copy
  std::vector<ChecksumChunkResult> mismatches;
  std::optional<std::string> checked_upto;  // encoded key: the last checked chunk's upper end

  // Adds a later run's counts (the same table, the next ranges).
  void Add(const ChecksumVerdict& later);
};

struct ChunkChecksumConfig {
  ChunkSizerConfig chunk;
  ThrottleGateConfig throttle;
  RangeCopierConfig range;
  // Comparisons after the re-copy (each after a catch-up) before a chunk is
  // declared different: a hot row can change between catch-up and compare.
  int rechecks_after_recopy = 2;
  // A chunk still different after a catch-up is compared again in pieces of
  // this many rows, each after a catch-up, and only a piece still different
  // is compared with its rows locked: writers of the rest never wait for it
  // (whole locked chunks cost the application seconds of row-lock waits and
  // deadlocks: docs/benchmarks.md, "the checksum's locks").
  int64_t locked_piece_rows = 2048;
  unsigned innodb_lock_wait_timeout_s = 5;
};

class ChunkChecksum {
 public:
  // References must outlive the object; `conn` is its own session.
  ChunkChecksum(Connection& conn, const ShadowTableInfo& info, ApplierCatchUp& applier,
                Throttler& throttler, ChecksumObserver& observer, const Clock& clock,
                Sleeper& sleeper, ChunkChecksumConfig config = {});

  // Checks every chunk after `resume_after` (an encoded key) up to t's
  // largest key at the time of the call.
  [[nodiscard]] Result<ChecksumVerdict> Run(const std::optional<std::string>& resume_after = std::nullopt);
  // Checks every chunk after `after` up to and including `upper` (encoded
  // keys), e.g. the part of t a running copy has finished. May be called
  // again with the next range; chunk sizing carries over.
  [[nodiscard]] Result<ChecksumVerdict> RunUpTo(const std::optional<std::string>& after,
                                                const std::string& upper);

 private:
  Status Prepare();
  // Checks the chunks of (after, upper], adding to `verdict`.
  // After the range up to t's largest key at the start: the rows of either
  // table above it.
  Status CheckTail(const sql::KeyTuple& upper, ChecksumVerdict& verdict);
  Status CheckRange(std::optional<sql::KeyTuple> after, const sql::KeyTuple& upper,
                    ChecksumVerdict& verdict);
  struct Sums {
    int64_t rows = 0;
    int64_t crc = 0;
    bool operator==(const Sums&) const = default;
  };
  Result<Sums> Checksum(const sql::RangeTable& table, const std::vector<sql::ChecksumValue>& values,
                        const sql::KeyRange& range);
  // Compares t and _t_new over `range`; the sums go to `result`.
  Result<bool> Compare(const sql::KeyRange& range, ChecksumChunkResult* result);
  // Compares with the range's rows in t share-locked, after a catch-up.
  Result<bool> CompareLocked(const sql::KeyRange& range, ChecksumChunkResult* result);
  // Compares, catches up, re-copies as needed; fills `result`.
  Status CheckChunk(const sql::KeyRange& range, ChecksumChunkResult* result);
  // A range still different after a catch-up: compared locked, then
  // re-copied and compared locked again.
  Result<ChecksumChunkResult::Outcome> SettleUnderWrites(const sql::KeyRange& range,
                                                         ChecksumChunkResult* result);
  // The same, piece by piece (locked_piece_rows): only pieces that differ
  // are locked. Counts go to `result`; the worst piece's outcome is returned.
  Result<ChecksumChunkResult::Outcome> SettleInPieces(const sql::KeyRange& range,
                                                      ChecksumChunkResult* result);

  Connection& conn_;
  const ShadowTableInfo& info_;
  ApplierCatchUp& applier_;
  Throttler& throttler_;
  ChecksumObserver& observer_;
  const Clock& clock_;
  Sleeper& sleeper_;
  const ChunkChecksumConfig config_;
  const ChecksumColumns columns_;
  // Set by Prepare(), the first time a run starts.
  CopyLayout layout_;
  std::optional<ChunkSizer> sizer_;
  std::optional<RangeCopier> copier_;
  std::optional<ThrottleGate> gate_;
};

}  // namespace lockstep::executor
