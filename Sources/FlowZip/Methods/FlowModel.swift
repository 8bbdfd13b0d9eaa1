internal import Flows

/// A learned model for the `flow` method (docs/DESIGN.md §6): today the image prior, read from a `.fzm` file
/// (`flowzip train` writes them) or built into the library. Its ``id`` is what the stream header records.
///
/// ```swift
/// let model = try FlowModel(fileBytes: modelFileBytes)
/// let packed = try FlowZip.compress(image, options: .init(model: model))
/// let back = try FlowZip.decompress(packed, models: [model])
/// ```
public struct FlowModel: Sendable, Equatable {
    /// The fixed-point network (a type of the codec's own module, so not part of the public API).
    let prior: ImagePriorModel
    /// 64-bit hash of the model file; never 0.
    public let id: UInt64

    /// Parses a model file; a damaged or foreign file throws ``FlowZipError/Code/invalidArgument``
    /// naming the problem.
    public init(fileBytes: some Collection<UInt8>) throws(FlowZipError) {
        do {
            self.init(try ModelFile.parse(fileBytes))
        } catch {
            throw FlowZipError.invalidArgument("model file: \(error)")
        }
    }

    /// Wraps a model.
    init(_ prior: ImagePriorModel) {
        self.prior = prior
        id = prior.id
    }

    /// The model built into the library, always available to decoders; nil if this build has none.
    public static let builtIn: FlowModel? = ImagePriorModel.builtIn.map(FlowModel.init)

    /// The id as the error messages and `flowzip info` print it: 16 hexadecimal digits.
    public var idString: String { Self.idString(id) }

    /// A model id (``FlowZipError/modelID``, ``StreamInfo/modelID``) as the error messages print it.
    public static func idString(_ id: UInt64) -> String {
        let hex = String(id, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The model a stream's header asks for, as far as the decoder has it: resolved once per stream,
/// required only by chunks that actually use a learned prior.
struct ModelResolution: Sendable {
    let id: UInt64
    let model: FlowModel?

    /// Looks `id` up among `available` (the caller's models and the built-in one).
    init(id: UInt64, available: [FlowModel]) {
        self.id = id
        model = id == 0 ? nil : available.first { $0.id == id }
    }

    /// No model (compression side, or a stream that names none).
    static let none = ModelResolution(id: 0, available: [])

    /// The model a chunk coded with a learned prior needs, or `missingModel` naming its id.
    func require() throws(FlowZipError) -> ImagePriorModel {
        if let model { return model.prior }
        if id == 0 { throw FlowZipError.corrupt("flow chunk uses a learned prior but the stream names no model") }
        throw FlowZipError(.missingModel, "the stream needs model \(FlowModel.idString(id)); pass its file with --model",
                           modelID: id)
    }
}
