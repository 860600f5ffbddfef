#include "core/render/svg.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "core/base/text.hpp"

namespace tandem::report {

namespace {

constexpr double k_gantt_font = 12;

/// The Gantt chart's geometry: a header (week dates, then today), then one row per item or milestone; one
/// column of `day_w` per day from `start` to `end`, `pad` px on either side.
struct GanttAxis {
  Date start, end;
  double pad = 8, axis_w = 1040, row_h = 20, top = 40, day_w = 1, width = 0, height = 0;
  double x(Date d) const { return pad + (d - start) * day_w; }
  double axis_end() const { return pad + axis_w; }
};

/// The axis covers today (when it is at most four weeks before the start), the work and the planned
/// milestones, and targets up to two weeks beyond them; 1040 px wide, narrower when that gives more than
/// 13 px a day (so that a phone shows four weeks before it scrolls), wider when less than 3. Targets off the axis are named beside their milestone.
GanttAxis gantt_axis(const Inputs& in, const std::vector<const schedule::Task*>& tasks, std::size_t rows) {
  GanttAxis a;
  a.start = in.schedule.start;
  if (in.today < a.start && a.start - in.today <= 28) a.start = in.today;
  a.end = in.schedule.start + 1;
  for (const auto* t : tasks) a.end = std::max(a.end, t->finish.date + 1);
  for (const auto& row : in.schedule.milestones)
    if (row.finish) a.end = std::max(a.end, *row.finish + 1);
  for (const auto& m : in.plan->milestones)
    if (m.target.has() && *m.target + 1 <= a.end + 14 && *m.target + 1 >= a.start) a.end = std::max(a.end, *m.target + 1);
  a.end = a.end + 3;
  int days = std::max(1, a.end - a.start);
  a.day_w = std::clamp(a.axis_w / days, 3.0, 13.0);
  a.axis_w = a.day_w * days;
  a.width = a.axis_end() + a.pad;
  a.height = a.top + a.row_h * static_cast<double>(rows) + 8;
  return a;
}

}  // namespace

double label_width(std::string_view text, double font) {
  double em = 0;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0xF0) em += 1.3;  // beyond the Basic Multilingual Plane: emoji, often wider than an em
    else if (c >= 0x80) em += (c & 0xC0) == 0x80 ? 0 : 1.0;  // any other character outside ASCII: a whole em
    else if (c == ' ') em += 0.33;
    else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == 'm' || c == 'w') em += 0.74;
    else if (c >= 'a' && c <= 'z') em += 0.6;
    else em += 0.5;
  }
  return em * font;
}

std::string_view status_kind(std::string_view status) {
  if (status.starts_with("late")) return "late";
  if (status.starts_with("at risk")) return "risk";
  if (status.starts_with("on track")) return "ok";
  if (status.starts_with("unknown")) return "unknown";
  return "";
}

std::string status_colour(std::string_view status) {
  auto kind = status_kind(status);
  return kind == "late" ? "#c7362f" : kind == "risk" ? "#d08700" : kind == "ok" ? "#2e7d32" : "#7b8494";
}

std::string milestone_status(const Inputs& in, const std::string& id) {
  Table t = milestone_table(in);
  auto col = [&](std::string_view h) { return std::find(t.headers.begin(), t.headers.end(), h) - t.headers.begin(); };
  auto id_col = static_cast<std::size_t>(col("milestone")), status_col = static_cast<std::size_t>(col("status"));
  for (const auto& row : t.rows)
    if (id_col < row.size() && status_col < row.size() && row[id_col] == id) return row[status_col];
  return "";
}

std::string status_badge(std::string_view status) {
  auto kind = status_kind(status);
  if (kind.empty()) return xml_escape(status);
  return fmt::format("<span class=\"st st-{}\">{}</span>", kind, xml_escape(status));
}

