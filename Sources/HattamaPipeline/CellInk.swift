import HattamaCore

/// How much ink a cell crop holds, measured against its own paper level so that shadows and faint
/// photos are judged alike.
struct CellInk {
    /// Pixels clearly darker than the paper.
    let inkPixels: Int

    /// A crop with fewer ink pixels than this share of its height squared holds no mark: measured against
    /// the height so that one small digit in a wide free cell still counts as ink.
    static let blankShareOfHeightSquared = 0.012

    /// Height of the crop the ink was measured in.
    let height: Int

    /// `darkerShare`: how much darker than the paper, as a share of its level, a pixel must be to count as ink
    /// (at least 40 levels either way).
    init(_ image: GrayImage, darkerShare: Double = 0.35) {
        var histogram = [Int](repeating: 0, count: 256)
        for p in image.pixels { histogram[Int(p)] += 1 }
        let total = image.pixels.count
        var seen = 0, paper = 255
        for level in 0..<256 {
            seen += histogram[level]
            if seen * 10 >= total * 9 { paper = level; break }
        }
        let cut = paper - max(40, Int(Double(paper) * darkerShare))
        let ink = cut > 0 ? histogram[0..<cut].reduce(0, +) : 0
        self.height = image.height
        self.inkPixels = ink
    }

    var isBlank: Bool { Double(inkPixels) < Self.blankShareOfHeightSquared * Double(height * height) }
}

extension GrayImage {
    /// The image with its paper stretched to white and its darkest ink to black.
    func contrastStretched() -> GrayImage {
        var histogram = [Int](repeating: 0, count: 256)
        for p in pixels { histogram[Int(p)] += 1 }
        func percentile(_ q: Double) -> Int {
            let target = Int(Double(pixels.count) * q)
            var seen = 0
            for level in 0..<256 {
                seen += histogram[level]
                if seen > target { return level }
            }
            return 255
        }
        let lo = percentile(0.01), hi = percentile(0.9)
        guard hi - lo > 30 else { return self }
        let range = Double(hi - lo)
        let mapped = pixels.map { p -> UInt8 in
            let v = (Double(Int(p) - lo) / range) * 255
            return UInt8(max(0, min(255, v.rounded())))
        }
        return GrayImage(width: width, height: height, pixels: mapped)
    }

    /// The image cropped to its ink (pixels darker than mid-grey) plus `margin`; nil when there is no ink.
    func croppedToInk(margin: Int) -> GrayImage? {
        var minX = width, minY = height, maxX = -1, maxY = -1
        for y in 0..<height {
            for x in 0..<width where pixels[y * width + x] < 128 {
                minX = Swift.min(minX, x); maxX = Swift.max(maxX, x)
                minY = Swift.min(minY, y); maxY = Swift.max(maxY, y)
            }
        }
        guard maxX >= minX else { return nil }
        return cropped(to: PixelRect(x: minX - margin, y: minY - margin,
                                     width: maxX - minX + 1 + 2 * margin, height: maxY - minY + 1 + 2 * margin))
    }

    /// Images placed side by side on white, separated by `gap` pixels, with a white `margin` around.
    static func strip(_ images: [GrayImage], gap: Int, margin: Int) -> GrayImage {
        let height = (images.map(\.height).max() ?? 1) + 2 * margin
        let width = images.map(\.width).reduce(0, +) + gap * max(0, images.count - 1) + 2 * margin
        var out = GrayImage(width: width, height: height)
        var x0 = margin
        for image in images {
            let y0 = margin + (height - 2 * margin - image.height) / 2
            for y in 0..<image.height {
                for x in 0..<image.width { out[x0 + x, y0 + y] = image[x, y] }
            }
            x0 += image.width + gap
        }
        return out
    }

    /// The (contrast-stretched) image without its left part up to a ruled line standing near its left edge:
    /// the table border a correction beside the digit boxes is written against. A ruled line runs from the
    /// top row to the bottom one (`ruledColumns`); a digit written in the row does not (the 1 of 1770 must
    /// stay). Only the first 40% of the width is searched. The image itself when there is no such line.
    func trimmedPastLeadingRule() -> GrayImage {
        guard let rule = ruledColumns(in: 0..<(width * 2 / 5)).last else { return self }
        let start = rule + 2
        return cropped(to: PixelRect(x: start, y: 0, width: width - start, height: height))
    }

    /// Whether a ruled or printed line runs from the top row to the bottom one anywhere in the (contrast-
    /// stretched) image: the flag's stripes beside the Kenya form's boxes, read as 1s.
    var holdsRuledLine: Bool { !ruledColumns(in: 0..<width).isEmpty }

    /// Columns in `range` dark from the top row to the bottom one: dark in 97% of the rows within some three
    /// neighbouring columns, so that a slightly turned line counts.
    private func ruledColumns(in range: Range<Int>) -> [Int] {
        guard width > 6, height > 6 else { return [] }
        func isDark(_ x: Int, _ y: Int) -> Bool {
            let row = y * width
            return pixels[row + max(0, x - 1)] < 128 || pixels[row + x] < 128 || pixels[row + min(width - 1, x + 1)] < 128
        }
        return range.filter { x in
            isDark(x, 0) && isDark(x, height - 1) && (0..<height).filter { isDark(x, $0) }.count * 100 >= height * 97
        }
    }
}

extension TemplateRect {
    /// The rectangle shrunk by `fraction` of its size on each side (to keep printed box lines out).
    func inset(by fraction: Double) -> TemplateRect {
        let dx = width * fraction, dy = height * fraction
        return TemplateRect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy)
    }
}
