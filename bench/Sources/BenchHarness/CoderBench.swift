import EntropyCoding
import FlowResearch  // Categorical and lanes
import Foundation

/// Measures the rANS coder: overhead against the ideal code length, and speed. (Issue 4.)
///
/// `flowzip-bench coder [--symbols N] [--repeats R] [--book1 PATH] [--only TEXT]` (`--only` codes only
/// the cases whose name contains TEXT; their inputs are still generated). For every case it codes the same
/// symbols through `RansStack`, checks that they decode back, and prints one line: case, lanes,
/// overhead = (coded bits - sum(-log2 p)) / sum(-log2 p) with p the quantised probabilities actually
/// used, and the best of R runs for encode and decode. Float appears only here, for the ideal length.
public enum CoderBench {
    nonisolated(unsafe) static var only = ""

    public static func main(_ arguments: [String]) {
        var symbolCount = 10_000_000
        var repeats = 3
        var book1Path = ""  // the Calgary corpus's book1 is not in the repository: pass --book1 PATH
        var k = 0
        while k < arguments.count {
            let value = k + 1 < arguments.count ? arguments[k + 1] : ""
            switch arguments[k] {
            case "--symbols": symbolCount = Int(value) ?? symbolCount; k += 1
            case "--repeats": repeats = max(1, Int(value) ?? repeats); k += 1
            case "--book1": book1Path = value; k += 1
            case "--only": only = value; k += 1  // single-threaded main: set once before any case runs
            default: print("unknown argument \(arguments[k])"); return
            }
            k += 1
        }
        print("rANS coder benchmark: 64-bit state, 32-bit words, one thread, best of \(repeats) runs (thread CPU time)")
        print("overhead = (coded bits - sum(-log2 p)) / sum(-log2 p), p = quantised probabilities used")
        print("case".padding(toLength: 40, withPad: " ", startingAt: 0)
              + " lanes  bits/sym  overhead %   enc ns/sym  enc MiB/s   dec ns/sym  dec MiB/s")

        var rng = SplitMix64(seed: 2026)
        // Skewed 256-symbol distribution: counts fall geometrically (about 4.1 bits/symbol).
        let skewed = (0..<256).map { UInt32(1_000_000 * pow(0.85, Double($0))) + 1 }
        for precision in [16, 24] {
            let dist = Categorical(counts: skewed, precision: precision)
            let symbols = sample(dist, count: symbolCount, rng: &rng)
            for lanes in [1, 2, 4, 8] {
                run("skewed categorical 256, p\(precision)", symbols, lanes: lanes, repeats: repeats) { _ in dist }
            }
        }

        // Both precisions code the same values (drawn at precision 24, kept inside the narrower
        // precision-16 window), so their bits/symbol compare the precisions on equal data.
        for scaleQ8: Int32 in [64, 256, 2560, 25600] {
            let dists = [16, 24].map {
                DiscretizedLogistic(meanQ8: 0, scaleQ8: scaleQ8, support: -32768...32767, precision: $0)
            }
            let window = dists[0].codedRange
            let symbols = sample(dists[1], count: symbolCount, rng: &rng).map {
                min(max($0, Int(window.lowerBound)), Int(window.upperBound))
            }
            for dist in dists {
                let laneCounts = scaleQ8 == 2560 && dist.precision == 24 ? [1, 2, 4, 8] : [RansStack.defaultLaneCount]
                for lanes in laneCounts {
                    run("logistic scale \(Double(scaleQ8) / 256), p\(dist.precision)", symbols, lanes: lanes,
                        repeats: repeats) { _ in dist }
                }
            }
        }

        // One distribution per symbol, built on the fly: what a flow's prior does. Also through
        // single push/pop calls, the API a flow uses for latents coded one at a time.
        let means = (0..<symbolCount).map { _ in Int32(truncatingIfNeeded: Int64(rng.next() % 51_200) - 25_600) }
        for precision in [16, 24] {
            let perSymbol = { (i: Int) in DiscretizedLogistic(meanQ8: means[i], scaleQ8: 512 + Int32(i & 1023),
                                                              support: -255...255, precision: precision) }
            let mask = (UInt64(1) << UInt64(precision)) - 1
            let varied = (0..<symbolCount).map { i in perSymbol(i).symbol(containing: UInt32(rng.next() & mask)).symbol }
            run("logistic, per-symbol mean+scale, p\(precision)", varied, lanes: RansStack.defaultLaneCount,
                repeats: repeats, distribution: perSymbol)
            run("  same, one push/pop call per symbol", varied, lanes: nil, repeats: repeats, distribution: perSymbol)
        }
        let mixture = { (i: Int) in
            LogisticMixture(components: [.init(weight: 5, meanQ8: means[i], scaleQ8: 400),
                                         .init(weight: 2, meanQ8: means[i] / 2, scaleQ8: 1500),
                                         .init(weight: 1, meanQ8: 0, scaleQ8: 6000)],
                            support: -255...255, precision: 24)
        }
        let mixed = (0..<symbolCount).map { i in mixture(i).symbol(containing: UInt32(rng.next() & 0xFF_FFFF)).symbol }
        run("mixture of 3, per-symbol, p24", mixed, lanes: RansStack.defaultLaneCount, repeats: repeats, distribution: mixture)
        // Two equal, well separated modes: the hard case for a guided search.
        let bimodal = { (i: Int) in
            LogisticMixture(components: [.init(weight: 1, meanQ8: means[i], scaleQ8: 512),
                                         .init(weight: 1, meanQ8: means[i] &+ 60 * 256, scaleQ8: 512)],
                            support: -255...255, precision: 24)
        }
        let twoModes = (0..<symbolCount).map { i in bimodal(i).symbol(containing: UInt32(rng.next() & 0xFF_FFFF)).symbol }
        run("mixture of 2 modes 60 apart, p24", twoModes, lanes: RansStack.defaultLaneCount, repeats: repeats,
            distribution: bimodal)

        guard !book1Path.isEmpty, let book1 = FileManager.default.contents(atPath: book1Path) else {
            print(book1Path.isEmpty ? "no --book1 PATH: order-0 case skipped" : "book1 not found at \(book1Path): order-0 case skipped")
            return
        }
        var counts = [UInt32](repeating: 0, count: 256)
        for byte in book1 { counts[Int(byte)] += 1 }
        let bytes = book1.map { Int($0) }
        for precision in [14, 16, 24] {
            let dist = Categorical(counts: counts, precision: precision)
            for lanes in [1, 2, 4, 8] {
                run("book1 order-0 (\(book1.count) B), p\(precision)", bytes, lanes: lanes,
                    repeats: repeats * 5, printSize: true) { _ in dist }
            }
        }
        print("ryg_rans rans64.h on book1 here (gcc -O3, scale 14): 1 state ~210 MiB/s enc, 115-140 dec;"
              + " 2 states 230-330 enc, 215-265 dec; 435,116 bytes")
    }

