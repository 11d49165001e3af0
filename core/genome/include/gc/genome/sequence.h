#pragma once
// Sequence encodings for the model.
#include <array>
#include <string_view>
#include <vector>

namespace gc::genome {

// Probabilities over (A, C, G, T) for one IUPAC nucleotide code (case-insensitive, U = T).
// Ambiguity codes give the matching distribution (R = 0.5 A + 0.5 G, N = 0.25 each); gaps
// ('-', '.') give all zeros. Returns false for a byte that is not a nucleotide code.
[[nodiscard]] bool iupac_distribution(char code, std::array<float, 4>& out) noexcept;

// Row-major [L x 4] one-hot (A, C, G, T) encoding with IUPAC distributions.
// Throws gc::InputError naming the position of the first byte that is not a nucleotide code.
[[nodiscard]] std::vector<float> one_hot(std::string_view sequence);

// Reverse complement keeping IUPAC codes and case (R <-> Y, K <-> M, B <-> V, D <-> H).
[[nodiscard]] std::string reverse_complement(std::string_view sequence);

} // namespace gc::genome
