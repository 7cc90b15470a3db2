import Foundation

/// The two second looks `DigitClassifier` takes at a cell it is not sure of, as tools/digits/variants.py
/// takes them: the network input turned by `rotationDegrees` about its centre, and the input of the ink
/// mask grown by one pixel. The three readings' logits are averaged before calibration.
///
/// On the boxed cells of two generated corpora (held-out digits) the three looks together misread 133 and
/// 130 digits where the plain input misread 150 and 145, and 5 and 6 at p >= 0.99 instead of 11 and 12
/// (docs/digit-model.md, "Second looks").
enum ReadingVariants {
    /// A cell read at this calibrated probability or more on the plain input is not looked at again.
    static let gate = 0.999
    static let rotationDegrees = 8.0

    /// `input` (row-major, `CellNormalizer.size` square) turned about its centre:
    /// out(p) = input(c + R(-degrees)(p - c)), bilinear, 0 outside.
    static func rotated(_ input: [Float], degrees: Double) -> [Float] {
        let n = CellNormalizer.size
        let c = Double(n - 1) / 2
        let a = degrees * Double.pi / 180
        let ca = cos(a), sa = sin(a)
        func at(_ y: Int, _ x: Int) -> Double {
            y >= 0 && y < n && x >= 0 && x < n ? Double(input[y * n + x]) : 0
        }
        var out = [Float](repeating: 0, count: n * n)
        for y in 0..<n {
            for x in 0..<n {
                let dy = Double(y) - c, dx = Double(x) - c
                let sy = c + ca * dy - sa * dx
                let sx = c + sa * dy + ca * dx
                let y0 = Int(sy.rounded(.down)), x0 = Int(sx.rounded(.down))
                let fy = sy - Double(y0), fx = sx - Double(x0)
                let top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx
                let bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx
                out[y * n + x] = Float(top * (1 - fy) + bottom * fy)
            }
        }
        return out
    }

    /// The mask grown by one pixel to each 4-neighbour (scipy's binary_dilation with its default cross).
    static func grown(_ mask: [Bool], width w: Int, height h: Int) -> [Bool] {
        var out = mask
        for y in 0..<h {
            for x in 0..<w where mask[y * w + x] {
                if x > 0 { out[y * w + x - 1] = true }
                if x + 1 < w { out[y * w + x + 1] = true }
                if y > 0 { out[(y - 1) * w + x] = true }
                if y + 1 < h { out[(y + 1) * w + x] = true }
            }
        }
        return out
    }
}
