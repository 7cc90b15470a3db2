import XCTest
@testable import HattamaCore

/// The relation grammar of docs/templates.md: parsing, syntax errors, `sum`/`each` expansion and evaluation.
final class RelationTests: XCTestCase {
    typealias Term = RelationExpression.Term
    typealias Sum = RelationExpression.Sum

    private func relations(_ expr: String, id: String = "r", keys: [String]) throws -> [ControlRelation] {
        let parsed = try RelationParser.parse(expr)
        return RelationExpander.expand(RelationSpec(id: id, expr: expr, description: nil), parsed: parsed, keys: keys)
    }

    private func single(_ expr: String, keys: [String]) throws -> ControlRelation {
        let expanded = try relations(expr, keys: keys)
        XCTAssertEqual(expanded.count, 1, "\(expr) should expand to one relation")
        return try XCTUnwrap(expanded.first)
    }

    // MARK: parsing

    func testParsesEquationOfKeys() throws {
        let parsed = try RelationParser.parse("ballots_received == ballots_issued + ballots_unused")
        XCTAssertEqual(parsed.comparison, .equal)
        XCTAssertEqual(parsed.left, Sum(terms: [(1, .key("ballots_received"))]))
        XCTAssertEqual(parsed.right, Sum(terms: [(1, .key("ballots_issued")), (1, .key("ballots_unused"))]))
    }

    func testParsesEveryComparison() throws {
        let expected: [String: RelationExpression.Comparison] = [
            "==": .equal, ">=": .greaterOrEqual, "<=": .lessOrEqual, ">": .greater, "<": .less,
        ]
        for (op, comparison) in expected {
            let parsed = try RelationParser.parse("a \(op) b")
            XCTAssertEqual(parsed.comparison, comparison, op)
            XCTAssertEqual(parsed.right, Sum(terms: [(1, .key("b"))]), op)
        }
    }

    func testParsesSumEachNumbersMinusAndParentheses() throws {
        let parsed = try RelationParser.parse("voters_participated - 5 == sum(votes.*) + (against_all - ballots_invalid)")
        XCTAssertEqual(parsed.left, Sum(terms: [(1, .key("voters_participated")), (-1, .number(5))]))
        XCTAssertEqual(parsed.right, Sum(terms: [
            (1, .sum(prefix: "votes.")),
            (1, .group(Sum(terms: [(1, .key("against_all")), (-1, .key("ballots_invalid"))]))),
        ]))
        let each = try RelationParser.parse("each(votes.*) <= voters_participated")
        XCTAssertEqual(each.left, Sum(terms: [(1, .each(prefix: "votes."))]))
        XCTAssertEqual(each.comparison, .lessOrEqual)
    }

    func testLeadingMinusNegatesFirstTerm() throws {
        let parsed = try RelationParser.parse("-a + b >= 0")
        XCTAssertEqual(parsed.left, Sum(terms: [(-1, .key("a")), (1, .key("b"))]))
        XCTAssertEqual(parsed.right, Sum(terms: [(1, .number(0))]))
    }

    func testSyntaxErrorsNameTheColumn() {
        let cases: [(String, Int, String)] = [
            ("a = b", 3, "expected one of"),                  // single '=' is not a comparison
            ("a == ", 6, "expected a key"),                    // nothing on the right
            ("a == b c", 8, "unexpected text"),                // trailing junk after a complete relation
            ("a == (b + c", 12, "expected )"),                 // unclosed parenthesis
            ("sum(votes) == a", 10, "prefix ending in .*"),    // sum needs prefix.*
            ("a == each votes.*", 11, "expected ( after each"),
            ("a >= b + ", 10, "expected a key"),
        ]
        for (expr, column, problem) in cases {
            do {
                _ = try RelationParser.parse(expr)
                XCTFail("\(expr) should not parse")
            } catch {
                XCTAssertEqual(error.column, column, "column for \(expr): \(error.description)")
                XCTAssertTrue(error.problem.contains(problem), "\(expr): \(error.problem)")
                XCTAssertTrue(error.description.contains("column \(column)"), error.description)
                XCTAssertTrue(error.description.contains(expr), error.description)
            }
        }
    }

    // MARK: expansion and evaluation

