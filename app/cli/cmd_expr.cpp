// Expression module in the CLI: `info` providers for expression files and edge lists. The .h5ad
// part of `bench io` is composed in cmd_io.cpp.
#include "cli.h"

#include "gc/expr/edge_list.h"
#include "gc/expr/formats.h"
#include "gc/util/error.h"

namespace gc::cli {
namespace {

const InfoRegistration expression_info{{"expression (.h5ad, 10x .h5, .mtx folder, CSV/TSV)",
                                        [](const std::filesystem::path& path, const std::string& head) {
                                          return expr::detect_expression_format(path, head).has_value();
                                        },
                                        [](const std::filesystem::path& path) {
                                          const auto format = expr::detect_expression_format(path);
                                          if (!format)
                                            throw InputError("not an expression file").file(path.string());
                                          return expr::describe_expression(path, *format);
                                        }}};

const InfoRegistration edge_list_info{
    {"edge list (refNetwork.csv, ranked edges)",
     [](const std::filesystem::path& path, const std::string& head) {
       std::error_code ec;
       return std::filesystem::is_regular_file(path, ec) &&
              expr::looks_like_edge_list_header(head.substr(0, head.find('\n')));
     },
     [](const std::filesystem::path& path) { return expr::describe_edge_list(path); }}};

const InfoRegistration pseudotime_info{
    {"pseudotime (BEELINE PseudoTime.csv)",
     [](const std::filesystem::path& path, const std::string&) {
       const auto name = path.filename().string();
       return name == "PseudoTime.csv" || name == "PseudoTime.csv.gz";
     },
     [](const std::filesystem::path& path) { return expr::describe_pseudotime(path); }}};

} // namespace
} // namespace gc::cli
