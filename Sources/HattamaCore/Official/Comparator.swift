/// Compares digitized protocols with a reference (official results, or another set of protocols) precinct
/// by precinct and classifies every difference.
public enum Comparator {
    /// Protocols against official results.
    public static func compare(official: OfficialResults, records: [(ProtocolRecord, ImageReference?)],
                               rule: PrecinctRule, reference: ReferenceDescription) -> ComparisonReport {
        let sides = official.precincts.map { PrecinctSide(official: $0, keyOrder: official.fieldKeys) }
        var report = compare(reference: sides, protocols: records, rule: rule, description: reference)
        report.notes = official.notes + report.notes
        return report
    }

    /// Protocols against protocols (for example observers' photos against the commission's scans); the
    /// second set is the reference and is held to the same rules (its uncertain fields are undecidable too).
    public static func compare(records: [(ProtocolRecord, ImageReference?)], against others: [(ProtocolRecord, ImageReference?)],
                               rule: PrecinctRule, reference: ReferenceDescription) -> ComparisonReport {
        var notes: [String] = []
        let (sides, _) = pick(others, rule: rule, notes: &notes, label: "reference")
        var report = compare(reference: sides, protocols: records, rule: rule, description: reference)
        report.notes = notes + report.notes
        return report
    }

    static func compare(reference: [PrecinctSide], protocols records: [(ProtocolRecord, ImageReference?)],
                        rule: PrecinctRule, description: ReferenceDescription) -> ComparisonReport {
        var notes: [String] = []
        let (protocols, others) = pick(records, rule: rule, notes: &notes, label: "protocol")
        let protocolByID = Dictionary(protocols.map { ($0.precinct, $0) }, uniquingKeysWith: { a, _ in a })
        let referenceIDs = Set(reference.map(\.precinct))
        var rows: [PrecinctComparison] = []
        var totals: [String: FieldTotal] = [:]
        var totalOrder: [String] = []
        for side in reference {
            let found = protocolByID[side.precinct]
            let row = comparePrecinct(reference: side, protocol: found, others: others[side.precinct] ?? [])
            rows.append(row)
            guard found != nil else { continue }
            for field in row.fields {
                guard let r = field.reference?.value, let p = field.protocol?.value else { continue }
                if totals[field.key] == nil {
                    totals[field.key] = FieldTotal(key: field.key, reference: 0, protocols: 0, precincts: 0)
                    totalOrder.append(field.key)
                }
                totals[field.key]!.reference += r
                totals[field.key]!.protocols += p
                totals[field.key]!.precincts += 1
            }
        }
        for side in protocols where !referenceIDs.contains(side.precinct) {
            rows.append(comparePrecinct(reference: nil, protocol: side, others: others[side.precinct] ?? []))
        }
        var summary = ComparisonSummary()
        for row in rows {
            switch row.classification {
            case .match: summary.matches += 1
            case .discrepancy: summary.discrepancies += 1
            case .undecidable: summary.undecidable += 1
            case .formDefect: summary.formDefects += 1
            case .noProtocol: summary.noProtocol += 1
            case .noReference: summary.noReference += 1
            }
            if row.reference != nil && row.protocol != nil { summary.compared += 1 }
            summary.discrepantFields += row.fields.filter { $0.classification == .discrepancy }.count
        }
        let unpaired = Set(rows.filter { $0.reference != nil && $0.protocol != nil }.flatMap { $0.fields.filter { $0.classification == .unpaired }.map(\.key) })
        if !unpaired.isEmpty {
            notes.append("fields on one side only, not compared: " + unpaired.sorted().joined(separator: ", "))
        }
        let rank = Dictionary(uniqueKeysWithValues: PrecinctClass.allCases.enumerated().map { ($1, $0) })
        let order: [PrecinctClass: Int] = [.discrepancy: 0, .formDefect: 1, .noProtocol: 2, .noReference: 3,
                                            .undecidable: 4, .match: 5]
        rows.sort { a, b in
            let (x, y) = (order[a.classification] ?? rank[a.classification]!, order[b.classification] ?? rank[b.classification]!)
            return x != y ? x < y : precinctOrder(a.precinct, b.precinct)
        }
        return ComparisonReport(reference: description, summary: summary, totals: totalOrder.compactMap { totals[$0] },
                                precincts: rows, notes: notes)
    }

