/// Checks a decoded template for mistakes a person describing a form is likely to make.
public enum TemplateValidator {
    /// Every problem found, each with its path inside the document; empty when the template is usable.
    public static func problems(in template: FormTemplate, elections: [String: Election] = [:]) -> [TemplateError] {
        var problems: [TemplateError] = []
        func report(_ path: String, _ problem: String) {
            problems.append(TemplateError(file: template.id, path: path, problem: problem))
        }
        if template.id.isEmpty || !template.id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) {
            report("id", "use lower-case letters, digits and dashes, like kz-2022-president-precinct-wall")
        }
        if template.version < 1 { report("version", "start at 1 and bump it when geometry or keys change") }
        if template.title.texts["en"] == nil { report("title", "give an English title (en) beside the others") }
        let page = template.page
        if page.width <= 0 || page.height <= 0 { report("page", "width and height of the reference rendering must be positive") }
        func checkInside(_ rect: TemplateRect, _ path: String) {
            if rect.width <= 0 || rect.height <= 0 {
                report(path, "width and height must be positive")
            } else if rect.x < 0 || rect.y < 0 || rect.maxX > page.width || rect.maxY > page.height {
                report(path, "lies outside the \(Int(page.width)) x \(Int(page.height)) page")
            }
        }
        let marks = template.registration.marks ?? []
        if marks.count == 1 { report("registration.marks", "one mark cannot register a page; give two or more, or a table") }
        if marks.isEmpty && template.registration.table == nil {
            report("registration", "give corner marks or the table frame so photos can be straightened")
        }
        for (index, mark) in marks.enumerated() {
            checkInside(TemplateRect(x: mark.x - mark.width / 2, y: mark.y - mark.height / 2,
                                     width: mark.width, height: mark.height), "registration.marks[\(index)]")
        }
        if let table = template.registration.table { checkInside(table, "registration.table") }
        for (index, outline) in (template.registration.outlines ?? []).enumerated() {
            checkInside(outline, "registration.outlines[\(index)]")
        }
        var keys = Set<String>()
        for (index, entry) in template.fields.enumerated() {
            let path = "fields[\(index)]"
            if entry.isRepeatedPerChoice {
                if entry.repeat != "choices" { report("\(path).repeat", "the only repeat is `choices`") }
                if entry.rowPitch == nil { report(path, "a repeated row needs row_pitch") }
                if entry.key != nil { report("\(path).key", "keys of repeated rows come from the election file; remove key") }
            } else if let key = entry.key {
                let isSnake = !key.isEmpty && key.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" || $0 == "." }
                if !isSnake { report("\(path).key", "use snake_case, like ballots_received") }
                if !keys.insert(key).inserted { report("\(path).key", "key \(key) appears twice") }
            } else {
                report(path, "missing `key` (or `repeat: choices`)")
            }
            switch (entry.cells, entry.box) {
            case (nil, nil): report(path, "say where the value is written: `cells` or `box`")
            case (.some, .some): report(path, "give either `cells` or `box`, not both")
            case (let cells?, nil):
                if cells.count < 1 { report("\(path).cells.count", "must be at least 1") }
                if cells.pitch < cells.width { report("\(path).cells.pitch", "is smaller than the box width; boxes would overlap") }
                checkInside(cells.enclosingRect, "\(path).cells")
            case (nil, let box?): checkInside(box, "\(path).box")
            }
            if let words = entry.words { checkInside(words, "\(path).words") }
            if entry.isRepeatedPerChoice, let maxRows = entry.maxRows, let pitch = entry.rowPitch {
                let last = entry.valueRect.shifted(dy: Double(maxRows - 1) * pitch)
                checkInside(last, "\(path).max_rows")
            }
        }
        var relationIDs = Set<String>()
        for (index, relation) in template.relations.enumerated() {
            if !relationIDs.insert(relation.id).inserted { report("relations[\(index)].id", "id \(relation.id) appears twice") }
            do {
                _ = try RelationParser.parse(relation.expr)
            } catch {
                report("relations[\(index)].expr", error.description)
            }
        }
        if problems.isEmpty {
            let election = template.defaultElection.flatMap { elections[$0] }
            let needsElection = template.fields.contains(where: \.isRepeatedPerChoice)
            if !needsElection || election != nil {
                do {
                    _ = try ResolvedForm(template: template, election: election)
                } catch {
                    problems.append(error)
                }
            }
        }
        return problems
    }
}

extension FieldEntry {
    /// Where the value of this entry's first row is written.
    var valueRect: TemplateRect { cells?.enclosingRect ?? box ?? TemplateRect(x: 0, y: 0, width: 1, height: 1) }
}
