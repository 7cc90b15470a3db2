import Foundation
import HattamaStore

/// Why an entry was refused before it reached the store.
enum EntryProblem: Error, Equatable, Sendable {
    case empty
    case notANumber(String)
    case negative(String)
    case aboveUpperBound(value: Int, bound: Int)
    case absurd(value: String, limit: Int)
    case unknownMark(String)

    /// Translation key and values of the message pages show.
    var text: (key: String, values: [String: String]) {
        switch self {
        case .empty: return ("error_empty", [:])
        case .notANumber(let text): return ("error_not_number", ["value": text])
        case .negative(let text): return ("error_negative", ["value": text])
        case .aboveUpperBound(let value, let bound): return ("error_above_bound", ["value": "\(value)", "bound": "\(bound)"])
        case .absurd(let value, let limit): return ("error_absurd", ["value": value, "bound": "\(limit)"])
        case .unknownMark: return ("error_bad_mark", [:])
        }
    }

    /// The message of the JSON API.
    var message: String {
        switch self {
        case .empty: return "nothing entered: send {\"value\": N} or {\"mark\": \"illegible\"|\"not_a_protocol\"}"
        case .notANumber(let text): return "\"\(text)\" is not a number: send digits only"
        case .negative(let text): return "\(text) is negative: protocol counts are never below zero"
        case .aboveUpperBound(let value, let bound):
            return "\(value) is more than this field can hold: at most \(bound) (for example the voters on the list); "
                + "if the protocol really says \(value), send it again with \"confirm\": true"
        case .absurd(let value, let limit): return "\(value) is impossible for one precinct: at most \(limit)"
        case .unknownMark(let mark): return "unknown mark \"\(mark)\": use illegible or not_a_protocol"
        }
    }

    var failure: ReviewFailure {
        let text = self.text
        return .badRequest(message, textKey: text.key, values: text.values)
    }
}

/// Turns what a person typed (or an API client sent) into an entry, refusing what cannot be a count.
struct EntryParser: Sendable {
    /// Entries above this are absurd when the field has no upper bound.
    var absurdValue: Int

    /// Parses a typed value or a mark; `upperBound` is the field's limit when the store knows it.
    func parse(value: String?, mark: String?, upperBound: Int?) -> Result<ReviewEntryValue, EntryProblem> {
        if let mark = mark?.trimmingCharacters(in: .whitespaces), !mark.isEmpty {
            switch mark {
            case "illegible": return .success(.illegible)
            case "not_a_protocol", "not-a-protocol": return .success(.notAProtocol)
            default: return .failure(.unknownMark(mark))
            }
        }
        let typed = (value ?? "").filter { !$0.isWhitespace }
        guard !typed.isEmpty else { return .failure(.empty) }
        let isNegative = typed.hasPrefix("-") || typed.hasPrefix("\u{2212}")
        let digits = isNegative ? String(typed.dropFirst()) : typed
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure(.notANumber(String(typed.prefix(40))))
        }
        if isNegative { return .failure(.negative(String(typed.prefix(40)))) }
        guard digits.count <= 12, let number = Int(digits) else {
            return .failure(.absurd(value: String(digits.prefix(40)), limit: absurdValue))
        }
        return check(number, upperBound: upperBound)
    }

    /// Parses the body of `POST /api/v1/assignments/{id}/entry`, whose value should be a whole number but may
    /// arrive as a string.
    func parse(json body: EntryBody, upperBound: Int?) -> Result<ReviewEntryValue, EntryProblem> {
        if let mark = body.mark {
            guard case .text(let text) = mark else { return .failure(.unknownMark(mark.shown)) }
            return parse(value: nil, mark: text, upperBound: upperBound)
        }
        switch body.value {
        case nil:
            return .failure(.empty)
        case .integer(let number):
            if number < 0 { return .failure(.negative("\(number)")) }
            return check(number, upperBound: upperBound)
        case .fraction(let number):
            guard number.isFinite, number == number.rounded() else { return .failure(.notANumber("\(number)")) }
            if number < 0 { return .failure(.negative("\(number)")) }
            return .failure(.absurd(value: "\(number)", limit: absurdValue))
        case .text(let text):
            return parse(value: text, mark: nil, upperBound: upperBound)
        case .other(let shown):
            return .failure(.notANumber(shown))
        }
    }

    private func check(_ number: Int, upperBound: Int?) -> Result<ReviewEntryValue, EntryProblem> {
        if let upperBound, number > upperBound { return .failure(.aboveUpperBound(value: number, bound: upperBound)) }
        if number > absurdValue { return .failure(.absurd(value: "\(number)", limit: absurdValue)) }
        return .success(.number(number))
    }
}

/// The JSON body of an API entry: `{"value": 123}` or `{"mark": "illegible"}`.
struct EntryBody: Decodable, Sendable {
    var value: JSONScalar?
    var mark: JSONScalar?
    /// True when the person insists the protocol says a value above the field's bound (the form itself is
    /// then inconsistent, which is a finding worth recording, not a typo to refuse).
    var confirm: Bool?
}

/// A JSON value as sent, kept apart so each kind gets its own message.
enum JSONScalar: Decodable, Sendable {
    case integer(Int)
    case fraction(Double)
    case text(String)
    case other(String)

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .integer(number)
        } else if let number = try? container.decode(Double.self) {
            self = .fraction(number)
        } else if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let flag = try? container.decode(Bool.self) {
            self = .other("\(flag)")
        } else {
            self = .other("a JSON array or object")
        }
    }

    var shown: String {
        switch self {
        case .integer(let number): return "\(number)"
        case .fraction(let number): return "\(number)"
        case .text(let text): return text
        case .other(let shown): return shown
        }
    }
}
