import Foundation
import XCTest

/// Records written by `hattama digitize` validate against the published JSON schema.
final class SchemaCLITests: XCTestCase {
    func testRecordsOfAllPrintedSamplesValidateAgainstTheSchema() throws {
        let root = CLIRunner.repoRoot
        let python = root.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            XCTFail("\(python.path) is missing: run tools/setup-python.sh from the repository root first")
            return
        }
        let images = PrintedSamples.images
        XCTAssertGreaterThanOrEqual(images.count, 12)

        let result = try PrintedSamples.result()
        XCTAssertFalse(result.crashed, result.stderr)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdoutLines.count, images.count, "one record per sample:\n\(result.stderr)")

        let dir = try CLIRunner.tempDirectory("hattama-schema")
        defer { try? FileManager.default.removeItem(at: dir) }
        let jsonl = dir.appendingPathComponent("records.jsonl")
        try result.stdout.write(to: jsonl, atomically: true, encoding: .utf8)
        let validation = try CLIRunner.run(python, [root.appendingPathComponent("tools/validate_records.py").path, jsonl.path])
        XCTAssertEqual(validation.status, 0, validation.stdout + validation.stderr)
        XCTAssertTrue(validation.stdout.contains("\(images.count) records, 0 invalid"), validation.stdout + validation.stderr)
    }

    func testValidatorRejectsARecordThatBreaksTheSchema() throws {
        // Guards the test above: the validator must be able to say no.
        let root = CLIRunner.repoRoot
        let python = root.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            XCTFail("\(python.path) is missing: run tools/setup-python.sh from the repository root first")
            return
        }
        let dir = try CLIRunner.tempDirectory("hattama-schema")
        defer { try? FileManager.default.removeItem(at: dir) }
        let jsonl = dir.appendingPathComponent("bad.jsonl")
        try "{\"schema\": \"hattama.protocol/1\", \"status\": \"maybe\"}\n".write(to: jsonl, atomically: true, encoding: .utf8)
        let validation = try CLIRunner.run(python, [root.appendingPathComponent("tools/validate_records.py").path, jsonl.path])
        XCTAssertEqual(validation.status, 1, validation.stdout)
        XCTAssertTrue(validation.stdout.contains("1 records, 1 invalid"), validation.stdout)
    }
}
