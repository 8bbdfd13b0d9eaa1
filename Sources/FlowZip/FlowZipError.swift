/// The one error type FlowZip throws: a ``Code`` to `switch` on, a human ``message``, and where the
/// problem is, when it is known.
///
/// ```swift
/// do {
///     let original = try FlowZip.decompress(stream)
/// } catch let error as FlowZipError {
///     switch error.code {
///     case .truncated: print("the file was cut short")
///     case .checksumMismatch: print("chunk \((error.chunkIndex ?? 0) + 1) was damaged")
///     case .missingModel: print("needs model \(error.modelID ?? 0)")
///     default: print(error)   // "corrupt stream: chunk 3: checksum mismatch"
///     }
/// }
/// ```
///
/// Decoding never writes data that failed a check: a chunk's bytes reach the output only once its
/// CRC-32 matched.
public struct FlowZipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Code: Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// The input is not a FlowZip stream: it does not start with the magic bytes.
        case notFlowZip
        /// The stream's container version is one this build does not read (see ``FlowZipError/formatVersion``).
        case unsupportedVersion
        /// The stream ends early: it was cut short (a partial download, a full disk).
        case truncated
        /// A field of the stream is impossible (a length out of range, an unknown method, a payload
        /// that does not decode to its recorded size), or data follows the end of the stream.
        case corrupt
        /// A CRC-32 did not match: the header, a chunk record, a chunk's decoded bytes, or the whole
        /// original. The bytes were changed after they were written.
        case checksumMismatch
        /// The stream was coded with a learned model that was not passed in (see ``FlowZipError/modelID``).
        case missingModel
        /// A valid request this build cannot carry out: the `flow` method on data that is not an image
        /// or audio, an image file that pixel mode cannot read, a decoder feature this build lacks.
        case unsupported
        /// An argument is out of range (options, a damaged model file).
        case invalidArgument
        /// Reading or writing failed (see ``FlowZipError/underlyingErrno``), the input changed while
        /// it was read, or a compression library ran out of memory.
        case io
        /// A progress handler asked to stop, or the task of an `async` call was cancelled.
        case cancelled

        /// The code's name, as written in Swift (`checksumMismatch`).
        public var description: String {
            switch self {
            case .notFlowZip: "notFlowZip"
            case .unsupportedVersion: "unsupportedVersion"
            case .truncated: "truncated"
            case .corrupt: "corrupt"
            case .checksumMismatch: "checksumMismatch"
            case .missingModel: "missingModel"
            case .unsupported: "unsupported"
            case .invalidArgument: "invalidArgument"
            case .io: "io"
            case .cancelled: "cancelled"
            }
        }
    }

    /// What kind of problem it is.
    public var code: Code
    /// What is wrong and where, in words (`chunk 3: checksum mismatch`); ``description`` adds the kind.
    public var message: String
    /// The chunk the problem is in, counted from 0 (an index into ``StreamInfo/chunks``; messages count
    /// from 1, so `chunk 3` is index 2); nil when the problem is not in one chunk.
    public var chunkIndex: Int?
    /// Where in the compressed stream the damaged or missing part starts (the header, a chunk record,
    /// a chunk's payload, the trailer), in bytes from the start of the stream; nil when not known.
    public var offset: Int?
    /// The `errno` of a failed `read(2)` or `write(2)`, for ``Code/io``.
    public var underlyingErrno: Int32?
    /// The id of the model the stream needs, for ``Code/missingModel`` (as `FlowModel.id`).
    public var modelID: UInt64?
    /// The container version the stream declares, for ``Code/unsupportedVersion``.
    public var formatVersion: Int?

    /// An error with these fields (for sources and sinks of your own that need to report a FlowZip error).
    public init(_ code: Code, _ message: String, chunkIndex: Int? = nil, offset: Int? = nil,
                underlyingErrno: Int32? = nil, modelID: UInt64? = nil, formatVersion: Int? = nil) {
        self.code = code
        self.message = message
        self.chunkIndex = chunkIndex
        self.offset = offset
        self.underlyingErrno = underlyingErrno
        self.modelID = modelID
        self.formatVersion = formatVersion
    }

    /// The kind and the message, as the `flowzip` command prints them:
    /// `corrupt stream: chunk 3: checksum mismatch`, `truncated stream: trailer`.
    public var description: String {
        switch code {
        case .truncated: "truncated stream: \(message)"
        case .corrupt, .checksumMismatch: "corrupt stream: \(message)"
        case .missingModel: "missing model: \(message)"
        case .unsupported: "unsupported: \(message)"
        case .invalidArgument: "invalid argument: \(message)"
        case .notFlowZip, .unsupportedVersion, .io, .cancelled: message
        }
    }
}

// The throw sites' shorthands: `throw FlowZipError.corrupt("...")`.
extension FlowZipError {
    static let notFlowZip = FlowZipError(.notFlowZip, "not a FlowZip stream (bad magic)", offset: 0)
    static func unsupportedVersion(_ version: Int) -> FlowZipError {
        FlowZipError(.unsupportedVersion, "unsupported FlowZip format version \(version)", offset: 0, formatVersion: version)
    }
    static func truncated(_ message: String) -> FlowZipError { FlowZipError(.truncated, message) }
    static func corrupt(_ message: String) -> FlowZipError { FlowZipError(.corrupt, message) }
    static func checksumMismatch(_ message: String) -> FlowZipError { FlowZipError(.checksumMismatch, message) }
    static func unsupported(_ message: String) -> FlowZipError { FlowZipError(.unsupported, message) }
    static func invalidArgument(_ message: String) -> FlowZipError { FlowZipError(.invalidArgument, message) }
    static func io(_ message: String, errno: Int32? = nil) -> FlowZipError {
        FlowZipError(.io, message, underlyingErrno: errno)
    }
    static let cancelled = FlowZipError(.cancelled, "cancelled")

    /// The same error, located at `offset` in the stream, unless it already is.
    func at(offset: Int) -> FlowZipError {
        var error = self
        if error.offset == nil { error.offset = offset }
        return error
    }
}
