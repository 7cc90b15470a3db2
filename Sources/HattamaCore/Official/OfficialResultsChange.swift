/// How one version of official results differs from an earlier one.
public struct OfficialResultsChange: Sendable, Equatable, CustomStringConvertible {
    /// Precincts in both whose values differ.
    public var changed: [String]
    public var added: [String]
    public var removed: [String]

    public init(from old: OfficialResults, to new: OfficialResults) {
        let before = Dictionary(old.precincts.map { ($0.id, $0.values) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.precincts.map { ($0.id, $0.values) }, uniquingKeysWith: { a, _ in a })
        changed = new.precincts.map(\.id).filter { before[$0] != nil && before[$0] != after[$0] }
        added = new.precincts.map(\.id).filter { before[$0] == nil }
        removed = old.precincts.map(\.id).filter { after[$0] == nil }
    }

    public var isEmpty: Bool { changed.isEmpty && added.isEmpty && removed.isEmpty }

    public var description: String {
        if isEmpty { return "same values (the file's bytes differ)" }
        func list(_ ids: [String]) -> String { ids.prefix(20).joined(separator: ", ") + (ids.count > 20 ? ", …" : "") }
        var parts: [String] = []
        if !changed.isEmpty { parts.append("\(changed.count) precincts with other values (\(list(changed)))") }
        if !added.isEmpty { parts.append("\(added.count) added (\(list(added)))") }
        if !removed.isEmpty { parts.append("\(removed.count) removed (\(list(removed)))") }
        return parts.joined(separator: "; ")
    }
}