namespace {

/// One row of the Gantt chart: an item's bar or a milestone's planned finish.
struct GanttRow {
  const schedule::Task* task = nullptr;
  const schedule::MilestoneRow* milestone = nullptr;
};

/// The chart's rows: the items by start, each milestone after the items that start by its planned finish
/// (those without one at the end), so that milestones sit in the timeline among their work.
std::vector<GanttRow> gantt_rows(const Inputs& in, const std::vector<const schedule::Task*>& tasks) {
  std::vector<const schedule::MilestoneRow*> ms;
  for (const auto& row : in.schedule.milestones) ms.push_back(&row);
  std::stable_sort(ms.begin(), ms.end(), [](const auto* a, const auto* b) {
    return a->finish && (!b->finish || *a->finish < *b->finish);
  });
  std::vector<GanttRow> rows;
  std::size_t next = 0;
  for (const auto* t : tasks) {
    for (; next < ms.size() && ms[next]->finish && *ms[next]->finish < t->start.date; ++next)
      rows.push_back({nullptr, ms[next]});
    rows.push_back({t, nullptr});
  }
  for (; next < ms.size(); ++next) rows.push_back({nullptr, ms[next]});
  return rows;
}

/// Labels beside the span [x0, x1] of row `y`: right of it when they fit before the axis ends, else left
/// of it when they fit after the chart's start, else right with the chart widened to hold them. Each
/// label is a text element (the first gets `weight`); they follow each other outwards, 8 px apart.
std::string beside(GanttAxis& a, double x0, double x1, double y, const std::vector<std::string>& labels,
                   const char* weight = "") {
  std::vector<double> w;
  double total = 0;
  for (const auto& l : labels) total += (w.emplace_back(label_width(l, k_gantt_font))) + 8;
  bool left = x1 + 6 + total > a.axis_end() && x0 - 6 - total >= 0;
  if (!left) a.width = std::max(a.width, x1 + 6 + total + a.pad);
  std::string svg;
  double x = left ? x0 - 6 : x1 + 6;
  for (std::size_t k = 0; k < labels.size(); ++k) {
    svg += fmt::format("<text class=\"lbl\" x=\"{:.1f}\" y=\"{:.1f}\"{}{}>{}</text>", x, y + 14,
                       left ? " text-anchor=\"end\"" : "", k == 0 ? weight : "", xml_escape(labels[k]));
    x += left ? -(w[k] + 8) : w[k] + 8;
  }
  return svg + "\n";
}

/// An item's bar on row `y` (red on the critical chain) with a tooltip, and beside it its id, title and
/// person (in bold on the critical chain: not by colour alone).
std::string task_bar(const Inputs& in, const schedule::Task& t, GanttAxis& a, double y) {
  const auto& it = in.plan->items[t.item];
  std::string person = text_of(in.plan->config.people[t.person].id);
  double x0 = a.x(t.start.date) + t.start.fraction * a.day_w;
  double x1 = std::max(x0 + 2, a.x(t.finish.date) + std::max(0.05, t.finish.fraction) * a.day_w);
  std::string svg = fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" rx=\"2\" fill=\"{}\">"
                                "<title>{} {}: {} → {} ({}){}</title></rect>",
                                x0, y + 4, x1 - x0, a.row_h - 8, t.critical ? "#c7362f" : "#3f73c9",
                                xml_escape(*it.id), xml_escape(text_of(it.title)), to_string(t.start.date),
                                to_string(t.finish.date), xml_escape(person), t.critical ? ", critical chain" : "");
  return svg + beside(a, x0, x1, y, {*it.id + " " + ellipsize(text_of(it.title), 40) + " · " + person},
                      t.critical ? " font-weight=\"600\"" : "");
}

/// A milestone's row `y`: its target as a dashed line from the top (or named beside it when off the axis),
/// its planned finish as a diamond coloured by its status, and beside it its id, title and status in words.
std::string milestone_mark(const Inputs& in, const schedule::MilestoneRow& row, GanttAxis& a, double y) {
  const auto& ms = in.plan->milestones[row.milestone];
  // The label gives the status in short (without "(plan only: …)"), the diamond's tooltip in full.
  status::Status st = milestone_status(in, row), brief = st;
  brief.plan_only = false;
  std::string id = text_of(ms.id), status = st.text(), svg;
  std::vector<std::string> labels{id + " " + ellipsize(text_of(ms.title), 40) + ": " + brief.text()};
  if (ms.target.has() && *ms.target + 1 < a.start) labels.push_back("← target " + to_string(*ms.target));
  else if (ms.target.has() && *ms.target + 1 > a.end) labels.push_back("target " + to_string(*ms.target) + " →");
  else if (ms.target.has())
    svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#555\" "
                       "stroke-dasharray=\"3 3\"><title>{3} target {4}</title></line>",
                       a.x(*ms.target + 1), a.top - 4, y + a.row_h, xml_escape(id), to_string(*ms.target));
  double fx = row.finish ? a.x(*row.finish + 1) : a.pad + 6, cy = y + a.row_h / 2;
  if (row.finish)
    svg += fmt::format("<path class=\"ms\" d=\"M{0:.1f} {1:.1f}l6 6l-6 6l-6 -6z\" fill=\"{2}\"><title>{3} planned "
                       "{4}: {5}</title></path>",
                       fx, cy - 6, status_colour(status), xml_escape(id), to_string(*row.finish), xml_escape(status));
  return svg + beside(a, fx - 6, fx + 6, y, labels, " font-weight=\"600\"");
}

