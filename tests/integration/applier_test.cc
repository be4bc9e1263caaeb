// The change applier against a real server: every kind of row change of the
// live table, replayed from the binlog, leaves the shadow table equal to it.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "db/sql.h"
#include "executor/apply/applier_loop.h"
#include "executor/binlog/binlog_stream.h"
#include "executor/binlog/transaction_reader.h"
#include "planner/sql/create_table_parser.h"
#include "support/sandbox_suite.h"

namespace lockstep::testing {
namespace {

// One transaction of thousands of changes nets to one batch large enough to
// be split by key over the applier's two sessions.
constexpr const char* kBigTransaction[] = {
    "START TRANSACTION",
    "INSERT INTO apply.{t} (id, n, u) SELECT seq, seq, seq FROM apply.seq_1_to_6000",
    "UPDATE apply.{t} SET n = n * 2 WHERE id % 3 = 0",
    "DELETE FROM apply.{t} WHERE id % 5 = 0",
    "UPDATE apply.{t} SET id = id + 10000 WHERE id % 7 = 0",  // primary keys move
    "UPDATE apply.{t} SET u = u + 100000 WHERE id % 11 = 0",
    "COMMIT",
};

Status RunBigTransaction(Connection& c, const std::string& table) {
  for (std::string st : kBigTransaction) {
    if (size_t at = st.find("{t}"); at != std::string::npos) st.replace(at, 3, table);
    LOCKSTEP_RETURN_IF_ERROR(c.Execute(st));
  }
  return Status::Ok();
}

class ApplierTest : public SandboxSuite<1> {
 protected:
  static std::string Contents(Connection& c, const std::string& table, const std::string& cols) {
    auto r = c.Query("SELECT " + cols + " FROM apply." + table + " ORDER BY id");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::string out;
    if (!r.ok()) return out;
    for (const auto& row : r->rows) {
      for (const auto& v : row) out += (v ? *v : "NULL") + "|";
      out += "\n";
    }
    return out;
  }

  // An applier of apply.`table` into apply.`shadow`, from the binlog's
  // position now; `options` and `mapping` are kept for a restart.
  struct Started {
    ApplierLoopOptions options;
    RowImageMapping mapping;
    std::unique_ptr<ApplierLoop> loop;
  };
  static Result<std::vector<std::unique_ptr<Connection>>> Sessions(int n) {
    std::vector<std::unique_ptr<Connection>> sessions;
    for (int i = 0; i < n; ++i) {
      LOCKSTEP_ASSIGN_OR_RETURN(auto session, sandbox_->Connect(1));
      sessions.push_back(std::move(session));
    }
    return sessions;
  }

  // `tuning`: the loop's options but for the DC, the id and the position.
  static Result<Started> StartApplier(Connection& c, const std::string& table,
                                      const std::string& shadow, uint32_t server_id,
                                      int sessions = 2, ApplierLoopOptions tuning = {}) {
    auto show = [&](const std::string& t) -> Result<sql::TableDef> {
      LOCKSTEP_ASSIGN_OR_RETURN(QueryResult r, c.Query(sql::ShowCreateTable("apply", t)));
      return sql::ParseCreateTable(r.rows.at(0).at(1).value_or(""));
    };
    LOCKSTEP_ASSIGN_OR_RETURN(sql::TableDef source, show(table));
    LOCKSTEP_ASSIGN_OR_RETURN(sql::TableDef target, show(shadow));
    Started started;
    started.options = std::move(tuning);
    LOCKSTEP_ASSIGN_OR_RETURN(started.mapping, RowImageMapping::Build(source, target, {}));
    LOCKSTEP_ASSIGN_OR_RETURN(auto position, c.QueryValue("SELECT @@gtid_binlog_pos"));
    started.options.dc = sandbox_->topology().dcs[0];
    started.options.replica_server_id = server_id;
    if (started.options.start_position.empty()) started.options.start_position = position.value_or("");
    LOCKSTEP_ASSIGN_OR_RETURN(auto applier_sessions, Sessions(sessions));
    LOCKSTEP_ASSIGN_OR_RETURN(started.loop,
                              ApplierLoop::Start(started.options, std::move(applier_sessions),
                                                 {"apply", table, shadow}, started.mapping));
    return started;
  }

