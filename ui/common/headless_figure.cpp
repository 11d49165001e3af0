#include "gc/ui/common/headless_figure.h"

#include "gc/hic/query.h"
#include "gc/ui/browser/browser_math.h"
#include "gc/ui/browser/browser_renderer.h"
#include "gc/ui/browser/browser_state.h"
#include "gc/ui/browser/signal_cache.h"
#include "gc/ui/browser/track_list_model.h"
#include "gc/ui/chromatin/chromatin_renderer.h"
#include "gc/ui/chromatin/chromatin_state.h"
#include "gc/ui/chromatin/structure.h"
#include "gc/ui/common/vtk_scene.h"
#include "gc/ui/graph/graph_renderer.h"
#include "gc/ui/graph/graph_state.h"
#include "gc/ui/graph/grn_job.h"
#include "gc/ui/hic/hic_renderer.h"
#include "gc/ui/hic/hic_state.h"
#include "gc/ui/hic/hic_tiles.h"
#include "gc/ui/task_runner.h"
#include "gc/ui/whatif/whatif_figure.h"
#include "gc/ui/workspace.h"
#include "gc/util/error.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <map>

namespace gc::ui {
namespace {

// ---- browser ----

// The bases of one window, read when the figure is made.
class FetchedBases final : public browser::BaseSource {
public:
  FetchedBases(const Dataset* genome, const genome::Region& locus) {
    if (!genome || !genome->fasta || locus.end - locus.start > browser::max_sequence_window_bp) return;
    const auto local = genome->local_name(locus.chrom);
    if (!local) return;
    std::int64_t end = locus.end;
    for (const auto& c : genome->chroms)
      if (c.name == *local && c.length > 0) end = std::min(end, c.length);
    if (end <= locus.start) return;
    m_chrom = *local;
    m_start = locus.start;
    m_bases = genome->fasta->fetch(*local, locus.start, end);
  }
  std::optional<std::string_view> bases(const std::string& chrom, std::int64_t start,
                                        std::int64_t end) const override {
    if (chrom != m_chrom || start < m_start || m_chrom.empty()) return std::nullopt;
    const auto from = static_cast<std::size_t>(start - m_start);
    if (from > m_bases.size()) return std::nullopt;
    return std::string_view(m_bases).substr(from,
                                            static_cast<std::size_t>(std::max<std::int64_t>(0, end - start)));
  }

private:
  std::string m_chrom;
  std::int64_t m_start = 0;
  std::string m_bases;
};

// The bigWig bins of the figure's window, read when the figure is made (there is no GUI thread
// to keep free), for every bigWig row at the figure's width.
class FetchedSignal final : public browser::SignalSource {
public:
  FetchedSignal(const browser::TrackListModel& tracks, const browser::BrowserFrame& frame) {
    for (const auto& t : tracks.tracks()) {
      if (!t.data->bigwig) continue;
      const auto local = t.data->local_name(frame.locus.chrom);
      if (!local) continue;
      std::int64_t length = 0;
      for (const auto& c : t.data->chroms)
        if (c.name == *local) length = c.length;
      if (const auto window = browser::signal_window(frame, *local, length))
        m_bins.emplace_back(t.data->bigwig.get(), browser::read_signal(*t.data->bigwig, *window));
    }
  }
  const browser::SignalBins* signal(const genome::BigWigReader& reader,
                                    const browser::SignalWindow& window) const override {
    for (const auto& [r, bins] : m_bins)
      if (r == &reader && bins.window.chrom == window.chrom && bins.window.start == window.start &&
          bins.window.end == window.end)
        return &bins;
    return nullptr;
  }

private:
  std::vector<std::pair<const genome::BigWigReader*, browser::SignalBins>> m_bins;
};

void browser_figure(const QJsonObject& state, const HeadlessData& data, const QString& out,
                    const FigureOptions& options) {
  browser::TrackListModel tracks;
  std::shared_ptr<const Dataset> genome;
  for (const auto& d : data.datasets) {
    if (d->kind == DatasetKind::genome && !genome) genome = d;
    tracks.append(d); // kinds that are not tracks are left out
  }
  const auto saved = browser::read_json(state);
  browser::apply_track_order(tracks, saved.track_order);
  genome::Region locus;
  if (!saved.locus.isEmpty())
    locus = browser::resolve_region(saved.locus, data.reference);
  else if (!data.reference.empty())
    locus = {data.reference.front().name, 0, data.reference.front().length};
  const FetchedBases bases(genome.get(), locus);
  // export_painted_figure paints into the figure's logical size from the origin.
  const FetchedSignal signal(
      tracks, browser::browser_frame(QRectF(QPointF(0, 0), figure_logical_size(options)), locus));
  const browser::BrowserScene scene{locus, tracks, genome, &bases, &signal};
  export_painted_figure(
      [&](QPainter& p, const QRectF& target) { browser::paint_browser(p, target, scene, true); }, out,
      options);
}

// ---- hic and 3d ----

gc::hic::Resolutions open_maps(const QJsonObject& state, const HeadlessData& data) {
  gc::hic::Resolutions maps;
  if (data.hic) {
    maps = *data.hic;
  } else {
    const QString uri = !data.hic_uri.isEmpty() ? data.hic_uri : state.value("uri").toString();
    if (uri.isEmpty()) throw InputError("no Hi-C file: the view state names none and none was given");
    maps = gc::hic::open_resolutions(uri.toStdString());
  }
  if (maps.empty()) throw InputError("the Hi-C file holds no resolution").file(maps.uri);
  gc::hic::sort_by_bin_size(maps);
  if (!maps.has_file_weights) gc::hic::probe_file_weights(maps);
  return maps;
}

void hic_figure(const QJsonObject& state, const HeadlessData& data, const QString& out,
                const FigureOptions& options) {
  using namespace hic_view;
  const auto maps = open_maps(state, data);
  const auto& bins = maps.maps.front()->bins();
  HicState st;
  const auto request = read_json(state, st);
  st.uri = QString::fromStdString(maps.uri);
  st.norm = request.norm.value_or(default_normalisation(maps));
  if (request.locus) {
    if (const auto unknown = set_locus(st, bins, request.locus->first, request.locus->second))
      throw InputError("chromosome '" + unknown->toStdString() + "' is not in " + maps.uri);
  } else if (!bins.chroms.empty()) {
    st.chrom_x = st.chrom_y = 0;
    st.sx = st.sy = {0, chrom_length(bins, 0)};
  }
  // The resolution follows the figure's heatmap, as the screen's follows the widget's.
  const QRectF target(QPointF(0, 0), figure_logical_size(options));
  const auto frame = frame_for(st, maps, hic_layout(target, st, true, st.cis()).map.width());
  NormCache norms(maps.maps);
  std::map<TileKey, std::shared_ptr<const Tile>> tiles;
  const auto load = [&](const TileKey& key) -> std::shared_ptr<const Tile> {
    if (const auto it = tiles.find(key); it != tiles.end()) return it->second;
    return tiles[key] = load_tile(*maps.maps[static_cast<std::size_t>(key.res)], norms, key);
  };
  for (const auto& key : frame.visible) {
    const auto& map = *maps.maps[static_cast<std::size_t>(key.res)];
    if (is_mirrored(key, map))
      tiles[key] = transpose(*load(mirror_key(key)));
    else
      (void)load(key);
  }
  std::shared_ptr<const Track> track;
  if (frame.track)
    track = load_track(*maps.maps[static_cast<std::size_t>(frame.track->res)], norms, *frame.track);
  const HicScene scene{st,
                       maps,
                       frame,
                       [&tiles](const TileKey& key) {
                         const auto it = tiles.find(key);
                         return it == tiles.end() ? nullptr : it->second;
                       },
                       track,
                       1};
  if (st.auto_range)
    if (const auto range = auto_colour_range(visible_values(scene), st.percentile, st.scale.log)) {
      st.scale.min = range->first;
      st.scale.max = range->second;
    }
  export_painted_figure([&](QPainter& p, const QRectF& t) { paint_hic(p, t, scene, true); }, out, options);
}

void chromatin_figure(const QJsonObject& state, const HeadlessData& data, const QString& out,
                      const FigureOptions& options) {
  using namespace chromatin;
  const auto maps = open_maps(state, data);
  const auto& bins = maps.maps.front()->bins();
  ChromatinState st;
  read_json(state, st);
  st.uri = QString::fromStdString(maps.uri);
  const int c = st.chromosome.isEmpty() ? 0 : hic_view::find_chrom(bins, st.chromosome);
  if (c < 0) throw InputError("chromosome '" + st.chromosome.toStdString() + "' is not in " + maps.uri);
  st.chromosome = QString::fromStdString(bins.chroms[static_cast<std::size_t>(std::max(c, 0))].name);
  const std::string chrom = st.chromosome.toStdString();
  const auto structure = compute_structure(pick_map(maps, chrom), chrom);
  const auto tube = make_tube(structure, st.highlight, nullptr);
  const QRectF target(QPointF(0, 0), figure_logical_size(options));
  // The scene at the figure's resolution (capped: it is one embedded image).
  const double scale = std::clamp(options.dpi / 96.0, 1.0, 4.0);
  const QSize pixels(std::max(16, static_cast<int>(scene_rect(target).width() * scale)),
                     std::max(16, static_cast<int>(scene_rect(target).height() * scale)));
  const QImage image = render_offscreen(
      tube_actors(tube.points, tube.scalars, tube.highlight_first, tube.highlight_last), pixels);
  export_painted_figure(
      [&](QPainter& p, const QRectF& t) { paint_chromatin_figure(p, t, st, structure.bin_size(), image); },
      out, options);
}

// ---- graph ----

void graph_figure(const QJsonObject& state, const HeadlessData& data, const QString& out,
                  const FigureOptions& options) {
  using namespace graph;
  const GraphState st = read_json(state);
  // The same job as the GUI's, run here synchronously: the network is re-made from the session's
  // files (inference is seeded), then filtered and laid out as the state says.
  const auto sources = choose_sources(data.datasets, st);
  if (!sources.network)
    throw InputError("graph view: the session has no expression dataset or edge list to make a network from");
  const GraphData network = run_grn_job(sources);
  const ShownNetwork shown = filter_network(network, network_filter(st, network));
  LayoutOptions layout_options;
  layout_options.seed = st.seed;
  const Layout layout = compute_layout(layout_graph(network, shown), st.layout, layout_options);
  const auto positions = placed_positions(st, network, shown, layout.positions);
  GraphScene scene;
  scene.data = &network;
  scene.shown = &shown;
  scene.state = &st;
  scene.positions = &positions;
  scene.max_stretch = layout.max_stretch;
  scene.layout = layout.kind;
  export_painted_figure([&](QPainter& p, const QRectF& target) { paint_graph(p, target, scene, true); }, out,
                        options);
}

} // namespace

HeadlessData load_headless_data(const QStringList& paths, const gc::Progress& progress) {
  // The Workspace reconciles the names exactly as the GUI does; it needs no widget.
  TaskRunner tasks;
  Workspace workspace(&tasks);
  for (int i = 0; i < paths.size(); ++i) {
    const double lo = static_cast<double>(i) / static_cast<double>(paths.size());
    workspace.add(load_dataset(paths[i], progress.sub(lo, lo + 1.0 / static_cast<double>(paths.size()))));
  }
  HeadlessData data;
  data.datasets = workspace.datasets();
  data.reference = workspace.reference();
  if (const auto hic = workspace.first_of(DatasetKind::hic)) {
    data.hic = hic->hic;
    data.hic_uri = hic->hic_uri;
  }
  return data;
}

QStringList headless_views() { return {"browser", "hic", "3d", "graph", "whatif"}; }

bool headless_view_needs_widgets(const QString& view) { return view == "whatif"; }

void render_headless_figure(const QString& view, const QJsonObject& view_state, const HeadlessData& data,
                            const QString& out_path, const FigureOptions& options) {
  if (view == "browser")
    browser_figure(view_state, data, out_path, options);
  else if (view == "hic")
    hic_figure(view_state, data, out_path, options);
  else if (view == "3d")
    chromatin_figure(view_state, data, out_path, options);
  else if (view == "graph")
    graph_figure(view_state, data, out_path, options);
  else if (view == "whatif")
    whatif::render_whatif_figure(view_state, data.datasets, out_path, options);
  else
    throw InputError("unknown view '" + view.toStdString() +
                     "' (views: " + headless_views().join(", ").toStdString() + ")");
}

} // namespace gc::ui
