import HattamaCore
import XCTest

/// Crops of fields on quarter-turned photos come out upright, as the field is printed on the page.
final class FieldCropTests: XCTestCase {
    /// A 60 x 20 "field" whose ink is an L in its left part: a long bar along the top and a foot down the left.
    static func fieldPicture() -> GrayImage {
        var field = GrayImage(width: 60, height: 20)
        for x in 2..<40 { field[x, 2] = 0 }
        for y in 2..<18 { field[2, y] = 0 }
        return field
    }

    /// A white page with the field pasted at (x, y).
    static func page(with field: GrayImage, at x: Int, _ y: Int) -> GrayImage {
        var page = GrayImage(width: 300, height: 200)
        for fy in 0..<field.height {
            for fx in 0..<field.width { page[x + fx, y + fy] = field[fx, fy] }
        }
        return page
    }

    func testQuarterTurnsAreUndone() {
        let field = Self.fieldPicture()
        let upright = Self.page(with: field, at: 100, 50)
        let box = ImageBox(x: 100, y: 50, width: 60, height: 20)
        let expected = FieldCrop.upright(from: upright, box: box, quarterTurns: 0)
        XCTAssertEqual(expected.width, 60 + 2 * 4)
        XCTAssertEqual(expected[4 + 2, 4 + 2], 0, "the corner of the L, top left")

        for turns in 1...3 {
            // The photo shows the page turned `turns` quarter turns clockwise; the box is where the field lies in it.
            let photo = upright.rotatedCounterClockwise(quarterTurns: -turns)
            let turnedBox = Self.box(box, turnedClockwise: turns, in: upright)
            let crop = FieldCrop.upright(from: photo, box: turnedBox, quarterTurns: turns)
            XCTAssertEqual(crop, expected, "\(turns) quarter turns")
        }
    }

    func testRotationIsAQuarterTurnCounterClockwise() {
        // 3 x 2: a b c / d e f  turned counter-clockwise is  c f / b e / a d
        let image = GrayImage(width: 3, height: 2, pixels: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(image.rotatedCounterClockwise(quarterTurns: 1), GrayImage(width: 2, height: 3, pixels: [3, 6, 2, 5, 1, 4]))
        XCTAssertEqual(image.rotatedCounterClockwise(quarterTurns: 3), GrayImage(width: 2, height: 3, pixels: [4, 1, 5, 2, 6, 3]))
        XCTAssertEqual(image.rotatedCounterClockwise(quarterTurns: 2), GrayImage(width: 3, height: 2, pixels: [6, 5, 4, 3, 2, 1]))
        XCTAssertEqual(image.rotatedCounterClockwise(quarterTurns: 4), image)
        XCTAssertEqual(image.rotatedCounterClockwise(quarterTurns: -1), image.rotatedCounterClockwise(quarterTurns: 3))
    }

    /// Where `box` of an upright page lies once the page is turned clockwise by `turns` quarter turns.
    static func box(_ box: ImageBox, turnedClockwise turns: Int, in page: GrayImage) -> ImageBox {
        var b = box
        var (w, h) = (page.width, page.height)
        for _ in 0..<turns {
            // Clockwise: (x, y) -> (h - 1 - y, x); a box's left edge comes from its bottom edge.
            b = ImageBox(x: h - (b.y + b.height), y: b.x, width: b.height, height: b.width)
            (w, h) = (h, w)
        }
        return b
    }
}
