#pragma once
// The genome browser's tracks, top to bottom, as a list model (DESIGN §10: the view observes
// the model). Each row is a dataset with its title and renderer; rows are reordered through
// moveRows, which the browser's context menu and any list view use alike.
#include "gc/ui/browser/track_renderers.h"

#include <QAbstractListModel>
#include <QStringList>

#include <memory>
#include <vector>

namespace gc::ui {
struct Dataset;
}

namespace gc::ui::browser {

class TrackListModel : public QAbstractListModel {
  Q_OBJECT
public:
  enum Role { PathRole = Qt::UserRole + 1, KindRole };
  struct Track {
    std::shared_ptr<const Dataset> data;
    QString title;
    std::shared_ptr<const TrackRenderer> renderer;
  };

  using QAbstractListModel::QAbstractListModel;

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  [[nodiscard]] Qt::ItemFlags flags(const QModelIndex& index) const override;
  [[nodiscard]] Qt::DropActions supportedDropActions() const override { return Qt::MoveAction; }
  // Moves `count` rows from `source_row` to before `destination_child` (Qt's convention).
  bool moveRows(const QModelIndex& source_parent, int source_row, int count,
                const QModelIndex& destination_parent, int destination_child) override;

  // Moves one track so that it ends up at row `to`; false when either row is out of range.
  bool move(int from, int to);
  // Inserts a track for `dataset` at `row` when its kind is shown as a track (the renderer
  // indexes its records now); false otherwise.
  bool insert(int row, const std::shared_ptr<const Dataset>& dataset);
  void append(const std::shared_ptr<const Dataset>& dataset) { insert(rowCount(), dataset); }
  // Swaps in the dataset reconciled again (same path); the records are indexed again only when
  // they changed.
  void replace(int row, std::shared_ptr<const Dataset> dataset);
  void clear();

  [[nodiscard]] const Track& track(int row) const { return m_tracks[static_cast<std::size_t>(row)]; }
  [[nodiscard]] const std::vector<Track>& tracks() const noexcept { return m_tracks; }
  [[nodiscard]] QStringList titles() const;

private:
  std::vector<Track> m_tracks;
};

// Moves the named tracks, in the order given, to the top (names that are not tracks are skipped):
// how a saved track order is restored.
void apply_track_order(TrackListModel& model, const QStringList& order);

} // namespace gc::ui::browser
