import XCTest
@testable import HattamaCore
@testable import HattamaPipeline

/// How the "in words" reading changes a field's decision: a second independent reader beside a classifier
/// reading of the right digit count (`AcceptRule.isWordsCompanion`), never a way around a disagreement.
final class WordsAcceptRuleTests: XCTestCase {
    private let rule = AcceptRule.default
    private let field = FieldSpec(key: "ballots_issued", line: 3, kind: .count, label: LocalizedText([:]),
                                  cells: nil, box: TemplateRect(x: 0, y: 0, width: 100, height: 40),
                                  words: TemplateRect(x: 120, y: 0, width: 300, height: 40))
    private let box = ImageBox(x: 0, y: 0, width: 100, height: 40)

    /// A classifier reading of `digits`, each digit at `confidence`.
    private func classifier(_ digits: [Int], confidence: Double) -> FieldEvidence {
        FieldEvidence(reader: "digit_classifier", text: digits.map(String.init).joined(), digits: digits,
                      digitConfidences: digits.map { _ in confidence }, unreadableMarks: 0, markCount: digits.count,
                      runnersUp: digits.map { _ in nil })
    }

    private func tesseract(_ digits: [Int], confidence: Double) -> FieldEvidence {
        FieldEvidence(reader: "tesseract", text: digits.map(String.init).joined(), digits: digits,
                      digitConfidences: digits.map { _ in confidence }, unreadableMarks: 0,
                      runnersUp: digits.map { _ in nil })
    }

    /// What the words reader makes of `text` in Russian.
    private func words(_ text: String) -> FieldEvidence {
        let outcome = NumberWordsParser(languages: [.russian]).parse(text)
        let digits = outcome.reading.map { String($0.value).compactMap(\.wholeNumberValue) } ?? []
        return FieldEvidence(reader: FieldEvidence.wordsReader, text: text, digits: digits,
                             digitConfidences: digits.map { _ in outcome.reading?.confidence ?? 0 },
                             unreadableMarks: 0, runnersUp: [], wordsOutcome: outcome)
    }

    private func decide(_ evidence: [FieldEvidence], words: FieldEvidence, tesseractIsReliable: Bool = true) -> FieldRecord {
        let marks = evidence.first { $0.reader == "digit_classifier" }?.digits.count ?? 0
        let record = rule.decide(field: field, evidence: evidence, inkedMarks: marks, box: box, checkedByEquation: true)
        XCTAssertNotEqual(record.status, .accepted, "the digits alone must not be enough in these cases")
        XCTAssertTrue(rule.wordsCouldDecide(evidence, inkedMarks: marks) || evidence.allSatisfy { $0.confidence < 0.99 })
        return rule.combine(record, words: words, evidence: evidence, inkedMarks: marks, kind: .count,
                            tesseractIsReliable: tesseractIsReliable)
    }

    func testStrongClassifierAndAgreeingWordsAreAccepted() {
        let record = decide([classifier([3, 1, 3], confidence: 0.995), tesseract([8, 1, 3], confidence: 0.4)],
                            words: words("триста тринадцать"))
        XCTAssertEqual(record.status, .accepted)
        XCTAssertEqual(record.value, .number(313))
        XCTAssertEqual(record.reasons, [])
        XCTAssertEqual(record.readings.last, ReaderReading(reader: "words", text: "триста тринадцать",
                                                           value: .number(313), confidence: 1))
    }

    func testWordsRunTogetherWithOneMisreadLetterStillCount() {
        let record = decide([classifier([3, 1, 3], confidence: 0.995)], words: words("тристатринадцагь"))
        XCTAssertEqual(record.status, .accepted)
    }

    func testWordsSpellingAnotherNumberKeepTheFieldForAPerson() {
        let record = decide([classifier([3, 1, 3], confidence: 0.995)], words: words("триста восемнадцать"))
        XCTAssertEqual(record.status, .uncertain)
        XCTAssertEqual(record.value, .number(313))
        XCTAssertEqual(record.reasons, [ConsistencyChecker.needsRelationSupport, AcceptRule.wordsDisagree])
        XCTAssertTrue(record.alternatives.contains { $0.value == .number(318) })
    }

    func testDisagreeingWordsStopTheArithmeticFromConfirmingTheField() throws {
        let issued = decide([classifier([3, 1, 3], confidence: 0.995)], words: words("триста восемнадцать"))
        func accepted(_ key: String, _ n: Int) -> FieldRecord {
            FieldRecord(key: key, line: 0, kind: .count, value: .number(n), status: .accepted, confidence: 0.99,
                        reasons: [], box: nil, readings: [])
        }
        let keys = ["ballots_received", "ballots_issued", "ballots_unused"]
        let expr = "ballots_received == ballots_issued + ballots_unused"
        let relations = RelationExpander.expand(RelationSpec(id: "balance", expr: expr, description: nil),
                                                parsed: try RelationParser.parse(expr), keys: keys)
        let result = ConsistencyChecker.check(fields: [accepted("ballots_received", 500), issued,
                                                       accepted("ballots_unused", 187)], relations: relations)
        XCTAssertEqual(result.fields[1].status, .uncertain, "313 + 187 = 500 holds, but the words say 318")
    }

