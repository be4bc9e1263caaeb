#include "planner/lint/finding_sink.h"

namespace lockstep::lint {

void FindingSink::Report(Severity severity, const sql::SourcePos& at, std::string message,
                         std::string suggestion) {
  out_->push_back({rule_id_, severity, file_, at.line, at.column, std::move(message),
                   std::move(suggestion)});
}

std::string Quoted(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

}  // namespace lockstep::lint
