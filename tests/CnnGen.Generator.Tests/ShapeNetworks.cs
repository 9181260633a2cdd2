using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Networks of the shape and channel kinds (global pools, Slice, ChannelShuffle, Pad, Upsample) for the
/// compile-and-run tests: the blocks they appear in (squeeze-excite, a ShuffleNet V2 unit, a U-Net up-step) and
/// every way the buffer plan places them (read in place, copied into a padded reader, writing the output, as merge
/// operands, after From), written as the reference's layers. Compiled once per run.
/// </summary>
internal static class ShapeNetworks
{
    public const string Namespace = "ShapeKinds";

    private static RefConv Same(int k, int filters) => new(k, k, filters) { PadLeft = k / 2, PadTop = k / 2, PadRight = k / 2, PadBottom = k / 2 };

    /// <summary>MobileNetV3's squeeze-excite: global average, 1×1 conv, ReLU, 1×1 conv, a clipped gate (ReLU6), Mul with the block input.</summary>
    public static ReferenceNetwork SqueezeExcite => new(new RefShape(6, 5, 8), new RefLayer[]
    {
        Same(3, 8), new RefRelu6 { Name = "features" },
        new RefGlobalPool(false), new RefConv(1, 1, 2), new RefRelu(), new RefConv(1, 1, 8), new RefRelu6(),
        new RefMul("features"),
    });

    /// <summary>Global max pooling with a folded ReLU, read by a fully connected layer; a global average of the input as a Concat operand.</summary>
    public static ReferenceNetwork GlobalHeads => new(new RefShape(9, 7, 3), new RefLayer[]
    {
        Same(3, 5), new RefGlobalPool(true), new RefRelu(), new RefFullyConnected(4) { Name = "fc" },
        new RefGlobalPool(false) { From = "Input" }, new RefConcat("fc"),
    });

    /// <summary>A ShuffleNet V2 unit: split the channels in two, transform one half, concatenate, shuffle.</summary>
    public static ReferenceNetwork ShuffleUnit => new(new RefShape(6, 6, 8), new RefLayer[]
    {
        new RefSlice(0, 4) { Name = "left" },
        new RefSlice(4, 4) { From = "Input" }, new RefConv(1, 1, 4), new RefRelu(), Same(3, 4), new RefConv(1, 1, 4), new RefRelu { Name = "right" },
        new RefConcat("right") { From = "left" },
        new RefChannelShuffle(2),
    });

    /// <summary>A U-Net up-step: downsample, upsample (nearest) back, concatenate with the skip, convolve.</summary>
    public static ReferenceNetwork UNetUp => new(new RefShape(8, 8, 3), new RefLayer[]
    {
        Same(3, 4), new RefRelu { Name = "skip" },
        new RefPool(true, 2, 2, 2, 2), Same(3, 6), new RefRelu(),
        new RefUpsample(2, 2), new RefConcat("skip"), Same(3, 4),
    });

    /// <summary>Bilinear upsampling with both corner conventions and unequal factors, nearest with and without vector paths, into a padded conv (a bordered destination), as merge operands.</summary>
    public static ReferenceNetwork Bilinear => new(new RefShape(5, 3, 2), new RefLayer[]
    {
        new RefUpsample(2, 2) { Bilinear = true, Name = "a" },
        new RefUpsample(2, 2) { Bilinear = true, AlignCorners = true, From = "Input" },
        new RefAdd("a"), new RefRelu(), Same(3, 3) with { Name = "sum" },
        new RefUpsample(1, 1) { Bilinear = true, AlignCorners = true, From = "Input" }, // the identity, the long way
        new RefUpsample(2, 2), new RefRelu6 { Name = "near" },                           // nearest, column factor 2, a folded epilogue
        new RefConv(1, 2, 2) { From = "Input", Name = "c" },
        new RefUpsample(2, 3) { Bilinear = true }, Same(3, 2) with { Name = "smooth" },       // written into the conv's bordered buffer
        new RefUpsample(2, 3) { Bilinear = true, AlignCorners = true, From = "c", Name = "aligned" },
        new RefConv(4, 1, 2) { From = "Input" }, new RefUpsample(5, 2) { Name = "wide" }, // nearest, column factor 5
        new RefUpsample(1, 1) { From = "sum" }, new RefRelu { Name = "copied" },           // nearest by 1 with a folded epilogue
        new RefConcat("near", "smooth", "aligned", "wide", "copied") { From = "sum" },
    });

