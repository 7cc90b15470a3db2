import Foundation

/// Renders a comparison as one static HTML page that opens from disk: inline CSS, no scripts, no external
/// assets; crops and images are relative links the caller has written next to the page.
public struct ComparisonHTML {
    /// Relative path of the crop of a field, by precinct and field key.
    public var crops: [String: [String: String]]
    /// Relative path of the whole photo, by precinct.
    public var images: [String: String]

    public init(crops: [String: [String: String]] = [:], images: [String: String] = [:]) {
        self.crops = crops
        self.images = images
    }

    /// The page.
    public func render(_ report: ComparisonReport) -> String {
        let official = report.reference.kind == "official"
        let refName = official ? "Official" : "Reference"
        let s = report.summary
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>Hattama verification report</title>
            <style>
            body{font-family:"DejaVu Sans",Arial,sans-serif;margin:24px;color:#111;background:#fff;font-size:15px}
            h1{font-size:24px;margin:0 0 6px} h2{font-size:19px;margin:28px 0 8px;border-bottom:2px solid #333}
            h3{font-size:16px;margin:18px 0 6px}
            table{border-collapse:collapse;margin:6px 0} td,th{border:1px solid #555;padding:4px 10px;text-align:left;vertical-align:middle}
            th{background:#ddd} td.n{text-align:right;font-variant-numeric:tabular-nums}
            .summary td,.summary th{font-size:17px;padding:6px 14px}
            .bad{background:#f6c6c6} .warn{background:#f8e7b0} .ok{background:#cfe9cf} .muted{color:#555}
            img.crop{max-height:120px;max-width:360px;border:1px solid #999;background:#fff}
            .meta{color:#333;margin:2px 0}
            </style></head><body>
            <h1>Verification report</h1>
            <p class="meta">Protocols compared with \(esc(official ? "official results" : "another set of protocols")): \
            \(esc(report.reference.source))\(report.reference.version.map { ", version \($0)" } ?? "")\
            \(report.reference.importedAt.map { ", imported \(esc($0))" } ?? "")\
            \(report.reference.sha256.map { " <span class=\"muted\">(SHA-256 \(esc(String($0.prefix(16))))…)</span>" } ?? "")\
            \(report.reference.election.map { ". Election \(esc($0))" } ?? "").</p>
            <h2>Summary</h2>
            <table class="summary">
            <tr><th>Precincts compared</th><td class="n">\(s.compared)</td></tr>
            <tr class="\(s.discrepancies > 0 ? "bad" : "ok")"><th>Discrepancies (precincts / fields)</th><td class="n">\(s.discrepancies) / \(s.discrepantFields)</td></tr>
            <tr class="\(s.undecidable > 0 ? "warn" : "")"><th>Undecidable (review first)</th><td class="n">\(s.undecidable)</td></tr>
            <tr class="\(s.formDefects > 0 ? "bad" : "")"><th>Form defects (protocol's own arithmetic fails)</th><td class="n">\(s.formDefects)</td></tr>
            <tr class="\(s.coverageGaps > 0 ? "warn" : "")"><th>Coverage gaps: no protocol / no \(esc(refName.lowercased())) row</th><td class="n">\(s.noProtocol) / \(s.noReference)</td></tr>
            <tr class="ok"><th>Matching precincts</th><td class="n">\(s.matches)</td></tr>
            </table>

            """
        if !report.totals.isEmpty {
            html += "<h3>Totals over the \(s.compared) precincts with both (\(esc(refName.lowercased())) minus protocols)</h3>\n"
            html += "<table><tr><th>Field</th><th>\(refName)</th><th>Protocols</th><th>Difference</th><th>Precincts</th></tr>\n"
            for t in report.totals {
                html += "<tr class=\"\(t.difference != 0 ? "bad" : "")\"><td>\(esc(t.key))</td><td class=\"n\">\(t.reference)</td>"
                    + "<td class=\"n\">\(t.protocols)</td><td class=\"n\">\(signed(t.difference))</td><td class=\"n\">\(t.precincts)</td></tr>\n"
            }
            html += "</table>\n"
        }
        if !report.notes.isEmpty {
            html += "<h3>Notes</h3><ul>" + report.notes.map { "<li>\(esc($0))</li>" }.joined() + "</ul>\n"
        }
        let sections: [(PrecinctClass, String)] = [
            (.discrepancy, "Discrepancies: protocol read with certainty or confirmed, \(refName.lowercased()) value differs"),
            (.formDefect, "Form defects: the protocol's own relations fail"),
            (.undecidable, "Undecidable: differing fields still uncertain, review them first"),
        ]
        for (cls, title) in sections {
            let rows = report.precincts(cls)
            guard !rows.isEmpty else { continue }
            html += "<h2>\(esc(title)) (\(rows.count))</h2>\n"
            for row in rows { html += precinctSection(row, refName: refName) }
        }
        let noProtocol = report.precincts(.noProtocol), noReference = report.precincts(.noReference)
        if !noProtocol.isEmpty || !noReference.isEmpty {
            html += "<h2>Coverage gaps</h2>\n"
            if !noProtocol.isEmpty {
                html += "<p>In the \(esc(refName.lowercased())) data, no protocol digitized (\(noProtocol.count)): "
                    + noProtocol.map { esc($0.reference?.rawPrecinct ?? $0.precinct) + ($0.reference?.row.map { " (row \($0))" } ?? "") }
                        .joined(separator: ", ") + "</p>\n"
            }
            if !noReference.isEmpty {
                html += "<p>Protocols with no \(esc(refName.lowercased())) row (\(noReference.count)): "
                    + noReference.map { row in
                        let label = esc(row.protocol?.rawPrecinct ?? row.precinct)
                        return images[row.precinct].map { "<a href=\"\(esc($0))\">\(label)</a>" } ?? label
                    }.joined(separator: ", ") + "</p>\n"
            }
        }
        html += "<p class=\"muted\">hattama \(esc(HattamaVersion.string)), \(esc(ComparisonReport.schemaID)); machine-readable: report.json</p>\n"
        html += "</body></html>\n"
        return html
    }

    func precinctSection(_ row: PrecinctComparison, refName: String) -> String {
        var html = "<h3>Precinct \(esc(row.protocol?.rawPrecinct ?? row.precinct))"
        if let r = row.reference?.row { html += " <span class=\"muted\">(\(esc(refName.lowercased())) row \(r))</span>" }
        html += "</h3>\n"
        if let image = row.protocol?.image {
            let link = images[row.precinct].map { "<a href=\"\(esc($0))\">whole photo</a>" } ?? "photo"
            html += "<p class=\"meta\">\(link): \(esc(image.path)), page \(image.page), status \(esc(row.protocol?.status?.rawValue ?? "?"))</p>\n"
        }
        if let failed = row.protocol?.failedRelations, !failed.isEmpty {
            html += "<p class=\"meta\">Relations that fail on the form: " + failed.map { "<code>\(esc($0))</code>" }.joined(separator: ", ") + "</p>\n"
        }
        html += "<table><tr><th>Field</th><th>\(refName)</th><th>Protocol</th><th>Difference</th><th>Status</th><th>Confirmed by</th><th>Crop of the photo</th></tr>\n"
        for field in row.fields where field.classification != .match && field.classification != .unpaired {
            let css = field.classification == .discrepancy || field.classification == .formDefect ? "bad" : "warn"
            let crop = crops[row.precinct]?[field.key].map { "<img class=\"crop\" src=\"\(esc($0))\" alt=\"\(esc(field.key))\">" } ?? ""
            html += "<tr class=\"\(css)\"><td>\(esc(field.key))</td><td class=\"n\">\(field.reference?.value.map(String.init) ?? "–")</td>"
                + "<td class=\"n\">\(field.protocol?.value.map(String.init) ?? "–")</td><td class=\"n\">\(field.difference.map(signed) ?? "")</td>"
                + "<td>\(esc(field.protocol?.status?.rawValue ?? ""))</td><td>\(esc((field.protocol?.confirmedBy ?? []).joined(separator: ", ")))</td>"
                + "<td>\(crop)</td></tr>\n"
        }
        return html + "</table>\n"
    }

    func signed(_ n: Int) -> String { n > 0 ? "+\(n)" : String(n) }

    func esc(_ s: String) -> String { HTMLText.escape(s) }
}
