// ChunkChecksum: verifies `_t_new` against `t` in one DC, chunk by chunk over
// t's primary key: COUNT(*) and BIT_XOR(CRC32(...)) of the copied columns on
// both sides (ChecksumColumns says how each is read).
//
// The applier keeps writing while this runs, so a chunk may differ for a
// moment. A differing chunk is re-checked after ApplierCatchUp; still
// different, it is re-copied (RangeCopier::Recopy) and checked again. Every
// chunk's result goes to the ChecksumObserver for the record; the verdict
// passes only when every chunk ends up equal.
#pragma once

#include <cstdint>
#include <functional>
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
#include "executor/copy/throttler.h"
#include "executor/shadow/shadow_table.h"
#include "executor/verify/checksum_columns.h"

namespace lockstep::executor {

// Implemented by the change applier.
class ApplierCatchUp {
 public:
  virtual ~ApplierCatchUp() = default;
  // Returns once the applier has applied everything this DC's binlog held
  // when the call was made.
  [[nodiscard]] virtual Status WaitForApplierCaughtUp() = 0;
};

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
};

struct ChunkChecksumConfig {
  ChunkSizerConfig chunk;
  ThrottleGateConfig throttle;
  RangeCopierConfig range;
  // Comparisons after the re-copy (each after a catch-up) before a chunk is
  // declared different: a hot row can change between catch-up and compare.
  int rechecks_after_recopy = 2;
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

 private:
  struct Sums {
    int64_t rows = 0;
    int64_t crc = 0;
    bool operator==(const Sums&) const = default;
  };
  Result<Sums> Checksum(const sql::RangeTable& table, const std::vector<sql::ChecksumValue>& values,
                        const sql::KeyRange& range);
  // Compares with the range's rows in t share-locked, after a catch-up.
  Result<bool> CompareLocked(const sql::KeyRange& range, const std::function<Result<bool>()>& compare);
  // Compares, catches up, re-copies as needed; fills `result`.
  Status CheckChunk(RangeCopier& copier, const sql::KeyRange& range, ChecksumChunkResult* result);

  Connection& conn_;
  const ShadowTableInfo& info_;
  ApplierCatchUp& applier_;
  Throttler& throttler_;
  ChecksumObserver& observer_;
  const Clock& clock_;
  Sleeper& sleeper_;
  const ChunkChecksumConfig config_;
  const ChecksumColumns columns_;
  CopyLayout layout_;  // set by Run()
};

}  // namespace lockstep::executor
