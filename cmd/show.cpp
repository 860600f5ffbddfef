// `tandem show ID` and `tandem list` (SPEC 12): one record with everything tandem computes about it,
// and the records as a table with the filters of section 5.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cmd/common.hpp"
#include "cmd/filters.hpp"
#include "core/base/error.hpp"
#include "core/base/table.hpp"
#include "core/base/text.hpp"
#include "core/engine/priority.hpp"
#include "core/engine/risks.hpp"
#include "core/engine/schedule.hpp"
#include "core/git/blame.hpp"
#include "core/plan/schema.hpp"
#include "core/plan/yaml.hpp"

namespace tandem::cmd {

namespace {

using json = nlohmann::ordered_json;
using render::Format;

std::string str(const model::Field<std::string>& f) { return f.has() ? *f : ""; }
json str_or_null(const model::Field<std::string>& f) { return f.has() ? json(*f) : json(nullptr); }
json date_or_null(const std::optional<Date>& d) { return d ? json(to_string(*d)) : json(nullptr); }

/// The record `id` of kind `list_key` as written in `path`, field by field in file order (JSON
/// values); empty when the file cannot be read again.
std::vector<std::pair<std::string, json>> written_fields(const load::Loaded& loaded, const Source& source,
                                                         const std::string& path, std::string_view list_key,
                                                         const std::string& id) {
  yaml::NodePtr root;
  if (auto it = loaded.trees.find(path); it != loaded.trees.end()) {
    root = it->second.root;
  } else if (auto text = source.read(path, std::size_t(1) << 31)) {
    Diagnostics ignored;
    root = yaml::parse(*text, path, ignored);
  }
  const yaml::Node* list = root && root->type == yaml::Type::mapping ? root->get(list_key) : nullptr;
  std::vector<std::pair<std::string, json>> out;
  for (const auto& rec : list ? list->items : std::vector<yaml::NodePtr>{}) {
    const yaml::Node* rid = rec->type == yaml::Type::mapping ? rec->get("id") : nullptr;
    if (!rid || !rid->is_scalar() || rid->text != id) continue;
    for (const auto& [k, v] : rec->entries)
      if (k->is_scalar()) out.emplace_back(k->text, json::parse(schema::to_json(*v).dump()));
    break;
  }
  return out;
}

/// A JSON value as the text formats show it: lists and mappings as YAML flow collections.
std::string shown(const json& v) {
  if (v.is_null()) return "(none)";
  return escape_control(history::display(v.dump()));
}

/// The last commit that changed record `id`, or null (with `why`) outside git or without one.
json last_change(const Globals& g, const std::string& id, std::string& why) {
  try {
    auto log = history::record_log(load_options(g), g.rev, id);
    if (log.entries.empty()) {
      why = "no commit changed it";
      return nullptr;
    }
    const auto& e = log.entries.back();
    json changes = json::array();
    for (const auto& c : e.changes)
      changes.push_back({{"field", c.field},
                         {"old", c.old_value ? json::parse(*c.old_value) : json(nullptr)},
                         {"new", c.new_value ? json::parse(*c.new_value) : json(nullptr)}});
    return {{"commit", e.commit.short_id}, {"date", to_string(e.commit.date)}, {"author", e.commit.author_name},
            {"email", e.commit.author_email}, {"person", e.person.empty() ? json(nullptr) : json(e.person)},
            {"changes", changes}};
  } catch (const Error& ex) {
    why = ex.what();
    return nullptr;
  }
}

/// What the engines say of item `i`: rank, planned dates, float, milestone, risks.
void item_facts(const Report& r, std::size_t i, json& out) {
  const auto& plan = r.plan();
  const auto& ix = r.loaded.index;
  auto ranking = priority::rank(plan, ix, priority::configured_model(plan));
  auto s = schedule::plan_schedule(plan, ix, ranking, r.today);
  out["rank"] = nullptr;
  out["score"] = nullptr;
  for (const auto& row : ranking.rows)
    if (row.item == i) {
      out["rank"] = row.rank;
      out["score"] = row.score ? json(round_decimal(*row.score, 2)) : json(nullptr);
      out["ranked"] = ranking.rows.size();
    }
  json planned = nullptr;
  for (const auto& t : s.tasks)
    if (t.item == i)
      planned = {{"person", str_or_null(plan.config.people[t.person].id)}, {"start", to_string(t.start.date)},
                 {"finish", to_string(t.finish.date)}, {"sprint", t.sprint ? json(*t.sprint) : json(nullptr)},
                 {"float", round_decimal(t.total_float, 2)}, {"critical", t.critical}};
  for (const auto& u : s.unschedulable)
    if (u.item == i) planned = {{"unschedulable", u.reason}};
  out["planned"] = planned;
  json milestone = nullptr;
  if (auto m = ix.milestone_of(i)) {
    const auto& ms = plan.milestones[*m];
    milestone = {{"id", str_or_null(ms.id)}, {"title", str_or_null(ms.title)},
                 {"target", ms.target.has() ? json(to_string(*ms.target)) : json(nullptr)}, {"finish", nullptr}};
    for (const auto& row : s.milestones)
      if (row.milestone == *m) milestone["finish"] = date_or_null(row.finish);
  }
  out["milestone"] = milestone;
  json affecting = json::array();
  std::string id = str(plan.items[i].id), ms_id = milestone.is_null() ? "" : milestone["id"].get<std::string>();
  for (const auto& row : risks::rank(plan, ix, r.today, false).rows) {
    bool direct = std::find(row.affects.begin(), row.affects.end(), id) != row.affects.end();
    bool via = !ms_id.empty() && std::find(row.affects.begin(), row.affects.end(), ms_id) != row.affects.end();
    if (direct || via)
      affecting.push_back({{"id", str_or_null(plan.risks[row.risk].id)}, {"title", str_or_null(plan.risks[row.risk].title)},
                           {"exposure", row.exposure ? json(*row.exposure) : json(nullptr)}, {"band", row.band},
                           {"via", direct ? json(nullptr) : json(ms_id)}});
  }
  out["risks"] = affecting;
}

/// A milestone's or a risk's computed facts: planned finish, or rank and exposure.
void other_facts(const Report& r, const index::Kind kind, std::size_t i, json& out) {
  const auto& plan = r.plan();
  if (kind == index::Kind::milestone) {
    auto s = schedule::plan_schedule(plan, r.loaded.index, r.today);
    for (const auto& row : s.milestones)
      if (row.milestone == i) out["planned"] = {{"finish", date_or_null(row.finish)}};
    json items = json::array();
    for (std::size_t k = 0; k < plan.items.size(); ++k)
      if (r.loaded.index.milestone_of(k) == i) items.push_back(str(plan.items[k].id));
    out["items"] = items;
    return;
  }
  out["rank"] = nullptr;
  for (const auto& row : risks::rank(plan, r.loaded.index, r.today, false).rows)
    if (row.risk == i)
      out.update({{"rank", row.rank}, {"exposure", row.exposure ? json(*row.exposure) : json(nullptr)}, {"band", row.band},
                  {"overdue", row.overdue}});
}

std::string show_text(const json& j) {
  std::string out = fmt::format("{} {}: {}\n", j["kind"].get<std::string>(), escape_control(j["id"].get<std::string>()),
                                j["fields"].contains("title") ? shown(j["fields"]["title"]) : "");
  out += fmt::format("  {:<13}{}:{}\n", "file", escape_control(j["file"].get<std::string>()), j["line"].get<int>());
  for (const auto& [k, v] : j["fields"].items())
    if (k != "id" && k != "title") out += fmt::format("  {:<13}{}\n", escape_control(k), shown(v));
  out += "computed:\n";
  auto line = [&](std::string_view name, const std::string& value) { out += fmt::format("  {:<13}{}\n", name, value); };
  if (j.contains("rank") && j.contains("ranked"))
    line("rank", fmt::format("{} of {}{}", j["rank"].dump(), j["ranked"].dump(),
                             j["score"].is_null() ? "" : fmt::format(" (score {})", format_number(j["score"].get<double>()))));
  else if (j.contains("rank") && j["kind"] == "risk" && !j["rank"].is_null())
    line("rank", fmt::format("{} (exposure {}, {}{})", j["rank"].dump(), j["exposure"].dump(), j["band"].get<std::string>(),
                             j["overdue"].get<bool>() ? ", review overdue" : ""));
  else if (j.contains("rank"))
    line("rank", "not ranked (only undone items and open risks are)");
  if (j.contains("planned")) {
    const auto& p = j["planned"];
    if (p.is_null()) line("planned", "not scheduled (done, dropped or nothing to do)");
    else if (p.contains("unschedulable")) line("planned", "unschedulable: " + p["unschedulable"].get<std::string>());
    else if (p.contains("start"))
      line("planned", fmt::format("{} → {}, {}{}", p["start"].get<std::string>(), p["finish"].get<std::string>(),
                                  p["person"].is_null() ? "(nobody)" : p["person"].get<std::string>(),
                                  p["sprint"].is_null() ? "" : fmt::format(" (sprint {})", p["sprint"].dump())));
    else line("planned", "finish " + (p["finish"].is_null() ? std::string("unknown") : p["finish"].get<std::string>()));
    if (p.contains("float"))
      line("float", fmt::format("{} workday{}{}", format_number(p["float"].get<double>()), p["float"] == 1 ? "" : "s",
                                p["critical"].get<bool>() ? " (on the critical chain)" : ""));
  }
  if (j.contains("milestone")) {
    const auto& m = j["milestone"];
    line("milestone", m.is_null() ? "(none)"
                                  : fmt::format("{} {} (target {}, planned finish {})", m["id"].get<std::string>(),
                                                shown(m["title"]), shown(m["target"]), shown(m["finish"])));
  }
  if (j.contains("items")) line("items", j["items"].empty() ? "(none)" : shown(j["items"]));
  if (j.contains("risks")) {
    std::vector<std::string> rs;
    for (const auto& rk : j["risks"])
      rs.push_back(fmt::format("{} (exposure {}{})", rk["id"].get<std::string>(), rk["exposure"].dump(),
                               rk["via"].is_null() ? "" : ", via " + rk["via"].get<std::string>()));
    line("risks", rs.empty() ? "(none)" : join(rs, ", "));
  }
  const auto& c = j["last_change"];
  if (c.is_null()) return out + fmt::format("  {:<13}{}\n", "last change", escape_control(j["last_change_why"].get<std::string>()));
  std::vector<std::string> what;
  for (const auto& ch : c["changes"])
    what.push_back(ch["field"] == "create" ? "created" : ch["field"] == "delete" ? "deleted" : ch["field"] == "order" ? "moved"
                   : fmt::format("{}: {} → {}", ch["field"].get<std::string>(), shown(ch["old"]), shown(ch["new"])));
  line("last change", fmt::format("{} {} {}: {}", c["date"].get<std::string>(), c["commit"].get<std::string>(),
                                  escape_control(c["author"].get<std::string>()), escape_control(join(what, "; "))));
  return out;
}

}  // namespace

void add_show(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("Every field as written, then what tandem computes: rank, planned dates and float, milestone,\n"
             "the risks that affect it (directly or through its milestone), and its last change in git.\n" +
             self.formats_line());
  static std::string id;
  sub.add_option("ID", id, "An item, milestone or risk id")->required();
  add_history_budget(sub, g);
  sub.callback([&g, &self, &exit_code] {
    Format f = format(g, self);
    Date now = today(g);
    auto loaded = load_checked(g, now, true);
    if (!loaded) {
      exit_code = 1;
      return;
    }
    Report r{f, now, std::move(*loaded)};
    const auto* rec = r.loaded.index.find(id);
    if (!rec) {
      std::vector<std::string> ids;
      for (const auto& it : r.plan().items) ids.push_back(str(it.id));
      for (const auto& m : r.plan().milestones) ids.push_back(str(m.id));
      for (const auto& rk : r.plan().risks) ids.push_back(str(rk.id));
      auto hint = did_you_mean(id, ids);
      throw Error(fmt::format("no item, milestone or risk has the id '{}'{}", escape_control(id), hint.empty() ? "" : "; " + hint));
    }
    const auto& plan = r.plan();
    std::size_t k = rec->kind == index::Kind::item ? 0 : rec->kind == index::Kind::milestone ? 1 : 2;
    auto [file, mark] = k == 0 ? std::pair{plan.items[rec->index].file, plan.items[rec->index].mark}
                        : k == 1 ? std::pair{plan.milestones[rec->index].file, plan.milestones[rec->index].mark}
                                 : std::pair{plan.risks[rec->index].file, plan.risks[rec->index].mark};
    json j{{"id", id}, {"kind", k == 0 ? "item" : k == 1 ? "milestone" : "risk"}, {"file", plan.files[file]},
           {"line", mark.line}};
    auto in = plan_input(g);
    json fields = json::object();
    for (auto& [name, value] : written_fields(r.loaded, *in.source, plan.files[file], kinds::k_lists[k].list_key, id))
      fields[name] = std::move(value);
    j["fields"] = fields;
    if (k == 0) item_facts(r, rec->index, j);
    else other_facts(r, rec->kind, rec->index, j);
    std::string why;
    j["last_change"] = last_change(g, id, why);
    if (f == Format::json) {
      print(j.dump(2) + "\n");
    } else {
      j["last_change_why"] = why;
      print(show_text(j));
    }
    exit_code = 0;
  });
}

void add_list(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("The backlog items in file order, with their rank, status, person and milestone. " + self.formats_line());
  static filter::Filter only;
  add_filter_options(sub, only);
  sub.callback([&g, &self, &exit_code] {
    auto r = start_report(g, self);
    if (!r) {
      exit_code = 1;
      return;
    }
    const auto& plan = r->plan();
    const auto& ix = r->loaded.index;
    check_filter(only, r->loaded);
    auto ranking = priority::rank(plan, ix, priority::configured_model(plan));
    auto s = schedule::plan_schedule(plan, ix, ranking, r->today);
    auto matched = filter::items(only, plan, ix, s);
    std::vector<std::optional<int>> rank(plan.items.size());
    for (const auto& row : ranking.rows) rank[row.item] = row.rank;
    std::vector<std::string> person(plan.items.size());
    for (const auto& t : s.tasks) person[t.item] = str(plan.config.people[t.person].id);
    Table t{{"id", "title", "status", "rank", "person", "milestone", "estimate", "tags"},
            {false, false, false, true, false, false, true, false}, {}};
    json rows = json::array();
    for (std::size_t i = 0; i < plan.items.size(); ++i) {
      if (!matched[i]) continue;
      const auto& it = plan.items[i];
      std::string who = person[i].empty() ? str(it.assignee) : person[i];
      auto m = ix.milestone_of(i);
      std::string ms = m ? str(plan.milestones[*m].id) : "";
      std::vector<std::string> tags;
      for (const auto& tag : it.tags.values) tags.push_back(*tag);
      std::string status(model::to_string(it.status_or_default()));
      bool csv = r->format == Format::csv;
      t.rows.push_back({str(it.id), csv ? str(it.title) : ellipsize_columns(str(it.title), 48), status,
                        rank[i] ? std::to_string(*rank[i]) : "", who, ms,
                        it.estimate.has() ? format_number(*it.estimate) : "", join(tags, csv ? " " : ", ")});
      rows.push_back({{"id", str(it.id)}, {"title", str(it.title)}, {"status", status},
                      {"rank", rank[i] ? json(*rank[i]) : json(nullptr)}, {"person", who.empty() ? json(nullptr) : json(who)},
                      {"milestone", ms.empty() ? json(nullptr) : json(ms)},
                      {"estimate", it.estimate.has() ? json(*it.estimate) : json(nullptr)}, {"tags", tags},
                      {"file", plan.files[it.file]}, {"line", it.mark.line}});
    }
    std::string scope = filter::describe(only);
    std::string head = fmt::format("Items{}: {}", scope.empty() ? "" : " (" + scope + ")", t.rows.size());
    switch (r->format) {
      case Format::json: print(json{{"items", rows}}.dump(2) + "\n"); break;
      case Format::csv: print(t.csv()); break;
      case Format::markdown: print("## " + head + "\n\n" + t.markdown()); break;
      default: print(t.rows.empty() ? fmt::format("No items{}.\n", scope.empty() ? "" : " (" + scope + ")")
                                    : head + "\n\n" + t.text());
    }
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
