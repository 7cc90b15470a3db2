import Foundation
import XCTest
@testable import HattamaCore

/// Shipped templates load and resolve; a broken template is reported with its file and the right line.
final class TemplateTests: XCTestCase {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let seeds = repoRoot.appendingPathComponent("seeds")

    private var tempDir: URL!

    override func setUpWithError() throws {
        tempDir = FileManager.default.temporaryDirectory.appendingPathComponent("hattama-template-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tempDir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: tempDir)
    }

    private func shippedTemplateFiles() throws -> [URL] {
        let dir = Self.seeds.appendingPathComponent("forms")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { dir.appendingPathComponent($0) }
        XCTAssertGreaterThanOrEqual(files.count, 4, "seeds/forms should ship the bundled templates")
        return files
    }

    // MARK: shipped templates

    func testEveryShippedTemplateLoadsAndResolvesWithItsDefaultElection() throws {
        let catalog = try TemplateCatalog(seedsDirectory: Self.seeds)
        let files = try shippedTemplateFiles()
        XCTAssertEqual(catalog.templates.count, files.count)
        for file in files {
            let template = try TemplateLoader.loadTemplate(at: file)
            XCTAssertEqual(file.deletingPathExtension().lastPathComponent, template.id, "file name should be the id")
            let electionID = try XCTUnwrap(template.defaultElection, "\(template.id) names no election")
            let election = try XCTUnwrap(catalog.elections[electionID], "\(template.id): election \(electionID) not installed")
            let form = try catalog.resolve(formID: template.id)
            XCTAssertEqual(form.election?.id, electionID)
            // where the form has a row per choice, every choice of the election is a field (a form that
            // names its cells itself, like Argentina's table of lists x offices, need not); every relation
            // only names fields of the form
            let keys = Set(form.fields.map(\.key))
            XCTAssertEqual(keys.count, form.fields.count, "\(template.id): duplicate keys")
            let bindsChoices = template.fields.contains(where: \.isRepeatedPerChoice)
            for choice in election.choices where bindsChoices {
                XCTAssertTrue(keys.contains(choice.key), "\(template.id): no field for choice \(choice.key)")
            }
            XCTAssertFalse(form.relations.isEmpty, "\(template.id) has no relations")
            for relation in form.relations {
                XCTAssertTrue(Set(relation.keys).isSubset(of: keys), "\(template.id): \(relation.id) names an unknown key")
            }
            // every field's value cell lies on the page
            for field in form.fields {
                let rect = field.valueRect
                XCTAssertTrue(rect.width > 0 && rect.height > 0 && rect.maxX <= template.page.width
                              && rect.maxY <= template.page.height, "\(template.id): \(field.key) off the page")
            }
            XCTAssertEqual(TemplateLoader.check(templateAt: file, elections: catalog.elections), [],
                           "\(template.id) should pass forms check")
        }
    }

    func testResolvingUnknownFormNamesInstalledForms() throws {
        let catalog = try TemplateCatalog(seedsDirectory: Self.seeds)
        XCTAssertThrowsError(try catalog.resolve(formID: "no-such-form")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("no-such-form"), text)
            for template in catalog.templates { XCTAssertTrue(text.contains(template.id), text) }
        }
    }

    // MARK: broken templates

    /// A small valid template; line numbers are referred to by the tests below.
    private let goodLines = [
        "id: test-form",                                            // 1
        "version: 1",                                               // 2
        "title: {en: \"Test form\"}",                               // 3
        "page: {width: 1000, height: 1000, dpi: 100}",              // 4
        "registration:",                                            // 5
        "  marks:",                                                 // 6
        "    - {x: 50, y: 50, width: 40, height: 40}",              // 7
        "    - {x: 950, y: 950, width: 40, height: 40}",            // 8
        "fields:",                                                  // 9
        "  - key: ballots_received",                                // 10
        "    line: 1",                                              // 11
        "    kind: count",                                          // 12
        "    box: {x: 100, y: 100, width: 200, height: 50}",        // 13
        "  - key: ballots_issued",                                  // 14
        "    line: 2",                                              // 15
        "    kind: count",                                          // 16
        "    cells: {x: 100, y: 200, width: 40, height: 50, count: 4, pitch: 45}", // 17
        "relations:",                                               // 18
        "  - id: issued_within_received",                           // 19
        "    expr: \"ballots_received >= ballots_issued\"",         // 20
    ]

