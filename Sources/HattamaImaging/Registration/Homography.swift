/// A plane projective transform, row-major 3x3, mapping (x, y) to (u, v).
public struct Homography: Sendable, Equatable {
    public var m: [Double]

    public init(_ m: [Double]) {
        precondition(m.count == 9, "a homography has 9 coefficients")
        self.m = m
    }

    public static let identity = Homography([1, 0, 0, 0, 1, 0, 0, 0, 1])

    /// Maps a point.
    @inlinable
    public func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        let w = m[6] * x + m[7] * y + m[8]
        return ((m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w)
    }

    /// The transform from `source` points to `target` points: a similarity for 2 pairs, an affine map for 3,
    /// a projective one (least squares) for 4 or more. Nil when the points are degenerate.
    public static func fit(from source: [(x: Double, y: Double)], to target: [(x: Double, y: Double)]) -> Homography? {
        guard source.count == target.count, source.count >= 2 else { return nil }
        switch source.count {
        case 2: return similarity(from: source, to: target)
        case 3: return affine(from: source, to: target)
        default: return projective(from: source, to: target)
        }
    }

    private static func similarity(from s: [(x: Double, y: Double)], to t: [(x: Double, y: Double)]) -> Homography? {
        // u = a x - b y + c, v = b x + a y + d
        var rows: [[Double]] = []
        var rhs: [Double] = []
        for (p, q) in zip(s, t) {
            rows.append([p.x, -p.y, 1, 0]); rhs.append(q.x)
            rows.append([p.y, p.x, 0, 1]); rhs.append(q.y)
        }
        guard let v = LinearSolver.leastSquares(rows, rhs) else { return nil }
        return Homography([v[0], -v[1], v[2], v[1], v[0], v[3], 0, 0, 1])
    }

    private static func affine(from s: [(x: Double, y: Double)], to t: [(x: Double, y: Double)]) -> Homography? {
        var rows: [[Double]] = []
        var rhs: [Double] = []
        for (p, q) in zip(s, t) {
            rows.append([p.x, p.y, 1, 0, 0, 0]); rhs.append(q.x)
            rows.append([0, 0, 0, p.x, p.y, 1]); rhs.append(q.y)
        }
        guard let v = LinearSolver.leastSquares(rows, rhs) else { return nil }
        return Homography([v[0], v[1], v[2], v[3], v[4], v[5], 0, 0, 1])
    }

    private static func projective(from s: [(x: Double, y: Double)], to t: [(x: Double, y: Double)]) -> Homography? {
        // Normalise both point sets for numerical stability, solve with h33 = 1, then undo the scaling.
        let ts = normalisation(s), tt = normalisation(t)
        var rows: [[Double]] = []
        var rhs: [Double] = []
        for (p0, q0) in zip(s, t) {
            let p = ts.apply(p0.x, p0.y), q = tt.apply(q0.x, q0.y)
            rows.append([p.x, p.y, 1, 0, 0, 0, -q.x * p.x, -q.x * p.y]); rhs.append(q.x)
            rows.append([0, 0, 0, p.x, p.y, 1, -q.y * p.x, -q.y * p.y]); rhs.append(q.y)
        }
        guard let v = LinearSolver.leastSquares(rows, rhs) else { return nil }
        let normalised = Homography(v + [1])
        guard let targetInverse = tt.inverted() else { return nil }
        return targetInverse.composed(with: normalised).composed(with: ts)
    }

    /// A similarity that moves the points' centroid to 0 and their mean distance to sqrt(2).
    private static func normalisation(_ p: [(x: Double, y: Double)]) -> Homography {
        let n = Double(p.count)
        let cx = p.map(\.x).reduce(0, +) / n, cy = p.map(\.y).reduce(0, +) / n
        let d = p.map { ((($0.x - cx) * ($0.x - cx)) + (($0.y - cy) * ($0.y - cy))).squareRoot() }.reduce(0, +) / n
        let s = d > 0 ? 2.0.squareRoot() / d : 1
        return Homography([s, 0, -s * cx, 0, s, -s * cy, 0, 0, 1])
    }

    /// self ∘ other: first `other`, then `self`.
    public func composed(with other: Homography) -> Homography {
        var r = [Double](repeating: 0, count: 9)
        for i in 0..<3 {
            for j in 0..<3 {
                r[i * 3 + j] = (0..<3).reduce(0) { $0 + m[i * 3 + $1] * other.m[$1 * 3 + j] }
            }
        }
        return Homography(r)
    }

    /// The inverse transform, or nil when singular.
    public func inverted() -> Homography? {
        let a = m
        let c0 = a[4] * a[8] - a[5] * a[7], c1 = a[5] * a[6] - a[3] * a[8], c2 = a[3] * a[7] - a[4] * a[6]
        let det = a[0] * c0 + a[1] * c1 + a[2] * c2
        guard abs(det) > 1e-12 else { return nil }
        let inv = [
            c0, a[2] * a[7] - a[1] * a[8], a[1] * a[5] - a[2] * a[4],
            c1, a[0] * a[8] - a[2] * a[6], a[2] * a[3] - a[0] * a[5],
            c2, a[1] * a[6] - a[0] * a[7], a[0] * a[4] - a[1] * a[3],
        ]
        return Homography(inv.map { $0 / det })
    }
}

/// Small dense least-squares solves by normal equations and Gaussian elimination.
enum LinearSolver {
    static func leastSquares(_ rows: [[Double]], _ rhs: [Double]) -> [Double]? {
        guard let n = rows.first?.count else { return nil }
        var ata = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var atb = [Double](repeating: 0, count: n)
        for (row, b) in zip(rows, rhs) {
            for i in 0..<n {
                atb[i] += row[i] * b
                for j in 0..<n { ata[i][j] += row[i] * row[j] }
            }
        }
        return solve(ata, atb)
    }

    static func solve(_ a0: [[Double]], _ b0: [Double]) -> [Double]? {
        var a = a0, b = b0
        let n = b.count
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }), abs(a[pivot][col]) > 1e-12 else {
                return nil
            }
            a.swapAt(col, pivot); b.swapAt(col, pivot)
            for r in (col + 1)..<n {
                let f = a[r][col] / a[col][col]
                for c in col..<n { a[r][c] -= f * a[col][c] }
                b[r] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = b[r]
            for c in (r + 1)..<n { s -= a[r][c] * x[c] }
            x[r] = s / a[r][r]
        }
        return x
    }
}
