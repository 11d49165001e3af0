#pragma once
// Shared between the simulate sources: stream ids for Rng::fork and small helpers.
#include <cstdint>
#include <string>

namespace gc::simulate::detail {

// One stream per component, so e.g. changing the number of cells leaves the genome unchanged.
enum Stream : std::uint64_t {
  genome_stream = 1,
  grn_stream = 2,
  expression_stream = 3,
  hic_stream = 4,
  variants_stream = 5,
  perturbation_stream = 6, // the truth's perturbations beyond the screen
};

[[nodiscard]] std::string padded_name(const std::string& prefix, std::size_t index, std::size_t count);
[[nodiscard]] char complement(char base) noexcept;
[[nodiscard]] std::string reverse_complement(const std::string& s);

} // namespace gc::simulate::detail
