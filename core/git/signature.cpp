#include "core/git/signature.hpp"

#include <algorithm>
#include <cctype>
#include <future>
#include <fmt/format.h>
#include <vector>

#include "core/base/process.hpp"

namespace tandem::signature {

namespace {

/// An SSH public key line without its comment: "type base64".
std::string ssh_key(const std::string& line) {
  auto first = line.find(' ');
  auto second = first == std::string::npos ? std::string::npos : line.find(' ', first + 1);
  return line.substr(0, second);
}

bool is_fingerprint(const std::string& key) { return key.size() == 40 && key.find(' ') == std::string::npos; }

/// The first line of a program's complaint, for a message.
std::string first_line(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  return line.size() > 200 ? line.substr(0, 200) : line;
}

/// The public key blob inside an armored SSH signature (SSHSIG: magic, version, then the key as an SSH
/// string), or "" when the signature is malformed.
std::string ssh_signature_key(const std::string& armored) {
  static constexpr std::string_view k_begin = "-----BEGIN SSH SIGNATURE-----", k_end = "-----END SSH SIGNATURE-----";
  auto begin = armored.find(k_begin), end = armored.find(k_end);
  if (begin == std::string::npos || end == std::string::npos || end < begin) return "";
  std::string blob = base64_decode(std::string_view(armored).substr(begin + k_begin.size(), end - begin - k_begin.size()));
  if (blob.size() < 14 || blob.compare(0, 6, "SSHSIG") != 0) return "";
  auto u32 = [&](std::size_t at) {
    return (std::uint32_t(std::uint8_t(blob[at])) << 24) | (std::uint32_t(std::uint8_t(blob[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(blob[at + 2])) << 8) | std::uint32_t(std::uint8_t(blob[at + 3]));
  };
  std::size_t length = u32(10);
  if (length > blob.size() - 14) return "";
  return blob.substr(14, length);
}

}  // namespace

std::string base64_decode(std::string_view text) {
  auto sextet = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = sextet(c);
    if (v < 0) continue;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

std::string dearmor(std::string_view armored) {
  static constexpr std::string_view k_begin = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
  static constexpr std::string_view k_end = "-----END PGP PUBLIC KEY BLOCK-----";
  std::string out;
  for (std::size_t at = armored.find(k_begin); at != std::string_view::npos; at = armored.find(k_begin, at)) {
    std::size_t end = armored.find(k_end, at);
    if (end == std::string_view::npos) break;
    std::string_view block = armored.substr(at + k_begin.size(), end - at - k_begin.size());
    at = end + k_end.size();
    // Armor headers ("Comment: …") end at the first empty line; the checksum line starts with '='.
    std::size_t body = block.find("\n\n");
    if (body == std::string_view::npos) body = block.find("\n\r\n");
    if (body != std::string_view::npos) block = block.substr(body + 1);
    std::size_t crc = block.find("\n=");
    out += base64_decode(block.substr(0, crc));
  }
  return out;
}

Verdict openpgp_verdict(const std::string& status, const std::map<std::string, std::string>& fingerprints) {
  // Only whole lines that start with the status prefix count: a key's user ID is printed inside GOODSIG
  // and the like, so a substring search would take whatever a signer wrote there.
  static constexpr std::string_view k_prefix = "[GNUPG:] ";
  std::vector<std::vector<std::string>> lines;
  for (std::size_t at = 0; at < status.size();) {
    std::size_t end = std::min(status.find('\n', at), status.size());
    std::string_view line = std::string_view(status).substr(at, end - at);
    at = end + 1;
    if (!line.starts_with(k_prefix)) continue;
    std::vector<std::string> words;
    for (std::size_t b = k_prefix.size(); b < line.size();) {
      std::size_t e = std::min(line.find(' ', b), line.size());
      if (e > b) words.emplace_back(line.substr(b, e - b));
      b = e + 1;
    }
    if (!words.empty()) lines.push_back(std::move(words));
  }
  auto count = [&](std::string_view keyword) {
    return std::count_if(lines.begin(), lines.end(), [&](const auto& w) { return w[0] == keyword; });
  };
  const std::string against = "against trust.keyring at the range's base";
  if (count("NEWSIG") > 1) return {"", "it carries more than one OpenPGP signature (tandem accepts exactly one)"};
  if (count("REVKEYSIG") + count("KEYREVOKED") > 0)
    return {"", fmt::format("its OpenPGP key is revoked (REVKEYSIG) {}", against)};
  if (count("BADSIG") > 0) return {"", "its OpenPGP signature is bad (BADSIG): the commit does not match it"};
  if (count("NO_PUBKEY") > 0)
    return {"", fmt::format("its OpenPGP signature cannot be checked (NO_PUBKEY): its key is not in trust.keyring at "
                            "the range's base")};
  if (count("ERRSIG") > 0) return {"", fmt::format("its OpenPGP signature cannot be checked (ERRSIG) {}", against)};
  std::string note;
  if (count("EXPKEYSIG") > 0) note = "its OpenPGP key has expired (EXPKEYSIG); the signature still counts";
  else if (count("EXPSIG") > 0) note = "its OpenPGP signature has expired (EXPSIG); it still counts";
  else if (count("GOODSIG") != 1) return {"", fmt::format("its OpenPGP signature does not verify {}", against)};
  auto valid = std::find_if(lines.begin(), lines.end(), [](const auto& w) { return w[0] == "VALIDSIG"; });
  if (count("VALIDSIG") != 1 || valid->size() < 2)
    return {"", fmt::format("its OpenPGP signature does not verify {}", against)};
  // VALIDSIG <signing key fpr> <date> <timestamp> <expiry> <version> <reserved> <algo> <hash> <class> <primary fpr>
  std::string primary = valid->back();
  std::transform(primary.begin(), primary.end(), primary.begin(), [](unsigned char c) { return std::toupper(c); });
  auto hit = fingerprints.find(primary);
  if (hit == fingerprints.end())
    return {"", "its OpenPGP key is in trust.keyring but its primary key's fingerprint is in no person's signing_keys"};
  return {hit->second, "", note};
}

/// One verification: either its verdict already, or the program to run and how to read its outcome.
struct Verifier::Job {
  std::optional<Verdict> verdict;
  process::Call call;
  std::string principal;  ///< SSH: the person whose key is in the signature
};

Verifier::Verifier(const model::Config& config, std::string keyring) : m_keyring(std::move(keyring)) {
  for (const auto& p : config.people) {
    if (!p.id.has()) continue;
    for (const auto& k : p.signing_keys.values) {
      if (is_fingerprint(*k)) {
        std::string upper = *k;
        std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
        m_fingerprints[upper] = *p.id;
        continue;
      }
      std::string line = ssh_key(*k);
      m_allowed_signers += fmt::format("{} namespaces=\"git\" {}\n", *p.id, line);
      m_ssh_keys.emplace(base64_decode(line.substr(line.find(' ') + 1)), *p.id);
    }
  }
}

Verifier::~Verifier() = default;

const process::TempDir& Verifier::dir() {
  if (!m_dir) m_dir = std::make_unique<process::TempDir>();
  return *m_dir;
}

Verdict Verifier::verify(const Signed& signed_commit) { return verify_all({signed_commit}).front(); }

std::vector<Verdict> Verifier::verify_all(const std::vector<Signed>& signed_commits) {
  std::vector<Job> jobs;
  for (const auto& s : signed_commits) jobs.push_back(prepare(s));
  // The programs run on threads of their own, 8 at a time; each thread only waits for its program.
  constexpr std::size_t k_parallel = 8;
  std::vector<Verdict> out(jobs.size());
  for (std::size_t start = 0; start < jobs.size(); start += k_parallel) {
    std::vector<std::pair<std::size_t, std::future<process::Outcome>>> running;
    for (std::size_t i = start; i < std::min(jobs.size(), start + k_parallel); ++i) {
      if (jobs[i].verdict) out[i] = *jobs[i].verdict;
      else running.emplace_back(i, std::async(std::launch::async, process::run, jobs[i].call));
    }
    for (auto& [i, future] : running) {
      process::Outcome r = future.get();
      const std::string& program = jobs[i].call.argv[0];
      if (r.timed_out) out[i] = {"", fmt::format("{} took more than 10 s and was stopped", program)};
      else if (!jobs[i].principal.empty())
        out[i] = r.exit_code == 0 ? Verdict{jobs[i].principal, ""}
                                  : Verdict{"", fmt::format("its SSH signature does not verify ({})", first_line(r.err + r.out))};
      else out[i] = openpgp_verdict(r.out, m_fingerprints);
    }
  }
  return out;
}

Verifier::Job Verifier::prepare(const Signed& signed_commit) {
  if (!signed_commit) return {Verdict{"", "the commit is not signed"}, {}, {}};
  const auto& [sig, data] = *signed_commit;
  if (sig.find("-----BEGIN SSH SIGNATURE-----") != std::string::npos) return prepare_ssh(sig, data);
  if (sig.find("-----BEGIN PGP SIGNATURE-----") != std::string::npos) return prepare_openpgp(sig, data);
  return {Verdict{"", "the commit's signature is neither SSH nor OpenPGP (X.509 is not supported)"}, {}, {}};
}

Verifier::Job Verifier::prepare_ssh(const std::string& sig, const std::string& data) {
  if (m_allowed_signers.empty())
    return {Verdict{"", "it is signed with an SSH key, and no person lists an SSH key at the range's base"}, {}, {}};
  // The person whose key is in the signature (as `ssh-keygen -Y find-principals` would say, without
  // running it); then `ssh-keygen -Y verify` checks the signature against that person's keys.
  auto who = m_ssh_keys.find(ssh_signature_key(sig));
  if (who == m_ssh_keys.end())
    return {Verdict{"", "it is signed with an SSH key that no person lists in signing_keys at the range's base"}, {}, {}};
  if (m_allowed_path.empty()) m_allowed_path = dir().write("allowed_signers", m_allowed_signers);
  std::string sig_path = dir().write(fmt::format("commit-{}.sig", ++m_count), sig);
  return {std::nullopt,
          {{"ssh-keygen", "-Y", "verify", "-f", m_allowed_path, "-I", who->second, "-n", "git", "-s", sig_path},
           data, std::chrono::seconds(10), {}, "openssh-client"},
          who->second};
}

Verifier::Job Verifier::prepare_openpgp(const std::string& sig, const std::string& data) {
  if (m_fingerprints.empty())
    return {Verdict{"", "it is signed with an OpenPGP key, and no person lists an OpenPGP fingerprint at the range's base"},
            {}, {}};
  if (m_keyring_path.empty()) {
    std::string packets = dearmor(m_keyring);
    if (packets.empty())
      return {Verdict{"", "it is signed with an OpenPGP key, and trust.keyring holds no public key at the range's base"},
              {}, {}};
    m_keyring_path = dir().write("keyring.gpg", packets);
  }
  std::size_t n = ++m_count;
  std::string sig_path = dir().write(fmt::format("commit-{}.asc", n), sig);
  std::string data_path = dir().write(fmt::format("commit-{}.data", n), data);
  return {std::nullopt,
          {{"gpgv", "--homedir", dir().path(), "--keyring", m_keyring_path, "--status-fd", "1", sig_path, data_path},
           "", std::chrono::seconds(10), {"GNUPGHOME=" + dir().path()}, "gpgv"},
          ""};
}

}  // namespace tandem::signature