    func testSumExpandsToEveryKeyWithThePrefix() throws {
        let keys = ["voters_participated", "votes.a", "votes.b", "votes.c", "votesx", "against_all"]
        let relation = try single("voters_participated == sum(votes.*) + against_all", keys: keys)
        XCTAssertEqual(relation.keys, ["voters_participated", "votes.a", "votes.b", "votes.c", "against_all"])
        XCTAssertEqual(relation.evaluate(["voters_participated": 60, "votes.a": 10, "votes.b": 20, "votes.c": 25, "against_all": 5]),
                       RelationOutcome(left: 60, right: 60, holds: true))
        XCTAssertEqual(relation.evaluate(["voters_participated": 61, "votes.a": 10, "votes.b": 20, "votes.c": 25, "against_all": 5]),
                       RelationOutcome(left: 61, right: 60, holds: false))
    }

    func testEvaluationHonoursMinusParenthesesAndConstants() throws {
        let relation = try single("a - (b - c) == 2 + d", keys: ["a", "b", "c", "d"])
        // a - b + c = 10 - 7 + 3 = 6 ; 2 + d = 6
        XCTAssertEqual(relation.evaluate(["a": 10, "b": 7, "c": 3, "d": 4]), RelationOutcome(left: 6, right: 6, holds: true))
        XCTAssertEqual(relation.evaluate(["a": 10, "b": 7, "c": 3, "d": 5])?.holds, false)
    }

    func testInequalitiesEvaluate() throws {
        let ge = try single("voters_on_list >= ballots_issued", keys: ["voters_on_list", "ballots_issued"])
        XCTAssertEqual(ge.evaluate(["voters_on_list": 100, "ballots_issued": 100])?.holds, true)
        XCTAssertEqual(ge.evaluate(["voters_on_list": 99, "ballots_issued": 100])?.holds, false)
        let gt = try single("a > b", keys: ["a", "b"])
        XCTAssertEqual(gt.evaluate(["a": 5, "b": 5])?.holds, false)
        let lt = try single("a < b", keys: ["a", "b"])
        XCTAssertEqual(lt.evaluate(["a": 4, "b": 5])?.holds, true)
    }

    func testMissingValueLeavesRelationUndecided() throws {
        let relation = try single("a == b + c", keys: ["a", "b", "c"])
        XCTAssertNil(relation.evaluate(["a": 5, "b": 2]))
    }

    func testEachExpandsIntoOneRelationPerKey() throws {
        let keys = ["voters_participated", "votes.x", "votes.y", "votes.z", "against_all"]
        let expanded = try relations("each(votes.*) <= voters_participated", id: "within", keys: keys)
        XCTAssertEqual(expanded.map(\.id), ["within[votes.x]", "within[votes.y]", "within[votes.z]"])
        XCTAssertEqual(expanded.map(\.expression), ["votes.x <= voters_participated", "votes.y <= voters_participated",
                                                    "votes.z <= voters_participated"])
        XCTAssertEqual(expanded.map(\.keys), [["votes.x", "voters_participated"], ["votes.y", "voters_participated"],
                                              ["votes.z", "voters_participated"]])
        let values = ["voters_participated": 50, "votes.x": 10, "votes.y": 51, "votes.z": 50]
        XCTAssertEqual(expanded.map { $0.evaluate(values)?.holds }, [true, false, true])
    }

    func testEachWithNoMatchingKeysYieldsNoRelations() throws {
        XCTAssertEqual(try relations("each(votes.*) <= a", keys: ["a", "b"]).count, 0)
    }

    // MARK: impliedValue

    func testImpliedValueSolvesTheEquationForTheUnknownKey() throws {
        let relation = try single("ballots_received == ballots_issued + ballots_unused",
                                  keys: ["ballots_received", "ballots_issued", "ballots_unused"])
        XCTAssertEqual(relation.impliedValue(of: "ballots_unused", given: ["ballots_received": 1000, "ballots_issued": 640]), 360)
        XCTAssertEqual(relation.impliedValue(of: "ballots_received", given: ["ballots_issued": 640, "ballots_unused": 360]), 1000)
    }

