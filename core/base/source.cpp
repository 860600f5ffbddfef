#include "core/base/source.hpp"

#include <glob.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

#include "core/base/error.hpp"

namespace tandem {

namespace fs = std::filesystem;

WorkTreeSource::WorkTreeSource(std::string root) : m_root(std::move(root)) {
  std::error_code ec;
  m_real_root = fs::weakly_canonical(m_root, ec).string();
  if (ec) m_real_root = m_root;
}

bool WorkTreeSource::stays_inside(const std::string& path) const {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(fs::path(m_root) / path, ec);
  if (ec) return false;
  auto rel = real.lexically_relative(m_real_root);
  return !rel.empty() && *rel.begin() != "..";
}

std::optional<std::string> WorkTreeSource::read(const std::string& path, std::size_t max_bytes) const {
  fs::path full = fs::path(m_root) / path;
  std::error_code ec;
  auto status = fs::status(full, ec);
  if (ec || !fs::exists(status)) return std::nullopt;
  if (fs::is_directory(status)) throw Error(fmt::format("{} is a directory, not a plan file", path));
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

std::vector<std::string> WorkTreeSource::glob(const std::string& pattern) const {
  std::string escaped;
  for (char c : m_root) {
    if (c == '*' || c == '?' || c == '[' || c == '\\') escaped += '\\';
    escaped += c;
  }
  std::string full = escaped + "/" + pattern;
  glob_t g{};
  std::vector<std::string> out;
  if (::glob(full.c_str(), 0, nullptr, &g) == 0) {
    for (std::size_t i = 0; i < g.gl_pathc; ++i) {
      std::string p = g.gl_pathv[i];
      if (fs::is_regular_file(p)) out.push_back(fs::path(p).lexically_relative(m_root).generic_string());
    }
  }
  globfree(&g);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tandem
