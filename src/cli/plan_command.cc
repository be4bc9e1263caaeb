// lockstep plan: read-only; decides how a change would run in every DC.
#include <cctype>
#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/change_request.h"
#include "cli/commands.h"
#include "common/logging.h"
#include "planner/plan/planner.h"
#include "planner/report/plan_report.h"
#include "planner/sql/statement_parser.h"

namespace po = boost::program_options;

namespace lockstep::cli {
namespace {

constexpr const char* kUsage =
    "Usage: lockstep plan --table DB.TABLE --alter \"CLAUSES\" [--config FILE] [--format F]\n"
    "       lockstep plan --file MIGRATION.sql [--table DB.TABLE] ...\n\n"
    "Reads every DC of the topology (read-only) and decides how the change would run:\n"
    "its skew class (A: row events cross a schema skew safely; B: they do not), the\n"
    "strategy (instant, inplace or copy), the cut-over mode (window, fenced or refused),\n"
    "and the space, lock and lag budgets of the table's zone in every DC. The change's\n"
    "exact effect is learned by applying it to a temporary copy of the table in one DC\n"
    "(not binlogged, gone with the session). --alter takes the clauses\n"
    "(\"ADD COLUMN c INT\") or a whole ALTER TABLE statement; --file a file holding one.\n"
    "Exit 0 when the plan is ok, 1 when blocked, 2 for usage, config or SQL errors.\n\n"
    "Options";

}  // namespace

int RunPlan(const std::vector<std::string>& args, CommandIo io) {
  po::options_description desc(kUsage);
  AddCommonOptions(desc, {"text", "json", "github", "sarif"});
  AddChangeOptions(desc);
  ParsedArgs parsed;
  if (!ParseCommandArgs(args, desc, nullptr, io, "plan", parsed)) return kExitUsage;
  if (parsed.help) {
    io.out << desc << "\n";
    return kExitOk;
  }
  const auto& vars = parsed.vars;
  PlanRequest request;
  PlanSource source;
  if (int code = BuildChangeRequest(vars, "plan", io, request, source); code != kExitOk) return code;

  Topology topology;
  if (!LoadCommandTopology(vars, "plan", io, topology)) return kExitUsage;
  InitLogging("warn");
  MariaDbConnectionFactory factory;
  auto plan = MakePlan(topology, factory, request);
  if (!plan.ok()) {
    io.err << "lockstep plan: " << plan.status().ToString() << "\n";
    return kExitRuntime;
  }
  const std::string format = Format(vars);
  if (format == "json") WritePlanJson(*plan, io.out);
  else if (format == "github") WritePlanGithub(*plan, source, io.out);
  else if (format == "sarif") WritePlanSarif(*plan, source, io.out);
  else WritePlanText(*plan, io.out);
  return plan->ok() ? kExitOk : kExitNo;
}

}  // namespace lockstep::cli
