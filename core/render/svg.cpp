#include "core/render/svg.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "core/base/text.hpp"

namespace tandem::report {

namespace {

/// The geometry of the Gantt chart: a label column, then one column of `day_w` per day from `start` to `end`.
struct GanttAxis {
  Date start, end;
  double label_w = 270, width = 1000, row_h = 18, top = 24, day_w = 1, height = 0;
  double x(Date d) const { return label_w + (d - start) * day_w; }
};

/// The axis covers the work and the planned milestones; targets far beyond it are drawn at its edge,
/// targets off the axis are written as text in a margin on their side, clear of the bars and diamonds.
GanttAxis gantt_axis(const Inputs& in, const std::vector<const schedule::Task*>& tasks) {
  GanttAxis a;
  a.start = in.schedule.start;
  a.end = a.start + 1;
  for (const auto* t : tasks) a.end = std::max(a.end, t->finish.date + 1);
  for (const auto& row : in.schedule.milestones)
    if (row.finish) a.end = std::max(a.end, *row.finish + 1);
  for (const auto& m : in.plan->milestones)
    if (m.target.has() && *m.target + 1 <= a.end + 14) a.end = std::max(a.end, *m.target + 1);
  a.end = a.end + 3;
  bool target_after = false, target_before = false;
  for (const auto& m : in.plan->milestones) {
    if (!m.target.has()) continue;
    target_after = target_after || *m.target + 1 > a.end;
    target_before = target_before || *m.target + 1 < a.start;
  }
  a.label_w = 270 + (target_before ? 120 : 0);
  a.day_w = (a.width - a.label_w - 10 - (target_after ? 120 : 0)) / std::max(1, a.end - a.start);
  a.height = a.top + a.row_h * static_cast<double>(tasks.size() + in.schedule.milestones.size()) + 12;
  return a;
}

/// Week lines, labelled on Mondays (every week, second or fourth week on long charts).
std::string week_lines(const GanttAxis& a) {
  std::string svg;
  int step = (a.end - a.start) > 200 ? 28 : (a.end - a.start) > 70 ? 14 : 7;
  for (Date d = a.start; d < a.end; d = d + 1) {
    if (d.weekday() != 0 || (d - a.start) % step >= 7 || a.x(d) > a.width - 40) continue;
    svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#e6e9ee\"/>"
                       "<text x=\"{0:.1f}\" y=\"14\">{3}</text>\n",
                       a.x(d), a.top - 6, a.height, to_string(d).substr(5));
  }
  return svg;
}

/// One row per task from `y` down: its label and a bar (red on the critical chain) with a tooltip.
std::string task_bars(const Inputs& in, const std::vector<const schedule::Task*>& tasks, const GanttAxis& a,
                      double& y) {
  std::string svg;
  for (const auto* t : tasks) {
    const auto& it = in.plan->items[t->item];
    std::string label = ellipsize(*it.id + " " + text_of(it.title), 42);
    double x0 = a.x(t->start.date) + t->start.fraction * a.day_w;
    double x1 = a.x(t->finish.date) + std::max(0.05, t->finish.fraction) * a.day_w;
    svg += fmt::format("<text x=\"4\" y=\"{:.1f}\">{}</text>", y + 12, xml_escape(label));
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" rx=\"2\" fill=\"{}\">"
                       "<title>{} {}: {} → {} ({}){}</title></rect>\n",
                       x0, y + 3, std::max(1.5, x1 - x0), a.row_h - 6, t->critical ? "#c7362f" : "#3f73c9",
                       xml_escape(*it.id), xml_escape(text_of(it.title)), to_string(t->start.date),
                       to_string(t->finish.date), xml_escape(text_of(in.plan->config.people[t->person].id)),
                       t->critical ? ", critical chain" : "");
    y += a.row_h;
  }
  return svg;
}

/// A milestone's target on row `y`: a dashed line on the axis, or a note in the margin on its side.
std::string target_mark(const model::Milestone& ms, const GanttAxis& a, double y) {
  if (!ms.target.has()) return "";
  if (*ms.target + 1 < a.start)
    return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#555\">← target {}</text>\n", a.label_w - 116, y + 12,
                       to_string(*ms.target));
  if (*ms.target + 1 <= a.end)
    return fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#555\" "
                       "stroke-dasharray=\"3 3\"><title>{3} target {4}</title></line>\n",
                       a.x(*ms.target + 1), a.top, y + a.row_h, xml_escape(text_of(ms.id)), to_string(*ms.target));
  return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555\">target {} →</text>\n",
                     a.width - 4, y + 12, to_string(*ms.target));
}

