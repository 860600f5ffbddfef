// core/base/process: programs run without a shell, with a time limit, on temporary files of tandem's own.
#include "core/base/process.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/base/error.hpp"

using namespace tandem;

TEST_CASE("a program gets its stdin and arguments as given, no shell involved") {
  auto r = process::run({{"cat"}, "one\ntwo $(no shell)\n", std::chrono::seconds(10), {}, ""});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "one\ntwo $(no shell)\n");
  auto echo = process::run({{"echo", "a;b", "$HOME"}, "", std::chrono::seconds(10), {}, ""});
  CHECK(echo.out == "a;b $HOME\n");
  auto failing = process::run({{"ls", "/no/such/path"}, "", std::chrono::seconds(10), {}, ""});
  CHECK(failing.exit_code != 0);
  CHECK(!failing.err.empty());
}

TEST_CASE("a large stdin to a program that does not read it does not block or kill tandem") {
  auto r = process::run({{"true"}, std::string(4u << 20, 'x'), std::chrono::seconds(10), {}, ""});
  CHECK(r.exit_code == 0);
}

TEST_CASE("a program that runs too long is killed after the limit") {
  auto r = process::run({{"sleep", "30"}, "", std::chrono::milliseconds(200), {}, ""});
  CHECK(r.timed_out);
  CHECK(r.exit_code == -1);
}

TEST_CASE("a missing program is an error naming its Debian package") {
  CHECK_THROWS_WITH_AS(process::run({{"tandem-no-such-program"}, "", std::chrono::seconds(1), {}, "openssh-client"}),
                       "tandem-no-such-program is not installed: on Debian, apt-get install openssh-client", Error);
}

TEST_CASE("a temporary directory is private and removed with its files") {
  std::string path, file;
  {
    process::TempDir dir;
    path = dir.path();
    file = dir.write("a.sig", "bytes");
    CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) == std::filesystem::perms::owner_all);
    std::ifstream in(file);
    std::string text;
    in >> text;
    CHECK(text == "bytes");
    CHECK_THROWS_AS(dir.write("a.sig", "again"), Error);  // never overwrites
  }
  CHECK(!std::filesystem::exists(path));
}

TEST_CASE("a long-lived program answers one request at a time, in exactly the environment given") {
  process::Child cat({"cat"}, {}, std::chrono::seconds(10));
  for (int i = 0; i < 3; ++i) {
    cat.write("line " + std::to_string(i) + "\n");
    CHECK(cat.read_line() == "line " + std::to_string(i));
  }
  std::string big(60000, 'x');  // written whole, then read back in pieces
  cat.write(big);
  std::string back(big.size(), '\0');
  for (std::size_t at = 0; at < back.size();) at += cat.read_some(back.data() + at, back.size() - at);
  CHECK(back == big);

  ::setenv("TANDEM_TEST_LEAK", "1", 1);
  process::Child env({"env"}, {"ONLY=this"}, std::chrono::seconds(10));
  ::unsetenv("TANDEM_TEST_LEAK");
  CHECK(env.read_line() == "ONLY=this");
  CHECK_THROWS_AS(env.read_line(), Error);  // its output ends there
  CHECK(env.closed());
  CHECK_THROWS_AS(env.write("x"), Error);
}

TEST_CASE("a long-lived program that stalls is killed after the limit, and a missing one throws") {
  process::Child sleeper({"sleep", "30"}, {}, std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(sleeper.read_line(), Error);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  CHECK(sleeper.closed());
  CHECK_THROWS_AS(process::Child({"tandem-no-such-program"}, {}, std::chrono::seconds(1)), Error);
}
