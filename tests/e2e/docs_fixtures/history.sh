# docs/history.md: the web-shop plan (committed by Hanna, its product owner) gets a history. Marco (project manager)
# moves M1's target on main with Hanna's approval; on the branch `feature` he raises an item's value and moves a
# committed target (two violations), assigns an item and gives a risk a new review date (allowed).
as() { git config user.name "$1" && git config user.email "$2"; }
as "Marco Bianchi" marco.bianchi@example.com
tandem set M1 target=2027-03-12 >/dev/null 2>&1
git commit -qam "M1 a week later" --trailer "Approved-by: Hanna Keller <hanna.keller@example.com>"
git switch -qc feature
tandem set CAT-2 value=21 >/dev/null 2>&1 && git commit -qam "CAT-2 matters more"
tandem set M2 target=2027-05-14 >/dev/null 2>&1 && git commit -qam "M2 two weeks later"
tandem set CAT-3 assignee=jonas >/dev/null 2>&1 && git commit -qam "CAT-3 to Jonas"
tandem set R1 review=2027-01-29 >/dev/null 2>&1 && git commit -qam "R1: review a week later"
