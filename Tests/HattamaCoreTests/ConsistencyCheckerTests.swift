import XCTest
@testable import HattamaCore

/// How control relations turn read fields into review work and a protocol status.
final class ConsistencyCheckerTests: XCTestCase {
    private func relation(_ id: String, _ expr: String, keys: [String]) throws -> [ControlRelation] {
        RelationExpander.expand(RelationSpec(id: id, expr: expr, description: nil),
                                parsed: try RelationParser.parse(expr), keys: keys)
    }

    /// A field read by two readers; `agree` decides whether the second saw the same value.
    private func field(_ key: String, _ value: Int?, _ status: FieldStatus = .accepted, agree: Bool = true,
                       other: Int? = nil) -> FieldRecord {
        let first = value.map { FieldValue.number($0) }
        let secondValue = agree ? value : (other ?? value.map { $0 + 1 })
        let readings = [
            ReaderReading(reader: "tesseract", text: value.map(String.init) ?? "", value: first, confidence: 0.9),
            ReaderReading(reader: "digit_classifier", text: secondValue.map(String.init) ?? "",
                          value: secondValue.map { .number($0) }, confidence: 0.9),
        ]
        return FieldRecord(key: key, line: 0, kind: .count, value: first, status: status,
                           confidence: status == .accepted ? 0.99 : 0.4,
                           reasons: status == .accepted ? [] : ["low_confidence"], box: nil, readings: readings)
    }

    private let keys = ["ballots_received", "ballots_issued", "ballots_unused"]

    private func balance() throws -> [ControlRelation] {
        try relation("received_balance", "ballots_received == ballots_issued + ballots_unused", keys: keys)
    }

    func testAllAcceptedAndRelationsHoldIsComplete() throws {
        let fields = [field("ballots_received", 1000), field("ballots_issued", 640), field("ballots_unused", 360)]
        let result = ConsistencyChecker.check(fields: fields, relations: try balance())
        XCTAssertEqual(result.status, .complete)
        XCTAssertEqual(result.fields.map(\.status), [.accepted, .accepted, .accepted])
        XCTAssertEqual(result.fields.flatMap(\.reasons), [])
        XCTAssertEqual(result.relations, [RelationRecord(id: "received_balance",
                                                         expression: "ballots_received == ballots_issued + ballots_unused",
                                                         holds: true, left: 1000, right: 1000, keys: keys)])
    }

    func testFailedRelationMarksItsFieldsUncertainWithReason() throws {
        // The readers disagree on ballots_unused, so the break may be a misreading: review, not inconsistent.
        let fields = [field("ballots_received", 1000), field("ballots_issued", 640),
                      field("ballots_unused", 350, .uncertain, agree: false, other: 360), field("other", 5)]
        let result = ConsistencyChecker.check(fields: fields, relations: try balance())
        let byKey = Dictionary(uniqueKeysWithValues: result.fields.map { ($0.key, $0) })
        for key in keys {
            XCTAssertEqual(byKey[key]?.status, .uncertain, key)
            XCTAssertTrue(byKey[key]?.reasons.contains("relation_failed:received_balance") ?? false, "\(key): \(byKey[key]!.reasons)")
        }
        XCTAssertEqual(byKey["other"]?.status, .accepted, "a field outside the relation stays accepted")
        XCTAssertEqual(byKey["other"]?.reasons, [])
        XCTAssertEqual(result.relations.first?.holds, false)
        XCTAssertEqual(result.relations.first?.left, 1000)
        XCTAssertEqual(result.relations.first?.right, 990)
        XCTAssertEqual(result.status, .needsReview)
    }

    func testLoneUncertainFieldInEquationGetsImpliedSuggestion() throws {
        let fields = [field("ballots_received", 1000), field("ballots_issued", 640),
                      field("ballots_unused", nil, .uncertain)]
        let result = ConsistencyChecker.check(fields: fields, relations: try balance())
        let unused = try XCTUnwrap(result.fields.first { $0.key == "ballots_unused" })
        XCTAssertEqual(unused.suggestion, Suggestion(value: .number(360), relation: "received_balance"))
        XCTAssertNil(unused.value, "a suggestion is not a value: a person confirms it")
        XCTAssertEqual(unused.status, .uncertain)
        XCTAssertNil(result.fields[0].suggestion)
        XCTAssertNil(result.relations.first?.holds, "undecided while a value is missing")
        XCTAssertEqual(result.status, .needsReview)
    }

