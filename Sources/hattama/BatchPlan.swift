import Dispatch
import Foundation
import HattamaCore
import HattamaStore

/// A file to digitize, with its content hash.
struct BatchItem: Sendable {
    var url: URL
    var sha256: String
    var byteSize: Int
    /// Other files in this batch with the same content: recorded, not read again.
    var duplicatePaths: [String] = []
}

/// What a batch has to do, decided after hashing every file: read the new images, skip those already in the
/// store, note duplicates, and fail what cannot be read at all.
struct BatchPlan {
    var toRead: [BatchItem] = []
    var alreadyStored = 0
    var duplicates: [(path: String, of: String)] = []
    var failures: [FailedItem] = []

    /// Hashes `files` on `workers` threads, then sorts each into the plan (in input order).
    static func make(files: [URL], store: any ProtocolStore, workers: Int, maxBytes: Int) throws(StoreError) -> BatchPlan {
        let hashed = hashAll(files, workers: workers, maxBytes: maxBytes)
        var plan = BatchPlan()
        var firstIndex: [String: Int] = [:]
        for (url, outcome) in zip(files, hashed) {
            switch outcome {
            case .failure(let reason):
                plan.failures.append(FailedItem(path: url.path, reason: reason))
            case .success(let (sha256, size)):
                if let stored = try store.image(sha256: sha256), try store.hasRecords(forImage: sha256) {
                    if stored.originalPath == url.path {
                        plan.alreadyStored += 1
                    } else {
                        try store.recordDuplicate(path: url.path, of: sha256)
                        plan.duplicates.append((url.path, stored.originalPath))
                    }
                } else if let first = firstIndex[sha256] {
                    plan.toRead[first].duplicatePaths.append(url.path)
                    plan.duplicates.append((url.path, plan.toRead[first].url.path))
                } else {
                    firstIndex[sha256] = plan.toRead.count
                    plan.toRead.append(BatchItem(url: url, sha256: sha256, byteSize: size))
                }
            }
        }
        return plan
    }

    enum HashOutcome: Sendable {
        case success((String, Int))
        case failure(String)
    }

    static func hashAll(_ files: [URL], workers: Int, maxBytes: Int) -> [HashOutcome] {
        let results = HashResults(count: files.count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, files.count))) { worker in
            var index = worker
            while index < files.count {
                results.set(index, hash(files[index], maxBytes: maxBytes))
                index += max(1, min(workers, files.count))
            }
        }
        return results.values.map { $0 ?? .failure("not hashed") }
    }

    /// The SHA-256 and size of a file, read in 1 MiB chunks so memory stays flat; or why it cannot be used.
    static func hash(_ url: URL, maxBytes: Int) -> HashOutcome {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else {
            return .failure("cannot read this file's attributes")
        }
        if attributes[.type] as? FileAttributeType == .typeDirectory { return .failure("is a folder") }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 { return .failure("empty file (0 bytes)") }
        if size > maxBytes {
            return .failure("file is \(size / 1_048_576) MiB, larger than the \(maxBytes / 1_048_576) MiB limit (raise --max-file-mb if it is a real protocol)")
        }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            return .failure("cannot open this file for reading (permission denied?)")
        }
        defer { try? handle.close() }
        var digest = SHA256Digest()
        var total = 0
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                digest.update(Array(chunk))
                total += chunk.count
            }
        } catch {
            return .failure("read error: \(error.localizedDescription)")
        }
        return .success((digest.finalizeHex(), total))
    }
}

/// Results written by hashing threads, each to its own slot.
final class HashResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [BatchPlan.HashOutcome?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: BatchPlan.HashOutcome) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }
}
