import HattamaCore

/// A binary raster: `true` is ink. Row-major, `width * height` values.
public struct BitImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Row-major ink flags.
    public var ink: [Bool]

    /// Creates a binary image from row-major ink flags; the count must be `width * height`.
    public init(width: Int, height: Int, ink: [Bool]) {
        precondition(ink.count == width * height, "BitImage ink count must equal width * height")
        self.width = width
        self.height = height
        self.ink = ink
    }

    /// Whether (x, y) is ink; outside the image is paper.
    @inlinable
    public subscript(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < width, y < height else { return false }
        return ink[y * width + x]
    }

    /// Number of ink pixels.
    public var inkCount: Int { ink.reduce(0) { $0 + ($1 ? 1 : 0) } }
}

extension GrayImage {
    /// Ink where a pixel is darker than or equal to `threshold` (0 black, 255 white).
    public func binarized(threshold: UInt8) -> BitImage {
        BitImage(width: width, height: height, ink: pixels.map { $0 <= threshold })
    }

    /// Otsu's global threshold: the grey level that best separates ink from paper (ink is `<=` it).
    public func otsuThreshold() -> UInt8 {
        var histogram = [Int](repeating: 0, count: 256)
        for value in pixels { histogram[Int(value)] += 1 }
        let total = Double(pixels.count)
        guard total > 0 else { return 127 }
        var sumAll = 0.0
        for level in 0..<256 { sumAll += Double(level * histogram[level]) }
        var sumBelow = 0.0, countBelow = 0.0
        var best = 0.0, bestLevel = 127
        for level in 0..<256 {
            countBelow += Double(histogram[level])
            if countBelow == 0 { continue }
            let countAbove = total - countBelow
            if countAbove == 0 { break }
            sumBelow += Double(level * histogram[level])
            let meanBelow = sumBelow / countBelow
            let meanAbove = (sumAll - sumBelow) / countAbove
            let between = countBelow * countAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove)
            if between > best { best = between; bestLevel = level }
        }
        return UInt8(bestLevel)
    }

    /// A smaller copy: each output pixel is the mean of a `factor` x `factor` block (partial blocks at the edges).
    public func downscaled(by factor: Int) -> GrayImage {
        guard factor > 1 else { return self }
        let outWidth = (width + factor - 1) / factor, outHeight = (height + factor - 1) / factor
        guard outWidth > 0, outHeight > 0 else { return self }
        var sums = [UInt32](repeating: 0, count: outWidth)
        var out = [UInt8](repeating: 255, count: outWidth * outHeight)
        pixels.withUnsafeBufferPointer { source in
            for outY in 0..<outHeight {
                for i in 0..<outWidth { sums[i] = 0 }
                let y0 = outY * factor, y1 = Swift.min(height, y0 + factor)
                for y in y0..<y1 {
                    let row = y * width
                    var x = 0
                    for outX in 0..<outWidth {
                        let end = Swift.min(width, x + factor)
                        var sum: UInt32 = 0
                        while x < end { sum &+= UInt32(source[row + x]); x += 1 }
                        sums[outX] &+= sum
                    }
                }
                let rows = y1 - y0
                for outX in 0..<outWidth {
                    let columns = Swift.min(width, (outX + 1) * factor) - outX * factor
                    let count = UInt32(rows * columns)
                    out[outY * outWidth + outX] = UInt8((sums[outX] + count / 2) / count)
                }
            }
        }
        return GrayImage(width: outWidth, height: outHeight, pixels: out)
    }
}
