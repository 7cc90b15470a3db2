import Dispatch
import Foundation
import HattamaCore
import HattamaOCR

/// Digitizes many files on several worker threads, one `ProtocolReader` (and so one Tesseract engine)
/// per worker, and hands each file's outcomes to `deliver` in input order.
public enum ParallelDigitizer {
    /// Runs the files on `workers` threads; `deliver` is called on one thread at a time, in input order.
    public static func run(files: [URL], workers: Int, catalog: TemplateCatalog, classifier: DigitClassifier?,
                           options: DigitizeOptions, deliver: @escaping @Sendable (Int, [PageOutcome]) -> Void)
        throws(DigitizeError)
    {
        let queue = WorkQueue(count: files.count, deliver: deliver)
        let workerCount = max(1, min(workers, files.count))
        // Fail early, on this thread, if an engine cannot start at all (missing tessdata).
        _ = try ProtocolReader(catalog: catalog, classifier: classifier)
        DispatchQueue.concurrentPerform(iterations: workerCount) { _ in
            guard let reader = try? ProtocolReader(catalog: catalog, classifier: classifier) else { return }
            while let index = queue.next() {
                queue.finish(index, reader.read(fileAt: files[index], options: options))
            }
        }
    }
}

/// Hands out indexes and releases results in order.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private var nextToDeliver = 0
    private var pending: [Int: [PageOutcome]] = [:]
    private let count: Int
    private let deliver: @Sendable (Int, [PageOutcome]) -> Void

    init(count: Int, deliver: @escaping @Sendable (Int, [PageOutcome]) -> Void) {
        self.count = count
        self.deliver = deliver
    }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    func finish(_ index: Int, _ outcomes: [PageOutcome]) {
        lock.lock()
        defer { lock.unlock() }
        pending[index] = outcomes
        while let ready = pending.removeValue(forKey: nextToDeliver) {
            deliver(nextToDeliver, ready)
            nextToDeliver += 1
        }
    }
}
