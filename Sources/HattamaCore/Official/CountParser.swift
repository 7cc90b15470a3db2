import Foundation

/// Reads a published vote count: plain digits, or digits grouped in thousands by the mark the mapping
/// declares (auto: a space or apostrophe always; `,` or `.` when the file uses only one of them as a group mark).
struct CountParser {
    /// The group marks accepted, by kind.
    let accepted: Set<GroupMark>
    let style: ThousandsStyle

    enum GroupMark: Hashable {
        case space, comma, dot, apostrophe

        init?(_ c: Character) {
            switch c {
            case ",": self = .comma
            case ".": self = .dot
            case "'", "’": self = .apostrophe
            default:
                if c.unicodeScalars.allSatisfy({ CharacterSet.whitespaces.contains($0) }) { self = .space } else { return nil }
            }
        }

        var example: String {
            switch self {
            case .space: return "1 234"
            case .comma: return "1,234"
            case .dot: return "1.234"
            case .apostrophe: return "1'234"
            }
        }
    }

    /// A parser for the style; for `auto`, `cells` (every numeric cell of the file) decide whether `,` and
    /// `.` are group marks. Returns the ambiguity message when the file uses both.
    static func make(style: ThousandsStyle, cells: [String]) -> (CountParser, ambiguity: String?) {
        switch style {
        case .none: return (CountParser(accepted: [], style: style), nil)
        case .space: return (CountParser(accepted: [.space], style: style), nil)
        case .comma: return (CountParser(accepted: [.comma], style: style), nil)
        case .dot: return (CountParser(accepted: [.dot], style: style), nil)
        case .apostrophe: return (CountParser(accepted: [.apostrophe], style: style), nil)
        case .auto:
            var used: Set<GroupMark> = []
            for cell in cells {
                if case .grouped(let mark, _) = shape(of: trimmed(cell)) { used.insert(mark) }
            }
            if used.contains(.comma) && used.contains(.dot) {
                // The file fails on this one message; cells are not each reported again.
                return (CountParser(accepted: used.union([.space, .apostrophe]), style: style),
                        "the file groups thousands both as 1,234 and as 1.234, so neither is certain; "
                            + "declare `thousands: comma` or `thousands: dot` in the mapping")
            }
            return (CountParser(accepted: used.union([.space, .apostrophe]), style: style), nil)
        }
    }

    /// The count, or why the cell is not one.
    func parse(_ raw: String) -> Result<Int, CountProblem> {
        let text = Self.trimmed(raw)
        if text.isEmpty { return .failure(.empty) }
        if let first = text.first, first == "-" || first == "−" {
            if case .failure = parse(String(text.dropFirst())) { return .failure(.notNumber(text)) }
            return .failure(.negative(text))
        }
        switch Self.shape(of: text) {
        case .plain(let n): return .success(n)
        case .grouped(let mark, let n):
            guard accepted.contains(mark) else {
                return .failure(.notNumber(text + " (groups thousands as \(mark.example), but the mapping says thousands: \(style.rawValue))"))
            }
            return .success(n)
        case .fraction: return .failure(.notWhole(text))
        case .other: return .failure(.notNumber(text))
        }
    }

    enum Shape {
        case plain(Int)
        case grouped(GroupMark, Int)
        case fraction
        case other
    }

    static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }

    static func shape(of text: String) -> Shape {
        if !text.isEmpty, text.allSatisfy(\.isASCIIDigit) {
            return Int(text).map(Shape.plain) ?? .other
        }
        var groups: [String] = [""]
        var mark: GroupMark?
        for c in text {
            if c.isASCIIDigit { groups[groups.count - 1].append(c); continue }
            guard let m = GroupMark(c), mark == nil || mark == m else { return .other }
            mark = m
            groups.append("")
        }
        guard let mark, groups.allSatisfy({ !$0.isEmpty }) else { return .other }
        if groups.count >= 2, (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }),
           let n = Int(groups.joined()) {
            return .grouped(mark, n)
        }
        if groups.count == 2, mark == .comma || mark == .dot { return .fraction }
        return .other
    }
}

/// Why a cell is not a count.
enum CountProblem: Error, Equatable {
    case empty
    case negative(String)
    case notWhole(String)
    case notNumber(String)

    var message: String {
        switch self {
        case .empty: return "empty cell; a count is required (write 0 for none)"
        case .negative(let s): return "negative number \(s); counts cannot be negative"
        case .notWhole(let s): return "\(s) is not a whole number of votes"
        case .notNumber(let s): return "not a number: \(s)"
        }
    }
}
