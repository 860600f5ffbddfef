#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/plan/model.hpp"

namespace tandem::process {
class TempDir;
}

namespace tandem::signature {

/// Who signed a commit, as far as the listed keys can tell.
struct Verdict {
  std::string person;  ///< the id of the person whose listed key verifies the signature; empty when none
  std::string reason;  ///< when `person` is empty: why ("the commit is not signed", …)
  std::string note = {};  ///< when `person` is set: what a reviewer should still know (an expired key)
};

/// Verifies commit signatures the way git does, against the keys `people[].signing_keys` lists (SSH
/// keys with `ssh-keygen -Y verify -n git`, OpenPGP fingerprints with `gpgv` and the keyring). The
/// programs run without a shell, with a time limit, on files in a temporary directory of tandem's own.
class Verifier {
public:
  /// `keyring`: the armored OpenPGP public keys (`trust.keyring`'s content), empty when there are none.
  Verifier(const model::Config& config, std::string keyring);
  ~Verifier();
  Verifier(const Verifier&) = delete;
  Verifier& operator=(const Verifier&) = delete;

  using Signed = std::optional<std::pair<std::string, std::string>>;
  /// Verifies a commit's signature and signed bytes (Repository::signature); nullopt: not signed.
  /// Throws tandem::Error when the program it needs is not installed.
  Verdict verify(const Signed& signed_commit);
  /// The same for many commits, in the same order; up to 8 programs run at a time (a verification
  /// mostly waits for its program to start).
  std::vector<Verdict> verify_all(const std::vector<Signed>& signed_commits);

private:
  struct Job;
  Job prepare(const Signed& signed_commit);
  Job prepare_ssh(const std::string& sig, const std::string& data);
  Job prepare_openpgp(const std::string& sig, const std::string& data);
  const process::TempDir& dir();

  std::string m_allowed_signers;                           ///< the allowed-signers file's lines
  std::map<std::string, std::string> m_ssh_keys;           ///< SSH public key blob (bytes) -> person id
  std::map<std::string, std::string> m_fingerprints;       ///< OpenPGP fingerprint -> person id
  std::string m_keyring;                                   ///< armored
  std::unique_ptr<process::TempDir> m_dir;                 ///< made on first use
  std::string m_allowed_path, m_keyring_path;
  std::size_t m_count = 0;                                 ///< files written so far (unique names)
};

/// The verdict of gpgv's status output (`--status-fd`): only lines that start with "[GNUPG:] " count.
/// A revoked key (REVKEYSIG, KEYREVOKED), a bad (BADSIG) or uncheckable (ERRSIG, NO_PUBKEY) signature is
/// refused, saying which; an expired key or signature (EXPKEYSIG, EXPSIG) verifies with a note. The
/// signer is the person whose `signing_keys` lists the primary key's fingerprint (VALIDSIG's last field);
/// `fingerprints` maps upper-case fingerprints to person ids.
Verdict openpgp_verdict(const std::string& status, const std::map<std::string, std::string>& fingerprints);

/// The binary OpenPGP packets of armored key blocks ("-----BEGIN PGP PUBLIC KEY BLOCK-----"), which
/// gpgv reads as a keyring; empty when there are none.
std::string dearmor(std::string_view armored);

/// The bytes of base64 text (characters outside the alphabet, such as line breaks and '=', are skipped).
std::string base64_decode(std::string_view text);

/// How to make git sign commits, for messages.
inline constexpr const char* k_signing_hint =
    "sign your commits: git config gpg.format ssh; git config user.signingkey ~/.ssh/id_ed25519.pub; "
    "git config commit.gpgsign true (and list the key under your signing_keys in tandem.yaml on the base branch)";

}  // namespace tandem::signature
