import HattamaCore

/// An 8-bit RGB raster in Swift memory, for debug overlays (template boxes drawn on a page).
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Row-major R, G, B bytes, `width * height * 3` of them.
    public var bytes: [UInt8]

    /// Creates an image of one colour.
    public init(width: Int, height: Int, fill: RGBColor = .white) {
        self.width = max(0, width)
        self.height = max(0, height)
        var bytes = [UInt8](repeating: 0, count: self.width * self.height * 3)
        for i in stride(from: 0, to: bytes.count, by: 3) {
            bytes[i] = fill.red; bytes[i + 1] = fill.green; bytes[i + 2] = fill.blue
        }
        self.bytes = bytes
    }

    /// A colour copy of a grey image.
    public init(gray: GrayImage) {
        width = gray.width
        height = gray.height
        var bytes = [UInt8](repeating: 0, count: gray.pixels.count * 3)
        for (i, value) in gray.pixels.enumerated() {
            bytes[3 * i] = value; bytes[3 * i + 1] = value; bytes[3 * i + 2] = value
        }
        self.bytes = bytes
    }

    /// The colour at column `x`, row `y`; outside the image reads as white.
    public subscript(x: Int, y: Int) -> RGBColor {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return .white }
            let i = (y * width + x) * 3
            return RGBColor(red: bytes[i], green: bytes[i + 1], blue: bytes[i + 2])
        }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            let i = (y * width + x) * 3
            bytes[i] = newValue.red; bytes[i + 1] = newValue.green; bytes[i + 2] = newValue.blue
        }
    }
}

/// An RGB colour with an opacity used when drawing (1 = opaque).
public struct RGBColor: Sendable, Equatable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8
    /// Opacity from 0 (invisible) to 1 (opaque), used when blending onto an image.
    public var alpha: Double

    public init(red: UInt8, green: UInt8, blue: UInt8, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = min(1, max(0, alpha))
    }

    /// The same colour with another opacity.
    public func withAlpha(_ alpha: Double) -> RGBColor { RGBColor(red: red, green: green, blue: blue, alpha: alpha) }

    public static let white = RGBColor(red: 255, green: 255, blue: 255)
    public static let black = RGBColor(red: 0, green: 0, blue: 0)
    public static let red = RGBColor(red: 230, green: 30, blue: 30)
    public static let green = RGBColor(red: 20, green: 170, blue: 40)
    public static let blue = RGBColor(red: 30, green: 80, blue: 230)
    public static let orange = RGBColor(red: 245, green: 140, blue: 0)
}