    /// <summary>
    /// Nearest 2 × 2 on the runtime's kernel (<c>CnnGen.Resize.Nearest2x2</c>) on rows of 21 (AVX-512 + an overlapping
    /// vector), 16 (one AVX-512 vector), 8 (AVX2), 13 (AVX2 + overlap), 5 (128-bit + overlap) and 2 (scalar), one written
    /// into a padded conv's bordered buffer, the last the network's output.
    /// </summary>
    public static ReferenceNetwork Nearest => new(new RefShape(21, 8, 2), new RefLayer[]
    {
        new RefUpsample(2, 2), new RefPool(true, 2, 2, 2, 2), new RefConv(6, 1, 2),
        new RefUpsample(2, 2), Same(3, 2), new RefPool(true, 4, 4, 4, 4),
        new RefUpsample(2, 2), new RefConv(4, 1, 2),
        new RefUpsample(2, 2), new RefPool(true, 5, 5, 5, 5),
        new RefUpsample(2, 2), new RefPool(true, 4, 4, 4, 4),
        new RefUpsample(2, 2),
    });

    /// <summary>Bilinear by 2 across: inner columns four at a time (with a folded epilogue), edges and the aligned-corner variant from the table.</summary>
    public static ReferenceNetwork TableBilinear => new(new RefShape(13, 3, 2), new RefLayer[]
    {
        new RefUpsample(2, 2) { Bilinear = true }, new RefRelu { Name = "r" },
        new RefUpsample(2, 2) { Bilinear = true, AlignCorners = true, From = "Input" },
        new RefAdd("r"),
        new RefUpsample(2, 1) { Bilinear = true, From = "Input", Name = "w" }, new RefUpsample(1, 2) { Bilinear = true },
        new RefConcat("Add1"),
    });

    /// <summary>Bilinear upsampling wider than the column table (its columns are worked out in the loop), both corner conventions.</summary>
    public static ReferenceNetwork WideBilinear => new(new RefShape(1030, 2, 1), new RefLayer[]
    {
        new RefUpsample(2, 2) { Bilinear = true, Name = "half" },
        new RefUpsample(2, 2) { Bilinear = true, AlignCorners = true, From = "Input" },
        new RefAdd("half"),
    });

    /// <summary>Pad as a zero-bordered buffer (read by an unpadded conv, a max pool, an Add; a global pool written into its interior), copied into a padded conv's border, and as the output.</summary>
    public static ReferenceNetwork Pads => new(new RefShape(5, 4, 2), new RefLayer[]
    {
        new RefConv(1, 1, 3) { Name = "neg" },                   // negative values: a max pool must see the pad's zeros
        new RefPad(1, 1, 1, 1), new RefPool(true, 2, 2, 2, 2) { Name = "pooled" },
        new RefPad(2, 0, 1, 3) { From = "neg", Name = "p" }, new RefConv(3, 3, 3) { Name = "valid" },
        new RefConv(1, 1, 3) { From = "p" }, new RefAdd("p") { Name = "sum" },
        new RefPad(0, 1, 0, 0) { From = "Input" }, Same(3, 3) with { Name = "same" }, // a pad written into a padded conv's bordered buffer
        new RefGlobalPool(false) { From = "sum" }, new RefMul("same"), new RefPool(true, 3, 3, 1, 1) { Name = "m" },
        new RefGlobalPool(true) { From = "valid" }, new RefPad(1, 1, 1, 1), Same(3, 3) with { Name = "g" }, // a 1×1 map written into a pad's interior
        new RefConcat("g", "m") { From = "pooled" },
        new RefRelu(),
        new RefPad(0, 0, 2, 1),                                  // the network's output
    });

    /// <summary>Slices read in place (of the input, of a conv, of a slice, as merge operands, read by a padded conv), kept alive while read, and as the output.</summary>
    public static ReferenceNetwork Slices => new(new RefShape(6, 5, 6), new RefLayer[]
    {
        new RefSlice(2, 3) { Name = "s" },                       // a view into the caller's input
        new RefConv(1, 1, 8) { From = "Input", Name = "x" },
        new RefSlice(1, 6) { Name = "xs" }, new RefSlice(2, 3) { Name = "xss" }, // a slice of a slice
        new RefConv(1, 1, 8) { From = "Input" }, new RefRelu(), new RefConv(1, 1, 8), new RefConv(1, 1, 3), // scratch traffic while x must stay
        new RefAdd("xss", "s") { Name = "sum" },
        Same(3, 3) with { From = "xss", Name = "side" },              // a padded conv copies the view into its border
        new RefConcat("sum"),
        new RefChannelShuffle(3), Same(3, 6) with { Name = "mixed" }, // a shuffle written into a padded conv's border
        new RefChannelShuffle(2) { From = "xs" }, new RefMul("mixed"),
        new RefSlice(1, 4),                                      // the network's output
    });

