import CommandLineOptions
import Testing

/// The option parser on a small table shaped like flowzip's: flags, options with values, an alias and
/// the `-N` shorthand.
@Suite struct OptionParsingTests {
    static let table = OptionTable([
        .value("output", short: "o", "FILE", help: "Output."),
        .flag("stdout", short: "c", help: "To standard output."),
        .flag("decompress", short: "d", aliases: ["uncompress"], help: "Decompress."),
        .flag("keep", short: "k", help: "Keep."),
        .value("threads", short: "T", "N", help: "Threads."),
        .value("level", "N", help: "Level."),
        .flag("force", help: "Force."),
    ], digitsOption: "level")

    func parse(_ arguments: String...) throws -> ParsedArguments {
        try parseArguments(arguments, table: Self.table)
    }

    /// The keys given, in order, with their values (`key=value`, or the key alone for a flag).
    func given(_ parsed: ParsedArguments) -> [String] {
        parsed.occurrences.map { option in option.value.map { "\(option.key)=\($0)" } ?? option.key }
    }

    func usageError(_ arguments: String...) -> UsageError? {
        do {
            _ = try parseArguments(arguments, table: Self.table)
            return nil
        } catch {
            return error as? UsageError
        }
    }

    @Test func valuesComeSeparateAfterEqualsOrAttached() throws {
        for form in [["--output", "x"], ["--output=x"], ["-o", "x"], ["-ox"], ["-o=x"]] {
            let parsed = try parseArguments(form + ["in"], table: Self.table)
            #expect(given(parsed) == ["output=x"], "\(form)")
            #expect(parsed.operands == ["in"], "\(form)")
        }
        #expect(given(try parse("-o", "-")) == ["output=-"])  // `-` is a value (standard input/output)
        #expect(given(try parse("--output=-c")) == ["output=-c"])  // a value that looks like an option, with `=`
    }

    @Test func oneLetterFlagsCluster() throws {
        #expect(given(try parse("-dc", "a")) == ["decompress", "stdout"])
        #expect(given(try parse("-cdk")) == ["stdout", "decompress", "keep"])
        #expect(given(try parse("-kT2")) == ["keep", "threads=2"])  // the last letter may take a value
        #expect(given(try parse("-kT", "2")) == ["keep", "threads=2"])
        #expect(given(try parse("-T2")) == ["threads=2"])
        #expect(given(try parse("-koout.fz", "a")) == ["keep", "output=out.fz"])
    }

    @Test func digitsAreTheLevel() throws {
        #expect(given(try parse("-19", "a")) == ["level=19"])
        #expect(given(try parse("-3")) == ["level=3"])
        let noDigits = OptionTable(Self.table.options)
        #expect(throws: UsageError.unknownOption("-1", cluster: "-19")) { try parseArguments(["-19"], table: noDigits) }
    }

    @Test func doubleDashEndsOptionsAndDashIsAnOperand() throws {
        let parsed = try parse("-c", "-", "--", "-b", "--force", "--")
        #expect(given(parsed) == ["stdout"])
        #expect(parsed.operands == ["-", "-b", "--force", "--"])
        #expect(try parse("--").operands.isEmpty)
    }

    @Test func optionsAndOperandsInterleave() throws {
        let parsed = try parse("a", "-c", "b", "--level", "4", "c")
        #expect(parsed.operands == ["a", "b", "c"])
        #expect(given(parsed) == ["stdout", "level=4"])
    }

    @Test func aliasesAreTheSameOption() throws {
        #expect(given(try parse("--uncompress")) == ["decompress"])
        #expect(try parse("--uncompress").occurrences[0].written == "--uncompress")
    }

    @Test func unknownOptionsAreNamed() {
        #expect(usageError("--nope", "a") == .unknownOption("--nope"))
        #expect(usageError("--nope=3") == .unknownOption("--nope"))
        #expect(usageError("-x") == .unknownOption("-x"))
        #expect(usageError("-kx") == .unknownOption("-x", cluster: "-kx"))
        #expect(usageError("-method") == .unknownOption("-m", cluster: "-method"))  // no single-dash long names
        #expect(UsageError.unknownOption("-x", cluster: "-kx").description == "unknown option '-x' in '-kx'")
    }

