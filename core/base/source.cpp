#include "core/base/source.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

#include "core/base/error.hpp"

namespace tandem {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = std::min(path.find('/', pos), path.size());
    if (slash > pos) out.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

std::string join(const std::string& dir, const std::string& name) { return dir.empty() ? name : dir + "/" + name; }

}  // namespace

std::string link_refusal(const std::string& path, const std::string& link) {
  // The same in history and the working tree: a commit's link could lead anywhere, so neither side
  // follows one (a link that stays inside would still let two names show one file).
  return link == path ? fmt::format("'{}' is a symbolic link", path)
                      : fmt::format("'{}' goes through the symbolic link '{}'", path, link);
}

bool glob_match(const std::string& segment, const std::string& name) {
  // FNM_PERIOD: `*`, `?` and `[.]` never match a leading dot, as glob(3) does in the working tree.
  return ::fnmatch(segment.c_str(), name.c_str(), FNM_PERIOD) == 0;
}

/// One segment at a time, the same on every side: a commit's tree and the working tree are listed
/// directory by directory, so thousands of files under one glob cost one listing, not a walk each.
std::vector<std::string> Source::glob(const std::string& pattern) const {
  auto parts = segments(pattern);
  std::vector<std::string> dirs{""}, out;
  for (std::size_t i = 0; i < parts.size() && !dirs.empty(); ++i) {
    const std::string& seg = parts[i];
    bool last = i + 1 == parts.size();
    bool wild = seg.find_first_of("*?[\\") != std::string::npos;
    std::vector<std::string> next;
    for (const auto& dir : dirs) {
      std::vector<std::pair<std::string, EntryType>> found;
      if (!wild) {
        if (auto t = type(join(dir, seg)); t != EntryType::none) found.emplace_back(seg, t);
      } else {
        for (auto& [name, t] : list(dir))
          if (glob_match(seg, name)) found.emplace_back(std::move(name), t);
      }
      for (const auto& [name, t] : found) {
        if (t == EntryType::link) out.push_back(join(dir, name));  // the caller refuses it, by name
        // A submodule in a tree (or a device on disk) where a file is wanted: the caller refuses it too,
        // rather than the file vanishing from the plan.
        else if (last && (t == EntryType::file || t == EntryType::other)) out.push_back(join(dir, name));
        else if (!last && t == EntryType::directory) next.push_back(join(dir, name));
      }
    }
    dirs = std::move(next);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<std::string> Source::link_on(const std::string& path) const {
  std::string prefix;
  for (const auto& seg : segments(path)) {
    prefix = join(prefix, seg);
    EntryType t = type(prefix);
    if (t == EntryType::link) return prefix;
    if (t != EntryType::directory) return std::nullopt;  // the rest does not exist, or is not reached
  }
  return std::nullopt;
}

WorkTreeSource::WorkTreeSource(std::string root) : m_root(std::move(root)) {}

namespace {

EntryType to_type(const fs::file_status& s) {
  switch (s.type()) {
    case fs::file_type::not_found: return EntryType::none;
    case fs::file_type::regular: return EntryType::file;
    case fs::file_type::directory: return EntryType::directory;
    case fs::file_type::symlink: return EntryType::link;
    default: return EntryType::other;
  }
}

}  // namespace

EntryType WorkTreeSource::type(const std::string& path) const {
  std::error_code ec;
  auto s = fs::symlink_status(fs::path(m_root) / path, ec);
  if (s.type() == fs::file_type::not_found || ec == std::errc::not_a_directory) return EntryType::none;
  if (ec) throw Error(fmt::format("cannot read {}: {}", path, ec.message()));
  return to_type(s);
}

std::vector<std::pair<std::string, EntryType>> WorkTreeSource::list(const std::string& dir) const {
  std::vector<std::pair<std::string, EntryType>> out;
  std::error_code ec;
  fs::directory_iterator it(fs::path(m_root) / dir, ec);
  if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) return out;
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code entry_ec;
    auto s = it->symlink_status(entry_ec);
    out.emplace_back(it->path().filename().string(), entry_ec ? EntryType::other : to_type(s));
  }
  if (ec) throw Error(fmt::format("cannot read the directory {}: {}", dir.empty() ? "." : dir, ec.message()));
  return out;
}

std::optional<std::string> WorkTreeSource::read(const std::string& path, std::size_t max_bytes) const {
  switch (type(path)) {
    case EntryType::none: return std::nullopt;
    case EntryType::link: throw Error(fmt::format("{} is a symbolic link, not a plan file", path));
    case EntryType::directory: throw Error(fmt::format("{} is a directory, not a plan file", path));
    case EntryType::other: throw Error(fmt::format("{} is not a regular file", path));
    case EntryType::file: break;
  }
  fs::path full = fs::path(m_root) / path;
  std::error_code ec;
  auto size = fs::file_size(full, ec);
  if (!ec && size > max_bytes)
    throw Error(fmt::format("{} is {} bytes, more than the limit of {} (raise it with --max-file-size)", path, size,
                            max_bytes));
  std::ifstream in(full, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  std::string text;
  text.resize(static_cast<std::size_t>(size));
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.gcount() != static_cast<std::streamsize>(text.size()) && !in.eof())
    throw Error(fmt::format("cannot read {}", path));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

}  // namespace tandem
