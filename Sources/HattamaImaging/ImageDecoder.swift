import CTesseract
import Foundation
import HattamaCore

/// Limits checked before any pixel is decoded, so a hostile or accidental file cannot exhaust memory.
public struct DecodeLimits: Sendable, Equatable {
    /// Largest accepted page, in millions of pixels.
    public var maxMegapixels: Double
    /// Largest accepted number of pages (multi-page TIFF, PDF).
    public var maxPages: Int
    /// Resolution at which PDF pages are rendered.
    public var pdfDotsPerInch: Int

    public init(maxMegapixels: Double = 80, maxPages: Int = 200, pdfDotsPerInch: Int = 300) {
        self.maxMegapixels = maxMegapixels
        self.maxPages = maxPages
        self.pdfDotsPerInch = pdfDotsPerInch
    }

    /// 80 MP per page, 200 pages, PDFs at 300 dpi.
    public static let `default` = DecodeLimits()

    func check(width: Int, height: Int) throws(ImagingError) {
        if Double(width) * Double(height) > maxMegapixels * 1_000_000 {
            throw .tooLarge(width: width, height: height, limitMegapixels: maxMegapixels)
        }
    }
}

/// One decoded page of an image or document.
public struct DecodedPage: Sendable, Equatable {
    /// 1-based page number within the file.
    public var page: Int
    /// The page as 8-bit grey.
    public var image: GrayImage
    /// Width of the page as stored in the file (before any conversion).
    public var sourceWidth: Int
    /// Height of the page as stored in the file.
    public var sourceHeight: Int

    public init(page: Int, image: GrayImage, sourceWidth: Int, sourceHeight: Int) {
        self.page = page
        self.image = image
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
    }
}

/// Decodes scans and photos (JPEG, PNG, TIFF incl. multi-page, PDF, and other Leptonica formats) to grey.
public enum ImageDecoder {
    /// Decodes every page of the file at `url` to 8-bit grey, refusing empty, corrupt and oversized input first.
    public static func decodePages(at url: URL, limits: DecodeLimits = .default) throws(ImagingError) -> [DecodedPage] {
        Leptonica.configureOnce()
        let path = url.path
        let head = try readHead(path: path)
        if head.starts(with: Array("%PDF".utf8)) {
            return try PDFRasterizer.decodePages(path: path, limits: limits)
        }
        var format: Int32 = 0
        guard findFileFormatBuffer(head, &format) == 0, format != Int32(IFF_UNKNOWN) else {
            throw .notAnImage(path: path, hint: describe(head: head))
        }
        if format == Int32(IFF_LPDF) || format == Int32(IFF_PS) {
            throw .notAnImage(path: path, hint: "PostScript is not supported")
        }
        var width: Int32 = 0, height: Int32 = 0, bitsPerSample: Int32 = 0, samples: Int32 = 0, colormap: Int32 = 0
        guard pixReadHeader(path, &format, &width, &height, &bitsPerSample, &samples, &colormap) == 0,
              width > 0, height > 0 else {
            throw .truncated(path: path, detail: "the header cannot be read")
        }
        try limits.check(width: Int(width), height: Int(height))
        try checkComplete(path: path, format: format)
        if isTIFF(format) {
            return try decodeTIFF(path: path, limits: limits)
        }
        guard let pix = LeptonicaPix(adopting: pixRead(path)) else {
            throw .truncated(path: path, detail: "the decoder rejected the data")
        }
        guard let gray = pix.grayImage() else {
            throw .unreadable(path: path, detail: "cannot convert \(pix.depth)-bit pixels to grey")
        }
        return [DecodedPage(page: 1, image: gray, sourceWidth: pix.width, sourceHeight: pix.height)]
    }

    /// Decodes a single-page file, or the first page of a multi-page one.
    public static func decodeFirstPage(at url: URL, limits: DecodeLimits = .default) throws(ImagingError) -> DecodedPage {
        let pages = try decodePages(at: url, limits: limits)
        guard let first = pages.first else { throw .unreadable(path: url.path, detail: "the file holds no page") }
        return first
    }

