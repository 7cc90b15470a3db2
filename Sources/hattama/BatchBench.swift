import ArgumentParser
import Dispatch
import Foundation
import HattamaCore
import HattamaPipeline
import HattamaStore

/// `hattama bench batch`: the whole batch (hash, read, store) on a corpus into a temporary database, then the
/// `tesseract` CLI on the same pages, one process per page, with the same number of parallel jobs.
struct BatchBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Protocols/s, CPU s/protocol and peak memory of `hattama batch`, side by side with the tesseract CLI.",
        discussion: """
            Run twice with --limit 100 and --limit 1000 (and --skip-cli) to check that memory stays flat: the peak \
            resident memory of the second should be within 1.5x of the first.
            """)

    @Option(help: "Folder of protocol images (generate one with tools/corpus/generate.py).")
    var corpus: String

    @Option(help: "Use only the first N images.")
    var limit: Int?

    @Option(help: "Parallel workers for hattama, and parallel tesseract processes.")
    var jobs: Int = Environment.defaultWorkers

    @Flag(name: .customLong("skip-cli"), help: "Do not run the tesseract CLI alternative.")
    var skipCLI = false

    @Option(name: .customLong("cli-limit"), help: "Run the tesseract CLI on only the first N of the pages (default: all).")
    var cliLimit: Int?

    @Option(help: "Templates folder (default: seeds/ of the project).")
    var seeds: String?

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let catalog = try Environment.catalog(seeds: seeds)
        var files = BatchInputs(arguments: [corpus]).files
        if let limit { files = Array(files.prefix(limit)) }
        guard !files.isEmpty else { throw ValidationError("no images in \(corpus)") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hattama-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { Self.removeReadOnlyTree(folder) }

        print("corpus: \(files.count) images from \(corpus), \(jobs) jobs, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let before = ResourceUsage.now(.self)
        let wallStart = Date()
        let summary: BatchSummary
        do {
            let store = try SQLiteProtocolStore(path: folder.appendingPathComponent("bench.sqlite").path)
            let runner = BatchRunner(store: store, catalog: catalog, classifier: Environment.classifier(),
                                     options: DigitizeOptions(), jobs: jobs, maxFileBytes: 200 << 20, isQuiet: true)
            summary = try runner.run(paths: files.map(\.path), vault: nil)
        } catch let error as StoreError {
            throw ValidationError(error.description)
        }
        let wall = Date().timeIntervalSince(wallStart)
        let used = ResourceUsage.now(.self).minus(before)
        let ours = Figures(name: "hattama batch (hash, read, store)", pages: summary.read, seconds: wall,
                           cpuSeconds: used.cpuSeconds, peakRSSKiB: Self.peakRSSKiB())
        print(ours.line)
        let statuses = ProtocolStatus.allCases.map { "\($0.rawValue) \(summary.statuses[$0] ?? 0)" }.joined(separator: ", ")
        print("  records: \(summary.read) (\(statuses)); failed \(summary.failed)")
        guard !skipCLI else { return }

        let cliFiles = Array(files.prefix(cliLimit ?? files.count))
        let cliBefore = ResourceUsage.now(.children)
        let cliStart = Date()
        let (numbers, cliPeakKiB) = try TesseractCLIRunner.run(cliFiles, jobs: jobs)
        let cliWall = Date().timeIntervalSince(cliStart)
        let cliUsed = ResourceUsage.now(.children).minus(cliBefore)
        let cli = Figures(name: "tesseract CLI, a process per page", pages: cliFiles.count, seconds: cliWall,
                          cpuSeconds: cliUsed.cpuSeconds, peakRSSKiB: cliPeakKiB)
        print(cli.line + "  (\(numbers) numbers parsed; peak RSS of one process x \(jobs) running at once)")
        print(String(format: "ratio: hattama %.1fx the protocols/s of the tesseract CLI, %.1fx less CPU per protocol",
                     ours.rate / cli.rate, cli.cpuPerPage / ours.cpuPerPage))
    }

    /// Peak resident memory of this process: VmHWM from /proc, else getrusage.
    static func peakRSSKiB() -> Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
            return kib
        }
        return ResourceUsage.now(.self).maxRSSKiB
    }

    static func removeReadOnlyTree(_ folder: URL) {
        if let items = FileManager.default.enumerator(atPath: folder.path) {
            for case let item as String in items {
                try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent(item).path)
            }
        }
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Throughput, CPU and memory of one contender.
struct Figures {
    var name: String
    var pages: Int
    var seconds: Double
    var cpuSeconds: Double
    var peakRSSKiB: Int

