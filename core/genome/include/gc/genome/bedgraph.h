#pragma once
// bedGraph signal tracks: chrom, start, end, value (0-based half-open), after optional `track`,
// `browser` and `#` lines.
#include "gc/genome/bed.h"

#include <filesystem>
#include <string_view>
#include <vector>

namespace gc::genome {

// Records with the value in `score` (and the name empty). Throws gc::InputError naming the file
// and record for a value that is not a number or a line that is not bedGraph. Reports and checks
// cancellation through `progress` as read_bed does.
[[nodiscard]] std::vector<BedRecord> read_bedgraph(const std::filesystem::path& path,
                                                   const Progress& progress = {});
// Whether the head of a file declares or looks like bedGraph: a `track type=bedGraph` line, or
// data lines of exactly four fields with a numeric fourth.
[[nodiscard]] bool declares_bedgraph(std::string_view head) noexcept;

} // namespace gc::genome
