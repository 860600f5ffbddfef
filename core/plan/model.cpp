#include "core/plan/model.hpp"

namespace tandem::model {

std::string_view to_string(ItemType v) {
  constexpr std::string_view k[] = {"feature", "bug", "chore", "spike"};
  return k[static_cast<int>(v)];
}
std::string_view to_string(Status v) {
  constexpr std::string_view k[] = {"todo", "doing", "done", "dropped"};
  return k[static_cast<int>(v)];
}
std::string_view to_string(Moscow v) {
  constexpr std::string_view k[] = {"must", "should", "could", "wont"};
  return k[static_cast<int>(v)];
}
std::string_view to_string(RiskStatus v) {
  constexpr std::string_view k[] = {"open", "closed", "occurred"};
  return k[static_cast<int>(v)];
}
std::string_view to_string(Response v) {
  constexpr std::string_view k[] = {"avoid", "mitigate", "transfer", "accept", "escalate"};
  return k[static_cast<int>(v)];
}
std::string_view to_string(Estimates v) { return v == Estimates::days ? "days" : "points"; }
std::string_view to_string(PriorityModel v) {
  constexpr std::string_view k[] = {"wsjf", "rice", "value", "moscow", "manual"};
  return k[static_cast<int>(v)];
}

}  // namespace tandem::model
