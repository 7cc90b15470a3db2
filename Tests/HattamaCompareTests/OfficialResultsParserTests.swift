import Foundation
import HattamaCore
import XCTest

final class OfficialResultsParserTests: XCTestCase {
    let russian = ResultsMapping(
        precinct: PrecinctRule(column: "Номер УИК"),
        fields: ["Число избирателей": "voters_on_list", "Иванов И.И.": "votes.ivanov", "Петров П.П.": "votes.petrov"])

    func testBOMSemicolonsAndRussianHeaders() throws {
        let csv = "\u{FEFF}Номер УИК;Число избирателей;Иванов И.И.;Петров П.П.;Примечание\r\n"
            + "0042;1 234;300;\"1 001\";\r\n0043;2\u{00A0}000;10;20;пересчёт\r\n"
        let results = try Fixtures.official(csv, mapping: russian)
        XCTAssertEqual(results.precincts.map(\.id), ["42", "43"])
        XCTAssertEqual(results.precincts.map(\.rawID), ["0042", "0043"])
        XCTAssertEqual(results.precincts[0].values, ["voters_on_list": 1234, "votes.ivanov": 300, "votes.petrov": 1001])
        XCTAssertEqual(results.precincts[1].values["voters_on_list"], 2000)
        XCTAssertEqual(results.precincts[1].row, 3)
        XCTAssertEqual(results.fieldKeys, ["voters_on_list", "votes.ivanov", "votes.petrov"])
        XCTAssertEqual(results.notes, ["ignored 1 column not in the mapping: \"Примечание\""])
    }

    func testQuotedCellsWithSeparatorsQuotesAndLineBreaks() throws {
        let csv = "precinct,name,a\n7,\"School \"\"No. 5\"\",\nmain hall\",\"1,234\"\n8,x,5\n"
        let results = try Fixtures.official(csv, mapping: ResultsMapping(fields: ["a": "a"]))
        XCTAssertEqual(results.precincts.map(\.id), ["7", "8"])
        XCTAssertEqual(results.notes, ["ignored 1 column not in the mapping: \"name\""])
        XCTAssertEqual(results.precincts[0].values["a"], 1234)
        XCTAssertEqual(results.precincts[1].row, 4, "the row after a quoted line break starts on line 4")
    }

    func testThousandsDeclaredAndAmbiguous() throws {
        var mapping = ResultsMapping.identity
        XCTAssertEqual(try Fixtures.official("precinct;a\n1;1.234\n2;12\n").precincts[0].values["a"], 1234)
        let mixed = Fixtures.issues("precinct;a;b\n1;1.234;1,234\n")
        XCTAssertEqual(mixed.count, 1)
        XCTAssertTrue(mixed[0].message.contains("thousands: comma"), mixed[0].description)
        mapping.thousands = .dot
        let declared = Fixtures.issues("precinct;a;b\n1;1.234;1,234\n", mapping: mapping)
        XCTAssertEqual(declared.map(\.column), ["b"])
        mapping.thousands = .none
        XCTAssertEqual(Fixtures.issues("precinct;a\n1;1 234\n", mapping: mapping).map(\.row), [2])
        XCTAssertTrue(Fixtures.issues("precinct;a\n1;12,5\n")[0].message.contains("not a whole number"))
    }

    func testEveryProblemIsReportedWithRowAndColumnAndNothingImported() {
        let csv = "precinct,a,b\n1,5,x\n2,-3,4\n01,1,1\n,2,2\n3,,7\n"
        let issues = Fixtures.issues(csv, file: "cec.csv")
        let located = issues.map { "\($0.row ?? 0):\($0.column ?? "")" }
        XCTAssertEqual(located, ["2:b", "3:a", "4:precinct", "5:precinct", "6:a"])
        XCTAssertEqual(issues[0].description, "cec.csv: row 2, column \"b\": not a number: x")
        XCTAssertTrue(issues[1].message.contains("negative"))
        XCTAssertTrue(issues[2].message.contains("duplicate precinct 01 (as 1): already on row 2"), issues[2].message)
        XCTAssertTrue(issues[4].message.contains("empty cell"))
    }

    func testMissingMappedColumnsAreNamed() {
        let issues = Fixtures.issues("Номер УИК,Иванов И.И.\n1,2\n", mapping: russian)
        XCTAssertEqual(issues.map(\.column), ["Петров П.П.", "Число избирателей"])
        XCTAssertEqual(issues.map(\.row), [1, 1])
        XCTAssertTrue(issues[0].message.contains("missing mapped column"))
        let noPrecinct = Fixtures.issues("uik,a\n1,2\n")
        XCTAssertEqual(noPrecinct.first?.column, "precinct")
    }

    func testUnquotedGroupedNumberInCommaFileIsExplained() {
        let issues = Fixtures.issues("precinct,a\n1,1,234\n")
        XCTAssertEqual(issues.first?.row, 2)
        XCTAssertTrue(issues.first?.message.contains("must be quoted") ?? false)
    }

    func testJSONArrayOfObjects() throws {
        let json = """
            [{"УИК": "0007", "Иванов": 12, "Петров": "1 500"}, {"УИК": 8, "Иванов": 3, "Петров": 4}]
            """
        let mapping = ResultsMapping(precinct: PrecinctRule(column: "уик"), fields: ["Иванов": "c1", "Петров": "c2"])
        let results = try Fixtures.official(json, mapping: mapping, file: "cec.json")
        XCTAssertEqual(results.precincts.map(\.id), ["7", "8"])
        XCTAssertEqual(results.precincts[0].values, ["c1": 12, "c2": 1500])
        let bad = Fixtures.issues(#"[{"precinct": 1, "a": 2.5}, {"precinct": 2}, 3]"#, file: "x.json")
        XCTAssertEqual(bad.map { "\($0.row ?? 0):\($0.column ?? "")" }, ["3:", "1:a", "2:a"])
    }

    func testMappingFileInYAMLAndPrefix() throws {
        let yaml = """
            precinct:
              column: "Участок"
              strip_leading_zeros: true
              prefix: "KZ-"
            fields:
              "Токаев": votes.tokayev
            thousands: space
            separator: ";"
            """
        let mapping = try ResultsMapping.load(Data(yaml.utf8), fileName: "m.yaml")
        XCTAssertEqual(mapping.thousands, .space)
        XCTAssertEqual(mapping.precinct.normalize("0012"), "KZ-12")
        let results = try Fixtures.official("Участок;Токаев\n0012;1 000\n", mapping: mapping)
        XCTAssertEqual(results.precincts[0].id, "KZ-12")
        XCTAssertThrowsError(try ResultsMapping.load(Data("precinct: [1, 2]".utf8), fileName: "bad.yaml"))
    }
}
