# docs/parallel.md: `shop`, the web-shop plan in its own repository with a remote `origin` that is one commit ahead.
cp -r examples/webshop shop && cd shop && git init -q && git add -A && git commit -qm "The plan"
git clone -q --bare . ../origin.git && git remote add origin ../origin.git
git clone -q ../origin.git ../colleague && (cd ../colleague && tandem add "Gift cards" >/dev/null && git commit -qam "Gift cards" && git push -q)
