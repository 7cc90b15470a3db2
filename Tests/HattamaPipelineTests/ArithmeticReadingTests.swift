import XCTest
@testable import HattamaCore
@testable import HattamaOCR
@testable import HattamaPipeline

/// How the arithmetic settles the fields of an equation read together, and when it must not.
final class ArithmeticReadingTests: XCTestCase {
    private let rule = AcceptRule(tesseractFloor: 0.8, classifierFloor: 0.9, classifierAloneFloor: 0.95,
                                  arithmeticMargin: 20, arithmeticPlausibility: 0.01)
    private let balance = RelationExpander.expand(
        RelationSpec(id: "received_balance", expr: "ballots_received == ballots_issued + ballots_unused", description: nil),
        parsed: try! RelationParser.parse("ballots_received == ballots_issued + ballots_unused"),
        keys: ["ballots_received", "ballots_issued", "ballots_unused"])

    /// A field the classifier read alone, its likeliest candidate as the value.
    private func reading(_ key: String, _ candidates: [(Int, Double)], accepted: Bool = false,
                         tesseract: Int? = nil, words: Int? = nil, wordsCorrections: Int? = nil,
                         segmentationJudged: Bool = false, line: Int? = nil) -> FieldReading {
        let top = candidates[0]
        let record = FieldRecord(key: key, line: 0, kind: .count, value: .number(top.0),
                                 status: accepted ? .accepted : .uncertain, confidence: top.1,
                                 reasons: accepted ? [] : ["single_reader"], box: nil,
                                 readings: [ReaderReading(reader: "digit_classifier", text: String(top.0),
                                                          value: .number(top.0), confidence: top.1)])
        return FieldReading(record: record,
                            candidates: accepted ? [] : candidates.map { ValueCandidate(value: $0.0, probability: $0.1) },
                            tesseractConviction: tesseract, lineConviction: line, wordsConviction: words,
                            wordsCorrections: wordsCorrections,
                            wordsRead: words != nil, segmentationJudged: segmentationJudged)
    }

