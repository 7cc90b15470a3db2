import Foundation

/// A temporary folder, protocol images and a runner for the built binary, shared by the batch CLI tests.
final class BatchHarness {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hattama-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit {
        _ = try? run(["chmod", "-R", "u+w", folder.path], executable: URL(fileURLWithPath: "/usr/bin/env"))
        try? FileManager.default.removeItem(at: folder)
    }

    /// Protocol images generated with the project's venv, or the bundled printed samples without it.
    func makeImages(count: Int) throws -> URL {
        let out = folder.appendingPathComponent("images")
        let root = BinaryLocator.packageRoot
        let python = root.appendingPathComponent(".venv/bin/python")
        if FileManager.default.isExecutableFile(atPath: python.path) {
            let result = try run([root.appendingPathComponent("tools/corpus/generate.py").path, "--out", out.path,
                                  "--count", String(count), "--seed", "41", "--jobs", "2", "--quiet", "--no-manifest"],
                                 executable: python)
            if result.status == 0 { return out }
        }
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let samples = root.appendingPathComponent("testimages/printed")
        let names = try FileManager.default.contentsOfDirectory(atPath: samples.path)
            .filter { !$0.hasSuffix(".json") }.sorted().prefix(count)
        for name in names {
            try FileManager.default.copyItem(at: samples.appendingPathComponent(name), to: out.appendingPathComponent(name))
        }
        return out
    }

    struct RunResult {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String], executable: URL) throws -> RunResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = BinaryLocator.packageRoot
        let out = folder.appendingPathComponent("out-\(UUID().uuidString)")
        let err = folder.appendingPathComponent("err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus,
                         stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// The integer just before `suffix` in `text`.
    static func number(before suffix: String, in text: String) -> Int? {
        guard let range = text.range(of: suffix) else { return nil }
        let digits = text[..<range.lowerBound].reversed().prefix { $0.isNumber }
        return Int(String(digits.reversed()))
    }
}
