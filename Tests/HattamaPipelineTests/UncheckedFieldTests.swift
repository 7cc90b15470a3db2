import XCTest
@testable import HattamaCore
@testable import HattamaPipeline

/// A field no equation checks (the precinct number, voters on the list) is accepted on Tesseract and the
/// classifier agreeing only when one of them is all but certain: both read the one crop, and a misread they
/// share (a 1 written with a hook, read as 7 by both) could not be caught later.
final class UncheckedFieldTests: XCTestCase {
    private let rule = AcceptRule.default
    private let field = FieldSpec(key: "precinct_id", line: 0, kind: .precinctID, label: LocalizedText([:]),
                                  cells: nil, box: TemplateRect(x: 0, y: 0, width: 100, height: 40), words: nil)
    private let box = ImageBox(x: 0, y: 0, width: 100, height: 40)

    private func evidence(_ reader: String, _ digits: [Int], confidence: Double) -> FieldEvidence {
        FieldEvidence(reader: reader, text: digits.map(String.init).joined(), digits: digits,
                      digitConfidences: digits.map { _ in confidence }, unreadableMarks: 0,
                      markCount: reader == "digit_classifier" ? digits.count : nil, runnersUp: digits.map { _ in nil })
    }

    private func decide(classifier: Double, tesseract: Double, checkedByEquation: Bool) -> FieldRecord {
        rule.decide(field: field, evidence: [evidence("tesseract", [7, 1, 2], confidence: tesseract),
                                             evidence("digit_classifier", [7, 1, 2], confidence: classifier)],
                    inkedMarks: 3, box: box, checkedByEquation: checkedByEquation)
    }

    func testTwoReadersOfOneCropThatAreMerelySureDoNotSettleAnUncheckedField() {
        // Seed 26, referendum 154: 112 written, 712 read by both, at 0.96 and 0.95.
        let record = decide(classifier: 0.96, tesseract: 0.95, checkedByEquation: false)
        XCTAssertEqual(record.status, .uncertain)
        XCTAssertEqual(record.value, .text("712"), "the reading is still shown to the reviewer")
    }

    func testTheSameReadingsInAnEquationWaitForItsCheck() {
        XCTAssertEqual(decide(classifier: 0.96, tesseract: 0.95, checkedByEquation: true).status, .accepted)
    }

    func testAnUncheckedFieldIsAcceptedWhenEitherReaderIsAllButCertain() {
        XCTAssertEqual(decide(classifier: 0.995, tesseract: 0.95, checkedByEquation: false).status, .accepted)
        XCTAssertEqual(decide(classifier: 0.96, tesseract: 0.995, checkedByEquation: false).status, .accepted,
                       "printed digits: Tesseract reads them at 0.99 or more")
    }
}
