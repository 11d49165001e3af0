#pragma once
// Delimited text matrices (CSV, TSV, whitespace-separated; plain or gzip) and BEELINE
// PseudoTime.csv files.
//
// Layout detection:
// - delimiter: from the extension (.csv → ',', .tsv/.tab → tab), else the first data line
//   (tab, then comma, else runs of whitespace);
// - lines starting with '#' are comments; when the first line is all numbers (no header), the
//   last comment line supplies the column names if it has the right number of fields
//   (scanpy's krumsiek11.txt: "# it Gata2 Gata1 ...");
// - the first column holds row names when the header's first field is empty, the header is
//   one field shorter than the rows, any row starts with a non-number, or the column is a row
//   counter (integers starting at 0 or 1, rising by one, possibly restarting);
// - orientation, unless given: (1) a file named ExpressionData.csv is genes × cells (BEELINE);
//   (2) a PseudoTime.csv next to the file names the cells: whichever axis shares its ids is the
//   cell axis; (3) a header whose first field is "gene"/"genes"/"gene_id"/"symbol"/"feature"
//   means genes × cells, "cell"/"cells"/"barcode"/"cell_id" means cells × genes;
//   (4) otherwise cells × genes (scanpy's convention for text matrices).
#include "gc/expr/matrix.h"
#include "gc/util/progress.h"

#include <filesystem>
#include <string>

namespace gc::expr {

enum class Orientation { automatic, cells_by_genes, genes_by_cells };

struct TextMatrixOptions {
  Orientation orientation = Orientation::automatic;
  char delimiter = 0;          // 0 = detect; ' ' = runs of whitespace
  int first_column_names = -1; // -1 = detect, 0 = no, 1 = yes
};

struct TextMatrixLayout {
  char delimiter = ',';
  Orientation orientation = Orientation::cells_by_genes;
  std::string reason; // why this orientation was chosen
  bool header_from_comment = false;
};

// Reports the share of the file read to `progress` and throws gc::Cancelled within a few
// thousand lines of a cancel.
[[nodiscard]] ExpressionMatrix read_text_matrix(const std::filesystem::path& path,
                                                const TextMatrixOptions& options = {},
                                                TextMatrixLayout* layout = nullptr,
                                                const Progress& progress = {});

[[nodiscard]] Orientation parse_orientation(const std::string& text);

// PseudoTime.csv: cell id, then one or more pseudotime columns (one per trajectory); NA, NaN or
// empty = the cell is not on that trajectory (NaN in `values`). The header either names the cell
// column (",PseudoTime0,PseudoTime1", BEELINE Synthetic) or leaves it out, being one field
// shorter than the rows ("PseudoTime1,PseudoTime2", BEELINE Simulated, pandas/R write.csv).
struct PseudoTime {
  std::vector<std::string> cells;
  std::vector<std::string> columns;
  std::vector<std::vector<double>> values; // values[column][cell], NaN when missing

  // The first non-missing value of each cell (NaN when the cell has none).
  [[nodiscard]] std::vector<double> combined() const;
};
[[nodiscard]] PseudoTime read_pseudotime(const std::filesystem::path& path);

} // namespace gc::expr
