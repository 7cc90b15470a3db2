import Dispatch
import Foundation
import HattamaCore
import HattamaImaging
import HattamaOCR
import HattamaPipeline

/// What reading one batch item gave.
enum BatchOutcome: Sendable {
    /// One record per page (a page that is no protocol gets an `unreadable` record saying why).
    case read(BatchItem, [ProtocolRecord])
    /// The file could not be decoded or read; retried by the next run.
    case failed(BatchItem, String)
}

/// Reads batch items on worker threads, one `ProtocolReader` (one Tesseract engine) per worker, and hands
/// outcomes to one consumer on the calling thread as they finish, not in input order. At most a few
/// outcomes wait at a time, so memory stays flat however long the batch is.
enum BatchDigitizer {
    static func run(items: [BatchItem], workers: Int, catalog: TemplateCatalog, classifier: DigitClassifier?,
                    options: DigitizeOptions, consume: (BatchOutcome) throws -> Void) throws {
        guard !items.isEmpty else { return }
        // Fail early, on this thread, if an engine cannot start at all (missing tessdata).
        do {
            _ = try ProtocolReader(catalog: catalog, classifier: classifier)
        } catch {
            throw ValidationErrorMessage(error.description)
        }
        let workerCount = max(1, min(workers, items.count))
        let channel = OutcomeChannel(capacity: workerCount * 2, producers: workerCount)
        let limits = DecodeLimits(maxMegapixels: options.maxMegapixels)
        let group = DispatchGroup()
        for _ in 0..<workerCount {
            DispatchQueue.global(qos: .userInitiated).async(group: group) {
                defer { channel.producerFinished() }
                guard let reader = try? ProtocolReader(catalog: catalog, classifier: classifier) else { return }
                while let index = channel.nextIndex(of: items.count) {
                    let outcome = read(items[index], reader: reader, options: options, limits: limits)
                    if !channel.put(outcome) { return }
                }
            }
        }
        var failure: (any Error)?
        while let outcome = channel.take() {
            guard failure == nil else { continue }
            do {
                try consume(outcome)
            } catch {
                failure = error
                channel.cancel()
            }
        }
        group.wait()
        if let failure { throw failure }
    }

    static func read(_ item: BatchItem, reader: ProtocolReader, options: DigitizeOptions, limits: DecodeLimits) -> BatchOutcome {
        let pages: [DecodedPage]
        do {
            pages = try ImageDecoder.decodePages(at: item.url, limits: limits)
        } catch {
            return .failed(item, error.description)
        }
        var records: [ProtocolRecord] = []
        for page in pages {
            let source = SourceImage(path: item.url.path, sha256: item.sha256, page: page.page,
                                     width: page.image.width, height: page.image.height)
            switch reader.read(page.image, source: source, options: options) {
            case .success(let record):
                records.append(record)
            case .failure(.notAProtocol(let best, let score)):
                let problem = DigitizeError.notAProtocol(bestForm: best, score: score).description
                records.append(ProtocolRecord(form: nil, election: options.electionID, precinct: nil, source: source,
                                              registration: nil, fields: [], relations: [], status: .unreadable,
                                              problems: [problem]))
            case .failure(let error):
                return .failed(item, pages.count > 1 ? "page \(page.page): \(error)" : error.description)
            }
        }
        return .read(item, records)
    }
}

/// An error whose message is shown as it is.
struct ValidationErrorMessage: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A bounded hand-over from worker threads to the one consumer.
final class OutcomeChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var buffer: [BatchOutcome] = []
    private let capacity: Int
    private var liveProducers: Int
    private var nextItem = 0
    private var isCancelled = false

    init(capacity: Int, producers: Int) {
        self.capacity = capacity
        liveProducers = producers
    }

    func nextIndex(of count: Int) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard !isCancelled, nextItem < count else { return nil }
        nextItem += 1
        return nextItem - 1
    }

    /// Waits for room; false when the consumer has given up.
    func put(_ outcome: BatchOutcome) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while buffer.count >= capacity && !isCancelled { condition.wait() }
        guard !isCancelled else { return false }
        buffer.append(outcome)
        condition.broadcast()
        return true
    }

    /// The next outcome, or nil when every producer has finished and nothing is left.
    func take() -> BatchOutcome? {
        condition.lock()
        defer { condition.unlock() }
        while buffer.isEmpty && liveProducers > 0 { condition.wait() }
        guard !buffer.isEmpty else { return nil }
        let outcome = buffer.removeFirst()
        condition.broadcast()
        return outcome
    }

    func producerFinished() {
        condition.lock()
        liveProducers -= 1
        condition.broadcast()
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        isCancelled = true
        buffer.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