/// Week lines, labelled on Mondays (every week, second or fourth week on long charts), and today's line.
std::string gantt_grid(const Inputs& in, const GanttAxis& a) {
  std::string svg;
  int step = (a.end - a.start) > 200 ? 28 : (a.end - a.start) > 70 ? 14 : 7;
  for (Date d = a.start; d < a.end; d = d + 1) {
    if (d.weekday() != 0 || (d - a.start) % step >= 7 || a.x(d) > a.axis_end() - 20) continue;
    svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#e6e9ee\"/>"
                       "<text x=\"{0:.1f}\" y=\"14\">{3}</text>\n",
                       a.x(d), a.top - 20, a.height, to_string(d).substr(5));
  }
  if (in.today < a.start || in.today >= a.end) return svg;
  double x = a.x(in.today);
  return svg + fmt::format("<line class=\"today\" x1=\"{0:.1f}\" y1=\"18\" x2=\"{0:.1f}\" y2=\"{1:.1f}\" "
                           "stroke=\"#e8590c\" stroke-width=\"2\"><title>today {2}</title></line>"
                           "<text x=\"{3:.1f}\" y=\"31\" style=\"fill:#b54708\">today {4}</text>\n",
                           x, a.height, to_string(in.today), x + 4, to_string(in.today).substr(5));
}

/// Counts of run results per bin of `bin` days from `lo`.
std::vector<std::size_t> histogram_counts(const std::vector<Date>& results, Date lo, int bin, int bins) {
  std::vector<std::size_t> counts(static_cast<std::size_t>(bins), 0);
  for (Date d : results) ++counts[static_cast<std::size_t>((d - lo) / bin)];
  return counts;
}

}  // namespace

std::string gantt_svg(const Inputs& in, std::size_t max_items) {
  auto tasks = chart_tasks(in, max_items);
  if (tasks.empty()) return "<p class=\"muted\">Nothing is scheduled.</p>\n";
  auto rows = gantt_rows(in, tasks);
  GanttAxis a = gantt_axis(in, tasks, rows.size());
  std::string body;
  double y = a.top;
  for (const auto& row : rows) {
    body += row.task ? task_bar(in, *row.task, a, y) : milestone_mark(in, *row.milestone, a, y);
    y += a.row_h;
  }
  return fmt::format("<svg width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} {1:.0f}\" role=\"img\" "
                     "aria-label=\"Gantt chart of the schedule\" xmlns=\"http://www.w3.org/2000/svg\">\n",
                     std::ceil(a.width), a.height) +
         gantt_grid(in, a) + body + "</svg>\n";
}

