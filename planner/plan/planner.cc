#include "planner/plan/planner.h"

#include <algorithm>
#include <future>

#include "planner/checks/check.h"
#include "planner/classify/native_algorithm.h"
#include "planner/classify/skew_classifier.h"
#include "planner/inspect/schema_effect.h"
#include "planner/sql/clause_text.h"
#include "planner/sql/create_table_parser.h"

namespace lockstep {
namespace {

// Reads one DC: its server facts and the table's facts. Errors stay in the view.
DcView InspectOneDc(const DcConfig& dc, ConnectionFactory& factory, const std::string& schema,
                    const std::string& table, std::unique_ptr<Connection>* keep_connection) {
  DcView view;
  view.config = &dc;
  auto conn = factory.Connect(dc);
  if (!conn.ok()) {
    view.error = conn.status().ToString();
    return view;
  }
  auto server = InspectDcSettings(**conn);  // the links after the lag (InspectLinks)
  if (!server.ok()) {
    view.error = server.status().ToString();
    return view;
  }
  auto facts = InspectTable(**conn, dc, server->datadir, schema, table);
  if (!facts.ok()) {
    view.error = facts.status().ToString();
    return view;
  }
  view.server = std::move(*server);
  view.table = std::move(*facts);
  *keep_connection = std::move(*conn);
  return view;
}

// For every DC, how long it takes to apply what each other DC has logged,
// bounded by the lag budget; DCs wait in parallel.
void MeasureLinkCatchUp(int64_t limit_ms, std::vector<DcView>& dcs,
                        std::vector<std::unique_ptr<Connection>>& conns) {
  std::vector<std::future<void>> waits;
  for (size_t d = 0; d < dcs.size(); ++d) {
    if (!dcs[d].inspected()) continue;
    waits.push_back(std::async(std::launch::async, [&, d] {
      for (size_t s = 0; s < dcs.size(); ++s) {
        if (s == d || !dcs[s].inspected()) continue;
        const DcFacts& src = *dcs[s].server;
        const std::string gtid = GtidOfDomain(src.gtid_binlog_pos, src.gtid_domain_id);
        if (gtid.empty()) continue;  // it has written nothing of its own
        auto measured = MeasureCatchUp(*conns[d], dcs[s].name(), gtid, limit_ms);
        if (measured.ok()) {
          dcs[d].catch_up.push_back(*measured);
        } else {
          dcs[d].catch_up.push_back({dcs[s].name(), gtid, std::nullopt, limit_ms});
        }
      }
    }));
  }
  for (auto& w : waits) w.get();
}

// Adds every inspected DC's links, in parallel, each on a session that
// waits at most kLinkReadTimeoutS for them (ReadLinksWithin: a link can hold
// the read for as long as it waits); a DC that cannot be reached for it is
// not inspected (its checks fail: unknown is not good).
void ReadLinks(std::vector<DcView>& dcs, ConnectionFactory& factory) {
  std::vector<std::future<void>> reads;
  for (size_t d = 0; d < dcs.size(); ++d) {
    if (!dcs[d].inspected()) continue;
    reads.push_back(std::async(std::launch::async, [&, d] {
      Status read = ReadLinksWithin(factory, *dcs[d].config, kLinkReadTimeoutS, *dcs[d].server);
      if (!read.ok()) {
        dcs[d].error = read.WithContext("reading the DRC links").ToString();
        dcs[d].server.reset();
      }
    }));
  }
  for (auto& r : reads) r.get();
}

void Estimate(const std::vector<DcView>& dcs, Plan& plan) {
  int64_t rows = 0, data = 0, index = 0;
  for (const auto& dc : dcs) {
    if (!dc.inspected() || !dc.table->exists) continue;
    rows = std::max(rows, dc.table->rows_estimate);
    data = std::max(data, dc.table->data_bytes);
    index = std::max(index, dc.table->index_bytes);
  }
  switch (plan.strategy) {
    case Strategy::kInstant:
      plan.estimates = {0, 0, 0};
      break;
    case Strategy::kInplace:
      // An in-place rebuild writes a second copy of the table beside the first.
      plan.estimates.copy_seconds = static_cast<double>(rows) / kInplaceRowsPerSecond;
      plan.estimates.disk_bytes = data + index;
      break;
    case Strategy::kCopy:
      // The shadow table, plus the binlog its row images add (about the data again).
      plan.estimates.copy_seconds = static_cast<double>(rows) / kCopyRowsPerSecond;
      plan.estimates.disk_bytes = data + index + data;
      break;
  }
}

}  // namespace

void DecideStrategyAndMode(const ZoneConfig* zone, const std::vector<DcConfig>& dcs,
                           Strategy native, const std::string& native_reason, Plan& plan) {
  if (plan.skew_class == SkewClass::kA) {
    // Skew-safe: DCs may differ for a while, so a native change (even one that
    // rebuilds in place) can run in each DC; otherwise the shadow copy.
    plan.strategy = native;
    plan.strategy_reason = native == Strategy::kCopy ? native_reason + "; lockstep copies instead"
                                                     : native_reason;
    plan.cutover_mode = CutoverMode::kWindow;
    return;
  }
  // Class B: the schemas must switch together behind a fence. Only an instant
  // change is short enough to run inside the fence; anything slower is built
  // beside the table and swapped in.
  plan.strategy = native == Strategy::kInstant ? Strategy::kInstant : Strategy::kCopy;
  plan.strategy_reason = native == Strategy::kInstant
                             ? native_reason + "; run inside the fenced window"
                             : native_reason + "; a class B change is copied and swapped in "
                                               "inside the fenced window";
  plan.cutover_mode = CutoverMode::kFenced;
  plan.fenced_dcs.clear();
  if (zone != nullptr && zone->type == ZoneType::kGlobal) {
    plan.fenced_dcs.push_back(zone->writer_dc);  // the others receive only its rows
  } else {
    for (const auto& dc : dcs) plan.fenced_dcs.push_back(dc.name);
  }
}

std::string ExpandContractSuggestion(const sql::AlterTable& alter) {
  for (const auto& c : alter.clauses) {
    switch (c.kind) {
      case sql::ClauseKind::kDropColumn:
        return "expand/contract: stop reading and writing `" + c.name +
               "` and deploy; then move it to the end (or leave it) and drop it in a later "
               "migration: dropping the last column is skew-safe (class A)";
      case sql::ClauseKind::kRenameColumn:
      case sql::ClauseKind::kChangeColumn:
        return "expand/contract: add the new column at the end, write both, backfill, switch "
               "reads, then drop the old column in a later migration";
      case sql::ClauseKind::kModifyColumn:
        return "expand/contract: add a column with the new type at the end, write both, "
               "backfill, switch reads, then drop the old column in a later migration";
      case sql::ClauseKind::kAddColumn:
        if (c.column && c.column->position.kind != sql::ColumnPosition::Kind::kEnd) {
          return "add the column at the end (no FIRST/AFTER): that is skew-safe (class A)";
        }
        break;
      default:
        break;
    }
  }
  return "split the change: do the skew-safe parts (columns added at the end, indexes, "
         "defaults) first, and the rest by expand/contract";
}

Result<Plan> MakePlan(const Topology& topology, ConnectionFactory& factory,
                      const PlanRequest& request) {
  Plan plan;
  plan.schema = request.schema;
  plan.table = request.table;
  plan.alter_sql = request.alter_sql;
  const ZoneConfig* zone = topology.ZoneOf(request.schema, request.table);
  if (zone != nullptr) {
    plan.zone = zone->name;
    plan.zone_type = zone->type;
    plan.writer_dc = zone->writer_dc;
  }
  const Budget& budget = topology.BudgetFor(zone ? zone->type : ZoneType::kSharding);

  // Every DC is read in parallel: with WAN round trips, one after another adds up.
  std::vector<std::unique_ptr<Connection>> conns(topology.dcs.size());
  std::vector<std::future<DcView>> pending;
  for (size_t i = 0; i < topology.dcs.size(); ++i) {
    pending.push_back(std::async(std::launch::async, InspectOneDc, std::cref(topology.dcs[i]),
                                 std::ref(factory), request.schema, request.table, &conns[i]));
  }
  std::vector<DcView> dcs;
  for (auto& p : pending) dcs.push_back(p.get());
  // The lag first: reading the links can wait on a lagging link's lock for
  // as long as it lags (InspectLinks), and a lag measured after that wait
  // was already gone.
  MeasureLinkCatchUp(budget.lag_start_ms, dcs, conns);
  ReadLinks(dcs, factory);

  // The effect is probed where the table is written: the writer of a global
  // zone, else the first DC that has the table.
  int probe = -1;
  for (size_t i = 0; i < dcs.size(); ++i) {
    if (!dcs[i].inspected() || !dcs[i].table->exists) continue;
    if (probe < 0 || (zone && zone->type == ZoneType::kGlobal && dcs[i].name() == zone->writer_dc)) {
      probe = static_cast<int>(i);
    }
  }
  if (probe >= 0) {
    plan.probe_dc = dcs[static_cast<size_t>(probe)].name();
    Connection& probe_conn = *conns[static_cast<size_t>(probe)];
    auto effect = ProbeSchemaEffect(probe_conn, request.schema, request.table,
                                    sql::EffectClauseSql(request.alter));
    if (!effect.ok()) {
      plan.probe_error = effect.status().message();
    } else {
      plan.skew_reasons = effect->decided_from_clauses;
      plan.before_sql = effect->before_sql;
      plan.after_sql = effect->after_sql;
      auto before = sql::ParseCreateTable(plan.before_sql);
      auto after = sql::ParseCreateTable(plan.after_sql);
      if (!before.ok() || !after.ok()) {
        const Status& bad = before.ok() ? after.status() : before.status();
        plan.probe_error = "lockstep cannot read the server's table definition: " + bad.message();
      } else {
        const SkewVerdict skew = ClassifySkew(*before, *after, request.alter);
        plan.skew_class = skew.skew_class;
        plan.skew_reasons.insert(plan.skew_reasons.begin(), skew.reasons.begin(), skew.reasons.end());
        const NativeAlgorithm native = ChooseNativeAlgorithm(*before, *after, request.alter);
        DecideStrategyAndMode(zone, topology.dcs, native.strategy, native.reason, plan);
      }
    }
  }
  if (!plan.after_sql.empty() && plan.skew_class == SkewClass::kB) {
    plan.suggestion = ExpandContractSuggestion(request.alter);
  }
  if (plan.after_sql.empty()) {
    plan.refusal_reason = plan.probe_error.empty()
                              ? "the change could not be tried: no DC with the table was readable"
                              : "the change could not be tried: " + plan.probe_error;
  }
  if (request.alter.ignore) {
    plan.cutover_mode = CutoverMode::kRefused;
    plan.refusal_reason = "ALTER IGNORE drops duplicate rows silently; remove IGNORE and fix the "
                          "duplicates first";
  }
  Estimate(dcs, plan);

  CheckContext ctx{topology, zone, budget, dcs, plan};
  plan.checks = RunChecks(ctx);

  // A fenced cut-over that cannot fit the zone's window would hold application
  // writes too long: refuse, and say how to split the change instead.
  if (plan.cutover_mode == CutoverMode::kFenced) {
    for (const auto& c : plan.checks) {
      if (c.name == "cutover_window" && c.status == CheckStatus::kFail) {
        plan.cutover_mode = CutoverMode::kRefused;
        plan.refusal_reason = "a fenced cut-over would hold writes in " + c.dc + " for " +
                              c.value + ", beyond the zone's window of " + c.limit;
        break;
      }
    }
  }
  return plan;
}

}  // namespace lockstep
