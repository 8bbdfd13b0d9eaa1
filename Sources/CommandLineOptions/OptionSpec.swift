/// One option of a command, as a row of the command's table: its names, whether it takes a value,
/// and the line of help that describes it.
public struct OptionSpec: Sendable {
    /// The long name without its dashes (`output` for `--output`); the option's key.
    public let long: String
    /// Other long names that mean the same (`uncompress` beside `decompress`).
    public let aliases: [String]
    /// The one-letter name (`o` for `-o`), if any.
    public let short: Character?
    /// What the value is called in help (`FILE`), or nil for a flag that takes no value.
    public let valueName: String?
    /// One sentence or two for the help text.
    public let help: String
    /// How help shows the names when the usual `-o, --output FILE` would hide something (`-N, --level N`).
    public let shownAs: String?
    /// The value may be left out (`--fast` or `--fast=N`); then it comes only after `=`.
    public let valueIsOptional: Bool
    /// The values it takes when they are a fixed list (`--method`), for shell completion; else empty.
    public let choices: [String]

    /// Whether the value must be given (an optional value never comes from the next argument).
    public var takesValue: Bool { valueName != nil && !valueIsOptional }

    /// A flag: present or not.
    public static func flag(_ long: String, short: Character? = nil, aliases: [String] = [], help: String) -> OptionSpec {
        OptionSpec(long: long, aliases: aliases, short: short, valueName: nil, help: help, shownAs: nil, valueIsOptional: false,
                   choices: [])
    }

    /// An option that takes a value: `--long VALUE`, `--long=VALUE`, `-sVALUE` or `-s VALUE`.
    public static func value(_ long: String, short: Character? = nil, _ valueName: String, shownAs: String? = nil,
                             choices: [String] = [], help: String) -> OptionSpec {
        OptionSpec(long: long, aliases: [], short: short, valueName: valueName, help: help, shownAs: shownAs,
                   valueIsOptional: false, choices: choices)
    }

    /// An option whose value may be left out: `--long` or `--long=VALUE` (zstd's `--fast[=N]`), and with a
    /// one-letter name `-s` or `-sVALUE` (zstd's `-b[#]`): the value is never taken from the next argument.
    public static func optionalValue(_ long: String, short: Character? = nil, _ valueName: String, shownAs: String? = nil,
                                     help: String) -> OptionSpec {
        OptionSpec(long: long, aliases: [], short: short, valueName: valueName, help: help, shownAs: shownAs,
                   valueIsOptional: true, choices: [])
    }

    /// `-o, --output FILE`: how the help text shows the option.
    public var synopsis: String {
        if let shownAs { return shownAs }
        let names = (short.map { "-\($0), " } ?? "") + "--\(long)"
        guard let valueName else { return names }
        guard !valueIsOptional else { return (short.map { "-\($0)[\(valueName)], " } ?? "") + "--\(long)[=\(valueName)]" }
        return names + " " + valueName
    }
}

/// The options a command accepts, plus the one gzip habit that is not an option row: `-N` (digits
/// only) as shorthand for the option named by `digitsOption` (`-19` for `--level 19`).
public struct OptionTable: Sendable {
    public let options: [OptionSpec]
    public let digitsOption: String?

    public init(_ options: [OptionSpec], digitsOption: String? = nil) {
        self.options = options
        self.digitsOption = digitsOption
    }

    public func spec(long name: Substring) -> OptionSpec? {
        options.first { $0.long == name || $0.aliases.contains { $0 == name } }
    }

    public func spec(short letter: Character) -> OptionSpec? {
        options.first { $0.short == letter }
    }

    public func spec(key: String) -> OptionSpec? { options.first { $0.long == key } }

    /// The options of both tables (a name in both must mean the same in both).
    public func merged(with other: OptionTable) -> OptionTable {
        let keys = options.map(\.long)
        return OptionTable(options + other.options.filter { !keys.contains($0.long) },
                           digitsOption: digitsOption ?? other.digitsOption)
    }
}
