// BinlogStream against a real MariaDB 10.11: positions after complete
// transactions only, resume from a checkpoint, reconnect after the server
// kills the dump connection (mid-transaction too) with nothing lost and
// nothing repeated, table filters, heartbeats, DDL, compressed events, a
// clear error for a position the binlog does not have, and reading in bursts.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "db/sql.h"
#include "executor/binlog/binlog_stream.h"
#include "executor/binlog/transaction_reader.h"
#include "support/sandbox.h"

namespace lockstep::testing {
namespace {

using binlog::BinlogStream;
using binlog::EventKind;
using binlog::Transaction;
using binlog::TransactionReader;

Sandbox* sandbox_ = nullptr;

class SandboxEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    SandboxOptions options;
    options.dcs = 1;
    options.base_port = LOCKSTEP_TEST_BASE_PORT;
    auto s = Sandbox::Start(options);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    sandbox_ = std::move(*s).release();
    auto c = sandbox_->Connect(1);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    ASSERT_TRUE((*c)->Execute("SET GLOBAL max_allowed_packet = 64 * 1024 * 1024").ok());
    ASSERT_TRUE((*c)->Execute("CREATE DATABASE st").ok());
  }
  void TearDown() override {
    delete sandbox_;
    sandbox_ = nullptr;
  }
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new SandboxEnvironment);

class BinlogStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(sandbox_, nullptr);
    auto c = sandbox_->Connect(1);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    conn_ = std::move(*c);
  }

  void Run(const std::string& statement) {
    Status s = conn_->Execute(statement);
    ASSERT_TRUE(s.ok()) << s.ToString().substr(0, 300);
  }

  std::string Pos() {
    auto v = conn_->QueryValue("SELECT @@gtid_binlog_pos");
    return v.ok() ? v->value_or("") : "";
  }

  uint64_t Seq() {
    auto p = binlog::GtidPosition::Parse(Pos());
    return p.ok() && p->Find(1) ? p->Find(1)->seq_no : 0;
  }

  std::unique_ptr<BinlogStream> Open(const std::string& start, const std::string& table,
                                     uint32_t server_id, int64_t heartbeat_ms = 1000,
                                     std::function<bool()> between_bursts = {}) {
    binlog::BinlogStreamOptions options;
    options.between_bursts = std::move(between_bursts);
    options.server_id = server_id;
    options.start_position = start;
    options.filter = {"st", table};
    options.heartbeat_period_ms = heartbeat_ms;
    options.first_backoff_ms = 20;
    auto s = BinlogStream::Open(sandbox_->topology().dcs[0], "", options);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  // Reads transactions until the stream's position reaches `end_seq`.
  std::vector<Transaction> ReadUntil(BinlogStream* stream, uint64_t end_seq) {
    TransactionReader reader(stream);
    std::vector<Transaction> out;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!stream->position().Find(1) || stream->position().Find(1)->seq_no < end_seq) {
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "stream stuck at " << stream->position().ToString();
        break;
      }
      auto txn = reader.Next();
      if (!txn.ok()) {
        ADD_FAILURE() << txn.status().ToString();
        break;
      }
      if (txn->has_value()) out.push_back(std::move(**txn));
    }
    return out;
  }

  // Kills the server side of `stream`'s dump connection.
  void KillDump(BinlogStream* stream) {
    auto ids = conn_->Query(sql::BinlogDumpThreads());
    ASSERT_TRUE(ids.ok()) << ids.status().ToString();
    bool found = false;
    for (const auto& row : ids->rows) found |= *row[0] == std::to_string(stream->connection_id());
    ASSERT_TRUE(found) << "no Binlog Dump thread with id " << stream->connection_id();
    Run(sql::KillConnection(stream->connection_id()));
  }

  std::unique_ptr<Connection> conn_;
};

int64_t Pk(const binlog::RowChange& rc) {
  return (rc.after ? *rc.after : *rc.before)[0].AsSigned();
}