    /// Classifies one precinct and each of its fields.
    public static func comparePrecinct(reference: PrecinctSide?, protocol side: PrecinctSide?,
                                       others: [ImageReference] = []) -> PrecinctComparison {
        var keys = reference?.keyOrder ?? []
        for key in side?.keyOrder ?? [] where !keys.contains(key) { keys.append(key) }
        let fields = keys.map { key in
            let r = reference?.fields[key], p = side?.fields[key]
            return FieldComparison(key: key, reference: r, protocol: p,
                                   classification: classify(reference: r, protocol: p,
                                                            inconsistent: (side?.isInconsistent ?? false) || (reference?.isInconsistent ?? false)))
        }
        let classification: PrecinctClass
        if reference == nil {
            classification = .noReference
        } else if side == nil {
            classification = .noProtocol
        } else if side!.isInconsistent || reference!.isInconsistent {
            classification = .formDefect
        } else if fields.contains(where: { $0.classification == .discrepancy }) {
            classification = .discrepancy
        } else if fields.contains(where: { $0.classification == .undecidable }) || side!.status == .unreadable {
            classification = .undecidable
        } else {
            classification = .match
        }
        return PrecinctComparison(precinct: reference?.precinct ?? side?.precinct ?? "", classification: classification,
                                  reference: reference, protocol: side, fields: reference == nil || side == nil ? fields.map {
                                      var f = $0
                                      f.classification = .unpaired
                                      return f
                                  } : fields, otherProtocols: others)
    }

    /// The rules of the issue, in order: equal values match; a field on one side only is not compared;
    /// on an inconsistent form a difference is a form defect; an uncertain or missing value is undecidable;
    /// otherwise (both trusted) it is a discrepancy.
    public static func classify(reference: SideField?, protocol side: SideField?, inconsistent: Bool) -> FieldClass {
        guard let reference, let side else { return .unpaired }
        if let r = reference.value, let p = side.value, r == p { return .match }
        if inconsistent { return .formDefect }
        if !reference.isTrusted || !side.isTrusted { return .undecidable }
        return .discrepancy
    }

    /// One side per precinct: where several protocols claim a precinct, the one with most trusted fields
    /// (then the first) is compared and the others are listed.
    static func pick(_ records: [(ProtocolRecord, ImageReference?)], rule: PrecinctRule, notes: inout [String],
                     label: String) -> ([PrecinctSide], [String: [ImageReference]]) {
        var byID: [String: [PrecinctSide]] = [:]
        var order: [String] = []
        var withoutPrecinct = 0
        for (record, image) in records {
            guard let side = PrecinctSide(record: record, rule: rule, image: image) else {
                withoutPrecinct += 1
                continue
            }
            if byID[side.precinct] == nil { order.append(side.precinct) }
            byID[side.precinct, default: []].append(side)
        }
        if withoutPrecinct > 0 {
            notes.append("\(withoutPrecinct) \(label) record\(withoutPrecinct == 1 ? "" : "s") without a precinct number, not compared")
        }
        var sides: [PrecinctSide] = []
        var others: [String: [ImageReference]] = [:]
        for id in order {
            let candidates = byID[id]!
            let best = candidates.enumerated().max { a, b in
                a.element.trustedFieldCount != b.element.trustedFieldCount
                    ? a.element.trustedFieldCount < b.element.trustedFieldCount : a.offset > b.offset
            }!.element
            sides.append(best)
            if candidates.count > 1 {
                others[id] = candidates.filter { $0 != best }.compactMap(\.image)
                notes.append("precinct \(id): \(candidates.count) \(label) records claim it; compared the one with most trusted fields")
            }
        }
        return (sides, others)
    }

    /// Numeric identifiers in numeric order, others after them in text order.
    static func precinctOrder(_ a: String, _ b: String) -> Bool {
        switch (Int(a), Int(b)) {
        case let (x?, y?): return x < y
        case (_?, nil): return true
        case (nil, _?): return false
        default: return a < b
        }
    }
}
