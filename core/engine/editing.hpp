#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/date.hpp"
#include "core/base/source.hpp"
#include "core/plan/edit.hpp"
#include "core/plan/load.hpp"

/// The editing commands' work on a loaded plan (SPEC section 12): make the text edit, prove it is
/// exactly the change asked for, prove the plan gains no error, and say who must approve it.
/// Refusals throw edit::Refused; nothing here writes a file.
namespace tandem::editing {

/// One plan file's text before and after an edit (path relative to the plan's root).
struct FileChange {
  std::string path;
  std::string before, after;
  yaml::NodePtr after_tree;  ///< `after` parsed without a finding, when it was (verify reads it again)
  /// Without `after_tree`: the one record the edit changed, parsed alone from `after` (offsets and marks
  /// those of `after`; the rest of the text is the old text unchanged), with its kind and its place among
  /// the plan's records of that kind: verify decodes that record alone.
  yaml::NodePtr record;
  const kinds::KindInfo* kind = nullptr;
  std::size_t model_index = 0;
};

/// One changed field of a record (`create`/`delete` for whole records, `order` for a reorder), as the
/// ownership rules judge it; JSON null where absent.
struct Change {
  std::string kind;  ///< backlog, roadmap or risks
  std::string id;
  std::string field;
  nlohmann::json before, after;
};

/// What an edit does: the files it rewrites and the semantic changes; both empty when nothing changes.
struct Result {
  std::vector<FileChange> files;
  std::vector<Change> changes;
  std::vector<std::string> summary;  ///< what to tell the user instead of the field changes (archive)
  /// Whole records before and after, by id, where the edit knows them (`set`): the flags that
  /// `FIELD if FLAG` rules read, changed or not.
  std::map<std::string, std::pair<nlohmann::json, nlohmann::json>> records;
};

/// The record with `id`: its kind and the file that holds it. Throws Refused when no record has it.
struct Place {
  const kinds::KindInfo* kind = nullptr;
  std::string path;
};
Place locate(const load::Loaded& loaded, std::string_view id);

/// `FIELD=VALUE`, `FIELD=` (remove), `FIELD+=X`, `FIELD-=X` for a record of `kind`, typed by its field
/// table. Throws Refused for an unknown field (with a suggestion), `id`, or a value that does not fit.
edit::FieldEdit parse_assignment(const kinds::KindInfo& kind, std::string_view arg);

/// Changes fields of record `id` (read from `source`): the text edit, checked to decode to exactly
/// the record with `edits` made and every other record unchanged.
Result set_fields(const load::Loaded& loaded, const Source& source, std::string_view id,
                  const std::vector<edit::FieldEdit>& edits);

/// Changes fields of several records in one edit (`done A B C`): set_fields for each in turn, each
/// reading the texts the ones before it wrote. A file changed twice is one FileChange.
Result set_fields(const load::Loaded& loaded, const Source& source,
                  const std::vector<std::pair<std::string, std::vector<edit::FieldEdit>>>& edits);

/// The next free id of `kind`: the largest number used with the kind's most common prefix (over every
/// record of the kind), plus one, skipping any id of the plan or of `history` (ids that ever existed).
/// Without a numbered id: ITEM-1, M1 or R1.
std::string next_id(const load::Loaded& loaded, const kinds::KindInfo& kind, const std::set<std::string>& history);

/// What `add` writes: a new record of `kind` with `id` (empty: the next free id) and `title`, then
/// `assignments` (FIELD=VALUE), into `file` (empty: the file of `before`/`after`, else the kind's
/// first file), before or after a record or at the end of the list.
struct NewRecord {
  const kinds::KindInfo* kind = nullptr;
  std::string file, id, title;
  std::vector<std::string> assignments;
  std::string before, after;
};
Result add_record(const load::Loaded& loaded, const Source& source, const NewRecord& record,
                  const std::set<std::string>& history);

/// Where `move` puts a record.
enum class Position { before, after, top, bottom };
/// Moves record `id`'s whole text, with the comment lines right above it, within its file: before
/// or after record `other`, or to the top or bottom of the list. A change of `order`.
Result move_record(const load::Loaded& loaded, const Source& source, std::string_view id, Position where,
                   std::string_view other);

/// Moves the done items (with `done_before`: those done before that date) of every other backlog file
/// to the end of the backlog file `to` (a path as `files:` gives it, relative to the plan's root).
Result archive(const load::Loaded& loaded, const Source& source, std::optional<Date> done_before,
               const std::string& to);

/// What `renumber` renames: the record with id `old_id` gets `new_id`. When several records have
/// `old_id` (two branches added it), `nth` picks one (1-based, in plan order: files in `files:` order,
/// records in list order; 0: the last, which is the one a merge added after ours), and `file` (a path
/// as `files:` gives it) restricts the choice to one file.
struct Renumbering {
  std::string old_id, new_id;
  std::string file;
  std::size_t nth = 0;
};
/// Renames a record's id and, when the id was unique, every reference to it (items' and milestones'
/// `depends_on`, items' `milestone`, risks' `affects`), each scalar rewritten in its own quoting. With
/// a duplicated id the references stay (they cannot say which record they meant) and the summary
/// names them. The changes are the rename as `delete` OLD and `create` NEW, and each reference field
/// changed. Refuses a NEW that is not a valid id or is taken, an OLD that no record has.
Result renumber(const load::Loaded& loaded, const Source& source, const Renumbering& what);

/// Loads the plan with the result's files in place of the originals and runs `check`; refuses when
/// it finds an error that the plan as read (`before`, with `before_diags` the findings of loading it)
/// does not have. When the result changes one record parsed alone (FileChange::record) and the plan had
/// no error, that record is decoded in place of the old one and the plan checked: no error, and the edit
/// passes without reading the rest again; else the whole edited plan is loaded. `before` is as it was
/// when verify returns or throws.
void verify(const load::Location& where, const Source& source, const load::Options& options,
            load::Loaded& before, const Diagnostics& before_diags, const Result& result, Date today);

/// Who the editor is and what the ownership rules say about the changes.
struct Judgement {
  bool checked = false;               ///< the editor was identified and the rules applied
  std::string note;                   ///< why ownership could not be checked
  std::vector<std::string> approvals; ///< "value is owned by product_owner: this change needs an approval from Pat Owner"
};
/// Judges the changes of `result` made by the person with git email `email` (nullopt: no git or no
/// identity).
Judgement judge(const load::Loaded& loaded, const Result& result, const std::optional<std::string>& email);

/// A Source that reads the result's new texts in place of the files it changes.
class OverlaySource : public Source {
public:
  OverlaySource(const Source& base, const Result& result) : m_base(base), m_result(result) {}
  std::optional<std::string> read(const std::string& path, std::size_t max_bytes) const override;
  EntryType type(const std::string& path) const override { return m_base.type(path); }
  std::vector<std::pair<std::string, EntryType>> list(const std::string& dir) const override { return m_base.list(dir); }

private:
  const Source& m_base;
  const Result& m_result;
};

}  // namespace tandem::editing
