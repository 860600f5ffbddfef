#pragma once
#include <map>
#include <memory>
#include <set>
#include <string>

#include "core/base/diagnostic.hpp"
#include "core/plan/index.hpp"
#include "core/plan/model.hpp"
#include "core/plan/ownership.hpp"
#include "core/base/source.hpp"
#include "core/plan/yaml.hpp"

namespace tandem::load {

/// A list file's text and its whole tree (top-level list elements kept, not streamed).
struct Tree {
  std::string text;
  yaml::NodePtr root;
};

/// How to find and read the plan.
struct Options {
  std::string start_dir = ".";  ///< where the upward search for tandem.yaml starts (-C)
  std::string config_file;      ///< --config: names tandem.yaml directly
  yaml::Limits limits;
  std::size_t max_file_size = 64u << 20;  ///< bytes per plan file
  /// Bytes of plan-file versions one run may read from git history (audit, log, blame, report):
  /// history compresses well, so a small push can hold far more than a machine should read.
  std::size_t max_history_bytes = std::size_t{16} << 30;
  std::size_t max_items = 1'000'000;       ///< items, milestones and risks in the whole plan (--max-items)
  /// Also validate every record against the JSON Schemas with valijson, behind the decoder. The decoder
  /// checks every type, range, key and pattern the schemas state, and the agreement tests and the
  /// fuzzers prove the two reject the same files, so this second pass (a quarter of `check`'s time) is
  /// the proof, not the hot path: `tandem check --schemas`, the agreement test and the fuzzers ask for it.
  bool schema_backstop = false;
  /// Keep each list file's text and whole tree in Loaded::trees when it parses without a finding (the
  /// editing commands edit those trees instead of parsing the file again).
  bool keep_trees = false;
  /// Without keep_trees: the ids whose records to keep whole (Loaded::records), the files read as `check`
  /// reads them (one record's tree at a time). `set` edits those records and no other.
  const std::set<std::string>* keep_records = nullptr;
  /// Trees already parsed, by path: a list file whose text is the one here is not parsed again.
  const std::map<std::string, Tree>* parsed = nullptr;
};

/// A record kept by Options::keep_records: its tree (offsets and marks those of its file's text), its place
/// in its file's block list and in the plan's records of its kind, and where the record after it begins.
struct KeptRecord {
  std::string path;
  std::size_t index = 0;        ///< in its file's list
  std::size_t model_index = 0;  ///< in plan.items, plan.milestones or plan.risks
  yaml::NodePtr node;
  std::size_t next = std::string::npos;  ///< the byte where the next record's node begins; npos: the last
};

/// Where the plan lives on disk.
struct Location {
  std::string root;         ///< absolute: the git work tree holding tandem.yaml, else its directory
  std::string config_path;  ///< tandem.yaml relative to root
  bool in_git = false;
};

/// Finds tandem.yaml (upward from start_dir, or --config). Throws tandem::Error when there is none.
Location locate(const Options& options);

/// A loaded plan, with the rules in force and every finding made while reading it.
/// Not copyable: the index holds views into the plan.
struct Loaded {
  model::Plan plan;
  ownership::Rules rules;
  ::tandem::index::PlanIndex index;  ///< built by `load`; empty (not built) for a Loaded put together in memory
  /// The kinds ("config", "backlog", "roadmap", "risks") with a file that could not be read to the end
  /// (a syntax error): their records are incomplete, so `check` does not judge references into them.
  std::set<std::string> unparsed;
  /// With Options::keep_trees: the list files that parsed without a finding, by path.
  std::map<std::string, Tree> trees;
  /// With Options::keep_records: each of those ids that one record of a block list in a file that parsed
  /// without a finding has (an id of two records is not kept), and the texts of the files holding them.
  std::map<std::string, KeptRecord> records;
  std::map<std::string, std::string> texts;
  /// With Options::keep_records: the parser found something in a list file. A streamed read then differs
  /// from a read of whole trees (a duplicate list key's elements are decoded), so the editing commands
  /// read such a plan again with keep_trees, as they always did.
  bool read_again = false;
};

/// Reads tandem.yaml and, unless `config_only`, every plan file it names, from `source`. Problems in
/// the files are diagnostics; failures to read are thrown as tandem::Error.
Loaded load(const Location& where, const Source& source, const Options& options, Diagnostics& diags,
            bool config_only = false);

}  // namespace tandem::load
