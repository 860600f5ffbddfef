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
