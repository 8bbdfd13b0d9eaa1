// Instructions per sample of a fixed-point MLP evaluated serially, as a flowAudio decoder would have to
// (bench/results/audio-stage-model.md). Stand-alone:
//   swiftc -Ounchecked bench/tools/mlp_kernel_cost.swift -o /tmp/mlp
//   for n in 100000 200000; do valgrind --tool=callgrind --callgrind-out-file=/dev/null /tmp/mlp 32 64 $n; done
// and take the difference of the two instruction counts over 100,000. Arguments: inputs, hidden units, samples.
import Foundation
func run(_ F: Int, _ H: Int) {
let N = Int(CommandLine.arguments[3])!
var w1 = (0..<(F * H)).map { Int16(truncatingIfNeeded: ($0 &* 2654435761) >> 7) >> 6 }
var w2 = (0..<H).map { Int16(truncatingIfNeeded: ($0 &* 40503) >> 3) >> 6 }
var x = [Int16](repeating: 1, count: F)
var h = [Int32](repeating: 0, count: H)
var acc: Int64 = 0
let t0 = Date()
w1.withUnsafeBufferPointer { w1 in w2.withUnsafeBufferPointer { w2 in
x.withUnsafeMutableBufferPointer { x in h.withUnsafeMutableBufferPointer { h in
for n in 0..<N {
    for j in 0..<H { h[j] = 0 }
    for i in 0..<F {           // broadcast layout: input i times column i of weights
        let xi = Int32(x[i])
        for j in 0..<H { h[j] &+= xi &* Int32(w1[i &* H &+ j]) }
    }
    var y: Int32 = 0
    for j in 0..<H { y &+= max(0, h[j] >> 8) &* Int32(w2[j]) }
    // shift features by one and feed the output back (the serial dependency of a decoder)
    for i in stride(from: F - 1, to: 0, by: -1) { x[i] = x[i - 1] }
    x[0] = Int16(truncatingIfNeeded: (y >> 12) &+ Int32(n & 7))
    acc &+= Int64(y)
}
}}}}
let dt = Date().timeIntervalSince(t0)
print("F=\(F) H=\(H): \(String(format: "%.1f", dt / Double(N) * 1e9)) ns/sample  (\(acc & 1))")
}
run(Int(CommandLine.arguments[1])!, Int(CommandLine.arguments[2])!)
