import HattamaCore

/// Turns a cell crop into the 28x28 network input, exactly as tools/digits/preprocess.py does.
///
/// Keep the two in step: the golden test compares them on cells exported by the training script.
/// Steps: 3x3 mean, local paper level by max filter, relative ink threshold, removal of box-border
/// runs near the edges, 8-connected components without specks and edge remnants, bounding box scaled
/// to 20 px by area averaging, pasted into 28x28 with the centre of mass at (14, 14).
enum CellNormalizer {
    static let size = 28
    static let box = 20
    static let minContrast = 32
    static let minThreshold = 24

    /// The network input (row-major 28x28, ink = 1) and the fraction of the cell covered by kept ink.
    static func normalize(_ image: GrayImage) -> (input: [Float], inkFraction: Double) {
        let mask = inkMask(image)
        return (normalizedInput(mask: mask, width: image.width, height: image.height), inkFraction(mask))
    }

    /// The share of a cell's pixels that `mask` marks as ink (0 for an empty cell).
    static func inkFraction(_ mask: [Bool]) -> Double {
        let count = mask.reduce(0) { $0 + ($1 ? 1 : 0) }
        return mask.isEmpty ? 0 : Double(count) / Double(mask.count)
    }

    // MARK: - Ink mask

    /// 3x3 mean with the window clipped at the border, integer `sum / count`.
    static func boxMean3(_ image: GrayImage) -> [Int32] {
        let w = image.width, h = image.height
        var out = [Int32](repeating: 0, count: w * h)
        image.pixels.withUnsafeBufferPointer { p in
            for y in 0..<h {
                let y0 = max(0, y - 1), y1 = min(h - 1, y + 1)
                for x in 0..<w {
                    let x0 = max(0, x - 1), x1 = min(w - 1, x + 1)
                    var s: Int32 = 0
                    for yy in y0...y1 {
                        for xx in x0...x1 { s += Int32(p[yy * w + xx]) }
                    }
                    out[y * w + x] = s / Int32((y1 - y0 + 1) * (x1 - x0 + 1))
                }
            }
        }
        return out
    }

