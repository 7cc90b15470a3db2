/// An 8-bit greyscale raster held in Swift memory: 0 is black ink, 255 is white paper.
///
/// Every image stage after decoding works on this value type, so geometry and classification
/// stay pure Swift and testable without C libraries.
public struct GrayImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Row-major pixels, `width * height` of them, no padding.
    public var pixels: [UInt8]

    /// Creates an image from row-major pixels; the count must be `width * height`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height, "GrayImage pixel count must equal width * height")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Creates an image of one colour (white by default).
    public init(width: Int, height: Int, fill: UInt8 = 255) {
        self.init(width: width, height: height, pixels: [UInt8](repeating: fill, count: width * height))
    }

    /// The pixel at column `x`, row `y`; out-of-range coordinates read as white paper.
    @inlinable
    public subscript(x: Int, y: Int) -> UInt8 {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return 255 }
            return pixels[y * width + x]
        }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            pixels[y * width + x] = newValue
        }
    }

    /// Bilinear sample at a fractional position; outside the image reads as white.
    @inlinable
    public func sample(x: Double, y: Double) -> Double {
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let fx = x - Double(x0), fy = y - Double(y0)
        let a = Double(self[x0, y0]), b = Double(self[x0 + 1, y0])
        let c = Double(self[x0, y0 + 1]), d = Double(self[x0 + 1, y0 + 1])
        return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy
    }

    /// The sub-image inside `rect`, clipped to the image bounds.
    public func cropped(to rect: PixelRect) -> GrayImage {
        let x0 = max(0, rect.x), y0 = max(0, rect.y)
        let x1 = min(width, rect.x + rect.width), y1 = min(height, rect.y + rect.height)
        guard x1 > x0, y1 > y0 else { return GrayImage(width: 1, height: 1) }
        var out = [UInt8]()
        out.reserveCapacity((x1 - x0) * (y1 - y0))
        for y in y0..<y1 {
            out.append(contentsOf: pixels[(y * width + x0)..<(y * width + x1)])
        }
        return GrayImage(width: x1 - x0, height: y1 - y0, pixels: out)
    }
}

/// An axis-aligned rectangle in whole pixels.
public struct PixelRect: Sendable, Equatable, Hashable, Codable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}
