import Foundation
import HattamaCore
import HattamaImaging
import HattamaStore
import NIOConcurrencyHelpers

/// Cuts PNG crops of a field (its box with a small margin, scaled up) and of the band of the page around its
/// row, from the stored original image. Keeps the last few decoded pages, since two volunteers and their
/// neighbours' fields often share a page.
final class CropRenderer: Sendable {
    private let imagesFolder: URL
    private let cacheSize: Int
    private let recentPages = NIOLockedValueBox<[(path: String, image: GrayImage)]>([])

    init(imagesFolder: URL, cacheSize: Int = 6) {
        self.imagesFolder = imagesFolder
        self.cacheSize = cacheSize
    }

    /// The field's box with a margin, scaled so digits are large on any screen.
    func fieldPNG(_ field: ReviewFieldLocation) throws -> Data {
        let page = try decodedPage(field.storedPath)
        guard let box = field.box else { return try ImageWriter.pngData(Self.fitted(page, maxWidth: 1000)) }
        let margin = max(6, box.height / 4)
        let crop = page.cropped(to: PixelRect(x: box.x - margin, y: box.y - margin,
                                              width: box.width + 2 * margin, height: box.height + 2 * margin))
        let factor = min(4, max(1, 200 / Double(max(1, crop.height))))
        return try ImageWriter.pngData(Self.scaled(crop, by: factor))
    }

    /// The whole width of the page from a field-height above the row to two below, at most 1200 pixels wide.
    func rowPNG(_ field: ReviewFieldLocation) throws -> Data {
        let page = try decodedPage(field.storedPath)
        guard let box = field.box else { return try ImageWriter.pngData(Self.fitted(page, maxWidth: 1000)) }
        let band = page.cropped(to: PixelRect(x: 0, y: box.y - box.height, width: page.width, height: box.height * 3))
        return try ImageWriter.pngData(Self.fitted(band, maxWidth: 1200))
    }

    private func decodedPage(_ storedPath: String) throws -> GrayImage {
        if let hit = recentPages.withLockedValue({ pages in pages.first { $0.path == storedPath }?.image }) { return hit }
        guard !storedPath.contains(".."), !storedPath.hasPrefix("/") else {
            throw ImagingError.fileNotFound(path: storedPath)
        }
        let image = try ImageDecoder.decodeFirstPage(at: imagesFolder.appendingPathComponent(storedPath)).image
        recentPages.withLockedValue { pages in
            pages.insert((storedPath, image), at: 0)
            if pages.count > cacheSize { pages.removeLast(pages.count - cacheSize) }
        }
        return image
    }

    static func fitted(_ image: GrayImage, maxWidth: Int) -> GrayImage {
        image.width <= maxWidth ? image : scaled(image, by: Double(maxWidth) / Double(image.width))
    }

    /// Bilinear resize by `factor`.
    static func scaled(_ image: GrayImage, by factor: Double) -> GrayImage {
        guard factor != 1 else { return image }
        let width = max(1, Int((Double(image.width) * factor).rounded()))
        let height = max(1, Int((Double(image.height) * factor).rounded()))
        var pixels = [UInt8](repeating: 255, count: width * height)
        for y in 0..<height {
            let sourceY = (Double(y) + 0.5) / factor - 0.5
            for x in 0..<width {
                let value = image.sample(x: (Double(x) + 0.5) / factor - 0.5, y: sourceY)
                pixels[y * width + x] = UInt8(max(0, min(255, value.rounded())))
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }
}
