#pragma once
#include <array>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/diagnostic.hpp"
#include "core/git/repository.hpp"
#include "core/plan/kinds.hpp"
#include "core/plan/load.hpp"

namespace tandem::history {

/// One item, milestone or risk as written: its fields' canonical JSON values (x- keys left out).
struct Record {
  std::string id;
  std::vector<std::pair<std::string, std::string>> fields;  ///< name → canonical JSON, sorted by name
  std::vector<std::uint32_t> lines;                         ///< each field's line, 0-based from the record's first line
  std::vector<std::uint32_t> columns;                       ///< each field's column (1-based)
};
using RecordPtr = std::shared_ptr<const Record>;

/// The path of the file a record stands in, interned: one copy of each path for the whole run, so
/// that the thousands of records of each version copy and compare a pointer, not a string.
class FileName {
public:
  FileName();
  explicit FileName(std::string_view path);
  operator const std::string&() const { return *m_path; }  // NOLINT: reads as the path it is
  const std::string& str() const { return *m_path; }
  friend bool operator==(const FileName& a, const FileName& b) { return a.m_path == b.m_path; }
  friend bool operator==(const FileName& a, std::string_view b) { return *a.m_path == b; }

private:
  const std::string* m_path;
};

/// A record where it stands in one version.
struct Placed {
  RecordPtr record;
  FileName file;
  std::uint32_t line = 0;  ///< 1-based line where the record starts
};

/// One list element's text inside a file.
struct Chunk {
  std::string_view text;
  std::uint32_t line;  ///< 1-based first line
};

/// The record of a list element (a mapping with an id), or null. Keys starting with `x-` (users'
/// extensions, SPEC 1) are left out, but for the merge driver (`extensions`), which must keep them.
RecordPtr record_of(const yaml::Node& element, bool extensions = false);

/// Splits a list file at the item boundaries of its one top-level list, or nullopt when the layout is
/// not the plain one (comments, then `key:`, then `- ` items at one indentation, nothing after).
std::optional<std::vector<Chunk>> split(std::string_view text, std::string_view list_key);

/// The same as `split(text, …)`, given the split `old_chunks` of an earlier version `old` of the file:
/// the items before and after the changed middle are taken from it (`reused[i]` is the index in
/// `old_chunks` of the new chunk i, or npos), and so are the middle's items that stand as they stood;
/// only the other items' lines are looked at. nullopt where it cannot tell (the first item's first
/// line changed, a byte-order mark): `split` the whole text then.
std::optional<std::vector<Chunk>> resplit(std::string_view old, const std::vector<Chunk>& old_chunks,
                                          std::string_view text, std::vector<std::size_t>& reused);

/// The kinds of plan file, in the order of `Version::kinds`.
inline constexpr std::array<std::string_view, 3> k_kinds = kinds::k_list_names;

/// The plan as written at one revision (or in the working tree).
struct Version {
  bool has_config = false;
  std::string config_file;
  Record config;                                ///< top-level keys of tandem.yaml as fields
  std::array<std::vector<Placed>, 3> kinds;     ///< records of each kind, in file order
  std::vector<Diagnostic> problems;             ///< files that did not parse, could not be read, or are links
};

/// `v` without the records of `files` (for a comparison that leaves out what one side cannot read).
Version without(const Version& v, const std::vector<std::string>& files);

/// Whether a record takes part in the order: not done, dropped or closed.
bool is_open(const Record& r);

/// One semantic change between two versions.
struct Change {
  std::string kind;                     ///< backlog, roadmap, risks or config
  std::string id;                       ///< record id (empty for config)
  std::string field;                    ///< a field name, or create, delete, order
  std::optional<std::string> old_value, new_value;  ///< canonical JSON; nullopt where absent
  std::string file;
  std::uint32_t line = 0;               ///< of the field in the new version (the old one for delete)
  std::uint32_t column = 0;             ///< of the field's key, or 0 for the record as a whole
  std::vector<std::string> flags{};     ///< the record's boolean fields that are true before or after (`FIELD if FLAG` rules)
};

/// The semantic change from `old` to `now`: records created and deleted, fields changed, and the
/// relative order of records present on both sides, per kind; identity is the id, not the position.
/// The order is that of the kind's files in `files:` order, over the records open on either side; an
/// order change names the first record, in the new order, that stands elsewhere than before.
std::vector<Change> diff(const Version& old, const Version& now);

/// What a clean merge of `parents` would hold, field by field, given their merge base `base` (empty
/// when they have none): where the parents agree, their value; where only some changed it from the
/// base (and those agree), the changed value; list fields (`depends_on`, `tags`, `acceptance`,
/// `affects`…) that several changed merge element by element (the first parent's elements that no
/// parent removed, then the others' additions); else the field is in conflict and holds `k_conflict`.
/// A record's existence follows the same rule.
/// The records stand in the order of the parent whose relative order changed (the first parent's when
/// none did); when several did, the base's records stand in the order the parents give pair by pair
/// (each pair as a parent that reordered it has it, else as in the base), or, where their moves
/// contradict one another, in the first parent's order, the kind's index then added to
/// `order_conflicts`. A record that order lacks stands right after the record before it on its own
/// parent (after an earlier parent's additions there). `diff(merge(…), merged)` is then what a merge
/// commit did of its own. The merge driver (core/git/merge_file) writes this merge as text.
Version merge(const Version& base, const std::vector<const Version*>& parents,
              std::vector<std::size_t>* order_conflicts = nullptr);

/// Whether field `name` of the list kind `kind` (an index of `k_kinds`; others: none) is a list that
/// merges element by element (`depends_on`, `tags`, `acceptance`, `affects`…).
bool is_list_field(std::size_t kind, std::string_view name);

/// The config field that stands for the repository's `.mailmap` (see `Reader::watch_mailmap`).
inline constexpr std::string_view k_mailmap_field = ".mailmap";
/// The config field that stands for the `.gitattributes` lines that could change what a checkout writes
/// for a plan file (`working-tree-encoding`, `filter`, `ident`; see `Reader::watch_mailmap`).
inline constexpr std::string_view k_attributes_field = ".gitattributes";

/// The value of a field that a merge had to resolve (no clean merge gives one).
inline const std::string k_conflict = "\x01conflict";

/// Reads versions of the plan, reusing what earlier versions already parsed: unchanged files by
/// blob id, unchanged records by their text (a file is split at its list's item boundaries, and only
/// items whose text changed are parsed; where the layout does not allow a safe split, the whole file
/// is parsed). A file that does not parse, cannot be read or is a symbolic link keeps the records of
/// the last version of it that did parse (read the older version first), and reports its problems.
/// Files are found by the rule of `Source::glob` and `Source::link_on`, as `load` finds them.
/// What is cached is bounded in bytes (record text, records, versions), not in entries.
class Reader {
public:
  /// The default bound of the caches, in bytes: a walk needs only the last few versions (about 60 KB
  /// each for 1,000 records), and a bigger cache only costs memory and page faults.
  static constexpr std::size_t k_cache_limit = std::size_t{16} << 20;
  /// `config_path` is tandem.yaml's repository-relative path.
  Reader(const git::Repository* repo, std::string config_path, load::Options options,
         std::size_t cache_limit = k_cache_limit);
  /// The plan at a commit.
  std::shared_ptr<const Version> at(const git::Oid& commit);
  /// The plan in any source (the working tree).
  std::shared_ptr<const Version> read(const Source& source);
  /// Reads every version with the `files:` of tandem.yaml at `commit` as well as its own (those of the
  /// commit first): an audit reads every file its base names, whatever the range does to `files:`, and
  /// every file the range adds. Nothing when `commit` has no tandem.yaml. Call before the first read.
  void pin_files(const git::Oid& commit);
  /// Adds the repository's `.mailmap` to each version's config record, as the field `.mailmap`, so a
  /// change to who is who is judged like a change to `people`; and the `.gitattributes` lines that
  /// could change a checkout of a plan file, as the field `.gitattributes`. Call before the first read.
  void watch_mailmap() { m_watch_mailmap = true; }
  /// Takes into this reader's cache the records `from` parsed (by their text): what a record is depends
  /// on its text alone, so a reader that reads the same versions parses none of them again.
  void share_records(Reader& from);
  /// Bytes held by the caches now (an estimate of their heap use), at most the limit.
  std::size_t cached_bytes() const { return m_cache_bytes; }

private:
  struct FileRecords;

public:
  /// Parsed files that readers of the same versions with the same options lend each other (the report's
  /// walk to the audit of its window, which would read every blob of the window again): the files parsed
  /// last, by blob id, kind and path, up to `limit` bytes (an estimate of their heap use), the oldest
  /// dropped first. What a file parses to depends on its path, kind and bytes alone.
  class Shelf {
  public:
    explicit Shelf(std::size_t limit) : m_limit(limit) {}