    private func write(_ lines: [String], name: String = "form.yaml") throws -> URL {
        let url = tempDir.appendingPathComponent(name)
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Writes `lines`, expects `loadTemplate` to fail and `check` to report the problem at `line`.
    private func assertBroken(_ lines: [String], line: Int, mentions words: [String],
                              file: StaticString = #filePath, testLine: UInt = #line) throws {
        let url = try write(lines)
        var thrown: TemplateError?
        do {
            _ = try TemplateLoader.loadTemplate(at: url)
        } catch {
            thrown = error
        }
        let error = try XCTUnwrap(thrown, "broken template loaded", file: file, line: testLine)
        XCTAssertEqual(error.file, url.path, file: file, line: testLine)
        XCTAssertEqual(error.line, line, "\(error)", file: file, line: testLine)
        XCTAssertTrue(error.description.hasPrefix("\(url.path):\(line):"), error.description, file: file, line: testLine)
        for word in words {
            XCTAssertTrue(error.description.contains(word), "\(error) should mention \(word)", file: file, line: testLine)
        }
        let problems = TemplateLoader.check(templateAt: url)
        XCTAssertFalse(problems.isEmpty, file: file, line: testLine)
        XCTAssertTrue(problems.contains { $0.line == line && $0.file == url.path },
                      "check: \(problems)", file: file, line: testLine)
    }

    func testGoodTemplateLoads() throws {
        let url = try write(goodLines)
        let template = try TemplateLoader.loadTemplate(at: url)
        XCTAssertEqual(template.id, "test-form")
        XCTAssertEqual(TemplateLoader.check(templateAt: url), [])
        let form = try ResolvedForm(template: template, election: nil)
        XCTAssertEqual(form.fields.map(\.key), ["ballots_received", "ballots_issued"])
        XCTAssertEqual(form.relations.map(\.id), ["issued_within_received"])
    }

    func testRelationNamingUnknownKeyIsReportedAtItsExprLine() throws {
        var lines = goodLines
        lines[19] = "    expr: \"ballots_received >= ballots_spoiled\""
        try assertBroken(lines, line: 20, mentions: ["ballots_spoiled", "issued_within_received"])
    }

    func testRelationSyntaxErrorIsReportedAtItsExprLine() throws {
        var lines = goodLines
        lines[19] = "    expr: \"ballots_received = ballots_issued\""
        try assertBroken(lines, line: 20, mentions: ["column"])
    }

    func testFieldWithBothCellsAndBoxIsReportedAtTheField() throws {
        var lines = goodLines
        lines.insert("    box: {x: 300, y: 200, width: 200, height: 50}", at: 17)   // new line 18, in the second field
        try assertBroken(lines, line: 14, mentions: ["fields[1]", "not both"])
    }

    func testYAMLSyntaxErrorIsReportedAtItsLine() throws {
        var lines = goodLines
        lines[11] = "    kind: count: extra"     // "mapping values are not allowed here"
        try assertBroken(lines, line: 12, mentions: ["YAML"])
    }

    func testMissingRequiredKeyIsReportedAtItsParent() throws {
        var lines = goodLines
        lines[16] = "    cells: {x: 100, y: 200, width: 40, height: 50, count: 4}"   // no pitch
        try assertBroken(lines, line: 17, mentions: ["pitch", "fields[1].cells"])
    }

    func testRelationWithoutIdIsReportedAtTheRelation() throws {
        var lines = goodLines
        lines.remove(at: 18)                                   // drop "- id: ..."
        lines[18] = "  - expr: \"ballots_received >= ballots_issued\""   // now line 19
        try assertBroken(lines, line: 19, mentions: ["id", "relations[0]"])
    }

    func testMarkOutsidePageIsReportedAtTheMark() throws {
        var lines = goodLines
        lines[7] = "    - {x: 1950, y: 950, width: 40, height: 40}"
        try assertBroken(lines, line: 8, mentions: ["registration.marks[1]", "outside"])
    }

    func testOutlineOutsidePageIsReportedAtTheOutline() throws {
        var lines = goodLines
        lines.insert(contentsOf: ["  outlines:",                                       // 9
                                  "    - {x: 100, y: 300, width: 200, height: 50}",    // 10
                                  "    - {x: 900, y: 300, width: 200, height: 50}"],   // 11: past the right edge
                     at: 8)
        try assertBroken(lines, line: 11, mentions: ["registration.outlines[1]", "outside"])
    }

    func testCheckReportsEveryProblemEachWithItsLine() throws {
        var lines = goodLines
        lines[7] = "    - {x: 1950, y: 950, width: 40, height: 40}"          // line 8
        lines[13] = "  - key: ballots_received"                               // line 14: duplicate key
        let problems = TemplateLoader.check(templateAt: try write(lines))
        XCTAssertEqual(problems.compactMap(\.line).sorted(), [8, 14], "\(problems)")
    }
}