    private func byKey(_ fields: [FieldRecord]) -> [String: FieldRecord] {
        Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0) })
    }

    func testAMisreadDigitIsCorrectedAndTheRecordSaysHow() {
        let fields = byKey(ArithmeticReading.apply([
            reading("ballots_received", [(1284, 0.6), (1234, 0.38)]),
            reading("ballots_issued", [(1000, 0.99)], accepted: true),
            reading("ballots_unused", [(234, 0.97), (284, 0.001)]),
        ], relations: balance, rule: rule))
        XCTAssertEqual(fields["ballots_received"]?.value, .number(1234))
        XCTAssertEqual(fields["ballots_received"]?.status, .accepted)
        XCTAssertEqual(fields["ballots_received"]?.reasons, [])
        XCTAssertEqual(fields["ballots_unused"]?.status, .accepted)
        let settled = fields["ballots_received"]?.readings.last
        XCTAssertEqual(settled?.reader, "arithmetic")
        XCTAssertEqual(settled?.text, "received_balance")
        XCTAssertEqual(settled?.value, .number(1234))
        XCTAssertEqual(fields["ballots_received"]?.readings.first?.value, .number(1284), "what the classifier saw is kept")
    }

    /// Blind seed 29's RU 151: 1194 and 366 written, x1794 (its leading 1 also a padding slash) and 766 read.
    /// 794 + 766 balance the equation 158 times likelier than the truth when the two misreads are weighed
    /// as independent, but one writer's 1s and 3s are misread alike: weighed by their geometric mean
    /// (`arithmeticPairExponent` 0.5) the truth is within the margin and both fields go to a person.
    func testTwoMisreadsThatCouldCompensateEachOtherLeaveTheEquationOpen() {
        let input = [
            reading("ballots_received", [(1560, 0.99)], accepted: true),
            reading("ballots_issued", [(1794, 0.70), (794, 0.25), (1194, 0.05)]),
            reading("ballots_unused", [(766, 0.95), (366, 0.03)]),
        ]
        let guarded = byKey(ArithmeticReading.apply(input, relations: balance, rule: rule))
        XCTAssertEqual(guarded["ballots_issued"]?.status, .uncertain)
        XCTAssertEqual(guarded["ballots_unused"]?.status, .uncertain)
        var independent = rule
        independent.arithmeticPairExponent = nil
        let unguarded = byKey(ArithmeticReading.apply(input, relations: balance, rule: independent))
        XCTAssertEqual(unguarded["ballots_issued"]?.value, .number(794), "without the check the misreads are accepted")
        XCTAssertEqual(unguarded["ballots_issued"]?.status, .accepted)
        // A compensating pair the classifier all but ruled out does not hold the equation open.
        var clear = input
        clear[2] = reading("ballots_unused", [(766, 0.95), (366, 0.0005)])
        XCTAssertEqual(byKey(ArithmeticReading.apply(clear, relations: balance, rule: rule))["ballots_issued"]?.status, .accepted)
    }

    /// The record says why an equation did not settle its fields, so a reviewer knows what the arithmetic
    /// saw: the rule that held it open, naming the field where one field is the cause.
    func testEachReadEquationGetsAVerdictThatNamesWhatHeldItOpen() {
        func verdict(_ readings: [FieldReading]) -> String? {
            ArithmeticReading.applyExplained(readings, relations: balance, rule: rule).verdicts["received_balance"]?.description
        }
        let received = reading("ballots_received", [(1000, 0.99)], accepted: true)
        XCTAssertEqual(verdict([received, reading("ballots_issued", [(600, 0.9)]), reading("ballots_unused", [(400, 0.9)])]),
                       "settled")
        XCTAssertEqual(verdict([received, reading("ballots_issued", [(600, 0.9)]), reading("ballots_unused", [(500, 0.9)])]),
                       "no_balancing_values")
        XCTAssertEqual(verdict([received, reading("ballots_issued", [(600, 0.5), (700, 0.45)]),
                                reading("ballots_unused", [(400, 0.5), (300, 0.45)])]), "not_unique")
        XCTAssertEqual(verdict([received, reading("ballots_issued", [(600, 0.9)], tesseract: 800),
                                reading("ballots_unused", [(400, 0.97)], tesseract: 400)]), "contradicted:ballots_issued")
        XCTAssertEqual(verdict([received, reading("ballots_issued", [(600, 0.3)]), reading("ballots_unused", [(400, 0.9)])]),
                       "weak_reading:ballots_issued")
        XCTAssertEqual(verdict([received, reading("ballots_issued", [(1600, 0.70), (600, 0.25), (200, 0.05)]),
                                reading("ballots_unused", [(400, 0.95), (800, 0.03)])]), "two_misreads_could_balance")
        let allAccepted = [received, reading("ballots_issued", [(600, 0.99)], accepted: true),
                           reading("ballots_unused", [(400, 0.99)], accepted: true)]
        XCTAssertNil(verdict(allAccepted), "an equation with nothing open is not read, and gets no verdict")
    }

    func testEveryVerdictThatHoldsAnEquationOpenIsExplainedInWords() {
        let open: [ArithmeticVerdict] = [.noBalancingValues, .notUnique, .implausible, .weakReading(key: "votes.abden"),
                                         .contradicted(key: "votes.abden"), .weakCompanion, .twoMisreadsCouldBalance]
        for verdict in open {
            XCTAssertNotNil(ArithmeticVerdict.explanation(of: verdict.description), verdict.description)
        }
        XCTAssertTrue(ArithmeticVerdict.explanation(of: "contradicted:votes.abden")?.contains("votes.abden") ?? false)
        XCTAssertNil(ArithmeticVerdict.explanation(of: "settled"))
        XCTAssertNil(ArithmeticVerdict.explanation(of: "weak_reading"), "a verdict about a field names it")
    }

    func testTwoBalancingStoriesOfSimilarLikelihoodLeaveTheFieldsForAPerson() {
        let fields = byKey(ArithmeticReading.apply([
            reading("ballots_received", [(100, 0.99)], accepted: true),
            reading("ballots_issued", [(60, 0.5), (70, 0.45)]),
            reading("ballots_unused", [(40, 0.5), (30, 0.45)]),
        ], relations: balance, rule: rule))
        XCTAssertEqual(fields["ballots_issued"]?.status, .uncertain)
        XCTAssertEqual(fields["ballots_unused"]?.status, .uncertain)
    }

    func testAnotherReadersConvictionVetoesTheArithmetic() {
        // Tesseract, or the words, read 1284 with conviction: the arithmetic may not override it, though 1234 balances.
        for (tesseract, words) in [(1284, nil), (nil, 1284)] as [(Int?, Int?)] {
            let fields = byKey(ArithmeticReading.apply([
                reading("ballots_received", [(1284, 0.6), (1234, 0.38)], tesseract: tesseract, words: words),
                reading("ballots_issued", [(1000, 0.99)], accepted: true),
                reading("ballots_unused", [(234, 0.97)]),
            ], relations: balance, rule: rule))
            XCTAssertEqual(fields["ballots_received"]?.status, .uncertain)
            XCTAssertEqual(fields["ballots_received"]?.value, .number(1284))
            XCTAssertEqual(fields["ballots_unused"]?.status, .uncertain)
        }
    }

    func testTheLoneOpenFieldOfAnEquationReadAsItBalancesIsNotVetoedByTesseractButIsByTheWords() {
        // 1284 = 1695 - 411 from two accepted fields, and the classifier read 1284: Tesseract's 1754 does not stand.
        let page = { (tesseract: Int?, words: Int?) in
            self.byKey(ArithmeticReading.apply([
                self.reading("ballots_received", [(1695, 1)], accepted: true),
                self.reading("ballots_issued", [(1284, 0.9), (1784, 0.05)], tesseract: tesseract, words: words),
                self.reading("ballots_unused", [(411, 1)], accepted: true),
            ], relations: self.balance, rule: self.rule))["ballots_issued"]
        }
        XCTAssertEqual(page(1754, nil)?.status, .accepted)
        XCTAssertEqual(page(1754, nil)?.value, .number(1284))
        XCTAssertEqual(page(nil, 1754)?.status, .uncertain, "the words cell still vetoes")

        // A correction (1234, not the classifier's own 1284) of a lone open field is still vetoed by Tesseract.
        let corrected = byKey(ArithmeticReading.apply([
            reading("ballots_received", [(1284, 0.6), (1234, 0.38)], tesseract: 1284),
            reading("ballots_issued", [(1000, 0.99)], accepted: true),
            reading("ballots_unused", [(234, 1)], accepted: true),
        ], relations: balance, rule: rule))
        XCTAssertEqual(corrected["ballots_received"]?.status, .uncertain)
    }

    func testWordsTheClassifierDidNotSeeAreConfirmedByTheEquationWithTheOtherFieldsAsFirstRead() {
        // The words spell 1234, which the classifier's cells never offered; 1000 + 234 confirms it.
        let fields = byKey(ArithmeticReading.apply([
            reading("ballots_received", [(1284, 0.9), (1289, 0.05)], words: 1234, wordsCorrections: 1),
            reading("ballots_issued", [(1000, 0.99)], accepted: true),
            reading("ballots_unused", [(234, 0.97)]),
        ], relations: balance, rule: rule))
        XCTAssertEqual(fields["ballots_received"]?.value, .number(1234))
        XCTAssertEqual(fields["ballots_received"]?.status, .accepted)
        XCTAssertEqual(fields["ballots_unused"]?.status, .accepted)
    }

    func testWordsAreNotBalancedByCorrectingAnotherField() {
        // 1234 = 1000 + 234 only if ballots_unused is corrected from its first reading 284: two changes, no.
        let fields = byKey(ArithmeticReading.apply([
            reading("ballots_received", [(1284, 0.9)], words: 1234, wordsCorrections: 0),
            reading("ballots_issued", [(1000, 0.99)], accepted: true),
            reading("ballots_unused", [(284, 0.7), (234, 0.25)]),
        ], relations: balance, rule: rule))
        XCTAssertEqual(fields["ballots_received"]?.status, .uncertain)
        XCTAssertEqual(fields["ballots_unused"]?.status, .uncertain)
    }

    func testWordsThatNeededManyCorrectionsAreNoValueOfTheirOwn() {
        let fields = byKey(ArithmeticReading.apply([
            reading("ballots_received", [(1284, 0.9)], words: 1234, wordsCorrections: 3),
            reading("ballots_issued", [(1000, 0.99)], accepted: true),
            reading("ballots_unused", [(234, 0.97)]),
        ], relations: balance, rule: rule))
        XCTAssertEqual(fields["ballots_received"]?.status, .uncertain)
    }

    func testTesseractConfidentlyWrongOnThisPageVetoesNothing() {
        // On three fields the classifier is sure of, Tesseract was just as sure of other numbers (handwriting).
        var page = [
            reading("ballots_received", [(1284, 0.6), (1234, 0.38)], tesseract: 1284),
            reading("ballots_issued", [(1000, 0.99)], accepted: true),
            reading("ballots_unused", [(234, 0.97)], tesseract: 284),
        ]
        for (key, value) in [("voters_on_list", 2700), ("ballots_invalid", 7), ("against_all", 17)] {
            page.append(reading(key, [(value, 0.99)], tesseract: value - value / 7 * 6))
        }
        XCTAssertFalse(ArithmeticReading.tesseractIsReliable(on: page, rule: rule))
        let fields = byKey(ArithmeticReading.apply(page, relations: balance, rule: rule))
        XCTAssertEqual(fields["ballots_received"]?.value, .number(1234))
        XCTAssertEqual(fields["ballots_received"]?.status, .accepted)

        // The same page where Tesseract agreed on those fields: its 1284 stands against the arithmetic.
        for i in 2..<6 { page[i].tesseractConviction = page[i].record.count }
        XCTAssertTrue(ArithmeticReading.tesseractIsReliable(on: page, rule: rule))
        XCTAssertEqual(byKey(ArithmeticReading.apply(page, relations: balance, rule: rule))["ballots_received"]?.status, .uncertain)
    }

    func testTesseractWrongOnOneOfTooFewFieldsToJudgeVetoesNothing() {
        // Hw300, wall 56: Tesseract sure of 220 and 130 where the classifier read 830 and 430 (both right).
        // Two fields are too few to judge Tesseract by a share, but one sure disagreement is enough to
        // stop trusting its convictions on handwriting.
        var page = [
            reading("ballots_received", [(1260, 0.98)]),
            reading("ballots_issued", [(430, 0.98)]),
            reading("ballots_unused", [(830, 0.99)], tesseract: 220),
        ]
        XCTAssertFalse(ArithmeticReading.tesseractIsReliable(on: page, rule: rule))
        let fields = byKey(ArithmeticReading.apply(page, relations: balance, rule: rule))
        XCTAssertEqual(fields["ballots_unused"]?.value, .number(830))
        XCTAssertEqual(fields["ballots_unused"]?.status, .accepted)

        // Where it agreed on every field it could be compared on, or could be compared on none, it still
        // vetoes a weak reading the arithmetic would confirm.
        page[0] = reading("ballots_received", [(1260, 0.6), (1230, 0.3)], tesseract: 1230)
        XCTAssertTrue(ArithmeticReading.tesseractIsReliable(on: Array(page.prefix(2)), rule: rule))
        page[2].tesseractConviction = 830
        XCTAssertTrue(ArithmeticReading.tesseractIsReliable(on: page, rule: rule))
        XCTAssertEqual(byKey(ArithmeticReading.apply(page, relations: balance, rule: rule))["ballots_received"]?.status, .uncertain)
    }

    func testABalancingEquationOverrulesTesseractOnOneSureFieldButNotOnTwo() {
        // Seed 22, wall 124: 291 = 245 + 46 written; the classifier read 791 (0.87) and 745 (0.93), which
        // balance as well, and Tesseract read 291 and 245. Overruling it on both would accept two misreads.
        let expr = "voters_participated == votes.a + votes.b"
        let participation = RelationExpander.expand(RelationSpec(id: "participation_balance", expr: expr, description: nil),
                                                    parsed: try! RelationParser.parse(expr),
                                                    keys: ["voters_participated", "votes.a", "votes.b"])
        func read(_ participated: (Int, Double), _ a: (Int, Double), tesseract: (Int?, Int?)) -> [String: FieldRecord] {
            var page = [
                reading("voters_participated", [participated], tesseract: tesseract.0),
                reading("votes.a", [a], tesseract: tesseract.1),
                reading("votes.b", [(46, 1)], accepted: true),
            ]
            // Tesseract agreed with the classifier on eight other sure fields: its convictions count here.
            for (i, value) in [2700, 7, 17, 120, 35, 61, 4, 980].enumerated() {
                page.append(reading("other.\(i)", [(value, 0.99)], tesseract: value))
            }
            XCTAssertTrue(ArithmeticReading.tesseractIsReliable(on: page, rule: rule))
            return byKey(ArithmeticReading.apply(page, relations: participation, rule: rule))
        }
        // Read surer than there, they still may not overrule Tesseract on both fields.
        let two = read((791, 0.97), (745, 0.98), tesseract: (291, 245))
        XCTAssertEqual(two["voters_participated"]?.status, .uncertain)
        XCTAssertEqual(two["votes.a"]?.status, .uncertain)

        // Ru 95: putin 339 read at 0.9995, Tesseract sure of 334 on that field only: the equation decides.
        let one = read((385, 0.99), (339, 0.9995), tesseract: (385, 334))
        XCTAssertEqual(one["votes.a"]?.value, .number(339))
        XCTAssertEqual(one["votes.a"]?.status, .accepted)
        // The same reading at 0.9 is not sure enough to overrule Tesseract.
        XCTAssertEqual(read((385, 0.99), (339, 0.9), tesseract: (385, 334))["votes.a"]?.status, .uncertain)
    }

    func testACorrectionIsNotMadeBesideAWeakReadingItCouldBeCompensating() {
        // Seed 25, wall 12 (with a trial model): 16 + 25 written, 16 and 35 read; 6 + 35 balances as well when
        // the 1 may be padding, and 25 was no candidate. Two misreads must not balance each other into acceptance.
        let page = { (unusedProbability: Double, rule: AcceptRule) in
            self.byKey(ArithmeticReading.apply([
                self.reading("ballots_received", [(41, 1)], accepted: true),
                self.reading("ballots_issued", [(16, 0.72), (6, 0.25)]),
                self.reading("ballots_unused", [(35, unusedProbability)]),
            ], relations: self.balance, rule: rule))
        }
        let weak = page(0.71, rule)
        XCTAssertEqual(weak["ballots_issued"]?.status, .uncertain)
        XCTAssertEqual(weak["ballots_unused"]?.status, .uncertain)
        XCTAssertEqual(weak["ballots_issued"]?.value, .number(16), "the classifier's own reading stays for the reviewer")
        var off = rule
        off.arithmeticCompanionFloor = 0
        let unguarded = page(0.71, off)
        XCTAssertEqual(unguarded["ballots_issued"]?.value, .number(6), "without the guard the equation would settle it")
        let strong = page(0.95, rule)
        XCTAssertEqual(strong["ballots_issued"]?.value, .number(6))
        XCTAssertEqual(strong["ballots_issued"]?.status, .accepted, "beside a strong reading the correction stands")
    }

    /// Seed 25's a4 0261 read with digit model v5: 515 and 56 written; the 5 joined to the 1 was kept as one wide
    /// digit (55 at 0.94) and the broken 6 read as 10 (510). Correcting 510 to 516 balances 55 as well as the
    /// truth does, and 0.94 passes the companion floor; but the digit count of 55 rests on the segmentation.
    func testACorrectionIsNotMadeBesideAReadingWhoseDigitCountWasAJudgement() {
        let page = { (judged: Bool) in
            self.byKey(ArithmeticReading.apply([
                self.reading("ballots_received", [(571, 1)], accepted: true),
                self.reading("ballots_issued", [(55, 0.94)], segmentationJudged: judged),
                self.reading("ballots_unused", [(510, 0.50), (516, 0.43), (560, 0.2)]),
            ], relations: self.balance, rule: self.rule))
        }
        let plain = page(false)
        XCTAssertEqual(plain["ballots_unused"]?.value, .number(516), "beside a plain sure reading the correction stands")
        XCTAssertEqual(plain["ballots_unused"]?.status, .accepted)
        let judged = page(true)
        XCTAssertEqual(judged["ballots_issued"]?.status, .uncertain)
        XCTAssertEqual(judged["ballots_unused"]?.status, .uncertain)
        XCTAssertEqual(judged["ballots_unused"]?.value, .number(510), "the classifier's own reading stays for the reviewer")
    }

    func testABrokenEquationIsNotBalancedWithADigitTheClassifierBarelySaw() {
        // The form may really break its arithmetic: 1235 balances only through a reading at p = 0.05.
        let fields = byKey(ArithmeticReading.apply([
            reading("ballots_received", [(1234, 0.9), (1235, 0.05)]),
            reading("ballots_issued", [(1000, 0.99)], accepted: true),
            reading("ballots_unused", [(235, 0.97)]),
        ], relations: balance, rule: rule))
        XCTAssertEqual(fields["ballots_received"]?.status, .uncertain)
        XCTAssertEqual(fields["ballots_received"]?.value, .number(1234))
    }

    /// The same digit read surely by the line reader: two readers and the equation say 1235.
    func testADigitTheClassifierBarelySawBalancesTheEquationWhereTheLineReaderReadItSurely() {
        let fields = byKey(ArithmeticReading.apply([
            reading("ballots_received", [(1234, 0.9), (1235, 0.05)], line: 1235),
            reading("ballots_issued", [(1000, 0.99)], accepted: true),
            reading("ballots_unused", [(235, 0.97)]),
        ], relations: balance, rule: rule))
        XCTAssertEqual(fields["ballots_received"]?.status, .accepted)
        XCTAssertEqual(fields["ballots_received"]?.value, .number(1235))
        XCTAssertEqual(fields["ballots_unused"]?.status, .accepted)
    }

    func testReadingsTheClassifierDoesNotFavourAreNotConfirmedByABalanceAlone() {
        // 2002 = 1543 + 459 balances, but the classifier gave 1543 only p = 0.46: two misreads can balance by chance.
        let fields = byKey(ArithmeticReading.apply([
            reading("ballots_received", [(2002, 0.85), (2006, 0.12)]),
            reading("ballots_issued", [(1543, 0.46), (1549, 0.21), (1542, 0.17)]),
            reading("ballots_unused", [(459, 1)], accepted: true),
        ], relations: balance, rule: rule))
        XCTAssertEqual(fields["ballots_issued"]?.status, .uncertain)
        XCTAssertEqual(fields["ballots_received"]?.status, .uncertain)
    }

    /// hw300's referendum 146: 1165 ballots unused read first at 0.48 (1765 at 0.47), beside 657 issued read
    /// surely. The equation confirms a first reading below the own-reading floor only beside readings at
    /// `classifierAloneFloor`: a weak first reading is as doubtful as a correction.
    func testAWeakFirstReadingIsConfirmedOnlyBesideSureReadings() {
        let page = { (issuedProbability: Double) in
            self.byKey(ArithmeticReading.apply([
                self.reading("ballots_received", [(1822, 1)], accepted: true),
                self.reading("ballots_issued", [(657, issuedProbability)]),
                self.reading("ballots_unused", [(1165, 0.48), (1765, 0.47)]),
            ], relations: self.balance, rule: self.rule))
        }
        let sure = page(0.97)
        XCTAssertEqual(sure["ballots_unused"]?.status, .accepted)
        XCTAssertEqual(sure["ballots_unused"]?.value, .number(1165))
        XCTAssertEqual(sure["ballots_issued"]?.status, .accepted)
        let plain = page(0.9)
        XCTAssertEqual(plain["ballots_unused"]?.status, .uncertain, "0.9 beside it is not sure enough")
        XCTAssertEqual(plain["ballots_issued"]?.status, .uncertain)
    }

    func testTurnedOffTheRecordsAreUnchanged() {
        var off = rule
        off.arithmeticMargin = nil
        let input = [reading("ballots_received", [(1284, 0.6), (1234, 0.38)]),
                     reading("ballots_issued", [(1000, 0.99)], accepted: true),
                     reading("ballots_unused", [(234, 0.97)])]
        XCTAssertEqual(ArithmeticReading.apply(input, relations: balance, rule: off), input.map(\.record))
    }

    // MARK: candidates from the classifier's cells

    private func cell(_ probabilities: [DigitClass: Double]) -> DigitPrediction {
        DigitPrediction(orderedProbabilities: DigitClass.allCases.map { probabilities[$0] ?? 0 }, inkFraction: 0.2)
    }

    func testCandidatesMultiplyCellProbabilitiesAndMergeLeadingZeroWithPadding() {
        let candidates = ValueCandidates.from([
            cell([.d0: 0.5, .dash: 0.5]),
            cell([.d7: 0.8, .d1: 0.2]),
            cell([.d5: 1]),
        ])
        XCTAssertEqual(candidates.map(\.value), [75, 15])
        XCTAssertEqual(candidates[0].probability, 0.8, accuracy: 1e-12)
        XCTAssertEqual(candidates[1].probability, 0.2, accuracy: 1e-12)
    }

    func testPaddingAfterADigitAndStruckCellsSpellNothing() {
        let candidates = ValueCandidates.from([
            cell([.d4: 1]),
            cell([.dash: 0.7, .d2: 0.2, .struck: 0.1]),
        ])
        XCTAssertEqual(candidates.map(\.value), [42])
        XCTAssertEqual(candidates[0].probability, 0.2, accuracy: 1e-12)
        XCTAssertEqual(ValueCandidates.from([cell([.blank: 0.6, .dash: 0.4])]), [], "no digit, no number")
    }

    func testAStruckOutNumberBeforeTheDigitsIsPassedOver() {
        // "15" struck out, "13" written after it in the same free cell.
        let candidates = ValueCandidates.from([
            cell([.struck: 0.9, .d1: 0.1]),
            cell([.struck: 1]),
            cell([.d1: 1]),
            cell([.d3: 0.8, .d8: 0.2]),
        ])
        XCTAssertEqual(candidates.map(\.value), [13, 18])
        XCTAssertEqual(candidates[0].probability, 0.9 * 0.8, accuracy: 1e-12)
    }

    func testAScribbleCutIntoTwentyDigitsSpellsNoNumberInsteadOfStoppingTheRun() {
        // seed 28's a4 177: a free-hand cell cut into so many pieces that their number overflowed Int and
        // trapped, ending the whole run.
        XCTAssertEqual(ValueCandidates.from(Array(repeating: cell([.d9: 0.9, .d4: 0.1]), count: 20)), [])
        XCTAssertEqual(ValueCandidates.from(Array(repeating: cell([.d9: 1]), count: 9)).map(\.value), [999_999_999])
    }
}
