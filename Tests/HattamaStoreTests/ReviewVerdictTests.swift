import XCTest
@testable import HattamaStore

/// The rule that turns people's entries into a final value: two identical typos must not confirm a value
/// that nothing else backs.
final class ReviewVerdictTests: XCTestCase {
    private func n(_ value: Int) -> LoggedValue { LoggedValue(kind: "number", number: value) }

    private func outcome(_ entries: [Int], machine: [Int], policy: ConflictPolicy = .thirdVolunteer) -> ReviewVerdict.Outcome {
        ReviewVerdict(entries: entries.map(n), machineValues: Set(machine.map(n)), policy: policy).outcome
    }

    func testTwoVolunteersWhoAgreeWithTheMachineConfirm() {
        XCTAssertEqual(outcome([516, 516], machine: [516]), .confirmed(n(516), decidedBy: "agreement"))
    }

    func testTwoIdenticalTyposThatNothingBacksAskAThirdVolunteer() {
        // The simulated night's failure: 0 read by the machine, two volunteers typed 7.
        XCTAssertEqual(outcome([7, 7], machine: [0]), .needsEntries(3))
        XCTAssertEqual(outcome([7, 7, 0], machine: [0]), .needsEntries(4), "7 has two people, 0 one person and the machine")
        XCTAssertEqual(outcome([7, 7, 0, 0], machine: [0]), .confirmed(n(0), decidedBy: "majority"))
        XCTAssertEqual(outcome([7, 7, 7], machine: [0]), .confirmed(n(7), decidedBy: "unanimous"),
                       "three people outweigh a machine misreading")
    }

    func testADisagreementGoesToAThirdVolunteerOrACoordinatorByPolicy() {
        XCTAssertEqual(outcome([516, 561], machine: [516]), .needsEntries(3))
        XCTAssertEqual(outcome([516, 561, 516], machine: [516]), .confirmed(n(516), decidedBy: "majority"))
        XCTAssertEqual(outcome([516, 561], machine: [516], policy: .coordinator), .conflict)
        XCTAssertEqual(outcome([1, 2, 3, 4], machine: []), .conflict, "four entries without a verdict go to a coordinator")
    }

    func testWithTheTwoVolunteerRuleAgreementAloneConfirms() {
        let verdict = ReviewVerdict(entries: [n(7), n(7)], machineValues: [], policy: .thirdVolunteer,
                                    votesWithoutBacking: 2, maximumEntries: 3)
        XCTAssertEqual(verdict.outcome, .confirmed(n(7), decidedBy: "agreement"))
    }
}
