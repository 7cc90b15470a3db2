import HattamaCore
import XCTest

@testable import HattamaOCR

final class DigitClassifierSegmentationTests: XCTestCase {
    /// Three held-out handwritten digits written so close that they touch: three cells come out.
    func testTouchingThreeDigitStringGivesThreeDigits() throws {
        let digits = try DigitClassifierFixtures.heldOut()
        let model = try XCTUnwrap(DigitClassifierTests.shared)
        var found3 = 0, readExactly = 0, touching = 0
        let trials = 30
        for t in 0..<trials {
            let picks = (0..<3).map { digits[(t * 37 + $0 * 71) % digits.count] }
            let field = DigitClassifierFixtures.string(of: picks.map(\.image), overlap: 11)
            let mask = CellNormalizer.inkMask(field)
            if InkComponent.find(in: mask, width: field.width, height: field.height).count < 3 { touching += 1 }
            let cells = InkSegmenter.segmentDigits(in: field)
            if cells.count == 3 { found3 += 1 }
            let read = model.classify(cells).compactMap(\.best.digit)
            if read == picks.map(\.label) { readExactly += 1 }
        }
        XCTAssertGreaterThanOrEqual(touching, trials / 3, "the test strings should mostly touch")
        XCTAssertGreaterThanOrEqual(found3, trials * 8 / 10, "found 3 digits in \(found3) of \(trials)")
        print("segmentation: \(found3)/\(trials) strings cut into 3, \(readExactly)/\(trials) read exactly, \(touching) touching")
    }

    func testBrokenStrokeStaysOneDigitAndRuledLineIsIgnored() {
        // A "5" drawn as two separate strokes, then a "1", on a ruled line.
        var field = GrayImage(width: 90, height: 40)
        for x in 10...26 { for y in 8...10 { field[x, y] = 20 } }  // top bar of the 5
        for y in 13...20 { for x in 10...12 { field[x, y] = 20 } }  // its stem, detached
        for x in 10...24 { for y in 20...22 { field[x, y] = 20 } }
        for y in 20...30 { for x in 24...26 { field[x, y] = 20 } }
        for x in 10...25 { for y in 30...32 { field[x, y] = 20 } }
        for y in 8...32 { for x in 55...57 { field[x, y] = 20 } }  // the 1
        for x in 0..<90 { field[x, 37] = 60 }  // ruled line under the field
        XCTAssertEqual(InkSegmenter.segmentDigits(in: field).count, 2)
    }

    func testEmptyFieldHasNoDigits() {
        XCTAssertTrue(InkSegmenter.segmentDigits(in: GrayImage(width: 120, height: 40, fill: 240)).isEmpty)
    }
}
