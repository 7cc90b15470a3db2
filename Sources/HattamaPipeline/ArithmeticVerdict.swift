/// What the arithmetic reading made of an equation that had a field not yet accepted, written on the
/// equation's relation in the record (`RelationRecord.arithmetic`): that it settled its open fields, or the
/// first rule of `ArithmeticReading.apply` that kept it from doing so. A reviewer sees why the protocol's
/// own arithmetic did not confirm a field; `tools/corpus/open_equations.py` counts them over a corpus.
public enum ArithmeticVerdict: Equatable, CustomStringConvertible {
    /// The equation settled every open field of it.
    case settled
    /// No combination of the fields' candidate values balances it.
    case noBalancingValues
    /// Another balancing combination is less than `AcceptRule.arithmeticMargin` times less likely.
    case notUnique
    /// The balancing combination is far less likely than the fields' own readings (`arithmeticPlausibility`).
    case implausible
    /// The classifier gave this field's value too little probability (own-reading or correction floor).
    case weakReading(key: String)
    /// Another reader (Tesseract on a page where it proved reliable, or the "in words" cell) reads this field
    /// otherwise with conviction.
    case contradicted(key: String)
    /// A correction beside an open field read weakly, or whose digit count rests on a judgement.
    case weakCompanion
    /// Two open fields could both be misread so that the equation balances as well.
    case twoMisreadsCouldBalance

    /// What a recorded verdict means, in words for the terminal summary; nil for `settled` and for text that
    /// is no verdict.
    public static func explanation(of recorded: String) -> String? {
        let key = recorded.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        var holdingOpen: [ArithmeticVerdict] = [.noBalancingValues, .notUnique, .implausible, .weakCompanion,
                                                .twoMisreadsCouldBalance]
        if !key.isEmpty { holdingOpen += [.weakReading(key: key), .contradicted(key: key)] }
        return holdingOpen.first { $0.description == recorded }?.explanation
    }

    /// The verdict in words; nil for `settled`.
    var explanation: String? {
        switch self {
        case .settled: nil
        case .noBalancingValues: "no reading of its fields balances it"
        case .notUnique: "more than one reading of its fields balances it"
        case .implausible: "it balances only on readings far less likely than those read"
        case .weakReading(let key): "the classifier gave \(key)'s balancing value too little probability"
        case .contradicted(let key): "another reader reads \(key) otherwise"
        case .weakCompanion: "a correction beside a reading too weak to vouch for it"
        case .twoMisreadsCouldBalance: "two misreads could balance it as well"
        }
    }

    public var description: String {
        switch self {
        case .settled: "settled"
        case .noBalancingValues: "no_balancing_values"
        case .notUnique: "not_unique"
        case .implausible: "implausible"
        case .weakReading(let key): "weak_reading:\(key)"
        case .contradicted(let key): "contradicted:\(key)"
        case .weakCompanion: "weak_companion"
        case .twoMisreadsCouldBalance: "two_misreads_could_balance"
        }
    }
}
