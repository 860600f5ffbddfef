#pragma once
#include "core/date.hpp"
#include "core/diagnostic.hpp"
#include "core/load.hpp"

namespace tandem::check {

/// The semantic checks of SPEC section 2 on a decoded plan: references, duplicate ids, dependency
/// cycles, role rules, and plan-sanity warnings. `today` decides which risk reviews are overdue.
void run(const load::Loaded& loaded, Date today, Diagnostics& diags);

}  // namespace tandem::check
