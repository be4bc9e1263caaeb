// Writes a Plan for people (text) and for machines (json, github, sarif).
// The JSON keys are a documented contract: docs/plan-json.md.
#pragma once

#include <ostream>
#include <string>

#include "planner/plan/plan.h"

namespace lockstep {

void WritePlanText(const Plan& plan, std::ostream& out);
void WritePlanJson(const Plan& plan, std::ostream& out);

// Where a plan's findings point in CI annotations: the migration file and the
// statement's position, or nothing when the ALTER came from the command line.
struct PlanSource {
  std::string file;
  int line = 1;
  int column = 1;
};

// GitHub workflow commands: one ::error / ::warning line per failed or
// warning check, plus one for a refusal.
void WritePlanGithub(const Plan& plan, const PlanSource& source, std::ostream& out);
// SARIF 2.1.0 with one result per failed or warning check.
void WritePlanSarif(const Plan& plan, const PlanSource& source, std::ostream& out);

}  // namespace lockstep
