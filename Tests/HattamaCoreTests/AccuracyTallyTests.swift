import Foundation
import XCTest
@testable import HattamaCore

/// The bench's ceiling figure: how many fields the protocol's own arithmetic could confirm at best.
final class AccuracyTallyTests: XCTestCase {
    private func truth(_ values: String, consistent: Bool = true) throws -> TruthFile {
        let json = """
        {"image": "p.png", "form": "f", "values": {\(values)}, "consistent": \(consistent), "degradation": "scan"}
        """
        return try JSONDecoder().decode(TruthFile.self, from: Data(json.utf8))
    }

    private func relations() throws -> [ControlRelation] {
        let specs = [
            ("received_balance", "ballots_received == ballots_issued + ballots_unused",
             ["ballots_received", "ballots_issued", "ballots_unused"]),
            ("list_covers_issued", "voters_on_list >= ballots_issued", ["voters_on_list", "ballots_issued"]),
        ]
        return try specs.flatMap { id, expr, keys in
            RelationExpander.expand(RelationSpec(id: id, expr: expr, description: nil),
                                    parsed: try RelationParser.parse(expr), keys: keys)
        }
    }

    func testFieldsOnlyInAnInequalityOrNoRelationAreOutsideTheBalancedEquations() throws {
        let page = try truth(#""precinct_id": "0042", "voters_on_list": 900, "ballots_received": 800, "ballots_issued": 600, "ballots_unused": 200"#)
        var tally = AccuracyTally()
        let nothingRead = ProtocolRecord(form: nil, election: nil, precinct: nil,
                                         source: SourceImage(path: "p.png", sha256: "", page: 1, width: 1, height: 1),
                                         registration: nil, fields: [], relations: [], status: .unreadable, problems: [])
        tally.add(record: nothingRead, truth: page, relations: try relations())
        XCTAssertEqual(tally.inBalancedEquation, 3, "received, issued and unused balance; the list and precinct number are in no equation")
    }

    func testAnEquationTheProtocolItselfBreaksConfirmsNothing() throws {
        let broken = try truth(#""voters_on_list": 900, "ballots_received": 800, "ballots_issued": 600, "ballots_unused": 250"#,
                               consistent: false)
        XCTAssertTrue(AccuracyTally.keysInBalancedEquations(truth: broken, relations: try relations()).isEmpty)
    }
}
