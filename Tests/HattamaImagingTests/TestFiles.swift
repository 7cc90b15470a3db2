import CTesseract
import Foundation
import HattamaCore
@testable import HattamaImaging
import XCTest

/// Makes fixture files at test time in a fresh temporary folder, removed by `tearDown`.
final class TestFiles {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hattama-imaging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// An asymmetric test pattern: every pixel's value depends on x and y, so flips and byte swaps show.
    static func pattern(width: Int = 37, height: Int = 23) -> GrayImage {
        var image = GrayImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width { image[x, y] = UInt8((x * 7 + y * 3) % 256) }
        }
        image[0, 0] = 0
        image[width - 1, 0] = 255
        image[0, height - 1] = 200
        return image
    }

    /// A PNG whose header claims `width` x `height` 1-bit pixels, with no image data.
    func pngHeaderOnly(width: UInt32, height: UInt32, name: String = "huge.png") throws -> URL {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func chunk(_ type: String, _ data: [UInt8]) {
            let body = Array(type.utf8) + data
            bytes += bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
        }
        chunk("IHDR", bigEndian(width) + bigEndian(height) + [1, 0, 0, 0, 0])
        chunk("IEND", [])
        let url = url(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// A multi-page PDF made with Leptonica, one page per image, at `dotsPerInch`.
    func pdf(pages: [GrayImage], dotsPerInch: Int32 = 100, name: String = "pages.pdf") throws -> URL {
        let url = url(name)
        var pixa: UnsafeMutablePointer<PIXA>? = pixaCreate(Int32(pages.count))
        defer { pixaDestroy(&pixa) }
        for page in pages {
            let pix = try XCTUnwrap(LeptonicaPix(gray: page))
            XCTAssertEqual(pixaAddPix(pixa, pix.pointer, Int32(L_COPY)), 0)
        }
        XCTAssertEqual(pixaConvertToPdf(pixa, dotsPerInch, 1, Int32(L_FLATE_ENCODE), 0, "test", url.path), 0)
        return url
    }

    private func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
