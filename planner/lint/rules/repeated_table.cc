// LS003: every ALTER is its own migration: its own table copy, its own
// cut-over, its own fence. Two ALTERs of one table double all of that.
#include <map>

#include "planner/lint/rule_helpers.h"
#include "planner/lint/rules/rules.h"

namespace lockstep::lint {

void CheckRepeatedTable(const FileInput& input, FindingSink& sink) {
  std::map<std::string, int> first_line;  // qualified name -> line of its first ALTER
  for (const sql::ParsedStatement& s : input.statements) {
    if (!s.alter) continue;
    const std::string key = s.alter->QualifiedName();
    auto [it, inserted] = first_line.emplace(key, s.pos.line);
    if (inserted) continue;
    sink.Report(Severity::kWarning, s.pos,
                "another ALTER of " + TableName(*s.alter) + " in this file (the first is at line " +
                    std::to_string(it->second) + "): each is a separate table copy and cut-over",
                "combine them into one ALTER TABLE with comma-separated clauses");
  }
}

}  // namespace lockstep::lint
