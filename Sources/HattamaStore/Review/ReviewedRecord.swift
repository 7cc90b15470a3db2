import HattamaCore

extension ProtocolRecord {
    /// The record as people left it: every field the review queue confirmed with a number takes that value,
    /// status `confirmed`, and one `person:<name>` reading per volunteer or coordinator entry that gave it
    /// (so `verify` can say who confirmed it); a precinct number confirmed by people identifies the record;
    /// a relation that still fails after confirmation makes the record `inconsistent`.
    public func applying(_ review: RecordReview) -> ProtocolRecord {
        var record = self
        for index in record.fields.indices {
            guard let outcome = review.fields[record.fields[index].key]?.outcome,
                  case .number(let number) = outcome.value else { continue }
            let kind = record.fields[index].kind
            let value: FieldValue = kind == .count ? .number(number) : .text(String(number))
            record.fields[index].value = value
            record.fields[index].status = .confirmed
            record.fields[index].reasons = []
            for entry in outcome.entries where entry.counts && entry.value == outcome.value {
                record.fields[index].readings.append(
                    ReaderReading(reader: "person:\(entry.accountName)", text: String(number), value: value, confidence: 1))
            }
            if kind == .precinctID, record.precinct == nil { record.precinct = String(number) }
        }
        if !review.findings.isEmpty {
            record.status = .inconsistent
        } else if record.status != .inconsistent, !record.fields.isEmpty, record.fields.allSatisfy(\.isTrusted) {
            record.status = .complete
        }
        return record
    }
}
