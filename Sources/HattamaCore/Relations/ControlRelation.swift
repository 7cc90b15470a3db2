import Foundation

/// A relation made concrete for one form and election: every `sum(...)` and `each(...)` expanded to keys.
public struct ControlRelation: Sendable, Equatable {
    /// The template's relation id; `each(...)` relations get `id[key]`, one per matching field.
    public var id: String
    /// The expression as written in the template (with the key substituted for `each`).
    public var expression: String
    public var comparison: RelationExpression.Comparison
    public var left: [SignedTerm]
    public var right: [SignedTerm]

    /// A key or a constant with its sign.
    public struct SignedTerm: Sendable, Equatable {
        public var sign: Int
        public var key: String?
        public var constant: Int
    }

    /// Every field key the relation involves, in order of appearance, without repeats.
    public var keys: [String] {
        var seen = Set<String>()
        return (left + right).compactMap(\.key).filter { seen.insert($0).inserted }
    }

    /// The outcome for these values: nil when a value it needs is missing.
    public func evaluate(_ values: [String: Int]) -> RelationOutcome? {
        func total(_ terms: [SignedTerm]) -> Int? {
            var sum = 0
            for term in terms {
                if let key = term.key {
                    guard let value = values[key] else { return nil }
                    sum += term.sign * value
                } else {
                    sum += term.sign * term.constant
                }
            }
            return sum
        }
        guard let l = total(left), let r = total(right) else { return nil }
        return RelationOutcome(left: l, right: r, holds: comparison.holds(l, r))
    }

    /// When exactly `key` is unknown and the relation is an equation, the value it implies.
    public func impliedValue(of key: String, given values: [String: Int]) -> Int? {
        guard comparison == .equal else { return nil }
        var coefficient = 0
        var rest = 0
        for (terms, side) in [(left, 1), (right, -1)] {
            for term in terms {
                if term.key == key {
                    coefficient += side * term.sign
                } else if let other = term.key {
                    guard let value = values[other] else { return nil }
                    rest += side * term.sign * value
                } else {
                    rest += side * term.sign * term.constant
                }
            }
        }
        guard coefficient != 0, rest % coefficient == 0 else { return nil }
        let value = -rest / coefficient
        return value >= 0 ? value : nil
    }
}

/// Both sides of a relation evaluated, and whether it holds.
public struct RelationOutcome: Sendable, Equatable {
    public var left: Int
    public var right: Int
    public var holds: Bool
}

/// Expands parsed relations over the field keys of a resolved form.
public enum RelationExpander {
    /// Concrete relations for `spec` over `keys`; `each(prefix.*)` yields one relation per matching key.
    public static func expand(_ spec: RelationSpec, parsed: RelationExpression, keys: [String]) -> [ControlRelation] {
        func matching(_ prefix: String) -> [String] { keys.filter { $0.hasPrefix(prefix) } }
        func flatten(_ sum: RelationExpression.Sum, sign: Int, eachKey: String?) -> [ControlRelation.SignedTerm] {
            sum.terms.flatMap { item -> [ControlRelation.SignedTerm] in
                let s = sign * item.sign
                switch item.term {
                case .key(let key): return [.init(sign: s, key: key, constant: 0)]
                case .number(let n): return [.init(sign: s, key: nil, constant: n)]
                case .sum(let prefix): return matching(prefix).map { .init(sign: s, key: $0, constant: 0) }
                case .each: return [.init(sign: s, key: eachKey, constant: 0)]
                case .group(let inner): return flatten(inner, sign: s, eachKey: eachKey)
                }
            }
        }
        let eachPrefixes = (parsed.left.terms + parsed.right.terms).compactMap { item -> String? in
            if case .each(let prefix) = item.term { return prefix }
            return nil
        }
        guard let eachPrefix = eachPrefixes.first else {
            return [ControlRelation(id: spec.id, expression: spec.expr, comparison: parsed.comparison,
                                    left: flatten(parsed.left, sign: 1, eachKey: nil),
                                    right: flatten(parsed.right, sign: 1, eachKey: nil))]
        }
        return matching(eachPrefix).map { key in
            ControlRelation(
                id: "\(spec.id)[\(key)]",
                expression: spec.expr.replacingOccurrences(of: "each(\(eachPrefix)*)", with: key),
                comparison: parsed.comparison,
                left: flatten(parsed.left, sign: 1, eachKey: key),
                right: flatten(parsed.right, sign: 1, eachKey: key))
        }
    }
}

