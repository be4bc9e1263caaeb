// Lints migration files: parse, then every rule in registry order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "planner/report/diagnostic.h"
#include "planner/sql/schema.h"

namespace lockstep::lint {

class Linter {
 public:
  // schema: table facts from --schema, or nullptr; it must outlive the Linter.
  explicit Linter(const sql::Schema* schema) : schema_(schema) {}

  // The findings for one file's text, sorted by position; path is only reported.
  std::vector<report::Diagnostic> LintText(const std::string& path, std::string_view text) const;

 private:
  const sql::Schema* schema_;
};

}  // namespace lockstep::lint
