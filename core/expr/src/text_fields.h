#pragma once
// Field helpers of the expression text formats (CSV/TSV matrices, MatrixMarket, edge lists,
// perturbation labels); lines come from gc::LineReader (gc/util/line_reader.h).
#include <string>
#include <string_view>
#include <vector>

namespace gc::expr {

// Splits on `delim`, or on runs of spaces/tabs when delim is ' '. Fields keep no surrounding
// quotes ("a" → a).
[[nodiscard]] std::vector<std::string> split_fields(std::string_view line, char delim);
// Parses a number; "NA", "NaN", "nan" and "" give NaN. False when the text is not a number.
[[nodiscard]] bool parse_number(std::string_view text, double& out) noexcept;
[[nodiscard]] std::string lower(std::string s);

} // namespace gc::expr
