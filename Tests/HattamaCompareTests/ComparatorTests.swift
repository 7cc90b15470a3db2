import HattamaCore
import XCTest

final class ComparatorTests: XCTestCase {
    let official = ReferenceDescription(kind: "official", source: "official.csv")

    func compare(_ csv: String, _ records: [ProtocolRecord]) throws -> ComparisonReport {
        Comparator.compare(official: try Fixtures.official(csv), records: records.map { ($0, nil) },
                           rule: PrecinctRule(), reference: official)
    }

    func testClassificationOfEachKindOfDifference() throws {
        let csv = "precinct,a,b\n1,10,20\n2,10,25\n3,10,25\n4,10,25\n5,10,25\n6,1,1\n"
        let report = try compare(csv, [
            Fixtures.record(precinct: "1", [("a", 10), ("b", 20)]),                               // match
            Fixtures.record(precinct: "2", [("a", 10), ("b", 20)]),                               // discrepancy
            Fixtures.record(precinct: "3", [("a", 10), ("b", 20)], uncertain: ["b"]),             // undecidable
            Fixtures.record(precinct: "4", [("a", 10), ("b", 20)], status: .inconsistent),        // form defect
            Fixtures.record(precinct: "005", [("a", 10), ("b", 20)], confirmedBy: ["b": "anna"]), // confirmed -> discrepancy
            Fixtures.record(precinct: "7", [("a", 1), ("b", 1)]),                                 // no official row
        ])
        let byPrecinct = Dictionary(uniqueKeysWithValues: report.precincts.map { ($0.precinct, $0) })
        XCTAssertEqual(byPrecinct["1"]?.classification, .match)
        XCTAssertEqual(byPrecinct["2"]?.classification, .discrepancy)
        XCTAssertEqual(byPrecinct["3"]?.classification, .undecidable)
        XCTAssertEqual(byPrecinct["4"]?.classification, .formDefect)
        XCTAssertEqual(byPrecinct["5"]?.classification, .discrepancy)
        XCTAssertEqual(byPrecinct["6"]?.classification, .noProtocol)
        XCTAssertEqual(byPrecinct["7"]?.classification, .noReference)
        let confirmed = byPrecinct["5"]!.fields.first { $0.key == "b" }!
        XCTAssertEqual(confirmed.protocol?.confirmedBy, ["person:anna"])
        XCTAssertEqual(confirmed.protocol?.status, .confirmed)
        XCTAssertEqual(confirmed.difference, 5)
        XCTAssertEqual(byPrecinct["2"]!.fields.map(\.classification), [.match, .discrepancy])
        XCTAssertEqual(byPrecinct["4"]!.fields.map(\.classification), [.match, .formDefect])
        XCTAssertEqual(byPrecinct["4"]!.protocol?.failedRelations, ["ballots_valid = sum(votes)"])
        let s = report.summary
        XCTAssertEqual([s.compared, s.matches, s.discrepancies, s.discrepantFields, s.undecidable, s.formDefects, s.noProtocol, s.noReference],
                       [5, 1, 2, 2, 1, 1, 1, 1])
        // Totals over the five precincts with both sides: a all equal, b official 20+25*4 vs protocols 20*5.
        XCTAssertEqual(report.totals.map(\.key), ["a", "b"])
        XCTAssertEqual(report.totals[1].difference, 20)
        XCTAssertEqual(report.totals[1].precincts, 5)
        XCTAssertEqual(report.precincts.first?.classification, .discrepancy, "findings come first")
    }

    func testUncertainFieldThatMatchesIsAMatchAndMissingValueIsUndecidable() throws {
        let report = try compare("precinct,a\n1,10\n2,10\n", [
            Fixtures.record(precinct: "1", [("a", 10)], uncertain: ["a"]),
            Fixtures.record(precinct: "2", [("a", nil)], uncertain: ["a"]),
        ])
        XCTAssertEqual(report.precincts.map(\.classification), [.undecidable, .match])
    }

    func testFieldsOnOneSideOnlyAreNotFindings() throws {
        let report = try compare("precinct,a,extra\n1,10,3\n", [Fixtures.record(precinct: "1", [("a", 10), ("b", 4)])])
        XCTAssertEqual(report.precincts[0].classification, .match)
        XCTAssertEqual(report.precincts[0].fields.map(\.classification), [.match, .unpaired, .unpaired])
        XCTAssertEqual(report.notes, ["fields on one side only, not compared: b, extra"])
    }

    func testSeveralProtocolsForOnePrecinctComparesTheMostTrusted() throws {
        let report = try compare("precinct,a,b\n1,10,20\n", [
            Fixtures.record(precinct: "1", [("a", 9), ("b", 20)], uncertain: ["a", "b"], sha: "aa"),
            Fixtures.record(precinct: "1", [("a", 10), ("b", 20)], sha: "bb"),
        ])
        XCTAssertEqual(report.precincts[0].classification, .match)
        XCTAssertEqual(report.precincts[0].protocol?.image?.sha256, "bb")
        XCTAssertEqual(report.precincts[0].otherProtocols.map(\.sha256), ["aa"])
    }

    func testRecordsAgainstRecords() {
        let observers = [
            Fixtures.record(precinct: "1", [("a", 10), ("b", 20)]),
            Fixtures.record(precinct: "2", [("a", 10), ("b", 20)]),
            Fixtures.record(precinct: "3", [("a", 10), ("b", 20)]),
            Fixtures.record(precinct: "4", [("a", 10)]),
        ]
        let commission = [
            Fixtures.record(precinct: "1", [("a", 10), ("b", 20)]),
            Fixtures.record(precinct: "2", [("a", 10), ("b", 120)]),
            Fixtures.record(precinct: "3", [("a", 10), ("b", 120)], uncertain: ["b"]),
            Fixtures.record(precinct: "5", [("a", 10)]),
        ]
        let report = Comparator.compare(records: observers.map { ($0, nil) }, against: commission.map { ($0, nil) },
                                        rule: PrecinctRule(), reference: ReferenceDescription(kind: "records", source: "commission.sqlite"))
        let classes = Dictionary(uniqueKeysWithValues: report.precincts.map { ($0.precinct, $0.classification) })
        XCTAssertEqual(classes, ["1": .match, "2": .discrepancy, "3": .undecidable, "4": .noReference, "5": .noProtocol])
        XCTAssertEqual(report.totals.first { $0.key == "b" }?.difference, 200)
    }

    func testChangeBetweenOfficialVersions() throws {
        let v1 = try Fixtures.official("precinct,a\n1,10\n2,10\n3,1\n")
        let v2 = try Fixtures.official("precinct,a\n1,10\n2,11\n4,1\n")
        let change = OfficialResultsChange(from: v1, to: v2)
        XCTAssertEqual([change.changed, change.added, change.removed], [["2"], ["4"], ["3"]])
    }
}
