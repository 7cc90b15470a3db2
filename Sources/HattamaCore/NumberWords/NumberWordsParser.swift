/// Reads a number written in words ("четыреста двадцать одна", "cuatrocientos veintiuno", "four hundred and
/// twenty-one") from OCR text, tolerating OCR noise: case, stray punctuation, words run together or broken
/// apart, and misread letters within a budget per word.
///
/// Each word is matched to the language's vocabulary by edit distance; every combination within the budget
/// is kept (up to `beamWidth` per position), and the cheapest one that makes a well-formed number wins. When
/// two different numbers are equally cheap the text is `ambiguous`: the parser reports, it does not guess.
public struct NumberWordsParser: Sendable {
    /// The languages tried, in order.
    public let languages: [NumberLanguage]
    /// Most partial readings kept at each word position.
    public var beamWidth = 64

    public init(languages: [NumberLanguage]) {
        self.languages = languages
    }

    /// Most letter corrections allowed in one word of `length` letters: none for one or two letters, one
    /// up to five letters, two up to eight, three beyond.
    public static func correctionBudget(forLength length: Int) -> Int {
        switch length {
        case ...2: return 0
        case ...5: return 1
        case ...8: return 2
        default: return 3
        }
    }

    /// The number `text` spells in any of the parser's languages.
    public func parse(_ text: String) -> NumberWordsOutcome {
        var best: [Int: (cost: Int, reading: NumberWordsReading)] = [:]
        for language in languages {
            for candidate in candidates(text, language: language) {
                if let known = best[candidate.value], known.cost <= candidate.corrections { continue }
                best[candidate.value] = (candidate.corrections, candidate)
            }
        }
        let ranked = best.values.sorted { ($0.cost, $0.reading.value) < ($1.cost, $1.reading.value) }
        guard let first = ranked.first else { return .unreadable }
        let tied = ranked.filter { $0.cost == first.cost }
        if tied.count > 1 { return .ambiguous(tied.map(\.reading.value).sorted()) }
        var reading = first.reading
        if ranked.count > 1 { reading.runnerUp = (ranked[1].reading.value, ranked[1].cost) }
        return .number(reading)
    }

    /// Every number the text can spell in `language` within the budget, the cheapest reading of each.
    func candidates(_ text: String, language: NumberLanguage) -> [NumberWordsReading] {
        let tokens = NumberWordsText.tokens(text, for: language)
        guard !tokens.isEmpty, tokens.count <= 24 else { return [] }
        let matcher = WordMatcher(vocabulary: NumberWordsVocabulary.words(for: language))
        var beams = [[Hypothesis]](repeating: [], count: tokens.count + 1)
        beams[0] = [Hypothesis(cost: 0, words: [])]
        for position in tokens.indices {
            let current = Self.pruned(beams[position], width: beamWidth)
            guard !current.isEmpty else { continue }
            let token = tokens[position]
            var extensions: [(next: Int, cost: Int, words: [NumberWord])] = []
            for match in matcher.matches(token) {
                extensions.append((position + 1, match.distance, [match.word]))
            }
            // Two OCR words that are one number word ("двад цать"): one correction for the break.
            if position + 1 < tokens.count {
                for match in matcher.matches(token + tokens[position + 1]) {
                    extensions.append((position + 2, match.distance + 1, [match.word]))
                }
            }
            // One OCR word that is two number words ("стодвадцать"): one correction for the missing break.
            if token.count >= 4 {
                for cut in 2...(token.count - 2) {
                    let head = matcher.matches(Array(token[..<cut]))
                    guard !head.isEmpty else { continue }
                    for tail in matcher.matches(Array(token[cut...])) {
                        for first in head {
                            extensions.append((position + 1, first.distance + tail.distance + 1, [first.word, tail.word]))
                        }
                    }
                }
            }
            // A word that matches nothing is not skipped: a stray letter may be what is left of a short
            // number word ("о" of "он"), and skipping it would silently read another number.
            for hypothesis in current {
                for step in extensions {
                    beams[step.next].append(Hypothesis(cost: hypothesis.cost + step.cost, words: hypothesis.words + step.words))
                }
            }
        }
        var cheapest: [Int: NumberWordsReading] = [:]
        for hypothesis in Self.pruned(beams[tokens.count], width: beamWidth * 4) {
            guard let value = NumberWordsGrammar.value(of: hypothesis.words.map(\.role)) else { continue }
            if let known = cheapest[value], known.corrections <= hypothesis.cost { continue }
            cheapest[value] = NumberWordsReading(value: value, corrections: hypothesis.cost,
                                                 words: hypothesis.words.map(\.spelling), language: language)
        }
        return Array(cheapest.values)
    }

    /// The cheapest `width` hypotheses, one per sequence of roles.
    private static func pruned(_ hypotheses: [Hypothesis], width: Int) -> [Hypothesis] {
        var seen = Set<[NumberWordRole]>()
        var kept: [Hypothesis] = []
        for hypothesis in hypotheses.sorted(by: { $0.cost < $1.cost }) {
            guard seen.insert(hypothesis.words.map(\.role)).inserted else { continue }
            kept.append(hypothesis)
            if kept.count == width { break }
        }
        return kept
    }
}

/// A partial reading: the number words matched so far and the corrections they needed.
private struct Hypothesis {
    var cost: Int
    var words: [NumberWord]
}

/// Matches OCR words to a vocabulary by edit distance, remembering what it has matched.
private final class WordMatcher {
    let vocabulary: [NumberWord]
    private var cache: [[Unicode.Scalar]: [(word: NumberWord, distance: Int)]] = [:]

    init(vocabulary: [NumberWord]) {
        self.vocabulary = vocabulary
    }

    /// Vocabulary words within their correction budget of `token`, nearest first.
    func matches(_ token: [Unicode.Scalar]) -> [(word: NumberWord, distance: Int)] {
        if let known = cache[token] { return known }
        var found: [(word: NumberWord, distance: Int)] = []
        for word in vocabulary {
            let budget = NumberWordsParser.correctionBudget(forLength: word.letters.count)
            if let distance = EditDistance.between(token, word.letters, limit: budget) {
                found.append((word, distance))
            }
        }
        found.sort { $0.distance < $1.distance }
        cache[token] = found
        return found
    }
}
