#include "core/plan/load.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <set>

#include "core/plan/decode.hpp"
#include "core/base/error.hpp"
#include "core/plan/kinds.hpp"
#include "core/plan/schema.hpp"

namespace tandem::load {

namespace fs = std::filesystem;

namespace {

/// The nearest directory at or above `dir` that holds `.git` (a directory or a worktree file).
std::optional<fs::path> git_top(fs::path dir) {
  for (;;) {
    std::error_code ec;
    if (fs::exists(dir / ".git", ec)) return dir;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

/// Reports the deepest of the schema violations of a value the decoder found no structural fault in
/// (it explains all it knows of; tests prove the two agree, so this only fires if they drift apart).
void report_violations(const std::vector<schema::Violation>& violations, const yaml::Node& node, decode::Context& ctx) {
  if (violations.empty()) return;
  const schema::Violation* deepest = &violations.front();
  for (const auto& v : violations)
    if (v.path.size() > deepest->path.size()) deepest = &v;
  ctx.diags.error("schema-violation", ctx.file, schema::node_at(node, deepest->path).mark,
                  fmt::format("does not match the schema: {}", deepest->message));
}

/// The schema backstop of a value, when the options ask for it and the decoder found no structural
/// fault in it.
template <class Validate>
void backstop(const Options& options, Validate validate, const yaml::Node& node, decode::Context& ctx) {
  if (options.schema_backstop && !ctx.structural) report_violations(validate(), node, ctx);
}

/// Options::keep_records at work on one list file: keeps the records with those ids, each with where the
/// record after it begins. An id on two records (in any file) is kept for neither.
class Keeper {
public:
  Keeper(const Options& options, Loaded& out, std::set<std::string>& twice, const std::string& path)
      : m_ids(options.keep_records), m_out(out), m_twice(twice), m_path(path) {}

  /// Element `i` of the list, decoded as record `model_index` of its kind.
  void element(std::size_t i, std::size_t model_index, const yaml::NodePtr& e) {
    if (!m_ids) return;
    if (auto last = m_out.records.find(m_last); !m_last.empty() && last != m_out.records.end() && last->second.index + 1 == i)
      last->second.next = e->begin;
    m_last.clear();
    const yaml::Node* id = e->type == yaml::Type::mapping ? e->get("id") : nullptr;
    if (!id || !id->is_scalar() || !m_ids->contains(std::string(id->text))) return;
    std::string key(id->text);
    if (m_twice.contains(key)) return;
    if (m_out.records.erase(key)) {
      m_twice.insert(key);
      return;
    }
    m_out.records.emplace(key, KeptRecord{m_path, i, model_index, e, std::string::npos});
    m_last = key;
    m_kept.push_back(std::move(key));
  }

  /// After the file is read: nothing is kept of a file that was not read to the end or whose list is not
  /// a block list. any(): a record of the file is kept (its text is then kept too: `load` moves it there).
  void finish(bool read, const yaml::NodePtr& root, std::string_view list_key) {
    const yaml::Node* list = read && root && root->type == yaml::Type::mapping ? root->get(list_key) : nullptr;
    bool block = list && list->type == yaml::Type::sequence && list->style == yaml::Style::block;
    bool any = false;
    for (const auto& id : m_kept) {
      auto it = m_out.records.find(id);
      if (it == m_out.records.end() || it->second.path != m_path) continue;
      if (block) any = true;
      else m_out.records.erase(it);
    }
    m_any = any;
  }
  bool any() const { return m_any; }
  /// The parse of the file found something: Loaded::read_again.
  void found_in_parse() { m_out.read_again = true; }

private:
  const std::set<std::string>* m_ids;
  Loaded& m_out;
  std::set<std::string>& m_twice;
  const std::string& m_path;
  std::string m_last;                // the record kept last, until the next element shows where it ends
  std::vector<std::string> m_kept;   // the ids kept from this file
  bool m_any = false;
};

/// Reads one list file into the plan; false when it could not be read to the end (a syntax error).
bool load_list_file(const kinds::KindInfo& kind, const std::string& text, model::Plan& plan, model::FileIndex index,
                    const Options& options, Diagnostics& diags, bool& over_limit, std::map<std::string, Tree>& kept,
                    Keeper& keeper) {
  decode::Context ctx{diags, plan.files[index], index};
  const auto& validator = schema::Validator::instance();
  auto on_element = [&](std::string_view key, std::size_t i, const yaml::NodePtr& element) {
    if (key != kind.list_key) return;  // the root check reports the unknown key
    if (plan.items.size() + plan.milestones.size() + plan.risks.size() >= options.max_items) {
      if (!over_limit)
        diags.error("too-many-items", plan.files[index], element->mark,
                    fmt::format("the plan has more than {} items, milestones and risks (the --max-items limit); "
                                "the rest is not read",
                                options.max_items),
                    "split the plan, or raise the limit with --max-items");
      over_limit = true;
      return;
    }
    ctx.structural = false;
    keeper.element(i, kind.schema == schema::Kind::backlog   ? plan.items.size()
                      : kind.schema == schema::Kind::roadmap ? plan.milestones.size()
                                                             : plan.risks.size(), element);
    if (kind.schema == schema::Kind::backlog) decode::decode_item(*element, ctx, plan.items.emplace_back());
    else if (kind.schema == schema::Kind::roadmap) decode::decode_milestone(*element, ctx, plan.milestones.emplace_back());
    else decode::decode_risk(*element, ctx, plan.risks.emplace_back());
    backstop(options, [&] { return validator.validate_element(kind.schema, schema::to_json(*element)); }, *element, ctx);
  };
  std::size_t before = diags.size();
  const std::string& path = plan.files[index];
  yaml::NodePtr root;
  auto known = options.parsed ? options.parsed->find(path) : std::map<std::string, Tree>::const_iterator{};
  if (options.parsed && known != options.parsed->end() && known->second.text == text) {
    root = known->second.root;
  } else if (options.keep_trees) {
    Diagnostics parsing;  // a tree is kept only when its parse found nothing
    root = yaml::parse(text, path, parsing, options.limits);
    if (root && parsing.size() == 0) kept.emplace(path, Tree{text, root});
    diags.append(parsing);
  } else if (options.keep_records) {
    Diagnostics parsing;  // a finding of the parser: the editing command reads the plan again with keep_trees
    root = yaml::parse(text, path, parsing, options.limits, on_element);
    if (parsing.size() != 0) keeper.found_in_parse();
    diags.append(parsing);
  } else {
    root = yaml::parse(text, path, diags, options.limits, on_element);
  }
  // A whole tree: its elements are decoded as the parse would have streamed them.
  if (root && (options.parsed || options.keep_trees) && root->type == yaml::Type::mapping) {
    for (const auto& [key, value] : root->entries)
      if (key->text == kind.list_key && value->type == yaml::Type::sequence)
        for (std::size_t i = 0; i < value->items.size(); ++i) on_element(key->text, i, yaml::NodePtr(root, value->items[i]));
  }
  keeper.finish(root != nullptr, root, kind.list_key);
  if (!root) {
    bool failed = diags.size() != before;
    if (!failed)
      diags.error("empty-file", plan.files[index], Mark{1, 1}, fmt::format("the {} file is empty", kind.name),
                  fmt::format("write '{}: []' for none", kind.list_key));
    return !failed;
  }
  ctx.structural = false;
  decode::decode_list_root(*root, ctx, kind.list_key);
  backstop(options, [&] { return validator.validate(kind.schema, schema::to_json(*root)); }, *root, ctx);
  return true;
}

/// Checks one `files:` pattern and returns the repository-relative paths it names.
std::vector<std::string> resolve(const model::Field<std::string>& pattern, const fs::path& config_dir,
                                 const Source& source, const std::string& config_file, Diagnostics& diags) {
  const std::string& p = *pattern;
  auto unsafe = [&](std::string message, const char* hint = "plan files must be inside the repository; use a "
                                                            "relative path without '..'") {
    diags.error("unsafe-path", config_file, pattern.mark, std::move(message), hint);
    return std::vector<std::string>{};
  };
  if (p.empty()) return unsafe("an empty path names no file");
  if (fs::path(p).is_absolute()) return unsafe(fmt::format("'{}' is an absolute path", p));
  fs::path joined = (config_dir / p).lexically_normal();
  std::string rel = joined.generic_string();
  if (rel == "." || rel.starts_with("../") || rel == "..")
    return unsafe(fmt::format("'{}' leads outside the repository", p));
  bool is_glob = p.find_first_of("*?[") != std::string::npos;
  std::vector<std::string> paths;
  if (is_glob) {
    paths = source.glob(rel);
    if (paths.empty())
      diags.warning("no-match", config_file, pattern.mark, fmt::format("'{}' matches no file", p));
  } else {
    paths.push_back(rel);
  }
  std::vector<std::string> out;
  for (auto& path : paths) {
    if (auto link = source.link_on(path)) {
      unsafe(link_refusal(path, *link), k_link_hint);
      continue;
    }
    out.push_back(std::move(path));
  }
  return out;
}

}  // namespace

Location locate(const Options& options) {
  std::error_code ec;
  fs::path config;
  if (!options.config_file.empty()) {
    config = fs::absolute(options.config_file, ec);
    if (!fs::is_regular_file(config, ec)) throw Error(fmt::format("{}: no such file", options.config_file));
  } else {
    fs::path dir = fs::absolute(options.start_dir, ec);
    if (!fs::is_directory(dir, ec)) throw Error(fmt::format("{}: no such directory", options.start_dir));
    dir = dir.lexically_normal();
    for (;;) {
      if (fs::is_regular_file(dir / "tandem.yaml", ec)) {
        config = dir / "tandem.yaml";
        break;
      }
      if (!dir.has_relative_path()) {
        std::string start = fs::absolute(options.start_dir).lexically_normal().string();
        if (start.size() > 1 && start.back() == '/') start.pop_back();
        throw Error(fmt::format("no tandem.yaml in {} or any parent directory (run 'tandem init' to create one)", start));
      }
      dir = dir.parent_path();
    }
  }
  config = config.lexically_normal();
  Location where;
  auto top = git_top(config.parent_path());
  where.in_git = top.has_value();
  where.root = (top ? *top : config.parent_path()).string();
  where.config_path = config.lexically_relative(where.root).generic_string();
  return where;
}

Loaded load(const Location& where, const Source& source, const Options& options, Diagnostics& diags,
            bool config_only) {
  Loaded out;
  model::Plan& plan = out.plan;
  plan.root = where.root;
  plan.files.push_back(where.config_path);
  plan.file_kinds.push_back("config");
  fs::path config_dir = fs::path(where.config_path).parent_path();
  plan.config_dir = config_dir.generic_string();

  if (auto link = source.link_on(where.config_path)) {
    diags.error("unsafe-path", where.config_path, Mark{1, 1}, link_refusal(where.config_path, *link), k_link_hint);
    out.index = index::PlanIndex(plan);
    return out;
  }
  auto text = source.read(where.config_path, options.max_file_size);
  if (!text) throw Error(fmt::format("cannot read {}", where.config_path));
  decode::Context ctx{diags, where.config_path, 0};
  std::size_t before = diags.size();
  auto root = yaml::parse(*text, where.config_path, diags, options.limits);
  if (!root) {
    if (diags.size() == before)
      diags.error("empty-file", where.config_path, Mark{1, 1}, "tandem.yaml is empty",
                  "run 'tandem init' in an empty directory to see a starter plan");
    else
      out.unparsed.insert("config");
  } else {
    decode::decode_config(*root, ctx, plan.config);
    out.rules = ownership::decode(root->type == yaml::Type::mapping ? root->get("ownership") : nullptr, ctx);
    // After the ownership rules, so that a fault the decoder reported there is not reported twice.
    backstop(options, [&] { return schema::Validator::instance().validate(schema::Kind::config, schema::to_json(*root)); }, *root, ctx);
  }
  if (out.rules.defaults.empty()) out.rules.defaults = ownership::default_rules();
  decode::resolve_defaults(plan.config);
  // Without a readable tandem.yaml every other file would be judged against defaults (people, roles,
  // priority model, files) that are not the user's: its syntax error is the one finding.
  if (config_only || out.unparsed.contains("config")) {
    out.index = index::PlanIndex(plan);
    return out;
  }

  std::set<std::string> seen{where.config_path};
  bool over_limit = false;  // --max-items is reported once
  std::set<std::string> twice;  // keep_records: ids seen on two records
  for (const auto& kind : kinds::k_lists) {
    auto given = plan.config.files.find(std::string(kind.name));
    bool defaulted = given == plan.config.files.end();
    std::vector<model::Field<std::string>> patterns =
        defaulted ? std::vector<model::Field<std::string>>{{std::string(kind.default_file), Mark{}}} : given->second;
    for (const auto& pattern : patterns) {
      for (const auto& path : resolve(pattern, config_dir, source, where.config_path, diags)) {
        if (!seen.insert(path).second) continue;
        auto content = source.read(path, options.max_file_size);
        if (!content) {
          if (!defaulted)
            diags.error("missing-file", where.config_path, pattern.mark, fmt::format("'{}' does not exist", path));
          continue;
        }
        plan.files.push_back(path);
        plan.file_kinds.push_back(kind.name);
        Keeper keeper(options, out, twice, plan.files.back());
        if (!load_list_file(kind, *content, plan, static_cast<model::FileIndex>(plan.files.size() - 1), options,
                            diags, over_limit, out.trees, keeper))
          out.unparsed.insert(std::string(kind.name));
        if (keeper.any()) out.texts[plan.files.back()] = std::move(*content);
      }
    }
  }
  out.index = index::PlanIndex(plan);
  return out;
}

}  // namespace tandem::load
