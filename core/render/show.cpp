#include "core/render/show.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/base/table.hpp"
#include "core/base/text.hpp"
#include "core/git/history.hpp"
#include "core/plan/schema.hpp"
#include "core/plan/yaml.hpp"
#include "core/render/tables.hpp"

namespace tandem::render {

namespace {

using json = nlohmann::ordered_json;

std::string str(const model::Field<std::string>& f) { return f.has() ? *f : ""; }
json str_or_null(const model::Field<std::string>& f) { return f.has() ? json(*f) : json(nullptr); }
json date_or_null(const std::optional<Date>& d) { return d ? json(to_string(*d)) : json(nullptr); }

/// A JSON value as the text formats show it: lists and mappings as YAML flow collections.
std::string shown(const json& v) {
  if (v.is_null()) return "(none)";
  return escape_control(history::display(v.dump()));
}

/// The rank, planned dates and float of item `i`.
void item_plan(const Shown& s, std::size_t i, json& out) {
  out["rank"] = nullptr;
  out["score"] = nullptr;
  for (const auto& row : s.ranking->rows)
    if (row.item == i) {
      out["rank"] = row.rank;
      out["score"] = row.score ? json(round_decimal(*row.score, 2)) : json(nullptr);
      out["ranked"] = s.ranking->rows.size();
    }
  const auto& plan = s.loaded->plan;
  json planned = nullptr;
  for (const auto& t : s.schedule->tasks)
    if (t.item == i)
      planned = {{"person", str_or_null(plan.config.people[t.person].id)}, {"start", to_string(t.start.date)},
                 {"finish", to_string(t.finish.date)}, {"sprint", t.sprint ? json(*t.sprint) : json(nullptr)},
                 {"float", round_decimal(t.total_float, 2)}, {"critical", t.critical}};
  for (const auto& u : s.schedule->unschedulable)
    if (u.item == i) planned = {{"unschedulable", u.reason}};
  out["planned"] = planned;
}

/// The one status of milestone `m` in `out` as `schedule` writes it (`status`, `late_by`, `plan_only`,
/// `why`), or all null without statuses.
void status_of(const Shown& s, std::size_t m, json& out) {
  nlohmann::json st = nullptr;
  if (s.statuses && m < s.statuses->size()) render::status_json(st, (*s.statuses)[m]);
  for (const char* key : {"status", "late_by", "plan_only", "why"}) out[key] = st.is_null() ? json(nullptr) : json(st[key]);
}

/// The status `status_of` wrote in `j`, in the words every output uses.
std::string status_words(const json& j) { return escape_control(render::status_from_json(nlohmann::json(j)).text()); }

/// What the engines say of item `i`: rank, planned dates, float, milestone, the risks that affect it.
void item_facts(const Shown& s, std::size_t i, json& out) {
  const auto& plan = s.loaded->plan;
  const auto& ix = s.loaded->index;
  item_plan(s, i, out);
  json milestone = nullptr;
  if (auto m = ix.milestone_of(i)) {
    const auto& ms = plan.milestones[*m];
    milestone = {{"id", str_or_null(ms.id)}, {"title", str_or_null(ms.title)},
                 {"target", ms.target.has() ? json(to_string(*ms.target)) : json(nullptr)}, {"finish", nullptr}};
    for (const auto& row : s.schedule->milestones)
      if (row.milestone == *m) milestone["finish"] = date_or_null(row.finish);
    status_of(s, *m, milestone);
  }
  out["milestone"] = milestone;
  json affecting = json::array();
  std::string id = str(plan.items[i].id), ms_id = milestone.is_null() ? "" : str(plan.milestones[*ix.milestone_of(i)].id);
  for (const auto& row : s.risks->rows) {
    bool direct = std::find(row.affects.begin(), row.affects.end(), id) != row.affects.end();
    bool via = !ms_id.empty() && std::find(row.affects.begin(), row.affects.end(), ms_id) != row.affects.end();
    if (direct || via)
      affecting.push_back({{"id", str_or_null(plan.risks[row.risk].id)}, {"title", str_or_null(plan.risks[row.risk].title)},
                           {"exposure", row.exposure ? json(*row.exposure) : json(nullptr)}, {"band", row.band},
                           {"via", direct ? json(nullptr) : json(ms_id)}});
  }
  out["risks"] = affecting;
}

/// A milestone's planned finish and items, or a risk's rank and exposure.
void other_facts(const Shown& s, json& out) {
  const auto& plan = s.loaded->plan;
  std::size_t i = s.record->index;
  if (s.record->kind == index::Kind::milestone) {
    out["planned"] = nullptr;
    for (const auto& row : s.schedule->milestones)
      if (row.milestone == i) out["planned"] = {{"finish", date_or_null(row.finish)}};
    status_of(s, i, out);
    json items = json::array();
    for (std::size_t k = 0; k < plan.items.size(); ++k)
      if (s.loaded->index.milestone_of(k) == i) items.push_back(str(plan.items[k].id));
    out["items"] = items;
    return;
  }
  out["rank"] = nullptr;
  for (const auto& row : s.risks->rows)
    if (row.risk == i)
      out.update({{"rank", row.rank}, {"exposure", row.exposure ? json(*row.exposure) : json(nullptr)}, {"band", row.band},
                  {"overdue", row.overdue}});
}

json last_change(const Shown& s) {
  if (!s.last_change) return nullptr;
  const auto& e = *s.last_change;
  json changes = json::array();
  for (const auto& c : e.changes)
    changes.push_back({{"field", c.field},
                       {"old", c.old_value ? json::parse(*c.old_value) : json(nullptr)},
                       {"new", c.new_value ? json::parse(*c.new_value) : json(nullptr)}});
  return {{"commit", e.commit.short_id}, {"date", to_string(e.commit.date)}, {"author", e.commit.author_name},
          {"email", e.commit.author_email}, {"person", e.person.empty() ? json(nullptr) : json(e.person)},
          {"changes", changes}};
}

json show_json(const Shown& s) {
  const auto& plan = s.loaded->plan;
  std::size_t i = s.record->index;
  auto kind = s.record->kind;
  auto [file, mark] = kind == index::Kind::item        ? std::pair{plan.items[i].file, plan.items[i].mark}
                      : kind == index::Kind::milestone ? std::pair{plan.milestones[i].file, plan.milestones[i].mark}
                                                       : std::pair{plan.risks[i].file, plan.risks[i].mark};
  std::string id = kind == index::Kind::item        ? str(plan.items[i].id)
                   : kind == index::Kind::milestone ? str(plan.milestones[i].id)
                                                    : str(plan.risks[i].id);
  json j{{"id", id}, {"kind", kind == index::Kind::item ? "item" : kind == index::Kind::milestone ? "milestone" : "risk"},
         {"file", plan.files[file]}, {"line", mark.line}};
  json fields = json::object();
  for (const auto& [name, value] : s.fields) fields[name] = json::parse(value);
  j["fields"] = fields;
  if (kind == index::Kind::item) item_facts(s, i, j);
  else other_facts(s, j);
  j["last_change"] = last_change(s);
  return j;
}

/// The "computed:" lines of rank, planned dates and float.
void plan_lines(const json& j, std::size_t width, std::string& out) {
  auto line = [&](std::string_view name, const std::string& value) { out += fmt::format("  {:<{}}{}\n", name, width, value); };
  if (j.contains("ranked"))
    line("rank", fmt::format("{} of {}{}", j["rank"].dump(), j["ranked"].dump(),
                             j["score"].is_null() ? "" : fmt::format(" (score {})", format_number(j["score"].get<double>()))));
  else if (j["kind"] == "risk" && !j["rank"].is_null())
    line("rank", fmt::format("{} (exposure {}, {}{})", j["rank"].dump(), j["exposure"].dump(), j["band"].get<std::string>(),
                             j["overdue"].get<bool>() ? ", review overdue" : ""));
  else if (j.contains("rank"))
    line("rank", j["kind"] == "risk" ? "not ranked (closed)" : "not ranked (only undone items are)");
  if (!j.contains("planned")) return;
  const auto& p = j["planned"];
  if (p.is_null()) line("planned", j["kind"] == "item" ? "not scheduled (done, dropped or no estimate)" : "finish unknown");
  else if (p.contains("unschedulable")) line("planned", "unschedulable: " + escape_control(p["unschedulable"].get<std::string>()));
  else if (p.contains("start"))
    line("planned", fmt::format("{} → {}, {}{}", p["start"].get<std::string>(), p["finish"].get<std::string>(),
                                p["person"].is_null() ? "(nobody)" : p["person"].get<std::string>(),
                                p["sprint"].is_null() ? "" : fmt::format(" (sprint {})", p["sprint"].dump())));
  else line("planned", "finish " + (p["finish"].is_null() ? std::string("unknown") : p["finish"].get<std::string>()));
  if (p.contains("float"))
    line("float", fmt::format("{} workday{}{}", format_number(p["float"].get<double>()), p["float"] == 1 ? "" : "s",
                              p["critical"].get<bool>() ? " (on the critical chain)" : ""));
}

/// The width of the name column: the longest field name and two spaces, at least "last change" and two.
std::size_t name_width(const json& j) {
  std::size_t width = 13;
  for (const auto& [k, v] : j["fields"].items()) width = std::max(width, display_width(escape_control(k)) + 2);
  return width;
}

std::string show_text(const json& j, std::size_t width) {
  std::string out = fmt::format("{} {}: {}\n", j["kind"].get<std::string>(), escape_control(j["id"].get<std::string>()),
                                j["fields"].contains("title") ? shown(j["fields"]["title"]) : "");
  auto line = [&](std::string_view name, const std::string& value) { out += fmt::format("  {:<{}}{}\n", name, width, value); };
  line("file", fmt::format("{}:{}", escape_control(j["file"].get<std::string>()), j["line"].get<int>()));
  for (const auto& [k, v] : j["fields"].items())
    if (k != "id" && k != "title") line(escape_control(k), shown(v));
  out += "computed:\n";
  plan_lines(j, width, out);
  if (j.contains("milestone")) {
    const auto& m = j["milestone"];
    line("milestone", m.is_null() ? "(none)"
                                  : fmt::format("{} {} (target {}, planned finish {}){}", shown(m["id"]), shown(m["title"]),
                                                shown(m["target"]), shown(m["finish"]),
                                                m["status"].is_null() ? "" : ": " + status_words(m)));
  }
  if (j.contains("status") && !j["status"].is_null()) line("status", status_words(j));  // a milestone's one status
  if (j.contains("items")) line("items", j["items"].empty() ? "(none)" : shown(j["items"]));
  if (j.contains("risks")) {
    std::vector<std::string> rs;
    for (const auto& rk : j["risks"])
      rs.push_back(fmt::format("{} (exposure {}{})", shown(rk["id"]), rk["exposure"].dump(),
                               rk["via"].is_null() ? "" : ", via " + shown(rk["via"])));
    line("risks", rs.empty() ? "(none)" : join(rs, ", "));
  }
  return out;
}

std::string last_change_text(const Shown& s, const json& c, std::size_t width) {
  if (c.is_null()) return fmt::format("  {:<{}}{}\n", "last change", width, escape_control(s.no_change));
  std::vector<std::string> what;
  for (const auto& ch : c["changes"]) {
    std::string field = ch["field"].get<std::string>();
    what.push_back(field == "create" ? "created" : field == "delete" ? "deleted" : field == "order" ? "moved"
                   : fmt::format("{}: {} → {}", field, shown(ch["old"]), shown(ch["new"])));
  }
  return fmt::format("  {:<{}}{} {} {}: {}\n", "last change", width, c["date"].get<std::string>(), c["commit"].get<std::string>(),
                     escape_control(c["author"].get<std::string>()), escape_control(join(what, "; ")));
}

}  // namespace

std::vector<std::pair<std::string, std::string>> written_fields(const load::Loaded& loaded, const Source& source,
                                                                const std::string& path, std::string_view list_key,
                                                                std::string_view id) {
  yaml::NodePtr root;
  if (auto it = loaded.trees.find(path); it != loaded.trees.end()) {
    root = it->second.root;
  } else if (auto text = source.read(path, std::size_t(1) << 31)) {
    Diagnostics ignored;
    root = yaml::parse(*text, path, ignored);
  }
  const yaml::Node* list = root && root->type == yaml::Type::mapping ? root->get(list_key) : nullptr;
  std::vector<std::pair<std::string, std::string>> out;
  for (const yaml::Node* rec : list ? list->items : std::span<const yaml::Node* const>{}) {
    const yaml::Node* rid = rec->type == yaml::Type::mapping ? rec->get("id") : nullptr;
    if (!rid || !rid->is_scalar() || rid->text != id) continue;
    for (const auto& [k, v] : rec->entries)
      if (k->is_scalar()) out.emplace_back(k->text, schema::to_json(*v).dump());
    break;
  }
  return out;
}

std::string show(const Shown& s, Format f) {
  json j = show_json(s);
  if (f == Format::json) return j.dump(2) + "\n";
  std::size_t width = name_width(j);
  return show_text(j, width) + last_change_text(s, j["last_change"], width);
}

std::string list(const load::Loaded& loaded, const priority::Ranking& ranking, const schedule::Schedule& schedule,
                 const std::vector<bool>& matched, std::string_view scope, Format f) {
  const auto& plan = loaded.plan;
  std::vector<std::optional<int>> rank(plan.items.size());
  for (const auto& row : ranking.rows) rank[row.item] = row.rank;
  std::vector<std::string> person(plan.items.size());
  for (const auto& t : schedule.tasks) person[t.item] = str(plan.config.people[t.person].id);
  Table t{{"id", "title", "status", "rank", "person", "milestone", "estimate", "tags"},
          {false, false, false, true, false, false, true, false}, {}};
  json rows = json::array();
  bool csv = f == Format::csv;
  for (std::size_t i = 0; i < plan.items.size(); ++i) {
    if (!matched[i]) continue;
    const auto& it = plan.items[i];
    std::string who = person[i].empty() ? str(it.assignee) : person[i];
    auto m = loaded.index.milestone_of(i);
    std::string ms = m ? str(plan.milestones[*m].id) : "";
    std::vector<std::string> tags;
    for (const auto& tag : it.tags.values) tags.push_back(str(tag));
    std::string status(model::to_string(it.status_or_default()));
    t.rows.push_back({str(it.id), csv ? str(it.title) : ellipsize_columns(str(it.title), 48), status,
                      rank[i] ? std::to_string(*rank[i]) : "", who, ms,
                      it.estimate.has() ? format_number(*it.estimate) : "", join(tags, csv ? " " : ", ")});
    rows.push_back({{"id", str(it.id)}, {"title", str(it.title)}, {"status", status},
                    {"rank", rank[i] ? json(*rank[i]) : json(nullptr)}, {"person", who.empty() ? json(nullptr) : json(who)},
                    {"milestone", ms.empty() ? json(nullptr) : json(ms)},
                    {"estimate", it.estimate.has() ? json(*it.estimate) : json(nullptr)}, {"tags", tags},
                    {"file", plan.files[it.file]}, {"line", it.mark.line}});
  }
  std::string which = scope.empty() ? "" : fmt::format(" ({})", scope);
  std::string head = fmt::format("Items{}: {}", which, t.rows.size());
  switch (f) {
    case Format::json: return json{{"items", rows}}.dump(2) + "\n";
    case Format::csv: return t.csv();
    case Format::markdown: return t.rows.empty() ? fmt::format("No items{}.\n", which) : "## " + head + "\n\n" + t.markdown();
    default: return t.rows.empty() ? fmt::format("No items{}.\n", which) : head + "\n\n" + t.text();
  }
}

}  // namespace tandem::render
