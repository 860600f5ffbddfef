#include "core/engine/graph.hpp"

#include <doctest/doctest.h>

using namespace tandem;
using Path = std::vector<std::size_t>;

TEST_CASE("an acyclic graph has no cycles") {
  graph::Adjacency g{{1, 2}, {2}, {}};
  CHECK(graph::cycles(g).empty());
  CHECK(graph::cycles({}).empty());
}

TEST_CASE("a cycle is reported from its smallest vertex along the shortest way back") {
  SUBCASE("a ring") {
    graph::Adjacency g{{}, {2}, {3}, {1}};
    CHECK(graph::cycles(g) == std::vector<Path>{{1, 2, 3, 1}});
  }
  SUBCASE("a shortcut inside the component") {
    // 0 → 1 → 2 → 3 → 0 and 0 → 3: the shortest way back from 0 is 0 → 3 → 0.
    graph::Adjacency g{{1, 3}, {2}, {3}, {0}};
    CHECK(graph::cycles(g) == std::vector<Path>{{0, 3, 0}});
  }
  SUBCASE("the path starts at the smallest vertex, not where the search entered") {
    graph::Adjacency g{{3}, {2}, {3}, {1}};
    CHECK(graph::cycles(g) == std::vector<Path>{{1, 2, 3, 1}});
  }
}

TEST_CASE("a self-loop is a cycle of one vertex") {
  graph::Adjacency g{{1}, {1}};
  CHECK(graph::cycles(g) == std::vector<Path>{{1, 1}});
}

TEST_CASE("each component with a cycle is reported once, in the order Tarjan's search completes them") {
  // {0, 1} and {2, 3} are cycles; 0 leads into {2, 3}, which completes first.
  graph::Adjacency g{{1, 2}, {0}, {3}, {2}, {4}};
  CHECK(graph::cycles(g) == std::vector<Path>{{2, 3, 2}, {0, 1, 0}, {4, 4}});
}

TEST_CASE("the topological order puts dependencies first and otherwise the smallest key") {
  // 0 depends on 2; 1 depends on nothing; 2 depends on nothing; 3 depends on 0 and 1.
  graph::Adjacency deps{{2}, {}, {}, {0, 1}};
  SUBCASE("keys in vertex order") {
    CHECK(graph::topological_order(deps, {0, 1, 2, 3}) == Path{1, 2, 0, 3});
  }
  SUBCASE("keys by priority") {
    CHECK(graph::topological_order(deps, {0, 3, 1, 2}) == Path{2, 0, 1, 3});
  }
  SUBCASE("left-out vertices are not ordered") {
    graph::Adjacency some{{}, {}, {0}};
    CHECK(graph::topological_order(some, {0, graph::k_left_out, 1}) == Path{0, 2});
  }
  SUBCASE("vertices on or after a cycle are not ordered") {
    graph::Adjacency cyclic{{1}, {0}, {0}, {}};
    CHECK(graph::topological_order(cyclic, {0, 1, 2, 3}) == Path{3});
  }
}

TEST_CASE("the finish order puts a vertex after everything it reaches, except across a cycle") {
  graph::Adjacency g{{1, 2}, {2}, {}, {0}};
  CHECK(graph::finish_order(g) == Path{2, 1, 0, 3});
  graph::Adjacency cyclic{{1}, {0}};
  CHECK(graph::finish_order(cyclic) == Path{1, 0});
}

TEST_CASE("reachability follows edges transitively and reaches the start only through a cycle") {
  graph::Adjacency g{{1}, {2}, {}, {0}};
  CHECK(graph::reachable(g, 0) == std::vector<bool>{false, true, true, false});
  CHECK(graph::reachable(g, 3) == std::vector<bool>{true, true, true, false});
  graph::Adjacency cyclic{{1}, {0}, {}};
  CHECK(graph::reachable(cyclic, 0) == std::vector<bool>{true, true, false});
}
