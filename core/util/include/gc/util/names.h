#pragma once
// Suggestions for a name the user mistyped (a gene, a chromosome): the known names closest to
// it, so an error can say "did you mean ...".
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gc {

// Levenshtein distance (insertions, deletions and substitutions of bytes).
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// Up to `limit` of `known` closest to `name`, compared without case: a name that `name` is a
// prefix of counts as one edit (so "TF0" suggests TF01, TF02, ...); names further than
// max(2, |name| / 3) edits are not suggested. Closest first, ties in the order of `known`.
[[nodiscard]] std::vector<std::string>
closest_names(std::string_view name, const std::vector<std::string>& known, std::size_t limit = 3);

// " (did you mean 'A', 'B'?)" for the suggestions, "" when there are none.
[[nodiscard]] std::string did_you_mean(const std::vector<std::string>& suggestions);

} // namespace gc
