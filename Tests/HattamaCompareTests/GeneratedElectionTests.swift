import Foundation
import HattamaCore
import XCTest

/// The acceptance test: a generated election of 320 precincts whose official data was altered in
/// known precincts; the comparison finds every alteration and flags nothing else.
final class GeneratedElectionTests: XCTestCase {
    func testEveryAlterationIsFoundAndNothingElseIsFlagged() throws {
        let election = GeneratedElection(precincts: 320, seed: 2024)
        let official = try OfficialResultsParser.parse(Data(election.csv.utf8), fileName: "cec.csv", mapping: election.mapping)
        XCTAssertEqual(official.precincts.count, 320 - 3 + 2)
        let report = Comparator.compare(official: official, records: election.records.map { ($0, nil) },
                                        rule: election.mapping.precinct,
                                        reference: ReferenceDescription(kind: "official", source: "cec.csv"))
        func ids(_ c: PrecinctClass) -> Set<String> { Set(report.precincts(c).map(\.precinct)) }
        XCTAssertEqual(ids(.discrepancy), election.addedVotes.union(election.swapped))
        XCTAssertEqual(ids(.noReference), election.missingFromOfficial)
        XCTAssertEqual(ids(.noProtocol), election.extraInOfficial)
        XCTAssertEqual(ids(.undecidable), election.uncertainMisread)
        XCTAssertEqual(ids(.formDefect), election.inconsistent)
        let s = report.summary
        XCTAssertEqual(s.matches, 320 - 12 - 9 - 3 - 5 - 4)
        XCTAssertEqual(s.compared, 317)
        // Added votes: one field each; swapped candidates: two fields each.
        XCTAssertEqual(s.discrepantFields, 12 + 9 * 2)
        for row in report.precincts(.discrepancy) {
            let keys = row.fields.filter { $0.classification == .discrepancy }.map(\.key)
            XCTAssertEqual(keys, election.swapped.contains(row.precinct) ? ["votes.c1", "votes.c3"] : ["votes.c2"], row.precinct)
        }
        // Totals: c2 carries the added votes, less the misread uncertain values that read 500 too many.
        let c2 = report.totals.first { $0.key == "votes.c2" }!
        let misread = election.uncertainMisread.count * 500
        XCTAssertEqual(c2.difference, election.added["votes.c2"]! - misread)
        XCTAssertEqual(report.totals.first { $0.key == "voters_on_list" }?.difference, 0)
        XCTAssertEqual(report.notes, ["ignored 1 column not in the mapping: \"Примечание\""])
        print("generated election: 320 precincts; \(s.discrepancies) discrepancies (\(s.discrepantFields) fields), "
              + "\(s.noReference) no official row, \(s.noProtocol) no protocol, \(s.undecidable) undecidable, "
              + "\(s.formDefects) form defects, \(s.matches) matches")
    }
}
