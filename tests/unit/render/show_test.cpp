// core/render/show: `tandem show` and `tandem list` from the engines' results.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/render/show.hpp"
#include "core/render/tables.hpp"
#include "support/fake_source.hpp"

using namespace tandem;

namespace {

struct Plan {
  test::FakeSource source;
  Diagnostics diags;
  load::Loaded loaded;
  Date today = *make_date(2027, 1, 4);
  Plan()
      : source({{"tandem.yaml", std::string(test::k_config) + "priority: {model: manual}\n"},
                {"backlog.yaml",
                 "items:\n  - id: A-1\n    title: One\n    estimate: 2\n    milestone: M1\n    tags: [ui, \"8\"]\n"
                 "  - {id: A-2, title: Two, estimate: 1, depends_on: [A-1]}\n  - {id: A-3, title: Three, status: done}\n"},
                {"roadmap.yaml", "milestones:\n  - {id: M1, title: Beta, target: 2027-02-01}\n"},
                {"risks.yaml", "risks:\n  - {id: R1, title: Late API, probability: 2, impact: 3, affects: [M1]}\n"
                               "  - {id: R2, title: Other, probability: 1, impact: 1, affects: [A-2]}\n"}}) {
    load::Options options;
    options.keep_trees = true;
    loaded = load::load(test::fake_location(), source, options, diags);
  }
};

}  // namespace

TEST_CASE("show: the fields as written, then rank, plan, milestone and the risks that affect the item") {
  Plan p;
  REQUIRE_FALSE(p.diags.has_errors());
  const auto& plan = p.loaded.plan;
  auto ranking = priority::rank(plan, p.loaded.index, model::PriorityModel::manual);
  auto schedule = schedule::plan_schedule(plan, p.loaded.index, ranking, p.today);
  auto risks = risks::rank(plan, p.loaded.index, p.today, false);
  auto statuses = status::judge_all(plan, schedule, std::nullopt);
  render::Shown s{&p.loaded, p.loaded.index.find("A-1"), {}, &ranking, &schedule, &statuses, &risks, std::nullopt, "no history"};
  s.fields = render::written_fields(p.loaded, p.source, "backlog.yaml", "items", "A-1");
  CHECK(render::show(s, render::Format::text) ==
        "item A-1: One\n"
        "  file         backlog.yaml:2\n"
        "  estimate     2\n"
        "  milestone    M1\n"
        "  tags         [ui, \"8\"]\n"
        "computed:\n"
        "  rank         1 of 2\n"
        "  planned      2027-01-04 → 2027-01-05, carol\n"
        "  float        0 workdays (on the critical chain)\n"
        "  milestone    M1 Beta (target 2027-02-01, planned finish 2027-01-05): on track (plan only: no throughput "
        "history)\n"
        "  risks        R1 (exposure 6, via M1)\n"
        "  last change  no history\n");
  auto j = nlohmann::json::parse(render::show(s, render::Format::json));
  CHECK(j["fields"]["tags"] == nlohmann::json::array({"ui", "8"}));
  CHECK(j["last_change"].is_null());

  s.record = p.loaded.index.find("A-3");
  s.fields = render::written_fields(p.loaded, p.source, "backlog.yaml", "items", "A-3");
  auto done = render::show(s, render::Format::text);
  CHECK(done.find("  rank         not ranked (only undone items are)\n") != std::string::npos);
  CHECK(done.find("  planned      not scheduled (done, dropped or no estimate)\n") != std::string::npos);

  s.record = p.loaded.index.find("M1");
  s.fields = render::written_fields(p.loaded, p.source, "roadmap.yaml", "milestones", "M1");
  auto m = render::show(s, render::Format::text);
  CHECK(m.find("  planned      finish 2027-01-05\n  status       on track (plan only: no throughput history)\n"
               "  items        [A-1]\n") != std::string::npos);
  // The same words as schedule's for the same milestone (one status), spelt in JSON as schedule spells it.
  auto mj = nlohmann::json::parse(render::show(s, render::Format::json));
  CHECK(mj["status"] == statuses[0].key());
  CHECK(mj["status"] == "on_track");
  CHECK(mj["plan_only"] == true);
  CHECK(mj["late_by"].is_null());
  CHECK(mj["why"].is_null());
  CHECK(render::status_from_json(mj).text() == statuses[0].text());
}

TEST_CASE("list: the matched items in file order, in every format") {
  Plan p;
  const auto& plan = p.loaded.plan;
  auto ranking = priority::rank(plan, p.loaded.index, model::PriorityModel::manual);
  auto schedule = schedule::plan_schedule(plan, p.loaded.index, ranking, p.today);
  std::vector<bool> all(3, true), none(3, false);
  CHECK(render::list(p.loaded, ranking, schedule, all, "", render::Format::csv) ==
        "id,title,status,rank,person,milestone,estimate,tags\n"
        "A-1,One,todo,1,carol,M1,2,ui 8\n"
        "A-2,Two,todo,2,carol,,1,\n"
        "A-3,Three,done,,,,,\n");
  CHECK(render::list(p.loaded, ranking, schedule, none, "--tag x", render::Format::text) == "No items (--tag x).\n");
  auto j = nlohmann::json::parse(render::list(p.loaded, ranking, schedule, {false, true, false}, "", render::Format::json));
  CHECK(j["items"].size() == 1);
  CHECK(j["items"][0]["id"] == "A-2");
  CHECK(j["items"][0]["rank"] == 2);
}
