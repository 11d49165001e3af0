#include "gc/ui/browser/track_list_model.h"

#include "gc/ui/workspace.h"

#include <QFileInfo>

#include <algorithm>

namespace gc::ui::browser {

int TrackListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_tracks.size());
}

QVariant TrackListModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() < 0 || index.row() >= rowCount()) return {};
  const auto& t = m_tracks[static_cast<std::size_t>(index.row())];
  switch (role) {
  case Qt::DisplayRole: return t.title;
  case Qt::ToolTipRole:
  case PathRole: return t.data->path;
  case KindRole: return to_string(t.data->kind);
  default: return {};
  }
}

Qt::ItemFlags TrackListModel::flags(const QModelIndex& index) const {
  const auto base = QAbstractListModel::flags(index);
  return index.isValid() ? base | Qt::ItemIsDragEnabled : base | Qt::ItemIsDropEnabled;
}

bool TrackListModel::moveRows(const QModelIndex& source_parent, int source_row, int count,
                              const QModelIndex& destination_parent, int destination_child) {
  const int n = rowCount();
  if (source_parent.isValid() || destination_parent.isValid() || count < 1 || source_row < 0 ||
      source_row + count > n || destination_child < 0 || destination_child > n)
    return false;
  // Moving a block into itself (or right behind itself) changes nothing; Qt refuses those.
  if (destination_child >= source_row && destination_child <= source_row + count) return false;
  if (!beginMoveRows(source_parent, source_row, source_row + count - 1, destination_parent,
                     destination_child))
    return false;
  const auto first = m_tracks.begin() + source_row;
  std::vector<Track> block(std::make_move_iterator(first), std::make_move_iterator(first + count));
  m_tracks.erase(first, first + count);
  const int at = destination_child > source_row ? destination_child - count : destination_child;
  m_tracks.insert(m_tracks.begin() + at, std::make_move_iterator(block.begin()),
                  std::make_move_iterator(block.end()));
  endMoveRows();
  return true;
}

bool TrackListModel::move(int from, int to) {
  const int n = rowCount();
  if (from < 0 || from >= n || to < 0 || to >= n) return false;
  if (from == to) return true;
  return moveRows({}, from, 1, {}, to > from ? to + 1 : to);
}

bool TrackListModel::insert(int row, const std::shared_ptr<const Dataset>& dataset) {
  auto renderer = dataset ? make_track_renderer(*dataset) : nullptr;
  if (!renderer) return false;
  row = std::clamp(row, 0, rowCount());
  beginInsertRows({}, row, row);
  m_tracks.insert(m_tracks.begin() + row,
                  Track{dataset, QFileInfo(dataset->path).fileName(), std::move(renderer)});
  endInsertRows();
  return true;
}

void TrackListModel::replace(int row, std::shared_ptr<const Dataset> dataset) {
  if (row < 0 || row >= rowCount() || !dataset) return;
  auto& t = m_tracks[static_cast<std::size_t>(row)];
  // Reconciliation copies a dataset with the same records; only new records need a new index.
  const bool same_records = t.data->annotation == dataset->annotation &&
                            t.data->intervals == dataset->intervals &&
                            t.data->variants == dataset->variants && t.data->bigwig == dataset->bigwig;
  if (!same_records)
    if (auto renderer = make_track_renderer(*dataset)) t.renderer = std::move(renderer);
  t.data = std::move(dataset);
  Q_EMIT dataChanged(index(row), index(row));
}

void TrackListModel::clear() {
  beginResetModel();
  m_tracks.clear();
  endResetModel();
}

QStringList TrackListModel::titles() const {
  QStringList out;
  for (const auto& t : m_tracks)
    out << t.title;
  return out;
}

void apply_track_order(TrackListModel& model, const QStringList& order) {
  int next = 0;
  for (const auto& name : order) {
    const int at = static_cast<int>(model.titles().indexOf(name));
    if (at >= 0) model.move(at, next++);
  }
}

} // namespace gc::ui::browser