    func testNoSuggestionWhenTwoFieldsAreUncertain() throws {
        let fields = [field("ballots_received", 1000), field("ballots_issued", nil, .uncertain),
                      field("ballots_unused", nil, .uncertain)]
        let result = ConsistencyChecker.check(fields: fields, relations: try balance())
        XCTAssertEqual(result.fields.compactMap(\.suggestion), [])
    }

    func testNoSuggestionFromAnInequality() throws {
        let relations = try relation("within", "ballots_received >= ballots_issued", keys: keys)
        let fields = [field("ballots_received", 1000), field("ballots_issued", nil, .uncertain)]
        let result = ConsistencyChecker.check(fields: fields, relations: relations)
        XCTAssertNil(result.fields[1].suggestion)
    }

    func testAgreedReadingsThatBreakARelationAreInconsistent() throws {
        // Every reader saw these numbers, yet 1000 != 640 + 350: the form itself is wrong.
        let fields = [field("ballots_received", 1000), field("ballots_issued", 640), field("ballots_unused", 350)]
        let result = ConsistencyChecker.check(fields: fields, relations: try balance())
        XCTAssertEqual(result.status, .inconsistent)
        XCTAssertTrue(result.fields.allSatisfy { $0.reasons.contains("relation_failed:received_balance") })
    }

    func testAgreedButUnconfidentReadingsThatBreakARelationAreInconsistent() throws {
        let fields = [field("ballots_received", 1000), field("ballots_issued", 640),
                      field("ballots_unused", 350, .uncertain)]
        let result = ConsistencyChecker.check(fields: fields, relations: try balance())
        XCTAssertEqual(result.status, .inconsistent)
    }

    /// hw300's referendum 294: Tesseract at 0.98 and the classifier at 0.55 both read a handwritten 304 as 307,
    /// on a page where Tesseract had not proved reliable. On a printed page, where it has, the classifier may
    /// be unsure of a printed 1 and the agreement is still a finding.
    func testAgreementWithAnUnsureClassifierIsAFindingOnlyWhereTesseractProvedReliable() throws {
        var unused = field("ballots_unused", 350, .uncertain)
        unused.readings[1].confidence = 0.55
        let fields = [field("ballots_received", 1000), field("ballots_issued", 640), unused]
        let handwritten = ConsistencyChecker.check(fields: fields, relations: try balance(), agreementNeedsSureClassifier: true)
        XCTAssertEqual(handwritten.status, .needsReview)
        XCTAssertEqual(handwritten.fields[2].status, .uncertain)
        XCTAssertEqual(ConsistencyChecker.check(fields: fields, relations: try balance()).status, .inconsistent)
    }

    /// hw300's referendum 294 with digit model v7: a handwritten 304 read 307 by Tesseract at 0.98 and by the
    /// classifier at 0.37, on a page where Tesseract had proved reliable. Agreement with a classifier that
    /// unsure bounds nothing on any page; at `classifierAgreementFloor` it does.
    func testAgreementWithAnUnsureClassifierIsNoFindingEvenWhereTesseractIsReliable() throws {
        var unused = field("ballots_unused", 350, .uncertain)
        unused.readings[0].confidence = 0.98
        unused.readings[1].confidence = 0.37
        let fields = [field("ballots_received", 1000), field("ballots_issued", 640), unused]
        XCTAssertEqual(ConsistencyChecker.check(fields: fields, relations: try balance()).status, .needsReview)
        var sureEnough = fields
        sureEnough[2].readings[1].confidence = ConsistencyChecker.classifierAgreementFloor
        XCTAssertEqual(ConsistencyChecker.check(fields: sureEnough, relations: try balance()).status, .inconsistent)
    }

    /// Seed 26's referendum 0046: Tesseract at 0.47 and the classifier at 0.99 both read a handwritten 851 as
    /// 857, and the consistent form was called inconsistent. Agreement with Tesseract that unsure bounds
    /// nothing, even beside a sure classifier; at 0.5 it still does.
    func testAgreementWithAnUnsureTesseractIsNoFinding() throws {
        var unused = field("ballots_unused", 350, .uncertain)
        unused.readings[0].confidence = 0.47
        unused.readings[1].confidence = 0.99
        let fields = [field("ballots_received", 1000), field("ballots_issued", 640), unused]
        let unsure = ConsistencyChecker.check(fields: fields, relations: try balance())
        XCTAssertEqual(unsure.status, .needsReview)
        XCTAssertEqual(unsure.fields[2].status, .uncertain)
        var sureEnough = fields
        sureEnough[2].readings[0].confidence = ConsistencyChecker.tesseractAgreementFloor
        XCTAssertEqual(ConsistencyChecker.check(fields: sureEnough, relations: try balance()).status, .inconsistent)
    }

