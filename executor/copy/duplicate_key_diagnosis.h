// What a duplicate-key error (1062) during the copy means, and what to do.
//
// A strict copy (see CopySafety) stops at the first row `_t_new` refuses.
// That is one of three things:
//  - the row is already there (key the rows are matched by): an earlier run
//    of the chunk or the applier put it there; copy the rest of the chunk;
//  - t really holds rows that break a unique key the change adds: the
//    migration must stop, and the report names the values (never drop rows);
//  - t holds no such duplicates: `_t_new` has a stale row the applier has
//    not yet updated (a value moved from one row to another); retry later.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "db/connection.h"
#include "executor/copy/copy_layout.h"
#include "executor/shadow/shadow_table.h"

namespace lockstep::executor {

struct DuplicateKeyDiagnosis {
  enum class Kind { kAlreadyCopied, kSourceDuplicates, kTransient };
  Kind kind = Kind::kTransient;
  std::string key;  // the shadow table's key named by the error
  Status report;    // kSourceDuplicates: FailedPrecondition naming the values
};

// The key names a "Duplicate entry '...' for key 'name'" message may mean,
// in order. More than one when the duplicate value itself reads like
// "for key '..."; the caller takes the first that names a unique key.
std::vector<std::string> DuplicateKeyCandidates(std::string_view message);

bool IsDuplicateKeyError(const Status& status);

// Looks in t for the duplicates (up to 10 groups). Returns `error` itself
// when it cannot tell (an unknown key, a key on an expression).
Result<DuplicateKeyDiagnosis> DiagnoseDuplicateKey(Connection& conn, const ShadowTableInfo& info,
                                                   const CopyLayout& layout, const Status& error);

}  // namespace lockstep::executor
