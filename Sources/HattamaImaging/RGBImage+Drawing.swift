import HattamaCore

extension RGBImage {
    /// Blends `color` into the pixel at (x, y) using the colour's alpha; outside the image does nothing.
    public mutating func blend(x: Int, y: Int, color: RGBColor) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * 3
        let a = color.alpha
        if a >= 1 {
            bytes[i] = color.red; bytes[i + 1] = color.green; bytes[i + 2] = color.blue
            return
        }
        bytes[i] = UInt8((Double(bytes[i]) * (1 - a) + Double(color.red) * a).rounded())
        bytes[i + 1] = UInt8((Double(bytes[i + 1]) * (1 - a) + Double(color.green) * a).rounded())
        bytes[i + 2] = UInt8((Double(bytes[i + 2]) * (1 - a) + Double(color.blue) * a).rounded())
    }

    /// Fills `rect` (clipped to the image) with `color`, blended by its alpha.
    public mutating func fillRect(_ rect: PixelRect, color: RGBColor) {
        let x0 = max(0, rect.x), y0 = max(0, rect.y)
        let x1 = min(width, rect.x + rect.width), y1 = min(height, rect.y + rect.height)
        guard x1 > x0, y1 > y0 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 { blend(x: x, y: y, color: color) }
        }
    }

    /// Draws the outline of `rect`, `thickness` pixels wide, inside the rectangle.
    public mutating func drawRect(_ rect: PixelRect, color: RGBColor, thickness: Int = 2) {
        let t = max(1, min(thickness, rect.width / 2 + 1, rect.height / 2 + 1))
        fillRect(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: t), color: color)
        fillRect(PixelRect(x: rect.x, y: rect.y + rect.height - t, width: rect.width, height: t), color: color)
        fillRect(PixelRect(x: rect.x, y: rect.y + t, width: t, height: rect.height - 2 * t), color: color)
        fillRect(PixelRect(x: rect.x + rect.width - t, y: rect.y + t, width: t, height: rect.height - 2 * t), color: color)
    }

    /// Draws a straight line between two points with square pen of `thickness` pixels; each pixel is blended once.
    public mutating func drawLine(from start: (x: Double, y: Double), to end: (x: Double, y: Double),
                                  color: RGBColor, thickness: Int = 2) {
        let pen = max(1, thickness)
        let low = -(pen - 1) / 2, high = pen / 2
        var covered = Set<Int>()
        let dx = end.x - start.x, dy = end.y - start.y
        let steps = max(1, Int(max(abs(dx), abs(dy)).rounded(.up)))
        for step in 0...steps {
            let t = Double(step) / Double(steps)
            let cx = Int((start.x + dx * t).rounded()), cy = Int((start.y + dy * t).rounded())
            for oy in low...high {
                for ox in low...high {
                    let x = cx + ox, y = cy + oy
                    guard x >= 0, y >= 0, x < width, y < height else { continue }
                    if covered.insert(y * width + x).inserted { blend(x: x, y: y, color: color) }
                }
            }
        }
    }

    /// Draws a closed polygon through `points` (e.g. a warped template box).
    public mutating func drawPolygon(points: [(x: Double, y: Double)], color: RGBColor, thickness: Int = 2) {
        guard points.count >= 2 else { return }
        for index in points.indices {
            drawLine(from: points[index], to: points[(index + 1) % points.count], color: color, thickness: thickness)
        }
    }
}
