/// Counts of how records compare with the truth, for one group (all, a degradation, a form, a reader).
public struct AccuracyTally: Sendable, Codable, Equatable {
    public var protocols = 0
    public var fields = 0
    /// Fields whose value equals the truth.
    public var exact = 0
    /// Fields accepted without a person.
    public var accepted = 0
    /// Accepted fields whose value is wrong: silent errors, the worst outcome.
    public var acceptedWrong = 0
    /// Fields marked uncertain for a person.
    public var flagged = 0
    /// Protocols the truth says are inconsistent.
    public var inconsistentTruth = 0
    /// Of those, reported as inconsistent.
    public var inconsistentFound = 0
    /// Consistent protocols reported as inconsistent.
    public var falselyInconsistent = 0
    /// Pages that could not be read at all.
    public var unreadable = 0
    /// Fields in an equation of the form that holds by the truth: the most the protocol's arithmetic could
    /// confirm. A field in no equation (the precinct number, voters on the list) or only in equations the
    /// protocol itself breaks can be accepted only on two independent readers that agree.
    public var inBalancedEquation = 0

    enum CodingKeys: String, CodingKey {
        case protocols, fields, exact, accepted, flagged, unreadable
        case acceptedWrong = "accepted_wrong"
        case inconsistentTruth = "inconsistent_truth"
        case inconsistentFound = "inconsistent_found"
        case falselyInconsistent = "falsely_inconsistent"
        case inBalancedEquation = "in_balanced_equation"
    }

    public init() {}

    /// Adds one record compared with its truth; `relations` are its form's, for `inBalancedEquation`.
    public mutating func add(record: ProtocolRecord, truth: TruthFile, relations: [ControlRelation] = []) {
        protocols += 1
        inBalancedEquation += Self.keysInBalancedEquations(truth: truth, relations: relations)
            .intersection(truth.values.keys).count
        if !truth.consistent {
            inconsistentTruth += 1
            if record.status == .inconsistent { inconsistentFound += 1 }
        } else if record.status == .inconsistent {
            falselyInconsistent += 1
        }
        for (key, expected) in truth.values {
            fields += 1
            let field = record.field(key)
            let isExact = field?.value == expected
            if isExact { exact += 1 }
            if field?.isTrusted == true {
                accepted += 1
                if !isExact { acceptedWrong += 1 }
            } else {
                flagged += 1
            }
        }
    }

    /// Adds a page that could not be read: every truth field counts as flagged.
    public mutating func addUnreadable(truth: TruthFile) {
        protocols += 1
        unreadable += 1
        fields += truth.values.count
        flagged += truth.values.count
        if !truth.consistent { inconsistentTruth += 1 }
    }

    /// The keys of every equation among `relations` that holds with the truth's values.
    static func keysInBalancedEquations(truth: TruthFile, relations: [ControlRelation]) -> Set<String> {
        var counts: [String: Int] = [:]
        for (key, value) in truth.values {
            if case .number(let n)? = value { counts[key] = n }
        }
        var keys = Set<String>()
        for relation in relations where relation.comparison == .equal && relation.evaluate(counts)?.holds == true {
            keys.formUnion(relation.keys)
        }
        return keys
    }

    public var exactShare: Double { fields == 0 ? 0 : Double(exact) / Double(fields) }
    public var acceptedShare: Double { fields == 0 ? 0 : Double(accepted) / Double(fields) }
    public var inBalancedEquationShare: Double { fields == 0 ? 0 : Double(inBalancedEquation) / Double(fields) }
}