    func testImpliedValuesRangeOverTheOtherKeysCandidates() throws {
        let relation = try single("total - spoiled == sum(votes.*)", keys: ["total", "spoiled", "votes.a", "votes.b"])
        let candidates = ["total": [100], "votes.a": [40, 46], "votes.b": [50]]
        XCTAssertEqual(relation.impliedValues(of: "spoiled", candidates: candidates), [10, 4])
        XCTAssertEqual(relation.impliedValues(of: "total", candidates: ["spoiled": [3], "votes.a": [40], "votes.b": [50]]), [93])
        XCTAssertEqual(relation.impliedValues(of: "spoiled", candidates: ["total": [80], "votes.a": [40], "votes.b": [50]]), [],
                       "a count cannot be negative")
        XCTAssertNil(relation.impliedValues(of: "spoiled", candidates: ["total": [100], "votes.a": [40]]), "votes.b has no candidate")
        XCTAssertNil(relation.impliedValues(of: "spoiled", candidates: candidates, combinationLimit: 1), "too many to try")
        XCTAssertNil(try single("a >= b", keys: ["a", "b"]).impliedValues(of: "b", candidates: ["a": [5]]))
    }

    func testImpliedValueWithSumAndMinus() throws {
        let relation = try single("total - spoiled == sum(votes.*)", keys: ["total", "spoiled", "votes.a", "votes.b"])
        XCTAssertEqual(relation.impliedValue(of: "spoiled", given: ["total": 100, "votes.a": 40, "votes.b": 50]), 10)
    }

    func testImpliedValueIsNilWhenNotAnEquationOrUnderdeterminedOrNegative() throws {
        let ge = try single("a >= b", keys: ["a", "b"])
        XCTAssertNil(ge.impliedValue(of: "b", given: ["a": 5]))
        let eq = try single("a == b + c", keys: ["a", "b", "c"])
        XCTAssertNil(eq.impliedValue(of: "b", given: ["a": 5]), "c is unknown too")
        XCTAssertNil(eq.impliedValue(of: "b", given: ["a": 5, "c": 9]), "would be -4, a count cannot be negative")
        let cancels = try single("a + b == b + 3", keys: ["a", "b"])
        XCTAssertNil(cancels.impliedValue(of: "b", given: ["a": 3]), "b cancels out: no single value is implied")
    }

    // MARK: isSatisfiable

    func testSatisfiableWithCandidateSets() throws {
        let relation = try single("a == b + c", keys: ["a", "b", "c"])
        XCTAssertTrue(relation.isSatisfiable(candidates: ["a": [10], "b": [3, 4], "c": [6, 9]]), "10 = 4 + 6")
        XCTAssertFalse(relation.isSatisfiable(candidates: ["a": [10], "b": [3, 5], "c": [6, 9]]))
    }

    func testUnknownKeysCanTakeAnyNonNegativeValue() throws {
        let relation = try single("a == b + c", keys: ["a", "b", "c"])
        // c unknown: a - b = 4 is reachable with c = 4
        XCTAssertTrue(relation.isSatisfiable(candidates: ["a": [10], "b": [6]]))
        // c unknown but would need to be -2
        XCTAssertFalse(relation.isSatisfiable(candidates: ["a": [10], "b": [12]]))
        // an empty candidate list counts as unknown too
        XCTAssertTrue(relation.isSatisfiable(candidates: ["a": [10], "b": [6], "c": []]))
    }

    func testInequalitySatisfiability() throws {
        let relation = try single("voters_on_list >= ballots_issued", keys: ["voters_on_list", "ballots_issued"])
        XCTAssertFalse(relation.isSatisfiable(candidates: ["voters_on_list": [90, 95], "ballots_issued": [100]]))
        XCTAssertTrue(relation.isSatisfiable(candidates: ["voters_on_list": [90, 100], "ballots_issued": [100]]))
        XCTAssertTrue(relation.isSatisfiable(candidates: ["ballots_issued": [100]]), "the list size is unknown")
        let strict = try single("a > b", keys: ["a", "b"])
        XCTAssertFalse(strict.isSatisfiable(candidates: ["a": [5], "b": [5]]))
        XCTAssertTrue(strict.isSatisfiable(candidates: ["a": [5]]), "b = 0 makes 5 > b hold")
        let margin = try single("a >= b + 10", keys: ["a", "b"])
        XCTAssertFalse(margin.isSatisfiable(candidates: ["a": [5]]), "no non-negative b gives 5 >= b + 10")
    }
}
