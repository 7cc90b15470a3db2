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
        let parts = recorded.split(separator: ":", maxSplits: 1).map(String.init)
        let key = parts.count == 2 ? parts[1] : ""
        switch parts.first ?? "" {
        case "no_balancing_values": return "no reading of its fields balances it"
        case "not_unique": return "more than one reading of its fields balances it"
        case "implausible": return "it balances only on readings far less likely than those read"
        case "weak_reading" where !key.isEmpty: return "the classifier gave \(key)'s balancing value too little probability"
        case "contradicted" where !key.isEmpty: return "another reader reads \(key) otherwise"
        case "weak_companion": return "a correction beside a reading too weak to vouch for it"
        case "two_misreads_could_balance": return "two misreads could balance it as well"
        default: return nil
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
