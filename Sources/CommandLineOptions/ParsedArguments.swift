/// What a command line said: the options in the order given, and the operands (file names).
public struct ParsedArguments: Sendable, Equatable {
    /// One option as given: its key (the long name), the name as written (`-T`, `--threads`), its value.
    public struct Occurrence: Sendable, Equatable {
        public let key: String
        public let written: String
        public let value: String?
    }

    public internal(set) var occurrences: [Occurrence] = []
    public internal(set) var operands: [String] = []

    public init() {}

    /// Whether the option was given at least once.
    public func has(_ key: String) -> Bool { occurrences.contains { $0.key == key } }

    /// The option's value; given more than once, the last one counts (as in gzip, zstd and xz).
    public func value(_ key: String) -> String? { occurrences.last { $0.key == key }?.value }

    /// The value converted with `T(String)`, the way `Int`, `Double` or `UInt64` read a number.
    public func value<T: LosslessStringConvertible>(_ key: String, as type: T.Type, expected: String) throws -> T? {
        guard let last = occurrences.last(where: { $0.key == key }), let text = last.value else { return nil }
        guard let converted = T(text) else {
            throw UsageError.invalidValue(option: last.written, value: text, expected: expected)
        }
        return converted
    }

    /// The value as one of an enumeration's cases, named by their raw values.
    public func choice<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type) throws -> T? where T.RawValue == String {
        guard let last = occurrences.last(where: { $0.key == key }), let text = last.value else { return nil }
        guard let converted = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue)
            let list = names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + names.last! : names.joined()
            throw UsageError.invalidValue(option: last.written, value: text, expected: "use \(list)")
        }
        return converted
    }
}
