#include "core/render/history.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/base/table.hpp"
#include "core/base/text.hpp"
#include "core/git/signature.hpp"
#include "core/render/tables.hpp"

namespace tandem::render {

using nlohmann::json;

namespace {

std::string dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n"; }

json value_json(const std::optional<std::string>& canonical) {
  if (!canonical) return nullptr;
  auto j = json::parse(*canonical, nullptr, false);
  return j.is_discarded() ? json(*canonical) : j;
}

std::string who(const git::CommitInfo& c, const std::string& person) {
  if (!person.empty()) return person;
  return fmt::format("unknown person <{}>", c.author_email);
}

/// The places where two JSON values differ, as "people.carol.roles: [developer] → [developer, product_owner]"
/// (list elements named by their id when they have one); at most `max` of them.
void json_deltas(const json& a, const json& b, const std::string& path, std::vector<std::string>& out, std::size_t max) {
  if (out.size() >= max || a == b) return;
  auto leaf = [](const json& v, const json& other) {  // as history::display: a change of type shows as one
    if (v.is_null()) return std::string("(none)");
    std::string dumped = v.dump(-1, ' ', false, json::error_handler_t::replace);
    if (!v.is_string()) return dumped;
    bool quote = (!other.is_null() && !other.is_string()) || history::reads_as_other_type(v.get<std::string>());
    return quote ? dumped : v.get<std::string>();
  };
  auto at = [&](const std::string& key) { return path.empty() ? key : path + "." + key; };
  auto id_of = [](const json& v) -> std::string {
    return v.is_object() && v.contains("id") && v["id"].is_string() ? v["id"].get<std::string>() : "";
  };
  if (a.is_object() && b.is_object()) {
    for (const auto& [k, v] : a.items()) json_deltas(v, b.contains(k) ? b[k] : json(), at(k), out, max);
    for (const auto& [k, v] : b.items())
      if (!a.contains(k)) json_deltas(json(), v, at(k), out, max);
    return;
  }
  bool by_id = a.is_array() && b.is_array() && !a.empty() && !b.empty() && !id_of(a[0]).empty() && !id_of(b[0]).empty();
  if (by_id) {
    auto find = [&](const json& list, const std::string& id) {
      for (const auto& e : list)
        if (id_of(e) == id) return e;
      return json();
    };
    for (const auto& e : a) json_deltas(e, find(b, id_of(e)), at(id_of(e)), out, max);
    for (const auto& e : b)
      if (find(a, id_of(e)).is_null()) json_deltas(json(), e, at(id_of(e)), out, max);
    return;
  }
  out.push_back(fmt::format("{}: {} → {}", path, ellipsize(leaf(a, b), 40), ellipsize(leaf(b, a), 40)));
}

/// "value 8 → 13", "created", "deleted", "order 5 → 2"; for a section of tandem.yaml, the fields in it
/// that changed ("people.carol.roles: [developer] → [developer,product_owner]").
std::string describe(const history::Change& c) {
  if (c.kind == "config" && c.old_value && c.new_value) {
    auto a = json::parse(*c.old_value, nullptr, false), b = json::parse(*c.new_value, nullptr, false);
    if (!a.is_discarded() && !b.is_discarded() && (a.is_structured() || b.is_structured())) {
      std::vector<std::string> parts;
      json_deltas(a, b, c.field, parts, 4);
      if (!parts.empty()) return join(parts, "; ");
    }
  }
  if (c.field == "create") return c.new_value ? "created: " + history::display(c.new_value) : "created";
  if (c.field == "delete") return c.old_value ? "deleted: " + history::display(c.old_value) : "deleted";
  if (c.field == "order") return fmt::format("moved from position {} to {}", *c.old_value, *c.new_value);
  return fmt::format("{}: {} → {}", c.field, ellipsize(history::display(c.old_value, c.new_value), 40),
                     ellipsize(history::display(c.new_value, c.old_value), 40));
}

std::string subject(const history::Change& c) {
  return c.kind == "config" ? std::string("tandem.yaml") : c.id;
}

json change_json(const history::Change& c) {
  return {{"kind", c.kind}, {"id", c.kind == "config" ? json(nullptr) : json(c.id)}, {"field", c.field},
          {"old", value_json(c.old_value)}, {"new", value_json(c.new_value)}, {"file", c.file},
          {"line", c.line ? json(c.line) : json(nullptr)}};
}

std::string violation_text(const audit::Violation& v);

std::string violation_message(const audit::Violation& v) {
  if (v.code == "unverified-commit")
    return fmt::format("commit {} changes the plan ({} {}) and is not verified: {}", v.commit.short_id, subject(v.change),
                       describe(v.change), v.notes.empty() ? std::string() : v.notes.front());
  std::string why = v.notes.empty() ? "" : " (" + join(v.notes, "; ") + ")";
  return violation_text(v) + why;
}

/// What to do about a violation: who could approve it, or how to sign.
std::string violation_hint(const audit::Violation& v) {
  if (v.code == "unverified-commit") return signature::k_signing_hint;
  if (v.missing.empty()) return "add an Approved-by: trailer from someone with the role, or revert the change";
  return fmt::format("needs {} (tandem approve), or revert the change", v.missing);
}

std::string violation_text(const audit::Violation& v) {
  std::string roles = v.roles.empty() ? "no roles" : join(v.roles, ", ");
  std::string approved = v.approvers.empty() ? "" : fmt::format(", approved by {}", join(v.approvers, ", "));
  if (v.unaccounted)
    return fmt::format("{} {}: no commit of the range made this change (it came in from outside the range), "
                       "so it counts as made in the tip {} by {} ({}{}); needs {}",
                       subject(v.change), describe(v.change), v.commit.short_id, who(v.commit, v.person), roles,
                       approved, v.requirement);
  return fmt::format("{} {} in commit {} by {} ({}{}); needs {}", subject(v.change), describe(v.change),
                     v.commit.short_id, who(v.commit, v.person), roles, approved, v.requirement);
}

}  // namespace

std::vector<Diagnostic> violations_as_findings(const audit::Result& r) {
  std::vector<Diagnostic> out;
  for (const auto& v : r.violations)
    out.push_back({Severity::error, v.code, v.change.file,
                   Mark{v.change.line, v.change.column ? v.change.column : v.change.line ? 1u : 0u},
                   violation_message(v), violation_hint(v)});
  for (const auto& d : r.problems.items()) out.push_back(d);
  return out;
}

std::string audit(const audit::Result& r, Format f, bool color) {
  if (f == Format::json) {
    json violations = json::array();
    for (const auto& v : r.violations)
      violations.push_back({{"commit", v.commit.id},
                            {"date", to_string(v.commit.date)},
                            {"author", fmt::format("{} <{}>", v.commit.author_name, v.commit.author_email)},
                            {"person", v.person.empty() ? json(nullptr) : json(v.person)},
                            {"approvers", v.approvers},
                            {"roles", v.roles},
                            {"file", v.change.file},
                            {"line", v.change.line ? json(v.change.line) : json(nullptr)},
                            {"column", v.change.line ? json(v.change.column ? v.change.column : 1) : json(nullptr)},
                            {"unaccounted", v.unaccounted},
                            {"kind", v.change.kind},
                            {"id", v.change.kind == "config" ? json(nullptr) : json(v.change.id)},
                            {"field", v.change.field},
                            {"old", value_json(v.change.old_value)},
                            {"new", value_json(v.change.new_value)},
                            {"requirement", v.requirement},
                            {"code", v.code},
                            {"notes", v.notes},
                            {"missing", v.missing.empty() ? json(nullptr) : json(v.missing)}});
    json problems = json::array();
    for (const auto& d : r.problems.items())
      problems.push_back({{"file", d.file}, {"line", d.mark.line}, {"column", d.mark.column}, {"message", d.message}});
    json approved = json::array();  // the changes approvals count for: what `tandem approve` claims
    for (const auto& a : r.approved)
      approved.push_back({{"commit", a.commit.id}, {"kind", a.change.kind},
                          {"id", a.change.kind == "config" ? json(nullptr) : json(a.change.id)},
                          {"field", a.change.field}, {"approvers", a.approvers}});
    return dump({{"range", r.range.empty() ? json(nullptr) : json(r.range)}, {"commits", r.commits},
                 {"violations", violations}, {"approved", approved}, {"problems", problems}});
  }
  if (f == Format::github || f == Format::sarif || f == Format::gitlab || f == Format::junit)
    return findings(violations_as_findings(r), f, {color, false, r.commits, "commit"});
  // Warnings (an expired signature) fail nothing; other errors (unsafe-attributes) are counted apart.
  std::size_t unparsed = static_cast<std::size_t>(std::count_if(
      r.problems.items().begin(), r.problems.items().end(),
      [](const Diagnostic& d) { return d.severity == Severity::error && d.code != "unsafe-attributes"; }));
  std::size_t unsafe = r.problems.error_count() - unparsed;
  std::string commits = fmt::format("{} commit{}", r.commits, r.commits == 1 ? "" : "s");
  std::string summary =
      !r.violations.empty() ? fmt::format("{} violation{} in {}", r.violations.size(),
                                          r.violations.size() == 1 ? "" : "s", commits)
      // Versions that did not parse fail the audit too: never "no violations" with exit 1.
      : unparsed ? fmt::format("{} plan file version{} did not parse in {}", unparsed, unparsed == 1 ? "" : "s",
                               commits)
                 : "no violations in " + commits;
  if (!r.violations.empty() && unparsed)
    summary += fmt::format(", and {} plan file version{} that did not parse", unparsed, unparsed == 1 ? "" : "s");
  if (unsafe)
    summary = (r.violations.empty() && !unparsed ? fmt::format("no violations in {}", commits) : summary) +
              fmt::format("{} {} unsafe .gitattributes finding{}", r.violations.empty() && !unparsed ? ", but" : ", and",
                          unsafe, unsafe == 1 ? "" : "s");
  if (!r.range.empty()) summary = r.range + ": " + summary;
  if (f == Format::markdown) {
    std::string out = "### tandem audit\n\n";
    if (!r.violations.empty()) {
      Table t{{"Commit", "Who", "Change", "Needs", "Where"}, {}, {}};
      for (const auto& v : r.violations)
        t.rows.push_back({v.commit.short_id, who(v.commit, v.person) + (v.roles.empty() ? "" : " (" + join(v.roles, ", ") + ")"),
                          subject(v.change) + " " + describe(v.change), v.requirement,
                          fmt::format("{}:{}", v.change.file, v.change.line)});
      out += t.markdown() + "\n";
    }
    for (const auto& d : r.problems.items())
      out += fmt::format("- ⚠️ {}: {}\n", markdown_code(fmt::format("{}:{}", d.file, d.mark.line)), markdown_cell(d.message));
    return out + summary + ".\n";
  }
  std::string out;
  for (const auto& d : violations_as_findings(r)) {
    Diagnostic shown = d;
    out += format_diagnostic(shown) + "\n";
  }
  return out + summary + "\n";
}

std::string log(const std::string& id, const RecordLog& log, Format f) {
  const auto& entries = log.entries;
  std::vector<std::string> cut_ids;
  for (const auto& c : log.cut) cut_ids.push_back(c.short_id);
  if (f == Format::json) {
    json commits = json::array();
    for (const auto& e : entries) {
      json changes = json::array();
      for (const auto& c : e.changes) changes.push_back(change_json(c));
      json values = nullptr;
      if (!e.values.empty()) {
        values = json::object();
        for (const auto& [name, value] : e.values) values[name] = value_json(value);
      }
      commits.push_back({{"commit", e.commit.id}, {"date", to_string(e.commit.date)},
                         {"author", fmt::format("{} <{}>", e.commit.author_name, e.commit.author_email)},
                         {"person", e.person.empty() ? json(nullptr) : json(e.person)}, {"summary", e.commit.summary},
                         {"merge", e.merge}, {"cut", e.cut}, {"changes", changes}, {"values", values}});
    }
    json cut = json::array();
    for (const auto& c : log.cut) cut.push_back(c.id);
    return dump({{"id", id}, {"commits", commits}, {"cut", cut}});
  }
  Table t{{"date", "commit", "who", "changes"}, {}, {}};
  for (const auto& e : entries) {
    std::vector<std::string> parts;
    for (const auto& c : e.changes) parts.push_back(describe(c));
    std::string what = join(parts, "; ");
    if (e.cut) {
      for (const auto& [name, value] : e.values)
        parts.push_back(fmt::format("{}: {}", name, ellipsize(history::display(value), 40)));
      what = "history starts here (shallow clone): " + join(parts, "; ");
    }
    if (e.merge) what += " (merge)";
    t.rows.push_back({to_string(e.commit.date), e.commit.short_id, who(e.commit, e.person), what});
  }
  if (f == Format::csv) return t.csv();
  std::string head =
      fmt::format("History of {}: {} commit{}", escape_control(id), entries.size(), entries.size() == 1 ? "" : "s");
  std::string note;
  if (!cut_ids.empty())
    note = fmt::format("The history is cut at commit {} (shallow clone): older commits are not in this clone.\n",
                       join(cut_ids, ", "));
  if (f == Format::markdown)
    return fmt::format("## History of {}: {} commit{}\n\n", markdown_cell(id), entries.size(), entries.size() == 1 ? "" : "s") +
           t.markdown() + (note.empty() ? "" : "\n" + note);
  return head + "\n\n" + t.text() + (note.empty() ? "" : "\n" + note);
}

std::string blame(const std::string& id, const std::vector<BlameLine>& lines, Format f) {
  if (f == Format::json) {
    json fields = json::array();
    for (const auto& l : lines)
      fields.push_back({{"field", l.field}, {"value", value_json(l.value)}, {"commit", l.commit.id},
                        {"date", to_string(l.commit.date)},
                        {"author", fmt::format("{} <{}>", l.commit.author_name, l.commit.author_email)},
                        {"person", l.person.empty() ? json(nullptr) : json(l.person)}, {"cut", l.cut}});
    return dump({{"id", id}, {"fields", fields}});
  }
  Table t{{"field", "value", "set by", "date", "commit"}, {}, {}};
  std::vector<std::string> cut_ids;
  for (const auto& l : lines) {
    std::string date = to_string(l.commit.date);
    if (l.cut) {
      date = "at or before " + date;
      if (std::find(cut_ids.begin(), cut_ids.end(), l.commit.short_id) == cut_ids.end())
        cut_ids.push_back(l.commit.short_id);
    }
    t.rows.push_back({l.field, f == Format::csv ? history::display(l.value) : ellipsize(history::display(l.value), 50),
                      who(l.commit, l.person), date, l.commit.short_id});
  }
  if (f == Format::csv) return t.csv();
  std::string note;
  if (!cut_ids.empty())
    note = fmt::format("\nThe history is cut at commit {} (shallow clone): a value marked \"at or before\" was set "
                       "in that commit or in an older one this clone lacks.\n",
                       join(cut_ids, ", "));
  if (f == Format::markdown) return "## Who set each field of " + markdown_cell(id) + "\n\n" + t.markdown() + note;
  return "Who set each field of " + id + "\n\n" + t.text() + note;
}

std::string change_words(const history::Change& c) {
  std::string what = c.kind == "config" ? subject(c) : c.kind + " " + subject(c);
  return escape_control(what + " " + describe(c));
}

std::string diff(const DiffReport& r, Format f) {
  if (f == Format::json) {
    json changes = json::array(), ranks = json::array(), milestones = json::array();
    for (std::size_t i = 0; i < r.changes.size(); ++i) {
      changes.push_back(change_json(r.changes[i]));
      if (i < r.approvals.size()) changes.back()["approval"] = r.approvals[i];
    }
    for (const auto& m : r.ranks)
      ranks.push_back({{"id", m.id}, {"old", m.old_rank ? json(*m.old_rank) : json(nullptr)},
                       {"new", m.new_rank ? json(*m.new_rank) : json(nullptr)}});
    for (const auto& m : r.milestones) {  // each status as `schedule` writes it; old_status null: a new milestone
      json old_status = nullptr, new_status = json::object();
      if (m.old_status) render::status_json(old_status, *m.old_status);
      render::status_json(new_status, m.new_status);
      milestones.push_back({{"id", m.id}, {"old", m.old_finish ? json(*m.old_finish) : json(nullptr)},
                            {"new", m.new_finish ? json(*m.new_finish) : json(nullptr)}, {"old_status", old_status},
                            {"new_status", new_status}});
    }
    json unparseable = json::array();
    for (const auto& [side, d] : r.unparseable)
      unparseable.push_back({{"side", side}, {"file", d.file}, {"line", d.mark.line}, {"column", d.mark.column},
                             {"message", d.message}});
    return dump({{"from", r.from}, {"to", r.to}, {"changes", changes}, {"ranks", ranks}, {"milestones", milestones},
                 {"notes", r.notes}, {"unparseable", unparseable}});
  }
  bool approvals = !r.approvals.empty() && f != Format::csv;
  Table changes{{"kind", "id", "change"}, {}, {}};
  if (approvals) changes.headers.push_back("approval");
  for (std::size_t i = 0; i < r.changes.size(); ++i) {
    const auto& c = r.changes[i];
    changes.rows.push_back({c.kind, subject(c), describe(c)});
    if (approvals) changes.rows.back().push_back(i < r.approvals.size() ? r.approvals[i] : "");
  }
  Table ranks{{"id", "rank"}, {}, {}};
  for (const auto& m : r.ranks)
    ranks.rows.push_back({m.id, fmt::format("{} → {}", m.old_rank ? std::to_string(*m.old_rank) : "new",
                                            m.new_rank ? std::to_string(*m.new_rank) : "gone")});
  std::vector<std::string> ms;
  for (const auto& m : r.milestones)
    ms.push_back(fmt::format("{}: {} → {}, now {}", m.id, m.old_finish.value_or("unknown"), m.new_finish.value_or("unknown"),
                             m.new_status.text()));
  if (f == Format::csv) return changes.csv();
  std::string head = fmt::format("Plan changes from {} to {}", r.from, r.to);
  std::string out;
  bool md = f == Format::markdown;
  out += md ? "## " + markdown_cell(head) + "\n\n" : head + "\n\n";
  for (const auto& [side, d] : r.unparseable) {
    std::string line = fmt::format("{} is unparseable in {} ({}:{}: {}); its records are left out on both sides",
                                   d.file, side, d.mark.line, d.mark.column, d.message);
    out += md ? "> ⚠️ " + markdown_cell(line) + "\n\n" : "error: " + escape_control(line) + "\n";
  }
  if (!md && !r.unparseable.empty()) out += "\n";
  if (r.changes.empty()) out += "No changes to the plan.\n";
  else out += md ? changes.markdown() : changes.text();
  if (!r.ranks.empty()) out += (md ? "\n### Priority ranks moved\n\n" + ranks.markdown() : "\nPriority ranks moved\n\n" + ranks.text());
  if (!ms.empty()) {
    out += md ? "\n### Planned finishes moved\n\n" : "\nPlanned finishes moved\n\n";  // the schedule's, not the forecast's
    for (const auto& m : ms) out += (md ? "- " : "  ") + (md ? markdown_cell(m) : m) + "\n";
  }
  for (const auto& n : r.notes) out += (md ? "\n> " + markdown_cell(n) : "\nnote: " + n) + "\n";
  return out;
}

}  // namespace tandem::render
