import Foundation
import HattamaCore
import HattamaImaging
import HattamaStore

/// Writes a PNG of every uncertain field's box, cut from the stored original image and turned upright, for people to check.
final class ExportCrops {
    let folder: URL
    private(set) var written = 0
    private(set) var failures: [String] = []

    init(folder path: String) throws {
        folder = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Name of a crop file: first 12 hex digits of the image hash, page, field key.
    static func fileName(sha256: String, page: Int, key: String) -> String {
        let safeKey = String(key.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        return "\(sha256.prefix(12))-p\(page)-\(safeKey).png"
    }

    func cropUncertainFields(of stored: StoredRecord, imageURL: URL) {
        let uncertain = stored.record.fields.filter { $0.status == .uncertain && $0.box != nil }
        guard !uncertain.isEmpty else { return }
        let page: GrayImage
        do {
            let pages = try ImageDecoder.decodePages(at: imageURL)
            guard let match = pages.first(where: { $0.page == stored.record.source.page }) else {
                failures.append("\(imageURL.path): page \(stored.record.source.page) not found")
                return
            }
            page = match.image
        } catch {
            failures.append("\(imageURL.path): \(error.description)")
            return
        }
        for field in uncertain {
            guard let box = field.box else { continue }
            let crop = FieldCrop.upright(from: page, box: box, quarterTurns: stored.record.registration?.quarterTurns ?? 0)
            let url = folder.appendingPathComponent(Self.fileName(sha256: stored.imageSHA256, page: stored.record.source.page, key: field.key))
            do {
                try ImageWriter.writePNG(crop, to: url)
                written += 1
            } catch {
                failures.append("\(url.path): \(error.description)")
            }
        }
    }
}
