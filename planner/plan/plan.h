// The Plan: what `lockstep plan` decides about one schema change, and what
// `lockstep run` later executes. Its JSON form is a documented contract
// (docs/plan-json.md): verdict, skew_class, cutover_mode, strategy, checks,
// estimates.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/change_kinds.h"
#include "config/topology.h"

namespace lockstep {

enum class CheckStatus { kPass, kWarn, kFail };

const char* CheckStatusName(CheckStatus s);  // "pass", "warn", "fail"

struct CheckResult {
  std::string name;  // stable id: "space", "link_lag", ...
  std::string dc;    // empty when the check is about the whole topology
  CheckStatus status = CheckStatus::kPass;
  std::string value;  // what was measured, with its unit
  std::string limit;  // what it was measured against
  std::string message;
};

struct Estimates {
  double copy_seconds = 0;   // per DC, in parallel; 0 for instant
  int64_t disk_bytes = 0;    // extra disk per DC: shadow table and binlog growth
  int64_t cutover_ms = 0;    // expected time writes are held at cut-over (slowest DC)
};

struct Plan {
  std::string schema;
  std::string table;
  std::string alter_sql;  // the clauses as given

  std::string zone;  // empty when the table belongs to no zone
  ZoneType zone_type = ZoneType::kSharding;
  std::string writer_dc;  // global zones

  SkewClass skew_class = SkewClass::kB;
  std::vector<std::string> skew_reasons;  // why B (or what made it A)
  Strategy strategy = Strategy::kCopy;
  std::string strategy_reason;
  CutoverMode cutover_mode = CutoverMode::kRefused;
  std::vector<std::string> fenced_dcs;  // fenced mode: whose application writes are held
  std::string refusal_reason;
  std::string suggestion;  // e.g. an expand/contract sequence

  std::string probe_dc;     // where the change was applied to a temporary copy
  std::string probe_error;  // why that failed (the server's words); empty when it worked
  std::string before_sql;   // SHOW CREATE TABLE before and after the change
  std::string after_sql;

  std::vector<CheckResult> checks;
  Estimates estimates;

  bool HasFailedCheck() const;
  // ok: no failed check and not refused; otherwise blocked.
  bool ok() const { return !HasFailedCheck() && cutover_mode != CutoverMode::kRefused; }
};

}  // namespace lockstep
