/// One field of a protocol record with its provenance: where it is, what each reader saw, and why it has
/// its status.
public struct FieldRecord: Sendable, Equatable, Codable {
    public var key: String
    public var line: Int
    public var kind: FieldKind
    public var value: FieldValue?
    public var status: FieldStatus
    /// 0-1: how sure the reading is; an accepted field is not accepted on this number alone.
    public var confidence: Double
    /// Why the field is not accepted (stable snake_case codes, some with `:detail`); empty when accepted.
    public var reasons: [String]
    /// The quadrilateral of the value cell in source image pixels, as its bounding box.
    public var box: ImageBox?
    /// What each reader saw.
    public var readings: [ReaderReading]
    /// Other values the readers found plausible, most likely first.
    public var alternatives: [Alternative]
    /// A value implied by a relation when this is the only uncertain field in it; for a person to confirm.
    public var suggestion: Suggestion?

    public init(key: String, line: Int, kind: FieldKind, value: FieldValue?, status: FieldStatus,
                confidence: Double, reasons: [String], box: ImageBox?, readings: [ReaderReading],
                alternatives: [Alternative] = [], suggestion: Suggestion? = nil) {
        self.key = key
        self.line = line
        self.kind = kind
        self.value = value
        self.status = status
        self.confidence = confidence
        self.reasons = reasons
        self.box = box
        self.readings = readings
        self.alternatives = alternatives
        self.suggestion = suggestion
    }

    /// The value as a count, when it is one.
    public var count: Int? {
        if case .number(let n) = value { return n }
        return nil
    }

    /// Whether two or more readers produced the field's value and all of them the same one. An "in words"
    /// cell that spelled no number is no evidence either way and does not count, nor does the line reader.
    public var readersAgree: Bool {
        // The handwriting line reader has its say only through its own accept rule: it reads printed digits
        // badly, and its other number beside an agreeing Tesseract and classifier cost printed800 two of its 88
        // inconsistent forms found.
        let counted = readings.filter { $0.reader != "line_reader" && ($0.reader != "words" || $0.value != nil) }
        let values = counted.compactMap(\.value)
        return values.count >= 2 && values.count == counted.count && values.allSatisfy { $0 == value }
    }

    /// Whether the value may be used without a person checking it.
    public var isTrusted: Bool { status == .accepted || status == .confirmed }

    enum CodingKeys: String, CodingKey {
        case key, line, kind, value, status, confidence, reasons, box, readings, alternatives, suggestion
    }

    /// Writes `value` as null when there is none, so every record has the same shape.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(line, forKey: .line)
        try c.encode(kind, forKey: .kind)
        try c.encode(value, forKey: .value)
        try c.encode(status, forKey: .status)
        try c.encode(confidence, forKey: .confidence)
        try c.encode(reasons, forKey: .reasons)
        try c.encodeIfPresent(box, forKey: .box)
        try c.encode(readings, forKey: .readings)
        try c.encode(alternatives, forKey: .alternatives)
        try c.encodeIfPresent(suggestion, forKey: .suggestion)
    }
}

/// A field's value: a number for counts, a string for precinct numbers and text.
public enum FieldValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case number(Int)
    case text(String)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let n): try container.encode(n)
        case .text(let s): try container.encode(s)
        }
    }

    public var description: String {
        switch self {
        case .number(let n): return String(n)
        case .text(let s): return s
        }
    }
}

/// Whether a field's value can be used as it is.
public enum FieldStatus: String, Sendable, Equatable, Codable {
    /// Read by the machine with strong, agreeing evidence.
    case accepted
    /// Needs a person: see the field's reasons.
    case uncertain
    /// Entered by people in review and agreed.
    case confirmed
}

/// An axis-aligned box in source image pixels: the same value as a `PixelRect`, named for its role in a record.
public typealias ImageBox = PixelRect

/// What one reader (Tesseract, the digit classifier, the words cell, a person) saw in a field.
public struct ReaderReading: Sendable, Equatable, Codable {
    /// `tesseract`, `digit_classifier`, `words`, or `person:<id>`.
    public var reader: String
    /// The raw text or digits the reader produced.
    public var text: String
    public var value: FieldValue?
    public var confidence: Double

    public init(reader: String, text: String, value: FieldValue?, confidence: Double) {
        self.reader = reader
        self.text = text
        self.value = value
        self.confidence = confidence
    }
}

/// Another plausible value with its confidence.
public struct Alternative: Sendable, Equatable, Codable {
    public var value: FieldValue
    public var confidence: Double

    public init(value: FieldValue, confidence: Double) {
        self.value = value
        self.confidence = confidence
    }
}

/// A value implied by a relation, for a person to confirm.
public struct Suggestion: Sendable, Equatable, Codable {
    public var value: FieldValue
    public var relation: String

    public init(value: FieldValue, relation: String) {
        self.value = value
        self.relation = relation
    }
}

/// One control relation checked on the record.
public struct RelationRecord: Sendable, Equatable, Codable {
    public var id: String
    public var expression: String
    /// nil when a value it needs is missing.
    public var holds: Bool?
    public var left: Int?
    public var right: Int?
    public var keys: [String]
    /// For an equation that had a field not yet accepted when the arithmetic read the form: `settled`, or the
    /// rule that kept it from settling its fields (`ArithmeticVerdict`); nil for every other relation.
    public var arithmetic: String?

    public init(id: String, expression: String, holds: Bool?, left: Int?, right: Int?, keys: [String],
                arithmetic: String? = nil) {
        self.id = id
        self.expression = expression
        self.holds = holds
        self.left = left
        self.right = right
        self.keys = keys
        self.arithmetic = arithmetic
    }

    enum CodingKeys: String, CodingKey {
        case id, expression, holds, left, right, keys, arithmetic
    }

    /// Writes an undecided relation's `holds`, `left` and `right` as null rather than leaving them out, and
    /// `arithmetic` only where the arithmetic read the equation.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(expression, forKey: .expression)
        try c.encode(holds, forKey: .holds)
        try c.encode(left, forKey: .left)
        try c.encode(right, forKey: .right)
        try c.encode(keys, forKey: .keys)
        try c.encodeIfPresent(arithmetic, forKey: .arithmetic)
    }
}
