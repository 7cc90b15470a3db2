import XCTest
@testable import HattamaCore

/// How one equation's fields are read together: the balancing combination, its runner-up, and when there is none.
final class EquationDecoderTests: XCTestCase {
    private func equation(_ expr: String, keys: [String]) throws -> ControlRelation {
        try XCTUnwrap(RelationExpander.expand(RelationSpec(id: "eq", expr: expr, description: nil),
                                              parsed: try RelationParser.parse(expr), keys: keys).first)
    }

    private func options(_ pairs: (Int, Double)...) -> [ValueCandidate] {
        pairs.map { ValueCandidate(value: $0.0, probability: $0.1) }
    }

    private let keys = ["ballots_received", "ballots_issued", "ballots_unused"]

    func testTheSecondReadingOfAnUnsureFieldIsChosenWhenOnlyItBalances() throws {
        let balance = try equation("ballots_received == ballots_issued + ballots_unused", keys: keys)
        let solution = try XCTUnwrap(EquationDecoder.solve(balance, candidates: [
            "ballots_received": options((1284, 0.6), (1234, 0.4)),
            "ballots_issued": options((1000, 0.99), (7000, 0.01)),
            "ballots_unused": options((234, 0.98), (284, 0.02)),
        ]))
        XCTAssertEqual(solution.values, ["ballots_received": 1234, "ballots_issued": 1000, "ballots_unused": 234])
        XCTAssertEqual(solution.probability, 0.4 * 0.99 * 0.98, accuracy: 1e-12)
        // 1284 = 1000 + 284 also balances, with two less likely readings.
        XCTAssertEqual(solution.runnerUp, 0.6 * 0.99 * 0.02, accuracy: 1e-12)
        XCTAssertEqual(solution.margin, (0.4 * 0.98) / (0.6 * 0.02), accuracy: 1e-9)
        XCTAssertEqual(solution.plausibility, 0.4 / 0.6, accuracy: 1e-9)
    }

    func testNoBalancingCombinationGivesNoSolution() throws {
        let balance = try equation("ballots_received == ballots_issued + ballots_unused", keys: keys)
        XCTAssertNil(EquationDecoder.solve(balance, candidates: [
            "ballots_received": options((1284, 0.9)), "ballots_issued": options((1000, 0.9)), "ballots_unused": options((200, 0.9)),
        ]))
    }

    func testAFieldWithoutCandidatesLeavesTheEquationUnsolved() throws {
        let balance = try equation("ballots_received == ballots_issued + ballots_unused", keys: keys)
        XCTAssertNil(EquationDecoder.solve(balance, candidates: [
            "ballots_received": options((1234, 0.9)), "ballots_issued": options((1000, 0.9)),
        ]))
    }

    func testTwoEquallyLikelyBalancingCombinationsHaveAMarginOfOne() throws {
        let balance = try equation("ballots_received == ballots_issued + ballots_unused", keys: keys)
        let solution = try XCTUnwrap(EquationDecoder.solve(balance, candidates: [
            "ballots_received": options((100, 1)),
            "ballots_issued": options((60, 0.5), (70, 0.5)),
            "ballots_unused": options((40, 0.5), (30, 0.5)),
        ]))
        XCTAssertEqual(solution.margin, 1, accuracy: 1e-12)
    }

    func testSumsOverManyFieldsAndSubtractedTerms() throws {
        let votes = ["votes.a", "votes.b", "votes.c", "votes.d", "votes.e", "votes.f"]
        let participation = try equation("voters_participated == sum(votes.*) + ballots_invalid - ballots_spoilt",
                                         keys: ["voters_participated", "ballots_invalid", "ballots_spoilt"] + votes)
        var candidates: [String: [ValueCandidate]] = [
            "ballots_invalid": options((12, 0.95), (17, 0.05)),
            "ballots_spoilt": options((2, 1)),
        ]
        for (i, key) in votes.enumerated() { candidates[key] = options((100 + i, 0.9), (700 + i, 0.1)) }
        candidates["votes.f"] = options((315, 0.6), (375, 0.4))
        // votes.f was written 375; read as 315 the sum falls 60 short of either reading of the participation.
        let total = (100...104).reduce(0, +) + 375 + 12 - 2
        candidates["voters_participated"] = options((total, 0.7), (total + 5, 0.3))
        let solution = try XCTUnwrap(EquationDecoder.solve(participation, candidates: candidates))
        XCTAssertEqual(solution.values["votes.f"], 375)
        XCTAssertEqual(solution.values["voters_participated"], total)
        XCTAssertEqual(solution.values["votes.a"], 100)
    }

    func testAnInequalityIsNotSolved() throws {
        let bound = try equation("voters_on_list >= ballots_issued", keys: ["voters_on_list", "ballots_issued"])
        XCTAssertNil(EquationDecoder.solve(bound, candidates: ["voters_on_list": options((5, 1)), "ballots_issued": options((5, 1))]))
    }
}