TEST_F(BinlogStreamTest, PositionMovesOnlyAfterCompleteTransactionsAndResumesThere) {
  Run("CREATE TABLE st.resume (pk INT PRIMARY KEY, v INT)");
  const std::string start = Pos();
  for (int t = 0; t < 20; ++t) {
    Run("BEGIN");
    for (int i = 0; i < 3; ++i) {
      Run("INSERT INTO st.resume VALUES (" + std::to_string(t * 10 + i) + ", " + std::to_string(t) + ")");
    }
    Run("COMMIT");
  }
  const uint64_t end = Seq();

  // Event by event: inside a group the position stays where the last group ended.
  auto stream = Open(start, "resume", 1000101);
  ASSERT_NE(stream, nullptr);
  std::string checkpoint;
  int complete = 0;
  while (complete < 10) {
    auto ev = stream->Next();
    ASSERT_TRUE(ev.ok()) << ev.status().ToString();
    if (ev->kind == EventKind::kRows) {
      ASSERT_TRUE(stream->current_gtid().has_value());
      EXPECT_LT(stream->position().Find(1)->seq_no, stream->current_gtid()->seq_no);
    }
    if (ev->ends_transaction) {
      ++complete;
      EXPECT_FALSE(stream->current_gtid().has_value());
      checkpoint = stream->position().ToString();
    }
  }
  stream.reset();

  // A new stream from the checkpoint delivers exactly the transactions after it.
  auto resumed = Open(checkpoint, "resume", 1000101);
  ASSERT_NE(resumed, nullptr);
  std::vector<Transaction> rest = ReadUntil(resumed.get(), end);
  std::vector<int64_t> pks;
  for (const Transaction& t : rest) {
    for (const auto& rc : t.changes) pks.push_back(Pk(rc));
  }
  ASSERT_EQ(pks.size(), 30u);
  for (size_t i = 0; i < pks.size(); ++i) {
    EXPECT_EQ(pks[i], static_cast<int64_t>((10 + i / 3) * 10 + i % 3));
  }
}

TEST_F(BinlogStreamTest, KilledConnectionResumesWithoutLostOrRepeatedTransactions) {
  Run("CREATE TABLE st.recon (pk INT PRIMARY KEY, v LONGBLOB)");
  const std::string start = Pos();
  // Big transactions (about 4 MB each) so that a kill lands inside one: the
  // socket buffers cannot hold what remains of it.
  constexpr int kBig = 6, kRowsPerBig = 40;
  for (int t = 0; t < kBig; ++t) {
    Run("BEGIN");
    for (int i = 0; i < kRowsPerBig; ++i) {
      Run("INSERT INTO st.recon VALUES (" + std::to_string(t * 1000 + i) + ", REPEAT('x', 100000))");
    }
    Run("COMMIT");
  }
  const uint64_t end_big = Seq();

  auto stream = Open(start, "recon", 1000102);
  ASSERT_NE(stream, nullptr);
  // Raw events: kill as soon as the first group is under way.
  std::map<std::string, int> rows_by_gtid;
  std::optional<binlog::Gtid> open_group, cut;
  std::vector<std::string> committed;
  bool killed = false, saw_reconnect = false, cut_mid_group = false;
  std::map<std::string, int> in_progress;
  while (stream->position().Find(1)->seq_no < end_big) {
    auto ev = stream->Next();
    ASSERT_TRUE(ev.ok()) << ev.status().ToString();
    switch (ev->kind) {
      case EventKind::kTransactionStart:
        in_progress.clear();
        open_group = ev->gtid;
        if (cut) {
          EXPECT_EQ(ev->gtid, *cut) << "the cut group is sent again first";
          cut.reset();
        }
        break;
      case EventKind::kRows:
        in_progress[stream->current_gtid()->ToString()] += static_cast<int>(ev->changes.size());
        if (!killed) {
          KillDump(stream.get());
          killed = true;
        }
        break;
      case EventKind::kReconnected:
        saw_reconnect = true;
        EXPECT_FALSE(stream->current_gtid().has_value()) << "the group in progress is void";
        cut = open_group;
        cut_mid_group |= cut.has_value();
        open_group.reset();
        in_progress.clear();
        break;
      default:
        break;
    }
    if (ev->ends_transaction) {
      open_group.reset();
      for (auto& [g, n] : in_progress) rows_by_gtid[g] += n;
      committed.push_back(stream->position().ToString());
      in_progress.clear();
    }
  }
  EXPECT_TRUE(saw_reconnect);
  // 24 MB of backlog is more than the socket buffers hold: the connection
  // ends inside a group, whichever one it is by then.
  EXPECT_TRUE(cut_mid_group) << "the kill did not land inside a transaction";
  EXPECT_FALSE(cut.has_value()) << "the group cut by the kill never came back";
  EXPECT_GE(stream->reconnects(), 1);
  ASSERT_EQ(rows_by_gtid.size(), static_cast<size_t>(kBig)) << "one entry per transaction";
  for (const auto& [g, n] : rows_by_gtid) EXPECT_EQ(n, kRowsPerBig) << g;
  EXPECT_EQ(std::set<std::string>(committed.begin(), committed.end()).size(), committed.size())
      << "no transaction completed twice";

  // Idle and caught up: a kill, then new writes arrive once, through a TransactionReader.
  KillDump(stream.get());
  for (int t = 0; t < 20; ++t) Run("INSERT INTO st.recon VALUES (" + std::to_string(100000 + t) + ", 'y')");
  std::vector<Transaction> after = ReadUntil(stream.get(), Seq());
  EXPECT_GE(stream->reconnects(), 2);
  std::vector<int64_t> pks;
  for (const Transaction& t : after) {
    for (const auto& rc : t.changes) pks.push_back(Pk(rc));
  }
  ASSERT_EQ(pks.size(), 20u);
  for (int t = 0; t < 20; ++t) EXPECT_EQ(pks[static_cast<size_t>(t)], 100000 + t);
}

