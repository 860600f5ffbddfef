#pragma once
#include <functional>
#include <string>

#include "cmd/common.hpp"
#include "core/engine/editing.hpp"

namespace tandem::cmd {

/// The flags every editing command takes.
struct EditFlags {
  bool dry_run = false;  ///< print the unified diff instead of writing
  bool strict = false;   ///< refuse a change the editor's roles do not cover (or that cannot be checked)
};
void add_edit_flags(CLI::App& sub, EditFlags& flags);

/// The plan as an editing command reads it: always the working tree (never --rev).
struct EditInput {
  load::Options options;
  load::Location where;
  std::unique_ptr<WorkTreeSource> source;
  Diagnostics diags;  ///< findings of loading it (compared with the edited plan's)
  load::Loaded loaded;
};
EditInput edit_input(const Globals& g);

/// Verifies `result`, judges it by the ownership rules, and prints its diff (--dry-run) or writes it
/// atomically. Returns the exit code; throws edit::Refused for a refusal.
int finish_edit(const Globals& g, const EditInput& in, const editing::Result& result, const EditFlags& flags);

/// Runs an editing command's body: a refusal is printed as `tandem: error: …` and gives exit 1.
int run_edit(const std::function<int()>& body);

}  // namespace tandem::cmd
