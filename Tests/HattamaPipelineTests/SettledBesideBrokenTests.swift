import XCTest
@testable import HattamaCore
@testable import HattamaPipeline

/// An equation chooses its values together: when one of them breaks another relation among accepted fields,
/// none of the values it chose stays accepted.
final class SettledBesideBrokenTests: XCTestCase {
    private let keys = ["ballots_received", "ballots_issued", "ballots_unused", "voters_participated",
                        "ballots_invalid", "votes.a", "votes.b"]

    private func relation(_ id: String, _ expr: String) -> [ControlRelation] {
        RelationExpander.expand(RelationSpec(id: id, expr: expr, description: nil),
                                parsed: try! RelationParser.parse(expr), keys: keys)
    }

    private var relations: [ControlRelation] {
        relation("participation_balance", "voters_participated == ballots_invalid + votes.a + votes.b")
            + relation("participated_within_issued", "voters_participated <= ballots_issued")
    }

    /// A field as the arithmetic left it: accepted, and settled by `equation` when one is named; the classifier
    /// read `classifierRead`, the settled value unless given.
    private func field(_ key: String, _ value: Int, settledBy equation: String? = nil, classifierRead: Int? = nil,
                       status: FieldStatus = .accepted) -> FieldRecord {
        let read = classifierRead ?? value
        var readings = [ReaderReading(reader: "digit_classifier", text: String(read), value: .number(read),
                                      confidence: 0.97)]
        if let equation {
            readings.append(ReaderReading(reader: ArithmeticReading.reader, text: equation, value: .number(value),
                                          confidence: 0.999))
        }
        return FieldRecord(key: key, line: 0, kind: .count, value: .number(value), status: status,
                           confidence: 0.97, reasons: status == .accepted ? [] : ["single_reader"], box: nil,
                           readings: readings)
    }

    /// The fields of seed 26's wall 0168 after the arithmetic, with `issued` ballots issued, checked.
    private func checkedPage(issued: Int, issuedStatus: FieldStatus = .accepted) -> [String: FieldRecord] {
        let checked = ArithmeticReading.check([
            field("ballots_issued", issued, status: issuedStatus),
            field("voters_participated", 439, settledBy: "participation_balance"),
            field("ballots_invalid", 9, settledBy: "participation_balance"),
            field("votes.a", 339, settledBy: "participation_balance"),
            field("votes.b", 91),
        ], relations: relations, tesseractIsReliable: true, judgedSegmentation: [])
        return Dictionary(uniqueKeysWithValues: checked.fields.map { ($0.key, $0) })
    }

    /// Seed 26's wall 0168 read with digit model v5: 432 voters participated and 332 votes written, both 2s
    /// read as 9. 439 = 9 + 339 + 91 balances, but 439 is more than the 432 ballots issued that were accepted.
    func testAValueThatBreaksAnotherRelationWithdrawsEverythingItsEquationSettled() {
        let fields = checkedPage(issued: 432)
        XCTAssertEqual(fields["votes.a"]?.status, .uncertain, "339 was chosen together with the 439 shown wrong")
        XCTAssertEqual(fields["votes.a"]?.reasons, ["settled_beside_broken:participation_balance"])
        XCTAssertEqual(fields["ballots_invalid"]?.status, .uncertain)
        XCTAssertEqual(fields["voters_participated"]?.status, .uncertain)
        XCTAssertEqual(fields["votes.b"]?.status, .accepted, "read and accepted on its own, not by the equation")
        XCTAssertEqual(fields["votes.a"]?.value, .number(339), "the reviewer still sees what was read")
    }

    func testARelationBrokenByAFieldStillInDoubtWithdrawsNothing() {
        let fields = checkedPage(issued: 432, issuedStatus: .uncertain)
        XCTAssertEqual(fields["votes.a"]?.status, .accepted, "the doubtful 432 is the likelier culprit")
        XCTAssertEqual(fields["ballots_invalid"]?.status, .accepted)
    }

    /// a4-s41's A4 0060 read with a wider trial network: ballots issued 1134 read 134, and the balance of the
    /// ballots turned the right readings 2610 and 1476 into 7610 and 7476. voters participated <= ballots issued
    /// then fails beside the doubtful voters participated; two corrections that balance each other are doubted.
    func testTwoCorrectionsBalancedBesideAnyBrokenRelationAreWithdrawn() {
        let relations = relation("received_balance", "ballots_received == ballots_issued + ballots_unused")
            + relation("participated_within_issued", "voters_participated <= ballots_issued")
        func checked(unusedRead: Int) -> [String: FieldRecord] {
            let out = ArithmeticReading.check([
                field("ballots_received", 7610, settledBy: "received_balance", classifierRead: 2610),
                field("ballots_issued", 134, settledBy: "received_balance"),
                field("ballots_unused", 7476, settledBy: "received_balance", classifierRead: unusedRead),
                field("voters_participated", 1131, status: .uncertain),
            ], relations: relations, tesseractIsReliable: true, judgedSegmentation: [])
            return Dictionary(uniqueKeysWithValues: out.fields.map { ($0.key, $0) })
        }
        let twoCorrections = checked(unusedRead: 1476)
        XCTAssertEqual(twoCorrections["ballots_received"]?.status, .uncertain, "7610 was 2610 as read")
        XCTAssertEqual(twoCorrections["ballots_unused"]?.status, .uncertain, "7476 was 1476 as read")
        XCTAssertEqual(twoCorrections["ballots_unused"]?.reasons, ["settled_beside_broken:received_balance"])
        let oneCorrection = checked(unusedRead: 7476)
        XCTAssertEqual(oneCorrection["ballots_unused"]?.status, .accepted,
                       "one correction beside a doubtful field: the doubtful field is the likelier culprit")
    }

    func testRelationsThatHoldWithdrawNothing() {
        XCTAssertTrue(checkedPage(issued: 440).values.allSatisfy { $0.status == .accepted })
    }
}
