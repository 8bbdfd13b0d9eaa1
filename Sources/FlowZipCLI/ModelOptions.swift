import CommandLineOptions
import FlowZip
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--model FILE` / `--no-model`: which learned image prior the flow method uses (docs/DESIGN.md §6).
struct ModelOptions {
    static let options: [OptionSpec] = [
        .value("model", "FILE", help: "The learned image prior (.fzm, from `flowzip train`); default: the built-in model. Decompressing needs the stream's model."),
        .flag("no-model", help: "Compress with the hand-made prior only."),
    ]

    var model: String?
    var noModel: Bool

    init(_ parsed: ParsedArguments) throws {
        model = parsed.value("model")
        noModel = parsed.has("no-model")
        if model != nil && noModel { throw UsageError.invalid("--model and --no-model exclude each other") }
    }

    /// The model to compress with: the file's, none, or the built-in one.
    func compressionModel() throws -> FlowModel? {
        if noModel { return nil }
        return try model.map(load) ?? FlowZip.Options.defaultModel
    }

    /// The models a stream may name besides the built-in one.
    func decompressionModels() throws -> [FlowModel] { try model.map { [try load($0)] } ?? [] }

    private func load(_ path: String) throws -> FlowModel {
        guard let data = try? OpenedFile(path: path, flags: O_RDONLY).readToEnd() else {
            Console.error("\(path): cannot read the model file")
            throw CommandFailure()
        }
        do { return try FlowModel(fileBytes: data) } catch {
            Console.error("\(path): \(error)")
            throw CommandFailure()
        }
    }
}