/// One row per milestone from `y` down: its label, its target and its planned finish as a diamond.
std::string milestone_rows(const Inputs& in, const GanttAxis& a, double& y) {
  std::string svg;
  for (const auto& row : in.schedule.milestones) {
    const auto& ms = in.plan->milestones[row.milestone];
    svg += fmt::format("<text x=\"4\" y=\"{:.1f}\" font-weight=\"600\">◆ {}</text>", y + 12,
                       xml_escape(ellipsize(text_of(ms.id) + " " + text_of(ms.title), 40)));
    svg += target_mark(ms, a, y);
    if (row.finish) {
      double fx = a.x(*row.finish + 1), cy = y + a.row_h / 2;
      auto st = milestone_status(in, row);  // the diamond's colour is the milestone's one status
      svg += fmt::format("<path d=\"M{0:.1f} {1:.1f}l6 6l-6 6l-6 -6z\" fill=\"{2}\" class=\"{3}\"><title>{4} planned "
                         "{5}, {6}</title></path>\n",
                         fx, cy - 6, status_colour(st), status_class(st), xml_escape(text_of(ms.id)),
                         to_string(*row.finish), xml_escape(st.text()));
    }
    y += a.row_h;
  }
  return svg;
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
  GanttAxis a = gantt_axis(in, tasks);
  std::string svg = fmt::format("<svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"Gantt chart of the schedule\" "
                                "xmlns=\"http://www.w3.org/2000/svg\">\n",
                                a.width, a.height);
  svg += week_lines(a);
  double y = a.top;
  svg += task_bars(in, tasks, a, y);
  svg += milestone_rows(in, a, y);
  return svg + "</svg>\n";
}

std::string histogram_svg(const Inputs& in, std::size_t k) {
  const auto& mf = in.forecast->milestones[k];
  const auto& ms = in.plan->milestones[mf.milestone];
  std::string head = fmt::format("<figure><figcaption><b>{}</b> {}</figcaption>", xml_escape(text_of(ms.id)),
                                 xml_escape(text_of(ms.title)));
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
  std::string svg = fmt::format("<div class=\"scroll\"><svg class=\"hist\" viewBox=\"0 0 {} {}\" role=\"img\" "
                                "aria-label=\"Forecast histogram of {}\" xmlns=\"http://www.w3.org/2000/svg\">\n",
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

/// The frame of a small weekly chart: `n` weeks across, 0..`top` items up.
struct WeekChart {
  double w = 320, h = 170, left = 30, right = 10, top_m = 10, bottom = 24;
  std::size_t n = 1;
  int top = 1;
  double x(std::size_t k) const { return left + (w - left - right) * (n > 1 ? static_cast<double>(k) / (n - 1) : 0.5); }
  double y(int v) const { return top_m + (h - top_m - bottom) * (1 - static_cast<double>(v) / top); }
  /// The axes, the top value and every other week's Monday (MM-DD) under the axis.
  std::string frame(const std::vector<Date>& weeks) const {
    std::string svg = fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#999\"/>"
                                  "<text x=\"2\" y=\"{3:.1f}\">{4}</text><text x=\"2\" y=\"{1:.1f}\">0</text>\n",
                                  left, y(0), w - right, y(top) + 4, top);
    for (std::size_t k = 0; k < weeks.size(); k += 2)
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>", x(k), h - 6,
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
  return fmt::format("<figure><svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{} burn-up\">\n{}{}{}</svg>"
                     "<figcaption class=\"muted\">{}: {} of {} items done (grey: scope, green: done)</figcaption>"
                     "</figure>\n",
                     c.w, c.h, id, c.frame(weeks), line([](const flow::BurnPoint& p) { return p.scope; }, "#8a93a3"),
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
  double bw = (c.w - c.left - c.right) / std::max<std::size_t>(c.n, 1) * 0.6;
  for (std::size_t k = 0; k < weeks_done.size(); ++k)
    bars += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#3f73c9\">"
                        "<title>week of {}: {} done</title></rect>\n",
                        c.x(k) - bw / 2, c.y(weeks_done[k].second), bw, c.y(0) - c.y(weeks_done[k].second),
                        to_string(weeks_done[k].first), weeks_done[k].second);
  return fmt::format("<figure><svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"items done per week\">\n{}{}</svg>"
                     "<figcaption class=\"muted\">Items done per week</figcaption></figure>\n",
                     c.w, c.h, c.frame(weeks), bars);
}

}  // namespace tandem::report
