#include "planner/report/plan_report.h"

#include <cstdio>
#include <set>

#include "common/json_writer.h"

namespace lockstep {
namespace {

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, s < 10 ? "%.1f s" : "%.0f s", s);
  return buf;
}

std::string Bytes(int64_t bytes) {
  char buf[32];
  const double mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
  std::snprintf(buf, sizeof buf, mib < 1024 ? "%.1f MiB" : "%.2f GiB", mib < 1024 ? mib : mib / 1024);
  return buf;
}

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

// GitHub workflow-command escaping: data and properties differ.
std::string GithubData(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string GithubProperty(const std::string& s) {
  std::string out;
  for (char c : GithubData(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string CheckSentence(const CheckResult& c) {
  std::string s = c.name + (c.dc.empty() ? "" : " [" + c.dc + "]") + ": " + c.message;
  if (!c.value.empty() || !c.limit.empty()) s += " (" + c.value + "; limit " + c.limit + ")";
  return s;
}

}  // namespace

void WritePlanText(const Plan& plan, std::ostream& out) {
  out << "lockstep plan: " << plan.schema << "." << plan.table << "\n"
      << "  change:   " << plan.alter_sql << "\n";
  if (!plan.zone.empty()) {
    out << "  zone:     " << plan.zone << " (" << ZoneTypeName(plan.zone_type)
        << (plan.writer_dc.empty() ? "" : ", writer " + plan.writer_dc) << ")\n";
  }
  out << "  skew:     class " << SkewClassName(plan.skew_class) << "\n";
  for (const auto& r : plan.skew_reasons) out << "              - " << r << "\n";
  out << "  strategy: " << StrategyName(plan.strategy);
  if (!plan.strategy_reason.empty()) out << " (" << plan.strategy_reason << ")";
  out << "\n  cut-over: " << CutoverModeName(plan.cutover_mode);
  if (!plan.fenced_dcs.empty() && plan.cutover_mode == CutoverMode::kFenced) {
    out << " (fence:";
    for (const auto& dc : plan.fenced_dcs) out << " " << dc;
    out << ")";
  }
  out << "\n";
  if (!plan.refusal_reason.empty()) out << "  refused:  " << plan.refusal_reason << "\n";
  if (!plan.suggestion.empty()) out << "  instead:  " << plan.suggestion << "\n";
  out << "  estimate: copy " << Seconds(plan.estimates.copy_seconds) << " per DC, disk "
      << Bytes(plan.estimates.disk_bytes) << " per DC\n\n";
  // Failures and warnings one per line; passes of one check folded into one
  // line naming their DCs, so that the interesting lines stand out.
  for (size_t i = 0; i < plan.checks.size(); ++i) {
    const CheckResult& c = plan.checks[i];
    if (c.status == CheckStatus::kPass) {
      std::string dcs = c.dc;
      while (i + 1 < plan.checks.size() && plan.checks[i + 1].name == c.name &&
             plan.checks[i + 1].status == CheckStatus::kPass) {
        dcs += (dcs.empty() ? "" : ",") + plan.checks[++i].dc;
      }
      out << "  pass " << Pad(c.name, 22) << c.message;
      if (!dcs.empty()) out << " (" << dcs << ")";
      out << "\n";
      continue;
    }
    out << "  " << Pad(CheckStatusName(c.status), 5) << Pad(c.name, 22) << Pad(c.dc, 6) << c.message;
    if (!c.value.empty() || !c.limit.empty()) {
      out << " [" << c.value << (c.limit.empty() ? "" : " / limit " + c.limit) << "]";
    }
    out << "\n";
  }
  int fails = 0, warns = 0;
  for (const auto& c : plan.checks) {
    fails += c.status == CheckStatus::kFail;
    warns += c.status == CheckStatus::kWarn;
  }
  out << "\nverdict: " << (plan.ok() ? "ok" : "blocked") << " (" << fails << " failed, " << warns
      << " warnings" << (plan.cutover_mode == CutoverMode::kRefused ? ", refused" : "") << ")\n";
}

void WritePlanJson(const Plan& plan, std::ostream& out) {
  JsonWriter w(out);
  w.BeginObject()
      .Field("verdict", plan.ok() ? "ok" : "blocked")
      .Field("table", plan.schema + "." + plan.table)
      .Field("alter", plan.alter_sql)
      .Field("zone", plan.zone)
      .Field("zone_type", plan.zone.empty() ? "" : ZoneTypeName(plan.zone_type))
      .Field("writer_dc", plan.writer_dc)
      .Field("skew_class", SkewClassName(plan.skew_class));
  w.Key("skew_reasons").StringArray(plan.skew_reasons);
  w.Field("cutover_mode", CutoverModeName(plan.cutover_mode));
  w.Key("fenced_dcs").StringArray(plan.fenced_dcs);
  w.Field("refusal_reason", plan.refusal_reason)
      .Field("suggestion", plan.suggestion)
      .Field("strategy", StrategyName(plan.strategy))
      .Field("strategy_reason", plan.strategy_reason);
  w.Key("checks").BeginArray();
  for (const auto& c : plan.checks) {
    w.BeginObject()
        .Field("name", c.name)
        .Field("dc", c.dc)
        .Field("status", CheckStatusName(c.status))
        .Field("value", c.value)
        .Field("limit", c.limit)
        .Field("message", c.message)
        .EndObject();
  }
  w.EndArray();
  w.Key("estimates").BeginObject();
  w.Key("copy_seconds").Double(plan.estimates.copy_seconds);
  w.Field("disk_bytes", plan.estimates.disk_bytes);
  w.EndObject();
  w.Field("before_sql", plan.before_sql).Field("after_sql", plan.after_sql);
  w.EndObject();
  out << "\n";
}

void WritePlanGithub(const Plan& plan, const PlanSource& source, std::ostream& out) {
  auto annotate = [&](const char* level, const std::string& title, const std::string& message) {
    out << "::" << level << " ";
    if (!source.file.empty()) {
      out << "file=" << GithubProperty(source.file) << ",line=" << source.line
          << ",col=" << source.column << ",";
    }
    out << "title=" << GithubProperty(title) << "::" << GithubData(message) << "\n";
  };
  if (plan.cutover_mode == CutoverMode::kRefused) {
    annotate("error", "lockstep plan refused",
             plan.refusal_reason + (plan.suggestion.empty() ? "" : ". Instead: " + plan.suggestion));
  }
  for (const auto& c : plan.checks) {
    if (c.status == CheckStatus::kPass) continue;
    annotate(c.status == CheckStatus::kFail ? "error" : "warning", "lockstep plan: " + c.name,
             CheckSentence(c));
  }
  if (plan.skew_class == SkewClass::kB && plan.cutover_mode != CutoverMode::kRefused) {
    annotate("notice", "lockstep plan: class B change",
             "fenced cut-over: application writes pause briefly in every fenced DC. " +
                 plan.suggestion);
  }
}

void WritePlanSarif(const Plan& plan, const PlanSource& source, std::ostream& out) {
  // A refusal is reported like a failed check, ahead of the checks.
  std::vector<CheckResult> findings;
  if (plan.cutover_mode == CutoverMode::kRefused) {
    findings.push_back({"refused", "", CheckStatus::kFail, "", "",
                        plan.refusal_reason +
                            (plan.suggestion.empty() ? "" : ". Instead: " + plan.suggestion)});
  }
  for (const auto& c : plan.checks) {
    if (c.status != CheckStatus::kPass) findings.push_back(c);
  }
  JsonWriter w(out);
  w.BeginObject()
      .Field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
      .Field("version", "2.1.0");
  w.Key("runs").BeginArray().BeginObject();
  w.Key("tool").BeginObject().Key("driver").BeginObject().Field("name", "lockstep");
  w.Key("rules").BeginArray();
  std::set<std::string> seen;
  for (const auto& c : findings) {
    if (!seen.insert(c.name).second) continue;
    w.BeginObject().Field("id", "plan/" + c.name);
    w.Key("shortDescription").BeginObject().Field("text", "lockstep plan: " + c.name).EndObject();
    w.EndObject();
  }
  w.EndArray().EndObject().EndObject();
  w.Key("results").BeginArray();
  for (const auto& c : findings) {
    w.BeginObject()
        .Field("ruleId", "plan/" + c.name)
        .Field("level", c.status == CheckStatus::kFail ? "error" : "warning");
    w.Key("message").BeginObject().Field("text", CheckSentence(c)).EndObject();
    if (!source.file.empty()) {
      w.Key("locations").BeginArray().BeginObject().Key("physicalLocation").BeginObject();
      w.Key("artifactLocation").BeginObject().Field("uri", source.file).EndObject();
      w.Key("region").BeginObject().Field("startLine", source.line)
          .Field("startColumn", source.column).EndObject();
      w.EndObject().EndObject().EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject().EndArray().EndObject();
  out << "\n";
}

}  // namespace lockstep