TEST_F(BinlogStreamTest, FilterDecodesOnlyTheChosenTable) {
  Run("CREATE TABLE st.wanted (pk INT PRIMARY KEY, v VARCHAR(10))");
  Run("CREATE TABLE st.other (pk INT PRIMARY KEY, v VARCHAR(10))");
  const std::string start = Pos();
  for (int i = 0; i < 5; ++i) {
    Run("BEGIN");
    Run("INSERT INTO st.other VALUES (" + std::to_string(i) + ", 'o')");
    Run("INSERT INTO st.wanted VALUES (" + std::to_string(i) + ", 'w')");
    Run("UPDATE st.other SET v = 'p' WHERE pk = " + std::to_string(i));
    Run("COMMIT");
  }
  auto stream = Open(start, "wanted", 1000103);
  ASSERT_NE(stream, nullptr);
  const uint64_t end = Seq();
  int filtered = 0, wanted = 0;
  while (stream->position().Find(1)->seq_no < end) {
    auto ev = stream->Next();
    ASSERT_TRUE(ev.ok()) << ev.status().ToString();
    if (ev->kind == EventKind::kFiltered) ++filtered;
    for (const auto& rc : ev->changes) {
      EXPECT_EQ(rc.table->table, "wanted");
      ++wanted;
    }
  }
  EXPECT_EQ(wanted, 5);
  // Per transaction: two TABLE_MAPs of `other` and its two row events.
  EXPECT_EQ(filtered, 5 * 4);
}

TEST_F(BinlogStreamTest, HeartbeatsWhenIdle) {
  auto stream = Open(Pos(), "nothing", 1000104, /*heartbeat_ms=*/200);
  ASSERT_NE(stream, nullptr);
  TransactionReader reader(stream.get());
  const auto t0 = std::chrono::steady_clock::now();
  auto txn = reader.Next();
  ASSERT_TRUE(txn.ok()) << txn.status().ToString();
  EXPECT_FALSE(txn->has_value()) << "a heartbeat, not a transaction";
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  // Registered as a replica: a DBA sees it, with its server id.
  auto hosts = conn_->Query("SHOW SLAVE HOSTS");
  ASSERT_TRUE(hosts.ok()) << hosts.status().ToString();
  bool registered = false;
  for (size_t i = 0; i < hosts->rows.size(); ++i) {
    registered |= hosts->Get(i, "Server_id") == "1000104" && hosts->Get(i, "Host") == "lockstep";
  }
  EXPECT_TRUE(registered) << "not in SHOW SLAVE HOSTS";
}

