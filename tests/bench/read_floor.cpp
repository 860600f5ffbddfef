// The floor of a history command (issue 12): the time libgit2 needs to read each changed version of
// the plan files once. Walks the commits of HEAD (topological, as tandem does), looks up each path
// in each commit's tree, and reads every blob not read before; prints what it read. tandem's `audit`
// and `log ID` over the same history should come within 2x of this (tests/bench/history.sh). Like
// tandem, it does not verify each object's hash as it reads it.
//
// usage: read_floor REPO PATH...      (built by history.sh with g++ -O2 and pkg-config libgit2)
#include <git2.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

namespace {

void check(int rc, const char* what) {
  if (rc >= 0) return;
  const git_error* e = git_error_last();
  std::fprintf(stderr, "read_floor: %s: %s\n", what, e ? e->message : "unknown error");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: read_floor REPO PATH...\n");
    return 2;
  }
  git_libgit2_init();
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);  // as tandem does
  git_repository* repo = nullptr;
  check(git_repository_open(&repo, argv[1]), "open");
  git_revwalk* walk = nullptr;
  check(git_revwalk_new(&walk, repo), "walk");
  git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
  check(git_revwalk_push_head(walk), "HEAD");
  std::unordered_set<std::string> seen;
  std::size_t commits = 0, blobs = 0, bytes = 0, sum = 0;
  git_oid id;
  while (git_revwalk_next(&id, walk) == 0) {
    ++commits;
    git_commit* commit = nullptr;
    check(git_commit_lookup(&commit, repo, &id), "commit");
    git_tree* tree = nullptr;
    check(git_commit_tree(&tree, commit), "tree");
    for (int i = 2; i < argc; ++i) {
      git_tree_entry* entry = nullptr;
      if (git_tree_entry_bypath(&entry, tree, argv[i]) < 0) continue;
      const git_oid* blob_id = git_tree_entry_id(entry);
      std::string key(reinterpret_cast<const char*>(blob_id->id), GIT_OID_RAWSZ);
      if (seen.insert(key).second) {
        git_blob* blob = nullptr;
        check(git_blob_lookup(&blob, repo, blob_id), "blob");
        auto size = static_cast<std::size_t>(git_blob_rawsize(blob));
        const auto* data = static_cast<const unsigned char*>(git_blob_rawcontent(blob));
        for (std::size_t k = 0; k < size; k += 64) sum += data[k];  // touch the content
        ++blobs;
        bytes += size;
        git_blob_free(blob);
      }
      git_tree_entry_free(entry);
    }
    git_tree_free(tree);
    git_commit_free(commit);
  }
  std::printf("%zu commits, %zu blob versions read, %zu bytes (checksum %zu)\n", commits, blobs, bytes, sum & 0xff);
  git_revwalk_free(walk);
  git_repository_free(repo);
  git_libgit2_shutdown();
  return 0;
}
