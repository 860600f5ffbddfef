#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tandem::graph {

/// A directed graph on the vertices 0…n-1: `adjacency[v]` lists the vertices v has an edge to.
using Adjacency = std::vector<std::vector<std::size_t>>;

/// One cycle per strongly connected component that has one (a self-loop counts), in the order
/// Tarjan's algorithm completes the components: each path starts at the component's smallest
/// vertex, follows a shortest way back to it, and ends with that vertex again ({v, …, v}).
std::vector<std::vector<std::size_t>> cycles(const Adjacency& adjacency);

/// The key that leaves a vertex out of `topological_order`.
inline constexpr std::size_t k_left_out = SIZE_MAX;

/// The vertices in an order where each comes after the vertices it has an edge to (an edge is a
/// dependency); among the vertices that may come next, the one of smallest `key` comes first.
/// Vertices whose key is `k_left_out`, and those on a cycle or after one, are not in the order;
/// edges to left-out vertices must not exist.
std::vector<std::size_t> topological_order(const Adjacency& dependencies, const std::vector<std::size_t>& key);

/// The vertices in the order a depth-first search finishes them (starting from 0, 1, …, following
/// edges in list order): a vertex comes after every vertex it reaches, except along an edge that
/// closes a cycle, which leads to a vertex later in the order.
std::vector<std::size_t> finish_order(const Adjacency& adjacency);

/// Which vertices `from` reaches by one or more edges (`from` itself only through a cycle).
std::vector<bool> reachable(const Adjacency& adjacency, std::size_t from);

}  // namespace tandem::graph
