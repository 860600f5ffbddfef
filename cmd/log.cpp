#include <fmt/format.h>

#include "cmd/common.hpp"
#include "core/git/audit.hpp"
#include "core/base/error.hpp"
#include "core/render/history.hpp"

namespace tandem::cmd {

namespace {

/// Walks the history up to --rev (or HEAD), oldest first, calling `on(info, person, changes, version)`
/// for each commit that changed the record `id`.
template <class F>
void walk_record(const Globals& g, const std::string& id, F&& on) {
  auto options = load_options(g);
  auto where = load::locate(options);
  git::Repository repo(where.root);
  git_oid head = repo.resolve(g.rev.empty() ? "HEAD" : g.rev);
  auto authority = audit::authority_at(repo, head, where.config_path, options);
  history::Reader reader(&repo, where.config_path, options);
  Diagnostics problems;
  for (const auto& oid : repo.walk(head, std::nullopt)) {
    auto commit = repo.lookup(oid);
    auto info = repo.info(commit.get());
    std::vector<history::Change> mine;
    for (auto& c : audit::changes_of(repo, reader, commit.get(), problems, info))
      if (c.id == id && c.kind != "config") mine.push_back(std::move(c));
    if (mine.empty()) continue;
    const model::Person* p = authority.person(info.author_email);
    on(info, p && p->id.has() ? *p->id : std::string(), mine, *reader.at(oid));
  }
}

}  // namespace

void register_log(CLI::App& app, Globals& g, int& exit_code) {
  auto* sub = app.add_subcommand("log", "The history of one item, milestone or risk");
  sub->footer("Each commit that changed it, with date, person and the fields changed old → new.\n"
              "Formats: text, json, csv, markdown.");
  static std::string id;
  sub->add_option("ID", id, "An item, milestone or risk id")->required();
  sub->callback([&g, &exit_code] {
    using render::Format;
    Format f = format(g, {Format::text, Format::json, Format::csv, Format::markdown});
    std::vector<render::LogEntry> entries;
    walk_record(g, id, [&](const git::CommitInfo& info, const std::string& person, std::vector<history::Change>& changes,
                           const history::Version&) { entries.push_back({info, person, std::move(changes)}); });
    if (entries.empty()) throw Error(fmt::format("no commit changed an item, milestone or risk '{}'", id));
    print(render::log(id, entries, f));
    exit_code = 0;
  });
}

void register_blame(CLI::App& app, Globals& g, int& exit_code) {
  auto* sub = app.add_subcommand("blame", "Who set each current field of an item, milestone or risk, and when");
  sub->footer("Formats: text, json, csv, markdown.");
  static std::string id;
  sub->add_option("ID", id, "An item, milestone or risk id")->required();
  sub->callback([&g, &exit_code] {
    using render::Format;
    Format f = format(g, {Format::text, Format::json, Format::csv, Format::markdown});
    std::map<std::string, render::BlameLine> fields;
    bool seen = false;
    walk_record(g, id, [&](const git::CommitInfo& info, const std::string& person, std::vector<history::Change>& changes,
                           const history::Version& version) {
      seen = true;
      for (const auto& c : changes) {
        if (c.field == "delete") {
          fields.clear();
        } else if (c.field == "create") {
          fields.clear();
          for (const auto& kind : version.kinds)
            for (const auto& p : kind)
              if (p.record->id == id)
                for (const auto& [name, value] : p.record->fields) fields[name] = {name, value, info, person};
        } else if (c.field != "order") {
          if (c.new_value) fields[c.field] = {c.field, *c.new_value, info, person};
          else fields.erase(c.field);
        }
      }
    });
    if (!seen) throw Error(fmt::format("no commit changed an item, milestone or risk '{}'", id));
    if (fields.empty()) throw Error(fmt::format("'{}' was deleted", id));
    std::vector<render::BlameLine> lines;
    for (auto& [name, line] : fields) lines.push_back(std::move(line));
    print(render::blame(id, lines, f));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