TEST_F(BinlogStreamTest, AlterOfTheTableArrivesAsAStatementBetweenRows) {
  Run("CREATE TABLE st.altered (pk INT PRIMARY KEY, a INT)");
  const std::string start = Pos();
  Run("INSERT INTO st.altered VALUES (1, 10)");
  Run("ALTER TABLE st.altered ADD COLUMN b VARCHAR(5) DEFAULT 'x'");
  Run("INSERT INTO st.altered VALUES (2, 20, 'y')");
  auto stream = Open(start, "altered", 1000105);
  ASSERT_NE(stream, nullptr);
  std::vector<Transaction> txns = ReadUntil(stream.get(), Seq());
  ASSERT_EQ(txns.size(), 3u);
  ASSERT_EQ(txns[0].changes.size(), 1u);
  EXPECT_EQ(txns[0].changes[0].table->columns.size(), 2u);
  ASSERT_EQ(txns[1].statements.size(), 1u);
  EXPECT_NE(txns[1].statements[0].text.find("ALTER TABLE st.altered ADD COLUMN b"), std::string::npos);
  EXPECT_TRUE(txns[1].changes.empty());
  ASSERT_EQ(txns[2].changes.size(), 1u);
  EXPECT_EQ(txns[2].changes[0].table->columns.size(), 3u);
  EXPECT_EQ((*txns[2].changes[0].after)[2].bytes(), "y");
}

TEST_F(BinlogStreamTest, CompressedEventsAreDecoded) {
  Run("CREATE TABLE st.packed (pk INT PRIMARY KEY, v TEXT)");
  const std::string start = Pos();
  Run("SET GLOBAL log_bin_compress = ON, GLOBAL log_bin_compress_min_len = 10");
  Run("INSERT INTO st.packed VALUES (1, REPEAT('abc', 1000)), (2, 'short but compressed')");
  Run("UPDATE st.packed SET v = REPEAT('z', 500) WHERE pk = 2");
  Run("DELETE FROM st.packed WHERE pk = 1");
  Run("ALTER TABLE st.packed COMMENT 'compressed query event, long enough to be compressed'");
  Run("SET GLOBAL log_bin_compress = OFF");
  auto file = conn_->Query("SHOW MASTER STATUS");
  ASSERT_TRUE(file.ok() && !file->rows.empty());
  auto types = conn_->Query("SHOW BINLOG EVENTS IN " + sql::QuoteString(*file->rows[0][0]));
  ASSERT_TRUE(types.ok()) << types.status().ToString();
  bool compressed_rows = false;
  for (const auto& row : types->rows) {
    compressed_rows |= row[2]->find("rows_compressed") != std::string::npos;
  }
  ASSERT_TRUE(compressed_rows) << "the server did not compress";

  auto stream = Open(start, "packed", 1000106);
  ASSERT_NE(stream, nullptr);
  std::vector<Transaction> txns = ReadUntil(stream.get(), Seq());
  std::vector<binlog::RowChange> changes;
  bool saw_alter = false;
  for (auto& t : txns) {
    for (auto& rc : t.changes) changes.push_back(std::move(rc));
    for (auto& st : t.statements) saw_alter |= st.text.find("compressed query event") != std::string::npos;
  }
  ASSERT_EQ(changes.size(), 4u);
  std::string abc;
  for (int i = 0; i < 1000; ++i) abc += "abc";
  EXPECT_EQ((*changes[0].after)[1].bytes(), abc);
  EXPECT_EQ((*changes[2].before)[1].bytes(), "short but compressed");
  EXPECT_EQ((*changes[2].after)[1].bytes(), std::string(500, 'z'));
  EXPECT_EQ(changes[3].kind, binlog::RowChangeKind::kDelete);
  EXPECT_TRUE(saw_alter);
}