  private:
    friend class Reader;
    void put(const std::string& key, const std::shared_ptr<const FileRecords>& records);
    std::shared_ptr<const FileRecords> find(const std::string& key) const;
    std::unordered_map<std::string, std::shared_ptr<const FileRecords>> m_files;
    std::deque<std::pair<std::string, std::size_t>> m_order;  // key and bytes, oldest first
    std::size_t m_limit, m_bytes = 0;
  };
  /// The commit whose version a walk reads next (nullopt: none known): while this reader parses a plan
  /// file that git reads (`git::Repository::large_blob_size`), git reads that file's blob at `next`.
  void read_ahead(std::optional<git::Oid> next) { m_next = next; }
  /// Puts every file this reader parses from now on on `shelf`, and takes files from it before reading
  /// their blobs. Null: none.
  void use_shelf(Shelf* shelf) { m_shelf = shelf; }

private:
  struct FileRecords {
    std::vector<Placed> records;  ///< empty when `in` holds them
    std::vector<Diagnostic> problems;
    std::size_t bytes = 0;  ///< its share of the cache (records held by m_chunks are counted there)
    /// The version whose records of kind `kind`, [begin, end), are this file's (moved there rather than
    /// copied: a walk builds each version's list once), or null.
    std::shared_ptr<const Version> in;
    std::size_t kind = 0, begin = 0, end = 0;
  };
  struct ConfigEntry {
    bool present = false;
    Record record;
    std::array<std::vector<std::string>, 3> patterns;  ///< per kind, relative to tandem.yaml's directory
  };
  /// A file's bytes and what keeps them (a libgit2 blob, or a string).
  using Text = git::TreeSource::Shared;
  /// The last text of a file that split into items, its items and their records (null where none).
  struct LastSplit {
    Text text;
    std::vector<Chunk> chunks;  ///< views into `text`
    std::vector<RecordPtr> records;
  };
  std::shared_ptr<FileRecords> parse_file(const std::string& path, std::string_view kind, Text text);
  std::shared_ptr<const ConfigEntry> parse_config(std::string_view text);
  std::shared_ptr<const Version> build(const Source& source, const git::TreeSource* tree);
  /// Adds a file's records (`good`: those it has, or last had when it does not parse) to kind `k` of `v`;
  /// when they are `fresh`ly parsed, moves them there and has `fresh` point at them.
  static void place(const std::shared_ptr<Version>& v, std::size_t k, FileRecords* fresh, const FileRecords& good);
  /// A plan file's bytes (from `tree` when given, else from `source`); nullopt when absent; its problems
  /// (a link, a submodule, unreadable) in `problems`.
  std::optional<Text> read_text(const Source& source, const git::TreeSource* tree, const std::string& path,
                                std::vector<Diagnostic>& problems);
  /// Makes room for `bytes` more in the caches (of a `record` by its text, or else): when they would go
  /// over the limit, clears the versions and files, and the records too when that is not enough. False
  /// when `bytes` alone is over it (then the entry is not cached).
  bool make_room(std::size_t bytes, bool record = false);
  /// Has git start reading the file `path` (kind and path `where`) at m_next, unless it is the blob `now`
  /// being read or a cache has it.
  void prefetch_next(const std::string& path, const std::string& where, const git::Oid& now);
  /// Counts the bytes of a plan file (or a .gitattributes) read; throws tandem::Error past
  /// Options::max_history_bytes.
  void count_bytes(std::size_t bytes);
  /// Adds a problem `unsafe-attributes` for each of `paths` that a `.gitattributes` gives an attribute
  /// changing what a checkout writes, and (watching) the field `.gitattributes` to the config record.
  void check_attributes(const Source& source, Version& v, const std::set<std::string>& paths);

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  const git::Repository* m_repo;
  std::string m_config_path;
  load::Options m_options;
  std::unordered_map<std::string, RecordPtr, Hash, std::equal_to<>> m_chunks;     // record text → record
  std::unordered_map<std::string, std::shared_ptr<const FileRecords>> m_files;     // blob id + path → records
  std::unordered_map<std::string, std::shared_ptr<const ConfigEntry>> m_configs;  // blob id → config
  std::unordered_map<std::string, std::shared_ptr<const Version>> m_versions;     // commit id → version (recent)
  std::pair<std::string, std::shared_ptr<const Version>> m_last_version;           // kept when the caches are cleared
  std::size_t m_last_version_bytes = 0;
  std::unordered_map<std::string, std::shared_ptr<const FileRecords>> m_last_good; // kind + path → last that parsed
  std::shared_ptr<const ConfigEntry> m_last_config;                                // the last tandem.yaml read
  std::unordered_map<std::string, std::unique_ptr<LastSplit>> m_last_split;        // kind + path → its last split
  std::optional<std::array<std::vector<std::string>, 3>> m_pinned_files;           // see pin_files
  bool m_watch_mailmap = false;
  Shelf* m_shelf = nullptr;
  std::optional<git::Oid> m_next;  // see read_ahead
  std::size_t m_bytes_read = 0;  // plan-file bytes read so far (see count_bytes)
  std::size_t m_cache_limit;
  std::size_t m_cache_bytes = 0;  // of m_chunks, m_files, m_configs and m_versions
  std::size_t m_record_bytes = 0;  // of m_chunks
};

/// One side of a comparison: the plan at a revision, or in the working tree.
struct Side {
  std::string label;                ///< the revision as given, or "working tree"
  std::unique_ptr<Source> source;   ///< reads that side's plan files (repository-relative paths)
  std::optional<git::Oid> commit;   ///< the revision's commit; nullopt for the working tree
};

/// The side at `rev`, or the working tree at `root` without one. Throws tandem::Error for an unknown
/// revision. `repo` must outlive the side.
Side side(const git::Repository& repo, const std::string& root, const std::optional<std::string>& rev);

/// The plan as written on a side (read by commit id at a revision, so unchanged files are reused).
std::shared_ptr<const Version> version(Reader& reader, const Side& side);

/// A canonical JSON value as people read it: lists and mappings as YAML flow collections ([A, B]),
/// numbers and booleans as JSON, strings without quotes, unless a string
/// stands against a value of another type (`other`, the other side of a change: `8 → "8"`), or would
/// read as another type itself (`"8"`, `"true"`, `"null"`, `""`, `" x"`): then as JSON, quoted.
std::string display(const std::optional<std::string>& canonical,
                    const std::optional<std::string>& other = std::nullopt);
/// Whether a string would read as something else than that string where a value is shown unquoted:
/// a number, a boolean, null, "(none)", empty, or with spaces at an end.
bool reads_as_other_type(std::string_view s);

}  // namespace tandem::history