    @Test func missingValuesAreReported() {
        #expect(usageError("a", "-o") == .missingValue(option: "-o"))
        #expect(usageError("--output") == .missingValue(option: "--output"))
        #expect(usageError("--output=") == .missingValue(option: "--output"))
        #expect(usageError("-o=") == .missingValue(option: "-o"))
        #expect(usageError("-o", "-c", "a") == .missingValue(option: "-o", next: "-c"))
        #expect(usageError("--level", "-3") == .missingValue(option: "--level", next: "-3"))
        #expect(UsageError.missingValue(option: "--level", next: "-3").description.contains("--level=-3"))
    }

    @Test func flagsTakeNoValue() {
        #expect(usageError("--force=yes") == .unexpectedValue(option: "--force", value: "yes"))
    }

    @Test func repeatedOptionsLastOneCounts() throws {
        let parsed = try parse("--level", "3", "-7", "-c", "-c")
        #expect(parsed.value("level") == "7")
        #expect(try parsed.value("level", as: Int.self, expected: "") == 7)
        #expect(parsed.occurrences.count == 4)
        #expect(parsed.has("stdout") && !parsed.has("keep"))
        #expect(try parse("--level=9", "-2").value("level") == "2")
    }

    enum Method: String, CaseIterable { case auto, zstd, flow }

    @Test func typedValuesNameTheOptionAsWritten() throws {
        #expect(throws: UsageError.invalidValue(option: "-T", value: "x", expected: "a number")) {
            try parseArguments(["-Tx"], table: Self.table).value("threads", as: Int.self, expected: "a number")
        }
        #expect(try parse("--threads", "0").value("threads", as: Int.self, expected: "") == 0)
        #expect(try parse().value("threads", as: Int.self, expected: "") == nil)
        #expect(try parse("--output", "zstd").choice("output", as: Method.self) == .zstd)
        #expect(throws: UsageError.invalidValue(option: "--output", value: "ZSTD", expected: "use auto, zstd or flow")) {
            try parseArguments(["--output", "ZSTD"], table: Self.table).choice("output", as: Method.self)
        }
    }

    @Test func helpColumnsAndWrapping() {
        let text = optionsHelp([
            .value("output", short: "o", "FILE", help: "Write to FILE."),
            .value("chunk-size-in-kibibytes", "KiB", help: String(repeating: "word ", count: 30)),
        ])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "  -o, --output FILE       Write to FILE.")
        #expect(lines[1] == "  --chunk-size-in-kibibytes KiB")  // too long for the column: help on the next line
        #expect(lines.dropFirst(2).allSatisfy { $0.hasPrefix(String(repeating: " ", count: 26) + "word") && $0.count <= 80 })
        #expect(lines.dropFirst(2).map { $0.split(separator: " ").count }.reduce(0, +) == 30)
    }
}

/// An option whose value is optional (`--fast`, `--fast=N`): given only with `=`, never from the next argument.
@Suite struct OptionalValueTests {
    static let table = OptionTable([
        .optionalValue("fast", "N", help: "Fast."),
        .flag("keep", short: "k", help: "Keep."),
        .optionalValue("bench", short: "b", "N", help: "Bench."),
    ])

    @Test func theValueComesOnlyAfterEquals() throws {
        let bare = try parseArguments(["--fast", "5"], table: Self.table)
        #expect(bare.occurrences.map(\.value) == [nil])
        #expect(bare.operands == ["5"])
        let given = try parseArguments(["--fast=5", "a"], table: Self.table)
        #expect(given.occurrences.map(\.value) == ["5"])
        #expect(throws: UsageError.missingValue(option: "--fast")) { try parseArguments(["--fast="], table: Self.table) }
        #expect(Self.table.options[0].synopsis == "--fast[=N]")
    }

    /// A one-letter name (`-b`, zstd's `-b#`): the value is the rest of the argument, never the next one.
    @Test func aLetterTakesTheRestOfItsArgument() throws {
        for (form, value) in [(["-b"], nil), (["-b19"], "19"), (["-b=19"], "19"), (["-kb3"], "3"), (["--bench=4"], "4")] as [([String], String?)] {
            let parsed = try parseArguments(form + ["5"], table: Self.table)
            #expect(parsed.occurrences.last?.key == "bench" && parsed.occurrences.last?.value == value, "\(form)")
            #expect(parsed.operands == ["5"], "\(form)")
        }
        #expect(throws: UsageError.missingValue(option: "-b")) { try parseArguments(["-b="], table: Self.table) }
        #expect(Self.table.options[2].synopsis == "-b[N], --bench[=N]")
    }
}
