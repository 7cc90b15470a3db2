import Foundation

/// The installed templates and elections, read from a seeds folder (`seeds/forms`, `seeds/elections`).
public struct TemplateCatalog: Sendable {
    public let templates: [FormTemplate]
    public let elections: [String: Election]

    /// Loads every `*.yaml` under `seeds/forms` and `seeds/elections`; a broken file is an error naming it.
    public init(seedsDirectory: URL) throws(TemplateError) {
        let elections = try Self.yamlFiles(in: seedsDirectory.appendingPathComponent("elections"))
            .map { url throws(TemplateError) in try TemplateLoader.loadElection(at: url) }
        self.elections = Dictionary(elections.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        templates = try Self.yamlFiles(in: seedsDirectory.appendingPathComponent("forms"))
            .map { url throws(TemplateError) in try TemplateLoader.loadTemplate(at: url) }
    }

    public init(templates: [FormTemplate], elections: [Election]) {
        self.templates = templates
        self.elections = Dictionary(elections.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The template with this id.
    public func template(_ id: String) -> FormTemplate? { templates.first { $0.id == id } }

    /// Binds a template to an election (its default one unless `electionID` is given).
    public func resolve(formID: String, electionID: String? = nil) throws(TemplateError) -> ResolvedForm {
        guard let template = template(formID) else {
            let known = templates.map(\.id).sorted().joined(separator: ", ")
            throw TemplateError(file: formID, path: "", problem: "no such form; installed forms: \(known)")
        }
        let id = electionID ?? template.defaultElection
        var election: Election?
        if let id {
            guard let found = elections[id] else {
                let known = elections.keys.sorted().joined(separator: ", ")
                throw TemplateError(file: id, path: "", problem: "no such election; installed elections: \(known)")
            }
            election = found
        }
        return try ResolvedForm(template: template, election: election)
    }

    /// Finds the seeds folder: `$HATTAMA_SEEDS`, `./seeds`, or `seeds` beside or above the executable.
    public static func locateSeeds(executablePath: String = CommandLine.arguments.first ?? "") -> URL? {
        let fm = FileManager.default
        func hasForms(_ url: URL) -> Bool { fm.fileExists(atPath: url.appendingPathComponent("forms").path) }
        if let env = ProcessInfo.processInfo.environment["HATTAMA_SEEDS"] { return URL(fileURLWithPath: env) }
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("seeds")
        if hasForms(cwd) { return cwd }
        var dir = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("seeds")
            if hasForms(candidate) { return candidate }
            let shared = dir.appendingPathComponent("share/hattama/seeds")
            if hasForms(shared) { return shared }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    private static func yamlFiles(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }
}
