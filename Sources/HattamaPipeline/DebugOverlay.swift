import Foundation
import HattamaCore
import HattamaImaging

/// Draws the template's boxes, as registered, over the page: green for accepted fields, orange for
/// uncertain ones, blue for the registration marks. Lets a person see at once whether the boxes land.
enum DebugOverlay {
    static func write(image: GrayImage, form: ResolvedForm, registration: PageRegistration, record: ProtocolRecord,
                      into directory: URL) {
        var canvas = RGBImage(gray: image)
        let h = registration.homography
        let thickness = max(1, max(image.width, image.height) / 900)
        for mark in form.template.registration.marks ?? [] {
            let rect = TemplateRect(x: mark.x - mark.width / 2, y: mark.y - mark.height / 2, width: mark.width, height: mark.height)
            canvas.drawPolygon(points: h.corners(of: rect), color: .blue, thickness: thickness + 1)
        }
        for field in form.fields {
            let status = record.field(field.key)?.status
            let color: RGBColor = status == .accepted ? .green : .orange
            for rect in field.cells?.boxes ?? [field.valueRect] {
                canvas.drawPolygon(points: h.corners(of: rect), color: color, thickness: thickness)
            }
            if let words = field.words {
                canvas.drawPolygon(points: h.corners(of: words), color: .blue.withAlpha(0.6), thickness: thickness)
            }
        }
        let name = URL(fileURLWithPath: record.source.path).deletingPathExtension().lastPathComponent
        let suffix = record.source.page > 1 ? "-p\(record.source.page)" : ""
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? ImageWriter.writePNG(canvas, to: directory.appendingPathComponent("\(name)\(suffix).overlay.png"))
    }
}