    /// hw300's referendum 114: 2720 struck out in the boxes and written again beside them, read 272 by both
    /// readers of that one crop.
    func testReadersOfOneNumberWrittenAgainBesideTheBoxesBoundNothing() throws {
        var received = field("ballots_received", 272, .uncertain)
        received.reasons = ["corrected"]
        let result = ConsistencyChecker.check(fields: [received, field("ballots_issued", 2000), field("ballots_unused", 720)],
                                              relations: try balance())
        XCTAssertEqual(result.status, .needsReview)
    }

    /// hw300's A4 0037 with digit model v7: 2155 ballots received, written free-hand, read 255 at p > 0.99 by the
    /// classifier alone, with "21" kept whole as one digit. No count of ballots issued makes 255 = issued + 907,
    /// but the digit count is a judgement, so the form is not accused on it.
    func testAStrongReadingWhoseDigitCountRestsOnAGroupKeptWholeBoundsNothing() throws {
        var received = field("ballots_received", 255, .uncertain)
        received.reasons = [ConsistencyChecker.needsRelationSupport]
        received.confidence = 0.999
        received.readings = [ReaderReading(reader: "tesseract", text: "", value: nil, confidence: 0),
                             ReaderReading(reader: "digit_classifier", text: "255", value: .number(255), confidence: 0.999)]
        let fields = [received, field("ballots_issued", 1248, .uncertain, agree: false, other: 7249),
                      field("ballots_unused", 907)]
        XCTAssertEqual(ConsistencyChecker.check(fields: fields, relations: try balance()).status, .inconsistent,
                       "a strong reading of a count the ink shows bounds the field")
        let judged = ConsistencyChecker.check(fields: fields, relations: try balance(),
                                              judgedSegmentation: ["ballots_received"])
        XCTAssertEqual(judged.status, .needsReview)
        XCTAssertEqual(judged.fields.map(\.status), [.uncertain, .uncertain, .uncertain], "the broken equation still goes to a person")
    }

    func testEachRelationFailureNamesTheExpandedId() throws {
        let relations = try relation("within", "each(votes.*) <= voters_participated",
                                     keys: ["voters_participated", "votes.a", "votes.b"])
        let fields = [field("voters_participated", 50), field("votes.a", 20), field("votes.b", 70, .uncertain, agree: false, other: 10)]
        let result = ConsistencyChecker.check(fields: fields, relations: relations)
        XCTAssertEqual(result.fields[1].status, .accepted)
        XCTAssertEqual(result.fields[2].reasons.filter { $0.hasPrefix("relation_failed") }, ["relation_failed:within[votes.b]"])
        XCTAssertEqual(result.status, .needsReview)
    }

    func testAnInequalityBrokenByADoubtfulReadingThatAnotherReadingWouldMendLeavesTheAcceptedSideAccepted() throws {
        // votes.b was read as 70 by one reader and 10 by the other: 10 <= 50 holds, so the break is put on votes.b.
        let relations = try relation("within", "each(votes.*) <= voters_participated",
                                     keys: ["voters_participated", "votes.b"])
        let mendable = [field("voters_participated", 50), field("votes.b", 70, .uncertain, agree: false, other: 10)]
        let result = ConsistencyChecker.check(fields: mendable, relations: relations)
        XCTAssertEqual(result.fields[0].status, .accepted)
        XCTAssertEqual(result.fields[0].reasons, [])
        XCTAssertEqual(result.fields[1].reasons, ["low_confidence", "relation_failed:within[votes.b]"])

        // Read as 70 or 80: no reading of votes.b fits under 50, so the accepted 50 is in doubt too.
        let unmendable = [field("voters_participated", 50), field("votes.b", 70, .uncertain, agree: false, other: 80)]
        let doubted = ConsistencyChecker.check(fields: unmendable, relations: relations)
        XCTAssertEqual(doubted.fields[0].status, .uncertain)
        XCTAssertEqual(doubted.fields[0].reasons, ["relation_failed:within[votes.b]"])
    }

    func testABrokenEquationPutsEveryFieldInDoubtEvenWhenAnotherReadingWouldMendIt() throws {
        // 1000 = 640 + 360 with the second reading of ballots_unused, but an equation's candidates were already
        // weighed by the arithmetic reading: a break left after it may be an accepted field's misreading.
        let fields = [field("ballots_received", 1000), field("ballots_issued", 640),
                      field("ballots_unused", 350, .uncertain, agree: false, other: 360)]
        let result = ConsistencyChecker.check(fields: fields, relations: try balance())
        XCTAssertEqual(result.fields.map(\.status), [.uncertain, .uncertain, .uncertain])
    }

