// lockstep plan: read-only; decides how a change would run in every DC.
#include <cctype>
#include <fstream>
#include <ostream>
#include <sstream>

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

bool StartsWithAlter(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::string word;
  while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) {
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i++])));
  }
  return word == "ALTER";
}

// "2:5: msg" -> "1:5: msg": bare clauses were parsed after a one-line prefix.
std::string ShiftLine(const std::string& message) {
  const size_t colon = message.find(':');
  if (colon == std::string::npos) return message;
  try {
    const int line = std::stoi(message.substr(0, colon));
    return std::to_string(line > 1 ? line - 1 : line) + message.substr(colon);
  } catch (const std::exception&) {
    return message;
  }
}

bool SplitTable(const std::string& qualified, std::string& schema, std::string& table) {
  const size_t dot = qualified.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == qualified.size()) return false;
  schema = qualified.substr(0, dot);
  table = qualified.substr(dot + 1);
  return true;
}

}  // namespace

int RunPlan(const std::vector<std::string>& args, CommandIo io) {
  po::options_description desc(kUsage);
  AddCommonOptions(desc, {"text", "json", "github", "sarif"});
  desc.add_options()
      ("table,t", po::value<std::string>(), "the table to change, as DB.TABLE")
      ("alter,a", po::value<std::string>(), "the change: ALTER TABLE clauses or a whole statement")
      ("file", po::value<std::string>(), "a migration file holding one ALTER TABLE statement");
  ParsedArgs parsed;
  if (!ParseCommandArgs(args, desc, nullptr, io, "plan", parsed)) return kExitUsage;
  if (parsed.help) {
    io.out << desc << "\n";
    return kExitOk;
  }
  const auto& vars = parsed.vars;
  if ((vars.count("alter") > 0) == (vars.count("file") > 0)) {
    io.err << "lockstep plan: give exactly one of --alter and --file\n";
    return kExitUsage;
  }
  std::string schema, table;
  if (vars.count("table") > 0 && !SplitTable(vars["table"].as<std::string>(), schema, table)) {
    io.err << "lockstep plan: --table must be DB.TABLE, got '" << vars["table"].as<std::string>()
           << "'\n";
    return kExitUsage;
  }

  PlanRequest request;
  PlanSource source;
  std::string text;
  if (vars.count("file") > 0) {
    source.file = vars["file"].as<std::string>();
    std::ifstream in(source.file);
    if (!in) {
      io.err << "lockstep plan: cannot read " << source.file << "\n";
      return kExitUsage;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    text = buf.str();
    auto statements = sql::ParseMigration(text);
    const sql::ParsedStatement* alter = nullptr;
    for (const auto& st : statements) {
      if (st.kind != sql::ParsedStatement::Kind::kAlterTable) {
        io.err << source.file << ":" << st.pos.line << ":" << st.pos.column << ": "
               << (st.message.empty() ? "not an ALTER TABLE statement" : st.message) << "\n";
        return kExitUsage;
      }
      if (alter != nullptr) {
        io.err << source.file << ":" << st.pos.line << ":" << st.pos.column
               << ": plan takes one ALTER TABLE statement per file; split the file\n";
        return kExitUsage;
      }
      alter = &st;
    }
    if (alter == nullptr) {
      io.err << "lockstep plan: " << source.file << " holds no ALTER TABLE statement\n";
      return kExitUsage;
    }
    request.alter = *alter->alter;
    request.alter_sql = alter->text;
    source.line = alter->pos.line;
    source.column = alter->pos.column;
  } else {
    text = vars["alter"].as<std::string>();
    const bool whole = StartsWithAlter(text);
    if (!whole && table.empty()) {
      io.err << "lockstep plan: --alter with bare clauses needs --table DB.TABLE\n";
      return kExitUsage;
    }
    const std::string statement =
        whole ? text : "ALTER TABLE `" + schema + "`.`" + table + "`\n" + text;
    auto alter = sql::ParseAlterTable(statement);
    if (!alter.ok()) {
      io.err << "lockstep plan: --alter: "
             << (whole ? alter.status().message() : ShiftLine(alter.status().message())) << "\n";
      return kExitUsage;
    }
    request.alter = std::move(*alter);
    request.alter_sql = text;
  }
  // The statement may name the table; it must agree with --table when both do.
  if (!request.alter.table.empty()) {
    const std::string named_schema = request.alter.schema.empty() ? schema : request.alter.schema;
    if (!table.empty() && (named_schema != schema || request.alter.table != table)) {
      io.err << "lockstep plan: the statement changes " << named_schema << "."
             << request.alter.table << " but --table says " << schema << "." << table << "\n";
      return kExitUsage;
    }
    schema = named_schema;
    table = request.alter.table;
  }
  if (schema.empty()) {
    io.err << "lockstep plan: the statement does not name the table's database; qualify it or "
              "give --table DB.TABLE\n";
    return kExitUsage;
  }
  request.schema = schema;
  request.table = table;

  const std::string config = ConfigPath(vars);
  if (config.empty()) {
    io.err << "lockstep plan: no topology file; give --config FILE or set LOCKSTEP_CONFIG\n";
    return kExitUsage;
  }
  auto topology = LoadTopology(config);
  if (!topology.ok()) {
    io.err << "lockstep plan: " << topology.status().ToString() << "\n";
    return kExitUsage;
  }
  InitLogging("warn");
  MariaDbConnectionFactory factory;
  auto plan = MakePlan(*topology, factory, request);
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
