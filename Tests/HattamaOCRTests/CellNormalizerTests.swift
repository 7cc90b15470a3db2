import HattamaCore
import XCTest

@testable import HattamaOCR

/// What the cell normalisation keeps of a digit written close to its printed box, and what it clears.
final class CellNormalizerTests: XCTestCase {
    /// A 2 written large into its box: its foot lies in the bottom band of the crop, where box lines are
    /// cleared. Without its foot the network reads a 7, which is what v4 did with a third of such 2s.
    static let twoWithFootInTheBottomBand = DigitClassifierFixtures.strokes([
        ((0.3, 0.3), (0.5, 0.12)), ((0.5, 0.12), (0.7, 0.3)), ((0.7, 0.3), (0.25, 0.93)), ((0.25, 0.93), (0.78, 0.93)),
    ], size: 56, width: 4)

    func testFootOfADigitInsideTheCellIsKept() {
        let cell = Self.twoWithFootInTheBottomBand
        let mask = CellNormalizer.inkMask(cell)
        XCTAssertGreaterThan(inkInRows(mask, width: cell.width, rows: 50..<54), 40, "the foot of the 2 was cleared as a box line")
    }

    func testBoxLineAcrossTheCellIsCleared() {
        var cell = Self.twoWithFootInTheBottomBand
        for x in 0..<cell.width {  // the printed box line, 2 px thick, across the whole crop near the top
            cell[x, 1] = 20
            cell[x, 2] = 20
        }
        for y in 8..<cell.height { cell[cell.width - 2, y] = 20 }  // and the box's right side, reaching the bottom
        let mask = CellNormalizer.inkMask(cell)
        XCTAssertEqual(inkInRows(mask, width: cell.width, rows: 0..<4), 0, "the top box line was kept")
        XCTAssertEqual((0..<cell.height).filter { mask[$0 * cell.width + cell.width - 2] }.count, 0, "the side line was kept")
        XCTAssertGreaterThan(inkInRows(mask, width: cell.width, rows: 50..<54), 40, "the foot of the 2 went with the box line")
    }

    /// A 2 and a 7 written wider than the crop: the foot of the 2 runs out through the right edge and the bar
    /// of the 7 through the left one, as many do when a digit is written up to its box. v5 cleared both as box
    /// lines (any half-cell run reaching an edge); a box line crosses the whole crop, and these stop short.
    func testStrokesReachingOneEdgeOfTheCropAreKept() {
        let two = DigitClassifierFixtures.strokes([
            ((0.3, 0.3), (0.5, 0.12)), ((0.5, 0.12), (0.7, 0.3)), ((0.7, 0.3), (0.25, 0.93)), ((0.25, 0.93), (1.0, 0.93)),
        ], size: 56, width: 4)
        XCTAssertGreaterThan(inkInRows(CellNormalizer.inkMask(two), width: two.width, rows: 50..<54), 60,
                             "the foot of the 2 was cleared as a box line")
        let seven = DigitClassifierFixtures.strokes([((0.0, 0.07), (0.75, 0.07)), ((0.75, 0.07), (0.4, 0.9))], size: 56, width: 4)
        XCTAssertGreaterThan(inkInRows(CellNormalizer.inkMask(seven), width: seven.width, rows: 2..<6), 60,
                             "the bar of the 7 was cleared as a box line")
    }

    private func inkInRows(_ mask: [Bool], width: Int, rows: Range<Int>) -> Int {
        rows.reduce(0) { sum, y in sum + (0..<width).filter { mask[y * width + $0] }.count }
    }
}
