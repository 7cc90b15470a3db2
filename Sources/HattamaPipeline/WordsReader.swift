import HattamaCore
import HattamaImaging
import HattamaOCR

/// Reads a field's "in words" cell: Tesseract with the form's languages on the cell, then `NumberWordsParser`.
///
/// Owns one Tesseract engine per language set, created on first use (so pages of forms without words
/// cells never pay for loading the models) on the thread that uses it: create one reader per worker.
final class WordsReader {
    /// Height in pixels that a words cell is resampled to: small templates, such as 72 dpi ones, are enlarged
    /// so that Tesseract sees letters of a readable size, and large ones reduced, since its time grows with
    /// the crop (a 300 dpi A4 cell is about 100 px tall). Reducing them took the p90 page time of seed 31's
    /// first 40 A4 pages from 498-505 to 405-409 ms; words read exactly: hw300 80.3 -> 82.4%, seed 31 62.7 ->
    /// 59.9%, fields accepted on those A4 pages 76.09 -> 75.91% and 67.82 -> 68.62%.
    static let cellHeight = 64.0

    /// Engines by Tesseract language string ("rus+kaz"); nil when that language data is not installed.
    private var engines: [String: TesseractEngine?] = [:]

    /// Reads the words in `rect` (template coordinates); nil when the language data is missing or the
    /// cell is blank.
    func read(_ rect: TemplateRect, on page: GrayImage, homography: Homography,
              languages: [NumberLanguage]) -> FieldEvidence? {
        guard !languages.isEmpty, let engine = engine(for: languages) else { return nil }
        let margin = rect.height * 0.06
        let inner = TemplateRect(x: rect.x + margin, y: rect.y + margin,
                                 width: rect.width - 2 * margin, height: rect.height - 2 * margin)
        let scale = Self.cellHeight / inner.height
        let crop = page.warped(inner, through: homography, scale: scale).contrastStretched()
        guard !CellInk(crop).isBlank, let inked = crop.croppedToInk(margin: 4) else { return nil }
        let padded = GrayImage.strip([inked], gap: 0, margin: 16)
        let text = engine.readText(padded, pageSegMode: .singleBlock, whitelist: Self.letters(for: languages))
            .text.split(whereSeparator: \.isNewline).joined(separator: " ")
        let outcome = NumberWordsParser(languages: languages).parse(text)
        guard let reading = outcome.reading else {
            return FieldEvidence(reader: FieldEvidence.wordsReader, text: text, digits: [], digitConfidences: [],
                                 unreadableMarks: 0, runnersUp: [], wordsOutcome: outcome)
        }
        let digits = String(reading.value).compactMap(\.wholeNumberValue)
        return FieldEvidence(reader: FieldEvidence.wordsReader, text: text, digits: digits,
                             digitConfidences: Array(repeating: reading.confidence, count: digits.count),
                             unreadableMarks: 0, runnersUp: [], wordsOutcome: outcome)
    }

    private func engine(for languages: [NumberLanguage]) -> TesseractEngine? {
        let codes = languages.map(Self.tesseractCode).joined(separator: "+")
        if let known = engines[codes] { return known }
        // Missing language data leaves the words unread (the digits are still read); it is not a page error.
        let created = try? TesseractEngine(languages: codes)
        engines[codes] = created
        return created
    }

    private static func tesseractCode(_ language: NumberLanguage) -> String {
        switch language {
        case .russian: return "rus"
        case .kazakh: return "kaz"
        case .spanish: return "spa"
        case .english: return "eng"
        }
    }

    /// Every letter number words of `languages` can be written with, both cases.
    private static func letters(for languages: [NumberLanguage]) -> String {
        var lower = ""
        for language in languages {
            switch language {
            case .russian: lower += "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
            case .kazakh: lower += "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі"
            case .spanish: lower += "abcdefghijklmnopqrstuvwxyzáéíóúüñ"
            case .english: lower += "abcdefghijklmnopqrstuvwxyz"
            }
        }
        var seen = Set<Character>()
        let unique = lower.filter { seen.insert($0).inserted }
        return unique + unique.uppercased() + "-"
    }
}
