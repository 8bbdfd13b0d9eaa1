/// Serialisation of a `RansStack`: the format is
///
/// | field | size | meaning |
/// |---|---|---|
/// | tail depth | 1-10 bytes | unsigned LEB128: tail words popped below the data (usually 0) |
/// | state | 8 bytes | `x`, little-endian, in `[2^31, 2^63)` |
/// | words | 4 bytes each | little-endian, bottom of the stack first |
///
/// A fresh stack serialises to 9 bytes. The decoder pops from the end of the word area.
extension RansStack {
    /// The serialised stack (tail depth, state, words): the compressed stream.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(10 + 8 + 4 * words.count)
        LEB128.append(tailDepth, to: &out)
        for shift in stride(from: 0, to: 64, by: 8) {
            out.append(UInt8(truncatingIfNeeded: state >> UInt64(shift)))
        }
        if UInt32(1).littleEndian == 1 {
            words.withUnsafeBytes { out.append(contentsOf: $0) }  // already little-endian in memory
        } else {
            for word in words {
                for shift in stride(from: 0, to: 32, by: 8) {
                    out.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
                }
            }
        }
        return out
    }

    /// Resumes from serialised bytes (as written by `bytes`).
    ///
    /// Throws `EntropyCodingError` for a truncated header, a partial word, a malformed tail depth or
    /// a state no encoder can produce. Allocates at most one word per 4 input bytes.
    public init(bytes: some Collection<UInt8>) throws(EntropyCodingError) {
        let input = Array(bytes)
        var index = 0
        var depth: UInt64
        do {
            depth = try LEB128.read(input, at: &index, maxBits: 64)
        } catch .truncated {
            throw .truncatedStream(byteCount: input.count)
        } catch {
            throw .malformedTailDepth
        }
        guard input.count - index >= 8, (input.count - index - 8) % 4 == 0 else {
            throw .truncatedStream(byteCount: input.count)
        }
        var x: UInt64 = 0
        for k in 0..<8 { x |= UInt64(input[index + k]) << UInt64(8 * k) }
        index += 8
        guard x >= Self.lowerBound, x < Self.lowerBound << 32 else { throw .invalidState(x) }
        let wordCount = (input.count - index) / 4
        let stored = input.withUnsafeBytes { raw in
            [UInt32](unsafeUninitializedCapacity: wordCount) { buffer, initialized in
                for k in 0..<wordCount {
                    buffer[k] = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index + 4 * k, as: UInt32.self))
                }
                initialized = wordCount
            }
        }
        // Fold a non-canonical bottom (tail words stored explicitly) back into the tail.
        var bottom = 0
        while depth > 0, bottom < stored.count, stored[bottom] == Self.tailWord(depth - 1) {
            depth -= 1
            bottom += 1
        }
        state = x
        words = bottom == 0 ? stored : Array(stored[bottom...])
        tailDepth = depth
    }
}