    /// `count` symbols drawn from the quantised distribution itself (uniform slot, then its symbol).
    static func sample<D: SymbolDistribution>(_ dist: D, count: Int, rng: inout SplitMix64) -> [Int] {
        let mask = (UInt64(1) << UInt64(dist.precision)) - 1
        return (0..<count).map { _ in dist.symbol(containing: UInt32(rng.next() & mask)).symbol }
    }

    /// Codes `symbols` with `lanes` interleaved states, or with `lanes == nil` through one
    /// `push`/`pop` call per symbol, checks the round trip and prints the case's line.
    static func run<D: SymbolDistribution>(_ name: String, _ symbols: [Int], lanes: Int?, repeats: Int,
                                           printSize: Bool = false, distribution: (Int) -> D) {
        guard only.isEmpty || name.contains(only) else { return }
        var ideal = 0.0
        for (i, s) in symbols.enumerated() {
            let dist = distribution(i)
            ideal -= log2(Double(dist.interval(of: s).frequency)) - Double(dist.precision)
        }
        // A case whose distribution does not depend on the index goes through the shared-distribution API.
        let shared: D? = symbols.count > 1
            && distribution(0).interval(of: symbols[0]) == distribution(1).interval(of: symbols[0]) ? distribution(0) : nil
        var bytes: [UInt8] = []
        let encode = best(of: repeats) {
            var stack = RansStack()
            if let lanes {
                if let shared { stack.push(symbols, shared, lanes: lanes) } else {
                    stack.push(symbols, lanes: lanes, distribution: distribution)
                }
            } else {
                for i in symbols.indices.reversed() { stack.push(symbols[i], distribution(i)) }
            }
            bytes = stack.bytes
        }
        var decoded: [Int] = []
        var intact = false
        let decode = best(of: repeats) {
            guard var stack = try? RansStack(bytes: bytes) else { return }
            if let lanes {
                if let shared { decoded = stack.pop(count: symbols.count, shared, lanes: lanes) } else {
                    decoded = stack.pop(count: symbols.count, lanes: lanes, distribution: distribution)
                }
            } else {
                decoded = [Int](repeating: 0, count: symbols.count)
                for i in symbols.indices { decoded[i] = stack.pop(distribution(i)) }
            }
            intact = stack.isAtInitialState
        }
        guard decoded == symbols, intact else {
            print("\(name): ROUND TRIP FAILED")
            return
        }
        let n = Double(symbols.count)
        let bits = Double(bytes.count * 8)
        let mib = n / 1_048_576  // one symbol counted as one byte
        var line = name.padding(toLength: 40, withPad: " ", startingAt: 0)
        line += (lanes.map { String($0) } ?? "calls").leftPadded(to: 6)
        line += String(format: "  %8.4f  %10.5f   %10.2f  %9.1f   %10.2f  %9.1f", bits / n,
                       100 * (bits - ideal) / ideal, encode * 1e9 / n, mib / encode, decode * 1e9 / n, mib / decode)
        if printSize { line += "  \(bytes.count) B" }
        print(line)
    }

    /// Best time of `repeats` runs, in seconds: CPU time of this thread, so that other jobs on a
    /// shared machine slow the figures less than they would wall-clock time.
    static func best(of repeats: Int, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = threadCPUSeconds()
            body()
            best = min(best, threadCPUSeconds() - start)
        }
        return best
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

