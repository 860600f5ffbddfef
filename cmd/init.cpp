#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>

#include "cmd/common.hpp"
#include "core/base/error.hpp"
#include "core/plan/init.hpp"
#include "core/plan/kinds.hpp"
#include "core/base/text.hpp"

namespace tandem::cmd {

namespace fs = std::filesystem;

namespace {

/// The merge driver for the new plan's files (SPEC 13), when `target` is in a git repository.
void install_driver(const fs::path& target, bool quiet) {
  std::vector<std::string> patterns{"tandem.yaml"};
  for (const auto& kind : kinds::k_lists) patterns.emplace_back(kind.default_file);
  try {
    git::Repository probe(target.string());
  } catch (const Error&) {
    if (!quiet) print("not in a git repository: after 'git init', run 'tandem merge-driver install'\n");
    return;
  }
  install_merge_driver(target.string(), patterns, false, quiet);
}

}  // namespace

void add_init(CLI::App& sub, const Command&, Globals& g, int& exit_code) {
  static std::string dir;
  sub.add_option("DIR", dir, "where to write it (default: the current directory, or -C)");
  sub.callback([&g, &exit_code] {
    fs::path target = dir.empty() ? fs::path(g.dir) : fs::path(dir);
    auto files = init::starter_files();
    std::vector<std::string> existing;
    for (const auto& [name, content] : files) {
      std::error_code ec;
      if (fs::exists(target / name, ec) || fs::is_symlink(target / name, ec)) existing.push_back(name);
    }
    if (!existing.empty())
      throw Error(fmt::format("{} already exist{} in {}; init never overwrites a file", join(existing, ", "),
                              existing.size() == 1 ? "s" : "", target.string()));
    std::error_code ec;
    fs::create_directories(target / ".tandem" / "schemas", ec);
    if (ec) throw Error(fmt::format("cannot create {}: {}", (target / ".tandem").string(), ec.message()));
    for (const auto& [name, content] : files) {
      std::string path = (target / name).string();
      int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
      if (fd < 0) throw Error(fmt::format("cannot create {}: {}", path, std::strerror(errno)));
      bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
      ok = ::close(fd) == 0 && ok;
      if (!ok) throw Error(fmt::format("cannot write {}", path));
      if (!g.quiet) print(fmt::format("created {}\n", path));
    }
    install_driver(target, g.quiet);
    if (!g.quiet) print("next: edit the files, then run 'tandem check'\n");
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