    func testWordsNeedingTooManyCorrectionsDoNotCount() {
        let text = "трисга трипадцагь"
        XCTAssertGreaterThan(words(text).wordsCorrections ?? 0, rule.wordsMaxCorrections)
        let record = decide([classifier([3, 1, 3], confidence: 0.995)], words: words(text))
        XCTAssertEqual(record.status, .uncertain)
        XCTAssertEqual(record.reasons, [ConsistencyChecker.needsRelationSupport])
    }

    func testWordsDoNotRescueAWeakClassifierReading() {
        let record = decide([classifier([3, 1, 3], confidence: rule.wordsCompanionFloor - 0.01)], words: words("триста тринадцать"))
        XCTAssertEqual(record.status, .uncertain)
    }

    /// The words are another cell read by another reader: spelling the classifier's first reading, they vouch
    /// for it even where the classifier alone would not be trusted (hw300's a4 voters on the list, 1339 read
    /// at 0.51 and spelled "одна тысяча триста тридцать девять").
    func testWordsVouchForAClassifierReadingTooWeakToStandAlone() {
        let weak = rule.classifierAloneFloor - 0.3
        XCTAssertGreaterThanOrEqual(weak, rule.wordsCompanionFloor)
        let evidence = [classifier([3, 1, 3], confidence: weak)]
        XCTAssertTrue(rule.wordsCouldDecide(evidence, inkedMarks: 3), "the words are read beside such a reading")
        let record = decide(evidence, words: words("триста тринадцать"))
        XCTAssertEqual(record.status, .accepted)
        XCTAssertEqual(record.value, .number(313))
        let twoDigits = decide([classifier([3, 1], confidence: weak)], words: words("тридцать один"))
        XCTAssertEqual(twoDigits.status, .accepted, "two digits read in two inked boxes")
        let countOff = rule.combine(rule.decide(field: field, evidence: [classifier([3, 1], confidence: weak)], inkedMarks: 3,
                                                box: box, checkedByEquation: true),
                                    words: words("тридцать один"), evidence: [classifier([3, 1], confidence: weak)],
                                    inkedMarks: 3, kind: .count, tesseractIsReliable: true)
        XCTAssertEqual(countOff.status, .uncertain, "a digit count that does not match the ink is no companion")
    }

    func testConfidentTesseractReadingAnotherNumberBlocksAcceptance() {
        let record = decide([tesseract([8, 1, 3], confidence: 0.95), classifier([3, 1, 3], confidence: 0.995)],
                            words: words("триста тринадцать"))
        XCTAssertEqual(record.status, .uncertain)
    }

    /// On a page where Tesseract has not proved reliable (handwriting: it read a 7 as 1 at 0.99) its conviction
    /// does not outvote two readers of two cells; hw300's a4 voters on the list 1967, read 1267 by Tesseract at
    /// 0.94, 1967 by the classifier and in words.
    func testTesseractUnreliableOnThePageDoesNotBlockClassifierAndWords() {
        let evidence = [tesseract([8, 1, 3], confidence: 0.95), classifier([3, 1, 3], confidence: 0.995)]
        let record = decide(evidence, words: words("триста тринадцать"), tesseractIsReliable: false)
        XCTAssertEqual(record.status, .accepted)
        XCTAssertEqual(record.value, .number(313))
    }

    /// The words are weighed against the classifier's reading, not against the value the digits' decision
    /// shows: where Tesseract's reading was shown, words spelling the classifier's are agreement, not
    /// disagreement (hw300's a4 voters on the list 1339: classifier 1339 at 0.51, Tesseract 359).
    func testWordsAreComparedWithTheClassifiersReading() {
        let evidence = [tesseract([8, 1, 3], confidence: 0.7), classifier([3, 1, 3], confidence: 0.6)]
        let record = decide(evidence, words: words("триста тринадцать"))
        XCTAssertEqual(record.status, .accepted)
        XCTAssertEqual(record.value, .number(313))
        XCTAssertEqual(record.reasons, [])
    }

    /// Fields the reader sends to a person whatever its readers say stay with the person, words or not: one wide
    /// group that may be two touching digits, or a number written beside boxes whose strike was not seen.
    func testWordsDoNotAcceptAFieldThatGoesToAPersonWhateverItsReadersSay() {
        let evidence = [classifier([3, 1, 3], confidence: 0.995)]
        for reason in [AcceptRule.digitsMayTouch, AcceptRule.writtenBeside] {
            var record = rule.decide(field: field, evidence: evidence, inkedMarks: 3, box: box, checkedByEquation: true)
            record.reasons.append(reason)
            let combined = rule.combine(record, words: words("триста тринадцать"), evidence: evidence, inkedMarks: 3,
                                        kind: .count, tesseractIsReliable: true)
            XCTAssertEqual(combined.status, .uncertain, reason)
            XCTAssertTrue(combined.reasons.contains(reason), reason)
        }
    }

    func testUnreadWordsChangeNothingButAreRecorded() {
        let evidence = [classifier([3, 1, 3], confidence: 0.995)]
        let before = rule.decide(field: field, evidence: evidence, inkedMarks: 3, box: box, checkedByEquation: true)
        let record = rule.combine(before, words: words("подпись"), evidence: evidence, inkedMarks: 3, kind: .count,
                                  tesseractIsReliable: true)
        XCTAssertEqual(record.status, before.status)
        XCTAssertEqual(record.reasons, before.reasons)
        XCTAssertEqual(record.readings.map(\.reader), ["digit_classifier", "words"])
        XCTAssertNil(record.readings.last?.value)
    }
}
