import Foundation
import HattamaCore
import HattamaImaging
import XCTest

final class GrayImageHelpersTests: XCTestCase {
    func testDownscaleAveragesBlocksAndKeepsPartialEdges() {
        var image = GrayImage(width: 5, height: 3, fill: 255)
        image[0, 0] = 0; image[1, 0] = 0; image[0, 1] = 0; image[1, 1] = 0  // top-left 2x2 block black
        image[4, 2] = 0                                                      // lone corner pixel
        let small = image.downscaled(by: 2)
        XCTAssertEqual(small.width, 3)
        XCTAssertEqual(small.height, 2)
        XCTAssertEqual(small[0, 0], 0)
        XCTAssertEqual(small[1, 0], 255)
        XCTAssertEqual(small[2, 1], 0, "a 1x1 edge block is its own mean")
        XCTAssertEqual(image.downscaled(by: 1), image)
    }

    func testOtsuSeparatesInkFromPaper() {
        var image = GrayImage(width: 100, height: 10, fill: 230)
        for x in 0..<30 { for y in 0..<10 { image[x, y] = 40 } }
        let threshold = image.otsuThreshold()
        XCTAssertGreaterThanOrEqual(threshold, 40)
        XCTAssertLessThan(threshold, 230)
        let bits = image.binarized(threshold: threshold)
        XCTAssertEqual(bits.inkCount, 300)
        XCTAssertTrue(bits[0, 0])
        XCTAssertFalse(bits[50, 5])
    }

    func testComponentsAreEightConnectedWithBoxesAndCentroids() {
        var image = GrayImage(width: 20, height: 10)
        image[1, 1] = 0; image[2, 2] = 0; image[3, 3] = 0          // diagonal: one component
        for x in 10..<14 { for y in 5..<8 { image[x, y] = 0 } }    // 4x3 block
        image[18, 0] = 0                                           // speck
        let components = image.connectedComponents(inkThreshold: 128)
        XCTAssertEqual(components.count, 3)
        XCTAssertEqual(components[0].box, PixelRect(x: 18, y: 0, width: 1, height: 1), "scan order: row 0 first")
        XCTAssertEqual(components[1].box, PixelRect(x: 1, y: 1, width: 3, height: 3))
        XCTAssertEqual(components[1].pixelCount, 3)
        XCTAssertEqual(components[1].centroidX, 2, accuracy: 1e-9)
        let block = components.first { $0.pixelCount == 12 }
        XCTAssertEqual(block?.box, PixelRect(x: 10, y: 5, width: 4, height: 3))
        XCTAssertEqual(block?.centroidY ?? 0, 6, accuracy: 1e-9)
        XCTAssertEqual(image.connectedComponents(inkThreshold: 128, minimumPixels: 2).count, 2, "speck dropped")
    }

    func testComponentsOfAQuarterScalePageAreFast() {
        // A 2,500 x 3,500 page at 1/4 scale with a grid of ink blobs; the limit is loose: debug builds are slow.
        var page = GrayImage(width: 2_500, height: 3_500)
        for row in 0..<60 { for column in 0..<40 { for y in 0..<20 { for x in 0..<20 {
            page[column * 60 + x + 5, row * 58 + y + 5] = 0
        } } } }
        let start = Date()
        let small = page.downscaled(by: 4)
        let components = small.connectedComponents(inkThreshold: 128)
        XCTAssertEqual(components.count, 2_400)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testDrawingOverlayBlendsAndClips() {
        var overlay = RGBImage(gray: GrayImage(width: 40, height: 30, fill: 200))
        XCTAssertEqual(overlay[5, 5], RGBColor(red: 200, green: 200, blue: 200))
        overlay.fillRect(PixelRect(x: 0, y: 0, width: 10, height: 10), color: RGBColor(red: 0, green: 0, blue: 0, alpha: 0.5))
        XCTAssertEqual(overlay[5, 5], RGBColor(red: 100, green: 100, blue: 100))
        overlay.drawRect(PixelRect(x: 20, y: 10, width: 10, height: 10), color: .red, thickness: 2)
        XCTAssertEqual(overlay[20, 10], .red)
        XCTAssertEqual(overlay[29, 19], .red)
        XCTAssertEqual(overlay[25, 15], RGBColor(red: 200, green: 200, blue: 200), "inside stays clear")
        overlay.drawLine(from: (0, 29), to: (39, 29), color: .blue, thickness: 1)
        XCTAssertEqual(overlay[17, 29], .blue)
        overlay.drawPolygon(points: [(-10, -10), (100, 5), (5, 100)], color: .green, thickness: 3)  // clipped, no crash
        overlay.fillRect(PixelRect(x: -5, y: -5, width: 1000, height: 2), color: .black)
    }
}