  // With the reader in a wait of `tuning`'s (a coalescing wait, the wait
  // between bursts) that `until_it_waits` waits for, two rows are written: the
  // reader holds them back, and a waiter must get them at once.
  void ExpectAWaiterEndsTheReadersWait(const std::string& table, uint32_t server_id,
                                       ApplierLoopOptions tuning,
                                       const std::function<void(ApplierLoop&)>& until_it_waits) {
    ASSERT_NE(sandbox_, nullptr);
    auto c = Dc(1);
    tuning.net_window_ms = 0;  // only the reader's wait holds the rows back
    auto started = StartOnEmptyPair(*c, table, "id INT PRIMARY KEY, n INT", server_id, 1, tuning);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    until_it_waits(*started->loop);
    ASSERT_TRUE(c->Execute("INSERT INTO apply." + table + " VALUES (1, 1), (2, 2)").ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    EXPECT_EQ(started->loop->rows_applied(), 0u) << "the reader did not wait: nothing is tested";
    Status waited = WaitAppliedNow(*c, *started->loop);  // 20 s, far less than the reader's wait
    ASSERT_TRUE(waited.ok()) << waited.ToString();
    EXPECT_EQ(Contents(*c, "_" + table + "_new", "id, n"), "1|1|\n2|2|\n");
  }

  // Waits until the applier has applied everything in the binlog now.
  static Status WaitAppliedNow(Connection& c, ApplierLoop& loop) {
    LOCKSTEP_ASSIGN_OR_RETURN(auto end, c.QueryValue("SELECT @@gtid_binlog_pos"));
    return loop.WaitApplied(end.value_or(""), 20000);
  }

  // Sets the server's global max_allowed_packet (what sessions opened from
  // now on get) and puts the old value back when it goes.
  class PacketLimit {
   public:
    PacketLimit(Connection& c, uint64_t bytes) : c_(c) {
      auto old = c_.QueryValue("SELECT @@GLOBAL.max_allowed_packet");
      if (!old.ok() || !old->has_value()) return;
      old_ = **old;
      set_ = c_.Execute("SET GLOBAL max_allowed_packet = " + std::to_string(bytes)).ok();
    }
    ~PacketLimit() {
      if (set_) (void)c_.Execute("SET GLOBAL max_allowed_packet = " + old_);
    }
    bool ok() const { return set_; }

   private:
    Connection& c_;
    std::string old_;
    bool set_ = false;
  };

  // apply.<table> with `columns`, and an empty shadow like it.
  static Status CreateEmptyPair(Connection& c, const std::string& table, const std::string& columns) {
    for (const std::string& st : {std::string("CREATE DATABASE IF NOT EXISTS apply"),
                                  "CREATE TABLE apply." + table + " (" + columns + ")",
                                  "CREATE TABLE apply._" + table + "_new LIKE apply." + table}) {
      LOCKSTEP_RETURN_IF_ERROR(c.Execute(st));
    }
    return Status::Ok();
  }

  // CreateEmptyPair, then StartApplier on it.
  static Result<Started> StartOnEmptyPair(
      Connection& c, const std::string& table, const std::string& columns, uint32_t server_id,
      int sessions = 2, ApplierLoopOptions tuning = {}) {
    LOCKSTEP_RETURN_IF_ERROR(CreateEmptyPair(c, table, columns));
    return StartApplier(c, table, "_" + table + "_new", server_id, sessions, std::move(tuning));
  }

  // StartOnEmptyPair of (id INT PRIMARY KEY, n INT) on one session, netting
  // for 10 minutes: only a waiter, a heartbeat or a full batch ends a window.
  static Result<Started> StartWithLongWindow(Connection& c, const std::string& table,
                                             uint32_t server_id, int64_t heartbeat_ms,
                                             size_t max_batch_rows = ApplierLoopOptions{}.max_batch_rows) {
    ApplierLoopOptions tuning;
    tuning.net_window_ms = 600000;
    tuning.heartbeat_ms = heartbeat_ms;
    tuning.max_batch_rows = max_batch_rows;
    return StartOnEmptyPair(c, table, "id INT PRIMARY KEY, n INT", server_id, 1, tuning);
  }

  // Waits up to 20 s for the loop to stop on an error; returns its status.
  static Status WaitStopped(const ApplierLoop& loop) {
    for (int i = 0; i < 200 && loop.status().ok(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return loop.status();
  }

  // apply.<table> (`definition`: columns and options) with 6,000 rows of `select_list` over
  // seq 1..6000, and its shadow, changed by `shadow_change` (may be empty),
  // holding the same (id, n): a copy that has finished.
  static Status CreateCopiedPair(Connection& c, const std::string& table,
                                 const std::string& definition, const std::string& select_list,
                                 const std::string& shadow_change) {
    const std::string t = "apply." + table, shadow = "apply._" + table + "_new";
    std::vector<std::string> statements{
        "CREATE DATABASE IF NOT EXISTS apply", "CREATE TABLE " + t + " " + definition,
        "INSERT INTO " + t + " SELECT " + select_list + " FROM apply.seq_1_to_6000",
        "CREATE TABLE " + shadow + " LIKE " + t};
    if (!shadow_change.empty()) statements.push_back("ALTER TABLE " + shadow + " " + shadow_change);
    statements.push_back("INSERT INTO " + shadow + " (id, n) SELECT id, n FROM " + t);
    for (const auto& st : statements) LOCKSTEP_RETURN_IF_ERROR(c.Execute(st));
    return Status::Ok();
  }

  // apply.<table> with `columns`, its shadow changed by `shadow_change`, an
  // applier on both, and RunBigTransaction on the table.
  static Result<Started> StartOnBigTransaction(Connection& c, const std::string& table,
                                                 const std::string& columns,
                                                 const std::string& shadow_change,
                                                 uint32_t server_id) {
    const std::string shadow = "_" + table + "_new";
    LOCKSTEP_RETURN_IF_ERROR(CreateEmptyPair(c, table, columns));
    LOCKSTEP_RETURN_IF_ERROR(c.Execute("ALTER TABLE apply." + shadow + " " + shadow_change));
    LOCKSTEP_ASSIGN_OR_RETURN(auto started, StartApplier(c, table, shadow, server_id));
    LOCKSTEP_RETURN_IF_ERROR(RunBigTransaction(c, table));
    return started;
  }
};

TEST_F(ApplierTest, ShadowFollowsEveryKindOfChange) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  ASSERT_TRUE(c->Execute("CREATE DATABASE apply").ok());
  ASSERT_TRUE(c->Execute(
      "CREATE TABLE apply.t (id INT PRIMARY KEY, n INT, u INT UNSIGNED, d DECIMAL(10,2), "
      "s VARCHAR(20) CHARACTER SET latin1, b VARBINARY(8), e ENUM('x','y','z'), "
      "ts DATETIME(6), gone INT) DEFAULT CHARSET=utf8mb4").ok());
  ASSERT_TRUE(c->Execute("CREATE TABLE apply._t_new LIKE apply.t").ok());
  ASSERT_TRUE(c->Execute("ALTER TABLE apply._t_new DROP COLUMN gone, ADD COLUMN added INT "
                         "DEFAULT 7, MODIFY n BIGINT").ok());
  auto started = StartApplier(*c, "t", "_t_new", 4242);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  auto& loop = started->loop;
  const ApplierLoopOptions& options = started->options;
  const RowImageMapping& mapping = started->mapping;

  for (const char* stmt : {
           "INSERT INTO apply.t VALUES (1, -5, 4294967295, -12.34, 'caf\xc3\xa9', x'00ff00', 'y', "
           "'2024-02-29 12:34:56.123456', 1)",
           "INSERT INTO apply.t VALUES (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
           "INSERT INTO apply.t VALUES (3, 3, 3, 3, 'c', x'03', 'z', '2000-01-01', 3), "
           "(4, 4, 4, 4, 'd', x'04', 'x', '2000-01-01', 4)",
           "UPDATE apply.t SET n = n + 100, s = 'updated' WHERE id = 3",
           "UPDATE apply.t SET id = 40 WHERE id = 4",  // a primary key moves
           "DELETE FROM apply.t WHERE id = 2",
           "INSERT INTO apply.t VALUES (2, 22, 22, 22, 're-added', x'22', 'x', '2001-01-01', 2)",
       }) {
    Status s = c->Execute(stmt);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  ASSERT_TRUE(c->Execute("BEGIN").ok());
  for (int i = 100; i < 300; ++i) {
    ASSERT_TRUE(c->Execute("INSERT INTO apply.t (id, n, s) VALUES (" + std::to_string(i) + ", " +
                           std::to_string(i) + ", 'bulk')").ok());
  }
  ASSERT_TRUE(c->Execute("DELETE FROM apply.t WHERE id BETWEEN 150 AND 199").ok());
  ASSERT_TRUE(c->Execute("COMMIT").ok());

  const std::string end = c->QueryValue("SELECT @@gtid_binlog_pos")->value_or("");
  Status waited = loop->WaitApplied(end, 20000);
  ASSERT_TRUE(waited.ok()) << waited.ToString();
  const std::string cols = "id, n, u, d, s, HEX(b), e, ts";
  EXPECT_EQ(Contents(*c, "_t_new", cols), Contents(*c, "t", cols));
  EXPECT_EQ(Contents(*c, "_t_new", "DISTINCT added"), "7|\n");
  EXPECT_GT(loop->rows_applied(), 150u);
  EXPECT_TRUE(loop->status().ok());

  // The applier's rows are in the binlog as row events only, not also as
  // the text of its statements (Annotate_rows).
  auto master = c->Query("SHOW MASTER STATUS");
  ASSERT_TRUE(master.ok() && !master->rows.empty()) << master.status().ToString();
  auto events = c->Query("SHOW BINLOG EVENTS IN '" + master->rows[0][0].value_or("") + "'");
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  int annotated = 0, annotated_shadow = 0;
  for (size_t r = 0; r < events->rows.size(); ++r) {
    if (events->Get(r, "Event_type") != std::optional<std::string>("Annotate_rows")) continue;
    ++annotated;
    annotated_shadow += events->Get(r, "Info").value_or("").find("_t_new") != std::string::npos;
  }
  EXPECT_GT(annotated, 0) << "the test's own writes are annotated: the check can see them";
  EXPECT_EQ(annotated_shadow, 0);

  // A replay from the start converges to the same content: the applier is
  // idempotent (here on one session).
  loop->Stop();
  auto again_sessions = Sessions(1);
  ASSERT_TRUE(again_sessions.ok());
  auto again = ApplierLoop::Start(options, std::move(*again_sessions), {"apply", "t", "_t_new"},
                                  mapping);
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*again)->WaitApplied(end, 20000).ok());
  EXPECT_EQ(Contents(*c, "_t_new", cols), Contents(*c, "t", cols));

  // The applier's upserts are logged with minimal images (the sandbox's root
  // may set them): the before image of an update of a shadow row holds its
  // key and no other column. Under FULL, this one would carry n and s too.
  const std::string before_update = c->QueryValue("SELECT @@gtid_binlog_pos")->value_or("");
  ASSERT_TRUE(c->Execute("UPDATE apply.t SET s = 'again' WHERE id = 3").ok());
  ASSERT_TRUE(WaitAppliedNow(*c, **again).ok());
  const std::string now = c->QueryValue("SELECT @@gtid_binlog_pos")->value_or("");
  auto through = binlog::GtidPosition::Parse(now);
  ASSERT_TRUE(through.ok());
  binlog::BinlogStreamOptions shadow_events;
  shadow_events.server_id = 4243;
  shadow_events.start_position = before_update;
  shadow_events.filter = {"apply", "_t_new"};
  auto stream = binlog::BinlogStream::Open(options.dc, "", shadow_events);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  binlog::TransactionReader reader(stream->get());
  int updates = 0, non_key_values = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!(*stream)->position().Covers(*through) && std::chrono::steady_clock::now() < deadline) {
    auto txn = reader.Next();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    if (!txn->has_value()) continue;
    for (const auto& change : (*txn)->changes) {
      if (change.kind != binlog::RowChangeKind::kUpdate || !change.before) continue;
      ++updates;
      for (size_t i = 1; i < change.before->size(); ++i) non_key_values += !(*change.before)[i].is_null();
    }
  }
  EXPECT_EQ(updates, 1) << "the upsert of row 3 is an update in the binlog";
  EXPECT_EQ(non_key_values, 0) << "an update's before image carries only the key";
}

TEST_F(ApplierTest, ChangesTheCopyWillStillReadAreLeftToIt) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  auto started = StartOnEmptyPair(*c, "f", "id BIGINT PRIMARY KEY, n INT", 4243);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  auto& loop = started->loop;
  // The copy has read up to 100 of a table whose largest key was 1000.
  loop->SetCopyFrontier(CopyFrontier{100, 1000});
  ASSERT_TRUE(c->Execute("INSERT INTO apply.f VALUES (-5, 1), (50, 1), (100, 1), (101, 1), "
                         "(500, 1), (1000, 1), (1001, 1), (5000, 1)").ok());
  ASSERT_TRUE(c->Execute("UPDATE apply.f SET id = 60 WHERE id = 500").ok());  // into the copied part
  ASSERT_TRUE(c->Execute("UPDATE apply.f SET id = 700 WHERE id = 50").ok());  // out of it
  const std::string end = c->QueryValue("SELECT @@gtid_binlog_pos")->value_or("");
  ASSERT_TRUE(loop->WaitApplied(end, 20000).ok());
  EXPECT_EQ(Contents(*c, "_f_new", "id, n"), "-5|1|\n60|1|\n100|1|\n1001|1|\n5000|1|\n")
      << "101, 700 and 1000 are the copy's to read; 50 moved away";
  EXPECT_EQ(loop->rows_left_to_copy(), 5u)
      << "row images: the inserts of 101, 500 and 1000, 500 moving away, 50 arriving at 700";

