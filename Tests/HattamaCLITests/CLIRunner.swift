import Foundation
import XCTest

/// Runs the built `hattama` binary (found by `BinaryLocator`) from the repository root and captures its output.
enum CLIRunner {
    struct Result {
        var status: Int32
        /// True when the process died of a signal (a crash), not by exiting.
        var crashed: Bool
        var stdout: String
        var stderr: String

        var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    static var repoRoot: URL { BinaryLocator.packageRoot }

    static func hattama(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let binary: URL
        do {
            binary = try BinaryLocator.hattama()
        } catch {
            XCTFail("\(error)", file: file, line: line)
            throw error
        }
        return try run(binary, arguments)
    }

    static func run(_ executable: URL, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = repoRoot
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hattama-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Files rather than pipes: large outputs cannot fill a pipe buffer and deadlock the test.
        let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try? outHandle.close()
        try? errHandle.close()
        return Result(status: process.terminationStatus,
                      crashed: process.terminationReason == .uncaughtSignal,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// A fresh temporary folder, removed by the caller.
    static func tempDirectory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Parses JSON Lines into dictionaries.
    static func records(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { row in
            let object = try JSONSerialization.jsonObject(with: Data(row.utf8))
            return try XCTUnwrap(object as? [String: Any], "not a JSON object: \(row)", file: file, line: line)
        }
    }
}

/// Writes PNG files by hand (stored deflate blocks, no compression library), for odd test images.
enum PNGWriter {
    private static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    private static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(UInt32(data.count)) + body + be32(crc32(body))
    }

    private static func ihdr(width: UInt32, height: UInt32, bitDepth: UInt8) -> [UInt8] {
        chunk("IHDR", be32(width) + be32(height) + [bitDepth, 0 /* gray */, 0, 0, 0])
    }

    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// zlib stream of `raw` in stored (uncompressed) deflate blocks.
    static func zlibStored(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65535, raw.count - offset)
            let final: UInt8 = offset + n >= raw.count ? 1 : 0
            out += [final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += raw[offset..<(offset + n)]
            offset += n
        } while offset < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + be32((b << 16) | a)
    }

    /// An 8-bit grayscale PNG of `pixels` (row-major, `width * height`).
    static func gray(width: Int, height: Int, pixels: [UInt8]) -> Data {
        var raw: [UInt8] = []
        raw.reserveCapacity((width + 1) * height)
        for y in 0..<height {
            raw.append(0)   // filter: none
            raw += pixels[(y * width)..<((y + 1) * width)]
        }
        return Data(signature + ihdr(width: UInt32(width), height: UInt32(height), bitDepth: 8)
                    + chunk("IDAT", zlibStored(raw)) + chunk("IEND", []))
    }

    /// A valid PNG header claiming `width x height` 1-bit pixels, followed by only a few rows of data:
    /// what a decompression bomb looks like to a reader that trusts the header.
    static func hugeHeader(width: UInt32, height: UInt32) -> Data {
        let rowBytes = Int((width + 7) / 8) + 1
        let raw = [UInt8](repeating: 0, count: rowBytes * 4)
        return Data(signature + ihdr(width: width, height: height, bitDepth: 1)
                    + chunk("IDAT", zlibStored(raw)) + chunk("IEND", []))
    }

    /// A page-sized picture of random grey rectangles and lines on white, with no corner marks or table:
    /// a photo of something that is not a protocol. Deterministic for a seed.
    static func notAProtocol(width: Int = 1240, height: Int = 1754, seed: UInt64 = 7) -> Data {
        var state = seed
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: (state >> 33) & 0x7FFF_FFFF)
        }
        var pixels = [UInt8](repeating: 235, count: width * height)
        for _ in 0..<40 {
            let w = 30 + next() % 300, h = 4 + next() % 60
            let x0 = next() % (width - w), y0 = next() % (height - h)
            let shade = UInt8(120 + next() % 100)   // mid greys only: nothing like a solid black mark
            for y in y0..<(y0 + h) { for x in x0..<(x0 + w) { pixels[y * width + x] = shade } }
        }
        for i in pixels.indices where next() % 11 == 0 { pixels[i] = pixels[i] &- UInt8(next() % 30) }
        return gray(width: width, height: height, pixels: pixels)
    }
}

/// One `hattama digitize --format jsonl` run over every image in testimages/printed, shared by the tests
/// that check its records (the run takes about half a minute on two cores).
enum PrintedSamples {
    static let folder = CLIRunner.repoRoot.appendingPathComponent("testimages/printed")

    static let images: [URL] = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") }.sorted().map { folder.appendingPathComponent($0) }

    private static let run: Result<CLIRunner.Result, CLIRunError> = {
        do {
            return .success(try CLIRunner.run(try BinaryLocator.hattama(), ["digitize"] + images.map(\.path) + ["--format", "jsonl"]))
        } catch {
            return .failure(CLIRunError(description: "\(error)"))
        }
    }()

    static func result() throws -> CLIRunner.Result { try run.get() }

    struct CLIRunError: Error, CustomStringConvertible {
        var description: String
    }
}
