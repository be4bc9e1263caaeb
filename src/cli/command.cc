#include "cli/command.h"

#include "planner/report/json_writer.h"

#include <cstdlib>
#include <ostream>

namespace po = boost::program_options;

namespace lockstep::cli {

void AddCommonOptions(po::options_description& desc, const std::vector<std::string>& formats) {
  std::string format_help = "output format: ";
  for (size_t i = 0; i < formats.size(); ++i) format_help += (i ? "|" : "") + formats[i];
  desc.add_options()
      ("help,h", "show this help")
      ("config,c", po::value<std::string>(), "topology file (INI); default $LOCKSTEP_CONFIG")
      ("format,f", po::value<std::string>()->default_value(formats.empty() ? "text" : formats[0]),
       format_help.c_str());
}

bool ParseCommandArgs(const std::vector<std::string>& args, const po::options_description& desc,
                      const po::positional_options_description* positional, CommandIo io,
                      const char* command_name, ParsedArgs& parsed) {
  try {
    po::command_line_parser parser(args);
    parser.options(desc);
    if (positional != nullptr) parser.positional(*positional);
    po::store(parser.run(), parsed.vars);
    po::notify(parsed.vars);
  } catch (const po::error& e) {
    io.err << "lockstep " << command_name << ": " << e.what() << "\n"
           << "Try 'lockstep " << command_name << " --help'.\n";
    return false;
  }
  parsed.help = parsed.vars.count("help") > 0;
  if (parsed.vars.count("format") > 0 && desc.find_nothrow("format", false) != nullptr) {
    // The allowed formats are listed in the option's description.
    const std::string format = parsed.vars["format"].as<std::string>();
    const std::string& help = desc.find("format", false).description();
    const auto list_start = help.find(": ");
    const std::string list = list_start == std::string::npos ? help : help.substr(list_start + 2);
    bool known = false;
    size_t pos = 0;
    while (pos <= list.size()) {
      size_t bar = list.find('|', pos);
      if (bar == std::string::npos) bar = list.size();
      if (list.substr(pos, bar - pos) == format) known = true;
      pos = bar + 1;
    }
    if (!known) {
      io.err << "lockstep " << command_name << ": unknown --format '" << format
             << "' (expected " << list << ")\n";
      return false;
    }
  }
  return true;
}

std::string ConfigPath(const po::variables_map& vars) {
  if (vars.count("config") > 0) return vars["config"].as<std::string>();
  if (const char* env = std::getenv("LOCKSTEP_CONFIG"); env != nullptr) return env;
  return "";
}

bool LoadCommandTopology(const po::variables_map& vars, const char* command, CommandIo io,
                         Topology& out) {
  const std::string config = ConfigPath(vars);
  if (config.empty()) {
    io.err << "lockstep " << command
           << ": no topology file; give --config FILE or set LOCKSTEP_CONFIG\n";
    return false;
  }
  auto topology = LoadTopology(config);
  if (!topology.ok()) {
    io.err << "lockstep " << command << ": " << topology.status().ToString() << "\n";
    return false;
  }
  out = std::move(*topology);
  return true;
}

std::string Format(const po::variables_map& vars) {
  return vars.count("format") > 0 ? vars["format"].as<std::string>() : "text";
}

std::string JsonEscape(const std::string& s) { return report::JsonWriter::Escape(s); }

}  // namespace lockstep::cli