    /// Fields accepted on the standard of a field no equation checks keep their value when the equation breaks
    /// on a doubtful field that could carry the blame; the doubtful field is still sent to a person.
    func testABrokenEquationLeavesFieldsStandingAloneAcceptedWhenADoubtfulFieldCanCarryTheBlame() throws {
        let fields = [field("ballots_received", 1000), field("ballots_issued", 640),
                      field("ballots_unused", 350, .uncertain, agree: false, other: 360)]
        let result = ConsistencyChecker.check(fields: fields, relations: try balance(),
                                              standingAlone: ["ballots_received", "ballots_issued"])
        XCTAssertEqual(result.fields.map(\.status), [.accepted, .accepted, .uncertain])
        XCTAssertEqual(result.fields[2].reasons, ["low_confidence", "relation_failed:received_balance"])
        XCTAssertEqual(result.relations.first?.holds, false, "the record still shows the broken equation")
    }

    /// Every number of a broken equation read surely by two readers: the protocol breaks its own arithmetic, the
    /// numbers stay as read, and the form is reported inconsistent.
    func testABrokenEquationWhoseFieldsAllStandAloneIsTheFormsOwnAndKeepsTheirValues() throws {
        let all = [field("ballots_received", 1000), field("ballots_issued", 640), field("ballots_unused", 350)]
        let everyField = ConsistencyChecker.check(fields: all, relations: try balance(), standingAlone: Set(keys))
        XCTAssertEqual(everyField.fields.map(\.status), [.accepted, .accepted, .accepted])
        XCTAssertEqual(everyField.status, .inconsistent)
        let oneNot = ConsistencyChecker.check(fields: all, relations: try balance(),
                                              standingAlone: ["ballots_received", "ballots_issued"])
        XCTAssertEqual(oneNot.fields.map(\.status), [.uncertain, .uncertain, .uncertain],
                       "no reading of the field not standing alone mends the sum, which asks 650 for the standing 640: one digit")
    }

    /// A field accepted on the line reader's agreement with a classifier below `boundingFloor` alone.
    private func lineAgreed(_ key: String, _ value: Int, classifier: Double) -> FieldRecord {
        let readings = [
            ReaderReading(reader: "digit_classifier", text: String(value), value: .number(value), confidence: classifier),
            ReaderReading(reader: "line_reader", text: String(value), value: .number(value), confidence: 0.9999),
        ]
        return FieldRecord(key: key, line: 0, kind: .count, value: .number(value), status: .accepted,
                           confidence: 0.999, reasons: [], box: nil, readings: readings)
    }

    /// Where every field of a broken equation stands alone but one of them only on the line reader's agreement with
    /// an unsure classifier, the break is no longer taken as the form's own when the equation asks one of its
    /// fields to differ by one digit: seed 63's referendum 0086, 699 unused read 609 by both beside 1016 received
    /// (classifier 0.979, line reader 0.9999) and 317 issued.
    func testAnEquationStandingOnAnUnsureLineAgreementIsDoubtedWhenItAsksForAOneDigitChange() throws {
        let oneDigit = [lineAgreed("ballots_received", 1016, classifier: 0.979), field("ballots_issued", 317),
                        field("ballots_unused", 609)]
        let doubted = ConsistencyChecker.check(fields: oneDigit, relations: try balance(), standingAlone: Set(keys))
        XCTAssertEqual(doubted.fields.map(\.status), [.uncertain, .uncertain, .uncertain])
        // 1016 = 317 + 650? It asks for 699 unused, 366 issued or 967 received: none a digit from what was read.
        let farApart = [lineAgreed("ballots_received", 1016, classifier: 0.979), field("ballots_issued", 317),
                        field("ballots_unused", 650)]
        let kept = ConsistencyChecker.check(fields: farApart, relations: try balance(), standingAlone: Set(keys))
        XCTAssertEqual(kept.fields.map(\.status), [.accepted, .accepted, .accepted])
        XCTAssertEqual(kept.status, .inconsistent)
        // With the classifier sure (at `boundingFloor`), the one-digit break stays the form's own.
        let sure = [lineAgreed("ballots_received", 1016, classifier: 0.995), field("ballots_issued", 317),
                    field("ballots_unused", 609)]
        let own = ConsistencyChecker.check(fields: sure, relations: try balance(), standingAlone: Set(keys))
        XCTAssertEqual(own.fields.map(\.status), [.accepted, .accepted, .accepted])
        XCTAssertEqual(own.status, .inconsistent)
    }

