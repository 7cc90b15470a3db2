import Foundation
import HattamaCore
@testable import HattamaOCR

/// Test data for the digit classifier tests, read from Fixtures/digits (written by tools/digits/train.py).
enum DigitClassifierFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/digits")

    struct GoldenCase: Decodable {
        var name: String
        var label: String
        var width: Int
        var height: Int
        var pixels: String
        var inkFraction: Double
        var normalized: [Double]
        var probabilities: [Double]

        var image: GrayImage { GrayImage(width: width, height: height, pixels: [UInt8](Data(base64Encoded: pixels)!)) }
    }

    struct Golden: Decodable {
        var classes: [String]
        var cases: [GoldenCase]
    }

    static func golden() throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: directory.appendingPathComponent("golden.json")))
    }

    /// 200 held-out MNIST digits (never used in training) as 28x28 cells with 0 = ink, and their labels.
    static func heldOut() throws -> [(image: GrayImage, label: Int)] {
        let data = try Data(contentsOf: directory.appendingPathComponent("heldout200.bin"))
        let record = 1 + 28 * 28
        return stride(from: 0, to: data.count - record + 1, by: record).map { start in
            let bytes = [UInt8](data[start..<(start + record)])
            return (GrayImage(width: 28, height: 28, pixels: bytes[1...].map { 255 - $0 }), Int(bytes[0]))
        }
    }

    /// A white cell with thick dark strokes between the given points (fractions of the cell size).
    static func strokes(_ segments: [((Double, Double), (Double, Double))], size: Int = 40, width: Double = 3.5) -> GrayImage {
        var img = GrayImage(width: size, height: size)
        let s = Double(size)
        for y in 0..<size {
            for x in 0..<size {
                let px = Double(x) + 0.5, py = Double(y) + 0.5
                for (a, b) in segments {
                    let ax = a.0 * s, ay = a.1 * s, bx = b.0 * s, by = b.1 * s
                    let dx = bx - ax, dy = by - ay
                    let t = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
                    let ex = ax + t * dx - px, ey = ay + t * dy - py
                    if (ex * ex + ey * ey).squareRoot() <= width / 2 { img[x, y] = 30 }
                }
            }
        }
        return img
    }

    /// Places cells side by side on white paper; `overlap` pixels make neighbours touch.
    static func string(of cells: [GrayImage], overlap: Int) -> GrayImage {
        let height = cells.map(\.height).max() ?? 1
        let width = cells.reduce(0) { $0 + $1.width - overlap } + overlap + 8
        var out = GrayImage(width: width, height: height + 8)
        var x0 = 4
        for c in cells {
            for y in 0..<c.height {
                for x in 0..<c.width {
                    let v = c[x, y]
                    if v < out[x0 + x, y + 4] { out[x0 + x, y + 4] = v }
                }
            }
            x0 += c.width - overlap
        }
        return out
    }
}