    /// Grey max filter of radius `r`, window clipped at the border (separable).
    static func maxFilter(_ v: [Int32], width w: Int, height h: Int, radius r: Int) -> [Int32] {
        var tmp = [Int32](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var m = Int32.min
                for xx in max(0, x - r)...min(w - 1, x + r) { m = max(m, v[y * w + xx]) }
                tmp[y * w + x] = m
            }
        }
        var out = [Int32](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var m = Int32.min
                for yy in max(0, y - r)...min(h - 1, y + r) { m = max(m, tmp[yy * w + x]) }
                out[y * w + x] = m
            }
        }
        return out
    }

    /// Darkness below the local paper level, and the darkest value inside the edge bands.
    static func darkness(_ image: GrayImage, bandY: Int, bandX: Int) -> (d: [Int32], dmax: Int32) {
        let w = image.width, h = image.height
        let b = boxMean3(image)
        let paper = maxFilter(b, width: w, height: h, radius: max(2, min(w, h) / 6))
        var d = [Int32](repeating: 0, count: w * h)
        for i in 0..<(w * h) { d[i] = paper[i] - b[i] }
        var dmax: Int32 = 0
        if h > 2 * bandY && w > 2 * bandX {
            for y in bandY..<(h - bandY) {
                for x in bandX..<(w - bandX) { dmax = max(dmax, d[y * w + x]) }
            }
        } else {
            dmax = d.max() ?? 0
        }
        return (d, dmax)
    }

    /// Clears runs of ink at least `minLength` long in the given rows (or columns if `vertical`); with
    /// `reachingAnEdge`, only those that reach an end of the line.
    static func clearRuns(_ mask: inout [Bool], width w: Int, height h: Int, lines: [Int], vertical: Bool, minLength: Int,
                          reachingAnEdge: Bool = false) {
        let length = vertical ? h : w
        for line in lines {
            @inline(__always) func index(_ i: Int) -> Int { vertical ? i * w + line : line * w + i }
            var i = 0
            while i < length {
                if mask[index(i)] {
                    let start = i
                    while i < length && mask[index(i)] { i += 1 }
                    let run = i - start
                    if run >= minLength && (!reachingAnEdge || start == 0 || i == length) {
                        for j in start..<i { mask[index(j)] = false }
                    }
                } else {
                    i += 1
                }
            }
        }
    }

    /// The shortest run across a band line `length` long that is a box line: 9/10 of it rounded up, at least 3.
    static func boxLineLength(_ length: Int) -> Int { max(3, (9 * length + 9) / 10) }

    static func bandLines(count n: Int, band: Int) -> [Int] {
        var s = Set<Int>()
        for i in 0..<min(band, n) { s.insert(i) }
        for i in max(0, n - band)..<n { s.insert(i) }
        return s.sorted()
    }

    /// The cleaned ink mask of a cell (steps 1-4 of preprocess.py).
    static func inkMask(_ image: GrayImage) -> [Bool] {
        let w = image.width, h = image.height
        guard w > 0, h > 0 else { return [] }
        let bh = max(4, h / 8 + 1), bw = max(4, w / 8 + 1)
        let (d, dmax) = darkness(image, bandY: bh, bandX: bw)
        guard dmax >= Int32(minContrast) else { return [Bool](repeating: false, count: w * h) }
        let t = max(Int32(minThreshold), (2 * dmax) / 5)
        var mask = d.map { $0 >= t }
        // Box-border remnants (preprocess.is_box_line, v6): runs that reach the cell's edge and span 9/10 of it,
        // at least 3 px. A printed box line that strays into the crop crosses it whole; a run that stops short is
        // a stroke. v5 took any run half the cell long that reached an edge, and wiped the foot of 2s and the bar
        // of 7s written large.
        clearRuns(&mask, width: w, height: h, lines: bandLines(count: h, band: bh), vertical: false,
                  minLength: Self.boxLineLength(w), reachingAnEdge: true)
        clearRuns(&mask, width: w, height: h, lines: bandLines(count: w, band: bw), vertical: true,
                  minLength: Self.boxLineLength(h), reachingAnEdge: true)

        let minArea = max(2, h * w / 500)
        let minSide = max(2, min(h, w) / 8)
        let eh = max(2, h / 6), ew = max(2, w / 6)
        let comps = InkComponent.find(in: mask, width: w, height: h)
        var keep = [Bool](repeating: false, count: w * h)
        for c in comps {
            if c.area < minArea { continue }
            if max(c.maxY - c.minY + 1, c.maxX - c.minX + 1) < minSide { continue }
            if c.maxY < eh || c.minY >= h - eh || c.maxX < ew || c.minX >= w - ew { continue }
            for i in c.pixels { keep[i] = true }
        }
        return keep
    }

    // MARK: - Scaling and centring

    /// (dst x src) weights: the share of destination pixel j covered by source pixel i.
    static func areaWeights(source src: Int, destination dst: Int) -> [Double] {
        let scale = Double(src) / Double(dst)
        var wts = [Double](repeating: 0, count: dst * src)
        for j in 0..<dst {
            let a = Double(j) * scale, b = Double(j + 1) * scale
            let i0 = Int(a.rounded(.down))
            let i1 = min(src - 1, Int(b.rounded(.up)) - 1)
            if i1 < i0 { continue }
            for i in i0...i1 {
                let ov = min(b, Double(i + 1)) - max(a, Double(i))
                if ov > 0 { wts[j * src + i] = ov / scale }
            }
        }
        return wts
    }

    /// Added before rounding the offset that centres the ink (preprocess.py: CENTRE_TIE).
    static let centreTie = 1e-9

    /// Steps 5-6: the 28x28 input from a mask.
    static func normalizedInput(mask: [Bool], width w: Int, height h: Int) -> [Float] {
        var out = [Float](repeating: 0, count: size * size)
        var x0 = Int.max, x1 = -1, y0 = Int.max, y1 = -1
        for y in 0..<h {
            for x in 0..<w where mask[y * w + x] {
                x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
            }
        }
        guard x1 >= 0 else { return out }
        let bw = x1 - x0 + 1, bh = y1 - y0 + 1
        let longest = max(bw, bh)
        let nw = max(1, min(box, Int((Double(bw) * 20.0 / Double(longest) + 0.5).rounded(.down))))
        let nh = max(1, min(box, Int((Double(bh) * 20.0 / Double(longest) + 0.5).rounded(.down))))
        let wy = areaWeights(source: bh, destination: nh)
        let wx = areaWeights(source: bw, destination: nw)
        // tmp = wy @ m  (nh x bw)
        var tmp = [Double](repeating: 0, count: nh * bw)
        for j in 0..<nh {
            for i in 0..<bh {
                let f = wy[j * bh + i]
                if f == 0 { continue }
                let row = (y0 + i) * w + x0
                for x in 0..<bw where mask[row + x] { tmp[j * bw + x] += f }
            }
        }
        // patch = tmp @ wx^T  (nh x nw)
        var patch = [Double](repeating: 0, count: nh * nw)
        var total = 0.0, sumY = 0.0, sumX = 0.0
        for j in 0..<nh {
            for k in 0..<nw {
                var s = 0.0
                for x in 0..<bw { s += tmp[j * bw + x] * wx[k * bw + x] }
                patch[j * nw + k] = s
                total += s
                sumY += s * (Double(j) + 0.5)
                sumX += s * (Double(k) + 0.5)
            }
        }
        guard total > 0 else { return out }
        let cy = sumY / total, cx = sumX / total
        // `centreTie` settles a centre halfway between two pixels the same way here and in numpy, whose sums
        // are ordered otherwise (6.999999999999999 there, 7.0 here, on a golden cell).
        let oy = min(max(Int((14.0 - cy + 0.5 + centreTie).rounded(.down)), 0), size - nh)
        let ox = min(max(Int((14.0 - cx + 0.5 + centreTie).rounded(.down)), 0), size - nw)
        for j in 0..<nh {
            for k in 0..<nw { out[(oy + j) * size + ox + k] = Float(patch[j * nw + k]) }
        }
        return out
    }
}
