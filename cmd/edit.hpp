#pragma once
#include <functional>
#include <set>
#include <string>

#include "cmd/common.hpp"
#include "core/base/lock.hpp"
#include "core/engine/editing.hpp"

namespace tandem::cmd {

/// The flags every editing command takes.
struct EditFlags {
  bool dry_run = false;  ///< print the unified diff instead of writing
  bool strict = false;   ///< refuse a change the editor's roles do not cover (or that cannot be checked)
};
void add_edit_flags(CLI::App& sub, EditFlags& flags);

/// The plan as an editing command reads it: always the working tree (never --rev), read after taking
/// the edit lock, which it holds until it is destroyed (SPEC 12 rule 6).
struct EditInput {
  std::unique_ptr<FileLock> lock;  ///< first: released last
  load::Options options;
  load::Location where;
  std::unique_ptr<WorkTreeSource> source;
  Diagnostics diags;  ///< findings of loading it (compared with the edited plan's)
  load::Loaded loaded;
};
/// With `records` (`set`, `done`, `start`, `drop`: the ids they edit), the files are read as `check` reads
/// them and only those records' trees are kept (load::Options::keep_records); else every file's tree.
EditInput edit_input(const Globals& g, const std::set<std::string>* records = nullptr);

/// The edit lock of the plan at `where`: `tandem.lock` in the work tree's git directory, or
/// `.tandem.lock` beside tandem.yaml outside a repository. Waits 60 s at most (TANDEM_LOCK_TIMEOUT:
/// another number of seconds), then throws tandem::Error (exit 2).
std::unique_ptr<FileLock> edit_lock(const Globals& g, const load::Location& where);

/// The id of the person making the edit (their git email, through `people`), or nullopt when they
/// cannot be identified: `start` makes them the assignee of an item that has none.
std::optional<std::string> editor_id(const EditInput& in);

/// Verifies `result`, judges it by the ownership rules, and prints its diff (--dry-run) or writes it
/// atomically. Returns the exit code; throws edit::Refused for a refusal.
int finish_edit(const Globals& g, EditInput& in, const editing::Result& result, const EditFlags& flags);

/// `tandem renumber` (cmd/renumber.cpp), declared here beside the editing machinery it uses.
void add_renumber(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);

/// Runs an editing command's body: a refusal is printed as `tandem: error: …` and gives exit 1.
int run_edit(const std::function<int()>& body);

}  // namespace tandem::cmd
