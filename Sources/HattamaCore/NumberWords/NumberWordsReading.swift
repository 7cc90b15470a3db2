/// A number read from words, with how much the text had to be corrected to get it.
public struct NumberWordsReading: Sendable, Equatable {
    /// The number, 0 ... 999,999.
    public var value: Int
    /// Letters inserted, deleted, replaced or swapped, plus word breaks added or removed, to match the text
    /// to the vocabulary (0: every word spelled exactly).
    public var corrections: Int
    /// The vocabulary words matched, in order, as folded (lower case, no accents).
    public var words: [String]
    /// The language whose words matched.
    public var language: NumberLanguage
    /// The nearest reading with another value, when one was within the correction budget.
    public var runnerUp: (value: Int, corrections: Int)?

    /// 0-1: the share of letters that needed no correction.
    public var confidence: Double {
        let letters = words.reduce(0) { $0 + $1.count }
        guard letters > 0 else { return 0 }
        return max(0, 1 - Double(corrections) / Double(letters))
    }

    public init(value: Int, corrections: Int, words: [String], language: NumberLanguage,
                runnerUp: (value: Int, corrections: Int)? = nil) {
        self.value = value
        self.corrections = corrections
        self.words = words
        self.language = language
        self.runnerUp = runnerUp
    }

    public static func == (a: NumberWordsReading, b: NumberWordsReading) -> Bool {
        a.value == b.value && a.corrections == b.corrections && a.words == b.words && a.language == b.language
            && a.runnerUp?.value == b.runnerUp?.value && a.runnerUp?.corrections == b.runnerUp?.corrections
    }
}

/// What the words of a cell say.
public enum NumberWordsOutcome: Sendable, Equatable {
    /// One number is the closest reading.
    case number(NumberWordsReading)
    /// Several numbers are equally close (for example "дезять": "девять" or "десять"); the values, smallest first.
    case ambiguous([Int])
    /// No number is spelled within the correction budget (empty, not number words, or too garbled).
    case unreadable

    /// The reading, when exactly one number was found.
    public var reading: NumberWordsReading? {
        if case .number(let reading) = self { return reading }
        return nil
    }
}
