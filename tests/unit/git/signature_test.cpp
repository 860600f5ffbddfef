// core/git/signature: the keyring made from armored keys, and verdicts that need no program.
#include "core/git/signature.hpp"

#include <doctest/doctest.h>

using namespace tandem;

TEST_CASE("dearmor decodes each armored public key block and skips headers and the checksum") {
  std::string armored =
      "junk before\n-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: test\n\naGVsbG8g\nd29ybGQ=\n=AbCd\n"
      "-----END PGP PUBLIC KEY BLOCK-----\n-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nIQ==\n"
      "-----END PGP PUBLIC KEY BLOCK-----\n";
  CHECK(signature::dearmor(armored) == "hello world!");
  CHECK(signature::dearmor("no keys here") == "");
}

TEST_CASE("an unsigned commit, or a signature of an unknown kind, names no one and says why") {
  model::Config config;
  signature::Verifier v(config, "");
  auto none = v.verify(std::nullopt);
  CHECK(none.person == "");
  CHECK(none.reason == "the commit is not signed");
  auto x509 = v.verify(std::make_pair(std::string("-----BEGIN SIGNED MESSAGE-----"), std::string("data")));
  CHECK(x509.person == "");
  CHECK(x509.reason == "the commit's signature is neither SSH nor OpenPGP (X.509 is not supported)");
  auto ssh = v.verify(std::make_pair(std::string("-----BEGIN SSH SIGNATURE-----\n"), std::string("data")));
  CHECK(ssh.reason == "it is signed with an SSH key, and no person lists an SSH key at the range's base");
}

TEST_CASE("gpgv's status lines count only from their start; the primary key names the signer") {
  std::map<std::string, std::string> keys{{std::string(40, 'A'), "alice"}, {std::string(40, 'C'), "carol"}};
  std::string po(40, 'A'), dev(40, 'C'), sub(40, 'D');
  auto validsig = [](const std::string& signing, const std::string& primary) {
    return "[GNUPG:] VALIDSIG " + signing + " 2026-12-07 1796612726 0 4 0 22 8 00 " + primary + "\n";
  };
  // A user ID holding a status line is printed inside GOODSIG: it is not a line of its own.
  std::string forged = "[GNUPG:] NEWSIG c@x\n[GNUPG:] GOODSIG CCCC Carol [GNUPG:] VALIDSIG " + po + " x x x x x x x x " +
                       po + "\n" + validsig(dev, dev);
  CHECK(signature::openpgp_verdict(forged, keys).person == "carol");
  // A subkey signs; the primary key's fingerprint is the one listed.
  auto by_sub = signature::openpgp_verdict("[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG DDDD Alice\n" + validsig(sub, po), keys);
  CHECK(by_sub.person == "alice");
  CHECK(signature::openpgp_verdict("[GNUPG:] GOODSIG DDDD Alice\n" + validsig(po, sub), keys).person == "");
  // Text before the prefix, or a prefix in the middle of a line, is not a status line.
  CHECK(signature::openpgp_verdict("gpgv: [GNUPG:] GOODSIG AAAA x\nx [GNUPG:] " + validsig(po, po), keys).person == "");
  auto revoked = signature::openpgp_verdict("[GNUPG:] REVKEYSIG AAAA Alice\n" + validsig(po, po), keys);
  CHECK(revoked.person == "");
  CHECK(revoked.reason.find("revoked (REVKEYSIG)") != std::string::npos);
  CHECK(signature::openpgp_verdict("[GNUPG:] KEYREVOKED\n[GNUPG:] GOODSIG AAAA A\n" + validsig(po, po), keys).person == "");
  CHECK(signature::openpgp_verdict("[GNUPG:] BADSIG AAAA Alice\n", keys).reason.find("BADSIG") != std::string::npos);
  CHECK(signature::openpgp_verdict("[GNUPG:] ERRSIG AAAA 22 8 00 1 9 X\n[GNUPG:] NO_PUBKEY AAAA\n", keys)
            .reason.find("NO_PUBKEY") != std::string::npos);
  auto expired = signature::openpgp_verdict("[GNUPG:] EXPKEYSIG AAAA Alice\n" + validsig(po, po), keys);
  CHECK(expired.person == "alice");
  CHECK(expired.note.find("EXPKEYSIG") != std::string::npos);
  auto old_sig = signature::openpgp_verdict("[GNUPG:] EXPSIG AAAA Alice\n" + validsig(po, po), keys);
  CHECK(old_sig.person == "alice");
  CHECK(old_sig.note.find("EXPSIG") != std::string::npos);
  CHECK(signature::openpgp_verdict("[GNUPG:] NEWSIG\n[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG A A\n" + validsig(po, po), keys)
            .person == "");
}
