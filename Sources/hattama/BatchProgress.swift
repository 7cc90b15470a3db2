import Foundation

/// Progress of a batch: one updating line with done/total, rate and time left on a terminal, plain log
/// lines otherwise. Both go to standard error so standard output keeps only the summary.
final class BatchProgress {
    let total: Int
    let isTerminal: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private(set) var done = 0

    init(total: Int, isTerminal: Bool = isatty(STDERR_FILENO) != 0) {
        self.total = total
        self.isTerminal = isTerminal
    }

    var elapsed: TimeInterval { Date().timeIntervalSince(start) }
    var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }

    /// Counts one finished item; `line` describes it for the log.
    func advance(_ line: String) {
        done += 1
        if isTerminal {
            let now = Date()
            guard now.timeIntervalSince(lastDraw) > 0.2 || done == total else { return }
            lastDraw = now
            let left = rate > 0 ? Double(total - done) / rate : 0
            let width = 24
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            write("\r\u{1b}[K\(bar) \(done)/\(total)  \(String(format: "%.1f", rate))/s  \(Self.duration(left)) left")
            if done == total { write("\n") }
        } else {
            write("[\(done)/\(total)] \(line)\n")
        }
    }

    /// A message that must not be overwritten by the progress line.
    func note(_ line: String) {
        write(isTerminal ? "\r\u{1b}[K\(line)\n" : "\(line)\n")
    }

    func finish() {
        if isTerminal && done < total { write("\n") }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