extension ControlRelation {
    /// The relation as `sum(coefficient * value) + constant` compared with 0: left minus right.
    var linearForm: (coefficients: [String: Int], constant: Int) {
        var coefficients: [String: Int] = [:]
        var constant = 0
        for term in left { if let key = term.key { coefficients[key, default: 0] += term.sign } else { constant += term.sign * term.constant } }
        for term in right { if let key = term.key { coefficients[key, default: 0] -= term.sign } else { constant -= term.sign * term.constant } }
        return (coefficients, constant)
    }

    /// Whether any choice among each key's candidate values, with any non-negative value for keys that
    /// have none, satisfies the relation. Too many combinations to try counts as satisfiable.
    public func isSatisfiable(candidates: [String: [Int]], combinationLimit: Int = 512) -> Bool {
        let (coefficients, constant) = linearForm
        let unknown = coefficients.filter { $0.value != 0 && (candidates[$0.key] ?? []).isEmpty }.map(\.value)
        let known = coefficients.filter { $0.value != 0 && !(candidates[$0.key] ?? []).isEmpty }.sorted { $0.key < $1.key }
        let combinations = known.reduce(1) { $0 * max(1, candidates[$1.key]!.count) }
        guard combinations <= combinationLimit else { return true }
        let canRise = unknown.contains { $0 > 0 }, canFall = unknown.contains { $0 < 0 }

        func holds(_ base: Int) -> Bool {
            // left - right ranges over [low, high] as the unknown keys vary over non-negative numbers.
            let low = canFall ? Int.min : base, high = canRise ? Int.max : base
            switch comparison {
            case .equal: return low <= 0 && 0 <= high
            case .greaterOrEqual: return high >= 0
            case .greater: return high > 0
            case .lessOrEqual: return low <= 0
            case .less: return low < 0
            }
        }
        func search(_ index: Int, _ sum: Int) -> Bool {
            guard index < known.count else { return holds(sum) }
            let (key, coefficient) = known[index]
            return candidates[key]!.contains { search(index + 1, sum + coefficient * $0) }
        }
        return search(0, constant)
    }
}

extension ControlRelation {
    /// Every value the equation implies for `key` as the other keys range over their candidate values: what
    /// `key` would have to read for the equation to hold. Nil when the relation is no equation, `key` is not
    /// in it, another key has no candidates, or there are more than `combinationLimit` choices to try.
    public func impliedValues(of key: String, candidates: [String: [Int]], combinationLimit: Int = 4096) -> Set<Int>? {
        guard comparison == .equal else { return nil }
        let (coefficients, constant) = linearForm
        guard let own = coefficients[key], own != 0 else { return nil }
        let others = coefficients.filter { $0.key != key && $0.value != 0 }.sorted { $0.key < $1.key }
        guard others.allSatisfy({ !(candidates[$0.key] ?? []).isEmpty }),
              others.reduce(1, { $0 * candidates[$1.key]!.count }) <= combinationLimit else { return nil }
        var implied = Set<Int>()
        func search(_ index: Int, _ sum: Int) {
            guard index < others.count else {
                // own * value + sum == 0
                if sum % own == 0, -sum / own >= 0 { implied.insert(-sum / own) }
                return
            }
            let (other, coefficient) = others[index]
            for value in Set(candidates[other]!) { search(index + 1, sum + coefficient * value) }
        }
        search(0, constant)
        return implied
    }
}
