/// Applies a form's control relations to freshly read fields: failed relations mark their fields for review,
/// a lone uncertain field in an equation gets the value the equation implies as a suggestion, and the
/// protocol gets its overall status.
public enum ConsistencyChecker {
    /// Reason code added to every field of a relation that fails.
    public static let relationFailedReason = "relation_failed"
    /// Reason of a field read by one strong reader only: accepted once an equation it takes part in holds
    /// with every other field accepted or equally strong. A field in no equation stays uncertain: on the
    /// handwritten validation corpus the classifier alone misread 2449 as 7449 at p > 0.999.
    public static let needsRelationSupport = "needs_relation_support"
    /// How strong a one-reader value must be to count as read when judging the whole form `inconsistent`.
    /// Kept apart from the floor at which such a value may wait for the arithmetic: on the handwritten
    /// validation corpus lowering that floor from 0.99 to 0.95 accepted 24% of fields instead of 15% with
    /// none wrong, but letting those readings judge forms raised falsely inconsistent forms from 4 to 14.
    public static let boundingFloor = 0.99
    /// Lowest confidence of the digit classifier for readers that agree to bound a field when judging the
    /// whole form `inconsistent`, on pages where Tesseract has not proved reliable. Agreement with a weak
    /// reading there is no finding: Tesseract at 0.98 and the classifier at 0.55 both read a handwritten 304
    /// as 307, and hw300's referendum 294 was called inconsistent. On printed pages Tesseract is the sure
    /// reader and the classifier may be unsure of a printed 1 (1110 at 0.62).
    public static let agreementFloor = 0.9
    /// Lowest confidence of the digit classifier for readers that agree to bound a field on any page. Digit
    /// model v7 read hw300's referendum 294's handwritten 304 as 307 at 0.37, and Tesseract read 307 at 0.98 on
    /// a page where it had proved reliable; the consistent form was called inconsistent.
    public static let classifierAgreementFloor = 0.5
    /// Lowest confidence of Tesseract for readers that agree to bound a field when judging the whole form
    /// `inconsistent`. Tesseract below it and the classifier misread one handwritten digit alike: seed 26's
    /// referendum 0046 read 851 as 857 (Tesseract 0.47, classifier 0.99), its referendum 0170 read 275 as 75
    /// (0.50 and 0.99), and its wall 0020 read 692 as 672 (0.21 and 0.62); all three consistent forms were
    /// called inconsistent.
    public static let tesseractAgreementFloor = 0.5
    /// Reason of a field whose boxes were struck out and whose number was read where it was written again.
    public static let correctedReason = "corrected"
    /// Reason of a field beside whose boxes a number is written, though no box was seen struck out.
    public static let writtenBesideReason = "written_beside"
    /// Reasons of fields whose readers all read one crop beside the boxes (a number written again), so their
    /// agreement bounds nothing: 2720 rewritten was read 272 by both, and hw300's referendum 114 was called
    /// inconsistent.
    public static let sameCropReasons: Set<String> = [correctedReason, writtenBesideReason]
    /// Reason of a boxed field with a box too faint for the ink test in which the classifier sees a digit: both
    /// readers may read the number a digit short, so their agreement bounds nothing either.
    public static let faintMarkReason = "faint_mark"
    /// Reasons under which the readers' agreement on a field bounds nothing.
    static let agreementBoundsNothing: Set<String> = sameCropReasons.union([faintMarkReason])

