import Foundation
import XCTest
@testable import HattamaCore
import HattamaOCR
@testable import HattamaPipeline

/// The four bundled handwritten samples end to end: what the arithmetic settles is right and says how.
final class HandwrittenSamplesTests: XCTestCase {
    func testEquationsSettleFieldsAndNoAcceptedFieldIsWrong() throws {
        let reader = try ShippedReader.make()
        let folder = RepoPaths.root.appendingPathComponent("testimages/handwritten")
        let images = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "jpg" }.sorted { $0.path < $1.path }
        XCTAssertEqual(images.count, 4)
        // The line reader accepts many fields before the arithmetic reads their equations; with its say turned
        // off the arithmetic has them to settle, as before it.
        var withoutLineReader = DigitizeOptions()
        withoutLineReader.acceptRule.lineReaderFloor = nil
        withoutLineReader.acceptRule.freeHandLineFloor = nil
        func digitize(_ options: DigitizeOptions) throws -> (accepted: Int, settled: Int) {
            var accepted = 0, settled = 0
            for image in images {
                let truth = try TruthFile.load(image.deletingPathExtension().appendingPathExtension("truth.json"))
                guard case .success(let record)? = reader.read(fileAt: image, options: options).first?.result else {
                    XCTFail("\(image.lastPathComponent) did not register")
                    continue
                }
                let equations = Set(record.relations.map(\.id))
                for field in record.fields where field.isTrusted {
                    accepted += 1
                    XCTAssertEqual(field.value, truth.values[field.key] ?? nil, "\(image.lastPathComponent) \(field.key) accepted wrong")
                }
                for field in record.fields {
                    guard let arithmetic = field.readings.first(where: { $0.reader == ArithmeticReading.reader }) else { continue }
                    settled += 1
                    XCTAssertTrue(equations.contains(arithmetic.text), "names the equation that settled it: \(arithmetic.text)")
                    XCTAssertEqual(record.relations.first { $0.id == arithmetic.text }?.arithmetic, "settled",
                                   "the equation's verdict in the record says it settled its fields")
                    XCTAssertEqual(arithmetic.value, field.value)
                    XCTAssertTrue(field.readings.contains { $0.reader == "digit_classifier" }, "what the classifier saw is kept")
                }
            }
            return (accepted, settled)
        }
        let shipped = try digitize(DigitizeOptions())
        let arithmeticOnly = try digitize(withoutLineReader)
        // Measured 2026-11-25 (fourth session): 31 of 57 fields accepted.
        XCTAssertGreaterThanOrEqual(arithmeticOnly.settled, 10, "the arithmetic settles fields on handwriting")
        XCTAssertGreaterThanOrEqual(arithmeticOnly.accepted, arithmeticOnly.settled)
        XCTAssertGreaterThan(shipped.accepted, arithmeticOnly.accepted, "the line reader's agreement accepts more")
    }

    /// The handwriting line reader is asked about the numbers Tesseract and the classifier left open, in digit boxes
    /// and (since the eighteenth session) in the A4 form's free-hand cells; the record names its model; and a field
    /// accepted on its agreement with the classifier alone is right.
    func testTheLineReaderReadsOpenBoxesAndWhatItsAgreementAcceptsIsRight() throws {
        let reader = try ShippedReader.make()
        let folder = RepoPaths.root.appendingPathComponent("testimages/handwritten")
        let images = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "jpg" }.sorted { $0.path < $1.path }
        var lineReadings = 0, freeHandReadings = 0, acceptedOnAgreement = 0
        for image in images {
            let truth = try TruthFile.load(image.deletingPathExtension().appendingPathExtension("truth.json"))
            guard case .success(let record)? = reader.read(fileAt: image, options: DigitizeOptions()).first?.result else {
                return XCTFail("\(image.lastPathComponent) did not register")
            }
            XCTAssertEqual(record.producer.lineModel?.hasPrefix("sha256:"), true, "the record names the line model")
            for field in record.fields {
                guard let line = field.readings.first(where: { $0.reader == "line_reader" }) else { continue }
                lineReadings += 1
                if image.lastPathComponent.contains("-a4-") { freeHandReadings += 1 }
                let others = field.readings.filter { $0.reader != "line_reader" && $0.reader != "digit_classifier" }
                if field.isTrusted, line.value == field.value, !others.contains(where: { $0.value == field.value }) {
                    acceptedOnAgreement += 1
                    XCTAssertEqual(field.value, truth.values[field.key] ?? nil, "\(image.lastPathComponent) \(field.key)")
                }
            }
        }
        XCTAssertGreaterThan(lineReadings, 10, "open fields of the handwritten samples are read by the line reader")
        XCTAssertGreaterThan(freeHandReadings, 0, "the A4 form's free-hand cells too")
        XCTAssertGreaterThan(acceptedOnAgreement, 0, "some field is accepted on the two handwriting readers' agreement")
    }

    /// On an A4 protocol the words cells are read only where the arithmetic needs them, and there they let
    /// the equation confirm a number the classifier misread (hw300's a4 165, a fixture: the words spell 12
    /// votes for Tursynbekova, the classifier saw 72; the a4 25 it replaces is now read right, its broad
    /// digit no longer cut in two).
    /// Since the eighteenth session the line reader reads the 12 surely and vouches for it in the equation first
    /// (next test); the words are the second reader where it has no say.
    func testWordsAreReadWhereTheArithmeticNeedsThemAndCorrectTheClassifierThere() throws {
        var noLineReader = DigitizeOptions()
        noLineReader.acceptRule.lineReaderFloor = nil
        noLineReader.acceptRule.freeHandLineFloor = nil
        let (record, truth) = try digitizedFixture("words/kz-2022-president-precinct-a4-0165.jpg", options: noLineReader)
        func reading(_ field: FieldRecord, _ reader: String) -> ReaderReading? { field.readings.first { $0.reader == reader } }
        let correctedByWords = record.fields.filter { field in
            field.isTrusted && reading(field, "words")?.value == field.value
                && reading(field, "digit_classifier")?.value != field.value && reading(field, ArithmeticReading.reader) != nil
        }
        XCTAssertFalse(correctedByWords.isEmpty, "words confirmed by an equation overrule a misread digit")
        for field in correctedByWords { XCTAssertEqual(field.value, truth.values[field.key] ?? nil, field.key) }
        let settledWithoutWords = record.fields.filter {
            $0.isTrusted && reading($0, ArithmeticReading.reader) != nil && reading($0, "words") == nil
        }
        XCTAssertFalse(settledWithoutWords.isEmpty, "a field the arithmetic settles alone has its words left unread")
    }

    /// Seed 26's A4 0217 adds up to 9 votes fewer than voters participated (1159 against 1150). The line reader
    /// accepts several of its fields beside a classifier below 0.99, which bounds nothing in the verdict; their words
    /// are read beside them once the equation breaks, and the break is a finding again.
    func testWordsAreReadBesideUnsureLineAgreementsOfABrokenEquationAndTheFormIsInconsistent() throws {
        let (record, truth) = try digitizedFixture("words/seed26-kz-2022-president-precinct-a4-0217.jpg")
        XCTAssertFalse(truth.consistent)
        XCTAssertEqual(record.status, .inconsistent)
        let balance = try XCTUnwrap(record.relations.first { $0.id == "participation_balance" })
        XCTAssertEqual(balance.holds, false)
        let wordsBeside = record.fields.filter { field in
            balance.keys.contains(field.key) && field.readings.contains { $0.reader == "words" && $0.value == field.value }
                && field.readings.contains { $0.reader == "line_reader" && $0.value == field.value }
        }
        XCTAssertFalse(wordsBeside.isEmpty, "words read beside the line reader's agreement")
        for field in record.fields where field.isTrusted {
            XCTAssertEqual(field.value, truth.values[field.key] ?? nil, field.key)
        }
    }

    /// The same protocol as the build reads it: the classifier saw 72 votes (p = 0.57) where the line reader read the
    /// free-hand 12 at 1.0; the equation balances on 12, the line reader vouches for it, and the words need not be read.
    func testASureFreeHandLineReadingVouchesForTheValueTheEquationBalancesOn() throws {
        let (record, truth) = try digitizedFixture("words/kz-2022-president-precinct-a4-0165.jpg")
        let votes = try XCTUnwrap(record.fields.first { $0.key == "votes.tursynbekova" })
        XCTAssertEqual(votes.status, .accepted)
        XCTAssertEqual(votes.value, truth.values["votes.tursynbekova"] ?? nil)
        XCTAssertEqual(votes.readings.first { $0.reader == "line_reader" }?.value, votes.value)
        XCTAssertNotEqual(votes.readings.first { $0.reader == "digit_classifier" }?.value, votes.value)
        XCTAssertEqual(votes.readings.last?.reader, ArithmeticReading.reader)
        XCTAssertNil(votes.readings.first { $0.reader == "words" }, "the words were not needed")
    }

    /// A free-hand "875" whose 8 and 7 touch reads as 85 at 1.0: one wide group that the classifier reads whole
    /// as an 8 as surely as it reads the 8 and the 7 apart (hw300's a4 285, a fixture). The field goes to a
    /// person with the reason, and the arithmetic does not settle it. With the previous model (v4) such fields
    /// were flagged 34 times on seven generated corpora, 8 of them misread, against about 6% of all fields.
    func testDigitsThatMayTouchSendTheFieldToAPerson() throws {
        let (record, truth) = try digitizedFixture("touching/kz-2022-president-precinct-a4-0285.jpg")
        let field = try XCTUnwrap(record.fields.first { $0.key == "ballots_unused" })
        XCTAssertEqual(truth.values["ballots_unused"] ?? nil, .number(875))
        XCTAssertEqual(field.status, .uncertain)
        XCTAssertTrue(field.reasons.contains(AcceptRule.digitsMayTouch), "\(field.reasons)")
        XCTAssertFalse(field.readings.contains { $0.reader == ArithmeticReading.reader }, "the equation did not settle it")
        let equation = try XCTUnwrap(record.relations.first { $0.keys.contains("ballots_unused") && $0.expression.contains("==") })
        XCTAssertNotNil(equation.arithmetic, "the record says why the equation left it open")
        XCTAssertNotEqual(equation.arithmetic, "settled")
        for accepted in record.fields where accepted.isTrusted {
            XCTAssertEqual(accepted.value, truth.values[accepted.key] ?? nil, "\(accepted.key) accepted wrong")
        }
    }

    /// A generated protocol of Tests/HattamaPipelineTests/Fixtures read by the shipped pipeline, and its truth.
    private func digitizedFixture(_ path: String, options: DigitizeOptions = DigitizeOptions()) throws
        -> (ProtocolRecord, TruthFile)
    {
        let image = RepoPaths.root.appendingPathComponent("Tests/HattamaPipelineTests/Fixtures/" + path)
        let truth = try TruthFile.load(image.deletingPathExtension().appendingPathExtension("truth.json"))
        let result = try ShippedReader.make().read(fileAt: image, options: options).first?.result
        guard case .success(let record)? = result else { throw FixtureNotRead(path: path) }
        return (record, truth)
    }

    private struct FixtureNotRead: Error, CustomStringConvertible {
        let path: String
        var description: String { "the fixture \(path) did not register" }
    }
}
