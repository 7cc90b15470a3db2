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
    ///
    /// The text's letters are cut into vocabulary words anywhere: OCR of handwriting and italics often
    /// drops the spaces ("дветысячистовосемь"), which costs nothing; a word that spans a space OCR put
    /// inside it ("двад цать") costs one correction per space.
    func candidates(_ text: String, language: NumberLanguage) -> [NumberWordsReading] {
        let tokens = NumberWordsText.tokens(text, for: language)
        var letters: [Unicode.Scalar] = []
        var spaceBefore = Set<Int>()
        for token in tokens {
            if !letters.isEmpty { spaceBefore.insert(letters.count) }
            letters += token
        }
        guard !letters.isEmpty, letters.count <= 200 else { return [] }
        let matcher = WordMatcher(vocabulary: NumberWordsVocabulary.words(for: language))
        var beams = [[Hypothesis]](repeating: [], count: letters.count + 1)
        beams[0] = [Hypothesis(cost: 0, words: [])]
        for start in letters.indices {
            let current = Self.pruned(beams[start], width: beamWidth)
            guard !current.isEmpty else { continue }
            for match in matcher.matches(in: letters, from: start) {
                let spacesInside = spaceBefore.filter { $0 > start && $0 < match.end }.count
                for hypothesis in current {
                    beams[match.end].append(Hypothesis(cost: hypothesis.cost + match.distance + spacesInside,
                                                       words: hypothesis.words + [match.word]))
                }
            }
        }
        var cheapest: [Int: NumberWordsReading] = [:]
        for hypothesis in Self.pruned(beams[letters.count], width: beamWidth * 4) {
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

/// Matches stretches of letters to a vocabulary by edit distance.
private struct WordMatcher {
    let vocabulary: [NumberWord]

    init(vocabulary: [NumberWord]) {
        self.vocabulary = vocabulary
    }

    /// Every vocabulary word that `letters[start..<end]` matches within the word's correction budget, for
    /// every `end`: one edit-distance table per word gives the distances of all stretches from `start` at once.
    func matches(in letters: [Unicode.Scalar], from start: Int) -> [(end: Int, word: NumberWord, distance: Int)] {
        var found: [(end: Int, word: NumberWord, distance: Int)] = []
        let available = letters.count - start
        for word in vocabulary {
            let target = word.letters
            let budget = NumberWordsParser.correctionBudget(forLength: target.count)
            let longest = min(available, target.count + budget)
            guard longest >= max(1, target.count - budget) else { continue }
            // Row r: distances between the first r letters from `start` and each prefix of the word.
            var before = [Int](repeating: 0, count: target.count + 1)
            var previous = Array(0...target.count)
            var current = [Int](repeating: 0, count: target.count + 1)
            for r in 1...longest {
                let letter = letters[start + r - 1]
                current[0] = r
                var rowMinimum = r
                for c in 1...target.count {
                    var best = min(previous[c] + 1, current[c - 1] + 1,
                                   previous[c - 1] + (letter == target[c - 1] ? 0 : 1))
                    if r > 1, c > 1, letter == target[c - 2], letters[start + r - 2] == target[c - 1] {
                        best = min(best, before[c - 2] + 1)
                    }
                    current[c] = best
                    rowMinimum = min(rowMinimum, best)
                }
                if current[target.count] <= budget {
                    found.append((start + r, word, current[target.count]))
                }
                if rowMinimum > budget { break }
                (before, previous, current) = (previous, current, before)
            }
        }
        return found
    }
}
