/// A rectangle in the reference rendering of a form, in its pixels (origin top-left).
public struct TemplateRect: Sendable, Equatable, Codable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The same rectangle moved down by `dy`.
    public func shifted(dy: Double) -> TemplateRect {
        TemplateRect(x: x, y: y + dy, width: width, height: height)
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var centerX: Double { x + width / 2 }
    public var centerY: Double { y + height / 2 }
}

/// A row of one-digit boxes: the first box's inside, how many, and the step between left edges.
public struct DigitCells: Sendable, Equatable, Codable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public var count: Int
    public var pitch: Double

    /// The inside of each box, left to right.
    public var boxes: [TemplateRect] {
        (0..<count).map { TemplateRect(x: x + Double($0) * pitch, y: y, width: width, height: height) }
    }

    /// The rectangle enclosing every box.
    public var enclosingRect: TemplateRect {
        TemplateRect(x: x, y: y, width: Double(count - 1) * pitch + width, height: height)
    }

    public func shifted(dy: Double) -> DigitCells {
        var copy = self
        copy.y += dy
        return copy
    }
}

/// The page size of a template's reference rendering.
public struct PageGeometry: Sendable, Equatable, Codable {
    public var width: Double
    public var height: Double
    public var dpi: Double?
}

/// A solid dark registration mark: centre and size in reference pixels.
public struct RegistrationMark: Sendable, Equatable, Codable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
}

/// A printed phrase that helps identify the form.
public struct AnchorPhrase: Sendable, Equatable, Codable {
    public var text: String
    public var box: TemplateRect
}

/// What the reader can use to register a photo to the reference rendering.
public struct RegistrationAids: Sendable, Equatable, Codable {
    public var marks: [RegistrationMark]?
    public var table: TemplateRect?
    public var anchors: [AnchorPhrase]?
    /// Printed ruled rectangles whose lines confirm a fit, for forms whose numbers are written in free space:
    /// without them a fit is confirmed by the outlines of the value cells, which such a form does not print.
    public var outlines: [TemplateRect]?

    /// The rectangles whose printed outlines confirm a registration: `outlines` when given, else `cells`.
    public func confirmingRects(valueCells cells: [TemplateRect]) -> [TemplateRect] {
        if let outlines, !outlines.isEmpty { return outlines }
        return cells
    }
}
