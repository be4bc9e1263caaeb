// The state database file is created 0600 and a loose one is refused.
#include "state/state_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "state_test_support.h"

namespace lockstep {
namespace {

void MakeFile(const std::string& path, mode_t mode) {
  int fd = open(path.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(fchmod(fd, mode), 0);
  close(fd);
}

class StateFileTest : public StateDirTest {
 protected:

};

TEST_F(StateFileTest, CreatesMissingFileWith0600EvenUnderPermissiveUmask) {
  Status s;
  {
    ScopedUmask permissive(0);
    s = EnsurePrivateStateFile(path_);
  }
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(ModeOf(path_), 0600u);
  EXPECT_EQ(std::filesystem::file_size(path_), 0u);
}

TEST_F(StateFileTest, CreatesFileWritableByOwnerUnderRestrictiveUmask) {
  Status s;
  {
    ScopedUmask restrictive(0277);
    s = EnsurePrivateStateFile(path_);
  }
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(ModeOf(path_), 0600u);
}

TEST_F(StateFileTest, AcceptsExisting0600FileAndLeavesIt) {
  MakeFile(path_, 0600);
  EXPECT_TRUE(EnsurePrivateStateFile(path_).ok());
  EXPECT_TRUE(EnsurePrivateStateFile(path_).ok());
  EXPECT_EQ(ModeOf(path_), 0600u);
}

TEST_F(StateFileTest, RefusesWorldReadableFileWithoutChangingIt) {
  MakeFile(path_, 0644);
  Status s = EnsurePrivateStateFile(path_);
  ASSERT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.message().find("0644"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("chmod 600 " + path_), std::string::npos) << s.message();
  EXPECT_EQ(ModeOf(path_), 0644u) << "refused, not silently tightened";
}

TEST_F(StateFileTest, RefusesGroupAccessibleFiles) {
  for (mode_t mode : {0640, 0660, 0620, 0601}) {
    std::filesystem::remove(path_);
    MakeFile(path_, mode);
    EXPECT_EQ(EnsurePrivateStateFile(path_).code(), StatusCode::kFailedPrecondition)
        << FormatFileMode(mode);
  }
}

TEST_F(StateFileTest, RefusesLooseWalOrShmCompanion) {
  MakeFile(path_, 0600);
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string companion = path_ + suffix;
    MakeFile(companion, 0644);
    Status s = EnsurePrivateStateFile(path_);
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << suffix;
    EXPECT_NE(s.message().find(companion), std::string::npos) << s.message();
    std::filesystem::remove(companion);
  }
  EXPECT_TRUE(EnsurePrivateStateFile(path_).ok());
}

TEST_F(StateFileTest, MissingParentDirectoryIsAClearError) {
  const std::string nested = (dir_ / "no" / "such" / "state.db").string();
  Status s = EnsurePrivateStateFile(nested);
  ASSERT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.message().find("does not exist"), std::string::npos) << s.message();
  EXPECT_FALSE(std::filesystem::exists(dir_ / "no"));
}

TEST_F(StateFileTest, RefusesSymlinkAndDirectory) {
  MakeFile((dir_ / "real.db").string(), 0600);
  std::filesystem::create_symlink(dir_ / "real.db", path_);
  EXPECT_EQ(EnsurePrivateStateFile(path_).code(), StatusCode::kFailedPrecondition);
  std::filesystem::remove(path_);
  std::filesystem::create_directory(path_);
  EXPECT_EQ(EnsurePrivateStateFile(path_).code(), StatusCode::kFailedPrecondition);
}

TEST_F(StateFileTest, EmptyPathIsInvalid) {
  EXPECT_TRUE(EnsurePrivateStateFile("").IsInvalidArgument());
}

}  // namespace
}  // namespace lockstep