  // Without a frontier every change is applied again.
  loop->SetCopyFrontier(std::nullopt);
  ASSERT_TRUE(c->Execute("UPDATE apply.f SET n = 2").ok());
  const std::string later = c->QueryValue("SELECT @@gtid_binlog_pos")->value_or("");
  ASSERT_TRUE(loop->WaitApplied(later, 20000).ok());
  EXPECT_EQ(Contents(*c, "_f_new", "id, n"), Contents(*c, "f", "id, n"));
}

// A change read before the copy said which keys it will read must not reach
// the shadow table if the copy then claims the key: the copy never
// overwrites a row, and the key's later changes are left to it. The applier
// holds what it reads until it knows (hold_until_frontier), and filters each
// batch again with the frontier when it applies it.
TEST_F(ApplierTest, ChangesReadBeforeTheCopyClaimsTheirKeyAreLeftToIt) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  ApplierLoopOptions tuning;
  tuning.hold_until_frontier = true;
  ASSERT_TRUE(CreateEmptyPair(*c, "claim", "id BIGINT PRIMARY KEY, n INT").ok());
  ASSERT_TRUE(c->Execute("INSERT INTO apply.claim VALUES (500, 0)").ok());
  auto started = StartApplier(*c, "claim", "_claim_new", 4254, 1, tuning);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  ApplierLoop& loop = *started->loop;
  ASSERT_TRUE(c->Execute("UPDATE apply.claim SET n = 1 WHERE id = 500").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // heartbeats
  EXPECT_EQ(loop.rows_applied(), 0u) << "applied before the copy's range was known";

  loop.SetCopyFrontier(CopyFrontier{100, 1000});  // the copy claims 101..1000
  ASSERT_TRUE(c->Execute("UPDATE apply.claim SET n = 2 WHERE id = 500").ok());
  // The copy's chunk reads the row as it is now.
  ASSERT_TRUE(c->Execute("INSERT IGNORE INTO apply._claim_new SELECT * FROM apply.claim "
                         "WHERE id BETWEEN 101 AND 1000").ok());
  ASSERT_TRUE(WaitAppliedNow(*c, loop).ok());
  EXPECT_EQ(Contents(*c, "_claim_new", "id, n"), "500|2|\n") << "an image from before the claim";
  EXPECT_EQ(loop.rows_applied(), 0u);
}

// An applier holding for a copy that never starts (a failure before it) must
// still stop: its reader waited for the frontier, and Stop() waited for it.
TEST_F(ApplierTest, AnApplierHoldingForACopyThatNeverStartsStops) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  ApplierLoopOptions tuning;
  tuning.hold_until_frontier = true;
  auto started = StartOnEmptyPair(*c, "never", "id INT PRIMARY KEY, n INT", 4256, 1, tuning);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  ASSERT_TRUE(c->Execute("INSERT INTO apply.never VALUES (1, 1)").ok());
  const std::string head = c->QueryValue("SELECT @@gtid_binlog_pos")->value_or("");
  for (int i = 0; i < 100 && started->loop->read_position() != head; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(started->loop->read_position(), head);
  started->loop->Stop();  // hung here before
  EXPECT_EQ(started->loop->rows_applied(), 0u);
  EXPECT_EQ(Contents(*c, "_never_new", "COUNT(*)"), "0|\n");
}

// Once caught up, the reader waits before reading on, so that under load one
// read takes many commit groups; a waiter (the cut-over's drain) must not
// wait for that.
TEST_F(ApplierTest, AWaiterEndsTheReadersCoalescingWait) {
  ApplierLoopOptions tuning;
  tuning.burst_interval_ms = 0;  // one waiting dump, read with coalescing waits
  tuning.read_coalesce_ms = 600000;
  // The first heartbeat (100 ms) finds the stream caught up: the reader waits.
  ExpectAWaiterEndsTheReadersWait("w", 4248, tuning, [](ApplierLoop&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  });
}

// In bursts, the reader waits between two; a waiter (the cut-over's drain)
// must not wait for the next, and nothing it wants may be left unread.
TEST_F(ApplierTest, AWaiterEndsTheWaitBetweenBursts) {
  ApplierLoopOptions tuning;
  tuning.burst_interval_ms = 600000;
  ExpectAWaiterEndsTheReadersWait("wb", 4257, tuning, [](ApplierLoop& loop) {
    for (int i = 0; i < 100 && !loop.between_bursts(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_TRUE(loop.between_bursts()) << "the first burst never read to the end";
  });
}

// A waiter whose position the reader has read in a burst but holds in its
// open batch (a long netting window, and the burst read a transaction, so it
// was not quiet) gets the batch handed over at once, not at the next burst.
TEST_F(ApplierTest, AWaiterGetsWhatTheReaderHoldsBetweenBursts) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  ASSERT_TRUE(CreateEmptyPair(*c, "wh", "id INT PRIMARY KEY, n INT").ok());
  ApplierLoopOptions tuning;
  tuning.burst_interval_ms = 600000;
  tuning.net_window_ms = 600000;
  tuning.start_position = c->QueryValue("SELECT @@gtid_binlog_pos")->value_or("");
  ASSERT_TRUE(c->Execute("INSERT INTO apply.wh VALUES (1, 1), (2, 2)").ok());
  const std::string written = c->QueryValue("SELECT @@gtid_binlog_pos")->value_or("");
  auto started = StartApplier(*c, "wh", "_wh_new", 4258, 1, tuning);  // the first burst reads it
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  ApplierLoop& loop = *started->loop;
  for (int i = 0; i < 100 && !loop.between_bursts(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(loop.between_bursts()) << "the first burst never read to the end";
  ASSERT_EQ(loop.read_position(), written);
  EXPECT_EQ(loop.rows_applied(), 0u) << "the reader does not hold it: nothing is tested";
  Status waited = loop.WaitApplied(written, 20000);  // far less than the reader's wait
  ASSERT_TRUE(waited.ok()) << waited.ToString();
  EXPECT_EQ(Contents(*c, "_wh_new", "id, n"), "1|1|\n2|2|\n");
}

// The reader nets changes for a window before it applies them, so that many
// writes to a hot key become one; a waiter (the cut-over's drain) ends the
// window. The rounds are apart by less than a heartbeat period, as under a
// steady load: a quiet stream ends the window (next test).
TEST_F(ApplierTest, WritesToAHotKeyWithinTheNettingWindowAreAppliedOnce) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  // Heartbeats of 3 s: far longer than the pauses between rounds.
  auto started = StartWithLongWindow(*c, "hot", 4251, /*heartbeat_ms=*/3000);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  ApplierLoop& loop = *started->loop;
  ASSERT_TRUE(c->Execute("INSERT INTO apply.hot VALUES (1, 0), (2, 0)").ok());
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(c->Execute("UPDATE apply.hot SET n = n + 1 WHERE id = 1").ok());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  const std::string head = c->QueryValue("SELECT @@gtid_binlog_pos")->value_or("");
  for (int i = 0; i < 100 && loop.read_position() != head; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(loop.read_position(), head) << "the reader has read everything";
  EXPECT_NE(loop.applied_position(), head) << "and applied none of it yet";
  EXPECT_EQ(loop.rows_applied(), 0u);

  Status waited = loop.WaitApplied(head, 20000);
  ASSERT_TRUE(waited.ok()) << waited.ToString();
  EXPECT_EQ(Contents(*c, "_hot_new", "id, n"), "1|100|\n2|0|\n");
  EXPECT_EQ(loop.row_events(), 102u);
  EXPECT_EQ(loop.rows_applied(), 2u) << "102 row events netted to one write per key";
}

// A stream quiet for a heartbeat period ends the window: nothing is left to
// net with, and the applied position (a checkpoint) need not lag.
TEST_F(ApplierTest, AQuietStreamEndsTheNettingWindow) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  auto started = StartWithLongWindow(*c, "quiet", 4253, /*heartbeat_ms=*/100);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  ApplierLoop& loop = *started->loop;
  ASSERT_TRUE(c->Execute("INSERT INTO apply.quiet VALUES (1, 1), (2, 2)").ok());
  const std::string head = c->QueryValue("SELECT @@gtid_binlog_pos")->value_or("");
  for (int i = 0; i < 100 && loop.applied_position() != head; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(loop.applied_position(), head) << "applied within 5 s, with no waiter";
  EXPECT_EQ(Contents(*c, "_quiet_new", "id, n"), "1|1|\n2|2|\n");
}

// A batch that holds max_batch_rows keys goes to the apply thread at once,
// window or not: that bounds the applier's memory.
TEST_F(ApplierTest, AFullBatchIsAppliedBeforeTheWindowEnds) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  // Heartbeats of 3 s, so that only a full batch ends the window here.
  auto started = StartWithLongWindow(*c, "full", 4252, /*heartbeat_ms=*/3000,
                                     /*max_batch_rows=*/100);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  ApplierLoop& loop = *started->loop;
  for (int id = 1; id <= 250; ++id) {  // one key a transaction
    ASSERT_TRUE(c->Execute("INSERT INTO apply.full VALUES (" + std::to_string(id) + ", 1)").ok());
  }
  for (int i = 0; i < 200 && loop.rows_applied() < 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a third batch would show
  EXPECT_EQ(loop.rows_applied(), 200u) << "two full batches; the last 50 keys wait in the window";
  ASSERT_TRUE(WaitAppliedNow(*c, loop).ok());
  EXPECT_EQ(Contents(*c, "_full_new", "COUNT(*), SUM(id)"), "250|31375|\n");
}

// Wide rows fill a batch by bytes long before they fill it by keys.
TEST_F(ApplierTest, ABatchOfWideRowsIsFullByItsBytes) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  ApplierLoopOptions tuning;
  tuning.net_window_ms = 600000;
  tuning.heartbeat_ms = 3000;      // so that only a full batch ends the window here
  tuning.max_batch_bytes = 100000;  // about ten of these rows
  auto started = StartOnEmptyPair(*c, "bulky", "id INT PRIMARY KEY, body TEXT", 4255, 1, tuning);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  ApplierLoop& loop = *started->loop;
  for (int id = 1; id <= 25; ++id) {  // one row of 10,000 bytes a transaction
    ASSERT_TRUE(c->Execute("INSERT INTO apply.bulky VALUES (" + std::to_string(id) +
                           ", REPEAT('b', 10000))").ok());
  }
  for (int i = 0; i < 30 && loop.rows_applied() < 10; ++i) {  // 1.5 s, before a heartbeat
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GE(loop.rows_applied(), 10u) << "no batch was full by its bytes";
  EXPECT_LT(loop.rows_applied(), 25u) << "the window did not hold the last rows";
  ASSERT_TRUE(WaitAppliedNow(*c, loop).ok());
  EXPECT_EQ(Contents(*c, "_bulky_new", "COUNT(*), SUM(LENGTH(body))"), "25|250000|\n");
}

// A batch of wide rows goes in statements that fit the server's
// max_allowed_packet: in one statement, these 400 rows of 8,000 characters
// (3.2 MB) went over a 1 MB limit and stopped the applier.
TEST_F(ApplierTest, WideRowsGoInStatementsThatFitMaxAllowedPacket) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  PacketLimit limit(*c, 1048576);
  ASSERT_TRUE(limit.ok());
  // Its sessions connect with the 1 MB limit.
  auto started = StartOnEmptyPair(*c, "wide", "id INT PRIMARY KEY, body VARCHAR(8000)", 4249, 1);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  ASSERT_TRUE(c->Execute("INSERT INTO apply.wide SELECT seq, REPEAT(CHAR(97 + seq % 26), 8000) "
                         "FROM apply.seq_1_to_400").ok());
  Status waited = WaitAppliedNow(*c, *started->loop);
  ASSERT_TRUE(waited.ok()) << waited.ToString();
  const std::string digest = "COUNT(*), SUM(CRC32(body))";
  EXPECT_EQ(Contents(*c, "_wide_new", digest), Contents(*c, "wide", digest));
  EXPECT_EQ(Contents(*c, "_wide_new", "COUNT(*)"), "400|\n");
}

// A row whose SQL is longer than max_allowed_packet allows cannot be applied:
// the applier stops and says what to raise (the server would only have
// dropped the connection). Sessions opened earlier, like the application's
// here, keep their larger limit and can write such a row.
TEST_F(ApplierTest, ARowLongerThanMaxAllowedPacketStopsTheApplierWithTheReason) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  PacketLimit limit(*c, 1048576);
  ASSERT_TRUE(limit.ok());
  auto started = StartOnEmptyPair(*c, "huge", "id INT PRIMARY KEY, body MEDIUMTEXT", 4250, 1);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  ASSERT_TRUE(c->Execute("INSERT INTO apply.huge VALUES (1, REPEAT('x', 1100000))").ok());
  const Status stopped = WaitStopped(*started->loop);
  EXPECT_NE(stopped.ToString().find("bytes as SQL, more than the server's max_allowed_packet"),
            std::string::npos)
      << stopped.ToString();
}

// Whatever of t the applier cannot apply exactly stops it with the reason,
// never a guess: a session's partial row images (absent columns were applied
// as NULL), statement-format writes (once ignored), an XA transaction (once
// applied at PREPARE, then rolled back), a DDL of t that hid behind a comment
// or an index named idx_<t>_... (once taken for lockstep's own).
TEST_F(ApplierTest, WhatCannotBeAppliedExactlyStopsTheApplierWithTheReason) {
  ASSERT_NE(sandbox_, nullptr);
  struct Case {
    std::string table;
    std::vector<std::string> statements;  // run on a fresh session of the application
    std::string reason;                   // in the applier's error
  };
  const std::vector<Case> cases{
      {"xm", {"SET SESSION binlog_row_image = MINIMAL", "UPDATE apply.xm SET n = 7 WHERE id = 1"},
       "binlog_row_image=MINIMAL"},
      {"xn", {"SET SESSION binlog_row_image = NOBLOB", "UPDATE apply.xn SET n = 7 WHERE id = 1"},
       "binlog_row_image=MINIMAL"},
      {"xs", {"SET SESSION binlog_format = STATEMENT", "INSERT INTO apply.xs (id, n) VALUES (9, 9)"},
       "logged as a statement"},
      {"xx", {"XA START 'lx'", "INSERT INTO apply.xx (id, n) VALUES (9, 9)", "XA END 'lx'",
              "XA PREPARE 'lx'", "XA ROLLBACK 'lx'"},
       "XA transaction"},
      {"xc", {"/* release 42 */ ALTER TABLE apply.xc ADD COLUMN z INT"}, "changed by another statement"},
      {"xi", {"ALTER TABLE apply.xi ADD INDEX idx_xi_a (n)"}, "changed by another statement"},
  };
  uint32_t server_id = 4270;
  for (const Case& k : cases) {
    auto c = Dc(1);
    auto started = StartOnEmptyPair(*c, k.table, "id INT PRIMARY KEY, n INT, b BLOB", server_id++, 1);
    ASSERT_TRUE(started.ok()) << k.table << ": " << started.status().ToString();
    // An ordinary write first: applied as always.
    ASSERT_TRUE(c->Execute("INSERT INTO apply." + k.table + " VALUES (1, 1, 'blob')").ok());
    ASSERT_TRUE(WaitAppliedNow(*c, *started->loop).ok()) << k.table;
    EXPECT_EQ(Contents(*c, "_" + k.table + "_new", "id, n"), "1|1|\n") << k.table;
    auto app = Dc(1);
    for (const std::string& st : k.statements) {
      Status ran = app->Execute(st);
      ASSERT_TRUE(ran.ok()) << k.table << ": " << st << ": " << ran.ToString();
    }
    const Status stopped = WaitStopped(*started->loop);
    EXPECT_FALSE(stopped.ok()) << k.table << ": the applier went on";
    EXPECT_NE(stopped.ToString().find(k.reason), std::string::npos) << k.table << ": " << stopped.ToString();
    // Nothing of the write it stopped on reached the shadow.
    EXPECT_EQ(Contents(*c, "_" + k.table + "_new", "id, n"), "1|1|\n") << k.table;
  }
}

// A value moved from one row to another across a batch boundary, with a new
// unique key on it: the copy holds the newer state of the row that took the
// value while the applier's batch still holds the older state of the row
// that gave it up. That batch collides (1062) but is no duplicate of the
// data: the applier applies it again under the next batch, and goes on.
TEST_F(ApplierTest, AValueMovedBetweenRowsAcrossABatchIsNoDuplicate) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  ASSERT_TRUE(CreateEmptyPair(*c, "uq", "id INT PRIMARY KEY, u INT").ok());
  ASSERT_TRUE(c->Execute("ALTER TABLE apply._uq_new ADD UNIQUE KEY uu (u)").ok());
  ASSERT_TRUE(c->Execute("INSERT INTO apply.uq VALUES (2, 20)").ok());
  ASSERT_TRUE(c->Execute("INSERT INTO apply._uq_new VALUES (2, 20)").ok());  // copied
  auto started = StartApplier(*c, "uq", "_uq_new", 4290, 1);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  // Row 1's key is held in _t_new, so the applier's first batch waits.
  auto holder = Dc(1);
  ASSERT_TRUE(holder->Execute("START TRANSACTION").ok());
  ASSERT_TRUE(holder->Query("SELECT * FROM apply._uq_new WHERE id = 1 FOR UPDATE").ok());
  ASSERT_TRUE(c->Execute("INSERT INTO apply.uq VALUES (1, 10)").ok());
  // A waiter makes the reader hand that batch over alone; its apply waits.
  auto after_insert = c->QueryValue("SELECT @@gtid_binlog_pos");
  ASSERT_TRUE(after_insert.ok());
  EXPECT_TRUE(started->loop->WaitApplied(after_insert->value_or(""), 1000).IsTimeout());
  ASSERT_TRUE(c->Execute("UPDATE apply.uq SET u = 11 WHERE id = 1").ok());
  ASSERT_TRUE(c->Execute("UPDATE apply.uq SET u = 10 WHERE id = 2").ok());
  // The copy reads row 2 now, with the value row 1 gave up.
  ASSERT_TRUE(c->Execute("UPDATE apply._uq_new SET u = 10 WHERE id = 2").ok());
  ASSERT_TRUE(holder->Execute("COMMIT").ok());  // the first batch (row 1 at 10) collides
  Status applied = WaitAppliedNow(*c, *started->loop);
  ASSERT_TRUE(applied.ok()) << applied.ToString();
  EXPECT_TRUE(started->loop->status().ok()) << started->loop->status().ToString();
  EXPECT_EQ(Contents(*c, "_uq_new", "id, u"), "1|11|\n2|10|\n");
  EXPECT_EQ(Contents(*c, "uq", "id, u"), "1|11|\n2|10|\n");
}

// A real duplicate of the new unique key in the data stops the applier once
// the binlog has nothing newer, naming the rows.
TEST_F(ApplierTest, ARealDuplicateOfTheNewUniqueKeyStopsTheApplierWithItsKeys) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  ASSERT_TRUE(CreateEmptyPair(*c, "ud", "id INT PRIMARY KEY, u INT").ok());
  ASSERT_TRUE(c->Execute("ALTER TABLE apply._ud_new ADD UNIQUE KEY uu (u)").ok());
  auto started = StartApplier(*c, "ud", "_ud_new", 4291, 1);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  ASSERT_TRUE(c->Execute("INSERT INTO apply.ud VALUES (1, 10), (3, 10)").ok());
  const Status stopped = WaitStopped(*started->loop);
  EXPECT_EQ(stopped.server_errno(), 1062u) << stopped.ToString();
  EXPECT_NE(stopped.message().find("Duplicate entry '10'"), std::string::npos) << stopped.ToString();
  EXPECT_NE(stopped.message().find("(1), (3)"), std::string::npos) << stopped.ToString();
}

