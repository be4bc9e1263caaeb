// The change a command is about: --table, --alter or --file, parsed into a
// PlanRequest. Shared by plan and run.
#pragma once

#include <boost/program_options.hpp>

#include "cli/command.h"
#include "planner/plan/planner.h"
#include "planner/report/plan_report.h"

namespace lockstep::cli {

void AddChangeOptions(boost::program_options::options_description& desc);

// Fills request (and source, for a --file) from the parsed options. Returns
// kExitOk, or kExitUsage after writing one clear message to io.err.
int BuildChangeRequest(const boost::program_options::variables_map& vars, const char* command,
                       CommandIo io, PlanRequest& request, PlanSource& source);

}  // namespace lockstep::cli
