// The fixture of an integration test suite: one sandbox for the whole suite.
// Header-only, because it reads LOCKSTEP_TEST_BASE_PORT, which each test
// binary defines for itself (tests/CMakeLists.txt).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "support/sandbox.h"

namespace lockstep::testing {

// A test suite sharing one sandbox of kDcs DCs, started once for the suite
// on the binary's own base port (LOCKSTEP_TEST_BASE_PORT) and stopped after it.
template <int kDcs>
class SandboxSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SandboxOptions options = SandboxOptions::Mesh(kDcs, LOCKSTEP_TEST_BASE_PORT);
    // LOCKSTEP_TEST_LATENCY_MS=30 runs a suite over DRC links 30 ms each way
    // (sandbox/bench/cutover does, for the multi-DC fault tests).
    if (const char* latency = std::getenv("LOCKSTEP_TEST_LATENCY_MS")) {
      options.latency_ms = std::atoi(latency);
      std::cout << "[ sandbox  ] DRC links through " << options.latency_ms << " ms proxies\n";
    }
    auto s = Sandbox::Start(options);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    sandbox_ = std::move(*s).release();
  }
  static void TearDownTestSuite() {
    delete sandbox_;
    sandbox_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(sandbox_, nullptr) << "the sandbox did not start"; }

  // A connection to DC k; fails the test when it cannot connect.
  static std::unique_ptr<Connection> Dc(int k) {
    auto c = sandbox_->Connect(k);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(*c) : nullptr;
  }

  static inline Sandbox* sandbox_ = nullptr;
};

}  // namespace lockstep::testing