std::string histogram_svg(const Inputs& in, std::size_t k) {
  const auto& mf = in.forecast->milestones[k];
  const auto& ms = in.plan->milestones[mf.milestone];
  std::string status = milestone_status(in, text_of(ms.id));
  std::string head = fmt::format("<figure><figcaption><b>{}</b> {} {}</figcaption>", xml_escape(text_of(ms.id)),
                                 xml_escape(text_of(ms.title)), status_badge(status));
  if (mf.results.empty())
    return head + "<p class=\"muted\">" + xml_escape(mf.note.empty() ? "no forecast" : mf.note) + "</p></figure>\n";
  Date lo = mf.results.front(), hi = mf.results.back();
  if (ms.target.has()) lo = std::min(lo, *ms.target), hi = std::max(hi, *ms.target);
  int span = hi - lo + 1;
  int bin = std::max(1, (span + 59) / 60);
  int bins = (span + bin - 1) / bin;
  auto counts = histogram_counts(mf.results, lo, bin, bins);
  std::size_t peak = std::max<std::size_t>(1, *std::max_element(counts.begin(), counts.end()));
  // Labels of the marks sit in rows above the plot (never on a bar or a line); the axes below and left.
  const double w = 960, font = 13, row = 18, rows = 3, plot_top = 14 + rows * row, plot_h = 130;
  const double base = plot_top + plot_h, h = base + 30, left = 56, right = w - 12, bw = (right - left) / bins;
  auto x_of = [&](Date d) { return left + (static_cast<double>(d - lo) + 0.5) / bin * bw; };
  std::string svg = fmt::format("<div class=\"scroll\"><svg class=\"hist\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
                                "role=\"img\" aria-label=\"Forecast histogram of {2}\" "
                                "xmlns=\"http://www.w3.org/2000/svg\">\n",
                                w, h, xml_escape(text_of(ms.id)));
  for (int b = 0; b < bins; ++b) {
    double bh = plot_h * static_cast<double>(counts[static_cast<std::size_t>(b)]) / static_cast<double>(peak);
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#8fb0e3\"/>",
                       left + b * bw, base - bh, std::max(0.5, bw - 1), bh);
  }
  // The y axis: runs per bin, with ticks at half and all of the peak.
  svg += fmt::format("\n<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#5b6575\"/>", left, plot_top, base);
  for (std::size_t v : {peak / 2, peak}) {
    if (v == 0) continue;
    double y = base - plot_h * static_cast<double>(v) / static_cast<double>(peak);
    svg += fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#5b6575\"/>"
                       "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>",
                       left - 5, y, left, left - 8, y + font * 0.35, v);
  }
  // The x axis: a tick every 1, 2 or 4 weeks (or days on a short span), so that labels never meet.
  svg += fmt::format("\n<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#5b6575\"/>", left, base, right);
  const double day_w = bw / bin, label_w = 5 * font * 0.62 + 12;
  int step = 364;
  for (int s : {182, 91, 56, 28, 14, 7, 2, 1})
    if (s * day_w >= label_w) step = s;
  for (Date d = lo; d <= hi; d = d + 1) {
    if (step >= 7 ? d.weekday() != 0 || (d - lo) / 7 % (step / 7) != 0 : (d - lo) % step != 0) continue;
    double x = x_of(d);
    if (x - label_w / 2 < left - 30 || x + label_w / 2 > w) continue;
    svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#5b6575\"/>"
                       "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>",
                       x, base, base + 4, base + 4 + font + 2, to_string(d).substr(5));
  }
  svg += "\n";
  // The marks: a line through the plot and its label in the first row above it where it fits.
  struct Flag {
    double x;
    std::string text;
    const char* color;
  };
  std::vector<Flag> marks;
  if (mf.p50) marks.push_back({x_of(*mf.p50), "P50 " + to_string(*mf.p50).substr(5), "#1d2430"});
  if (mf.p85) marks.push_back({x_of(*mf.p85), "P85 " + to_string(*mf.p85).substr(5), "#6a3d9a"});
  if (ms.target.has()) marks.push_back({x_of(*ms.target), "target " + to_string(*ms.target).substr(5), "#c7362f"});
  std::vector<std::vector<std::pair<double, double>>> taken(static_cast<std::size_t>(rows));
  for (const auto& m : marks) {
    double tw = static_cast<double>(m.text.size()) * font * 0.62 + 6;
    bool at_end = m.x + tw > w - 4;  // near the right edge the label ends at its line
    double x0 = at_end ? m.x - tw : m.x, x1 = x0 + tw;
    std::size_t r = 0;
    for (; r + 1 < taken.size(); ++r) {
      bool clear = true;
      for (auto [a, b] : taken[r]) clear = clear && (x1 + 4 < a || x0 > b + 4);
      if (clear) break;
    }
    taken[r].emplace_back(x0, x1);
    double y = 8 + static_cast<double>(r + 1) * row - 4;
    svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\"/>"
                       "<text x=\"{4:.1f}\" y=\"{5}\" style=\"fill:{3}\"{6}>{7}</text>\n",
                       m.x, plot_top, base, m.color, m.x, y, at_end ? " text-anchor=\"end\"" : "",
                       xml_escape(m.text));
  }
  return head + svg + "</svg></div>" +
         fmt::format("<p class=\"muted\">{} runs between {} and {}; chance of meeting the target: {}</p></figure>\n",
                     mf.results.size(), to_string(mf.results.front()), to_string(mf.results.back()),
                     mf.chance ? chance_text(mf.chance) : "no target");
}

