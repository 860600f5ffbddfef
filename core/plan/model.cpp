#include "core/plan/model.hpp"

namespace tandem::model {

std::string_view to_string(ItemType v) { return k_item_type_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(Status v) { return k_status_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(Moscow v) { return k_moscow_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(RiskStatus v) { return k_risk_status_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(Response v) { return k_response_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(Estimates v) { return k_estimates_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(PriorityModel v) { return k_priority_model_names[static_cast<std::size_t>(v)]; }
std::string_view to_string(Signatures v) { return k_signatures_names[static_cast<std::size_t>(v)]; }

}  // namespace tandem::model
