import Foundation
import HattamaCore
import HattamaOCR
import HattamaPipeline

/// Where the tests find the checkout's seeds and test images, and the six real images in ../shared.
enum RepoPaths {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let seeds = root.appendingPathComponent("seeds")
    /// `HATTAMA_REALIMAGES` when set (a checkout that does not sit beside ../shared), else ../shared/realimages.
    static let realImages = ProcessInfo.processInfo.environment["HATTAMA_REALIMAGES"].map { URL(fileURLWithPath: $0) }
        ?? root.deletingLastPathComponent().appendingPathComponent("shared/realimages")
}

/// The shipped templates, and a reader over them as `hattama digitize` builds one.
enum ShippedReader {
    static func catalog() throws -> TemplateCatalog {
        try TemplateCatalog(seedsDirectory: RepoPaths.seeds)
    }

    /// A reader with the bundled digit classifier, or with none (`withClassifier: false`: Tesseract alone).
    static func make(withClassifier: Bool = true) throws -> ProtocolReader {
        try ProtocolReader(catalog: try catalog(), classifier: withClassifier ? try DigitClassifier() : nil)
    }
}
