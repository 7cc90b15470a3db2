import Foundation
import XCTest

/// Runs the built `hattama batch`, kills it with SIGKILL once the first records are written, runs it again,
/// and checks that every image ends up processed exactly once with the audit chain intact.
final class BatchKillResumeTests: XCTestCase {
    var harness: BatchHarness!
    var folder: URL { harness.folder }

    override func setUpWithError() throws {
        harness = try BatchHarness()
    }

    override func tearDown() {
        harness = nil
    }

    func makeImages(count: Int) throws -> URL { try harness.makeImages(count: count) }

    func run(_ arguments: [String], executable: URL) throws -> BatchHarness.RunResult {
        try harness.run(arguments, executable: executable)
    }

    func testKilledBatchResumesWithEveryImageExactlyOnce() throws {
        let images = try makeImages(count: 12)
        let db = folder.appendingPathComponent("store.sqlite").path
        let binary = try BinaryLocator.hattama()

        // First run: kill -9 as soon as the first image's records are committed.
        let log = folder.appendingPathComponent("first.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let first = Process()
        first.executableURL = binary
        first.arguments = ["batch", images.path, "--db", db, "--jobs", "2"]
        first.currentDirectoryURL = BinaryLocator.packageRoot
        first.standardOutput = FileHandle.nullDevice
        first.standardError = try FileHandle(forWritingTo: log)
        try first.run()
        let deadline = Date().addingTimeInterval(600)
        var killed = false
        while first.isRunning && Date() < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if text.contains("[1/") {
                kill(first.processIdentifier, SIGKILL)
                killed = true
                break
            }
            usleep(20_000)
        }
        first.waitUntilExit()
        XCTAssertTrue(killed, "the first run finished before it could be killed: \(first.terminationStatus)")
        XCTAssertEqual(first.terminationReason, .uncaughtSignal)

        // Second run: reads only what is missing.
        let second = try run(["batch", images.path, "--db", db, "--jobs", "2"], executable: binary)
        XCTAssertEqual(second.status, 0, second.stderr)
        let already = try XCTUnwrap(BatchHarness.number(before: " already in the store", in: second.stdout), second.stdout)
        let read = try XCTUnwrap(BatchHarness.number(before: " images read", in: second.stdout), second.stdout)
        XCTAssertGreaterThanOrEqual(already, 1)
        XCTAssertEqual(already + read, 12, second.stdout)

        // Third run: nothing left to do.
        let third = try run(["batch", images.path, "--db", db], executable: binary)
        XCTAssertEqual(BatchHarness.number(before: " images read", in: third.stdout), 0, third.stdout)

        // Every image exactly once: 12 rows, 12 distinct hashes, 12 distinct paths.
        let export = try run(["export", "--db", db, "--format", "csv"], executable: binary)
        XCTAssertEqual(export.status, 0, export.stderr)
        let rows = export.stdout.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        XCTAssertEqual(rows.count, 12)
        XCTAssertEqual(Set(rows.map { $0.split(separator: ",")[0] }).count, 12)
        XCTAssertEqual(Set(rows.map { $0.split(separator: ",")[1] }).count, 12)

        let audit = try run(["audit", "verify", "--db", db], executable: binary)
        XCTAssertEqual(audit.status, 0, audit.stdout + audit.stderr)
        XCTAssertTrue(audit.stdout.contains("chain intact"), audit.stdout)
    }

    func testBadFilesAreFailedItemsAndTheBatchGoesOn() throws {
        let images = try makeImages(count: 1)
        try Data().write(to: images.appendingPathComponent("empty.jpg"))
        try Data("plain text, not a scan".utf8).write(to: images.appendingPathComponent("notes.png"))
        let good = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: images.path)
            .first { $0.hasSuffix(".jpg") && $0 != "empty.jpg" || $0.hasSuffix(".png") && $0 != "notes.png" })
        let bytes = try Data(contentsOf: images.appendingPathComponent(good))
        try bytes.prefix(bytes.count / 3).write(to: images.appendingPathComponent("truncated.\((good as NSString).pathExtension)"))
        try bytes.write(to: images.appendingPathComponent("renamed-copy.\((good as NSString).pathExtension)"))
        let db = folder.appendingPathComponent("store.sqlite").path
        let result = try run(["batch", images.path, "--db", db, "--jobs", "2"], executable: try BinaryLocator.hattama())
        XCTAssertEqual(result.status, 3, result.stdout + result.stderr)
        XCTAssertEqual(BatchHarness.number(before: " images read", in: result.stdout), 1, result.stdout)
        XCTAssertTrue(result.stdout.contains("duplicates          1"), result.stdout)
        XCTAssertTrue(result.stdout.contains("failed              3"), result.stdout)
        XCTAssertTrue(result.stderr.contains("empty file (0 bytes)"), result.stderr)
        let audit = try run(["audit", "verify", "--db", db], executable: try BinaryLocator.hattama())
        XCTAssertEqual(audit.status, 0, audit.stdout)
    }

    func testReadOnlyDatabaseIsAClearErrorWithNothingWritten() throws {
        let images = try makeImages(count: 1)
        let db = folder.appendingPathComponent("store.sqlite").path
        _ = FileManager.default.createFile(atPath: db, contents: nil)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db)
        let result = try run(["batch", images.path, "--db", db], executable: try BinaryLocator.hattama())
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("read-only"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: db + ".images"))
    }
}
