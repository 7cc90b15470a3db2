import HattamaCore

/// Cuts a field written free-hand in one cell (no printed digit boxes) into one image per digit.
public enum InkSegmenter {
    /// The digits of `field`, left to right, each on white paper with a margin, ready for `DigitClassifier`.
    ///
    /// Binarizes like the classifier, removes ruled lines and specks, merges the broken strokes of one
    /// digit (components that overlap horizontally) and splits touching digits at the column of least ink.
    ///
    /// A group wider than one digit but narrower than two (`surelyTouching`) may be one wide digit (a 0 or a 7
    /// written broad) as well as two touching ones: here it is split; `segment(_:judgedBy:)` lets the
    /// classifier decide.
    public static func segmentDigits(in field: GrayImage) -> [GrayImage] {
        segment(field, judge: nil).pieces
    }

    /// The pieces of a free-hand field, and how many wide groups were kept whole although every piece they
    /// would be cut into also reads as a sure digit.
    public struct Segmentation: Sendable {
        public var pieces: [GrayImage]
        /// Wide groups kept whole that may as well be touching digits: "16" written joined reads as a 6 about
        /// as surely as "1" and "6" apart (0.999 on hw300's a4 273), and Tesseract may miss the 1 as well.
        public var touchingOrWhole: Int
        /// Wide groups whose digit count the classifier judged: kept as one digit (`touchingOrWhole` among
        /// them), or cut into one piece more than their width says (`readsBetterCut`). The choice is a
        /// judgement that is sometimes wrong: keeping such groups whole took hw300's a4 fields read with a
        /// digit too many from 100 to 31, and those read with one too few from 10 to 22 (a 5 joined to the 1
        /// after it).
        public var keptWhole: Int

        static let empty = Segmentation(pieces: [], touchingOrWhole: 0, keptWhole: 0)
    }

    /// What to do with a group wider than one digit.
    enum WideGroupVerdict { case cut, keepWhole, keepWholeThoughPiecesRead }

    /// How the classifier settles the two doubtful choices of the segmentation.
    struct Judge {
        /// Whether a group between one and two digits wide is one digit (see `WideGroupVerdict`).
        var wideGroup: (_ whole: GrayImage, _ parts: [GrayImage]) -> WideGroupVerdict
        /// Whether a group cut into pieces without asking reads better cut into one piece more.
        var onePieceMore: (_ pieces: [GrayImage], _ morePieces: [GrayImage]) -> Bool
    }

    /// Lowest probability at which every piece of a wide group kept whole must read as a digit for the group
    /// to count in `Segmentation.touchingOrWhole`.
    static let surePieceFloor = 0.9

    /// `segment(_:judge:)` with `classifier` deciding whether a wide group is one digit (`readsBetterWhole`).
    public static func segment(_ field: GrayImage, judgedBy classifier: DigitClassifier) -> Segmentation {
        let judge = Judge(wideGroup: { whole, parts in
            let partsRead = classifier.classify(parts)
            guard readsBetterWhole(classifier.classify(whole), parts: partsRead) else { return .cut }
            let piecesAreDigits = partsRead.allSatisfy { $0.best.digit != nil && $0.confidence >= surePieceFloor }
            return piecesAreDigits ? .keepWholeThoughPiecesRead : .keepWhole
        }, onePieceMore: { pieces, morePieces in
            readsBetterCut(classifier.classify(morePieces), than: classifier.classify(pieces))
        })
        return segment(field, judge: judge)
    }

