import HattamaCore

/// A strip of digits as the strip network's input, step by step as `preprocess` in tools/linereader/strip_net.py
/// (the two must agree): ink 0...1 in `height` rows, row-major, `width` a multiple of the network's step.
struct StripInput: Equatable {
    let width: Int
    let height: Int
    /// Row-major, `width * height` values.
    let values: [Float]

    /// 1. ink = (255 - gray) / 255; 2. scaled to `height` rows and round(w * height / h) columns, each output pixel
    /// the mean of the input pixels it covers (bounds floored, at least one pixel); 3. stretched, the median to 0
    /// and the darkest to 1, clipped; 4. padded with 0 on the right to a multiple of `step`, at least two steps,
    /// at most `maxWidth` columns.
    init(_ strip: GrayImage, height: Int, step: Int, maxWidth: Int) {
        let h = strip.height, w = strip.width
        let outWidth = max(1, Int((Double(w) * Double(height) / Double(h)).rounded(.toNearestOrEven)))
        var rows = [Float](repeating: 0, count: height * w)
        for oy in 0..<height {
            let y0 = oy * h / height, y1 = max(y0 + 1, (oy + 1) * h / height)
            for x in 0..<w {
                var sum: Float = 0
                for y in y0..<y1 { sum += (255 - Float(strip.pixels[y * w + x])) / 255 }
                rows[oy * w + x] = sum / Float(y1 - y0)
            }
        }
        var scaled = [Float](repeating: 0, count: height * outWidth)
        for ox in 0..<outWidth {
            let x0 = ox * w / outWidth, x1 = max(x0 + 1, (ox + 1) * w / outWidth)
            for oy in 0..<height {
                var sum: Float = 0
                for x in x0..<x1 { sum += rows[oy * w + x] }
                scaled[oy * outWidth + ox] = sum / Float(x1 - x0)
            }
        }
        let sorted = scaled.sorted()
        let paper = sorted[(sorted.count - 1) / 2], dark = sorted[sorted.count - 1]
        if dark - paper > 1e-3 {
            scaled = scaled.map { min(1, max(0, ($0 - paper) / (dark - paper))) }
        } else {
            scaled = [Float](repeating: 0, count: scaled.count)
        }
        let padded = min(maxWidth, max(2 * step, (outWidth + step - 1) / step * step))
        var values = [Float](repeating: 0, count: height * padded)
        for y in 0..<height {
            for x in 0..<min(outWidth, padded) { values[y * padded + x] = scaled[y * outWidth + x] }
        }
        self.width = padded
        self.height = height
        self.values = values
    }
}
