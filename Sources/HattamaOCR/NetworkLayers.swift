/// The convolution and max-pool both bundled networks run (`DigitNetwork`, `StripNetwork`), on row-major HWC
/// float tensors. Weights are laid out (kernel y, kernel x, in, out), as tools/digits and tools/linereader write them.
enum NetworkLayers {
    /// A convolution zero-padded by `padHeight` rows and `padWidth` columns on each side, optionally with ReLU.
    /// Returns the output and its rows and columns.
    static func convolve(_ x: [Float], rows: Int, cols: Int, kernelHeight: Int, kernelWidth: Int,
                         inChannels ci: Int, outChannels co: Int, padHeight: Int = 0, padWidth: Int = 0,
                         relu: Bool, weight: [Float], bias: [Float]) -> ([Float], Int, Int) {
        let outRows = rows + 2 * padHeight - kernelHeight + 1
        let outCols = cols + 2 * padWidth - kernelWidth + 1
        var out = [Float](repeating: 0, count: outRows * outCols * co)
        x.withUnsafeBufferPointer { inp in
            weight.withUnsafeBufferPointer { wp in
                out.withUnsafeMutableBufferPointer { op in
                    for y in 0..<outRows {
                        for xx in 0..<outCols {
                            let o = op.baseAddress! + (y * outCols + xx) * co
                            for c in 0..<co { o[c] = bias[c] }
                            for ky in 0..<kernelHeight {
                                let iy = y + ky - padHeight
                                if iy < 0 || iy >= rows { continue }
                                for kx in 0..<kernelWidth {
                                    let ix = xx + kx - padWidth
                                    if ix < 0 || ix >= cols { continue }
                                    let src = (iy * cols + ix) * ci
                                    let wrow = (ky * kernelWidth + kx) * ci
                                    for c in 0..<ci {
                                        let v = inp[src + c]
                                        if v == 0 { continue }
                                        let wb = wp.baseAddress! + (wrow + c) * co
                                        for j in 0..<co { o[j] += v * wb[j] }
                                    }
                                }
                            }
                            if relu { for c in 0..<co where o[c] < 0 { o[c] = 0 } }
                        }
                    }
                }
            }
        }
        return (out, outRows, outCols)
    }

    /// Max over non-overlapping `poolHeight` x `poolWidth` windows (a remainder row or column is dropped).
    static func maxPool(_ x: [Float], rows: Int, cols: Int, channels: Int, poolHeight: Int,
                        poolWidth: Int) -> ([Float], Int, Int) {
        let outRows = rows / poolHeight, outCols = cols / poolWidth
        var out = [Float](repeating: -.infinity, count: outRows * outCols * channels)
        for y in 0..<outRows {
            for xx in 0..<outCols {
                let o = (y * outCols + xx) * channels
                for dy in 0..<poolHeight {
                    for dx in 0..<poolWidth {
                        let i = ((y * poolHeight + dy) * cols + xx * poolWidth + dx) * channels
                        for c in 0..<channels where x[i + c] > out[o + c] { out[o + c] = x[i + c] }
                    }
                }
            }
        }
        return (out, outRows, outCols)
    }
}