TEST_F(ApplierTest, LargeBatchesAreSplitOverSessionsWhereTheKeyIsTheOnlyUniqueOne) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  auto started = StartOnBigTransaction(*c, "p", "id INT PRIMARY KEY, n INT, u INT, KEY (n)",
                                       "ADD COLUMN added INT DEFAULT 3", 4244);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  Status waited = WaitAppliedNow(*c, *started->loop);
  ASSERT_TRUE(waited.ok()) << waited.ToString();
  EXPECT_EQ(Contents(*c, "_p_new", "id, n, u"), Contents(*c, "p", "id, n, u"));
  EXPECT_EQ(Contents(*c, "_p_new", "COUNT(*)"), "4800|\n");
  EXPECT_EQ(started->loop->batches_split(), 1u);
}

TEST_F(ApplierTest, BatchesStayOnOneSessionWhereAnotherUniqueKeyCouldCollide) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  auto started = StartOnBigTransaction(*c, "q", "id INT PRIMARY KEY, n INT, u INT",
                                       "ADD UNIQUE KEY (u)", 4245);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  // A unique value freed by one row and taken by another in one transaction:
  // only the single session's delete-then-insert order applies it.
  ASSERT_TRUE(c->Execute("START TRANSACTION").ok());
  ASSERT_TRUE(c->Execute("UPDATE apply.q SET u = 0 WHERE id = 1").ok());
  ASSERT_TRUE(c->Execute("UPDATE apply.q SET u = 1 WHERE id = 2").ok());
  ASSERT_TRUE(c->Execute("COMMIT").ok());
  Status waited = WaitAppliedNow(*c, *started->loop);
  ASSERT_TRUE(waited.ok()) << waited.ToString();
  EXPECT_EQ(Contents(*c, "_q_new", "id, n, u"), Contents(*c, "q", "id, n, u"));
  EXPECT_EQ(started->loop->batches_split(), 0u);
}

