/// A value a reader found possible for a field, with the probability it gave it.
public struct ValueCandidate: Sendable, Equatable {
    public var value: Int
    public var probability: Double

    public init(value: Int, probability: Double) {
        self.value = value
        self.probability = probability
    }
}

/// The likeliest values of an equation's fields that make it hold, and how they compare with the rest.
public struct EquationSolution: Sendable, Equatable {
    /// The likeliest assignment under which the equation holds.
    public var values: [String: Int]
    /// Joint probability of `values`: the product of each field's candidate probability.
    public var probability: Double
    /// Joint probability of the next likeliest assignment that also makes the equation hold (0 if none found).
    public var runnerUp: Double
    /// Joint probability of every field's own likeliest value, whether or not the equation then holds.
    public var unconstrained: Double

    /// How many times likelier `values` is than any other assignment that makes the equation hold.
    public var margin: Double { runnerUp > 0 ? probability / runnerUp : .infinity }
    /// The probability of `values` against the fields' own likeliest readings (1 when they already hold).
    public var plausibility: Double { unconstrained > 0 ? probability / unconstrained : 0 }
}

/// Reads the fields of one equation together: each field's candidate values are weighed jointly, and the
/// likeliest combination under which the equation holds is returned with its runner-up.
///
/// This is how a protocol's own arithmetic corrects a misread digit: when "ballots received" was read as
/// 1284 (p = 0.6) or 1234 (p = 0.4) and only 1234 balances the equation, the solution says so, and how much
/// likelier it is than the next combination that balances. Whether that is strong enough to accept is for
/// the caller to decide.
public enum EquationDecoder {
    /// Most partial sums kept while combining fields.
    static let maxStates = 20_000

    /// `relation` as `sum(coefficient * field) + constant == 0`: each field's coefficient (left side
    /// positive) and the constant.
    public static func terms(of relation: ControlRelation) -> (coefficients: [String: Int], constant: Int) {
        var coefficients: [String: Int] = [:]
        var constant = 0
        for (terms, side) in [(relation.left, 1), (relation.right, -1)] {
            for term in terms {
                if let key = term.key {
                    coefficients[key, default: 0] += side * term.sign
                } else {
                    constant += side * term.sign * term.constant
                }
            }
        }
        return (coefficients, constant)
    }

    /// The solution of `relation` (an equation) over `candidates`, or nil when it is not an equation, a field
    /// has no candidates, or no combination of candidates makes it hold.
    ///
    /// Combinations less likely than `floor` times the fields' own likeliest readings are not looked at (the
    /// solution and runner-up are then the likeliest above it): a caller that needs a plausibility p and a
    /// margin m loses nothing with a floor below p / m.
    public static func solve(_ relation: ControlRelation, candidates: [String: [ValueCandidate]],
                             floor: Double = 1e-9) -> EquationSolution? {
        guard relation.comparison == .equal else { return nil }
        let (coefficients, constant) = terms(of: relation)
        let keys = relation.keys.filter { coefficients[$0] != 0 }
        var options: [[ValueCandidate]] = []
        for key in keys {
            guard let list = candidates[key]?.filter({ $0.probability > 0 }), !list.isEmpty else { return nil }
            options.append(list.sorted { $0.probability > $1.probability })
        }
        let unconstrained = options.map { $0[0].probability }.reduce(1, *)
        // bestAfter[i]: the likeliest the fields from position i on can be, to bound a partial combination.
        var bestAfter = [Double](repeating: 1, count: keys.count + 1)
        for position in stride(from: keys.count - 1, through: 0, by: -1) {
            bestAfter[position] = bestAfter[position + 1] * options[position][0].probability
        }
        let cutoff = floor * unconstrained

        // Partial sums of coefficient * value, each with its two likeliest choices of candidates.
        var states: [Int: [Partial]] = [constant: [Partial(probability: 1, choices: [])]]
        for (position, key) in keys.enumerated() {
            let coefficient = coefficients[key]!
            var next: [Int: [Partial]] = [:]
            for (sum, partials) in states {
                for partial in partials {
                    for (index, candidate) in options[position].enumerated() {
                        let probability = partial.probability * candidate.probability
                        // Candidates are sorted: once one cannot reach the cutoff, neither can the rest.
                        guard probability * bestAfter[position + 1] >= cutoff else { break }
                        let extended = Partial(probability: probability, choices: partial.choices + [index])
                        next[sum + coefficient * candidate.value, default: []].insertKeepingTwo(extended)
                    }
                }
            }
            states = pruned(next)
        }
        guard let balanced = states[0], let best = balanced.first else { return nil }
        var values: [String: Int] = [:]
        for (position, key) in keys.enumerated() { values[key] = options[position][best.choices[position]].value }
        return EquationSolution(values: values, probability: best.probability,
                                runnerUp: balanced.count > 1 ? balanced[1].probability : 0,
                                unconstrained: unconstrained)
    }

    fileprivate struct Partial {
        var probability: Double
        var choices: [Int]
    }

    private static func pruned(_ states: [Int: [Partial]]) -> [Int: [Partial]] {
        var kept = states
        if kept.count > maxStates {
            let cut = kept.values.compactMap { $0.first?.probability }.sorted(by: >)[maxStates - 1]
            kept = kept.filter { ($0.value.first?.probability ?? 0) >= cut }
        }
        return kept
    }
}

private extension Array where Element == EquationDecoder.Partial {
    /// Adds `partial`, keeping the two likeliest, likeliest first.
    mutating func insertKeepingTwo(_ partial: Element) {
        if count < 2 {
            append(partial)
        } else if partial.probability > self[1].probability {
            self[1] = partial
        } else {
            return
        }
        if count == 2, self[1].probability > self[0].probability { swapAt(0, 1) }
    }
}
