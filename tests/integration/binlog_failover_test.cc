// BinlogStream in bursts when another server answers at the DC's address, as
// after a failover behind a virtual IP: a file offset read from the first
// server means nothing on the second, so the next burst must start by GTID
// there, and no transaction may be lost or read twice. A forwarder of the
// test's own stands in for the address; the two servers are two DCs of one
// mesh, so the second has the first one's transactions with their GTIDs.
// Here the second refuses the offset (its binlog files have other names);
// where the names match, the server id in the dump's first rotate gives the
// switch away (BinlogStream).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "executor/binlog/binlog_stream.h"
#include "executor/binlog/transaction_reader.h"
#include "support/sandbox_suite.h"

namespace lockstep::testing {
namespace {

// Listens on 127.0.0.1:`port` and forwards every connection to
// 127.0.0.1:`target`; closing it closes them all, as a moved address does.
class Forwarder {
 public:
  Forwarder(int port, int target) : target_(target) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr = Loopback(port);
    ok_ = ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
          ::listen(listener_, 16) == 0;
    if (ok_) accepter_ = std::thread([this] { Accept(); });
  }
  ~Forwarder() {
    stop_ = true;
    if (accepter_.joinable()) accepter_.join();
    ::close(listener_);
    std::lock_guard lock(mu_);
    for (auto& pipe : pipes_) pipe.join();
  }
  bool ok() const { return ok_; }

 private:
  static sockaddr_in Loopback(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
  }

  void Accept() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      const int server = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr = Loopback(target_);
      if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(client);
        ::close(server);
        continue;
      }
      std::lock_guard lock(mu_);
      pipes_.emplace_back([this, client, server] { Pipe(client, server); });
    }
  }

  void Pipe(int client, int server) {
    char buffer[65536];
    pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    while (!stop_) {
      if (::poll(fds, 2, 20) <= 0) continue;
      bool closed = false;
      for (int i = 0; i < 2 && !closed; ++i) {
        if (fds[i].revents == 0) continue;
        const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
        closed = n <= 0 || ::write(fds[1 - i].fd, buffer, static_cast<size_t>(n)) != n;
      }
      if (closed) break;
    }
    ::close(client);
    ::close(server);
  }

  int target_;
  int listener_ = -1;
  bool ok_ = false;
  std::atomic<bool> stop_{false};
  std::thread accepter_;
  std::mutex mu_;
  std::vector<std::thread> pipes_;  // guarded by mu_
};

class BinlogFailoverTest : public SandboxSuite<2> {};

// Waits until `c` holds `count` rows of st.fo (replication from the other DC).
void WaitForRows(Connection& c, int count) {
  for (int i = 0; i < 500; ++i) {
    auto n = c.QueryValue("SELECT COUNT(*) FROM st.fo");
    if (n.ok() && n->value_or("") == std::to_string(count)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "st.fo never had " << count << " rows";
}

TEST_F(BinlogFailoverTest, AnotherServerAtTheAddressIsReadByGtidWithNothingLostOrRepeated) {
  auto dc1 = Dc(1), dc2 = Dc(2);
  ASSERT_TRUE(dc1->Execute("CREATE DATABASE IF NOT EXISTS st").ok());
  ASSERT_TRUE(dc1->Execute("CREATE TABLE st.fo (pk INT PRIMARY KEY)").ok());
  ASSERT_TRUE(dc1->Execute("INSERT INTO st.fo VALUES (0)").ok());
  WaitForRows(*dc2, 1);

  const DcConfig first = sandbox_->topology().dcs[0], second = sandbox_->topology().dcs[1];
  const int address = LOCKSTEP_TEST_BASE_PORT + 90;
  auto forwarder = std::make_unique<Forwarder>(address, static_cast<int>(first.port));
  ASSERT_TRUE(forwarder->ok()) << "cannot listen on " << address;
  DcConfig dc = first;
  dc.port = static_cast<unsigned>(address);

  int waits = 0;
  binlog::BinlogStreamOptions options;
  options.server_id = 1000120;
  options.start_position = dc1->QueryValue("SELECT @@gtid_binlog_pos")->value_or("");
  options.filter = {"st", "fo"};
  options.between_bursts = [&] {
    if (waits == 0) {
      EXPECT_TRUE(dc1->Execute("INSERT INTO st.fo VALUES (1)").ok());
    } else if (waits == 1) {
      // The address moves to the other server, which has row 1 and then 2.
      WaitForRows(*dc2, 2);
      forwarder.reset();
      forwarder = std::make_unique<Forwarder>(address, static_cast<int>(second.port));
      EXPECT_TRUE(forwarder->ok());
      EXPECT_TRUE(dc1->Execute("INSERT INTO st.fo VALUES (2)").ok());
      WaitForRows(*dc2, 3);
    }
    ++waits;
    return true;
  };
  auto opened = binlog::BinlogStream::Open(dc, "", options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  binlog::TransactionReader reader(opened->get());
  std::vector<int64_t> pks;
  while (pks.size() < 2 && waits < 10) {
    auto txn = reader.Next();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    if (!txn->has_value()) continue;
    for (const auto& rc : (**txn).changes) {
      pks.push_back((rc.after ? *rc.after : *rc.before)[0].AsSigned());
    }
  }
  EXPECT_EQ(pks, (std::vector<int64_t>{1, 2}));
  EXPECT_GE((*opened)->bursts_at_file_position(), 1) << "the second burst tried the offset";
  // Nothing more: a burst on the second server reads no group twice.
  for (int i = 0; i < 3; ++i) {
    auto txn = reader.Next();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    EXPECT_FALSE(txn->has_value()) << "a transaction read twice";
  }
}

}  // namespace
}  // namespace lockstep::testing
