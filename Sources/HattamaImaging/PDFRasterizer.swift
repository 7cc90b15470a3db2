import Foundation

/// Renders PDF pages with poppler's `pdftoppm` into a temporary folder, then decodes them like images.
enum PDFRasterizer {
    static func decodePages(path: String, limits: DecodeLimits) throws(ImagingError) -> [DecodedPage] {
        let sizes = try pageSizesInPoints(path: path)
        guard sizes.count <= limits.maxPages else { throw .tooManyPages(count: sizes.count, limit: limits.maxPages) }
        // Check the rendered size of every page before rendering any.
        let scale = Double(limits.pdfDotsPerInch) / 72
        for size in sizes {
            try limits.check(width: Int((size.width * scale).rounded()), height: Int((size.height * scale).rounded()))
        }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("hattama-pdf-\(UUID().uuidString)", isDirectory: true)
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw .pdfConversionFailed(detail: "cannot create a temporary folder: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try run("pdftoppm", ["-r", String(limits.pdfDotsPerInch), "-gray", "-png", path,
                                 folder.appendingPathComponent("page").path])
        let rendered: [URL]
        do {
            rendered = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "png" }
                .sorted { pageNumber($0) < pageNumber($1) }
        } catch {
            throw .pdfConversionFailed(detail: "cannot list rendered pages: \(error.localizedDescription)")
        }
        guard !rendered.isEmpty else { throw .pdfConversionFailed(detail: "pdftoppm produced no page") }
        var pages: [DecodedPage] = []
        for (index, file) in rendered.enumerated() {
            var page = try ImageDecoder.decodeFirstPage(at: file, limits: limits)
            page.page = index + 1
            pages.append(page)
        }
        return pages
    }

    /// Page sizes in PostScript points, from `pdfinfo`, so oversized pages are refused before rendering.
    private static func pageSizesInPoints(path: String) throws(ImagingError) -> [(width: Double, height: Double)] {
        let info = try run("pdfinfo", [path])
        guard let pagesLine = info.split(separator: "\n").first(where: { $0.hasPrefix("Pages:") }),
              let count = Int(pagesLine.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)), count > 0 else {
            throw .pdfConversionFailed(detail: "pdfinfo reports no pages")
        }
        let detail = try run("pdfinfo", ["-f", "1", "-l", String(min(count, 10_000)), path])
        var sizes: [(width: Double, height: Double)] = []
        for line in detail.split(separator: "\n") where line.hasPrefix("Page") && line.contains("size:") {
            // "Page    1 size: 595.276 x 841.89 pts (A4)"
            let words = line.split(separator: " ")
            if let sizeIndex = words.firstIndex(of: "size:"), words.count > sizeIndex + 3,
               let width = Double(words[sizeIndex + 1]), let height = Double(words[sizeIndex + 3]) {
                sizes.append((width, height))
            }
        }
        if sizes.isEmpty { return Array(repeating: (612, 842), count: count) }
        return sizes
    }

    private static func pageNumber(_ url: URL) -> Int {
        Int(url.deletingPathExtension().lastPathComponent.split(separator: "-").last ?? "") ?? 0
    }

    /// Runs a poppler tool found on PATH; returns its standard output, throws its standard error on failure.
    private static func run(_ tool: String, _ arguments: [String]) throws(ImagingError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw .pdfConversionFailed(detail: "cannot start \(tool): \(error.localizedDescription)")
        }
        // Read both pipes before waiting so a chatty tool cannot block on a full pipe.
        let errorData = LockedData()
        let errorReader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { Thread.sleep(forTimeInterval: 0.001) }
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData.value, as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if process.terminationStatus == 127 {
                throw .pdfConversionFailed(detail: "\(tool) not found; install poppler-utils")
            }
            throw .pdfConversionFailed(detail: "\(tool) exited with \(process.terminationStatus): \(message.prefix(300))")
        }
        return String(decoding: outputData, as: UTF8.self)
    }
}

/// A small lock-protected buffer for the stderr reader thread.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false
    func set(_ value: Data) { lock.lock(); data = value; done = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return done }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data }
}
