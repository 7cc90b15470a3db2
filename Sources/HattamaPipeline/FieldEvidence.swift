import HattamaCore

/// What one reader concluded about a field: its digits in order, each with a confidence.
struct FieldEvidence: Sendable {
    /// `tesseract`, `digit_classifier`, `line_reader` or `words`.
    var reader: String
    /// The raw text the reader produced (digits, and `-`/`x` for padding marks).
    var text: String
    /// The digits read, padding removed.
    var digits: [Int]
    /// Confidence of each digit, 0-1.
    var digitConfidences: [Double]
    /// Cells or marks the reader could not classify as a digit or padding.
    var unreadableMarks: Int
    /// Cells or marks the reader saw ink in (digits and padding marks); nil when the reader does not say.
    var markCount: Int? = nil
    /// Per digit, the reader's second choice and its confidence, when it has one.
    var runnersUp: [(digit: Int, confidence: Double)?]
    /// What the words parser made of the text (words reader only).
    var wordsOutcome: NumberWordsOutcome? = nil

    /// Name of the reader of a field's "in words" cell.
    static let wordsReader = "words"
    /// Name of the handwriting line reader (`StripReader`).
    static let lineReader = "line_reader"

    /// Letter corrections the words parser needed for its number (nil for other readers or no number).
    var wordsCorrections: Int? { wordsOutcome?.reading?.corrections }

    /// Most digits a number read from a field may have: no count on a protocol comes near it, and more
    /// would overflow `Int` (a scribble cut into 19 pieces once stopped a whole run).
    static let maxDigits = 9

    /// The number the digits make, or nil when there are none or more than `maxDigits`.
    var number: Int? {
        guard !digits.isEmpty, digits.count <= Self.maxDigits else { return nil }
        return digits.reduce(0) { $0 * 10 + $1 }
    }

    /// The weakest digit's confidence (0 when nothing was read).
    var confidence: Double { digitConfidences.min() ?? 0 }

    func asReading(kind: FieldKind) -> ReaderReading {
        ReaderReading(reader: reader, text: text, value: value(kind: kind), confidence: confidence)
    }

    func value(kind: FieldKind) -> FieldValue? {
        guard !digits.isEmpty else { return nil }
        switch kind {
        case .precinctID, .text: return .text(digits.map(String.init).joined())
        case .count: return number.map(FieldValue.number)
        }
    }
}
