/// Parses the relation grammar of docs/templates.md into a `RelationExpression`.
public enum RelationParser {
    /// Parses `text`, throwing a `RelationSyntaxError` that names the column of the problem.
    public static func parse(_ text: String) throws(RelationSyntaxError) -> RelationExpression {
        var scanner = Scanner(text: text)
        let left = try scanner.parseSum()
        let comparison = try scanner.parseComparison()
        let right = try scanner.parseSum()
        scanner.skipSpaces()
        guard scanner.isAtEnd else { throw scanner.error("unexpected text after the right-hand side") }
        return RelationExpression(left: left, comparison: comparison, right: right)
    }

    private struct Scanner {
        let text: String
        let characters: [Character]
        var index = 0

        init(text: String) {
            self.text = text
            self.characters = Array(text)
        }

        var isAtEnd: Bool { index >= characters.count }

        func error(_ problem: String) -> RelationSyntaxError {
            RelationSyntaxError(expression: text, column: index + 1, problem: problem)
        }

        mutating func skipSpaces() {
            while !isAtEnd, characters[index].isWhitespace { index += 1 }
        }

        mutating func consume(_ literal: String) -> Bool {
            skipSpaces()
            let chars = Array(literal)
            guard index + chars.count <= characters.count,
                  Array(characters[index..<(index + chars.count)]) == chars else { return false }
            index += chars.count
            return true
        }

        mutating func parseComparison() throws(RelationSyntaxError) -> RelationExpression.Comparison {
            for candidate in ["==", ">=", "<=", ">", "<"] where consume(candidate) {
                return RelationExpression.Comparison(rawValue: candidate)!
            }
            throw error("expected one of == >= <= > <")
        }

        mutating func parseSum() throws(RelationSyntaxError) -> RelationExpression.Sum {
            var terms: [(sign: Int, term: RelationExpression.Term)] = []
            var sign = 1
            if consume("-") { sign = -1 }
            terms.append((sign, try parseTerm()))
            while true {
                if consume("+") {
                    terms.append((1, try parseTerm()))
                } else if consume("-") {
                    terms.append((-1, try parseTerm()))
                } else {
                    return RelationExpression.Sum(terms: terms)
                }
            }
        }

        mutating func parseTerm() throws(RelationSyntaxError) -> RelationExpression.Term {
            skipSpaces()
            guard !isAtEnd else { throw error("expected a key, a number, sum(...) or each(...)") }
            if consume("(") {
                let inner = try parseSum()
                guard consume(")") else { throw error("expected )") }
                return .group(inner)
            }
            let start = index
            while !isAtEnd, characters[index].isNumber { index += 1 }
            if index > start {
                return .number(Int(String(characters[start..<index]))!)
            }
            let word = readKey()
            guard !word.isEmpty else { throw error("expected a key, a number, sum(...) or each(...)") }
            if word == "sum" || word == "each" {
                guard consume("(") else { throw error("expected ( after \(word)") }
                skipSpaces()
                let pattern = readKey()
                guard pattern.hasSuffix(".*"), pattern.count > 2 else {
                    throw error("\(word)(...) takes a key prefix ending in .*, like votes.*")
                }
                guard consume(")") else { throw error("expected ) after \(pattern)") }
                let prefix = String(pattern.dropLast(1))
                return word == "sum" ? .sum(prefix: prefix) : .each(prefix: prefix)
            }
            return .key(word)
        }

        mutating func readKey() -> String {
            let start = index
            while !isAtEnd {
                let c = characters[index]
                guard c.isLetter || c.isNumber || c == "_" || c == "." || c == "*" else { break }
                index += 1
            }
            return String(characters[start..<index])
        }
    }
}
