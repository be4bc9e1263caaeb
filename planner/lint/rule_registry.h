// Every lint rule, in the order they run. Adding a rule: write its check in
// rules/<name>.cc, declare it in rules/rules.h, list it here, test it in
// tests/unit/lint_rules_*_test.cc, and add it to docs/lint.md.
#pragma once

#include <string_view>
#include <vector>

#include "planner/lint/lint_rule.h"
#include "planner/report/diagnostic.h"

namespace lockstep::lint {

const std::vector<LintRule>& AllRules();
const LintRule* FindRule(std::string_view id);
std::vector<report::RuleDescriptor> RuleDescriptors();

}  // namespace lockstep::lint
