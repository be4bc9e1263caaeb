#include "cli/change_request.h"

#include <cctype>
#include <fstream>
#include <ostream>
#include <sstream>

#include "planner/sql/statement_parser.h"

namespace po = boost::program_options;

namespace lockstep::cli {
namespace {

// A whole statement is ALTER [ONLINE] [IGNORE] TABLE ...; anything else,
// "ALTER COLUMN a SET DEFAULT 5" or "ALTER a DROP DEFAULT" among them, is a
// clause of the ALTER TABLE that --table names.
bool IsWholeAlterStatement(const std::string& text) {
  size_t i = 0;
  auto next_word = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::string word;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) {
      word += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i++])));
    }
    return word;
  };
  if (next_word() != "ALTER") return false;
  std::string word = next_word();
  while (word == "ONLINE" || word == "IGNORE") word = next_word();
  return word == "TABLE";
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

void AddChangeOptions(po::options_description& desc) {
  desc.add_options()
      ("table,t", po::value<std::string>(), "the table to change, as DB.TABLE")
      ("alter,a", po::value<std::string>(), "the change: ALTER TABLE clauses or a whole statement")
      ("file", po::value<std::string>(), "a migration file holding one ALTER TABLE statement");
}

int BuildChangeRequest(const po::variables_map& vars, const char* command, CommandIo io,
                       PlanRequest& request, PlanSource& source) {
  if ((vars.count("alter") > 0) == (vars.count("file") > 0)) {
    io.err << "lockstep " << command << ": give exactly one of --alter and --file\n";
    return kExitUsage;
  }
  std::string schema, table;
  if (vars.count("table") > 0 && !SplitTable(vars["table"].as<std::string>(), schema, table)) {
    io.err << "lockstep " << command << ": --table must be DB.TABLE, got '" << vars["table"].as<std::string>()
           << "'\n";
    return kExitUsage;
  }

  std::string text;
  if (vars.count("file") > 0) {
    source.file = vars["file"].as<std::string>();
    std::ifstream in(source.file);
    if (!in) {
      io.err << "lockstep " << command << ": cannot read " << source.file << "\n";
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
      io.err << "lockstep " << command << ": " << source.file << " holds no ALTER TABLE statement\n";
      return kExitUsage;
    }
    request.alter = *alter->alter;
    request.alter_sql = alter->text;
    source.line = alter->pos.line;
    source.column = alter->pos.column;
  } else {
    text = vars["alter"].as<std::string>();
    const bool whole = IsWholeAlterStatement(text);
    if (!whole && table.empty()) {
      io.err << "lockstep " << command << ": --alter with bare clauses needs --table DB.TABLE\n";
      return kExitUsage;
    }
    const std::string statement =
        whole ? text : "ALTER TABLE `" + schema + "`.`" + table + "`\n" + text;
    auto alter = sql::ParseAlterTable(statement);
    if (!alter.ok()) {
      io.err << "lockstep " << command << ": --alter: "
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
      io.err << "lockstep " << command << ": the statement changes " << named_schema << "."
             << request.alter.table << " but --table says " << schema << "." << table << "\n";
      return kExitUsage;
    }
    schema = named_schema;
    table = request.alter.table;
  }
  if (schema.empty()) {
    io.err << "lockstep " << command << ": the statement does not name the table's database; qualify it or "
              "give --table DB.TABLE\n";
    return kExitUsage;
  }
  request.schema = schema;
  request.table = table;

  return kExitOk;
}

}  // namespace lockstep::cli