    /// <summary>Pools that copy (a 1×1 window at stride 1, a global pool of a 1×1 map) are left out: a folded ReLU, a squeeze-excite gate, the output.</summary>
    public static ReferenceNetwork IdentityPools => new(new RefShape(5, 4, 3), new RefLayer[]
    {
        new RefConv(1, 1, 4), new RefPool(true, 1, 1, 1, 1), new RefRelu(), new RefPool(false, 1, 1, 1, 1) { Name = "a" },
        new RefGlobalPool(false), new RefGlobalPool(true), new RefMul("a"),
        new RefPool(false, 1, 1, 1, 1),                          // the network's output
    });

    public static readonly (string Name, Func<ReferenceNetwork> Create)[] Fixed =
    {
        ("SqueezeExcite", () => SqueezeExcite), ("GlobalHeads", () => GlobalHeads), ("ShuffleUnit", () => ShuffleUnit),
        ("UNetUp", () => UNetUp), ("Bilinear", () => Bilinear), ("Pads", () => Pads), ("Slices", () => Slices),
        ("WideBilinear", () => WideBilinear), ("TableBilinear", () => TableBilinear), ("IdentityPools", () => IdentityPools),
        ("Nearest", () => Nearest),
    };

    /// <summary>Tiny networks whose outputs the tests work out by hand, written as users write them.</summary>
    public const string HandChecked = """
        [Network, Input(2, 1, 1), Upsample(1, ScaleX = 2, Mode = UpsampleMode.Bilinear)]
        public partial class BilinearRow { }

        [Network, Input(2, 1, 1), Upsample(1, ScaleX = 2, Mode = (UpsampleMode)1, AlignCorners = true)]
        public partial class AlignedRow { }

        [Network, Input(2, 2, 1), Upsample(2, Mode = UpsampleMode.Bilinear)]
        public partial class BilinearSquare { }

        [Network, Input(2, 1, 1), Upsample(2, ScaleX = 3, Mode = UpsampleMode.Nearest)]
        public partial class NearestRect { }

        [Network, Input(2, 2, 2), GlobalAvgPool]
        public partial class Mean { }

        [Network, Input(2, 2, 2), GlobalMaxPool]
        public partial class Largest { }

        [Network, Input(1, 2, 3), Slice(1, 2)]
        public partial class Middle { }

        [Network, Input(1, 1, 6), ChannelShuffle(2)]
        public partial class Shuffle2 { }

        [Network, Input(1, 1, 6), ChannelShuffle(3)]
        public partial class Shuffle3 { }

        [Network, Input(2, 1, 1), Pad(0, PadLeft = 1, PadBottom = 1)]
        public partial class PadCorner { }

        [Network, Input(2, 1, 1), Pad(1, PadRight = 0), MaxPool(2, 2, Stride = 1)]
        public partial class PadMax { }
        """;

    public static readonly string[] HandCheckedNames =
    {
        "BilinearRow", "AlignedRow", "BilinearSquare", "NearestRect", "Mean", "Largest", "Middle", "Shuffle2", "Shuffle3", "PadCorner", "PadMax",
    };

    public static string TypeName(string name) => Namespace + "." + name;

    private static readonly Lazy<(CompiledNetworks Compiled, Dictionary<string, ReferenceNetwork> References)> Lazy = new(() =>
    {
        var references = Fixed.ToDictionary(f => TypeName(f.Name), f => f.Create());
        IEnumerable<string> sources = references.Select(r => r.Value.ToSource(Namespace, r.Key.Substring(Namespace.Length + 1)))
            .Append(GeneratorHarness.Usings + "\nnamespace " + Namespace + ";\n\n" + HandChecked + "\n");
        return (GeneratorHarness.Compile(sources, references.Keys.Concat(HandCheckedNames.Select(TypeName)), implicitUsings: true), references);
    });

    /// <summary>Every network of this file by type name, compiled in one compilation, with the references of the blocks.</summary>
    public static (CompiledNetworks Compiled, Dictionary<string, ReferenceNetwork> References) All => Lazy.Value;
}