    var rate: Double { seconds > 0 ? Double(pages) / seconds : 0 }
    var cpuPerPage: Double { pages > 0 ? cpuSeconds / Double(pages) : 0 }

    var line: String {
        String(format: "%@: %d protocols in %.1f s = %.2f protocols/s, %.3f CPU s/protocol, peak RSS %.1f MiB",
               name, pages, seconds, rate, cpuPerPage, Double(peakRSSKiB) / 1024)
    }
}

/// CPU time and peak memory from getrusage.
struct ResourceUsage {
    enum Who { case `self`, children }

    var cpuSeconds: Double
    var maxRSSKiB: Int

    static func now(_ who: Who) -> ResourceUsage {
        var usage = rusage()
        getrusage(who == .self ? RUSAGE_SELF.rawValue : RUSAGE_CHILDREN.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return ResourceUsage(cpuSeconds: cpu, maxRSSKiB: Int(usage.ru_maxrss))
    }

    /// CPU used since `earlier`; peak memory as it is now (a high-water mark).
    func minus(_ earlier: ResourceUsage) -> ResourceUsage {
        ResourceUsage(cpuSeconds: cpuSeconds - earlier.cpuSeconds, maxRSSKiB: maxRSSKiB)
    }
}

/// Runs `tesseract IMG stdout -l eng --psm 3` per page, `jobs` at a time, with OMP_THREAD_LIMIT=1, and parses
/// the numbers out of its text, as a script using the CLI would. Each runs under `/usr/bin/time -f %M` for its
/// own peak memory: a spawned child inherits this process's high-water mark in getrusage on Linux.
enum TesseractCLIRunner {
    /// Numbers parsed, and the peak resident memory of one tesseract process (KiB) times the parallel jobs.
    static func run(_ files: [URL], jobs: Int) throws -> (numbers: Int, peakKiB: Int) {
        let timer = "/usr/bin/time"
        let hasTimer = FileManager.default.isExecutableFile(atPath: timer)
        let state = CLIState()
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_THREAD_LIMIT"] = "1"
        let env = environment
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, files.count))) { _ in
            while let index = state.next(files.count) {
                let process = Process()
                let command = ["tesseract", files[index].path, "stdout", "-l", "eng", "--psm", "3"]
                process.executableURL = URL(fileURLWithPath: hasTimer ? timer : "/usr/bin/env")
                process.arguments = hasTimer ? ["-f", "%M"] + command : command
                process.environment = env
                let pipe = Pipe(), errors = Pipe()
                process.standardOutput = pipe
                process.standardError = errors
                do {
                    try process.run()
                } catch {
                    state.fail("cannot run tesseract: \(error.localizedDescription); install it with apt-get install tesseract-ocr")
                    return
                }
                let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                let peak = stderr.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
                state.add(numbers(in: text).count, peakKiB: peak)
            }
        }
        if let error = state.error { throw ValidationError(error) }
        return (state.numbers, state.peakKiB * max(1, min(jobs, files.count)))
    }

    /// The whole numbers in OCR text.
    static func numbers(in text: String) -> [Int] {
        var found: [Int] = []
        var current = ""
        for character in text + " " {
            if character.isASCII && character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                if let n = Int(current) { found.append(n) }
                current = ""
            }
        }
        return found
    }
}

/// Shared counters of the tesseract CLI workers.
final class CLIState: @unchecked Sendable {
    private let lock = NSLock()
    private var index = 0
    private(set) var numbers = 0
    private(set) var peakKiB = 0
    private(set) var error: String?

    func next(_ count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard error == nil, index < count else { return nil }
        index += 1
        return index - 1
    }

    func add(_ n: Int, peakKiB peak: Int) {
        lock.lock()
        numbers += n
        peakKiB = max(peakKiB, peak)
        lock.unlock()
    }

    func fail(_ message: String) {
        lock.lock()
        error = message
        lock.unlock()
    }
}
