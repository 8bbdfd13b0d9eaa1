extension FlowZip {
    /// Decodes one chunk payload with the method `methodID`, bypassing the container and its checksums,
    /// so a fuzzer reaches the method decoders themselves (flow payloads may use the built-in model).
    /// Not for general use.
    @_spi(Fuzzing)
    public static func decodeChunkPayload(_ payload: [UInt8], methodID: UInt8, rawLength: Int) throws -> [UInt8] {
        guard let method = ChunkMethodID(rawValue: methodID), rawLength >= 1, rawLength <= 1 << 26 else {
            throw FlowZipError.invalidArgument("method \(methodID), raw length \(rawLength)")
        }
        let record = ChunkRecord(method: method, modality: .bytes, sampleBytes: 1, rawLength: rawLength,
                                 codedLength: payload.count, rawCRC: 0)
        do {
            // The built-in model, so payloads coded with the learned prior reach its decoder too.
            let models = FlowModel.builtIn.map { ModelResolution(id: $0.id, available: [$0]) } ?? .none
            return try ChunkCoder.decode(payload, record: record, index: 1, models: models)
        } catch let error as FlowZipError where error.code == .checksumMismatch {
            return []  // decoded to the right length; only the (absent) checksum differs
        }
    }
}
