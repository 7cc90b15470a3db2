import Foundation

/// Why an image could not be decoded or written; each message says what to do next.
public enum ImagingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No file at the path.
    case fileNotFound(path: String)
    /// The file exists but has zero bytes.
    case emptyFile(path: String)
    /// The file is not an image format we read; `hint` describes what it looks like.
    case notAnImage(path: String, hint: String)
    /// The image data ends early or is corrupt.
    case truncated(path: String, detail: String)
    /// The image has more pixels than the limit allows; it was not decoded.
    case tooLarge(width: Int, height: Int, limitMegapixels: Double)
    /// The PDF has more pages than the limit allows.
    case tooManyPages(count: Int, limit: Int)
    /// `pdftoppm` failed or is missing.
    case pdfConversionFailed(detail: String)
    /// The file could not be read or decoded for another reason.
    case unreadable(path: String, detail: String)
    /// The output path could not be written.
    case unwritable(path: String, detail: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file; check the path and that the scan was copied completely"
        case .emptyFile(let path):
            return "\(path): the file is empty (0 bytes); the upload or copy probably failed, copy it again"
        case .notAnImage(let path, let hint):
            return "\(path): not a supported image (\(hint)); supply a JPEG, PNG, TIFF or PDF scan or photo"
        case .truncated(let path, let detail):
            return "\(path): the image data is truncated or corrupt (\(detail)); copy or download the file again"
        case .tooLarge(let width, let height, let limit):
            let megapixels = Double(width) * Double(height) / 1_000_000
            return "image is \(width) x \(height) pixels (\(Self.format(megapixels)) MP), above the "
                + "\(Self.format(limit)) MP limit; scale it down or pass --max-megapixels"
        case .tooManyPages(let count, let limit):
            return "the document has \(count) pages, above the limit of \(limit); split it into smaller files"
        case .pdfConversionFailed(let detail):
            return "could not render the PDF (\(detail)); check that poppler-utils (pdftoppm, pdfinfo) "
                + "is installed and that the PDF opens in a viewer, or export its pages as PNG"
        case .unreadable(let path, let detail):
            return "\(path): cannot read the image (\(detail)); check file permissions, or re-save it as PNG or JPEG"
        case .unwritable(let path, let detail):
            return "\(path): cannot write the image (\(detail)); check that the folder exists and is writable"
        }
    }

    private static func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }
}
