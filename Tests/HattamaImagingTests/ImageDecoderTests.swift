import Foundation
import HattamaCore
import HattamaImaging
import XCTest

final class ImageDecoderTests: XCTestCase {
    private var files: TestFiles!

    override func setUpWithError() throws { files = try TestFiles() }
    override func tearDown() { files.remove() }

    func testPNGRoundTripKeepsEveryPixelInPlace() throws {
        let pattern = TestFiles.pattern()
        let url = files.url("pattern.png")
        try ImageWriter.writePNG(pattern, to: url)
        let pages = try ImageDecoder.decodePages(at: url)
        XCTAssertEqual(pages.count, 1)
        XCTAssertEqual(pages[0].page, 1)
        XCTAssertEqual(pages[0].sourceWidth, 37)
        XCTAssertEqual(pages[0].sourceHeight, 23)
        XCTAssertEqual(pages[0].image, pattern, "pixel order must survive Leptonica's word-packed bytes")
        XCTAssertEqual(pages[0].image[36, 0], 255)
        XCTAssertEqual(pages[0].image[0, 22], 200)
    }

    func testJPEGDecodesCloseToTheOriginal() throws {
        var image = GrayImage(width: 64, height: 48)
        image.pixels.replaceSubrange(0..<(64 * 8), with: repeatElement(0, count: 64 * 8))  // black band on top
        let url = files.url("band.jpg")
        try ImageWriter.writeJPEG(image, to: url, quality: 95)
        let page = try ImageDecoder.decodeFirstPage(at: url)
        XCTAssertEqual(page.image.width, 64)
        XCTAssertEqual(page.image.height, 48)
        XCTAssertLessThan(page.image[10, 2], 30, "top band stays black")
        XCTAssertGreaterThan(page.image[10, 40], 225, "bottom stays white")
    }

    func testColourImageIsConvertedToGrey() throws {
        var colour = RGBImage(width: 20, height: 10, fill: .white)
        colour.fillRect(PixelRect(x: 0, y: 0, width: 10, height: 10), color: .black)
        let url = files.url("colour.png")
        try ImageWriter.writePNG(colour, to: url)
        let page = try ImageDecoder.decodeFirstPage(at: url)
        XCTAssertEqual(page.image[2, 5], 0)
        XCTAssertEqual(page.image[15, 5], 255)
    }

    func testMultiPageTIFFGivesEveryPage() throws {
        let first = TestFiles.pattern(width: 30, height: 20)
        let second = GrayImage(width: 12, height: 40, fill: 10)
        let url = files.url("two.tif")
        try ImageWriter.writeTIFF(pages: [first, second], to: url)
        let pages = try ImageDecoder.decodePages(at: url)
        XCTAssertEqual(pages.map(\.page), [1, 2])
        XCTAssertEqual(pages[0].image, first)
        XCTAssertEqual(pages[1].image, second)
    }

    func testTwoPagePDFIsRenderedAt300DotsPerInch() throws {
        var first = GrayImage(width: 100, height: 50)   // 1 x 0.5 inch at 100 dpi
        first[1, 1] = 0
        let second = GrayImage(width: 50, height: 100, fill: 0)
        let url = try files.pdf(pages: [first, second])
        let pages = try ImageDecoder.decodePages(at: url)
        XCTAssertEqual(pages.map(\.page), [1, 2])
        XCTAssertEqual(pages[0].image.width, 300, accuracy: 2)
        XCTAssertEqual(pages[0].image.height, 150, accuracy: 2)
        XCTAssertEqual(pages[1].image.width, 150, accuracy: 2)
        XCTAssertLessThan(pages[1].image[75, 150], 20, "second page is black")
        XCTAssertGreaterThan(pages[0].image[150, 75], 235, "first page is white")
    }

    func testOversizedPDFPageIsRefusedBeforeRendering() throws {
        let url = try files.pdf(pages: [GrayImage(width: 100, height: 100)], dotsPerInch: 1)  // 100 x 100 inches
        XCTAssertThrowsError(try ImageDecoder.decodePages(at: url)) { error in
            guard case .tooLarge = error as? ImagingError else { return XCTFail("\(error)") }
        }
    }

    func testMissingFile() {
        let url = files.url("nothing-here.png")
        XCTAssertThrowsError(try ImageDecoder.decodePages(at: url)) { error in
            XCTAssertEqual(error as? ImagingError, .fileNotFound(path: url.path))
        }
    }

    func testZeroByteFileIsEmpty() throws {
        let url = files.url("empty.jpg")
        try Data().write(to: url)
        XCTAssertThrowsError(try ImageDecoder.decodePages(at: url)) { error in
            XCTAssertEqual(error as? ImagingError, .emptyFile(path: url.path))
            XCTAssertTrue("\(error)".contains("empty"))
        }
    }

    func testTextFileIsNotAnImage() throws {
        let url = files.url("notes.png")
        try Data("these are not pixels\n".utf8).write(to: url)
        XCTAssertThrowsError(try ImageDecoder.decodePages(at: url)) { error in
            guard case .notAnImage(_, let hint) = error as? ImagingError else { return XCTFail("\(error)") }
            XCTAssertTrue(hint.contains("text"), hint)
        }
    }

    func testTruncatedJPEGIsReportedNotPaddedAndNeverCrashes() throws {
        let url = files.url("whole.jpg")
        try ImageWriter.writeJPEG(TestFiles.pattern(width: 200, height: 150), to: url)
        let data = try Data(contentsOf: url)
        let half = files.url("half.jpg")
        try data.prefix(data.count / 2).write(to: half)
        XCTAssertThrowsError(try ImageDecoder.decodePages(at: half)) { error in
            guard case .truncated = error as? ImagingError else { return XCTFail("\(error)") }
        }
    }

    func testTruncatedPNGIsReported() throws {
        let url = files.url("whole.png")
        try ImageWriter.writePNG(TestFiles.pattern(width: 200, height: 150), to: url)
        let data = try Data(contentsOf: url)
        let half = files.url("half.png")
        try data.prefix(data.count / 2).write(to: half)
        XCTAssertThrowsError(try ImageDecoder.decodePages(at: half)) { error in
            guard case .truncated = error as? ImagingError else { return XCTFail("\(error)") }
        }
    }

    func testHugeImageIsRefusedFromItsHeaderWithoutDecoding() throws {
        let url = try files.pngHeaderOnly(width: 30_000, height: 30_000)
        let start = Date()
        XCTAssertThrowsError(try ImageDecoder.decodePages(at: url)) { error in
            XCTAssertEqual(error as? ImagingError, .tooLarge(width: 30_000, height: 30_000, limitMegapixels: 80))
            XCTAssertEqual("\(error)", "image is 30000 x 30000 pixels (900 MP), above the 80 MP limit; "
                + "scale it down or pass --max-megapixels")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
    }

    func testLimitIsConfigurable() throws {
        let url = files.url("pattern.png")
        try ImageWriter.writePNG(TestFiles.pattern(), to: url)
        XCTAssertThrowsError(try ImageDecoder.decodePages(at: url, limits: DecodeLimits(maxMegapixels: 0.0005)))
    }

    func testUnwritablePathIsATypedError() {
        let url = URL(fileURLWithPath: "/nonexistent-folder/out.png")
        XCTAssertThrowsError(try ImageWriter.writePNG(GrayImage(width: 4, height: 4), to: url)) { error in
            guard case .unwritable = error as? ImagingError else { return XCTFail("\(error)") }
        }
    }
}
