import Foundation
import HattamaCore
import HattamaImaging
import XCTest

/// Renders the generated election's report and screenshots it in headless Chromium (Debian's `chromium`,
/// installed by tools/setup.sh): the page must open from disk and show the summary table at the top.
final class ReportBrowserTests: XCTestCase {
    func testReportRendersInHeadlessChromium() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("chromium is not installed; run tools/setup.sh")
        }
        let election = GeneratedElection(precincts: 320, seed: 2024)
        let official = try OfficialResultsParser.parse(Data(election.csv.utf8), fileName: "cec.csv", mapping: election.mapping)
        let report = Comparator.compare(official: official, records: election.records.map { ($0, nil) }, rule: election.mapping.precinct,
                                        reference: ReferenceDescription(kind: "official", source: "cec.csv", version: 1, election: "test-2024"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hattama-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let html = ComparisonHTML().render(report)
        XCTAssertFalse(html.contains("<script"), "no JavaScript")
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "no external assets")
        let page = folder.appendingPathComponent("index.html")
        try Data(html.utf8).write(to: page)
        let shot = folder.appendingPathComponent("shot.png")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
                             "--screenshot=\(shot.path)", "--window-size=1200,900", page.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: shot.path), "chromium wrote no screenshot")
        if let keep = ProcessInfo.processInfo.environment["HATTAMA_KEEP_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: shot, to: URL(fileURLWithPath: keep))
        }

        let image = try ImageDecoder.decodePages(at: shot)[0].image
        XCTAssertEqual(image.width, 1200)
        // The title and summary table sit in the top 400 pixels of the left half: dark ink (text and table
        // rules) must cover a reasonable share there, spread over many rows, and the page is not all dark.
        var dark = 0, darkRows = 0
        for y in 0..<min(400, image.height) {
            var rowDark = 0
            for x in 0..<600 where image[x, y] < 100 { rowDark += 1 }
            dark += rowDark
            if rowDark > 0 { darkRows += 1 }
        }
        let share = Double(dark) / Double(600 * 400)
        XCTAssertGreaterThan(share, 0.01, "almost no ink where the summary table should be")
        XCTAssertLessThan(share, 0.5, "the page is mostly dark")
        XCTAssertGreaterThan(darkRows, 100, "ink on too few rows to be a table of text")
        let mean = image.pixels.reduce(0) { $0 + Int($1) } / image.pixels.count
        XCTAssertGreaterThan(mean, 150, "a white page with text is mostly light")
    }
}
