import Foundation
import HattamaCore
@testable import HattamaStore
import XCTest

/// A fresh temporary folder with a database path and fake images, removed after the test.
final class TemporaryStore {
    let folder: URL
    var databasePath: String { folder.appendingPathComponent("hattama.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hattama-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit {
        chmodAll(folder)
        try? FileManager.default.removeItem(at: folder)
    }

    func open() throws -> SQLiteProtocolStore {
        let clock = TestClock()
        return try SQLiteProtocolStore(path: databasePath, now: { clock.tick() })
    }

    /// Writes a fake image file with the given content and returns its path, hash and size.
    func image(_ name: String, content: String) throws -> (path: String, sha256: String, size: Int) {
        let url = folder.appendingPathComponent(name)
        let data = Data(content.utf8)
        try data.write(to: url)
        return (url.path, SHA256Digest.hex(of: Array(data)), data.count)
    }

    /// Makes everything writable again so the folder can be removed (vault copies are read-only).
    private func chmodAll(_ url: URL) {
        guard let enumerator = FileManager.default.enumerator(atPath: url.path) else { return }
        for case let item as String in enumerator {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.appendingPathComponent(item).path)
        }
    }
}

/// A fake record as the pipeline would produce it, without OCR.
func fakeRecord(path: String, sha256: String, page: Int = 1, precinct: String?, election: String? = "kz-2022-president",
                status: ProtocolStatus = .complete, voters: Int = 1200) -> ProtocolRecord {
    let fields = [
        FieldRecord(key: "precinct", line: 0, kind: .precinctID, value: precinct.map { .text($0) },
                    status: precinct == nil ? .uncertain : .accepted, confidence: 0.99, reasons: [],
                    box: ImageBox(x: 10, y: 10, width: 80, height: 20),
                    readings: [ReaderReading(reader: "tesseract", text: precinct ?? "", value: precinct.map { .text($0) }, confidence: 0.99)]),
        FieldRecord(key: "voters_total", line: 1, kind: .count, value: .number(voters), status: .accepted, confidence: 0.97,
                    reasons: [], box: ImageBox(x: 10, y: 40, width: 80, height: 20),
                    readings: [ReaderReading(reader: "tesseract", text: String(voters), value: .number(voters), confidence: 0.97),
                               ReaderReading(reader: "digit_classifier", text: String(voters), value: .number(voters), confidence: 0.99)]),
        FieldRecord(key: "ballots_issued", line: 2, kind: .count, value: nil, status: .uncertain, confidence: 0.2,
                    reasons: ["unreadable"], box: ImageBox(x: 10, y: 70, width: 80, height: 20), readings: []),
    ]
    return ProtocolRecord(form: FormReference(id: "kz-2022-president-precinct-a4", version: 1), election: election,
                          precinct: precinct, source: SourceImage(path: path, sha256: sha256, page: page, width: 100, height: 100),
                          registration: nil, fields: fields, relations: [], status: status, problems: [])
}

/// A clock that advances one second per reading, so timestamps are deterministic.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds = 0.0

    func tick() -> Date {
        lock.lock()
        defer { lock.unlock() }
        seconds += 1
        return Date(timeIntervalSince1970: 1_700_000_000 + seconds)
    }
}
