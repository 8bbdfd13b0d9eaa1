import Testing
import TextFormatting

/// `String(cFormat:)` stands in for Foundation's `String(format:)` in the CLI and the training reports:
/// the same text for the numbers it is given, at any length.
@Suite struct CFormatTests {
    @Test func formatsIntegersFloatsAndPercentAsPrintfDoes() {
        #expect(String(cFormat: "%llu -> %llu bytes (%.2f%%)", UInt64(6), UInt64(74), 1233.333) == "6 -> 74 bytes (1233.33%)")
        #expect(String(cFormat: "model %016llx", UInt64(0xBA02_0585_443B_CA8A)) == "model ba020585443bca8a")
        #expect(String(cFormat: "  %5ld  ", 1) == "      1  ")
        #expect(String(cFormat: "%ld", Int.min) == "-9223372036854775808")
        #expect(String(cFormat: "0x%02X,", UInt8(7)) == "0x07,")
        #expect(String(cFormat: "%+.2f %%", -0.0912) == "-0.09 %")
        #expect(String(cFormat: "%3.0f%%  %.1f MB/s", 99.6, 12.25) == "100%  12.2 MB/s")
        #expect(String(cFormat: "no conversions") == "no conversions")
    }

    @Test func textLongerThanTheFirstBufferComesOutWhole() {
        let format = String(repeating: "x", count: 300) + "%ld|%.3f"
        let text = String(cFormat: format, 123_456_789, 2.5)
        #expect(text == String(repeating: "x", count: 300) + "123456789|2.500")
        let exactlyFull = String(cFormat: String(repeating: "y", count: 253) + "%ld", 42)  // 255 bytes: fits
        #expect(exactlyFull.count == 255 && exactlyFull.hasSuffix("y42"))
        let oneOver = String(cFormat: String(repeating: "y", count: 254) + "%ld", 42)  // 256 bytes: second pass
        #expect(oneOver.count == 256 && oneOver.hasSuffix("y42"))
    }
}
