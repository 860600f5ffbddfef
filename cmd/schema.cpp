#include "cmd/common.hpp"
#include "core/base/error.hpp"
#include "core/plan/schema.hpp"

namespace tandem::cmd {

void add_schema(CLI::App& sub, const Command&, Globals&, int& exit_code) {
  static std::string kind;
  sub.add_option("KIND", kind, "config, backlog, roadmap or risks")->required();
  sub.callback([&exit_code] {
    auto k = schema::kind_from_name(kind);
    if (!k) throw Error("unknown schema '" + kind + "' (choose config, backlog, roadmap or risks)");
    print(std::string(schema::embedded(*k)));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
