import Foundation
import HattamaCore
import HattamaImaging
import HattamaOCR
import XCTest

final class TesseractEngineTests: XCTestCase {
    private static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tesseract")
    }

    func testReadsPrintedDigitsExactlyWithConfidenceAlternativesAndBoxes() throws {
        let engine = try TesseractEngine()
        for number in ["1304", "72915", "8"] {
            let crop = try Self.fixture("digits-\(number)-dejavu.png")
            let reading = engine.readDigits(crop)
            XCTAssertEqual(reading.text, number)
            XCTAssertEqual(reading.symbols.map(\.text).joined(), number)
            XCTAssertEqual(reading.wordCount, 1)
            XCTAssertGreaterThan(reading.minWordConfidence, 0.5)
            for symbol in reading.symbols {
                XCTAssertGreaterThan(symbol.confidence, 0.5)
                XCTAssertEqual(symbol.alternatives.first?.text, symbol.text)
                XCTAssertGreaterThan(symbol.box.width, 0)
                XCTAssertTrue(PixelRect(x: 0, y: 0, width: crop.width, height: crop.height).contains(symbol.box))
            }
            XCTAssertEqual(reading.symbols.map(\.box.x), reading.symbols.map(\.box.x).sorted(), "left to right")
        }
    }

    func testBlankCropReadsNothingWithoutCrashing() throws {
        let engine = try TesseractEngine()
        let blank = GrayImage(width: 120, height: 40)
        for mode in PageSegMode.allCases {
            let reading = engine.readDigits(blank, pageSegMode: mode)
            XCTAssertEqual(reading, .empty, "\(mode)")
        }
        XCTAssertEqual(engine.readDigits(GrayImage(width: 1, height: 1)), .empty)
        XCTAssertEqual(engine.readText(blank), .empty)
    }

    func testFieldsReadFromOnePageByRectangle() throws {
        let engine = try TesseractEngine()
        var page = GrayImage(width: 600, height: 300)
        let first = try Self.fixture("digits-2046-dejavu.png"), second = try Self.fixture("digits-517-dejavu.png")
        page.paste(first, x: 40, y: 30)
        page.paste(second, x: 300, y: 200)
        XCTAssertTrue(engine.setPage(page))
        let a = engine.readDigits(in: PixelRect(x: 40, y: 30, width: first.width, height: first.height))
        let b = engine.readDigits(in: PixelRect(x: 300, y: 200, width: second.width, height: second.height))
        XCTAssertEqual(a.text, "2046")
        XCTAssertEqual(b.text, "517")
        XCTAssertGreaterThanOrEqual(b.symbols.first?.box.x ?? 0, 300, "boxes are in page coordinates")
    }

    func testReadTextReadsWords() throws {
        let engine = try TesseractEngine()
        let line = try Self.fixture("line-total-dejavu.png")
        let reading = engine.readText(line, pageSegMode: .singleLine)
        XCTAssertEqual(reading.text, "TOTAL 1304 VOTES")
        XCTAssertEqual(reading.wordCount, 3)
    }

    func testMissingLanguageSaysWhichPackageToInstall() {
        XCTAssertThrowsError(try TesseractEngine(languages: "xyz")) { error in
            XCTAssertEqual(error as? OCRError, .languageNotInstalled(languages: "xyz", dataPath: nil))
            XCTAssertTrue("\(error)".contains("apt-get install tesseract-ocr-xyz"))
        }
    }

    static func fixture(_ name: String) throws -> GrayImage {
        try ImageDecoder.decodeFirstPage(at: fixtures.appendingPathComponent(name)).image
    }
}

private extension PixelRect {
    func contains(_ other: PixelRect) -> Bool {
        other.x >= x && other.y >= y && other.x + other.width <= x + width && other.y + other.height <= y + height
    }
}

private extension GrayImage {
    mutating func paste(_ image: GrayImage, x: Int, y: Int) {
        for row in 0..<image.height { for column in 0..<image.width { self[x + column, y + row] = image[column, row] } }
    }
}
