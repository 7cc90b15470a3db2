/// A problem in a template or election file, located by file, line and path inside the document.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// Where in the document, like `fields[3].cells.count`.
    public var path: String
    public var problem: String

    public init(file: String, line: Int? = nil, path: String, problem: String) {
        self.file = file
        self.line = line
        self.path = path
        self.problem = problem
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return path.isEmpty ? "\(location): \(problem)" : "\(location): \(path): \(problem)"
    }
}
