#pragma once
// The what-if view's cascade table: every gene of a predicted response as a QAbstractTableModel
// (gene, Δ, sd, step, via, log2fc) in the response's rank order (perturbed genes first, then by
// |Δ|), the same order as the bars, and a proxy that sorts numbers as numbers. Rows map to genes
// both ways, so the table's selection and the charts' stay in step.
#include "gc/ui/whatif/whatif_job.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <memory>
#include <string>
#include <unordered_map>

namespace gc::ui::whatif {

class CascadeTableModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column { gene, delta, sd, step, via, log2fc, column_count };
  // Numbers for Δ, sd, step and log2fc; text otherwise: what the proxy sorts by.
  static constexpr int sort_role = Qt::UserRole + 1;

  using QAbstractTableModel::QAbstractTableModel;

  // Replaces the rows by the response's (none for null).
  void set_response(std::shared_ptr<const Response> response);
  [[nodiscard]] const Response* response() const noexcept { return m_response.get(); }
  [[nodiscard]] const GeneRow& row_at(int row) const {
    return m_response->rows.at(static_cast<std::size_t>(row));
  }
  // The row of a gene, or -1.
  [[nodiscard]] int row_of(const std::string& gene) const;

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
  std::shared_ptr<const Response> m_response;
  std::unordered_map<std::string, int> m_rows;
};

class CascadeSortProxy : public QSortFilterProxyModel {
  Q_OBJECT
public:
  explicit CascadeSortProxy(QObject* parent = nullptr);
};

} // namespace gc::ui::whatif
