import CommandLineOptions

// The help texts, written by hand; each command's options section comes from its option table, so
// the two cannot disagree.

let rootHelp = """
    flowzip \(FlowZipCLI.version): lossless compression with integer normalizing flows (images and
    audio) and zstd/zlib (everything else).

    Usage: flowzip [compress] [OPTIONS] [FILE...]   compress each FILE to FILE.fz
           flowzip -d [OPTIONS] [FILE.fz...]        decompress FILE.fz to FILE
           flowzip -t [FILE.fz...]                  test integrity
           flowzip info FILE.fz...                  describe streams (-lv; -l lists)
           flowzip -b[N] [-e M] FILE...             benchmark levels N-M (zstd -b)
           flowzip train DIR... -o MODEL.fzm        train the learned image prior
    With no FILE, or FILE -, reads standard input and writes standard output.
    One-letter flags combine (-dc, -kq); `--` ends the options.
    Started as unflowzip it is flowzip -d; as flowcat, flowzip -dc.

    Commands:
      compress (default)  Compress files.
      decompress          Decompress .fz files (also -d).
      info                Describe .fz files: methods, sizes, bits per unit (-lv;
                          -l alone lists one line per file, as gzip -l).
      train               Train the learned image prior on 8-bit PNM or PNG images.

    Every command takes -h, --help and --version.
    See 'flowzip help COMMAND' for a command's options.
    """

extension Command {
    /// The one-line usage shown under a usage error.
    var usage: String {
        switch self {
        case .compress: "Usage: flowzip [compress] [OPTIONS] [FILE...]"
        case .decompress: "Usage: flowzip -d [OPTIONS] [FILE.fz...]   (or: flowzip decompress ...)"
        case .info: "Usage: flowzip info FILE.fz...   (or: flowzip -l[v] FILE.fz...)"
        case .train: "Usage: flowzip train DIR... -o MODEL.fzm [OPTIONS]"
        }
    }

    var help: String {
        let about: String
        switch self {
        case .compress:
            about = """
                flowzip compress: compress each FILE to FILE.fz (the default command).

                \(usage)
                With no FILE, or FILE -, reads standard input and writes standard output.
                Images (PNM, PNG) and audio (WAV, .npy) get the flow; everything else, and
                any chunk where it is smaller, gets zstd or zlib.
                -b benchmarks instead: each FILE at levels N to M, in memory, checked.
                """
        case .decompress:
            about = """
                flowzip decompress: restore each FILE.fz to FILE (also flowzip -d).

                \(usage)
                With no FILE, or FILE -, reads standard input and writes standard output.
                Runs of zero blocks become holes in output files (--no-sparse: written).
                """
        case .info:
            about = """
                flowzip info: describe .fz files without decoding them: methods, sizes and
                bits per unit, chunk by chunk (also flowzip -lv). flowzip -l lists one line
                per file instead (sizes, ratio, methods), with a total after several.

                \(usage)
                FILE - reads standard input.
                """
        case .train:
            about = """
                flowzip train: train the learned image prior on folders of 8-bit gray or RGB
                images (.ppm, .pgm, .pnm, .png, searched recursively); files that cannot be
                read are skipped with a warning.

                \(usage)
                Runs the integer flow on random crops (with flips) of the images, trains a
                small network on the (features, latent) pairs with the discretized-logistic
                code length as the loss (Adam, on up to two threads), quantizes it to fixed
                point, and compares it with the built-in model on the validation set (the real
                coded size of the --validation images, else the estimated code length of other
                crops): a model that is not smaller is not written (exit status 1) unless -f.
                Then it writes a model file for `flowzip --model`. Same seed, same model,
                whatever -T.
                """
        }
        return about + "\n\nOptions:\n" + optionsHelp(options.options)
    }
}
