import Foundation
import XCTest

/// `hattama forms list` and `hattama forms check`.
final class FormsCLITests: XCTestCase {
    static let formsDir = CLIRunner.repoRoot.appendingPathComponent("seeds/forms")

    private func shippedTemplates() throws -> [URL] {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.formsDir.path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { Self.formsDir.appendingPathComponent($0) }
        XCTAssertGreaterThanOrEqual(files.count, 4)
        return files
    }

    /// The `id:` of a template file, read as text so the test does not trust the product's parser.
    private func id(of url: URL) throws -> String {
        let text = try String(contentsOf: url, encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("id:") }, url.path)
        return line.dropFirst(3).trimmingCharacters(in: .whitespaces)
    }

    func testListShowsEveryShippedTemplate() throws {
        let result = try CLIRunner.hattama(["forms", "list"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.crashed)
        let listedIDs = Set(result.stdoutLines.compactMap { $0.split(separator: " ").first.map(String.init) })
        for file in try shippedTemplates() {
            let id = try id(of: file)
            XCTAssertTrue(listedIDs.contains(id), "forms list does not show \(id):\n\(result.stdout)")
        }
    }

    func testCheckPassesOnEveryShippedTemplate() throws {
        let files = try shippedTemplates()
        let result = try CLIRunner.hattama(["forms", "check"] + files.map(\.path))
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        for file in files {
            XCTAssertTrue(result.stdoutLines.contains("\(file.path): ok"), "\(file.lastPathComponent):\n\(result.stdout)")
        }
    }

    func testCheckFailsWithFileAndLineOnABrokenTemplate() throws {
        let dir = try CLIRunner.tempDirectory("hattama-forms-check")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Take a shipped template and break one relation: the line of its expr is what must be reported.
        let source = Self.formsDir.appendingPathComponent("kz-2022-referendum-precinct.yaml")
        var lines = try String(contentsOf: source, encoding: .utf8).components(separatedBy: "\n")
        let exprIndex = try XCTUnwrap(lines.lastIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("expr:") })
        let indent = lines[exprIndex].prefix { $0 == " " }
        lines[exprIndex] = "\(indent)expr: \"ballots_received == no_such_field + 1\""
        let broken = dir.appendingPathComponent("broken.yaml")
        try lines.joined(separator: "\n").write(to: broken, atomically: true, encoding: .utf8)
        let good = try shippedTemplates()[0]

        let result = try CLIRunner.hattama(["forms", "check", good.path, broken.path])
        XCTAssertFalse(result.crashed)
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        let output = result.stdoutLines + result.stderrLines
        XCTAssertTrue(output.contains("\(good.path): ok"), "\(output)")
        let location = "\(broken.path):\(exprIndex + 1):"
        let problem = output.first { $0.hasPrefix(location) }
        XCTAssertNotNil(problem, "expected a line starting with \(location) in:\n\(output.joined(separator: "\n"))")
        XCTAssertTrue(problem?.contains("no_such_field") ?? false, problem ?? "")
        XCTAssertFalse(output.contains("\(broken.path): ok"))
    }

    func testCheckReportsYAMLSyntaxErrorLine() throws {
        let dir = try CLIRunner.tempDirectory("hattama-forms-check")
        defer { try? FileManager.default.removeItem(at: dir) }
        let broken = dir.appendingPathComponent("bad-yaml.yaml")
        try "id: bad-yaml\nversion: 1\ntitle: {en: \"x\"\npage: {width: 10, height: 10}\n"
            .write(to: broken, atomically: true, encoding: .utf8)
        let result = try CLIRunner.hattama(["forms", "check", broken.path])
        XCTAssertFalse(result.crashed)
        XCTAssertEqual(result.status, 1)
        let output = result.stdout + result.stderr
        XCTAssertTrue(output.contains("\(broken.path):"), output)
        XCTAssertTrue(output.contains("YAML"), output)
    }
}
