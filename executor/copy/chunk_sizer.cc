#include "executor/copy/chunk_sizer.h"

#include <algorithm>

namespace lockstep::executor {

ChunkSizer::ChunkSizer(ChunkSizerConfig config) : config_(config) {
  config_.min_rows = std::max<int64_t>(config_.min_rows, 1);
  config_.max_rows = std::max(config_.max_rows, config_.min_rows);
  config_.target_ms = std::max<int64_t>(config_.target_ms, 1);
  rows_ = std::clamp(config_.initial_rows, config_.min_rows, config_.max_rows);
}

void ChunkSizer::Record(int64_t rows, int64_t elapsed_ms) {
  // A short last chunk says little about the rate unless it was slow.
  if (rows <= 0 || (rows < rows_ / 4 && elapsed_ms < config_.target_ms)) return;
  elapsed_ms = std::max<int64_t>(elapsed_ms, 1);
  const double ideal = static_cast<double>(rows) * static_cast<double>(config_.target_ms) /
                       static_cast<double>(elapsed_ms);
  const int64_t next = std::min<int64_t>(static_cast<int64_t>(ideal), rows_ * 2);
  rows_ = std::clamp(next, config_.min_rows, config_.max_rows);
}

}  // namespace lockstep::executor
