#include "state/state_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace lockstep {
namespace {

constexpr mode_t kPrivateMode = 0600;
constexpr mode_t kGroupOtherBits = 0077;

Status ErrnoStatus(const std::string& what, const std::string& path, int err) {
  return Status::IoError(path + ": " + what + ": " + std::strerror(err) + " (errno " +
                         std::to_string(err) + ")");
}

Status CheckParentDirectory(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  struct stat st;
  if (stat(parent.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return Status::FailedPrecondition("directory " + parent.string() +
                                        " for the state database " + path +
                                        " does not exist; create it (mode 0700) first");
    }
    return ErrnoStatus("stat of the parent directory", path, errno);
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status::FailedPrecondition(parent.string() + " (parent of the state database " + path +
                                      ") is not a directory");
  }
  return Status::Ok();
}

// Checks one existing file: regular, not a symlink, no group/other bits.
// A missing file is fine when `may_be_missing` (the -wal and -shm files).
Status CheckExistingFile(const std::string& file, const std::string& db_path, bool may_be_missing) {
  struct stat st;
  if (lstat(file.c_str(), &st) != 0) {
    if (errno == ENOENT && may_be_missing) return Status::Ok();
    return ErrnoStatus("lstat", file, errno);
  }
  if (S_ISLNK(st.st_mode)) {
    return Status::FailedPrecondition(file +
                                      " is a symbolic link; the state database must be a "
                                      "regular file (give lockstep its real path)");
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::FailedPrecondition(file + " is not a regular file");
  }
  if ((st.st_mode & kGroupOtherBits) != 0) {
    return Status::FailedPrecondition(
        file + " has mode " + FormatFileMode(st.st_mode) +
        ": group or others can access it, and the state database (" + db_path +
        ") holds topology details. Check who may have read it, then run `chmod 600 " + file +
        "`; lockstep does not tighten it silently.");
  }
  return Status::Ok();
}

// Makes the new file's directory entry durable, so a crash right after
// creation cannot leave a database whose file name was never written.
Status SyncDirectory(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  int fd = open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open of the parent directory", path, errno);
  int rc = fsync(fd);
  int err = errno;
  close(fd);
  if (rc != 0) return ErrnoStatus("fsync of the parent directory", path, err);
  return Status::Ok();
}

}  // namespace

std::string FormatFileMode(unsigned mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
  return buf;
}

Status EnsurePrivateStateFile(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("the state database path is empty");
  LOCKSTEP_RETURN_IF_ERROR(CheckParentDirectory(path));

  // O_EXCL makes creation race-free: either this call creates the file with
  // the mode given here, or the file existed and its mode is checked below.
  // O_NOFOLLOW with O_EXCL also refuses a planted symlink.
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kPrivateMode);
  if (fd >= 0) {
    // The umask can only remove bits; a umask such as 0277 would leave the
    // owner unable to write, so set the mode exactly.
    int rc = fchmod(fd, kPrivateMode);
    int err = errno;
    close(fd);
    if (rc != 0) return ErrnoStatus("fchmod 0600", path, err);
    return SyncDirectory(path);
  }
  if (errno != EEXIST) return ErrnoStatus("create", path, errno);

  LOCKSTEP_RETURN_IF_ERROR(CheckExistingFile(path, path, /*may_be_missing=*/false));
  // SQLite reuses existing -wal/-shm files as they are; a readable -wal holds
  // recent rows in the clear.
  LOCKSTEP_RETURN_IF_ERROR(CheckExistingFile(path + "-wal", path, /*may_be_missing=*/true));
  LOCKSTEP_RETURN_IF_ERROR(CheckExistingFile(path + "-shm", path, /*may_be_missing=*/true));
  return Status::Ok();
}

}  // namespace lockstep
