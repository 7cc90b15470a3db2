import Foundation
import HattamaCore

/// Reads the fields of each equation of the form together, so that the protocol's own arithmetic can settle
/// digits the classifier was unsure of.
///
/// For every equation with a field not yet accepted, `EquationDecoder` finds the likeliest combination of
/// the fields' candidate values (accepted fields fixed) under which it holds. The combination settles the
/// open fields only when it is `AcceptRule.arithmeticMargin` times likelier than any other balancing
/// combination, not wildly less likely than the fields' own readings (`arithmeticPlausibility`), every value
/// it takes was given enough probability by the classifier (`arithmeticOwnReadingFloor` for its own reading,
/// `arithmeticCorrectionFloor` for another), no other reader contradicts it with conviction (the
/// "in words" cell, or Tesseract on a page where it proves reliable), and no two open fields could both be
/// misread so that it balances as well (`twoMisreadsCouldBalance`). Each field it settles records an
/// `arithmetic` reading naming the equation, beside what the readers saw, so the record shows how the value
/// was reached. The relations are judged afterwards by `ConsistencyChecker` as usual.
enum ArithmeticReading {
    /// Reader name of the value an equation settled.
    static let reader = "arithmetic"

    static func apply(_ readings: [FieldReading], relations: [ControlRelation], rule: AcceptRule) -> [FieldRecord] {
        applyExplained(readings, relations: relations, rule: rule).fields
    }

