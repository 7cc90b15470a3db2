import HattamaStore
@testable import HattamaReview
import XCTest

/// What a typed entry becomes, and the reason given when it cannot be a count.
final class EntryParserTests: XCTestCase {
    let parser = EntryParser(absurdValue: 100_000)

    func testDigitsBecomeANumberAndSpacesAreIgnored() {
        XCTAssertEqual(try parser.parse(value: " 1 234 ", mark: nil, upperBound: nil).get(), .number(1234))
        XCTAssertEqual(try parser.parse(value: "0", mark: nil, upperBound: 0).get(), .number(0))
    }

    func testMarksWinOverTypedText() {
        XCTAssertEqual(try parser.parse(value: "12", mark: "illegible", upperBound: nil).get(), .illegible)
        XCTAssertEqual(try parser.parse(value: nil, mark: "not_a_protocol", upperBound: nil).get(), .notAProtocol)
    }

    func testEachRefusalSaysWhy() {
        func problem(_ value: String, bound: Int? = nil) -> EntryProblem? {
            if case .failure(let problem) = parser.parse(value: value, mark: nil, upperBound: bound) { return problem }
            return nil
        }
        XCTAssertEqual(problem(""), .empty)
        XCTAssertEqual(problem("12a"), .notANumber("12a"))
        XCTAssertEqual(problem("١٢"), .notANumber("١٢"), "only ASCII digits")
        XCTAssertEqual(problem("-3"), .negative("-3"))
        XCTAssertEqual(problem("600", bound: 500), .aboveUpperBound(value: 600, bound: 500))
        XCTAssertEqual(problem("100001"), .absurd(value: "100001", limit: 100_000))
        XCTAssertEqual(problem("99999999999999999999"), .absurd(value: "99999999999999999999", limit: 100_000))
        XCTAssertTrue(EntryProblem.absurd(value: "100001", limit: 100_000).message.contains("impossible"))
    }
}