    /// The fields with relation outcomes applied, the relation records, and the overall status.
    /// `agreementNeedsSureClassifier`: whether readers that agree bound a field only with the classifier at
    /// `agreementFloor` (pages where Tesseract has not proved reliable). `judgedSegmentation`: fields whose
    /// digit count rests on a wide group of free-hand ink kept whole as one digit; their one strong reading
    /// bounds nothing (with digit model v7 three consistent A4 forms were called inconsistent on one: 2155 read
    /// 255, 1182 read 182, 1722 read 172, each at p >= 0.99).
    /// `standingAlone`: accepted fields whose readers would have accepted them had no equation checked them
    /// (two readers agreeing at the floors of the precinct number and voters on the list); a broken equation
    /// leaves them accepted when its other fields can carry the blame (`keysToBlame`).
    public static func check(fields input: [FieldRecord], relations: [ControlRelation],
                             agreementNeedsSureClassifier: Bool = false, judgedSegmentation: Set<String> = [],
                             standingAlone: Set<String> = [])
        -> (fields: [FieldRecord], relations: [RelationRecord], status: ProtocolStatus)
    {
        var fields = input
        let index = Dictionary(fields.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
        let allValues = values(of: fields) { _ in true }
        let trustedBefore = Set(fields.filter(\.isTrusted).map(\.key))
        // A relation broken by values that every reader agrees on is a finding about the form itself,
        // even when a reader was not confident enough for the field to be accepted on its own.
        let agreedBefore = Set(fields.filter {
            ($0.isTrusted && !restsOnAnUnsureLineAgreement($0)) || agreeSurely($0, needsSureClassifier: agreementNeedsSureClassifier)
        }.map(\.key))
        let trustedValues = values(of: fields) { $0.isTrusted }
        // Accepted fields, and one-reader fields strong enough to wait for an equation's support.
        let strongBefore = trustedBefore.union(fields.filter { $0.reasons == [needsRelationSupport] }.map(\.key))

        // Values each field could have: the agreed value, or (when in doubt) any value at all.
        var candidates: [String: [Int]] = [:]
        for field in fields {
            if agreedBefore.contains(field.key) {
                candidates[field.key] = field.count.map { [$0] } ?? []
            } else if field.reasons == [needsRelationSupport], field.confidence >= boundingFloor,
                      !judgedSegmentation.contains(field.key), let n = field.count {
                // One very strong reading (every digit at least `boundingFloor`, digit count matching the
                // ink) bounds the field as well as two agreeing ones would.
                candidates[field.key] = [n]
            } else {
                // Any other doubtful field might hold any value: on handwriting both readers were seen
                // misreading the same digit (1284 read as 1754 and 1784), so their readings do not bound it.
                candidates[field.key] = []
            }
        }

        var records: [RelationRecord] = []
        var formIsInconsistent = false
        for relation in relations {
            let outcome = relation.evaluate(allValues)
            records.append(RelationRecord(id: relation.id, expression: relation.expression, holds: outcome?.holds,
                                          left: outcome?.left, right: outcome?.right, keys: relation.keys))
            let isBroken = outcome.map { !$0.holds } ?? false
            // No value of the one doubtful field can make it hold (say the others imply a negative count for
            // a blank one): the form itself breaks its arithmetic.
            // Judged only when at most one field is unbounded: with several doubtful readings the likelier
            // story is a misread, not a form that breaks its own arithmetic.
            let doubtful = relation.keys.filter { (candidates[$0] ?? []).isEmpty }.count
            let cannotHold = doubtful <= 1 && !relation.isSatisfiable(candidates: candidates)
            if cannotHold { formIsInconsistent = true }
            guard isBroken || cannotHold else { continue }
            let standing = standingAlone.intersection(trustedBefore)
            let blamed: [String]
            if relation.comparison == .equal, relation.keys.allSatisfy(standing.contains) {
                // Every number of the equation read surely by two readers of different kinds: the protocol
                // itself breaks its arithmetic (the form is judged inconsistent), and its numbers are
                // what was written (on hw300, seed 26 and seed 33 this kept 0.4 to 0.9% more fields accepted,
                // none of them wrong). But where one of them stands on the line reader's agreement with a
                // classifier below `boundingFloor`, the equation asking one of them to differ by one digit is
                // the likelier story, as in `keysToBlame`: seed 63's referendum 0086, 699 read 609 by both beside
                // 1016 received, which stood on the line reader at 0.9999 and the classifier at 0.979.
                let restsOnUnsureAgreement = relation.keys.contains { key in
                    index[key].map { restsOnAnUnsureLineAgreement(fields[$0]) } ?? false
                }
                let asReadOnly = readCandidates(relation, fields: fields, index: index, fixed: Set(relation.keys),
                                                values: allValues)
                let asksOneDigit = asReadOnly.map {
                    asksOneDigitChange(relation, of: relation.keys, candidates: $0, values: allValues)
                } ?? true
                blamed = restsOnUnsureAgreement && asksOneDigit ? relation.keys : []
                // Numbers kept as read that break an equation are the form's finding, also where one of them
                // rests on an unsure agreement and so bounds nothing above.
                if blamed.isEmpty { formIsInconsistent = true }
            } else {
                // An equation no value can balance still leaves its standing fields their values where
                // `keysToBlame` finds none of them the likelier culprit: the form is judged inconsistent above.
                blamed = cannotHold && relation.comparison != .equal
                    ? relation.keys
                    : keysToBlame(relation, fields: fields, index: index, strong: strongBefore, values: allValues,
                                  standingAlone: standing)
            }
            for key in blamed {
                guard let i = index[key] else { continue }
                if fields[i].status == .accepted { fields[i].status = .uncertain }
                fields[i].reasons.append("\(relationFailedReason):\(relation.id)")
            }
        }

        promoteRelationSupported(&fields, relations: relations, index: index, outcomes: records)

        for relation in relations where relation.comparison == .equal {
            let untrusted = relation.keys.filter { !trustedBefore.contains($0) }
            guard untrusted.count == 1, let key = untrusted.first, let i = index[key],
                  fields[i].suggestion == nil, fields[i].kind == .count,
                  let implied = relation.impliedValue(of: key, given: trustedValues) else { continue }
            fields[i].suggestion = Suggestion(value: .number(implied), relation: relation.id)
        }

        let status: ProtocolStatus
        if fields.isEmpty || fields.allSatisfy({ $0.value == nil }) {
            status = .unreadable
        } else if formIsInconsistent {
            status = .inconsistent
        } else if fields.allSatisfy(\.isTrusted) {
            status = .complete
        } else {
            status = .needsReview
        }
        return (fields, records, status)
    }

    /// Whether the field's readers agree, on crops of their own, with the classifier at `agreementFloor` when
    /// `needsSureClassifier`.
    static func agreeSurely(_ field: FieldRecord, needsSureClassifier: Bool) -> Bool {
        field.readersAgree && field.reasons.allSatisfy { !agreementBoundsNothing.contains($0) }
            && field.readings.allSatisfy { $0.reader != "tesseract" || $0.confidence >= tesseractAgreementFloor }
            && field.readings.allSatisfy {
                $0.reader != "digit_classifier" || $0.confidence >= (needsSureClassifier ? agreementFloor : classifierAgreementFloor)
            }
    }

    /// Whether an accepted field rests on the handwriting line reader agreeing with a classifier below
    /// `boundingFloor`, and nothing else: such a value bounds nothing when judging the whole form inconsistent.
    /// Both learned from the same writers, and a digit both misread alike (a flagged 1 read as 7 at 0.95 and
    /// 0.996, hw300's referendum 0102) would make a consistent form look broken.
    public static func restsOnAnUnsureLineAgreement(_ field: FieldRecord) -> Bool {
        guard let value = field.value,
              let line = field.readings.first(where: { $0.reader == "line_reader" }), line.value == value,
              let classifier = field.readings.first(where: { $0.reader == "digit_classifier" }),
              classifier.confidence < boundingFloor else { return false }
        return !field.readings.contains { $0.reader != "line_reader" && $0.reader != "digit_classifier" && $0.value == value }
    }

    /// The fields a broken relation casts doubt on: all of them, except for an inequality that another
    /// reading of its weak fields (neither accepted nor waiting for an equation's support) would satisfy.
    /// There the weak field is the likelier culprit: "voters on the list" read as 6 by Tesseract and 1116 by
    /// the classifier does not make 490 ballots issued, settled by its equation and spelled in words, doubtful.
    /// An equation's failure casts doubt on every field (`ArithmeticReading` has already tried every candidate
    /// of its open fields, and a field waiting for support still needs an equation to hold), except the fields
    /// standing alone (`check`) when another reading of the other fields would balance it: those were accepted
    /// on the standard of a field no equation checks, and the others' misreading is then the likelier story.
    /// "Any value" of the others is not enough: a digit both readers lost in a standing field (978 read 078 by
    /// both at p = 1.0, seed 33's RU 0171) balances with some value of any other field. When no reading balances
    /// it, the standing fields still keep their values unless the equation, with some reading of the others,
    /// asks one of them to differ by one digit from what was read (`differsByOneDigit`): each of the five shared
    /// misreads of a standing field in a broken equation on six corpora was so (a 9 read 0 every time), and
    /// this keeps 1.2 to 1.7% more fields accepted on each with none of them wrong (docs/accuracy.md).
    static func keysToBlame(_ relation: ControlRelation, fields: [FieldRecord], index: [String: Int],
                            strong: Set<String>, values: [String: Int], standingAlone: Set<String> = []) -> [String] {
        if relation.comparison == .equal {
            let alone = relation.keys.filter(standingAlone.contains)
            guard !alone.isEmpty, alone.count < relation.keys.count,
                  let candidates = readCandidates(relation, fields: fields, index: index, fixed: Set(alone), values: values)
            else { return relation.keys }
            let others = relation.keys.filter { !alone.contains($0) }
            if relation.isSatisfiable(candidates: candidates) { return others }
            // No reading of the others balances it. A standing field is still the likelier culprit when the
            // equation asks it to differ from what both readers read by one digit, written over or lost: the 9 of
            // 394 read 0 by both (seed 63's referendum 0134, where the line reader's 4 for the classifier's 2
            // makes the rest 394). Otherwise two readers would have to misread it by more than one digit alike.
            return asksOneDigitChange(relation, of: alone, candidates: candidates, values: values) ? relation.keys : others
        }
        guard let candidates = readCandidates(relation, fields: fields, index: index, fixed: strong, values: values)
        else { return relation.keys }
        let weak = relation.keys.filter { !strong.contains($0) }
        guard !weak.isEmpty, weak.count < relation.keys.count else { return relation.keys }
        return relation.isSatisfiable(candidates: candidates) ? weak : relation.keys
    }

    /// Whether the equation, with some candidate of its other fields, asks one of `keys` for a value one digit
    /// away from what was read (`differsByOneDigit`); also when a key's value or implied values are unknown.
    static func asksOneDigitChange(_ relation: ControlRelation, of keys: [String], candidates: [String: [Int]],
                                   values: [String: Int]) -> Bool {
        keys.contains { key in
            guard let value = values[key], let implied = relation.impliedValues(of: key, candidates: candidates)
            else { return true }
            return implied.contains { differsByOneDigit($0, value) }
        }
    }

    /// Whether two numbers' decimal digits differ in one place: one digit changed (394 and 304), or one digit
    /// left out (978 and 78).
    static func differsByOneDigit(_ a: Int, _ b: Int) -> Bool {
        let x = Array(String(a)), y = Array(String(b))
        if x.count == y.count { return zip(x, y).filter { $0 != $1 }.count == 1 }
        let (long, short) = x.count > y.count ? (x, y) : (y, x)
        guard long.count == short.count + 1 else { return false }
        return long.indices.contains { i in Array(long[..<i] + long[(i + 1)...]) == short }
    }

    /// The values each field of `relation` could hold: its value for the `fixed` ones, every number its readers
    /// read or offered as an alternative for the others. Nil when a field is missing or has no number at all.
    private static func readCandidates(_ relation: ControlRelation, fields: [FieldRecord], index: [String: Int],
                                       fixed: Set<String>, values: [String: Int]) -> [String: [Int]]? {
        var candidates: [String: [Int]] = [:]
        for key in relation.keys {
            guard let i = index[key] else { return nil }
            if fixed.contains(key) {
                guard let value = values[key] else { return nil }
                candidates[key] = [value]
            } else {
                let read = fields[i].readings.map(\.value) + fields[i].alternatives.map(\.value)
                let others = Set(read.compactMap { value -> Int? in
                    if case .number(let n)? = value { return n }
                    return nil
                })
                guard !others.isEmpty else { return nil }
                candidates[key] = Array(others)
            }
        }
        return candidates
    }

    /// Accepts one-reader fields that the arithmetic confirms (see `needsRelationSupport`).
    static func promoteRelationSupported(_ fields: inout [FieldRecord], relations: [ControlRelation],
                                         index: [String: Int], outcomes: [RelationRecord]) {
        func isPending(_ key: String) -> Bool {
            guard let i = index[key] else { return false }
            return fields[i].status == .uncertain && fields[i].reasons == [needsRelationSupport]
        }
        var confirmed = Set<String>()
        for (relation, outcome) in zip(relations, outcomes) where relation.comparison == .equal && outcome.holds == true {
            let keys = relation.keys
            guard keys.contains(where: isPending),
                  keys.allSatisfy({ key in isPending(key) || index[key].map { fields[$0].isTrusted } == true }) else { continue }
            confirmed.formUnion(keys.filter(isPending))
        }
        for (i, field) in fields.enumerated() where isPending(field.key) {
            if confirmed.contains(field.key) {
                fields[i].status = .accepted
                fields[i].reasons = []
            }
        }
    }

    private static func values(of fields: [FieldRecord], where include: (FieldRecord) -> Bool) -> [String: Int] {
        var values: [String: Int] = [:]
        for field in fields where include(field) {
            if let n = field.count { values[field.key] = n }
        }
        return values
    }
}
