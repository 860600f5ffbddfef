#include "core/render/report.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "core/render/svg.hpp"
#include "core/render/tables.hpp"
#include "support/engine_fixture.hpp"

using namespace tandem;

namespace {

/// A plan of two items on one milestone and one risk, with its report inputs as `tandem report` builds them
/// (no forecast, outside a git repository unless a test adds recent changes).
struct SmallReport {
  load::Loaded loaded;
  report::Inputs in;
};

std::unique_ptr<SmallReport> small_report() {
  auto r = std::make_unique<SmallReport>();
  r->loaded = test::load_plan(test::team_config(1), R"(items:
  - {id: A, title: Design, estimate: 2, assignee: d1, milestone: M1, value: 8, time_criticality: 5, risk_reduction: 3, size: 2}
  - {id: B, title: "Build | ship", estimate: 1, assignee: d1, milestone: M1, depends_on: [A], value: 5, time_criticality: 1, risk_reduction: 1, size: 1}
)",
                              "milestones:\n  - {id: M1, title: \"First <release>\", target: 2027-01-29}\n",
                              "risks:\n  - {id: R1, title: Vendor late, probability: 3, impact: 4}\n");
  const auto& plan = r->loaded.plan;
  auto& in = r->in;
  in.plan = &plan;
  in.today = *parse_date("2027-01-04");
  in.ranking = priority::rank(plan, priority::configured_model(plan));
  in.schedule = schedule::plan_schedule(plan, in.ranking, in.today);
  in.forecast_options = forecast::configured(plan.config);
  in.risks = risks::rank(plan, in.today, false);
  return r;
}

}  // namespace

TEST_CASE("report building: the tables every output family shares") {
  auto r = small_report();
  const auto& in = r->in;
  SUBCASE("milestones") {
    auto t = report::milestone_table(in);
    REQUIRE(t.rows.size() == 1);
    CHECK(t.rows[0] == std::vector<std::string>{"M1", "First <release>", "2027-01-29", "2027-01-06", "0/2 (0%)",
                                                "on track (plan only: no throughput history)", "", ""});
  }
  SUBCASE("priorities, cut to n") {
    auto t = report::priority_table(in, 10);
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[0] == std::vector<std::string>{"1", "A", "Design", "8", "todo"});
    CHECK(t.rows[1] == std::vector<std::string>{"2", "B", "Build | ship", "7", "todo"});
    CHECK(report::priority_table(in, 1).rows.size() == 1);
  }
  SUBCASE("risks and the heat map") {
    auto t = report::risk_table(in, 5);
    REQUIRE(t.rows.size() == 1);
    CHECK(t.rows[0] == std::vector<std::string>{"1", "R1", "Vendor late", "12", "high", "", ""});
    auto heat = report::heat_table(in);
    REQUIRE(heat.rows.size() == 5);
    CHECK(heat.rows[2] == std::vector<std::string>{"3", "", "", "", "1", ""});  // probability 3, impact 4
  }
  SUBCASE("recent changes: none outside git") {
    CHECK(report::recent_table(in, 50).rows.empty());
    CHECK(report::shallow_note(in).empty());
  }
  SUBCASE("chart tasks: the critical chain first, then by start; the rest in a table") {
    auto all = report::chart_tasks(in, 60);
    REQUIRE(all.size() == 2);
    CHECK(*r->loaded.plan.items[all[0]->item].id == "A");
    auto one = report::chart_tasks(in, 1);
    REQUIRE(one.size() == 1);
    auto rest = report::rest_table(in, one);
    REQUIRE(rest.rows.size() == 1);
    CHECK(rest.rows[0][0] != *r->loaded.plan.items[one[0]->item].id);
    CHECK(report::gantt_bars(in) == 80);
  }
}

TEST_CASE("report text: headed sections, aligned tables, the reasons for what is missing") {
  auto r = small_report();
  std::string out = report::render(r->in, render::Format::text);
  CHECK(out.starts_with("Status report: Test (2027-01-04)\n\nMilestones\n\nmilestone  title            target"));
  CHECK(out.find("(no forecast: no usable throughput history)\n") != std::string::npos);
  CHECK(out.find("\nTop priorities\n\nrank  id  title         score  status\n"
                 "   1  A   Design            8  todo\n"
                 "   2  B   Build | ship      7  todo\n") != std::string::npos);
  // The heat map and the top open risks, as markdown and HTML give them; nothing left out to say so.
  auto risks = out.find("\nRisks\n\nprobability \\ impact  1  2  3  4  5\n");
  REQUIRE(risks != std::string::npos);
  CHECK(out.find("\n\nrank  id  title", risks) < out.find("\nOwnership violations", risks));
  CHECK(out.find("open risks; `tandem risks` lists all.") == std::string::npos);
  CHECK(out.ends_with("\nChanges in the last 14 days\n\nSkipped: the plan is not in a git repository.\n"));
}

