#pragma once
#include <stdexcept>
#include <string>

namespace tandem {

/// A failure of the environment (unreadable file, no tandem.yaml, bad usage): the command
/// cannot run. Thrown, caught once in main, printed as `tandem: error: …`, exit 2.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

}  // namespace tandem