    /// The first bytes of the file, after the existence, size and permission checks.
    private static func readHead(path: String) throws(ImagingError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .fileNotFound(path: path) }
        if isDirectory.boolValue { throw .notAnImage(path: path, hint: "it is a folder") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, detail: "permission denied or not a regular file")
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: 64) ?? Data() } catch {
            throw .unreadable(path: path, detail: error.localizedDescription)
        }
        if data.isEmpty { throw .emptyFile(path: path) }
        // findFileFormatBuffer reads up to 12 bytes: pad short files so it never reads past the buffer.
        var head = [UInt8](data)
        if head.count < 16 { head += [UInt8](repeating: 0, count: 16 - head.count) }
        return head
    }

    /// Catches files cut short in transfer, which libjpeg and libpng would otherwise pad silently with grey.
    private static func checkComplete(path: String, format: Int32) throws(ImagingError) {
        let tailLength = 64
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let tail: [UInt8]
        do {
            let size = try handle.seekToEnd()
            try handle.seek(toOffset: size > UInt64(tailLength) ? size - UInt64(tailLength) : 0)
            tail = [UInt8](try handle.readToEnd() ?? Data())
        } catch { return }
        if format == Int32(IFF_JFIF_JPEG) {
            // A complete JPEG ends with the EOI marker FF D9, possibly followed by padding.
            var end = tail.count
            while end > 0, tail[end - 1] == 0 || tail[end - 1] == 0x0A || tail[end - 1] == 0x0D { end -= 1 }
            guard end >= 2, tail[end - 2] == 0xFF, tail[end - 1] == 0xD9 else {
                throw .truncated(path: path, detail: "JPEG end marker missing")
            }
        } else if format == Int32(IFF_PNG) {
            guard tail.firstRange(of: Array("IEND".utf8)) != nil else {
                throw .truncated(path: path, detail: "PNG end chunk missing")
            }
        }
    }

    private static func isTIFF(_ format: Int32) -> Bool {
        [IFF_TIFF, IFF_TIFF_PACKBITS, IFF_TIFF_RLE, IFF_TIFF_G3, IFF_TIFF_G4, IFF_TIFF_LZW, IFF_TIFF_ZIP, IFF_TIFF_JPEG]
            .contains { Int32($0) == format }
    }

    private static func decodeTIFF(path: String, limits: DecodeLimits) throws(ImagingError) -> [DecodedPage] {
        guard let file = fopen(path, "rb") else { throw .unreadable(path: path, detail: "cannot open") }
        var count: Int32 = 0
        let counted = tiffGetCount(file, &count)
        fclose(file)
        guard counted == 0, count > 0 else { throw .truncated(path: path, detail: "cannot count TIFF pages") }
        guard Int(count) <= limits.maxPages else { throw .tooManyPages(count: Int(count), limit: limits.maxPages) }
        var pages: [DecodedPage] = []
        for index in 0..<count {
            var width: Int32 = 0, height: Int32 = 0, bits: Int32 = 0, samples: Int32 = 0, resolution: Int32 = 0
            var colormap: Int32 = 0, format: Int32 = 0
            // Later pages have their own size: check each before decoding it.
            if readHeaderTiff(path, index, &width, &height, &bits, &samples, &resolution, &colormap, &format) == 0 {
                try limits.check(width: Int(width), height: Int(height))
            }
            guard let pix = LeptonicaPix(adopting: pixReadTiff(path, index)) else {
                throw .truncated(path: path, detail: "TIFF page \(index + 1) cannot be decoded")
            }
            try limits.check(width: pix.width, height: pix.height)
            guard let gray = pix.grayImage() else {
                throw .unreadable(path: path, detail: "cannot convert TIFF page \(index + 1) to grey")
            }
            pages.append(DecodedPage(page: Int(index) + 1, image: gray, sourceWidth: pix.width, sourceHeight: pix.height))
        }
        return pages
    }

    /// A short human description of bytes that are not an image.
    static func describe(head: [UInt8]) -> String {
        let meaningful = head.prefix { $0 != 0 }
        let isText = !meaningful.isEmpty && meaningful.allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || (32..<127).contains($0) || $0 >= 0xC2 }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "it looks like a ZIP or Office document" }
        if isText { return "it looks like a text file" }
        let hex = head.prefix(8).map { String(format: "%02X", $0) }.joined(separator: " ")
        return "unknown format, first bytes \(hex)"
    }
}