    /// `apply`, with the verdict on each equation it read, by relation id (`ArithmeticVerdict`): the last
    /// one, as equations are read again after another settles fields.
    static func applyExplained(_ readings: [FieldReading], relations: [ControlRelation], rule: AcceptRule)
        -> (fields: [FieldRecord], verdicts: [String: ArithmeticVerdict]) {
        var fields = readings.map(\.record)
        var verdicts: [String: ArithmeticVerdict] = [:]
        guard let margin = rule.arithmeticMargin else { return (fields, verdicts) }
        let index = Dictionary(fields.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
        var candidates: [String: [ValueCandidate]] = [:]
        // Fields whose words spell another number than the classifier's first reading: the words are taken as
        // the field's value, and the equation may then confirm it only with its other fields as first read.
        var overriddenByWords = Set<String>()
        for (field, reading) in zip(fields, readings) {
            if field.isTrusted {
                if let n = field.count { candidates[field.key] = [ValueCandidate(value: n, probability: 1)] }
            } else if let words = reading.wordsConviction, let corrections = reading.wordsCorrections,
                      corrections <= rule.wordsMaxCorrections {
                candidates[field.key] = [ValueCandidate(value: words, probability: 1)]
                if reading.candidates.first?.value != words { overriddenByWords.insert(field.key) }
            } else if !reading.candidates.isEmpty {
                candidates[field.key] = reading.candidates
            }
        }
        let judgedSegmentation = keysWithJudgedSegmentation(readings)
        let tesseractCounts = tesseractIsReliable(on: readings, rule: rule)
        var convictions: [String: Set<Int>] = [:]
        var sureConvictions: [String: Set<Int>] = [:]
        for reading in readings {
            // The words and the handwriting line reader count on every page; Tesseract only where it proves reliable.
            // The line reader read seed 63's wall 0008's 1210 ballots received right at 0.987 where the equation
            // balanced on 1910 and 977 (1210 and 277 written), the classifier's misreads.
            let sure = [reading.wordsConviction, reading.lineConviction].compactMap { $0 }
            let numbers = [tesseractCounts ? reading.tesseractConviction : nil].compactMap { $0 } + sure
            convictions[reading.record.key, default: []].formUnion(numbers)
            sureConvictions[reading.record.key, default: []].formUnion(sure)
        }
        let equations = relations.filter { $0.comparison == .equal }
        var settledSomething = true
        while settledSomething {
            settledSomething = false
            for equation in equations {
                let open = equation.keys.filter { key in index[key].map { !fields[$0].isTrusted } ?? false }
                var choices = candidates
                if open.contains(where: overriddenByWords.contains) {
                    for key in open where !overriddenByWords.contains(key) { choices[key] = choices[key].map { Array($0.prefix(1)) } }
                }
                guard !open.isEmpty else { continue }
                guard let solution = EquationDecoder.solve(equation, candidates: choices,
                                                           floor: rule.arithmeticPlausibility / margin / 10)
                else { verdicts[equation.id] = .noBalancingValues; continue }
                guard solution.margin >= margin else { verdicts[equation.id] = .notUnique; continue }
                guard solution.plausibility >= rule.arithmeticPlausibility else {
                    verdicts[equation.id] = .implausible
                    continue
                }
                // Tesseract may be overruled on one field of the equation, not on two: two fields it read
                // otherwise can be two misreads of the classifier that balance each other (seed 22: 291 and
                // 245 read as 791 and 745, and right by Tesseract).
                let contradicted = open.filter { key in
                    solution.values[key].map { value in (convictions[key] ?? []).contains { $0 != value } } ?? false
                }
                let weakAllowed = weakOwnReadingHasSureCompanions(solution.values, open: open, candidates: candidates,
                                                                   judgedSegmentation: judgedSegmentation, rule: rule)
                let refusal = open.lazy.compactMap { key -> ArithmeticVerdict? in
                    guard let value = solution.values[key] else { return .weakReading(key: key) }
                    return refusalToTake(value, key: key, candidates: candidates[key] ?? [],
                                         convictions: convictions[key] ?? [], sureConvictions: sureConvictions[key] ?? [],
                                         isLoneOpenField: open.count == 1, isLoneContradiction: contradicted.count == 1,
                                         weakOwnReadingAllowed: weakAllowed, rule: rule)
                }.first
                if let refusal {
                    verdicts[equation.id] = refusal
                    continue
                }
                guard correctionsHaveStrongCompanions(solution.values, open: open, candidates: candidates,
                                                      judgedSegmentation: judgedSegmentation, rule: rule) else {
                    verdicts[equation.id] = .weakCompanion
                    continue
                }
                guard !twoMisreadsCouldBalance(equation, solution.values, open: open, candidates: candidates,
                                               margin: margin, rule: rule) else {
                    verdicts[equation.id] = .twoMisreadsCouldBalance
                    continue
                }
                verdicts[equation.id] = .settled
                let confidence = solution.probability / (solution.probability + solution.runnerUp)
                for key in open {
                    guard let i = index[key], let value = solution.values[key] else { continue }
                    fields[i].value = .number(value)
                    fields[i].status = .accepted
                    fields[i].reasons = []
                    fields[i].confidence = confidence
                    fields[i].readings.append(ReaderReading(reader: reader, text: equation.id, value: .number(value),
                                                            confidence: confidence))
                    candidates[key] = [ValueCandidate(value: value, probability: 1)]
                }
                settledSomething = true
            }
        }
        return (fields, verdicts)
    }

    /// The fields whose digit count rests on a wide group of free-hand ink kept whole as one digit
    /// (`FieldReading.segmentationJudged`): a judgement that neither the arithmetic nor the inconsistency verdict
    /// takes on one reading's word.
    static func keysWithJudgedSegmentation(_ readings: [FieldReading]) -> Set<String> {
        Set(readings.filter(\.segmentationJudged).map(\.record.key))
    }

    /// Reason of a field that an equation settled together with a value another relation then broke
    /// ("settled_beside_broken:participation_balance").
    static let settledBesideBroken = "settled_beside_broken"

    /// How many of an equation's fields it must have moved away from the classifier's own readings for any
    /// broken relation among its fields to withdraw what it settled, doubtful fields or not: two corrections
    /// that balance each other are the arithmetic's likeliest way to be wrong. On hw300 this withdraws 1
    /// right field with digit model v7 (docs/accuracy.md, "Thirteenth session").
    static let correctionsDoubtedBesideAnyBrokenRelation = 2

    /// The relations judged on the fields the arithmetic left (`ConsistencyChecker.check`, agreement needing a
    /// sure classifier where Tesseract has not proved reliable on the page), and then every value settled
    /// beside one they broke withdrawn (`withdrawSettledBesideBroken`). The form's status stays as judged on the
    /// values read: judging it again without the withdrawn values found 7 fewer truly inconsistent forms over
    /// nine handwritten corpora and printed800, and spared only 1 consistent one.
    static func check(_ fields: [FieldRecord], relations: [ControlRelation], tesseractIsReliable: Bool,
                      judgedSegmentation: Set<String>, standingAlone: Set<String> = [])
        -> (fields: [FieldRecord], relations: [RelationRecord], status: ProtocolStatus) {
        var checked = ConsistencyChecker.check(fields: fields, relations: relations,
                                               agreementNeedsSureClassifier: !tesseractIsReliable,
                                               judgedSegmentation: judgedSegmentation, standingAlone: standingAlone)
        withdrawSettledBesideBroken(&checked.fields, relations: checked.relations,
                                    acceptedBefore: Set(fields.filter(\.isTrusted).map(\.key)))
        return checked
    }

    /// Withdraws every value an equation settled when one of them breaks another relation among fields that
    /// were all accepted: the equation chose its values together, so one of them shown wrong casts doubt on
    /// the rest. Seed 26's wall 0168, read with digit model v5, wrote 432 voters participated and 332 for one
    /// candidate; both 2s were read as 9, and 439 balanced the votes with 339, but 439 is more than the 432
    /// ballots issued, which another equation had settled. 339 stayed accepted before this rule. A relation
    /// broken by a field still in doubt withdraws nothing, the doubtful field being the likelier culprit, unless
    /// the equation moved `correctionsDoubtedBesideAnyBrokenRelation` or more fields away from the classifier's
    /// own readings: a4-s41's A4 0060, read with a wider trial network, lost a digit of ballots issued (1134 read
    /// 134), and ballots received = issued + unused balanced on it by turning the right readings 2610 and 1476
    /// into 7610 and 7476; voters participated <= ballots issued then failed beside a doubtful field.
    private static func withdrawSettledBesideBroken(_ fields: inout [FieldRecord], relations: [RelationRecord],
                                                    acceptedBefore: Set<String>) {
        func settlingReading(_ field: FieldRecord) -> ReaderReading? { field.readings.last { $0.reader == reader } }
        let settledBy = Dictionary(fields.compactMap { field in settlingReading(field).map { (field.key, $0.text) } },
                                   uniquingKeysWith: { first, _ in first })
        var correctionsBy = [String: Int]()  // per equation: fields it settled on another value than the classifier's
        for field in fields {
            guard let settled = settlingReading(field),
                  field.readings.first(where: { $0.reader == "digit_classifier" })?.value != settled.value else { continue }
            correctionsBy[settled.text, default: 0] += 1
        }
        var broken = Set<String>()
        for relation in relations where relation.holds == false {
            let settling = relation.keys.compactMap { settledBy[$0] }.filter { $0 != relation.id }
            let amongAccepted = relation.keys.allSatisfy(acceptedBefore.contains)
            broken.formUnion(settling.filter {
                amongAccepted || correctionsBy[$0, default: 0] >= correctionsDoubtedBesideAnyBrokenRelation
            })
        }
        for i in fields.indices {
            guard let equation = settledBy[fields[i].key], broken.contains(equation) else { continue }
            if fields[i].status == .accepted { fields[i].status = .uncertain }
            fields[i].reasons.append("\(settledBesideBroken):\(equation)")
        }
    }

    /// The fields not yet trusted in the equations that still have one: where another reader could help.
    static func openKeys(of fields: [FieldRecord], relations: [ControlRelation]) -> Set<String> {
        let untrusted = Set(fields.filter { !$0.isTrusted }.map(\.key))
        var open = Set<String>()
        for equation in relations where equation.comparison == .equal {
            open.formUnion(equation.keys.filter(untrusted.contains))
        }
        return open
    }

    /// Why a field may not be settled on `value` (nil: it may): the classifier's own reading when it gave it at least
    /// `arithmeticOwnReadingFloor`, or another value it gave at least `arithmeticCorrectionFloor`; and no other
    /// reader convinced of another number. Tesseract does not veto the classifier's own reading when the
    /// field is the lone open field of its equation, or the lone field of it that Tesseract contradicts and
    /// the classifier gave it at least `AcceptRule.tesseractOverruleFloor`. The value is then read the same by
    /// the classifier and confirmed by the equation: two independent sources against Tesseract's reading of
    /// handwriting (1284 read as 1754 at 0.98, 339 as 334, on pages where it read most digits right). The
    /// words cell and a sure line reading (`sureConvictions`) still veto it, and vouch for a value of theirs that
    /// the classifier gave too little probability.
    private static func refusalToTake(_ value: Int, key: String, candidates: [ValueCandidate], convictions: Set<Int>,
                                      sureConvictions: Set<Int>, isLoneOpenField: Bool, isLoneContradiction: Bool,
                                      weakOwnReadingAllowed: Bool, rule: AcceptRule) -> ArithmeticVerdict? {
        let isOwnReading = candidates.first?.value == value
        let probability = candidates.first { $0.value == value }?.probability ?? 0
        let floor = isOwnReading && !weakOwnReadingAllowed ? rule.arithmeticOwnReadingFloor : rule.arithmeticCorrectionFloor
        let overrulesTesseract = isOwnReading
            && (isLoneOpenField || (isLoneContradiction && probability >= rule.tesseractOverruleFloor))
        let vetoes = overrulesTesseract ? sureConvictions : convictions
        // A sure line reading (or words) of this very value is a second reader beside the equation: the classifier's
        // probability need not carry it alone.
        let vouchedFor = !sureConvictions.isEmpty && sureConvictions.allSatisfy { $0 == value }
        if probability < floor && !vouchedFor { return .weakReading(key: key) }
        return vetoes.allSatisfy { $0 == value } ? nil : .contradicted(key: key)
    }

    /// Whether an equation that corrects a field leaves its other open fields on strong own readings. A
    /// correction says one reading was wrong; a weak reading beside it may be a second misread that the
    /// correction compensates (16 read as 6 and 25 as 35 balance as well as 16 and 25). A reading whose digit
    /// count rests on a wide group kept whole is not strong whatever its probability: with digit model v5, seed
    /// 25's a4 0261 wrote 515 and 56; the 5 joined to the 1 read as one 5 (55 at 0.94), the broken 6 as 10,
    /// and the correction of 510 to 516 balanced 55 as well as the truth.
    private static func correctionsHaveStrongCompanions(_ values: [String: Int], open: [String],
                                                        candidates: [String: [ValueCandidate]],
                                                        judgedSegmentation: Set<String>, rule: AcceptRule) -> Bool {
        let corrected = open.filter { key in values[key] != candidates[key]?.first?.value }
        guard !corrected.isEmpty else { return true }
        return open.allSatisfy { key in
            corrected.contains(key) || (!judgedSegmentation.contains(key)
                && (candidates[key]?.first?.probability ?? 0) >= rule.arithmeticCompanionFloor)
        }
    }

    /// Whether an equation may confirm an own reading weaker than `arithmeticOwnReadingFloor` (but at least
    /// `arithmeticCorrectionFloor`): only one such field, no correction, and every other open field read
    /// surely (`classifierAloneFloor`) with a digit count that rests on no judgement. A weak first reading is
    /// as doubtful as a correction, so its companions must be surer than a correction's.
    private static func weakOwnReadingHasSureCompanions(_ values: [String: Int], open: [String],
                                                        candidates: [String: [ValueCandidate]],
                                                        judgedSegmentation: Set<String>, rule: AcceptRule) -> Bool {
        let weak = open.filter { key in (candidates[key]?.first?.probability ?? 0) < rule.arithmeticOwnReadingFloor }
        guard weak.count == 1 else { return false }
        return open.allSatisfy { key in
            guard let first = candidates[key]?.first, values[key] == first.value else { return false }
            return weak.contains(key) || (!judgedSegmentation.contains(key) && first.probability >= rule.classifierAloneFloor)
        }
    }

    /// Whether two open fields could both have been misread in a way that balances the equation as well:
    /// another candidate of each whose changes cancel in the equation, with `(rx * ry)^arithmeticPairExponent`
    /// at least 1 / `margin`, rx and ry their probabilities against the chosen readings. The margin weighs the
    /// two as independent, but one writer's digits are misread alike: blind seed 29's RU 151 wrote 1194 and
    /// 366, read x1794 and 766, and 794 + 766 balanced as well as the truth (rx * ry between 0.0025 and
    /// 0.007); with digit model v5, seed 27's 509 + 651 read 609 + 551.
    private static func twoMisreadsCouldBalance(_ equation: ControlRelation, _ values: [String: Int], open: [String],
                                                candidates: [String: [ValueCandidate]], margin: Double,
                                                rule: AcceptRule) -> Bool {
        guard open.count >= 2, let exponent = rule.arithmeticPairExponent else { return false }
        let coefficients = EquationDecoder.terms(of: equation).coefficients
        // Each open field's other candidates, as probability ratios against the value the equation chose.
        var ratios: [String: [Int: Double]] = [:]
        for key in open {
            guard let value = values[key], let list = candidates[key],
                  let chosen = list.first(where: { $0.value == value })?.probability, chosen > 0 else { continue }
            ratios[key] = Dictionary(list.filter { $0.value != value }.map { ($0.value, $0.probability / chosen) },
                                     uniquingKeysWith: max)
        }
        for (i, x) in open.enumerated() {
            for y in open[(i + 1)...] {
                guard let cx = coefficients[x], let cy = coefficients[y], cx != 0, cy != 0,
                      let vx = values[x], let vy = values[y], let others = ratios[y] else { continue }
                for (altX, rx) in ratios[x] ?? [:] {
                    let shift = cx * (altX - vx)
                    guard shift % cy == 0, let ry = others[vy - shift / cy] else { continue }
                    if pow(rx * ry, exponent) >= 1 / margin { return true }
                }
            }
        }
        return false
    }

    /// Fewest fields on which Tesseract and a strong classifier reading can be compared before Tesseract may
    /// be judged unreliable on a page.
    static let reliabilitySample = 3
    /// Share of those fields on which they must agree for Tesseract's convictions to veto the arithmetic.
    static let reliableAgreement = 0.8

    /// Whether Tesseract's convictions count on this page: it agrees with the classifier on most fields where
    /// both are sure (printed digits), or, with fewer than `reliabilitySample` such fields, on every one of
    /// them. On handwriting Tesseract is confidently wrong (a 7 read as 1 at 0.99), and vetoing the arithmetic
    /// with it only keeps right values from being accepted: on the generated handwritten pages with one or two
    /// such fields and a disagreement, its convictions on the open fields were wrong 186 times and right 17.
    static func tesseractIsReliable(on readings: [FieldReading], rule: AcceptRule) -> Bool {
        var compared = 0, agreed = 0
        for reading in readings {
            guard let tesseract = reading.tesseractConviction,
                  let classifier = reading.record.readings.first(where: { $0.reader == "digit_classifier" }),
                  classifier.confidence >= rule.classifierAloneFloor, case .number(let read)? = classifier.value else { continue }
            compared += 1
            if read == tesseract { agreed += 1 }
        }
        return compared < reliabilitySample ? agreed == compared : Double(agreed) >= reliableAgreement * Double(compared)
    }
}
