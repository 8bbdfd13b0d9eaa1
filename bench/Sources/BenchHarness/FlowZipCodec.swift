import FlowZip

/// FlowZip through its library API, one benchmark codec per method (`flowzip-auto`, `flowzip-flow`...).
enum FlowZipCodec {
    /// The codec for `method`, single-threaded so its speed compares with the single-stream peers.
    ///
    /// A method that cannot code a file is reported as not applicable rather than as a failure:
    /// when FlowZip throws `FlowZipError.unsupported`, and for `flow` when no chunk of the stream
    /// went through a flow method (general bytes, or a chunk where the flow could not be used and
    /// the library fell back to another method).
    static func codec(_ method: FlowZip.Method) -> InProcessCodec {
        let options = FlowZip.Options(method: method, threads: 1)
        return InProcessCodec(name: "flowzip-\(method.rawValue)", encode: { input in
            do {
                return try FlowZip.compress(input, options: options)
            } catch let error as FlowZipError where error.code == .unsupported {
                throw NotApplicable("flowzip \(method): \(error.message)")
            }
        }, decode: { packed, _ in
            try FlowZip.decompress(packed, threads: 1)
        }, inspect: { packed in
            let methods = try FlowZip.inspect(packed).chunks.map(\.method.description)
            if method == .flow && !methods.contains(where: flowMethods.contains) {
                throw NotApplicable("flowzip flow: no chunk was coded by the flow")
            }
            return "chunks: " + summarize(methods)
        })
    }

    /// Chunk methods that run the flow: images, audio, and PNG (whose pixels go through the image flow).
    static let flowMethods: Set<String> = ["flow", "flowAudio", "png"]

    /// All methods, in the library's order.
    static var all: [InProcessCodec] { FlowZip.Method.allCases.map(codec) }

    /// "zstd×3 store" style summary of the chunk methods, in first-use order.
    private static func summarize(_ methods: [String]) -> String {
        countedInOrder(methods).map { $0.count > 1 ? "\($0.value)×\($0.count)" : $0.value }.joined(separator: " ")
    }
}
