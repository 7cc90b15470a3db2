import Foundation
import HattamaCore
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

    /// Every record says which build and which digit model read it, so two records of one image that differ
    /// can be told apart: the model is named by the SHA-256 of the bundled weights file.
    func testRecordsNameTheBuildAndTheDigitModelThatReadThem() throws {
        let weights = CLIRunner.repoRoot.appendingPathComponent("Sources/HattamaOCR/Resources/digit-classifier.json")
        let digest = "sha256:" + SHA256Digest.hex(of: try Data(contentsOf: weights))
        let result = try PrintedSamples.result()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stdoutLines.isEmpty)
        for line in result.stdoutLines {
            let record = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let producer = try XCTUnwrap(record["producer"] as? [String: Any], line)
            XCTAssertEqual(producer["tool"] as? String, "hattama")
            XCTAssertEqual(producer["version"] as? String, HattamaVersion.string)
            XCTAssertEqual(producer["digit_model"] as? String, digest)
        }
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