TEST_F(BinlogStreamTest, PositionMissingFromTheBinlogIsAClearErrorNotARetry) {
  binlog::BinlogStreamOptions options;
  options.server_id = 1000107;
  options.start_position = "1-1-999999999";
  auto stream = BinlogStream::Open(sandbox_->topology().dcs[0], "", options);
  Status error;
  if (!stream.ok()) {
    error = stream.status();
  } else {
    auto ev = (*stream)->Next();
    while (ev.ok()) ev = (*stream)->Next();  // the server may send a few events first
    error = ev.status();
    EXPECT_EQ((*stream)->reconnects(), 0);
  }
  EXPECT_TRUE(error.IsDbError()) << error.ToString();
  EXPECT_EQ(error.server_errno(), 1236u) << error.ToString();
}

TEST_F(BinlogStreamTest, UnreachableDcIsUnavailable) {
  DcConfig dc = sandbox_->topology().dcs[0];
  dc.port = 9;  // discard: nothing listens there
  binlog::BinlogStreamOptions options;
  options.server_id = 1000108;
  auto stream = BinlogStream::Open(dc, "", options);
  ASSERT_FALSE(stream.ok());
  EXPECT_TRUE(stream.status().IsUnavailable()) << stream.status().ToString();
}

// In bursts each session reads to the end of the binlog and closes; the next
// starts at the file offset where the last ended, also after the server moved
// to a new binlog file. Every transaction arrives once, in order, and a burst
// that read nothing is a heartbeat. Two GTID domains, as where each DC writes
// its own: the first session skips what the position has in both.
TEST_F(BinlogStreamTest, BurstsReadEveryTransactionOnceAcrossARotation) {
  const std::string domain1 = "SET SESSION gtid_domain_id = 1";
  const std::string domain2 = "SET SESSION gtid_domain_id = 2";
  Run("CREATE TABLE st.burst (pk INT PRIMARY KEY)");
  Run(domain2);
  Run("INSERT INTO st.burst VALUES (-1)");  // before the start: never read
  Run(domain1);
  Run("INSERT INTO st.burst VALUES (-2)");
  const std::string start = Pos();
  ASSERT_NE(start.find("2-1-"), std::string::npos) << start;
  int waits = 0;
  std::vector<std::string> script[] = {
      {"INSERT INTO st.burst VALUES (1)", domain2, "INSERT INTO st.burst VALUES (2)"},
      {"INSERT INTO st.burst VALUES (3)", "FLUSH BINARY LOGS", domain1,
       "INSERT INTO st.burst VALUES (4)"},
      {},  // a quiet burst
      {"FLUSH BINARY LOGS"},
      {domain2, "INSERT INTO st.burst VALUES (5)", domain1},
  };
  auto between = [&] {
    if (waits < static_cast<int>(std::size(script))) {
      for (const std::string& statement : script[waits]) Run(statement);
    }
    ++waits;
    return true;
  };
  auto stream = Open(start, "burst", 1000110, 1000, between);
  ASSERT_NE(stream, nullptr);
  TransactionReader reader(stream.get());
  std::vector<int64_t> pks;
  int heartbeats = 0;
  while (pks.size() < 5 && waits < 20) {
    auto txn = reader.Next();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    if (!txn->has_value()) ++heartbeats;
    for (const auto& rc : txn->has_value() ? (**txn).changes : std::vector<binlog::RowChange>{}) {
      pks.push_back(Pk(rc));
    }
  }
  EXPECT_EQ(pks, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(stream->position().ToString(), Pos());
  EXPECT_GE(heartbeats, 2) << "the first burst and the quiet one read no group";
  EXPECT_GE(stream->bursts(), 6);
  EXPECT_EQ(stream->bursts_at_file_position(), stream->bursts() - 1)
      << "every burst after the first starts at a file offset, not by GTID";
}

// Connecting once a second makes a connection limit likelier to bite. A
// burst that cannot connect (here the user's max_user_connections, error
// 1226; "too many connections" is 1040) is retried with the reconnect backoff; a reader
// that is stopping ends the retries at once.
TEST_F(BinlogStreamTest, ABurstThatCannotConnectIsRetriedUntilTheReaderStops) {
  Run("CREATE USER IF NOT EXISTS 'burster'@'%' WITH MAX_USER_CONNECTIONS 1");
  Run("GRANT REPLICATION SLAVE, SELECT ON *.* TO 'burster'@'%'");
  Run("CREATE TABLE st.limited (pk INT PRIMARY KEY)");
  DcConfig dc = sandbox_->topology().dcs[0];
  dc.user = "burster";
  std::unique_ptr<Connection> holder;  // the user's one connection, when held
  auto hold = [&] {
    // The server counts a closed session until its thread has noticed.
    auto c = Connection::Open(dc, "", SessionOptions{});
    for (int i = 0; i < 100 && !c.ok(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      c = Connection::Open(dc, "", SessionOptions{});
    }
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    holder = std::move(*c);
  };
  int waits = 0, sleeps = 0;
  bool stopping = false;
  binlog::BinlogStreamOptions options;
  options.server_id = 1000112;
  options.start_position = Pos();
  options.filter = {"st", "limited"};
  options.between_bursts = [&] {
    if (waits++ == 0) {
      Run("INSERT INTO st.limited VALUES (1)");
      hold();
    } else {
      hold();
      stopping = true;
    }
    return true;
  };
  options.sleep_ms = [&](int64_t) {
    if (++sleeps != 2 || stopping) return;
    holder.reset();  // the second attempt connects, once the server has let go
    for (int i = 0; i < 100; ++i) {
      auto left = conn_->QueryValue(
          "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'burster'");
      if (left.ok() && left->value_or("") == "0") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  };
  options.stopping = [&] { return stopping; };
  auto opened = BinlogStream::Open(dc, "", options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  BinlogStream& stream = **opened;
  TransactionReader reader(&stream);
  std::optional<Transaction> read;
  while (!read && waits < 5) {
    auto txn = reader.Next();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    read = std::move(*txn);
  }
  ASSERT_TRUE(read.has_value());
  ASSERT_EQ(read->changes.size(), 1u);
  EXPECT_EQ(Pk(read->changes[0]), 1);
  EXPECT_EQ(stream.reconnects(), 1) << "the refused burst was retried";
  EXPECT_EQ(sleeps, 2);

  auto next = reader.Next();  // the next burst cannot connect, and the reader stops
  ASSERT_FALSE(next.ok());
  EXPECT_TRUE(next.status().IsUnavailable()) << next.status().ToString();
  EXPECT_NE(next.status().ToString().find("stopped while reconnecting"), std::string::npos)
      << next.status().ToString();
  EXPECT_EQ(sleeps, 3) << "one backoff, not the whole series";
  holder.reset();
  Run("DROP USER 'burster'@'%'");
}

// The file a burst would start in is purged meanwhile: the server refuses
// the offset, and the burst starts by GTID in the next file. Last in this
// file: it purges the binlogs the tests before read.
TEST_F(BinlogStreamTest, ABurstWhoseFileWasPurgedStartsByGtid) {
  Run("CREATE TABLE st.purged (pk INT PRIMARY KEY)");
  const std::string start = Pos();
  int waits = 0;
  auto between = [&] {
    if (waits++ == 0) {
      Run("FLUSH BINARY LOGS");
      auto logs = conn_->Query("SHOW MASTER STATUS");
      EXPECT_TRUE(logs.ok() && !logs->rows.empty());
      if (logs.ok() && !logs->rows.empty()) {
        Run("PURGE BINARY LOGS TO '" + logs->Get(0, "File").value_or("") + "'");
      }
      Run("INSERT INTO st.purged VALUES (7)");
    }
    return true;
  };
  auto stream = Open(start, "purged", 1000111, 1000, between);
  ASSERT_NE(stream, nullptr);
  std::vector<Transaction> read = ReadUntil(stream.get(), Seq() + 1);  // the INSERT
  ASSERT_EQ(read.size(), 1u);
  ASSERT_EQ(read[0].changes.size(), 1u);
  EXPECT_EQ(Pk(read[0].changes[0]), 7);
  EXPECT_EQ(stream->bursts_at_file_position(), 1) << "the offset was tried, and refused";
  EXPECT_GE(stream->bursts(), 3) << "the first by GTID, the refused one, and the one by GTID";
}

}  // namespace
}  // namespace lockstep::testing