TEST_CASE("report text and markdown: recent changes and the shallow clone note") {
  auto r = small_report();
  r->in.recent = std::vector<report::RecentChange>{{"2027-01-03", "abc1234", "po", "A value: 5 → 8"}};
  r->in.shallow_cut = {"def5678"};
  std::string text = report::render(r->in, render::Format::text);
  CHECK(text.find("date        commit   who  change\n2027-01-03  abc1234  po   A value: 5 → 8\n"
                  "Left out: commit def5678, where this shallow clone begins") != std::string::npos);
  std::string md = report::render(r->in, render::Format::markdown);
  CHECK(md.find("| date | commit | who | change |\n|---|---|---|---|\n| 2027-01-03 | abc1234 | po | A value: 5 → 8 |\n"
                "\nLeft out: commit def5678") != std::string::npos);
  r->in.recent->clear();
  CHECK(report::render(r->in, render::Format::text).find("No changes to the plan.\n") != std::string::npos);
}

TEST_CASE("report markdown: escaped tables and a Mermaid gantt chart") {
  auto r = small_report();
  std::string md = report::render(r->in, render::Format::markdown);
  CHECK(md.starts_with("# Status report: Test\n\n*2027-01-04*\n\n## Milestones\n\n| milestone | title |"));
  CHECK(md.find("| M1 | First &lt;release&gt; | 2027-01-29 | 2027-01-06 |") != std::string::npos);
  CHECK(md.find("| 2 | B | Build \\| ship | 7 | todo |") != std::string::npos);
  CHECK(md.find("\n> No forecast: no usable throughput history.\n") != std::string::npos);
  CHECK(md.find("\n```mermaid\ngantt\n    title Test\n") != std::string::npos);
  CHECK(md.find("\n## Risks\n\n| probability \\ impact | 1 | 2 | 3 | 4 | 5 |\n") != std::string::npos);
}

TEST_CASE("mermaid: sections per milestone, safe ids and text, milestones as milestones") {
  auto r = small_report();
  std::string chart = report::mermaid_gantt(r->in);
  CHECK(chart.starts_with("gantt\n    title Test\n    dateFormat YYYY-MM-DD\n    axisFormat %d %b\n"
                          "    section M1 First ‹release›\n"));
  CHECK(chart.find(" t_A, 2027-01-04, 2027-01-06\n") != std::string::npos);
  CHECK(chart.find(" t_B, 2027-01-06, 2027-01-07\n") != std::string::npos);
  CHECK(chart.ends_with("    section Milestones\n"
                        "    M1 target :milestone, mt_M1, 2027-01-29, 0d\n"
                        "    M1 planned :milestone, mf_M1, 2027-01-06, 0d\n"));
  SUBCASE("ids never collide") {
    CHECK(report::mermaid_id("t_", "A.1") == "t_A_o1");
    CHECK(report::mermaid_id("t_", "A-1") == "t_A_h1");
    CHECK(report::mermaid_id("t_", "A_1") == "t_A__1");
    CHECK(report::mermaid_id("t_", "A/1") == "t_A_x2f1");
  }
  SUBCASE("text loses Mermaid syntax") {
    CHECK(report::mermaid_text("a:b;c#1 50% {x} \"q\"") == "a -b,cNo. 1 50 percent (x) 'q'");
    CHECK(report::mermaid_text("  ") == "untitled");
    CHECK(report::mermaid_text(std::string(70, 'x')) == std::string(60, 'x') + "…");
  }
}

TEST_CASE("report json: the documented keys") {
  auto r = small_report();
  auto j = nlohmann::json::parse(report::render(r->in, render::Format::json));
  CHECK(j["project"] == "Test");
  CHECK(j["today"] == "2027-01-04");
  CHECK(j["milestones"][0]["id"] == "M1");
  CHECK(j["milestones"][0]["finish"] == "2027-01-06");
  CHECK(j["milestones"][0]["p85"].is_null());
  CHECK(j["milestones"][0]["chance"].is_null());
  CHECK(j["priorities"][1] == nlohmann::json{{"rank", 2}, {"id", "B"}, {"title", "Build | ship"}, {"status", "todo"}});
  CHECK(j["risks"][0] == nlohmann::json{{"rank", 1}, {"id", "R1"}, {"title", "Vendor late"}});
  CHECK(j["heatmap"][2][3] == 1);
  CHECK(j["recent_changes"].is_null());
}

