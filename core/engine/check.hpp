#pragma once
#include "core/base/date.hpp"
#include "core/base/diagnostic.hpp"
#include "core/plan/load.hpp"

namespace tandem::check {

/// The semantic checks of SPEC section 2 on a decoded plan: references, duplicate ids, dependency
/// cycles, role rules, and plan-sanity warnings. `today` decides which risk reviews are overdue.
void run(const load::Loaded& loaded, Date today, Diagnostics& diags);

/// `unsafe-attributes`: a plan file (tandem.yaml included) that a `.gitattributes` of `source` gives
/// `working-tree-encoding`, `filter` or `ident`, so that a checkout writes other bytes than the blob
/// history holds (the plan people work from is not the plan the audit reads).
void attributes(const load::Loaded& loaded, const Source& source, Diagnostics& diags);

}  // namespace tandem::check
