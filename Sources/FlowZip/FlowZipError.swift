/// Every error FlowZip reports. Messages name what is wrong and where.
public enum FlowZipError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input is not a FlowZip stream (wrong magic).
    case notFlowZip
    /// The stream's format version is newer (or older) than this build reads.
    case unsupportedVersion(Int)
    /// The stream ends before `context` is complete.
    case truncated(String)
    /// A structural field is invalid (bad length, unknown method, checksum mismatch...).
    case corrupt(String)
    /// The stream needs a model this build does not have.
    case missingModel(String)
    /// A request this build cannot satisfy (method not available for this input...).
    case unsupported(String)
    /// A file or stream could not be read or written.
    case io(String)
    /// The caller passed invalid options.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .notFlowZip: return "not a FlowZip stream (bad magic)"
        case .unsupportedVersion(let v): return "unsupported FlowZip format version \(v)"
        case .truncated(let what): return "truncated stream: \(what)"
        case .corrupt(let what): return "corrupt stream: \(what)"
        case .missingModel(let what): return "missing model: \(what)"
        case .unsupported(let what): return "unsupported: \(what)"
        case .io(let what): return what
        case .invalidArgument(let what): return "invalid argument: \(what)"
        }
    }
}
