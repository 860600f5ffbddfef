# docs/files-and-rules.md: `beta`, a starter plan whose milestone title holds ': ' unquoted.
mkdir beta && cd beta && git init -q && tandem init >/dev/null
sed -i 's/^    title: First release$/    title: Closed beta: phase 1/' roadmap.yaml
grep -q 'Closed beta: phase 1' roadmap.yaml
