import Foundation

/// The convolutional network of strip-reader.json: zero-padded convolutions, each optionally followed by a
/// max-pool, on an HWC tensor whose width is the strip's; the last layers leave one row, a column of class
/// logits per step along the strip (CTC's blank first). Layouts as tools/linereader/strip_net.py exports them:
/// weights (kernel y, kernel x, in, out), float32 little-endian, base64.
struct StripNetwork: Sendable {
    struct Convolution: Sendable {
        let kernelHeight: Int, kernelWidth: Int, inChannels: Int, outChannels: Int
        let padHeight: Int, padWidth: Int, relu: Bool, poolHeight: Int, poolWidth: Int
        let weight: [Float], bias: [Float]
    }

    let height: Int
    let widthStep: Int
    let maxWidth: Int
    /// The characters after CTC's blank, in class order.
    let charset: [Character]
    let layers: [Convolution]

    private struct File: Decodable {
        struct Layer: Decodable {
            var kernelHeight: Int, kernelWidth: Int, inChannels: Int, outChannels: Int
            var padHeight: Int, padWidth: Int, relu: Bool, poolHeight: Int, poolWidth: Int
            var weight: String, bias: String
        }
        var format: String
        var formatVersion: Int
        var height: Int
        var widthStep: Int
        var maxWidth: Int
        var charset: String
        var layers: [Layer]
    }

    init(json data: Data) throws(StripReaderError) {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw .modelCorrupt(reason: "cannot decode JSON (\(error))")
        }
        guard file.format == "hattama-strip-ctc", file.formatVersion == 1 else {
            throw .modelCorrupt(reason: "unknown format \(file.format) v\(file.formatVersion)")
        }
        func floats(_ b64: String, count: Int, _ name: String) throws(StripReaderError) -> [Float] {
            guard let bytes = Data(base64Encoded: b64), bytes.count == count * 4 else {
                throw .modelCorrupt(reason: "\(name) should hold \(count) float32 values")
            }
            return bytes.withUnsafeBytes { raw in
                (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
        }
        var rows = file.height, channels = 1
        var layers: [Convolution] = []
        for (n, l) in file.layers.enumerated() {
            guard l.inChannels == channels, l.kernelHeight >= 1, l.kernelWidth >= 1, l.poolHeight >= 1, l.poolWidth >= 1,
                  file.widthStep % l.poolWidth == 0 || l.poolWidth == 1 else {
                throw .modelCorrupt(reason: "layer \(n): shape does not follow from the layer before")
            }
            let count = l.kernelHeight * l.kernelWidth * l.inChannels * l.outChannels
            layers.append(Convolution(kernelHeight: l.kernelHeight, kernelWidth: l.kernelWidth, inChannels: l.inChannels,
                                      outChannels: l.outChannels, padHeight: l.padHeight, padWidth: l.padWidth,
                                      relu: l.relu, poolHeight: l.poolHeight, poolWidth: l.poolWidth,
                                      weight: try floats(l.weight, count: count, "layer \(n) weight"),
                                      bias: try floats(l.bias, count: l.outChannels, "layer \(n) bias")))
            rows = (rows + 2 * l.padHeight - l.kernelHeight + 1) / l.poolHeight
            channels = l.outChannels
        }
        guard rows == 1, channels == file.charset.count + 1 else {
            throw .modelCorrupt(reason: "the last layer must leave one row of \(file.charset.count + 1) classes")
        }
        self.height = file.height
        self.widthStep = file.widthStep
        self.maxWidth = file.maxWidth
        self.charset = Array(file.charset)
        self.layers = layers
    }

    /// Class logits, one row of `charset.count + 1` per step along the input.
    func logits(_ input: StripInput) -> [[Float]] {
        var x = input.values
        var rows = input.height, cols = input.width
        for l in layers {
            (x, rows, cols) = NetworkLayers.convolve(x, rows: rows, cols: cols, kernelHeight: l.kernelHeight,
                                                     kernelWidth: l.kernelWidth, inChannels: l.inChannels,
                                                     outChannels: l.outChannels, padHeight: l.padHeight,
                                                     padWidth: l.padWidth, relu: l.relu, weight: l.weight, bias: l.bias)
            if l.poolHeight > 1 || l.poolWidth > 1 {
                (x, rows, cols) = NetworkLayers.maxPool(x, rows: rows, cols: cols, channels: l.outChannels,
                                                        poolHeight: l.poolHeight, poolWidth: l.poolWidth)
            }
        }
        let classes = charset.count + 1
        return (0..<cols).map { Array(x[($0 * classes)..<(($0 + 1) * classes)]) }
    }
}
