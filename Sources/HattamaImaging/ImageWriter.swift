import CTesseract
import Foundation
import HattamaCore

/// Writes grey and colour images to PNG, JPEG or multi-page TIFF files, or encodes them in memory.
public enum ImageWriter {
    /// Writes a lossless PNG.
    public static func writePNG(_ image: GrayImage, to url: URL) throws(ImagingError) {
        try write(LeptonicaPix(gray: image), to: url) { pixWritePng($0, $1, 0) }
    }

    /// Writes a lossless colour PNG (e.g. a debug overlay).
    public static func writePNG(_ image: RGBImage, to url: URL) throws(ImagingError) {
        try write(LeptonicaPix(rgb: image), to: url) { pixWritePng($0, $1, 0) }
    }

    /// Writes a JPEG with `quality` from 1 to 100.
    public static func writeJPEG(_ image: GrayImage, to url: URL, quality: Int = 90) throws(ImagingError) {
        let q = Int32(min(100, max(1, quality)))
        try write(LeptonicaPix(gray: image), to: url) { pixWriteJpeg($0, $1, q, 0) }
    }

    /// Writes a colour JPEG with `quality` from 1 to 100.
    public static func writeJPEG(_ image: RGBImage, to url: URL, quality: Int = 90) throws(ImagingError) {
        let q = Int32(min(100, max(1, quality)))
        try write(LeptonicaPix(rgb: image), to: url) { pixWriteJpeg($0, $1, q, 0) }
    }

    /// Writes grey pages as one multi-page, zip-compressed TIFF.
    public static func writeTIFF(pages: [GrayImage], to url: URL) throws(ImagingError) {
        guard !pages.isEmpty else { throw .unwritable(path: url.path, detail: "no page to write") }
        for (index, page) in pages.enumerated() {
            let mode = index == 0 ? "w" : "a"
            try write(LeptonicaPix(gray: page), to: url) { pixWriteTiff($0, $1, Int32(IFF_TIFF_ZIP), mode) }
        }
    }

    /// Encodes a PNG in memory (e.g. to serve a crop to the review app).
    public static func pngData(_ image: GrayImage) throws(ImagingError) -> Data {
        guard let pix = LeptonicaPix(gray: image) else {
            throw .unwritable(path: "<memory>", detail: "cannot allocate \(image.width) x \(image.height) pixels")
        }
        var bytes: UnsafeMutablePointer<UInt8>?
        var size = 0
        guard pixWriteMemPng(&bytes, &size, pix.pointer, 0) == 0, let bytes else {
            throw .unwritable(path: "<memory>", detail: "PNG encoding failed")
        }
        defer { free(bytes) }
        return Data(bytes: bytes, count: size)
    }

    private static func write(_ pix: LeptonicaPix?, to url: URL,
                              _ writer: (String, UnsafeMutablePointer<Pix>) -> Int32) throws(ImagingError) {
        let path = url.path
        guard let pix else { throw .unwritable(path: path, detail: "cannot allocate the image (empty or too large)") }
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .unwritable(path: path, detail: "folder \(folder) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw .unwritable(path: path, detail: "folder \(folder) is not writable")
        }
        guard writer(path, pix.pointer) == 0 else { throw .unwritable(path: path, detail: "the encoder failed") }
    }
}
