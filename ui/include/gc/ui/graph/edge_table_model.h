#pragma once
// The graph view's edge table: the shown edges as a QAbstractTableModel (regulator, target,
// score, rank, sign, provenance, in reference), and a sort/filter proxy that sorts numbers as
// numbers and filters by gene name. Rows map to GraphData edge indices both ways, so the table's
// selection and the picture's stay in step.
#include "gc/ui/graph/graph_data.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <cstddef>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace gc::ui::graph {

class EdgeTableModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column { regulator, target, score, rank, sign, provenance, in_reference, column_count };
  // Numbers for score and rank, text otherwise: what the proxy sorts by.
  static constexpr int sort_role = Qt::UserRole + 1;

  using QAbstractTableModel::QAbstractTableModel;

  // Replaces the rows by `edges` (indices into data->edges, in rank order).
  void set_edges(std::shared_ptr<const GraphData> data, std::vector<std::size_t> edges);
  [[nodiscard]] std::size_t edge_at(int row) const { return m_edges.at(static_cast<std::size_t>(row)); }
  // The row of a GraphData edge, or -1 when it is not shown.
  [[nodiscard]] int row_of(std::size_t edge) const;

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
  std::shared_ptr<const GraphData> m_data;
  std::vector<std::size_t> m_edges;
  std::unordered_map<std::size_t, int> m_rows;
};

// Keeps rows whose regulator or target contains the filter text (case-insensitive).
class EdgeFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT
public:
  explicit EdgeFilterProxy(QObject* parent = nullptr);
  void set_gene_filter(const QString& text);

protected:
  [[nodiscard]] bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;

private:
  QString m_text;
};

} // namespace gc::ui::graph
