import Foundation
import HattamaCore

/// Registers a page by the outer ruled frame of its results table (`registration.table`), for forms
/// without solid corner marks.
///
/// On a reduced, illumination-normalised copy of the page, long straight ruled lines are found by a Hough
/// vote restricted to nearly horizontal and nearly vertical lines, counting only pixels of long horizontal
/// (or vertical) ink runs so that text hardly votes. For each edge of the template's table rectangle the
/// few long lines nearest to where that edge is expected (the page assumed to fill the image, upright) are
/// candidates; every combination of a top, bottom, left and right line gives four corner intersections,
/// hence a homography from the template's table corners, scored by the box outlines (`GridScorer`). The
/// best one is refined by `GridRefinement` like a marks fit.
public enum TableRegistration {
    /// A straight line found on the reduced page: `position = offset + slope × along`, where for a
    /// horizontal line `along` is x and `position` y, for a vertical one the other way round.
    struct Line {
        var offset: Double
        var slope: Double
        var votes: Int
        var start: Double
        var end: Double
        var length: Double { end - start }
        func position(at along: Double) -> Double { offset + slope * along }
    }

    /// The best registration by the table frame, or nil when the template has no table or no frame fits.
    public static func register(_ image: GrayImage, template: FormTemplate, scorer: GridScorer,
                                coarseScorer: GridScorer) -> PageRegistration? {
        guard let table = template.registration.table, table.width > 0, table.height > 0,
              image.width > 16, image.height > 16 else { return nil }
        let factor = max(1, max(image.width, image.height) / 1600)
        let small = image.downscaled(by: factor).illuminationNormalized(block: 40)
        let inkLevel: UInt8 = 170
        let minimumRun = max(12, min(small.width, small.height) / 60)
        let horizontal = lines(in: small, transposed: false, inkLevel: inkLevel, minimumRun: minimumRun)
        let vertical = lines(in: small, transposed: true, inkLevel: inkLevel, minimumRun: minimumRun)
        guard !horizontal.isEmpty, !vertical.isEmpty else { return nil }

        // Where the table's edges would be if the page filled the image upright (reduced pixels).
        let sx = Double(small.width) / template.page.width, sy = Double(small.height) / template.page.height
        let expectedTop = table.y * sy, expectedBottom = table.maxY * sy
        let expectedLeft = table.x * sx, expectedRight = table.maxX * sx
        let midX = (expectedLeft + expectedRight) / 2, midY = (expectedTop + expectedBottom) / 2
        let tableWidth = expectedRight - expectedLeft, tableHeight = expectedBottom - expectedTop
        func nearest(_ found: [Line], to expected: Double, at along: Double, span: Double, tolerance: Double) -> [Line] {
            let usable = found.filter { $0.length >= 0.4 * span && abs($0.position(at: along) - expected) <= tolerance }
            return Array(usable.sorted { abs($0.position(at: along) - expected) < abs($1.position(at: along) - expected) }
                .prefix(4))
        }
        let tops = nearest(horizontal, to: expectedTop, at: midX, span: tableWidth, tolerance: 0.25 * Double(small.height))
        let bottoms = nearest(horizontal, to: expectedBottom, at: midX, span: tableWidth, tolerance: 0.25 * Double(small.height))
        let lefts = nearest(vertical, to: expectedLeft, at: midY, span: tableHeight, tolerance: 0.25 * Double(small.width))
        let rights = nearest(vertical, to: expectedRight, at: midY, span: tableHeight, tolerance: 0.25 * Double(small.width))

        let reference = [(x: table.x, y: table.y), (x: table.maxX, y: table.y),
                         (x: table.maxX, y: table.maxY), (x: table.x, y: table.maxY)]
        let aspect = table.width / table.height
        var trials: [(Homography, Double)] = []
        for top in tops { for bottom in bottoms { for left in lefts { for right in rights {
            guard let tl = intersection(top, left), let tr = intersection(top, right),
                  let br = intersection(bottom, right), let bl = intersection(bottom, left) else { continue }
            let width = ((tr.x - tl.x) + (br.x - bl.x)) / 2, height = ((bl.y - tl.y) + (br.y - tr.y)) / 2
            guard width > 0.3 * tableWidth, height > 0.3 * tableHeight else { continue }
            let ratio = (width / height) / aspect
            guard ratio > 0.7, ratio < 1.4 else { continue }
            // Reduced pixel i covers full-resolution pixels i·f ..< (i+1)·f.
            let corners = [tl, tr, br, bl].map { (x: $0.x * Double(factor) + Double(factor - 1) / 2,
                                                  y: $0.y * Double(factor) + Double(factor - 1) / 2) }
            guard let h = Homography.fit(from: reference, to: corners) else { continue }
            trials.append((h, GridRefinement.score(coarseScorer, image, h, template: template)))
        } } } }
        let best = trials.sorted { $0.1 > $1.1 }.prefix(4)
            .map { ($0.0, GridRefinement.score(scorer, image, $0.0, template: template)) }.max { $0.1 < $1.1 }
        guard let (initial, _) = best else { return nil }
        let (homography, score) = GridRefinement.refine(initial, in: image, scorer: scorer, template: template)
        return PageRegistration(homography: homography, quarterTurns: PageRegistrar.quarterTurns(of: homography),
                                score: score, method: "table")
    }

