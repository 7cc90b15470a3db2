import Foundation

/// An RFC 4180 table: quoted fields (with `""` for a quote, separators and line breaks inside), CRLF or LF
/// line ends, a UTF-8 byte order mark ignored, the separator given or detected from the header row.
struct CSVTable {
    /// The rows, each with the 1-based line of the file on which it starts.
    var rows: [(line: Int, cells: [String])]
    var separator: Character

    /// Splits `text` into rows; a quote left open at the end of the file is an error message.
    static func parse(_ text: String, separator choice: SeparatorChoice) -> Result<CSVTable, CSVError> {
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        let separator = choice == .auto ? detectSeparator(body) : character(choice)
        var rows: [(line: Int, cells: [String])] = []
        var cells: [String] = []
        var cell = ""
        var line = 1
        var rowLine = 1
        var inQuotes = false
        var quotedLine = 0
        var index = body.startIndex
        var rowHasContent = false
        while index < body.endIndex {
            let c = body[index]
            index = body.index(after: index)
            if inQuotes {
                if c == "\"" {
                    if index < body.endIndex, body[index] == "\"" {
                        cell.append("\"")
                        index = body.index(after: index)
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    cell.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                inQuotes = true
                quotedLine = line
                rowHasContent = true
            case separator:
                cells.append(cell)
                cell = ""
                rowHasContent = true
            case "\n", "\r\n", "\r":
                cells.append(cell)
                if rowHasContent || cells.count > 1 || !cell.isEmpty { rows.append((rowLine, cells)) }
                cells = []
                cell = ""
                rowHasContent = false
                line += 1
                rowLine = line
            default:
                cell.append(c)
                rowHasContent = true
            }
        }
        if inQuotes { return .failure(CSVError(message: "a quoted cell opened on line \(quotedLine) is never closed")) }
        cells.append(cell)
        if rowHasContent || cells.count > 1 || !cell.isEmpty { rows.append((rowLine, cells)) }
        return .success(CSVTable(rows: rows, separator: separator))
    }

    static func character(_ choice: SeparatorChoice) -> Character {
        switch choice {
        case .semicolon: return ";"
        case .tab: return "\t"
        case .comma, .auto: return ","
        }
    }

    /// The separator occurring most often outside quotes on the header line (`,` on a tie or none).
    static func detectSeparator(_ text: Substring) -> Character {
        var counts: [Character: Int] = [",": 0, ";": 0, "\t": 0]
        var inQuotes = false
        for c in text {
            if c == "\"" { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if c == "\n" || c == "\r\n" || c == "\r" { break }
            if counts[c] != nil { counts[c]! += 1 }
        }
        let best = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key != "," }
        return (best?.value ?? 0) > counts[","]! ? best!.key : ","
    }
}

/// A table that cannot be split into rows.
struct CSVError: Error {
    var message: String
}
