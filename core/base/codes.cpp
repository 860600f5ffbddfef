#include "core/base/codes.hpp"

namespace tandem {

namespace {
constexpr CodeInfo k_codes[] = {
    {"yaml-syntax", "The file is not valid YAML."},
    {"merge-conflict", "The file holds git's conflict markers: an unresolved merge conflict."},
    {"invalid-encoding", "The file is not UTF-8 text, or holds control characters."},
    {"empty-file", "A plan file is empty."},
    {"multiple-documents", "A plan file holds more than one YAML document."},
    {"duplicate-key", "A mapping has the same key twice (YAML forbids it)."},
    {"complex-key", "A mapping key is a list or a mapping."},
    {"unsupported-tag", "A YAML tag other than the standard scalar tags."},
    {"bad-tag", "A value does not match its explicit YAML tag."},
    {"unknown-alias", "An alias names no anchor defined before it."},
    {"bad-merge", "A merge key '<<' names something other than a mapping or a list of mappings."},
    {"unsupported-alias", "An alias repeats a top-level list (whose elements are not kept)."},
    {"alias-limit", "Aliases expand to too many nodes (an alias bomb)."},
    {"too-deep", "Lists and mappings are nested too deeply."},
    {"too-many-items", "The plan has more items, milestones and risks than --max-items allows."},
    {"wrong-type", "A value has the wrong type (a quoted number is a string)."},
    {"unknown-key", "A key that the file format does not know (keys starting with x- are allowed)."},
    {"missing-key", "A required key is missing."},
    {"invalid-value", "A value is not one of the allowed values."},
    {"out-of-range", "A number is outside its allowed range."},
    {"invalid-id", "An id does not match ^[A-Za-z][A-Za-z0-9_.-]*$."},
    {"invalid-date", "A date is not a real YYYY-MM-DD day."},
    {"invalid-range", "A range ends before it starts."},
    {"duplicate-value", "A list that must not repeat values repeats one."},
    {"schema-violation", "The file does not match its JSON Schema."},
    {"unsafe-path", "A plan path is absolute, leads outside the repository, or is a symbolic link."},
    {"unsafe-attributes", "A .gitattributes gives a plan file working-tree-encoding, filter or ident: a checkout would write other bytes than git holds."},
    {"missing-file", "A file named in 'files' does not exist."},
    {"no-match", "A glob in 'files' matches no file."},
    {"duplicate-id", "Two records share an id."},
    {"unknown-reference", "A reference names no item, milestone, risk or person."},
    {"dependency-cycle", "Items or milestones depend on each other in a cycle."},
    {"unknown-role", "A role that is not declared under 'roles'."},
    {"role-count", "Fewer or more people hold a role than 'roles' allows."},
    {"role-separation", "One person holds roles that 'separate' keeps apart."},
    {"not-accountable", "An owner whose roles are not accountable for that file."},
    {"duplicate-email", "Two people share an email address."},
    {"missing-done-date", "A done item has no 'done:' date."},
    {"depends-on-dropped", "An item depends on a dropped item."},
    {"missing-estimate", "An undone item in a milestone has no estimate."},
    {"review-overdue", "An open risk is past its review date."},
    {"missing-wsjf", "An undone item lacks a WSJF field under the wsjf model."},
    {"future-date", "A 'done:' or 'started:' date is after today."},
    {"started-after-done", "An item's 'started:' date is after its 'done:' date."},
    {"done-before-dependency", "A done item depends on an item that is not done."},
    {"milestone-order", "Something is due before a milestone it depends on."},
    {"ownership-violation", "A commit changed the plan without the roles the ownership rules ask for."},
    {"unparseable-history", "A plan file does not parse in a commit of the audited history."},
    {"expired-signature", "With trust.signatures: required, a commit's OpenPGP key or signature has expired; it still verifies (remove the key from signing_keys to stop trusting it)."},
    {"unverified-commit", "With trust.signatures: required, a commit changed the plan and no key in signing_keys verifies its signature."},
};
}  // namespace

std::span<const CodeInfo> diagnostic_codes() { return k_codes; }

bool stops_parsing(std::string_view code) {
  for (std::string_view c : {"yaml-syntax", "merge-conflict", "invalid-encoding", "multiple-documents", "too-deep",
                             "alias-limit", "unknown-alias", "unsupported-alias"})
    if (c == code) return true;
  return false;
}

std::string_view describe_code(std::string_view code) {
  for (const auto& c : k_codes)
    if (c.code == code) return c.description;
  return {};
}

}  // namespace tandem
