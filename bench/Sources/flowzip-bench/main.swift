// flowzip-bench: `coder` measures the entropy coder; anything else runs the corpus benchmark.
import BenchHarness

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "coder" {
    arguments.removeFirst()
    CoderBench.main(arguments)
} else {
    CorpusBench.main(arguments)
}
