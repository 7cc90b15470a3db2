import HattamaCore

/// What a single cell of a handwritten protocol holds: a digit or one of the non-digit marks.
public enum DigitClass: String, Sendable, CaseIterable, Codable {
    case d0 = "0", d1 = "1", d2 = "2", d3 = "3", d4 = "4", d5 = "5", d6 = "6", d7 = "7", d8 = "8", d9 = "9"
    /// An empty cell (specks and box-border remnants allowed).
    case blank
    /// A horizontal stroke used as padding.
    case dash
    /// An X or a single diagonal slash used as padding.
    case cross
    /// A digit crossed out by a scribble or a line.
    case struck

    /// The digit value for `d0`...`d9`, nil for the marks.
    public var digit: Int? { Int(rawValue) }
}

/// The classifier's verdict on one cell, with calibrated probabilities for every class.
public struct DigitPrediction: Sendable {
    /// Calibrated probability of every class; they sum to 1.
    public let probabilities: [DigitClass: Double]
    /// The most probable class.
    public let best: DigitClass
    /// Probability of `best`; accept a reading only when this is very high (see docs/digit-model.md).
    public let confidence: Double
    /// The second most probable class.
    public let runnerUp: DigitClass
    /// Fraction of the cell covered by ink after cleaning (0 for an empty cell).
    public let inkFraction: Double

    /// Creates a prediction from a probability vector ordered as `DigitClass.allCases`.
    init(orderedProbabilities p: [Double], inkFraction: Double) {
        let classes = DigitClass.allCases
        var map = [DigitClass: Double](minimumCapacity: classes.count)
        var first = 0, second = 1
        if p[1] > p[0] { first = 1; second = 0 }
        for (i, c) in classes.enumerated() {
            map[c] = p[i]
            if i >= 2 {
                if p[i] > p[first] { second = first; first = i } else if p[i] > p[second] { second = i }
            }
        }
        probabilities = map
        best = classes[first]
        confidence = p[first]
        runnerUp = classes[second]
        self.inkFraction = inkFraction
    }
}
