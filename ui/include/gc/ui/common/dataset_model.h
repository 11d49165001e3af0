#pragma once
// The Data panel's model: one row per dataset of the Workspace (file, kind, summary), with the
// chromosome-name reconciliation warnings beneath it (grouped under one row when there are
// many). It observes the Workspace; views (a QTreeView) observe it.
#include <QAbstractItemModel>

namespace gc::ui {

class Workspace;

class DatasetModel : public QAbstractItemModel {
  Q_OBJECT
public:
  enum Column { FileColumn, KindColumn, SummaryColumn, ColumnCount };
  // Absolute path of a dataset row (Qt::UserRole).
  static constexpr int PathRole = Qt::UserRole;
  // More warnings than this are grouped under one collapsed row.
  static constexpr int max_inline_warnings = 3;

  explicit DatasetModel(Workspace* workspace, QObject* parent = nullptr);

  [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  [[nodiscard]] QModelIndex parent(const QModelIndex& child) const override;
  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  // Warning rows span every column.
  [[nodiscard]] bool is_warning(const QModelIndex& index) const;

private:
  // internalId: 0 for a dataset row; otherwise (dataset + 1) << 32 | level << 31 | position,
  // where level 1 is the group row and level 0 a warning.
  struct Node {
    int dataset = -1; // -1: top level
    bool group = false;
    int warning = -1; // index into the dataset's warnings, -1 for dataset and group rows
  };
  [[nodiscard]] Node node(const QModelIndex& index) const;
  [[nodiscard]] bool grouped(int dataset) const;

  Workspace* m_workspace;
};

} // namespace gc::ui
