import Foundation
import Yams

/// Reads template and election YAML files, turning every mistake into a `TemplateError` with its line.
public enum TemplateLoader {
    /// Decodes and validates the template at `url`; the first problem is thrown.
    public static func loadTemplate(at url: URL) throws(TemplateError) -> FormTemplate {
        let (template, node): (FormTemplate, Node) = try decode(at: url)
        if let first = TemplateValidator.problems(in: template).first {
            throw located(first, file: url.path, node: node)
        }
        return template
    }

    /// Every problem of the template at `url` (empty when it is valid), each with its line.
    public static func check(templateAt url: URL, elections: [String: Election] = [:]) -> [TemplateError] {
        let template: FormTemplate, node: Node
        do {
            (template, node) = try decode(at: url)
        } catch {
            return [error]
        }
        return TemplateValidator.problems(in: template, elections: elections).map { located($0, file: url.path, node: node) }
    }

    /// Decodes the election file at `url`.
    public static func loadElection(at url: URL) throws(TemplateError) -> Election {
        let (election, node): (Election, Node) = try decode(at: url)
        var seen = Set<String>()
        for (index, choice) in election.choices.enumerated() where !seen.insert(choice.key).inserted {
            throw located(TemplateError(file: url.path, path: "choices[\(index)].key",
                                        problem: "key \(choice.key) appears twice"), file: url.path, node: node)
        }
        return election
    }

    private static func decode<T: Decodable>(at url: URL) throws(TemplateError) -> (T, Node) {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw TemplateError(file: url.path, path: "", problem: "cannot read the file (\(error.localizedDescription)); check the path")
        }
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                throw TemplateError(file: url.path, path: "", problem: "the file is empty")
            }
            node = composed
        } catch let error as TemplateError {
            throw error
        } catch let error as YamlError {
            throw TemplateError(file: url.path, line: yamlLine(error), path: "", problem: "not valid YAML: \(error)")
        } catch {
            throw TemplateError(file: url.path, path: "", problem: "not valid YAML: \(error)")
        }
        do {
            let value = try YAMLDecoder().decode(T.self, from: node)
            return (value, node)
        } catch let error as DecodingError {
            throw located(describe(error, file: url.path), file: url.path, node: node)
        } catch {
            throw TemplateError(file: url.path, path: "", problem: "\(error)")
        }
    }

    private static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func describe(_ error: DecodingError, file: String) -> TemplateError {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            return TemplateError(file: file, path: path(context.codingPath),
                                 problem: "missing `\(key.stringValue)` (see docs/templates.md)")
        case .typeMismatch(_, let context), .dataCorrupted(let context):
            return TemplateError(file: file, path: path(context.codingPath), problem: context.debugDescription)
        case .valueNotFound(_, let context):
            return TemplateError(file: file, path: path(context.codingPath), problem: "a value is required here")
        @unknown default:
            return TemplateError(file: file, path: "", problem: "\(error)")
        }
    }

    /// Adds the file name and the line of `error.path` inside `node`.
    static func located(_ error: TemplateError, file: String, node: Node) -> TemplateError {
        var located = error
        located.file = file
        if located.line == nil { located.line = line(of: error.path, in: node) }
        return located
    }

    /// The 1-based line of the deepest node reachable along `path` (like `fields[2].cells.count`).
    static func line(of path: String, in root: Node) -> Int? {
        var node = root
        var best = root.mark?.line
        let tokens = path.replacingOccurrences(of: "[", with: ".[").split(separator: ".").map(String.init)
        for token in tokens where !token.isEmpty {
            if token.hasPrefix("["), let index = Int(token.dropFirst().dropLast()) {
                guard let sequence = node.sequence, index < sequence.count else { break }
                node = sequence[index]
            } else {
                guard let mapping = node.mapping, let child = mapping[token] else { break }
                node = child
            }
            if let line = node.mark?.line { best = line }
        }
        return best
    }
}
