/// One field of a form made concrete for an election: key, label and where it is written.
public struct FieldSpec: Sendable, Equatable {
    public var key: String
    public var line: Int
    public var kind: FieldKind
    public var label: LocalizedText
    /// One-digit boxes, when the form has them.
    public var cells: DigitCells?
    /// A free cell holding the whole number, when the form has no digit boxes.
    public var box: TemplateRect?
    /// The cell with the number in words, when the form has one.
    public var words: TemplateRect?

    /// The rectangle where the value is written.
    public var valueRect: TemplateRect {
        cells?.enclosingRect ?? box ?? TemplateRect(x: 0, y: 0, width: 0, height: 0)
    }

    /// Where a commission writes the number again when it strikes out what it wrote in the digit boxes: the
    /// rest of the row right of the boxes, up to the words cell or the page's right margin (2% of its width).
    /// Nil for a field without boxes, or when less than one box's width is left.
    public func correctionArea(pageWidth: Double) -> TemplateRect? {
        guard let cells else { return nil }
        let row = cells.enclosingRect
        let start = row.maxX + cells.width * 0.08
        let end = words?.x ?? pageWidth * 0.98
        guard end - start >= cells.width else { return nil }
        return TemplateRect(x: start, y: row.y, width: end - start, height: row.height)
    }
}

/// A template bound to an election: the concrete fields, in order, and the concrete relations.
public struct ResolvedForm: Sendable {
    public let template: FormTemplate
    public let election: Election?
    public let fields: [FieldSpec]
    public let relations: [ControlRelation]

    /// Binds `template` to `election`; throws when the election has more choices than the form has rows,
    /// or a relation does not parse or names an unknown key.
    public init(template: FormTemplate, election: Election?) throws(TemplateError) {
        self.template = template
        self.election = election
        var fields: [FieldSpec] = []
        for (index, entry) in template.fields.enumerated() {
            if entry.isRepeatedPerChoice {
                guard let election else {
                    throw TemplateError(file: template.id, path: "fields[\(index)]",
                                        problem: "this row repeats per election choice; pass --election")
                }
                if let maxRows = entry.maxRows, election.choices.count > maxRows {
                    throw TemplateError(file: template.id, path: "fields[\(index)].max_rows",
                                        problem: "election \(election.id) has \(election.choices.count) choices but the form has room for \(maxRows)")
                }
                for (row, choice) in election.choices.enumerated() {
                    let dy = Double(row) * (entry.rowPitch ?? 0)
                    fields.append(FieldSpec(
                        key: choice.key, line: (entry.firstLine ?? 0) + row, kind: .count, label: choice.name,
                        cells: entry.cells?.shifted(dy: dy), box: entry.box?.shifted(dy: dy),
                        words: entry.words?.shifted(dy: dy)))
                }
            } else {
                fields.append(FieldSpec(
                    key: entry.key ?? "", line: entry.line ?? 0, kind: entry.kind ?? .count,
                    label: entry.label ?? LocalizedText([:]), cells: entry.cells, box: entry.box, words: entry.words))
            }
        }
        self.fields = fields
        let keys = fields.map(\.key)
        let known = Set(keys)
        var relations: [ControlRelation] = []
        for (index, spec) in template.relations.enumerated() {
            let parsed: RelationExpression
            do {
                parsed = try RelationParser.parse(spec.expr)
            } catch {
                throw TemplateError(file: template.id, path: "relations[\(index)].expr", problem: error.description)
            }
            let expanded = RelationExpander.expand(spec, parsed: parsed, keys: keys)
            for relation in expanded {
                if let unknown = relation.keys.first(where: { !known.contains($0) }) {
                    throw TemplateError(file: template.id, path: "relations[\(index)].expr",
                                        problem: "relation \(spec.id) names \(unknown), which is not a field of this form")
                }
            }
            relations += expanded
        }
        self.relations = relations
    }

    /// The field with this key.
    public func field(_ key: String) -> FieldSpec? { fields.first { $0.key == key } }
}
