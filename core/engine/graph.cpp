#include "core/engine/graph.hpp"

#include <algorithm>
#include <queue>
#include <span>
#include <utility>

namespace tandem::graph {

namespace {

constexpr std::size_t k_none = SIZE_MAX;

/// Tarjan's strongly connected components, iteratively: `component[v]` numbers v's component, and
/// the components are listed in the order they complete, all in one list (no list per component).
struct Components {
  std::vector<std::size_t> component;
  std::vector<std::size_t> members;  ///< the vertices, component by component
  std::vector<std::size_t> first{0};  ///< component c is members[first[c] .. first[c + 1])

  std::size_t count() const { return first.size() - 1; }
  std::span<const std::size_t> of(std::size_t c) const {
    return std::span<const std::size_t>(members).subspan(first[c], first[c + 1] - first[c]);
  }
};

Components strong_components(const Adjacency& adj) {
  const std::size_t n = adj.size();
  std::vector<std::size_t> index(n, k_none), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<std::size_t> stack;
  std::size_t counter = 0;
  Components out;
  out.component.assign(n, k_none);
  out.members.reserve(n);
  std::vector<std::pair<std::size_t, std::size_t>> work;  // vertex, next edge to follow
  for (std::size_t s = 0; s < n; ++s) {
    if (index[s] != k_none) continue;
    work.push_back({s, 0});
    while (!work.empty()) {
      auto& [v, next] = work.back();
      if (next == 0) {
        index[v] = low[v] = counter++;
        stack.push_back(v);
        on_stack[v] = true;
      }
      if (next < adj[v].size()) {
        std::size_t w = adj[v][next++];
        if (index[w] == k_none) work.push_back({w, 0});
        else if (on_stack[w]) low[v] = std::min(low[v], index[w]);
        continue;
      }
      if (low[v] == index[v]) {
        std::size_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          out.component[w] = out.count();
          out.members.push_back(w);
        } while (w != v);
        out.first.push_back(out.members.size());
      }
      std::size_t done = v;
      work.pop_back();
      if (!work.empty()) low[work.back().first] = std::min(low[work.back().first], low[done]);
    }
  }
  return out;
}

/// A shortest cycle through `start` inside its component, by breadth-first search: {start, …, start}.
std::vector<std::size_t> cycle_through(const Adjacency& adj, const std::vector<std::size_t>& component,
                                       std::size_t start, std::vector<std::size_t>& parent) {
  std::vector<std::size_t> queue{start};
  std::size_t found = k_none;
  for (std::size_t qi = 0; qi < queue.size() && found == k_none; ++qi) {
    std::size_t v = queue[qi];
    for (std::size_t w : adj[v]) {
      if (component[w] != component[start]) continue;
      if (w == start) {
        found = v;
        break;
      }
      if (parent[w] == k_none) {
        parent[w] = v;
        queue.push_back(w);
      }
    }
  }
  std::vector<std::size_t> path{start};
  for (std::size_t v = found; v != start && v != k_none; v = parent[v]) path.push_back(v);
  std::reverse(path.begin() + 1, path.end());
  path.push_back(start);
  for (std::size_t v : queue) parent[v] = k_none;  // clean for the next component
  return path;
}

}  // namespace

std::vector<std::vector<std::size_t>> cycles(const Adjacency& adj) {
  Components c = strong_components(adj);
  std::vector<std::vector<std::size_t>> out;
  std::vector<std::size_t> parent(adj.size(), k_none);
  for (std::size_t k = 0; k < c.count(); ++k) {
    auto m = c.of(k);
    std::size_t start = *std::min_element(m.begin(), m.end());
    bool self = std::find(adj[start].begin(), adj[start].end(), start) != adj[start].end();
    if (m.size() == 1 && !self) continue;
    out.push_back(cycle_through(adj, c.component, start, parent));
  }
  return out;
}

std::vector<std::size_t> topological_order(const Adjacency& deps, const std::vector<std::size_t>& key) {
  const std::size_t n = deps.size();
  Adjacency dependents(n);
  std::vector<std::size_t> waiting(n, 0);
  for (std::size_t v = 0; v < n; ++v) {
    if (key[v] == k_left_out) continue;
    for (std::size_t d : deps[v]) {
      dependents[d].push_back(v);
      ++waiting[v];
    }
  }
  auto later = [&](std::size_t a, std::size_t b) { return key[a] > key[b]; };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> ready(later);
  for (std::size_t v = 0; v < n; ++v)
    if (key[v] != k_left_out && waiting[v] == 0) ready.push(v);
  std::vector<std::size_t> out;
  while (!ready.empty()) {
    std::size_t v = ready.top();
    ready.pop();
    out.push_back(v);
    for (std::size_t d : dependents[v])
      if (--waiting[d] == 0) ready.push(d);
  }
  return out;
}

std::vector<std::size_t> finish_order(const Adjacency& adj) {
  const std::size_t n = adj.size();
  std::vector<bool> seen(n, false);
  std::vector<std::size_t> out;
  out.reserve(n);
  std::vector<std::pair<std::size_t, std::size_t>> work;  // vertex, next edge to follow
  for (std::size_t s = 0; s < n; ++s) {
    if (seen[s]) continue;
    seen[s] = true;
    work.push_back({s, 0});
    while (!work.empty()) {
      auto& [v, next] = work.back();
      if (next < adj[v].size()) {
        std::size_t w = adj[v][next++];
        if (!seen[w]) {
          seen[w] = true;
          work.push_back({w, 0});
        }
        continue;
      }
      out.push_back(v);
      work.pop_back();
    }
  }
  return out;
}

std::vector<bool> reachable(const Adjacency& adj, std::size_t from) {
  std::vector<bool> out(adj.size(), false);
  std::vector<std::size_t> todo{from};
  while (!todo.empty()) {
    std::size_t v = todo.back();
    todo.pop_back();
    for (std::size_t w : adj[v])
      if (!out[w]) {
        out[w] = true;
        todo.push_back(w);
      }
  }
  return out;
}

}  // namespace tandem::graph
