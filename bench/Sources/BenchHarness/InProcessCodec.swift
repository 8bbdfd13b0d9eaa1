/// A codec linked into the benchmark process: encode and decode are plain function calls, timed
/// with repetition, and the round trip is checked byte for byte.
struct InProcessCodec: BenchCodec {
    let name: String
    /// Compresses.
    let encode: @Sendable ([UInt8]) throws -> [UInt8]
    /// Decompresses, given the compressed bytes and the original size.
    let decode: @Sendable ([UInt8], Int) throws -> [UInt8]
    /// Looks at the compressed bytes once, untimed: returns a note for the results, or throws
    /// `NotApplicable` when the output shows the codec did not really handle the file.
    var inspect: @Sendable ([UInt8]) throws -> String = { _ in "" }

    func applies(to file: CorpusFile) -> Bool { true }

    func run(_ bytes: [UInt8], file: CorpusFile, timing: TimingPolicy) throws -> CodecRun {
        let (packed, encodeSeconds, encodePeak) = try Measure.inProcess(minSeconds: timing.minSeconds) {
            try encode(bytes)
        }
        let note = try inspect(packed)
        let (unpacked, decodeSeconds, decodePeak) = try Measure.inProcess(minSeconds: timing.minSeconds) {
            try decode(packed, bytes.count)
        }
        let exact = unpacked == bytes
        return CodecRun(compressedSize: packed.count, encodeSeconds: encodeSeconds,
                        decodeSeconds: decodeSeconds, encodePeakBytes: encodePeak,
                        decodePeakBytes: decodePeak, exact: exact,
                        note: exact ? note : "decoded bytes differ from the input")
    }
}
