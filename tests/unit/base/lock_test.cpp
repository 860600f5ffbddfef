// core/base/lock: the editing commands' advisory lock.
#include <doctest/doctest.h>

#include <filesystem>
#include <stdlib.h>

#include "core/base/error.hpp"
#include "core/base/lock.hpp"

using namespace tandem;
using namespace std::chrono_literals;

TEST_CASE("a held lock makes another wait until its time runs out, and a released one is taken at once") {
  std::string dir = (std::filesystem::temp_directory_path() / "tandem-lock-XXXXXX").string();
  REQUIRE(::mkdtemp(dir.data()) != nullptr);
  std::string path = dir + "/tandem.lock";
  {
    FileLock first(path, 0ms);
    CHECK(std::filesystem::exists(path));
    bool told = false;
    // flock locks belong to the open file: a second open in the same process conflicts like another process.
    CHECK_THROWS_WITH_AS(FileLock(path, 30ms, [&] { told = true; }),
                         ("another tandem edit has held " + path + " for 0.03 s; nothing written (run the command "
                          "again when that edit is done: the lock is released when its process ends)")
                             .c_str(),
                         Error);
    CHECK_FALSE(told);  // it says it waits only after a second
  }
  FileLock again(path, 0ms);
  CHECK(again.path() == path);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a lock file that cannot be made is an error naming it") {
  CHECK_THROWS_WITH_AS(FileLock("/nonexistent-dir/tandem.lock", 0ms),
                       "cannot open the edit lock /nonexistent-dir/tandem.lock: No such file or directory", Error);
}
