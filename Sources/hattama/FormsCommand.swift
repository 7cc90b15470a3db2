import ArgumentParser
import Foundation
import HattamaCore

/// `hattama forms`: list and check templates.
struct FormsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forms",
        abstract: "List installed form templates, or check a template file.",
        subcommands: [List.self, Check.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the installed templates and elections.")

        @Option(help: "Templates folder (default: seeds/ of the project).")
        var seeds: String?

        func run() throws {
            let catalog = try Environment.catalog(seeds: seeds)
            for template in catalog.templates.sorted(by: { $0.id < $1.id }) {
                let fields = template.fields.filter { !$0.isRepeatedPerChoice }.count
                let repeated = template.fields.contains(where: \.isRepeatedPerChoice) ? " + a row per choice" : ""
                print("\(template.id)  v\(template.version)  \(template.country ?? "")  \(fields) fields\(repeated), "
                      + "\(template.relations.count) relations  elections: \((template.elections ?? []).joined(separator: ", "))")
                print("    \(template.title.text(in: "en"))")
            }
            for election in catalog.elections.values.sorted(by: { $0.id < $1.id }) {
                print("election \(election.id)  \(election.date ?? "")  \(election.choices.count) choices  \(election.title.text(in: "en"))")
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate template files; print each problem with file and line.")

        @Argument(help: "Template YAML files.")
        var files: [String]

        @Option(help: "Templates folder whose elections the templates refer to (default: seeds/ of the project).")
        var seeds: String?

        func run() throws {
            let elections = (try? Environment.catalog(seeds: seeds).elections) ?? [:]
            var failed = false
            for file in files {
                let problems = TemplateLoader.check(templateAt: URL(fileURLWithPath: file), elections: elections)
                if problems.isEmpty {
                    print("\(file): ok")
                } else {
                    failed = true
                    for problem in problems { print(problem.description) }
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