namespace {

/// The frame of a small weekly chart, drawn at its size (labels at 12 px): `n` weeks across, 0..`top` up.
struct WeekChart {
  static constexpr double font = 12;
  double w = 320, h = 180, left = 34, right = 22, top_m = 12, bottom = 26, inset = 0;
  std::size_t n = 1;
  int top = 1;
  /// Week `k`'s x, `inset` px inside the plot on either side (half a bar of the throughput chart).
  double x(std::size_t k) const {
    return left + inset + (w - left - right - 2 * inset) * (n > 1 ? static_cast<double>(k) / static_cast<double>(n - 1) : 0.5);
  }
  double y(int v) const { return top_m + (h - top_m - bottom) * (1 - static_cast<double>(v) / top); }
  /// The opening tag (width and height as drawn) with its accessible name.
  std::string open(const std::string& label) const {
    return fmt::format("<svg class=\"week\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
                       "aria-label=\"{2}\" xmlns=\"http://www.w3.org/2000/svg\">\n",
                       w, h, label);
  }
  /// The axes, the top value and a week's Monday (MM-DD) under the axis every so many weeks that the labels
  /// stay apart; the margins hold half a label on either side, so that none is cut.
  std::string frame(const std::vector<Date>& weeks) const {
    std::string svg = fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#999\"/>"
                                  "<text x=\"{5}\" y=\"{3:.1f}\" text-anchor=\"end\">{4}</text>"
                                  "<text x=\"{5}\" y=\"{1:.1f}\" text-anchor=\"end\">0</text>\n",
                                  left, y(0), w - right, y(top) + font * 0.35, top, left - 5);
    double gap = n > 1 ? (w - left - right - 2 * inset) / static_cast<double>(n - 1) : w;
    std::size_t step = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((5 * font * 0.74 + 8) / gap)));
    for (std::size_t k = 0; k < weeks.size(); k += step)
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>", x(k), h - 8,
                         to_string(weeks[k]).substr(5));
    return svg + "\n";
  }
};

}  // namespace

std::string burnup_svg(const Inputs& in, const flow::BurnUp& b) {
  WeekChart c;
  c.n = b.points.size();
  std::vector<Date> weeks;
  for (const auto& p : b.points) {
    c.top = std::max(c.top, p.scope);
    weeks.push_back(p.week);
  }
  auto line = [&](auto value, const char* colour) {
    std::string pts;
    for (std::size_t k = 0; k < b.points.size(); ++k)
      pts += fmt::format("{}{:.1f},{:.1f}", k ? " " : "", c.x(k), c.y(value(b.points[k])));
    return fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n", colour, pts);
  };
  const auto& last = b.points.back();
  std::string id = xml_escape(*in.plan->milestones[b.milestone].id);
  return fmt::format("<figure>{}{}{}{}</svg>"
                     "<figcaption class=\"muted\">{}: {} of {} items done (grey: scope, green: done)</figcaption>"
                     "</figure>\n",
                     c.open(id + " burn-up"), c.frame(weeks), line([](const flow::BurnPoint& p) { return p.scope; }, "#8a93a3"),
                     line([](const flow::BurnPoint& p) { return p.done; }, "#2e7d32"), id, last.done, last.scope);
}

std::string throughput_svg(const Inputs& in) {
  const auto& weeks_done = in.flow->throughput;
  WeekChart c;
  c.n = weeks_done.size();
  std::vector<Date> weeks;
  for (const auto& [week, n] : weeks_done) {
    c.top = std::max(c.top, n);
    weeks.push_back(week);
  }
  std::string bars;
  double bw = (c.w - c.left - c.right) / static_cast<double>(std::max<std::size_t>(c.n, 1)) * 0.6;
  c.inset = bw / 2 + 2;
  for (std::size_t k = 0; k < weeks_done.size(); ++k)
    bars += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#3f73c9\">"
                        "<title>week of {}: {} done</title></rect>\n",
                        c.x(k) - bw / 2, c.y(weeks_done[k].second), bw, c.y(0) - c.y(weeks_done[k].second),
                        to_string(weeks_done[k].first), weeks_done[k].second);
  return fmt::format("<figure>{}{}{}</svg><figcaption class=\"muted\">Items done per week</figcaption></figure>\n",
                     c.open("items done per week"), c.frame(weeks), bars);
}

}  // namespace tandem::report
