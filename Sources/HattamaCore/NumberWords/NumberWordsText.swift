import Foundation

/// Normalises OCR text of number words before it is matched: lower case, no accents, letters that OCR
/// confuses across scripts mapped to the language's script, anything else a word break.
enum NumberWordsText {
    /// Latin letters and digits that look like Cyrillic ones in print or handwriting.
    private static let cyrillicLookAlikes: [Unicode.Scalar: Unicode.Scalar] = [
        "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "n": "п", "o": "о", "p": "р",
        "r": "г", "t": "т", "u": "и", "x": "х", "y": "у", "i": "и", "0": "о", "3": "з", "6": "б",
    ]
    /// Kazakh letters folded onto the Russian letters OCR reads them as (no number word needs the difference).
    private static let kazakhLetters: [Unicode.Scalar: Unicode.Scalar] = [
        "қ": "к", "ғ": "г", "ү": "у", "ұ": "у", "ө": "о", "ә": "а", "і": "и", "ң": "н", "һ": "х", "ё": "е",
    ]
    /// Cyrillic letters and digits that look like Latin ones.
    private static let latinLookAlikes: [Unicode.Scalar: Unicode.Scalar] = [
        "а": "a", "с": "c", "е": "e", "о": "o", "р": "p", "у": "y", "х": "x", "к": "k", "м": "m", "т": "t",
        "і": "i", "0": "o",
    ]

    /// `text` lower-cased, without accents, in the language's script, with every run of other characters
    /// (punctuation, digits, hyphens, line breaks) turned into one space.
    static func fold(_ text: String, for language: NumberLanguage) -> String {
        let lookAlikes = language.isCyrillic ? cyrillicLookAlikes : latinLookAlikes
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            // Combining accents (á, ü, й's breve, ё's dots) carry nothing a number word needs.
            if (0x0300...0x036F).contains(scalar.value) { continue }
            var letter = lookAlikes[scalar] ?? scalar
            if language.isCyrillic { letter = kazakhLetters[letter] ?? letter }
            if letter.properties.isAlphabetic {
                if pendingSpace, !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(letter)
            } else {
                pendingSpace = true
            }
        }
        return String(out)
    }

    /// The words of folded text.
    static func tokens(_ text: String, for language: NumberLanguage) -> [[Unicode.Scalar]] {
        fold(text, for: language).split(separator: " ").map { Array($0.unicodeScalars) }
    }
}
