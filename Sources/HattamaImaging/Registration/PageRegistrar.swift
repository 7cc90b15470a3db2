import Foundation
import HattamaCore

/// A page mapped onto a template's reference rendering.
public struct PageRegistration: Sendable {
    /// Reference coordinates to image pixels.
    public var homography: Homography
    /// How the page lies in the image: 0-3 clockwise quarter turns.
    public var quarterTurns: Int
    /// 0-1: share of the template's box outlines found on dark lines.
    public var score: Double
    /// `marks` or `table`.
    public var method: String
}

/// Registers a page image to a template by its corner marks, choosing the orientation whose printed
/// boxes best match the template.
public struct PageRegistrar: Sendable {
    public let template: FormTemplate
    let scorer: GridScorer
    let coarseScorer: GridScorer

    /// Prepares registration for `template`; `cells` are the value cells whose outlines confirm a fit.
    public init(template: FormTemplate, cells: [TemplateRect]) {
        self.template = template
        scorer = GridScorer(cells: cells, maxPoints: 1600)
        coarseScorer = GridScorer(cells: cells, maxPoints: 240)
    }

    /// The best registration found, or nil when no set of marks fits the template at all.
    public func register(_ image: GrayImage, candidates: [MarkCandidate]) -> PageRegistration? {
        let marks = template.registration.marks ?? []
        guard marks.count >= 2, candidates.count >= marks.count else { return registerByTable(image) }
        let reference = marks.map { (x: $0.x, y: $0.y) }
        var trials: [(Homography, Double)] = []
        for tuple in candidateTuples(count: marks.count, from: candidates) {
            guard let h = Homography.fit(from: reference, to: tuple.map { (x: $0.x, y: $0.y) }),
                  sizesAgree(h, marks: marks, candidates: tuple) else { continue }
            trials.append((h, GridRefinement.score(coarseScorer, image, h, template: template)))
        }
        let best = trials.sorted { $0.1 > $1.1 }.prefix(4)
            .map { ($0.0, GridRefinement.score(scorer, image, $0.0, template: template)) }.max { $0.1 < $1.1 }
        guard let (initial, _) = best else { return registerByTable(image) }
        let (homography, score) = GridRefinement.refine(initial, in: image, scorer: scorer, template: template)
        return PageRegistration(homography: homography, quarterTurns: Self.quarterTurns(of: homography),
                                score: score, method: "marks")
    }

    /// The fallback for pages the marks cannot register: the template's table frame, if it has one.
    func registerByTable(_ image: GrayImage) -> PageRegistration? {
        TableRegistration.register(image, template: template, scorer: scorer, coarseScorer: coarseScorer)
    }

    /// Tuples of candidates to try against the template's marks, in the template's mark order.
    func candidateTuples(count: Int, from candidates: [MarkCandidate]) -> [[MarkCandidate]] {
        let n = candidates.count
        var tuples: [[MarkCandidate]] = []
        if count == 4 {
            // The four corner marks are the outermost blobs along the page's diagonals (quarter turns and a
            // few degrees of tilt keep them so): try the three most extreme candidates per diagonal.
            let order = Self.clockwiseOrder(template.registration.marks!.map { (x: $0.x, y: $0.y) })
            let directions: [(Double, Double)] = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
            let extremes = directions.map { d in
                candidates.indices.sorted { candidates[$0].x * d.0 + candidates[$0].y * d.1 > candidates[$1].x * d.0 + candidates[$1].y * d.1 }
                    .prefix(3)
            }
            var seen = Set<[Int]>()
            for a in extremes[0] { for b in extremes[1] { for c in extremes[2] { for d in extremes[3] {
                let indexes = [a, b, c, d]
                guard Set(indexes).count == 4, seen.insert(indexes).inserted else { continue }
                let clockwise = indexes.map { candidates[$0] }
                let areas = clockwise.map(\.area)
                guard areas.max()! < areas.min()! * 3, Self.quadArea(clockwise) > 0 else { continue }
                for turn in 0..<4 {
                    var assigned = [MarkCandidate](repeating: clockwise[0], count: 4)
                    for k in 0..<4 { assigned[order[k]] = clockwise[(k + turn) % 4] }
                    tuples.append(assigned)
                }
            } } } }
        } else {
            func extend(_ prefix: [Int]) {
                if prefix.count == count {
                    tuples.append(prefix.map { candidates[$0] })
                    return
                }
                for i in 0..<n where !prefix.contains(i) { extend(prefix + [i]) }
            }
            extend([])
        }
        return tuples
    }

    /// Whether each candidate has about the size the transform predicts for its mark.
    func sizesAgree(_ h: Homography, marks: [RegistrationMark], candidates: [MarkCandidate]) -> Bool {
        for (mark, candidate) in zip(marks, candidates) {
            let rect = TemplateRect(x: mark.x - mark.width / 2, y: mark.y - mark.height / 2, width: mark.width, height: mark.height)
            let box = h.boundingBox(of: rect)
            let predicted = Double(box.width * box.height)
            guard predicted > 0, candidate.area / predicted > 0.35, candidate.area / predicted < 2.8 else { return false }
        }
        return true
    }

    /// Indices of the points in clockwise order (image coordinates, y down) starting nearest the top-left.
    static func clockwiseOrder(_ points: [(x: Double, y: Double)]) -> [Int] {
        let cx = points.map(\.x).reduce(0, +) / Double(points.count)
        let cy = points.map(\.y).reduce(0, +) / Double(points.count)
        let byAngle = points.indices.sorted { atan2(points[$0].y - cy, points[$0].x - cx) < atan2(points[$1].y - cy, points[$1].x - cx) }
        let start = byAngle.firstIndex { i in
            byAngle.allSatisfy { points[$0].x + points[$0].y >= points[i].x + points[i].y }
        } ?? 0
        return (0..<byAngle.count).map { byAngle[(start + $0) % byAngle.count] }
    }

    /// Signed area of a quadrilateral in the given order (positive when clockwise in image coordinates).
    static func quadArea(_ q: [MarkCandidate]) -> Double {
        var sum = 0.0
        for i in 0..<q.count {
            let a = q[i], b = q[(i + 1) % q.count]
            sum += a.x * b.y - b.x * a.y
        }
        return sum / 2
    }

    /// Quarter turns of the page in the image, from the direction of the reference x axis.
    static func quarterTurns(of h: Homography) -> Int {
        let o = h.apply(0, 0), e = h.apply(100, 0)
        let angle = atan2(e.y - o.y, e.x - o.x) * 180 / .pi
        return ((Int((angle / 90).rounded()) % 4) + 4) % 4
    }
}
