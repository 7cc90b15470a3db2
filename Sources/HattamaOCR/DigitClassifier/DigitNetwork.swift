import Foundation

/// The CNN read from digit-classifier.json: conv, 2x2 max-pool and dense layers on HWC float tensors.
///
/// Weight layouts follow tools/digits/model.py: conv (ky, kx, in, out), dense (in, out), float32 LE.
struct DigitNetwork: Sendable {
    enum Layer: Sendable {
        case conv(kernel: Int, inChannels: Int, outChannels: Int, relu: Bool, weight: [Float], bias: [Float])
        case maxPool2
        case dense(inFeatures: Int, outFeatures: Int, relu: Bool, weight: [Float], bias: [Float])
    }

    let classes: [String]
    let inputSize: Int
    let temperature: Double
    let layers: [Layer]

    private struct File: Decodable {
        struct LayerFile: Decodable {
            var type: String
            var kernel: Int?
            var inChannels: Int?
            var outChannels: Int?
            var inFeatures: Int?
            var outFeatures: Int?
            var relu: Bool?
            var weight: String?
            var bias: String?
        }
        var format: String
        var formatVersion: Int
        var classes: [String]
        var inputSize: Int
        var temperature: Double
        var layers: [LayerFile]
    }

    /// Decodes and validates the model file.
    init(json data: Data) throws {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw DigitClassifierError.modelCorrupt(reason: "cannot decode JSON (\(error))")
        }
        guard file.format == "hattama-digit-cnn", file.formatVersion == 1 else {
            throw DigitClassifierError.modelCorrupt(reason: "unknown format \(file.format) v\(file.formatVersion)")
        }
        guard file.classes == DigitClass.allCases.map(\.rawValue) else {
            throw DigitClassifierError.modelCorrupt(reason: "classes \(file.classes) do not match DigitClass")
        }
        guard file.temperature > 0 else { throw DigitClassifierError.modelCorrupt(reason: "temperature must be positive") }
        func floats(_ b64: String?, count: Int, _ name: String) throws -> [Float] {
            guard let b64, let bytes = Data(base64Encoded: b64), bytes.count == count * 4 else {
                throw DigitClassifierError.modelCorrupt(reason: "\(name) should hold \(count) float32 values")
            }
            return bytes.withUnsafeBytes { raw in
                (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
        }
        var side = file.inputSize, channels = 1, flat: Int? = nil
        var layers: [Layer] = []
        for (n, l) in file.layers.enumerated() {
            switch l.type {
            case "conv2d":
                guard flat == nil, let k = l.kernel, let ci = l.inChannels, let co = l.outChannels, ci == channels, k <= side else {
                    throw DigitClassifierError.modelCorrupt(reason: "layer \(n): bad conv2d shape")
                }
                layers.append(.conv(kernel: k, inChannels: ci, outChannels: co, relu: l.relu ?? false,
                                    weight: try floats(l.weight, count: k * k * ci * co, "layer \(n) weight"),
                                    bias: try floats(l.bias, count: co, "layer \(n) bias")))
                side = side - k + 1
                channels = co
            case "maxpool2":
                guard flat == nil, side >= 2 else { throw DigitClassifierError.modelCorrupt(reason: "layer \(n): bad pool") }
                layers.append(.maxPool2)
                side /= 2
            case "dense":
                let inF = flat ?? side * side * channels
                guard let i = l.inFeatures, let o = l.outFeatures, i == inF else {
                    throw DigitClassifierError.modelCorrupt(reason: "layer \(n): dense input should be \(inF)")
                }
                layers.append(.dense(inFeatures: i, outFeatures: o, relu: l.relu ?? false,
                                     weight: try floats(l.weight, count: i * o, "layer \(n) weight"),
                                     bias: try floats(l.bias, count: o, "layer \(n) bias")))
                flat = o
            default:
                throw DigitClassifierError.modelCorrupt(reason: "layer \(n): unknown type \(l.type)")
            }
        }
        guard flat == file.classes.count else {
            throw DigitClassifierError.modelCorrupt(reason: "the last layer must output \(file.classes.count) classes")
        }
        self.classes = file.classes
        self.inputSize = file.inputSize
        self.temperature = file.temperature
        self.layers = layers
    }

    /// Softmax of `logits / temperature`: the calibrated probabilities of a logit vector.
    func calibrated(_ logits: [Double]) -> [Double] {
        let scaled = logits.map { $0 / temperature }
        let m = scaled.max() ?? 0
        let e = scaled.map { Foundation.exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// The network's raw output for one 28x28 input, before calibration.
    func logits(_ input: [Float]) -> [Float] {
        var x = input
        var side = inputSize, channels = 1
        for layer in layers {
            switch layer {
            case let .conv(k, ci, co, relu, weight, bias):
                (x, side, _) = NetworkLayers.convolve(x, rows: side, cols: side, kernelHeight: k, kernelWidth: k,
                                                      inChannels: ci, outChannels: co, relu: relu, weight: weight, bias: bias)
                channels = co
            case .maxPool2:
                (x, side, _) = NetworkLayers.maxPool(x, rows: side, cols: side, channels: channels, poolHeight: 2, poolWidth: 2)
            case let .dense(inF, outF, relu, weight, bias):
                var out = bias
                x.withUnsafeBufferPointer { inp in
                    weight.withUnsafeBufferPointer { wp in
                        out.withUnsafeMutableBufferPointer { op in
                            for i in 0..<inF {
                                let v = inp[i]
                                if v == 0 { continue }
                                let wb = wp.baseAddress! + i * outF
                                for j in 0..<outF { op[j] += v * wb[j] }
                            }
                            if relu { for j in 0..<outF where op[j] < 0 { op[j] = 0 } }
                        }
                    }
                }
                x = out
            }
        }
        return x
    }
}
