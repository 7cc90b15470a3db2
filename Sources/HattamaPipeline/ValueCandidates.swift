import HattamaCore
import HattamaOCR

/// The numbers a field's cells could spell, with their probabilities, from the classifier's verdict on
/// each cell: what the arithmetic chooses among when it reads an equation's fields together.
enum ValueCandidates {
    /// A class below this probability in a cell is not considered.
    static let classFloor = 0.001
    /// Values below this probability are left out.
    static let valueFloor = 1e-4
    /// Most digit sequences kept while going through the cells, and most values returned.
    static let beamWidth = 64
    static let maxValues = 12

    /// Values spelled by `predictions` (cells in order, blank cells before the first and after the last mark
    /// already left out), likeliest first.
    ///
    /// Padding (blank, dash, X) and struck-out marks may only come before the first digit (a number struck
    /// out and written again after it, as in a free cell): either after a digit, no digit at all, or more
    /// than `FieldEvidence.maxDigits` digits leaves the sequence out. A sequence's probability
    /// is the product of its cells' probabilities; sequences spelling the same number are added up.
    static func from(_ predictions: [DigitPrediction]) -> [ValueCandidate] {
        var beam: [Sequence] = [Sequence(value: 0, digits: 0, probability: 1)]
        for prediction in predictions {
            var next: [Sequence] = []
            for sequence in beam {
                for (cellClass, p) in prediction.probabilities where p >= classFloor {
                    let probability = sequence.probability * p
                    if let digit = cellClass.digit {
                        // Longer than any count: the sequence is left out (and would overflow `Int`).
                        guard sequence.digits < FieldEvidence.maxDigits else { continue }
                        next.append(Sequence(value: sequence.value * 10 + digit, digits: sequence.digits + 1,
                                             probability: probability))
                    } else if sequence.digits == 0 {
                        next.append(Sequence(value: 0, digits: 0, probability: probability))
                    }
                }
            }
            beam = Array(merged(next).sorted { $0.probability > $1.probability }.prefix(beamWidth))
        }
        var byValue: [Int: Double] = [:]
        for sequence in beam where sequence.digits > 0 { byValue[sequence.value, default: 0] += sequence.probability }
        let candidates: [ValueCandidate] = byValue.filter { $0.value >= valueFloor }
            .map { ValueCandidate(value: $0.key, probability: $0.value) }
        let ranked = candidates.sorted { a, b in
            a.probability != b.probability ? a.probability > b.probability : a.value < b.value
        }
        return Array(ranked.prefix(maxValues))
    }

    private struct Sequence: Hashable {
        var value: Int
        var digits: Int
        var probability: Double

        static func == (a: Sequence, b: Sequence) -> Bool { a.value == b.value && a.digits == b.digits }
        func hash(into hasher: inout Hasher) {
            hasher.combine(value)
            hasher.combine(digits)
        }
    }

    /// Sequences with the same value and digit count (a leading 0 against a leading dash) added up.
    private static func merged(_ sequences: [Sequence]) -> [Sequence] {
        var sums: [Sequence: Double] = [:]
        for sequence in sequences { sums[sequence, default: 0] += sequence.probability }
        return sums.map { Sequence(value: $0.key.value, digits: $0.key.digits, probability: $0.value) }
    }
}
