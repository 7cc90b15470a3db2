import Foundation
import HattamaCore

/// The handwriting line reader's model: a Tesseract LSTM trained from scratch on handwritten numbers by
/// tools/linereader/line_reader.py (docs/line-reader.md), bundled as Resources/tessdata/hwdigits.traineddata.
///
/// It reads a field's whole strip of digits as one line, without cutting it into digits, so its mistakes
/// are not those of `DigitClassifier`, which reads one cell at a time.
public enum LineReaderModel {
    /// Tesseract's language name for the model.
    public static let language = "hwdigits"
    /// What it may read: digits and the padding marks written before a number.
    public static let characters = "0123456789-x"

    /// The bundled model file, when the build carries one (looked up once).
    static let modelURL: URL? = {
        let folder = Bundle.module.url(forResource: "Resources", withExtension: nil)?.appendingPathComponent("tessdata")
            ?? Bundle.module.resourceURL?.appendingPathComponent("tessdata")
        guard let file = folder?.appendingPathComponent("\(language).traineddata"),
              FileManager.default.fileExists(atPath: file.path) else { return nil }
        return file
    }()

    /// The folder to give `TesseractEngine(languages:dataPath:)`; nil when no model is bundled.
    public static var dataPath: String? { modelURL?.deletingLastPathComponent().path }

    /// "sha256:" and the hex digest of the bundled model, for a record's `Producer.lineModel`: hashed once, not
    /// for every worker's reader.
    public static let digest: String? = {
        guard let url = modelURL, let data = try? Data(contentsOf: url) else { return nil }
        return "sha256:" + SHA256Digest.hex(of: data)
    }()

    /// A Tesseract engine loaded with the model; nil when none is bundled.
    public static func engine() throws(OCRError) -> TesseractEngine? {
        guard let dataPath else { return nil }
        return try TesseractEngine(languages: language, dataPath: dataPath)
    }
}