TEST_CASE("report html: one self-contained document with an SVG Gantt chart") {
  auto r = small_report();
  std::string html = report::render_html(r->in);
  CHECK(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"));
  CHECK(html.ends_with("</body>\n</html>\n"));
  CHECK(html.find("<title>Status report: Test</title>") != std::string::npos);
  CHECK(html.find("<td class=\" text\">First &lt;release&gt;</td>") != std::string::npos);
  CHECK(html.find("<td class=\"\"><span class=\"st st-ok\">on track (plan only: no throughput history)</span></td>") != std::string::npos);
  CHECK(html.find("<svg width=\"420\" height=\"108\" viewBox=\"0 0 420 108\" role=\"img\" "
                  "aria-label=\"Gantt chart of the schedule\"") != std::string::npos);
  CHECK(html.find("<nav class=\"toc\" aria-label=\"Contents\"><ol><li><a href=\"#milestones\">Milestones</a></li>") !=
        std::string::npos);
  CHECK(html.find("<section id=\"schedule\"><h2><a href=\"#schedule\">Schedule</a></h2>") != std::string::npos);
  CHECK(html.find("<p class=\"muted\">No forecast: no usable throughput history.</p>\n") != std::string::npos);
  CHECK(html.find("<td style=\"background:#f7d3a6\" title=\"exposure 12 (high)\">1</td>") != std::string::npos);
  for (const char* external : {"<script", "<link", "src=", "url(", "@import", "http://", "https://"}) {
    CAPTURE(external);
    std::string rest = html;
    // The only address allowed is the SVG namespace, which is a name, not a download.
    for (auto at = rest.find("http://www.w3.org/2000/svg"); at != std::string::npos;
         at = rest.find("http://www.w3.org/2000/svg"))
      rest.erase(at, 26);
    CHECK(rest.find(external) == std::string::npos);
  }
}

TEST_CASE("svg: the Gantt chart labels each bar with its person, shows today and milestones among the items") {
  auto r = small_report();
  CHECK(report::gantt_svg(r->in, 0) == "<p class=\"muted\">Nothing is scheduled.</p>\n");
  std::string svg = report::gantt_svg(r->in, 60);
  // 6 days at 13 px; the last label widens the chart to hold it.
  CHECK(svg.starts_with("<svg width=\"420\" height=\"108\" viewBox=\"0 0 420 108\""));
  CHECK(svg.find("<line class=\"today\" x1=\"8.0\" y1=\"18\" x2=\"8.0\" y2=\"108.0\" stroke=\"#e8590c\" "
                 "stroke-width=\"2\"><title>today 2027-01-04</title></line><text x=\"12.0\" y=\"31\" "
                 "style=\"fill:#b54708\">today 01-04</text>") != std::string::npos);
  // Both items are on the critical chain: bold labels, not told by the bars' colour alone.
  CHECK(svg.find("<text class=\"lbl\" x=\"40.0\" y=\"54.0\" font-weight=\"600\">A Design · d1</text>") != std::string::npos);
  CHECK(svg.find("<text class=\"lbl\" x=\"53.0\" y=\"74.0\" font-weight=\"600\">B Build | ship · d1</text>") !=
        std::string::npos);
  CHECK(svg.find("<path class=\"ms\" d=\"M47.0 84.0l6 6l-6 6l-6 -6z\" fill=\"#2e7d32\"><title>M1 planned "
                 "2027-01-06: on track (plan only: no throughput history)</title></path><text class=\"lbl\" x=\"59.0\" y=\"94.0\" font-weight=\"600\">M1 "
                 "First &lt;release&gt;: on track</text><text class=\"lbl\" x=\"257.1\" y=\"94.0\">target 2027-01-29 "
                 "→</text>") != std::string::npos);
  CHECK(svg.ends_with("</svg>\n"));
}

TEST_CASE("svg: status words name their kind and colour; label widths err on the wide side") {
  CHECK(report::status_kind("late by 3 workdays") == "late");
  CHECK(report::status_kind("at risk") == "risk");
  CHECK(report::status_kind("on track (plan only)") == "ok");
  CHECK(report::status_kind("unknown: no target date") == "unknown");
  CHECK(report::status_kind("todo").empty());
  CHECK(report::status_colour("late by 1 workday") == "#c7362f");
  CHECK(report::status_colour("at risk") == "#d08700");
  CHECK(report::status_colour("on track") == "#2e7d32");
  CHECK(report::status_colour("unknown") == "#7b8494");
  CHECK(report::status_badge("at risk") == "<span class=\"st st-risk\">at risk</span>");
  CHECK(report::status_badge("a <b>") == "a &lt;b&gt;");
  CHECK(report::label_width("", 12) == 0);
  CHECK(report::label_width("Ab 1", 10) == doctest::Approx(7.4 + 6 + 3.3 + 7.4));
  CHECK(report::label_width("→é", 10) == doctest::Approx(20));
  CHECK(report::label_width("🚀", 10) == doctest::Approx(13));
  auto r = small_report();
  CHECK(report::milestone_status(r->in, "M1") == "on track (plan only: no throughput history)");
  CHECK(report::milestone_status(r->in, "M9").empty());
}

TEST_CASE("report: one status weighs plan and forecast; a load table per person and period") {
  auto r = small_report();
  auto& in = r->in;
  in.load = workload::compute(r->loaded.plan, r->loaded.index, in.schedule);
  SUBCASE("on track by the schedule, 20 % by the forecast: at risk, in every format") {
    forecast::Forecast fc;
    fc.start = in.today;
    forecast::MilestoneForecast mf;
    mf.milestone = 0;
    mf.p85 = *parse_date("2027-02-10");
    mf.chance = 0.2;
    fc.milestones.push_back(mf);
    in.forecast = fc;
    REQUIRE(in.schedule.milestones[0].status == schedule::MilestoneStatus::on_track);
    auto row = report::milestone_table(in).rows.at(0);
    CHECK(row[4] == "0/2 (0%)");  // done / scope
    CHECK(row[5] == "at risk");
    CHECK(row[7] == "20%");
    CHECK(report::render(in, render::Format::text).find("2027-01-06      0/2 (0%)  at risk  2027-02-10     20%") !=
          std::string::npos);
    // The Gantt chart's diamond and the status cell take their colour from the same status.
    CHECK(report::render_html(in).find("fill=\"#d08700\"><title>M1 planned 2027-01-06: at risk</title>") !=
          std::string::npos);
    CHECK(report::render_html(in).find("st-risk\">at risk<") != std::string::npos);
    CHECK(report::render(in, render::Format::markdown).find("| at risk |") != std::string::npos);
    CHECK(report::render_html(in).find(">at risk<") != std::string::npos);
    CHECK(nlohmann::json::parse(report::render(in, render::Format::json))["milestones"][0]["status"] == "at_risk");
  }
  SUBCASE("load: d1 works 3 of the 5 workdays of the week of 4 Jan") {
    auto t = report::load_table(in);
    CHECK(t.headers == std::vector<std::string>{"person", "01-04"});
    CHECK(t.rows == std::vector<std::vector<std::string>>{{"d1", "60%"}});
    CHECK(report::render(in, render::Format::text).find("\nLoad (utilisation per week)\n\nperson  01-04\n") !=
          std::string::npos);
    auto j = nlohmann::json::parse(report::render(in, render::Format::json));
    CHECK(j["load"][0]["id"] == "d1");
    CHECK(j["load"][0]["periods"][0]["utilisation"] == 0.6);
    CHECK(report::render_html(in).find("<table class=\"load\">") != std::string::npos);
  }
}

TEST_CASE("forecast and schedule columns a PM reads without the README") {
  CHECK(render::to_go_text(1, 0) == "1");
  CHECK(render::to_go_text(11, 10) == "11 (incl. 10 ranked before it)");
  CHECK(render::done_text(10, 12) == "10/12 (83%)");
  CHECK(render::done_text(0, 0).empty());
  CHECK(render::done_share(5, 16) == 0.3125);
  CHECK_FALSE(render::done_share(0, 0));
  forecast::Forecast fc;
  fc.history_items = 15;
  fc.samples.assign(25, 0);
  fc.history_from = *parse_date("2026-11-02");
  fc.since_first_completion = true;
  forecast::Options o;
  CHECK(render::history_text(fc, o) == "15 items done on 25 workdays since the first completion on 2026-11-02");
  fc.since_first_completion = false;
  fc.history_from = *parse_date("2026-09-08");
  fc.samples.assign(64, 0);
  CHECK(render::history_text(fc, o) == "15 items done on 64 workdays in the last 90 days (since 2026-09-08)");
}
