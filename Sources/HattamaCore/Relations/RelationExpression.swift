/// A parsed control relation: `left OP right`, each side a signed sum of terms.
public struct RelationExpression: Sendable, Equatable {
    /// The comparison between the two sides.
    public enum Comparison: String, Sendable, Equatable {
        case equal = "==", greaterOrEqual = ">=", lessOrEqual = "<=", greater = ">", less = "<"

        func holds(_ left: Int, _ right: Int) -> Bool {
            switch self {
            case .equal: return left == right
            case .greaterOrEqual: return left >= right
            case .lessOrEqual: return left <= right
            case .greater: return left > right
            case .less: return left < right
            }
        }
    }

    /// One term of a sum.
    public indirect enum Term: Sendable, Equatable {
        case key(String)
        case number(Int)
        /// Every field whose key starts with the prefix (written `sum(prefix.*)`).
        case sum(prefix: String)
        /// Placeholder for each matching field (written `each(prefix.*)`), expanded before evaluation.
        case each(prefix: String)
        case group(Sum)
    }

    /// Terms with their signs.
    public struct Sum: Sendable, Equatable {
        public var terms: [(sign: Int, term: Term)]

        public static func == (lhs: Sum, rhs: Sum) -> Bool {
            lhs.terms.count == rhs.terms.count
                && zip(lhs.terms, rhs.terms).allSatisfy { $0.sign == $1.sign && $0.term == $1.term }
        }
    }

    public var left: Sum
    public var comparison: Comparison
    public var right: Sum
}

/// Why a relation could not be parsed, with the column where the parser stopped.
public struct RelationSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var expression: String
    public var column: Int
    public var problem: String

    public var description: String {
        "cannot parse relation \"\(expression)\" at column \(column): \(problem)"
    }
}
