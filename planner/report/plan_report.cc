#include "planner/report/plan_report.h"

#include <cstdio>

#include "planner/checks/check.h"
#include "planner/report/diagnostic.h"
#include "planner/report/github_annotations.h"
#include "planner/report/json_writer.h"
#include "planner/report/sarif_report.h"

namespace lockstep {
namespace {

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, s < 10 ? "%.1f s" : "%.0f s", s);
  return buf;
}

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

std::string CheckSentence(const CheckResult& c) {
  std::string s = (c.dc.empty() ? "" : c.dc + ": ") + c.message;
  if (!c.value.empty() || !c.limit.empty()) s += " (" + c.value + "; limit " + c.limit + ")";
  return s;
}

// A plan's findings in the model every report format writes: a refusal and
// every failed or warning check, pointing at the migration file when there is one.
std::vector<report::Diagnostic> PlanDiagnostics(const Plan& plan, const PlanSource& source) {
  std::vector<report::Diagnostic> out;
  auto add = [&](std::string rule, report::Severity severity, std::string message,
                 std::string suggestion) {
    out.push_back({std::move(rule), severity, source.file, source.file.empty() ? 0 : source.line,
                   source.file.empty() ? 0 : source.column, std::move(message),
                   std::move(suggestion)});
  };
  if (plan.cutover_mode == CutoverMode::kRefused) {
    add("plan/refused", report::Severity::kError, "lockstep refuses this change: " + plan.refusal_reason,
        plan.suggestion);
  } else if (plan.skew_class == SkewClass::kB) {
    add("plan/class-b", report::Severity::kInfo,
        "class B change: application writes are fenced briefly in " +
            std::to_string(plan.fenced_dcs.size()) + " DC(s) at cut-over",
        plan.suggestion);
  }
  for (const auto& c : plan.checks) {
    if (c.status == CheckStatus::kPass) continue;
    add("plan/" + c.name,
        c.status == CheckStatus::kFail ? report::Severity::kError : report::Severity::kWarning,
        CheckSentence(c), "");
  }
  return out;
}

std::vector<report::RuleDescriptor> PlanRules() {
  std::vector<report::RuleDescriptor> rules = {
      {"plan/refused", "refused", "lockstep will not run the change as it stands",
       report::Severity::kError},
      {"plan/class-b", "class-b", "the change needs a fenced cut-over", report::Severity::kInfo}};
  for (const auto& check : AllChecks()) {
    rules.push_back({std::string("plan/") + check.name, check.name,
                     std::string("plan check ") + check.name, report::Severity::kError});
  }
  return rules;
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
      << FormatBytes(plan.estimates.disk_bytes) << " per DC\n\n";
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
  report::JsonWriter w(out);
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
  const auto diagnostics = PlanDiagnostics(plan, source);
  report::WriteGithubReport(diagnostics, report::Summary::Count(diagnostics, 1), out);
}

void WritePlanSarif(const Plan& plan, const PlanSource& source, std::ostream& out) {
  report::WriteSarifReport(PlanDiagnostics(plan, source), PlanRules(), out);
}

}  // namespace lockstep
