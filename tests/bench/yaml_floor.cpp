// The floor of `tandem check` (issue 29): the time libyaml needs to read the plan files and hand
// over every event, with nothing built from them. Reads each file whole (as tandem does), runs
// libyaml's event parser over it, and counts the events and the bytes of scalar text; prints the
// counts so that the work cannot be optimised away. tandem's `check` should come within 1.5× of
// this on the same files (tests/bench/run.sh).
//
// usage: yaml_floor FILE...      (built by run.sh with g++ -O2 and pkg-config yaml-0.1)
#include <yaml.h>

#include <cstdio>
#include <fstream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: yaml_floor FILE...\n");
    return 2;
  }
  unsigned long events = 0, scalar_bytes = 0;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary | std::ios::ate);
    std::string text(in ? static_cast<std::size_t>(in.tellg()) : 0, '\0');
    if (!in || !in.seekg(0).read(text.data(), static_cast<std::streamsize>(text.size()))) {
      std::fprintf(stderr, "yaml_floor: cannot read %s\n", argv[i]);
      return 2;
    }
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    for (bool done = false; !done;) {
      yaml_event_t event;
      if (!yaml_parser_parse(&parser, &event)) {
        std::fprintf(stderr, "yaml_floor: %s: %s\n", argv[i], parser.problem ? parser.problem : "error");
        return 1;
      }
      ++events;
      if (event.type == YAML_SCALAR_EVENT) scalar_bytes += event.data.scalar.length;
      done = event.type == YAML_STREAM_END_EVENT;
      yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
  }
  std::printf("%lu events, %lu bytes of scalars\n", events, scalar_bytes);
  return 0;
}
