#pragma once
/// libgit2, opened on first use instead of linked: loading it and the 15 libraries it needs (TLS,
/// SSH, Kerberos…) took 7 ms, where a whole 1,000-item `schedule` now takes 32 ms, and most commands
/// never read git history. In namespace tandem::git each libgit2 function used is a pointer of the same name,
/// so the code there calls them as usual; anything else must go through tandem::git (tandem does not
/// link libgit2, so a call that bypasses these pointers does not link).
#ifndef TANDEM_CORE_GIT
#error "core/git/libgit2.hpp is private to core/git: use core/git/repository.hpp and git::Oid"
#endif
#include <git2.h>

#define TANDEM_LIBGIT2_FUNCTIONS(X)                                                                            \
  X(git_libgit2_init) X(git_libgit2_shutdown) X(git_libgit2_opts) X(git_error_last)                              \
  X(git_repository_open_ext) X(git_repository_free) X(git_repository_workdir) X(git_repository_commondir)        \
  X(git_repository_path)                                                                                       \
  X(git_repository_is_shallow) X(git_revparse_single) X(git_object_peel) X(git_object_id) X(git_object_free)     \
  X(git_commit_lookup) X(git_commit_free) X(git_commit_id) X(git_commit_parentcount) X(git_commit_parent_id)     \
  X(git_commit_author_with_mailmap) X(git_commit_time) X(git_commit_summary) X(git_commit_message)               \
  X(git_commit_tree) X(git_signature_free) X(git_message_trailers) X(git_message_trailer_array_free)             \
  X(git_mailmap_from_repository) X(git_mailmap_resolve) X(git_mailmap_free) X(git_oid_tostr) X(git_oid_fromstrn) \
  X(git_oid_equal) X(git_revwalk_new) X(git_revwalk_free) X(git_revwalk_sorting) X(git_revwalk_push)             \
  X(git_revwalk_hide) X(git_revwalk_next) X(git_tree_free) X(git_tree_walk) X(git_tree_entry_bypath)             \
  X(git_tree_entry_free) X(git_tree_entry_type) X(git_tree_entry_id) X(git_tree_entry_name)                      \
  X(git_tree_entry_filemode) X(git_tree_entry_filemode_raw) X(git_blob_lookup) X(git_blob_free) X(git_blob_rawsize) X(git_blob_rawcontent) \
  X(git_merge_base_many) X(git_mailmap_from_buffer) X(git_repository_head_unborn)                                 \
  X(git_tree_lookup) X(git_tree_entrycount) X(git_tree_entry_byindex) X(git_commit_extract_signature) X(git_buf_dispose) \
  X(git_repository_config_snapshot) X(git_config_get_string) X(git_config_free)                      \
  X(git_repository_config) X(git_config_set_string) X(git_config_open_ondisk) X(git_config_find_global)       \
  X(git_config_snapshot)                                                                                      \
  X(git_reference_iterator_new) X(git_reference_next) X(git_reference_iterator_free) X(git_reference_name)      \
  X(git_reference_peel) X(git_reference_free) X(git_repository_odb) X(git_odb_read_header) X(git_odb_free) X(git_odb_hash)

namespace tandem::git {

#define TANDEM_LIBGIT2_DECLARE(name) extern decltype(&::name) name;
TANDEM_LIBGIT2_FUNCTIONS(TANDEM_LIBGIT2_DECLARE)
#undef TANDEM_LIBGIT2_DECLARE

/// Opens libgit2 and initialises it, once. Throws tandem::Error when the library or one of its
/// functions is missing.
void load_libgit2();

}  // namespace tandem::git
