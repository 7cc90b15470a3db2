import HattamaCore

/// A solid dark blob that may be one of a form's registration marks, in full-resolution image pixels.
public struct MarkCandidate: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    /// Ink pixels over bounding-box area: 1 for an upright filled square.
    public var solidity: Double

    public var area: Double { width * height }
}

/// Finds solid dark blobs (corner marks, bars) on a page.
public enum MarkDetector {
    /// Solid blobs, largest first, at most `limit` of them. Works on a reduced copy for speed and refines
    /// each centre on the full-resolution image.
    public static func candidates(in image: GrayImage, limit: Int = 40) -> [MarkCandidate] {
        let longSide = max(image.width, image.height)
        let factor = max(1, longSide / 1000)
        // Divide out uneven light first, so a mark in a dark corner of a photo stands out as much as one
        // in the bright middle; then ink is anything under half the local paper brightness.
        let small = image.downscaled(by: factor).illuminationNormalized(block: 40)
        let threshold: UInt8 = 128
        let components = small.connectedComponents(inkThreshold: threshold, minimumPixels: 9)
        let smallArea = Double(small.width * small.height)
        var found: [MarkCandidate] = []
        for component in components {
            let w = Double(component.box.width), h = Double(component.box.height)
            let solidity = Double(component.pixelCount) / (w * h)
            guard w >= 3, h >= 3, solidity >= 0.6, w / h < 6, h / w < 6, w * h < smallArea * 0.02,
                  isOnPaper(component.box, in: small) else { continue }
            let refined = refine(component.box, factor: factor, in: image)
            found.append(MarkCandidate(x: refined.x, y: refined.y, width: w * Double(factor), height: h * Double(factor),
                                       solidity: solidity))
        }
        return Array(found.sorted { $0.area > $1.area }.prefix(limit))
    }

    /// Whether the blob stands on paper: a printed mark has a margin of bright paper around it, while grain
    /// of a desk or a shadow's edge has more dark texture beside it.
    static func isOnPaper(_ box: PixelRect, in image: GrayImage) -> Bool {
        let margin = max(2, max(box.width, box.height) / 2)
        // Clipped at the image edge: a tight scan may cut a mark's margin off.
        let x0 = max(0, box.x - margin), y0 = max(0, box.y - margin)
        let x1 = min(image.width, box.x + box.width + margin), y1 = min(image.height, box.y + box.height + margin)
        var ring = 0, bright = 0
        let paperLevel = 200  // on the illumination-normalised image, paper is near 255
        for y in y0..<y1 {
            for x in x0..<x1 {
                let inside = x >= box.x - 1 && x <= box.x + box.width && y >= box.y - 1 && y <= box.y + box.height
                guard !inside else { continue }
                ring += 1
                if Int(image.pixels[y * image.width + x]) >= paperLevel { bright += 1 }
            }
        }
        return ring > 0 && Double(bright) / Double(ring) > 0.85
    }

    /// The centre of the dark pixels of a blob, measured on the full-resolution image.
    static func refine(_ box: PixelRect, factor: Int, in image: GrayImage) -> (x: Double, y: Double) {
        let x0 = max(0, (box.x - 1) * factor), y0 = max(0, (box.y - 1) * factor)
        let x1 = min(image.width, (box.x + box.width + 1) * factor), y1 = min(image.height, (box.y + box.height + 1) * factor)
        var lo = 255, hi = 0
        for y in y0..<y1 {
            for x in x0..<x1 {
                let v = Int(image.pixels[y * image.width + x])
                lo = min(lo, v); hi = max(hi, v)
            }
        }
        let threshold = (lo + hi) / 2
        var sx = 0.0, sy = 0.0, n = 0.0
        for y in y0..<y1 {
            for x in x0..<x1 where Int(image.pixels[y * image.width + x]) < threshold {
                sx += Double(x); sy += Double(y); n += 1
            }
        }
        guard n > 0 else {
            return (Double(box.x * factor) + Double(box.width * factor) / 2, Double(box.y * factor) + Double(box.height * factor) / 2)
        }
        return (sx / n + 0.5, sy / n + 0.5)
    }
}

extension GrayImage {
    /// The image divided by a smooth estimate of its paper brightness (the 90th percentile of each
    /// `block` x `block` tile, interpolated), so paper becomes white whatever the lighting.
    public func illuminationNormalized(block: Int) -> GrayImage {
        let columns = (width + block - 1) / block, rows = (height + block - 1) / block
        var levels = [Double](repeating: 255, count: columns * rows)
        var histogram = [Int](repeating: 0, count: 256)
        for row in 0..<rows {
            for column in 0..<columns {
                for i in 0..<256 { histogram[i] = 0 }
                let x0 = column * block, y0 = row * block
                let x1 = Swift.min(width, x0 + block), y1 = Swift.min(height, y0 + block)
                for y in y0..<y1 { for x in x0..<x1 { histogram[Int(pixels[y * width + x])] += 1 } }
                let target = (x1 - x0) * (y1 - y0) * 9 / 10
                var seen = 0
                for level in 0..<256 {
                    seen += histogram[level]
                    if seen >= target { levels[row * columns + column] = Double(Swift.max(level, 16)); break }
                }
            }
        }
        var out = [UInt8](repeating: 255, count: width * height)
        for y in 0..<height {
            let fy = Swift.max(0, Swift.min(Double(rows - 1), (Double(y) + 0.5) / Double(block) - 0.5))
            let r0 = Int(fy), r1 = Swift.min(rows - 1, r0 + 1), ty = fy - Double(r0)
            for x in 0..<width {
                let fx = Swift.max(0, Swift.min(Double(columns - 1), (Double(x) + 0.5) / Double(block) - 0.5))
                let c0 = Int(fx), c1 = Swift.min(columns - 1, c0 + 1), tx = fx - Double(c0)
                let top = levels[r0 * columns + c0] * (1 - tx) + levels[r0 * columns + c1] * tx
                let bottom = levels[r1 * columns + c0] * (1 - tx) + levels[r1 * columns + c1] * tx
                let paper = top * (1 - ty) + bottom * ty
                out[y * width + x] = UInt8(Swift.min(255, Double(pixels[y * width + x]) / paper * 255))
            }
        }
        return GrayImage(width: width, height: height, pixels: out)
    }
}
