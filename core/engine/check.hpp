#pragma once
#include "core/base/date.hpp"
#include "core/base/diagnostic.hpp"
#include "core/plan/load.hpp"

namespace tandem::check {

/// The semantic checks of SPEC section 2 on a decoded plan: references, duplicate ids, dependency
/// cycles, role rules, and plan-sanity warnings. `today` decides which risk reviews are overdue.
void run(const load::Loaded& loaded, Date today, Diagnostics& diags);

}  // namespace tandem::check
