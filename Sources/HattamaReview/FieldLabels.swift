import Foundation
import HattamaCore

/// Each field's printed label (kk/ru/en) by form and key, from the installed templates.
struct FieldLabels: Sendable {
    private let labels: [String: [String: LocalizedText]]

    /// Labels of every template in `seedsFolder` bound to its default election; templates that fail to load
    /// are skipped (their fields show their key).
    init(seedsFolder: URL?) {
        guard let seedsFolder, let catalog = try? TemplateCatalog(seedsDirectory: seedsFolder) else {
            labels = [:]
            return
        }
        var labels: [String: [String: LocalizedText]] = [:]
        for template in catalog.templates {
            guard let form = try? catalog.resolve(formID: template.id) else { continue }
            labels[template.id] = Dictionary(form.fields.map { ($0.key, $0.label) }, uniquingKeysWith: { first, _ in first })
        }
        self.labels = labels
    }

    /// The label of `key` on `formID`; the key itself in every language when unknown.
    func label(formID: String?, key: String) -> LocalizedText {
        if let formID, let text = labels[formID]?[key], !text.texts.isEmpty { return text }
        return LocalizedText(["kk": key, "ru": key, "en": key])
    }
}
