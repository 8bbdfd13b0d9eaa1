/// Errors that stop the benchmark, each naming what went wrong.
public enum BenchError: Error, Equatable, CustomStringConvertible {
    /// A path given on the command line does not exist.
    case missingInput(String)
    /// A file could not be read.
    case unreadable(String)
    /// A file could not be written.
    case unwritable(String)
    /// The command line could not be understood.
    case usage(String)
    /// A codec failed to encode or decode (the message says which and why).
    case codecFailed(String)

    public var description: String {
        switch self {
        case .missingInput(let path): return "no such file or directory: \(path)"
        case .unreadable(let path): return "cannot read \(path)"
        case .unwritable(let path): return "cannot write \(path)"
        case .usage(let message): return message
        case .codecFailed(let message): return message
        }
    }
}
