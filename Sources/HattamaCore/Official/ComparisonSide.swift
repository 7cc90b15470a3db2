import Foundation

/// One side of a comparison for one precinct: an official row, or a digitized protocol.
public struct PrecinctSide: Sendable, Equatable, Codable {
    /// The normalised precinct identifier both sides are matched on.
    public var precinct: String
    /// The identifier as published or as read.
    public var rawPrecinct: String
    /// The protocol's overall status; nil for official data.
    public var status: ProtocolStatus?
    /// The relations of the protocol that fail (its own arithmetic).
    public var failedRelations: [String]
    /// The photo the protocol was read from; nil for official data.
    public var image: ImageReference?
    /// The row in the official file; nil for a protocol.
    public var row: Int?
    /// Count fields by key.
    public var fields: [String: SideField]
    /// Field keys in the order of the form or the file.
    public var keyOrder: [String]

    public init(precinct: String, rawPrecinct: String, status: ProtocolStatus?, failedRelations: [String],
                image: ImageReference?, row: Int?, fields: [String: SideField], keyOrder: [String]) {
        self.precinct = precinct
        self.rawPrecinct = rawPrecinct
        self.status = status
        self.failedRelations = failedRelations
        self.image = image
        self.row = row
        self.fields = fields
        self.keyOrder = keyOrder
    }

    /// Whether the protocol's own relations fail.
    public var isInconsistent: Bool { status == .inconsistent }

    /// How many fields may be used as they are.
    public var trustedFieldCount: Int { fields.values.filter(\.isTrusted).count }

    enum CodingKeys: String, CodingKey {
        case precinct, status, image, row, fields
        case rawPrecinct = "raw_precinct"
        case failedRelations = "failed_relations"
        case keyOrder = "key_order"
    }
}

/// One field's value on one side, with how far it can be trusted.
public struct SideField: Sendable, Equatable, Codable {
    public var value: Int?
    /// nil for official data (published values are taken as they are).
    public var status: FieldStatus?
    /// The people (`person:<id>` readers) whose readings confirmed the value.
    public var confirmedBy: [String]
    /// Where the value cell is on the photo.
    public var box: ImageBox?

    public init(value: Int?, status: FieldStatus?, confirmedBy: [String] = [], box: ImageBox? = nil) {
        self.value = value
        self.status = status
        self.confirmedBy = confirmedBy
        self.box = box
    }

    /// Official values, accepted and confirmed fields.
    public var isTrusted: Bool { value != nil && (status == nil || status == .accepted || status == .confirmed) }

    enum CodingKeys: String, CodingKey {
        case value, status, box
        case confirmedBy = "confirmed_by"
    }
}

/// The photo a protocol was read from, as the store keeps it.
public struct ImageReference: Sendable, Equatable, Codable {
    public var sha256: String
    /// Where the image was read from.
    public var path: String
    public var page: Int
    /// Clockwise quarter turns of the page in the image, as registered (crops are turned back upright).
    public var quarterTurns: Int?

    public init(sha256: String, path: String, page: Int, quarterTurns: Int? = nil) {
        self.sha256 = sha256
        self.path = path
        self.page = page
        self.quarterTurns = quarterTurns
    }

    enum CodingKeys: String, CodingKey {
        case sha256, path, page
        case quarterTurns = "quarter_turns"
    }
}

extension PrecinctSide {
    /// The official row as a comparison side.
    public init(official: OfficialPrecinct, keyOrder: [String]) {
        self.init(precinct: official.id, rawPrecinct: official.rawID, status: nil, failedRelations: [], image: nil,
                  row: official.row, fields: official.values.mapValues { SideField(value: $0, status: nil) },
                  keyOrder: keyOrder.filter { official.values[$0] != nil })
    }

    /// A digitized protocol as a comparison side; nil when it has no precinct number.
    public init?(record: ProtocolRecord, rule: PrecinctRule, image: ImageReference? = nil) {
        guard let raw = record.precinct?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        var fields: [String: SideField] = [:]
        var order: [String] = []
        for field in record.fields where field.kind == .count {
            let people = field.readings.map(\.reader).filter { $0.hasPrefix("person:") }
            fields[field.key] = SideField(value: field.count, status: field.status,
                                          confirmedBy: Array(Set(people)).sorted(), box: field.box)
            order.append(field.key)
        }
        let failed = record.relations.filter { $0.holds == false }.map(\.expression)
        self.init(precinct: rule.normalize(raw), rawPrecinct: raw, status: record.status, failedRelations: failed,
                  image: image ?? ImageReference(sha256: record.source.sha256, path: record.source.path, page: record.source.page,
                                                                quarterTurns: record.registration?.quarterTurns),
                  row: nil, fields: fields, keyOrder: order)
    }
}
