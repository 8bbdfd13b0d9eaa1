/// Runs every codec on every corpus file and writes tables and plots. (Issue 8.)
public enum CorpusBench {
    public static func main(_ arguments: [String]) {
        print("corpus benchmark: not written yet")
    }
}