    /// Where a horizontal and a vertical line cross, in reduced image coordinates (x, y).
    static func intersection(_ horizontal: Line, _ vertical: Line) -> (x: Double, y: Double)? {
        // y = a + b x, x = c + d y  =>  x = c + d (a + b x)
        let denominator = 1 - vertical.slope * horizontal.slope
        guard abs(denominator) > 1e-6 else { return nil }
        let x = (vertical.offset + vertical.slope * horizontal.offset) / denominator
        return (x, horizontal.position(at: x))
    }

    /// Long, nearly horizontal lines (or nearly vertical ones when `transposed`), strongest first.
    static func lines(in image: GrayImage, transposed: Bool, inkLevel: UInt8, minimumRun: Int) -> [Line] {
        let along = transposed ? image.height : image.width, across = transposed ? image.width : image.height
        func isInk(_ a: Int, _ c: Int) -> Bool {
            let index = transposed ? a * image.width + c : c * image.width + a
            return image.pixels[index] < inkLevel
        }
        // Pixels of long runs along the line direction (gaps of one pixel bridged): (along, across).
        var points: [(Int, Int)] = []
        for c in 0..<across {
            var a = 0
            while a < along {
                guard isInk(a, c) else { a += 1; continue }
                let start = a
                var end = a
                var probe = a + 1
                while probe < along {
                    if isInk(probe, c) { end = probe; probe += 1 } else if probe + 1 < along, isInk(probe + 1, c) { probe += 1 } else { break }
                }
                if end - start + 1 >= minimumRun {
                    for p in start...end where isInk(p, c) { points.append((p, c)) }
                }
                a = end + 1
            }
        }
        guard !points.isEmpty else { return [] }
        // Hough vote over slopes of ±4° in steps of 0.25°, one bin per reduced pixel of offset.
        let slopes = (-16...16).map { tan(Double($0) * 0.25 * Double.pi / 180) }
        let margin = Int(Double(along) * tan(4.5 * Double.pi / 180)) + 2
        let bins = across + 2 * margin
        var votes = [[Int32]](repeating: [Int32](repeating: 0, count: bins), count: slopes.count)
        for (s, slope) in slopes.enumerated() {
            votes[s].withUnsafeMutableBufferPointer { row in
                for (a, c) in points {
                    let bin = Int((Double(c) - slope * Double(a)).rounded()) + margin
                    if bin >= 0 && bin < bins { row[bin] += 1 }
                }
            }
        }
        let minimumVotes = Int32(max(minimumRun * 2, along / 8))
        var peaks: [(votes: Int32, slope: Int, bin: Int)] = []
        for s in slopes.indices {
            for b in 0..<bins where votes[s][b] >= minimumVotes {
                let v = votes[s][b]
                var isPeak = true
                outer: for ds in -1...1 {
                    for db in -2...2 where !(ds == 0 && db == 0) {
                        let s2 = s + ds, b2 = b + db
                        guard s2 >= 0, s2 < slopes.count, b2 >= 0, b2 < bins else { continue }
                        let w = votes[s2][b2]
                        if w > v || (w == v && (ds < 0 || (ds == 0 && db < 0))) { isPeak = false; break outer }
                    }
                }
                if isPeak { peaks.append((v, s, b)) }
            }
        }
        peaks.sort { $0.votes > $1.votes }
        var found: [Line] = []
        for peak in peaks.prefix(400) {
            let slope = slopes[peak.slope], offset = Double(peak.bin - margin)
            // The same printed line seen at a neighbouring slope: keep only the strongest.
            let middle = Double(along) / 2
            if found.contains(where: { abs($0.position(at: middle) - (offset + slope * middle)) < 4 &&
                                       abs($0.slope - slope) < 0.03 }) { continue }
            // Least-squares fit to the run pixels within 1.5 px of the peak line, and its extent.
            var n = 0.0, sa = 0.0, sc = 0.0, saa = 0.0, sac = 0.0
            var lo = Double.infinity, hi = -Double.infinity
            for (a, c) in points where abs(Double(c) - (offset + slope * Double(a))) <= 1.5 {
                let x = Double(a), y = Double(c)
                n += 1; sa += x; sc += y; saa += x * x; sac += x * y
                lo = min(lo, x); hi = max(hi, x)
            }
            guard n >= 2 else { continue }
            let denominator = n * saa - sa * sa
            var line = Line(offset: offset, slope: slope, votes: Int(peak.votes), start: lo, end: hi)
            if abs(denominator) > 1e-9 {
                let b = (n * sac - sa * sc) / denominator
                if abs(b - slope) < 0.02 { line.slope = b; line.offset = (sc - b * sa) / n }
            }
            found.append(line)
        }
        return found
    }
}
