#pragma once
// The row filters of the reporting commands (SPEC 5): options and their check against the plan.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cmd/common.hpp"
#include "core/base/error.hpp"
#include "core/engine/filter.hpp"
#include "core/plan/load.hpp"

namespace tandem::cmd {

/// Adds --milestone, --person, --tag and --status (each repeatable) to `sub`, filling `f`.
inline void add_filter_options(CLI::App& sub, filter::Filter& f) {
  sub.add_option("--milestone", f.milestones, "Only rows of milestone ID (repeatable)")->option_text("ID")->allow_extra_args(false);
  sub.add_option("--person", f.people, "Only rows of person ID (repeatable)")->option_text("ID")->allow_extra_args(false);
  sub.add_option("--tag", f.tags, "Only rows of items tagged TAG (repeatable)")
      ->option_text("TAG")
      ->allow_extra_args(false);
  sub.add_option("--status", f.statuses, "Only rows of items with status S (repeatable)")
      ->option_text("S")
      ->allow_extra_args(false)
      ->check(one_of(std::vector<std::string>(std::begin(model::k_status_names), std::end(model::k_status_names))));
}

/// Throws tandem::Error (exit 2) when a filter names a milestone or person the plan does not have.
inline void check_filter(const filter::Filter& f, const load::Loaded& loaded) {
  auto problems = filter::problems(f, loaded.plan, loaded.index);
  if (!problems.empty()) throw Error(fmt::format("{}", fmt::join(problems, "; ")));
}

}  // namespace tandem::cmd
