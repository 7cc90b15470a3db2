import Foundation
import HattamaImaging
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
            let cells = InkSegmenter.segmentDigits(in: field, judgedBy: model)
            if cells.count == 3 { found3 += 1 }
            let read = model.classify(cells).compactMap(\.best.digit)
            if read == picks.map(\.label) { readExactly += 1 }
        }
        XCTAssertGreaterThanOrEqual(touching, trials / 3, "the test strings should mostly touch")
        XCTAssertGreaterThanOrEqual(found3, trials * 8 / 10, "found 3 digits in \(found3) of \(trials)")
        print("segmentation: \(found3)/\(trials) strings cut into 3, \(readExactly)/\(trials) read exactly, \(touching) touching")
    }

    /// Held-out 0s and 7s written broad (ink 1.4 times as wide as tall): the plain cut makes two digits of
    /// most of them, the classifier keeps them whole and reads them.
    func testBroadDigitStaysOneDigitWhenTheClassifierJudges() throws {
        let model = try XCTUnwrap(DigitClassifierTests.shared)
        let broad = try DigitClassifierFixtures.heldOut().filter { [0, 7].contains($0.label) }.map {
            (image: DigitClassifierFixtures.string(of: [Self.widened($0.image, toAspect: 1.4)], overlap: 0), label: $0.label)
        }
        XCTAssertGreaterThanOrEqual(broad.count, 30)
        let cut = broad.filter { InkSegmenter.segmentDigits(in: $0.image).count > 1 }.count
        let judged = broad.map { InkSegmenter.segmentDigits(in: $0.image, judgedBy: model) }
        let whole = judged.filter { $0.count == 1 }.count
        let read = zip(judged, broad).filter { cells, digit in model.classify(cells).map(\.best.digit) == [digit.label] }.count
        XCTAssertGreaterThanOrEqual(cut * 10, broad.count * 8, "the plain cut split \(cut) of \(broad.count)")
        XCTAssertGreaterThanOrEqual(whole * 10, broad.count * 9, "kept whole \(whole) of \(broad.count)")
        XCTAssertGreaterThanOrEqual(read * 10, broad.count * 8, "read \(read) of \(broad.count)")
        print("broad 0s and 7s: \(cut)/\(broad.count) cut in two plainly, \(whole) kept whole and \(read) read when judged")
    }

    /// `cell` stretched sideways so that its ink is `aspect` times as wide as tall.
    static func widened(_ cell: GrayImage, toAspect aspect: Double) -> GrayImage {
        let mask = CellNormalizer.inkMask(cell)
        let inked = (0..<cell.width).filter { x in (0..<cell.height).contains { mask[$0 * cell.width + x] } }
        let rows = (0..<cell.height).filter { y in (0..<cell.width).contains { mask[y * cell.width + $0] } }
        let inkWidth = Double((inked.last ?? 0) - (inked.first ?? 0) + 1)
        let inkHeight = Double((rows.last ?? 0) - (rows.first ?? 0) + 1)
        let factor = max(1, aspect * inkHeight / inkWidth)
        var out = GrayImage(width: Int((Double(cell.width) * factor).rounded()), height: cell.height)
        for y in 0..<out.height {
            for x in 0..<out.width { out[x, y] = cell[min(cell.width - 1, Int(Double(x) / factor)), y] }
        }
        return out
    }

    /// Dashes padding a free-hand number ("- - 7", as the Colombia E-14 pads its counts): each dash is one
    /// piece read as a dash, and the digit after them one piece read as itself. Sized by the dashes, which are
    /// wider than they are tall, the dashes were cut as touching digits and read as digits.
    func testDashPaddedFreeHandNumberGivesDashesAndTheDigit() throws {
        let model = try XCTUnwrap(DigitClassifierTests.shared)
        let dash = DigitClassifierFixtures.strokes([((0.15, 0.5), (0.85, 0.48))], size: 28, width: 3)
        let digits = try DigitClassifierFixtures.heldOut().prefix(30)
        var padded = 0, readExactly = 0
        for digit in digits {
            let field = DigitClassifierFixtures.string(of: [dash, dash, digit.image], overlap: -6)
            let cells = InkSegmenter.segmentDigits(in: field, judgedBy: model)
            if cells.count == 3 { padded += 1 }
            if model.classify(cells).map(\.best) == [.dash, .dash, DigitClass(rawValue: String(digit.label))] { readExactly += 1 }
        }
        XCTAssertEqual(padded, digits.count, "dash-padded numbers cut into dash, dash, digit")
        XCTAssertGreaterThanOrEqual(readExactly * 10, digits.count * 8, "read \(readExactly) of \(digits.count)")
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

/// Printed digits are narrower than handwritten ones: a group cut where a handwritten digit's width says is
/// tried with one piece more.
final class PrintedJoinedDigitsTests: XCTestCase {
    /// printed800's a4 0141: the pipeline's own crop of a printed "340", whose 3, 4 and 0
    /// are joined by grey columns into one group. Cut in two, it read as 40, as Tesseract read it too.
    func testAPrintedNumberWhoseDigitsJoinIsCutIntoAsManyDigitsAsItHas() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/segmentation/printed-340-joined.png")
        let crop = try ImageDecoder.decodeFirstPage(at: url).image
        let model = try XCTUnwrap(DigitClassifierTests.shared)
        XCTAssertEqual(InkSegmenter.segmentDigits(in: crop).count, 2, "the plain cut makes two pieces of three digits")
        let segmentation = InkSegmenter.segment(crop, judgedBy: model)
        let read = model.classify(segmentation.pieces)
        XCTAssertEqual(read.compactMap(\.best.digit), [3, 4, 0])
        XCTAssertTrue(read.allSatisfy { $0.confidence >= 0.9 }, "\(read.map(\.confidence))")
        XCTAssertEqual(segmentation.keptWhole, 1, "the digit count is marked as the segmenter's judgement")
    }
}