    /// When no reading of the doubtful fields balances the equation, one of the standing fields may be wrong (or
    /// the form is): all of them go to a person.
    func testABrokenEquationThatNoDoubtfulFieldCanMendPutsTheStandingFieldsInDoubtToo() throws {
        // 600 received cannot be 640 issued plus any count of unused ballots.
        let fields = [field("ballots_received", 600), field("ballots_issued", 640),
                      field("ballots_unused", 350, .uncertain, agree: false, other: 360)]
        let result = ConsistencyChecker.check(fields: fields, relations: try balance(),
                                              standingAlone: ["ballots_received", "ballots_issued"])
        XCTAssertEqual(result.fields.map(\.status), [.uncertain, .uncertain, .uncertain])
        // Some count of unused ballots would balance it, but neither reader read one that does: a digit lost by
        // both readers of a standing field is as likely a story.
        let unread = [field("ballots_received", 1000), field("ballots_issued", 640),
                      field("ballots_unused", 350, .uncertain, agree: false, other: 351)]
        let noReadingMends = ConsistencyChecker.check(fields: unread, relations: try balance(),
                                                      standingAlone: ["ballots_received", "ballots_issued"])
        XCTAssertEqual(noReadingMends.fields.map(\.status), [.uncertain, .uncertain, .uncertain])
    }

    /// When no reading of the doubtful fields balances the equation, the standing fields keep their values unless
    /// the equation asks one of them to differ by one digit from what its readers read: two readers misreading it
    /// alike by more than a digit is the unlikelier story.
    func testABrokenEquationKeepsStandingFieldsUnlessOneCouldBeOneDigitMisread() throws {
        let standing: Set<String> = ["ballots_received", "ballots_issued"]
        // 1000 = 572 + 350? The others would need 922 received or 650 issued: neither is a digit away.
        let farApart = [field("ballots_received", 1000), field("ballots_issued", 572),
                        field("ballots_unused", 350, .uncertain, agree: false, other: 351)]
        let kept = ConsistencyChecker.check(fields: farApart, relations: try balance(), standingAlone: standing)
        XCTAssertEqual(kept.fields.map(\.status), [.accepted, .accepted, .uncertain])
        XCTAssertEqual(kept.fields[2].reasons, ["low_confidence", "relation_failed:received_balance"])
        // Seed 63's referendum 0134: 394 issued read 304 by both, and the doubtful field's other reading (606)
        // makes the equation ask for 394, one digit from 304. Every field goes to a person.
        let oneDigit = [field("ballots_received", 1000), field("ballots_issued", 304),
                        field("ballots_unused", 602, .uncertain, agree: false, other: 606)]
        let doubted = ConsistencyChecker.check(fields: oneDigit, relations: try balance(), standingAlone: standing)
        XCTAssertEqual(doubted.fields.map(\.status), [.uncertain, .uncertain, .uncertain])
    }

    func testOneDigitApartMeansOneDigitChangedOrLeftOut() {
        XCTAssertTrue(ConsistencyChecker.differsByOneDigit(394, 304))
        XCTAssertTrue(ConsistencyChecker.differsByOneDigit(978, 78))
        XCTAssertTrue(ConsistencyChecker.differsByOneDigit(1210, 120))
        XCTAssertFalse(ConsistencyChecker.differsByOneDigit(394, 394))
        XCTAssertFalse(ConsistencyChecker.differsByOneDigit(650, 572))
        XCTAssertFalse(ConsistencyChecker.differsByOneDigit(1000, 990))
        XCTAssertFalse(ConsistencyChecker.differsByOneDigit(978, 8))
    }

    func testNothingReadIsUnreadable() throws {
        let fields = keys.map { field($0, nil, .uncertain) }
        XCTAssertEqual(ConsistencyChecker.check(fields: fields, relations: try balance()).status, .unreadable)
    }

    // MARK: SHA-256

    func testSHA256MatchesFIPSVectors() {
        XCTAssertEqual(SHA256Digest.hex(of: Array("abc".utf8)),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256Digest.hex(of: [UInt8]()),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256Digest.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testSHA256IncrementalUpdatesMatchOneShot() {
        let data = Array(repeating: UInt8(ascii: "a"), count: 1_000_000)
        var digest = SHA256Digest()
        for chunk in stride(from: 0, to: data.count, by: 997) {
            digest.update(Array(data[chunk..<min(chunk + 997, data.count)]))
        }
        XCTAssertEqual(digest.finalizeHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