// A part that cannot commit fails the whole batch even though the other part
// committed: the applied position stays before the batch, and a replay from
// there converges.
TEST_F(ApplierTest, AFailedPartFailsTheBatchAndAReplayConverges) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  Status created = CreateCopiedPair(*c, "s", "(id INT PRIMARY KEY, n INT)", "seq, seq", "");
  ASSERT_TRUE(created.ok()) << created.ToString();
  // The part that writes row 4321 fails, with an error no retry cures.
  ASSERT_TRUE(c->Execute("CREATE TRIGGER apply.s_fails BEFORE UPDATE ON apply._s_new FOR EACH ROW "
                         "IF NEW.id = 4321 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = "
                         "'this part fails'; END IF").ok());
  auto started = StartApplier(*c, "s", "_s_new", 4247);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  const std::string before = started->loop->applied_position();
  ASSERT_TRUE(c->Execute("UPDATE apply.s SET n = -n").ok());
  const Status failed = WaitStopped(*started->loop);
  ASSERT_FALSE(failed.ok()) << "the batch did not fail";
  EXPECT_NE(failed.ToString().find("this part fails"), std::string::npos) << failed.ToString();
  EXPECT_EQ(started->loop->applied_position(), before);
  EXPECT_NE(Contents(*c, "_s_new", "SUM(n < 0)"), "0|\n") << "the other part committed";
  EXPECT_NE(Contents(*c, "_s_new", "id, n"), Contents(*c, "s", "id, n"));

  started->loop->Stop();
  ASSERT_TRUE(c->Execute("DROP TRIGGER apply.s_fails").ok());
  auto sessions = Sessions(2);
  ASSERT_TRUE(sessions.ok());
  auto replay = ApplierLoop::Start(started->options, std::move(*sessions), {"apply", "s", "_s_new"},
                                   started->mapping);
  ASSERT_TRUE(replay.ok()) << replay.status().ToString();
  Status waited = WaitAppliedNow(*c, **replay);
  ASSERT_TRUE(waited.ok()) << waited.ToString();
  EXPECT_EQ(Contents(*c, "_s_new", "id, n"), Contents(*c, "s", "id, n"));
  EXPECT_EQ((*replay)->batches_split(), 1u);
}

