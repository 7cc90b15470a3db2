import HattamaCore

/// One 8-connected blob of ink: a digit, a speck, a printed line, a marker.
public struct InkComponent: Sendable, Equatable {
    /// Tight bounding box.
    public var box: PixelRect
    /// Number of ink pixels.
    public var pixelCount: Int
    /// Mean x of the ink pixels.
    public var centroidX: Double
    /// Mean y of the ink pixels.
    public var centroidY: Double

    public init(box: PixelRect, pixelCount: Int, centroidX: Double, centroidY: Double) {
        self.box = box
        self.pixelCount = pixelCount
        self.centroidX = centroidX
        self.centroidY = centroidY
    }
}

extension BitImage {
    /// The 8-connected ink components with at least `minimumPixels` pixels, in scan order of their first pixel.
    public func connectedComponents(minimumPixels: Int = 1) -> [InkComponent] {
        guard width > 0, height > 0 else { return [] }
        var visited = [Bool](repeating: false, count: ink.count)
        var stack: [Int] = []
        var components: [InkComponent] = []
        ink.withUnsafeBufferPointer { ink in
            visited.withUnsafeMutableBufferPointer { visited in
                for start in 0..<ink.count where ink[start] && !visited[start] {
                    visited[start] = true
                    stack.append(start)
                    var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
                    var count = 0, sumX = 0, sumY = 0
                    while let index = stack.popLast() {
                        let y = index / width, x = index - y * width
                        count += 1; sumX += x; sumY += y
                        if x < minX { minX = x }
                        if x > maxX { maxX = x }
                        if y < minY { minY = y }
                        if y > maxY { maxY = y }
                        let ny0 = y > 0 ? y - 1 : y, ny1 = y < height - 1 ? y + 1 : y
                        let nx0 = x > 0 ? x - 1 : x, nx1 = x < width - 1 ? x + 1 : x
                        for ny in ny0...ny1 {
                            let row = ny * width
                            for nx in nx0...nx1 {
                                let neighbour = row + nx
                                if ink[neighbour] && !visited[neighbour] {
                                    visited[neighbour] = true
                                    stack.append(neighbour)
                                }
                            }
                        }
                    }
                    guard count >= minimumPixels else { continue }
                    components.append(InkComponent(
                        box: PixelRect(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1),
                        pixelCount: count, centroidX: Double(sumX) / Double(count), centroidY: Double(sumY) / Double(count)))
                }
            }
        }
        return components
    }
}

extension GrayImage {
    /// The 8-connected components of pixels at or below `inkThreshold` (Otsu's threshold when nil).
    public func connectedComponents(inkThreshold: UInt8? = nil, minimumPixels: Int = 1) -> [InkComponent] {
        binarized(threshold: inkThreshold ?? otsuThreshold()).connectedComponents(minimumPixels: minimumPixels)
    }
}
