import Foundation
import XCTest

/// `hattama export` on a database filled by `hattama batch` from the bundled printed samples.
final class BatchExportTests: XCTestCase {
    static let fixedColumns = ["image_sha256", "path", "page", "form", "election", "precinct", "status"]

    func testExportsOneRowPerProtocolInEveryFormatWithStableColumns() throws {
        let helper = try BatchHarness()
        let samples = BinaryLocator.packageRoot.appendingPathComponent("testimages/printed")
        let images = helper.folder.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        for name in ["kz-2022-referendum-precinct-0000.png", "ru-2024-president-uik-0000.jpg"] {
            try FileManager.default.copyItem(at: samples.appendingPathComponent(name), to: images.appendingPathComponent(name))
        }
        let db = helper.folder.appendingPathComponent("store.sqlite").path
        let binary = try BinaryLocator.hattama()
        XCTAssertEqual(try helper.run(["batch", images.path, "--db", db, "--jobs", "2"], executable: binary).status, 0)

        let csv = try helper.run(["export", "--db", db, "--format", "csv"], executable: binary)
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let lines = csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 3)
        let header = lines[0].components(separatedBy: ",")
        XCTAssertEqual(Array(header.prefix(7)), Self.fixedColumns)
        XCTAssertEqual(header[7], "precinct_id")
        XCTAssertEqual(header[8], "precinct_id.status")
        XCTAssertEqual(Set(header).count, header.count, "no column twice")
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0.components(separatedBy: ",").count == header.count })
        // The same command gives the same bytes: a stable order.
        XCTAssertEqual(try helper.run(["export", "--db", db, "--format", "csv"], executable: binary).stdout, csv.stdout)

        let jsonl = try helper.run(["export", "--db", db, "--format", "jsonl"], executable: binary)
        let objects = try jsonl.stdout.split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(objects.count, 2)
        XCTAssertEqual(Set(objects[0].keys), Set(header))

        let out = helper.folder.appendingPathComponent("all.json")
        let crops = helper.folder.appendingPathComponent("crops")
        let json = try helper.run(["export", "--db", db, "--format", "json", "--out", out.path, "--crops", crops.path],
                                  executable: binary)
        XCTAssertEqual(json.status, 0, json.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
        XCTAssertEqual(document["schema"] as? String, "hattama.export/1")
        XCTAssertEqual(document["columns"] as? [String], header)
        XCTAssertEqual((document["rows"] as? [Any])?.count, 2)
        let uncertain = objects.reduce(0) { total, row in
            total + row.filter { $0.key.hasSuffix(".status") && $0.value as? String == "uncertain" }.count
        }
        let written = (try? FileManager.default.contentsOfDirectory(atPath: crops.path)) ?? []
        XCTAssertEqual(written.count, uncertain)
        XCTAssertTrue(written.allSatisfy { $0.hasSuffix(".png") })
    }

    func testCSVQuotingFollowsRFC4180() throws {
        // Paths with commas and quotes are quoted; the row still has as many cells as the header.
        let helper = try BatchHarness()
        let images = helper.folder.appendingPathComponent("odd, \"named\" folder")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: BinaryLocator.packageRoot.appendingPathComponent("testimages/printed/kz-2022-referendum-precinct-0000.png"),
            to: images.appendingPathComponent("протокол №1.png"))
        let db = helper.folder.appendingPathComponent("store.sqlite").path
        let binary = try BinaryLocator.hattama()
        XCTAssertEqual(try helper.run(["batch", images.path, "--db", db], executable: binary).status, 0)
        let csv = try helper.run(["export", "--db", db, "--format", "csv"], executable: binary).stdout
        XCTAssertTrue(csv.contains("\"\(helper.folder.path)/odd, \"\"named\"\" folder/протокол №1.png\""), csv)
    }
}