    static func segment(_ field: GrayImage, judge: Judge?) -> Segmentation {
        let w = field.width, h = field.height
        guard w > 2, h > 2 else { return .empty }
        let (d, dmax) = CellNormalizer.darkness(field, bandY: 0, bandX: 0)
        guard dmax >= Int32(CellNormalizer.minContrast) else { return .empty }
        let t = max(Int32(CellNormalizer.minThreshold), (2 * dmax) / 5)
        var mask = d.map { $0 >= t }
        // Ruled lines and box edges: runs much longer than a digit is wide or tall.
        CellNormalizer.clearRuns(&mask, width: w, height: h, lines: Array(0..<h), vertical: false, minLength: max(h, w / 2, 8))
        CellNormalizer.clearRuns(&mask, width: w, height: h, lines: Array(0..<w), vertical: true, minLength: max(8, h * 9 / 10))

        let components = InkComponent.find(in: mask, width: w, height: h)
        let tallest = components.map(\.height).max() ?? 0
        let minSide = max(2, tallest / 6)
        var groups = components
            .filter { $0.area >= 3 && max($0.width, $0.height) >= minSide }
            .sorted { $0.minX < $1.minX }
        groups = mergeOverlapping(groups)
        guard !groups.isEmpty else { return .empty }

        // Dashes padding the number ("- - 2") are neither digits to size the others by nor touching digits.
        let digitLike = groups.filter { !isDashLike($0, tallest: tallest) }
        let heights = (digitLike.isEmpty ? groups : digitLike).map(\.height).sorted()
        let typicalHeight = heights[heights.count / 2]
        var pieces: [InkComponent] = []
        var touchingOrWhole = 0, keptWhole = 0
        for g in groups {
            if isDashLike(g, tallest: tallest) {
                pieces.append(g)
                continue
            }
            var parts = split(g, typicalHeight: typicalHeight, width: w)
            let verdict: WideGroupVerdict
            if parts.count > 1, let judge, Double(g.width) <= surelyTouching * reference(g, typicalHeight: typicalHeight) {
                verdict = judge.wideGroup(render(g, from: field), parts.map { render($0, from: field) })
            } else {
                verdict = .cut
                if parts.count > 1, let judge {
                    let more = cut(g, into: parts.count + 1, width: w)
                    if more.count > parts.count,
                       judge.onePieceMore(parts.map { render($0, from: field) }, more.map { render($0, from: field) }) {
                        parts = more
                        keptWhole += 1
                    }
                }
            }
            switch verdict {
            case .cut: pieces.append(contentsOf: parts)
            case .keepWhole:
                pieces.append(g)
                keptWhole += 1
            case .keepWholeThoughPiecesRead:
                pieces.append(g)
                keptWhole += 1
                touchingOrWhole += 1
            }
        }
        return Segmentation(pieces: pieces.sorted { $0.minX < $1.minX }.map { render($0, from: field) },
                            touchingOrWhole: touchingOrWhole, keptWhole: keptWhole)
    }

    /// `segment(_:judgedBy:)`'s pieces. A 0 or a 7 written broad was cut in two and read as 67 or 77.
    public static func segmentDigits(in field: GrayImage, judgedBy classifier: DigitClassifier) -> [GrayImage] {
        segment(field, judgedBy: classifier).pieces
    }

    /// Whether a wide group of ink is one digit rather than the pieces it would be cut into: the classifier
    /// reads it whole as a digit at least as surely as it reads the least sure piece.
    static func readsBetterWhole(_ whole: DigitPrediction, parts: [DigitPrediction]) -> Bool {
        whole.best.digit != nil && whole.confidence >= (parts.map(\.confidence).min() ?? 1)
    }

    /// Whether pieces cut one more time read better: every piece a digit, the least sure of them surer than the
    /// least sure piece of the fewer cut. Touching digits are cut where a handwritten digit's width (4/5 of its
    /// height) says; printed digits are narrower, and the 3, 4 and 0 of a printed 340 joined by grey columns,
    /// cut in two, read as 40, with Tesseract reading 40 as well (printed800's a4 0141).
    static func readsBetterCut(_ more: [DigitPrediction], than fewer: [DigitPrediction]) -> Bool {
        more.allSatisfy { $0.best.digit != nil }
            && (more.map(\.confidence).min() ?? 0) > (fewer.map(\.confidence).min() ?? 1)
    }

