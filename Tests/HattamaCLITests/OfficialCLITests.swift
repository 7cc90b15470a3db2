import Foundation
import XCTest

/// `hattama batch`, `official import` and `verify --report` run as a user would: generated protocol images
/// (one a photo turned three quarter turns) digitized into a store, official results with one
/// altered precinct, and a bad official file that must be refused whole.
final class OfficialCLITests: XCTestCase {
    /// Protocols 58-60 of the end-to-end election (tools/e2e/official-election.sh): precincts 59 (a scan),
    /// 60 (a photo turned 3 quarter turns) and 61 (a photo). The test needs the turned photo's precinct number
    /// read with certainty to match it: protocols 8-10, used before, hold a turned "0010" that digit model v3
    /// reads at p = 0.74 and leaves for review (unmatched until a person confirms it, which is right, but not
    /// what this test is about).
    static let generatorArguments = ["--forms", "ru-2024-president-uik", "--seed", "2026", "--unique-precincts",
                                     "--start", "58", "--count", "3", "--jobs", "2", "--quiet", "--no-manifest"]
    static let alteredPrecinct = "60"
    static let alteredKey = "votes.putin"

    func testReportFindsTheAlteredPrecinctAndABadFileImportsNothing() throws {
        let harness = try BatchHarness()
        let root = BinaryLocator.packageRoot
        let python = root.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw XCTSkip("no Python venv; run tools/setup-python.sh")
        }
        let images = harness.folder.appendingPathComponent("images")
        let generated = try harness.run([root.appendingPathComponent("tools/corpus/generate.py").path, "--out", images.path]
                                        + Self.generatorArguments, executable: python)
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let truths = try Self.truths(in: images)
        XCTAssertEqual(truths.map(\.precinct).sorted(), ["59", "60", "61"])

        let binary = try BinaryLocator.hattama()
        let db = harness.folder.appendingPathComponent("store.sqlite").path
        let batch = try harness.run(["batch", images.path, "--db", db, "--jobs", "2"], executable: binary)
        XCTAssertEqual(batch.status, 0, batch.stdout + batch.stderr)

        // The commission "publishes" the protocols' numbers, with votes added in one precinct.
        var rows = truths
        let i = try XCTUnwrap(rows.firstIndex { $0.precinct == Self.alteredPrecinct })
        let written = try XCTUnwrap(rows[i].values[Self.alteredKey])
        rows[i].values[Self.alteredKey] = written + 250
        let official = harness.folder.appendingPathComponent("cec.csv")
        try Self.csv(rows).write(to: official)
        let imported = try harness.run(["official", "import", official.path, "--db", db, "--election", "ru-2024-president"],
                                       executable: binary)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("3 precincts"), imported.stdout)
        XCTAssertTrue(imported.stdout.contains("version 1"), imported.stdout)

        let reportFolder = harness.folder.appendingPathComponent("report")
        let verify = try harness.run(["verify", "--db", db, "--report", reportFolder.path], executable: binary)
        XCTAssertEqual(verify.status, 0, verify.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: reportFolder.appendingPathComponent("report.json"))) as? [String: Any])
        let precincts = try XCTUnwrap(report["precincts"] as? [[String: Any]])
        let altered = try XCTUnwrap(precincts.first { $0["precinct"] as? String == Self.alteredPrecinct },
                                    "precinct \(Self.alteredPrecinct) is not in the report: \(verify.stdout)")
        let fields = try XCTUnwrap(altered["fields"] as? [[String: Any]])
        let field = try XCTUnwrap(fields.first { $0["key"] as? String == Self.alteredKey })
        let side = try XCTUnwrap(field["protocol"] as? [String: Any])
        // Accepted on the protocol: a discrepancy; still uncertain: not yet decidable. Either way it is shown.
        let expected = side["status"] as? String == "uncertain" ? "undecidable" : "discrepancy"
        XCTAssertEqual(field["classification"] as? String, expected, "\(field)")
        XCTAssertEqual(altered["classification"] as? String, expected)
        XCTAssertEqual((field["reference"] as? [String: Any])?["value"] as? Int, written + 250)
        for other in precincts where other["precinct"] as? String != Self.alteredPrecinct {
            XCTAssertNotEqual(other["classification"] as? String, "discrepancy", "only precinct \(Self.alteredPrecinct) was altered: \(other)")
        }
        let html = try String(contentsOf: reportFolder.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("crops/\(Self.alteredPrecinct)-votes.putin.png"), "the report shows the crop of the altered field")

        // The photo lies turned three quarter turns; the crop of the 4-box number must come out upright (wide).
        let crop = reportFolder.appendingPathComponent("crops/\(Self.alteredPrecinct)-votes.putin.png")
        let (width, height) = try Self.pngSize(of: crop)
        XCTAssertGreaterThan(width, height * 2, "the crop of a row of four digit boxes is sideways: \(width) x \(height)")

        // A bad file (BOM and semicolons are fine) with a non-numeric cell and a duplicate precinct: nothing imported.
        let bad = harness.folder.appendingPathComponent("bad.csv")
        try Data("\u{FEFF}precinct;voters_on_list;votes.putin\r\n0009;1 200;12a\r\n0010;1000;5\r\n10;900;4\r\n".utf8).write(to: bad)
        let refused = try harness.run(["official", "import", bad.path, "--db", db, "--election", "ru-2024-president"],
                                      executable: binary)
        XCTAssertEqual(refused.status, 1, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("\(bad.path): row 2, column \"votes.putin\": not a number"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("\(bad.path): row 4, column \"precinct\": duplicate precinct 10"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("nothing was imported"), refused.stderr)
        let again = try harness.run(["verify", "--db", db], executable: binary)
        XCTAssertTrue(again.stdout.contains("(version 1)"), "the refused file did not become version 2: \(again.stdout)")
        XCTAssertFalse(again.stdout.contains("versions"), again.stdout)
    }

    struct Truth {
        var precinct: String
        var values: [String: Int]
    }

    /// The generator's truth files: precinct numbers without leading zeros, counts by key.
    static func truths(in folder: URL) throws -> [Truth] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".truth.json") }.sorted().map { name in
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(
                with: Data(contentsOf: folder.appendingPathComponent(name))) as? [String: Any])
            let precinct = try XCTUnwrap(object["precinct"] as? String)
            let values = try XCTUnwrap(object["values"] as? [String: Any]).compactMapValues { $0 as? Int }
            return Truth(precinct: String(Int(precinct) ?? 0), values: values)
        }
    }

    /// A CSV as a commission publishes it: BOM, semicolons, CRLF, zero-padded precinct numbers.
    static func csv(_ rows: [Truth]) -> Data {
        let keys = rows[0].values.keys.sorted()
        var lines = [(["precinct"] + keys).joined(separator: ";")]
        for row in rows {
            lines.append(([String(repeating: "0", count: max(0, 5 - row.precinct.count)) + row.precinct]
                          + keys.map { String(row.values[$0] ?? 0) }).joined(separator: ";"))
        }
        return Data(("\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// Width and height from a PNG's IHDR chunk.
    static func pngSize(of url: URL) throws -> (Int, Int) {
        let bytes = [UInt8](try Data(contentsOf: url))
        XCTAssertGreaterThanOrEqual(bytes.count, 24)
        func be32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }
}
