// Binlog decoding throughput on a backlog of sysbench-like rows.
//
//   ninja -C build binlog_throughput && build/tests/binlog_throughput [ROWS]
//
// Starts a 1-DC sandbox, fills sbtest1 (id, k, c CHAR(120), pad CHAR(60))
// with ROWS rows (default 500000) in 1000-row transactions, then reads that
// backlog three ways and prints what it measured (a figure, not a test):
//   1. BinlogStream with the table's rows decoded (what the applier gets),
//   2. BinlogStream with the table filtered out (framing, CRC, filter only),
//   3. ReplicaSession + EventParser, timing the parse apart from the network.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "executor/binlog/binlog_stream.h"
#include "executor/binlog/event_parser.h"
#include "executor/binlog/replica_session.h"
#include "support/sandbox.h"

namespace lockstep {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

int Fail(const Status& s) {
  std::fprintf(stderr, "binlog_throughput: %s\n", s.ToString().c_str());
  return 1;
}

struct Counts {
  uint64_t events = 0;
  uint64_t rows = 0;
  double seconds = 0;
  double parse_seconds = 0;
};

Result<Counts> ReadStream(const DcConfig& dc, const std::string& start, uint64_t end_seq,
                          const std::string& table, uint32_t server_id) {
  binlog::BinlogStreamOptions options;
  options.server_id = server_id;
  options.start_position = start;
  options.filter = {"bench", table};
  const auto t0 = Clock::now();
  LOCKSTEP_ASSIGN_OR_RETURN(auto stream, binlog::BinlogStream::Open(dc, "", options));
  Counts c;
  while (!stream->position().Find(1) || stream->position().Find(1)->seq_no < end_seq) {
    LOCKSTEP_ASSIGN_OR_RETURN(binlog::BinlogEvent ev, stream->Next());
    ++c.events;
    c.rows += ev.changes.size();
  }
  c.seconds = Seconds(Clock::now() - t0);
  return c;
}

Result<Counts> ReadRaw(const DcConfig& dc, const std::string& start, uint64_t end_seq) {
  binlog::ReplicaSessionOptions options;
  options.server_id = 1000203;
  options.gtid_position = start;
  const auto t0 = Clock::now();
  LOCKSTEP_ASSIGN_OR_RETURN(auto session, binlog::ReplicaSession::Open(dc, "", options));
  binlog::EventParser parser({"bench", "sbtest1"}, session->checksums());
  Counts c;
  Clock::duration parsing{};
  uint64_t seq = 0;
  while (true) {
    LOCKSTEP_ASSIGN_OR_RETURN(std::optional<std::string_view> raw, session->Fetch());
    if (!raw) return Status::Internal("a blocking dump ended");
    const auto p0 = Clock::now();
    LOCKSTEP_ASSIGN_OR_RETURN(binlog::BinlogEvent ev, parser.Parse(*raw));
    parsing += Clock::now() - p0;
    ++c.events;
    c.rows += ev.changes.size();
    if (ev.kind == binlog::EventKind::kTransactionStart) seq = ev.gtid.seq_no;
    if (ev.ends_transaction && seq >= end_seq) break;
  }
  c.seconds = Seconds(Clock::now() - t0);
  c.parse_seconds = Seconds(parsing);
  return c;
}

int Main(int argc, char** argv) {
  const long rows = argc > 1 ? std::atol(argv[1]) : 500000;
  testing::SandboxOptions sandbox;
  sandbox.dcs = 1;
  sandbox.base_port = LOCKSTEP_BENCH_BASE_PORT;
  auto sb = testing::Sandbox::Start(sandbox);
  if (!sb.ok()) return Fail(sb.status());
  const DcConfig& dc = (*sb)->topology().dcs[0];
  auto conn = (*sb)->Connect(1);
  if (!conn.ok()) return Fail(conn.status());
  Connection& c = **conn;
  Status s = c.Execute("CREATE DATABASE bench");
  // The Sequence engine makes its seq_1_to_N tables in whatever database is named.
  if (s.ok()) s = c.Execute("CREATE DATABASE seq");
  if (s.ok()) {
    s = c.Execute(
        "CREATE TABLE bench.sbtest1 (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
        "k INT NOT NULL DEFAULT 0, c CHAR(120) NOT NULL DEFAULT '', "
        "pad CHAR(60) NOT NULL DEFAULT '', KEY k_1 (k))");
  }
  if (!s.ok()) return Fail(s);
  auto start = c.QueryValue("SELECT @@gtid_binlog_pos");
  if (!start.ok()) return Fail(start.status());

  const auto f0 = Clock::now();
  // sysbench's c and pad: groups of 11 digits joined by dashes.
  const std::string group = "LPAD(FLOOR(RAND() * 99999999999), 11, '0')";
  std::string c_expr = "CONCAT_WS('-'", pad_expr = "CONCAT_WS('-'";
  for (int i = 0; i < 10; ++i) c_expr += ", " + group;
  for (int i = 0; i < 5; ++i) pad_expr += ", " + group;
  c_expr += ")", pad_expr += ")";
  for (long done = 0; done < rows; done += 1000) {
    const long n = std::min(1000L, rows - done);
    s = c.Execute("INSERT INTO bench.sbtest1 (k, c, pad) SELECT FLOOR(RAND() * " +
                  std::to_string(rows) + "), " + c_expr + ", " + pad_expr + " FROM seq.seq_1_to_" +
                  std::to_string(n));
    if (!s.ok()) return Fail(s);
  }
  const double fill_s = Seconds(Clock::now() - f0);
  auto end = c.QueryValue("SELECT @@gtid_binlog_pos");
  if (!end.ok()) return Fail(end.status());
  auto end_pos = binlog::GtidPosition::Parse(end->value_or(""));
  if (!end_pos.ok()) return Fail(end_pos.status());
  const uint64_t end_seq = end_pos->Find(1)->seq_no;
  std::printf("backlog: %ld rows in %.1f s, GTID %s -> %s\n", rows, fill_s,
              start->value_or("").c_str(), end->value_or("").c_str());

  auto decoded = ReadStream(dc, start->value_or(""), end_seq, "sbtest1", 1000201);
  if (!decoded.ok()) return Fail(decoded.status());
  std::printf("BinlogStream, rows decoded:   %8lu events %8lu rows  %.2f s  %9.0f events/s  %9.0f rows/s\n",
              decoded->events, decoded->rows, decoded->seconds, decoded->events / decoded->seconds,
              decoded->rows / decoded->seconds);
  auto skipped = ReadStream(dc, start->value_or(""), end_seq, "no_such_table", 1000202);
  if (!skipped.ok()) return Fail(skipped.status());
  std::printf("BinlogStream, table filtered: %8lu events %8lu rows  %.2f s  %9.0f events/s\n",
              skipped->events, skipped->rows, skipped->seconds, skipped->events / skipped->seconds);
  auto raw = ReadRaw(dc, start->value_or(""), end_seq);
  if (!raw.ok()) return Fail(raw.status());
  std::printf("EventParser alone:            %8lu events %8lu rows  %.2f s parsing (of %.2f s)  "
              "%9.0f rows/s  %.0f ns/row\n",
              raw->events, raw->rows, raw->parse_seconds, raw->seconds,
              raw->rows / raw->parse_seconds, 1e9 * raw->parse_seconds / raw->rows);
  return 0;
}

}  // namespace
}  // namespace lockstep

int main(int argc, char** argv) { return lockstep::Main(argc, argv); }
