import HattamaCore

/// One alternative Tesseract considered for a symbol.
public struct SymbolAlternative: Sendable, Equatable {
    /// The alternative text (usually one character).
    public var text: String
    /// Confidence from 0 to 1.
    public var confidence: Double

    public init(text: String, confidence: Double) {
        self.text = text
        self.confidence = confidence
    }
}

/// One recognised symbol with its confidence, alternatives and box.
public struct SymbolReading: Sendable, Equatable {
    /// The recognised text (usually one character).
    public var text: String
    /// Confidence from 0 to 1 (Tesseract's 0-100 scaled). Weak alone: see docs on confidence.
    public var confidence: Double
    /// Alternatives best first, including the chosen one, when `lstm_choice_mode` is on.
    public var alternatives: [SymbolAlternative]
    /// Bounding box in the coordinates of the image that was read.
    public var box: PixelRect

    public init(text: String, confidence: Double, alternatives: [SymbolAlternative], box: PixelRect) {
        self.text = text
        self.confidence = confidence
        self.alternatives = alternatives
        self.box = box
    }
}

/// What Tesseract read in one image or rectangle.
public struct TextReading: Sendable, Equatable {
    /// All recognised text, trimmed; words separated by single spaces, lines by newlines.
    public var text: String
    /// Symbol-level detail, in reading order.
    public var symbols: [SymbolReading]
    /// Lowest word confidence (0-1); 0 when nothing was read. Separates right from wrong better than symbols.
    public var minWordConfidence: Double
    /// Number of words read.
    public var wordCount: Int

    public init(text: String, symbols: [SymbolReading], minWordConfidence: Double, wordCount: Int) {
        self.text = text
        self.symbols = symbols
        self.minWordConfidence = minWordConfidence
        self.wordCount = wordCount
    }

    /// Nothing read.
    public static let empty = TextReading(text: "", symbols: [], minWordConfidence: 0, wordCount: 0)

    /// The text with all whitespace removed (e.g. "71 3984" becomes "713984").
    public var compactText: String { text.filter { !$0.isWhitespace } }
}
