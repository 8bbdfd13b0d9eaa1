/// A command line that cannot mean anything: the process says why, shows the usage, and exits 2.
public enum UsageError: Error, Equatable, CustomStringConvertible {
    /// `-x`, `--no-such-option`; `cluster` is the argument it was found in when that differs (`-kx`).
    case unknownOption(String, cluster: String? = nil)
    /// An option that takes a value came last, or before `next`, which looks like an option.
    case missingValue(option: String, next: String? = nil)
    /// `--force=yes`: a flag given a value.
    case unexpectedValue(option: String, value: String)
    /// A value the option cannot take; `expected` says what it can.
    case invalidValue(option: String, value: String, expected: String)
    /// Anything else: options that exclude each other, a missing operand.
    case invalid(String)

    public var description: String {
        switch self {
        case .unknownOption(let name, let cluster?): return "unknown option '\(name)' in '\(cluster)'"
        case .unknownOption(let name, nil): return "unknown option '\(name)'"
        case .missingValue(let option, nil): return "\(option) needs a value"
        case .missingValue(let option, let next?):
            return "\(option) needs a value ('\(next)' looks like an option; if it is the value, write \(option)=\(next))"
        case .unexpectedValue(let option, let value): return "\(option) takes no value (got '\(value)')"
        case .invalidValue(let option, let value, let expected): return "invalid value '\(value)' for \(option): \(expected)"
        case .invalid(let message): return message
        }
    }
}
