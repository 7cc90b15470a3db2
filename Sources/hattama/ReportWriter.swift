import Foundation
import HattamaCore
import HattamaImaging

/// Writes a verification report folder: report.json, index.html, crops/ of the fields behind each finding
/// and images/ with a copy of each photo behind a finding, so the folder opens from disk anywhere.
final class ReportWriter {
    let folder: URL
    private(set) var failures: [String] = []

    init(folder path: String) throws {
        folder = URL(fileURLWithPath: path)
        for sub in ["", "crops", "images"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
    }

    /// Writes everything; `imageURLs` gives the stored original of each image hash.
    func write(_ report: ComparisonReport, imageURLs: [String: URL]) throws {
        var crops: [String: [String: String]] = [:]
        var images: [String: String] = [:]
        let shown: Set<PrecinctClass> = [.discrepancy, .formDefect, .undecidable, .noReference]
        for row in report.precincts where shown.contains(row.classification) {
            guard let image = row.protocol?.image, let url = imageURLs[image.sha256] else { continue }
            if let copy = copyImage(url, sha256: image.sha256) { images[row.precinct] = copy }
            guard row.classification != .noReference else { continue }
            let fields = row.fields.filter { $0.classification != .match && $0.classification != .unpaired && $0.protocol?.box != nil }
            guard !fields.isEmpty else { continue }
            crops[row.precinct] = cropFields(fields, precinct: row.precinct, image: image, url: url)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(report).write(to: folder.appendingPathComponent("report.json"), options: .atomic)
        let html = ComparisonHTML(crops: crops, images: images).render(report)
        try Data(html.utf8).write(to: folder.appendingPathComponent("index.html"), options: .atomic)
    }

    /// Relative paths of the PNG crops of `fields`, by key.
    func cropFields(_ fields: [FieldComparison], precinct: String, image: ImageReference, url: URL) -> [String: String] {
        let page: GrayImage
        do {
            guard let match = try ImageDecoder.decodePages(at: url).first(where: { $0.page == image.page }) else {
                failures.append("\(url.path): page \(image.page) not found")
                return [:]
            }
            page = match.image
        } catch {
            failures.append("\(url.path): \(error.description)")
            return [:]
        }
        var out: [String: String] = [:]
        for field in fields {
            guard let box = field.protocol?.box else { continue }
            let crop = FieldCrop.upright(from: page, box: box, quarterTurns: image.quarterTurns ?? 0)
            let name = "crops/\(Self.safe(precinct))-\(Self.safe(field.key)).png"
            do {
                try ImageWriter.writePNG(crop, to: folder.appendingPathComponent(name))
                out[field.key] = name
            } catch {
                failures.append("\(name): \(error.description)")
            }
        }
        return out
    }

    /// A copy (a hard link when possible) of the stored original, named by its hash.
    func copyImage(_ url: URL, sha256: String) -> String? {
        let ext = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        let name = "images/\(sha256.prefix(16))\(ext)"
        let target = folder.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: target.path) { return name }
        do {
            do { try FileManager.default.linkItem(at: url, to: target) } catch { try FileManager.default.copyItem(at: url, to: target) }
            return name
        } catch {
            failures.append("\(url.path): cannot copy the photo (\(error.localizedDescription))")
            return nil
        }
    }

    static func safe(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
    }
}