    /// Merges groups whose column ranges overlap by at least half of the narrower one (broken strokes).
    static func mergeOverlapping(_ input: [InkComponent]) -> [InkComponent] {
        var groups = input
        var merged = true
        while merged {
            merged = false
            outer: for i in 0..<groups.count {
                for j in (i + 1)..<groups.count {
                    let a = groups[i], b = groups[j]
                    let overlap = min(a.maxX, b.maxX) - max(a.minX, b.minX) + 1
                    if overlap * 2 >= min(a.width, b.width) {
                        var m = a
                        m.pixels += b.pixels
                        m.minX = min(a.minX, b.minX); m.maxX = max(a.maxX, b.maxX)
                        m.minY = min(a.minY, b.minY); m.maxY = max(a.maxY, b.maxY)
                        groups[i] = m
                        groups.remove(at: j)
                        merged = true
                        break outer
                    }
                }
            }
        }
        return groups
    }

    /// Whether a group is a dash: at most a third of the tallest group's height and at least twice as wide as
    /// it is tall. The Colombia E-14 pads "2" as "- - 2" in free space; the dashes, wider than their own
    /// height, were cut as touching digits, and the pieces read as digits ("1 - 3 2").
    static func isDashLike(_ g: InkComponent, tallest: Int) -> Bool {
        g.height * 3 <= tallest && g.width >= 2 * g.height
    }

    /// Width, against `reference`, above which a group is split into pieces.
    static let wide = 1.1
    /// Width, against `reference`, above which a group is taken for touching digits without asking.
    static let surelyTouching = 1.8

    /// The size one digit of the group would have: its height, or most of the typical height when it is short.
    static func reference(_ g: InkComponent, typicalHeight: Int) -> Double {
        Double(max(g.height, typicalHeight * 4 / 5))
    }

    /// Splits a group wider than one digit into pieces at the columns of least ink.
    static func split(_ g: InkComponent, typicalHeight: Int, width w: Int) -> [InkComponent] {
        let ref = reference(g, typicalHeight: typicalHeight)
        guard Double(g.width) > wide * ref else { return [g] }
        return cut(g, into: max(2, Int((Double(g.width) / (0.8 * ref)).rounded())), width: w)
    }

    /// Cuts a group into `count` pieces of about equal width, each cut at the column of least ink near its place.
    static func cut(_ g: InkComponent, into count: Int, width w: Int) -> [InkComponent] {
        var columns = [Int](repeating: 0, count: g.width)
        for p in g.pixels { columns[p % w - g.minX] += 1 }
        var cuts: [Int] = []
        let step = Double(g.width) / Double(count)
        for k in 1..<count {
            let centre = Double(k) * step
            let lo = max(1, Int(centre - 0.35 * step)), hi = min(g.width - 2, Int(centre + 0.35 * step))
            guard lo <= hi else { continue }
            var best = lo
            for x in lo...hi {
                let better = columns[x] < columns[best]
                    || (columns[x] == columns[best] && abs(Double(x) - centre) < abs(Double(best) - centre))
                if better { best = x }
            }
            cuts.append(g.minX + best)
        }
        var bounds = [g.minX] + cuts + [g.maxX + 1]
        bounds = Array(Set(bounds)).sorted()
        var parts: [InkComponent] = []
        for k in 0..<(bounds.count - 1) {
            let px = g.pixels.filter { $0 % w >= bounds[k] && $0 % w < bounds[k + 1] }
            guard !px.isEmpty else { continue }
            var c = InkComponent(pixels: px, minX: Int.max, minY: Int.max, maxX: -1, maxY: -1)
            for p in px {
                let x = p % w, y = p / w
                c.minX = min(c.minX, x); c.maxX = max(c.maxX, x); c.minY = min(c.minY, y); c.maxY = max(c.maxY, y)
            }
            parts.append(c)
        }
        return parts
    }

    /// Copies the group's ink onto white paper with a margin wider than the classifier's border bands.
    static func render(_ g: InkComponent, from field: GrayImage) -> GrayImage {
        let side = max(g.width, g.height)
        let margin = max(6, side / 4)
        let size = side + 2 * margin
        var out = GrayImage(width: size, height: size)
        let ox = margin + (side - g.width) / 2 - g.minX
        let oy = margin + (side - g.height) / 2 - g.minY
        for p in g.pixels {
            let x = p % field.width, y = p / field.width
            out.pixels[(y + oy) * size + x + ox] = field.pixels[p]
        }
        return out
    }
}
