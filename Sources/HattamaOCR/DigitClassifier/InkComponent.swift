/// One 8-connected blob of ink in a mask, with its pixel indices and bounding box.
struct InkComponent: Sendable {
    var pixels: [Int]
    var minX: Int, minY: Int, maxX: Int, maxY: Int
    var area: Int { pixels.count }
    var width: Int { maxX - minX + 1 }
    var height: Int { maxY - minY + 1 }

    /// All 8-connected components of `mask`, in raster order of their first pixel.
    static func find(in mask: [Bool], width w: Int, height h: Int) -> [InkComponent] {
        var seen = [Bool](repeating: false, count: w * h)
        var result: [InkComponent] = []
        var stack: [Int] = []
        for start in 0..<(w * h) where mask[start] && !seen[start] {
            seen[start] = true
            stack.append(start)
            var c = InkComponent(pixels: [], minX: w, minY: h, maxX: -1, maxY: -1)
            while let p = stack.popLast() {
                c.pixels.append(p)
                let x = p % w, y = p / w
                c.minX = min(c.minX, x); c.maxX = max(c.maxX, x)
                c.minY = min(c.minY, y); c.maxY = max(c.maxY, y)
                for dy in -1...1 {
                    let yy = y + dy
                    if yy < 0 || yy >= h { continue }
                    for dx in -1...1 {
                        let xx = x + dx
                        if xx < 0 || xx >= w { continue }
                        let q = yy * w + xx
                        if mask[q] && !seen[q] { seen[q] = true; stack.append(q) }
                    }
                }
            }
            result.append(c)
        }
        return result
    }
}
