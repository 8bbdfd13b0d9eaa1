import FlowZip

/// FlowZip through its library API, one benchmark codec per method (`flowzip-auto`, `flowzip-flow`...).
enum FlowZipCodec {
    /// The codec for `method`, single-threaded so its speed compares with the single-stream peers.
    ///
    /// A method that cannot code a file is reported as not applicable rather than as a failure:
    /// when FlowZip throws `FlowZipError.unsupported`, and for `flow` when no chunk of the stream
    /// actually used the flow (not an image, or the flow is not built yet and the chunk fell back
    /// to another method).
    static func codec(_ method: FlowZip.Method) -> InProcessCodec {
        let options = FlowZip.Options(method: method, threads: 1)
        return InProcessCodec(name: "flowzip-\(method.rawValue)", encode: { input in
            do {
                return try FlowZip.compress(input, options: options)
            } catch FlowZipError.unsupported(let why) {
                throw NotApplicable("flowzip \(method): \(why)")
            }
        }, decode: { packed, _ in
            try FlowZip.decompress(packed, threads: 1)
        }, inspect: { packed in
            let methods = try FlowZip.inspect(packed).chunks.map(\.method)
            if method == .flow && !methods.contains("flow") {
                throw NotApplicable("flowzip flow: no chunk was coded by the flow")
            }
            return "chunks: " + summarize(methods)
        })
    }

    /// All methods, in the library's order.
    static var all: [InProcessCodec] { FlowZip.Method.allCases.map(codec) }

    /// "zstd×3 store" style summary of the chunk methods, in first-use order.
    private static func summarize(_ methods: [String]) -> String {
        countedInOrder(methods).map { $0.count > 1 ? "\($0.value)×\($0.count)" : $0.value }.joined(separator: " ")
    }
}
