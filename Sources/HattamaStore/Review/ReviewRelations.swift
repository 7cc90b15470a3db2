import Foundation
import HattamaCore

/// The control relations of a stored record, rebuilt from the relations the record carries (the form's
/// relations as they were when the page was read, `each(...)` already expanded per key), and what they say
/// about a field under review.
enum ReviewRelations {
    /// The record's relations made concrete again over its own field keys. A relation whose expression does
    /// not parse is left out (the reader wrote it, so this does not happen with records hattama wrote).
    static func controlRelations(of record: ProtocolRecord) -> [ControlRelation] {
        let keys = record.fields.map(\.key)
        let known = Set(keys)
        var relations: [ControlRelation] = []
        for stored in record.relations {
            guard let parsed = try? RelationParser.parse(stored.expression), let spec = spec(id: stored.id, expression: stored.expression) else {
                continue
            }
            for relation in RelationExpander.expand(spec, parsed: parsed, keys: keys)
            where relation.keys.allSatisfy(known.contains) {
                relations.append(relation)
            }
        }
        return relations
    }

    /// `RelationSpec` has no public memberwise initializer; it is Codable, so it is made the way templates make it.
    private static func spec(id: String, expression: String) -> RelationSpec? {
        let json = try? JSONSerialization.data(withJSONObject: ["id": id, "expr": expression])
        return json.flatMap { try? JSONDecoder().decode(RelationSpec.self, from: $0) }
    }

    /// The largest value `key` may hold given the accepted or confirmed `values`: the other side of every
    /// relation that has `key` alone on its smaller side (`key <= voters_on_list`, `voters_on_list >= key`,
    /// `each(votes.*) <= ballots_valid`) and whose other side is fully known; the smallest such bound, or nil.
    static func upperBound(of key: String, relations: [ControlRelation], values: [String: Int]) -> Int? {
        var bound: Int?
        for relation in relations {
            let small: [ControlRelation.SignedTerm], large: [ControlRelation.SignedTerm], strict: Bool
            switch relation.comparison {
            case .lessOrEqual: (small, large, strict) = (relation.left, relation.right, false)
            case .less: (small, large, strict) = (relation.left, relation.right, true)
            case .greaterOrEqual: (small, large, strict) = (relation.right, relation.left, false)
            case .greater: (small, large, strict) = (relation.right, relation.left, true)
            case .equal: continue
            }
            guard small.count == 1, let term = small.first, term.key == key, term.sign == 1 else { continue }
            var total = 0
            var known = true
            for term in large {
                if let other = term.key {
                    guard other != key, let value = values[other] else { known = false; break }
                    total += term.sign * value
                } else {
                    total += term.sign * term.constant
                }
            }
            guard known else { continue }
            let limit = strict ? total - 1 : total
            bound = min(bound ?? limit, limit)
        }
        return bound
    }
}
