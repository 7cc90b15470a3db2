import Foundation
import HattamaCore
import HattamaPipeline

/// Writes records as JSON Lines, as files, or as a summary a person can read on a terminal.
enum RecordOutput {
    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func emit(_ record: ProtocolRecord, summary: Bool, outDirectory: URL?) {
        if let outDirectory {
            let name = URL(fileURLWithPath: record.source.path).deletingPathExtension().lastPathComponent
            let suffix = record.source.page > 1 ? "-p\(record.source.page)" : ""
            let url = outDirectory.appendingPathComponent("\(name)\(suffix).json")
            do {
                try encoder(pretty: true).encode(record).write(to: url, options: .atomic)
            } catch {
                Environment.printError("hattama: cannot write \(url.path): \(error.localizedDescription)")
            }
        }
        if summary {
            print(SummaryText.render(record))
        } else if outDirectory == nil, let data = try? encoder(pretty: false).encode(record) {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } else if outDirectory != nil {
            print("\(record.source.path)\t\(record.form?.id ?? "-")\t\(record.status.rawValue)")
        }
    }
}

/// The terminal summary of one record: fields, statuses and failed relations.
enum SummaryText {
    static func render(_ record: ProtocolRecord) -> String {
        var lines: [String] = []
        let precinct = record.precinct.map { "precinct \($0)" } ?? "precinct unread"
        lines.append("\(record.source.path)  \(record.form?.id ?? "-")  \(precinct)  → \(record.status.rawValue.uppercased())")
        lines.append("  line  key                              value     status     conf  reasons")
        for field in record.fields {
            let value = field.value?.description ?? "—"
            let reasons = field.reasons.joined(separator: ", ")
            let suggestion = field.suggestion.map { "  (suggested \($0.value) from \($0.relation))" } ?? ""
            lines.append("  " + pad(String(field.line), 4, right: true) + "  " + pad(field.key, 32) + " "
                         + pad(value, 9, right: true) + "  " + pad(field.status.rawValue, 10)
                         + String(format: " %.2f", field.confidence) + "  " + reasons + suggestion)
        }
        let failed = record.relations.filter { $0.holds == false }
        let undecided = record.relations.filter { $0.holds == nil }.count
        lines.append("  relations: \(record.relations.count - failed.count - undecided) hold, \(failed.count) fail, \(undecided) undecided")
        for relation in failed {
            lines.append("    FAILS \(relation.id): \(relation.expression)  (\(relation.left ?? 0) vs \(relation.right ?? 0))")
        }
        for relation in record.relations {
            guard let verdict = relation.arithmetic, let explanation = ArithmeticVerdict.explanation(of: verdict) else { continue }
            lines.append("    NOT SETTLED \(relation.id): \(explanation) (\(verdict))")
        }
        return lines.joined(separator: "\n")
    }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let count = s.count
        guard count < width else { return s }
        let fill = String(repeating: " ", count: width - count)
        return right ? fill + s : s + fill
    }
}
