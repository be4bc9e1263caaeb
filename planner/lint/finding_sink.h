// Where a lint rule puts its findings. The linter points it at the running rule
// before each call, so a rule cannot report under another rule's id, and every
// finding carries the file being linted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "planner/report/diagnostic.h"
#include "planner/sql/source_pos.h"

namespace lockstep::lint {

using report::Severity;

class FindingSink {
 public:
  FindingSink(std::string file, std::vector<report::Diagnostic>* out)
      : file_(std::move(file)), out_(out) {}

  void SetRule(std::string_view rule_id) { rule_id_ = std::string(rule_id); }

  void Report(Severity severity, const sql::SourcePos& at, std::string message,
              std::string suggestion = "");

 private:
  std::string file_;
  std::string rule_id_;
  std::vector<report::Diagnostic>* out_;
};

// `name`, with backticks doubled: how messages name tables, columns and indexes.
std::string Quoted(std::string_view name);

}  // namespace lockstep::lint
