// ChunkSizer: how many rows the next chunk copies, so that a chunk takes
// about the time target. Each chunk's measured rate sets the next size;
// growth is at most 2x a chunk (one fast chunk on a cached page proves
// little), shrinking is immediate (a slow chunk holds locks longer), and the
// size stays within bounds.
#pragma once

#include <cstdint>

namespace lockstep::executor {

struct ChunkSizerConfig {
  int64_t target_ms = 500;
  int64_t initial_rows = 1000;
  int64_t min_rows = 100;
  int64_t max_rows = 100000;
};

class ChunkSizer {
 public:
  explicit ChunkSizer(ChunkSizerConfig config);

  int64_t rows() const { return rows_; }
  int64_t target_ms() const { return config_.target_ms; }
  // A new time target from the next Record() on (the copy caps it while the
  // application writes, see RowCopier).
  void set_target_ms(int64_t target_ms) { config_.target_ms = target_ms; }
  // A chunk of `rows` rows took `elapsed_ms`.
  void Record(int64_t rows, int64_t elapsed_ms);

 private:
  ChunkSizerConfig config_;
  int64_t rows_;
};

}  // namespace lockstep::executor
