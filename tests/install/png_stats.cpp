// png_stats FILE.png: prints "WIDTH HEIGHT COLOURS DOMINANT_FRACTION" of an image (the number of
// distinct RGB colours, and the share of pixels that have the most frequent one), so that
// test_deb.sh can tell a real screenshot from a blank or single-colour window. Exit 2 when the
// file is not a readable image.
#include <QHash>
#include <QImage>

#include <algorithm>
#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: png_stats FILE.png\n");
    return 2;
  }
  const QImage image = QImage(QString::fromLocal8Bit(argv[1])).convertToFormat(QImage::Format_RGB32);
  if (image.isNull()) {
    std::fprintf(stderr, "png_stats: %s is not a readable image\n", argv[1]);
    return 2;
  }
  QHash<QRgb, qint64> counts;
  for (int y = 0; y < image.height(); ++y) {
    const auto* row = reinterpret_cast<const QRgb*>(image.constScanLine(y));
    for (int x = 0; x < image.width(); ++x)
      ++counts[row[x] & 0xffffffu];
  }
  qint64 dominant = 0;
  for (auto it = counts.cbegin(); it != counts.cend(); ++it)
    dominant = std::max(dominant, it.value());
  const double pixels = static_cast<double>(image.width()) * image.height();
  std::printf("%d %d %lld %.4f\n", image.width(), image.height(), static_cast<long long>(counts.size()),
              pixels > 0 ? dominant / pixels : 1.0);
  return 0;
}