// The server compares text keys by collation: 'K1' and 'k1' are one key of a
// _ci primary key. A batch where keys change case must stay on one session,
// where the delete of the old spelling runs before the upsert of the new.
TEST_F(ApplierTest, BatchesOfTextKeysStayOnOneSession) {
  ASSERT_NE(sandbox_, nullptr);
  auto c = Dc(1);
  Status created = CreateCopiedPair(
      *c, "r", "(id VARCHAR(20) PRIMARY KEY, n INT) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
      "CONCAT('K', seq), seq", "ADD COLUMN added INT DEFAULT 3");
  ASSERT_TRUE(created.ok()) << created.ToString();
  auto started = StartApplier(*c, "r", "_r_new", 4246);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  ASSERT_TRUE(c->Execute("UPDATE apply.r SET id = LOWER(id), n = n + 1").ok());
  Status waited = WaitAppliedNow(*c, *started->loop);
  ASSERT_TRUE(waited.ok()) << waited.ToString();
  const std::string cols = "HEX(id), n";
  EXPECT_EQ(Contents(*c, "_r_new", cols), Contents(*c, "r", cols));
  EXPECT_EQ(Contents(*c, "_r_new", "COUNT(*)"), "6000|\n");
  EXPECT_EQ(started->loop->batches_split(), 0u);
}

}  // namespace
}  // namespace lockstep::testing
