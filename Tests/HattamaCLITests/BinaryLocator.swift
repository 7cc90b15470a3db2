import Foundation

/// Finds the built `hattama` binary for tests that run it: `HATTAMA_BINARY`, else next to the test bundle
/// (`.build/<config>/hattama`, where SwiftPM puts both).
enum BinaryLocator {
    static func hattama() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["HATTAMA_BINARY"] { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for folder in candidates {
            let url = folder.appendingPathComponent("hattama")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw LocatorError(searched: candidates.map(\.path))
    }

    /// The package root, found from this source file's location.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    struct LocatorError: Error, CustomStringConvertible {
        let searched: [String]
        var description: String {
            "no built hattama binary in \(searched.joined(separator: ", ")); run `swift build` first or set HATTAMA_BINARY"
        }
    }
}
