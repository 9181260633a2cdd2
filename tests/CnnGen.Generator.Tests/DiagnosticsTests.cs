using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CnnGen.TestSupport;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Every CNN diagnostic: a source that triggers it, with its id, severity, the exact text it points at
/// and the numbers in its message; plus a snapshot of all of them, and garbage that must never make the
/// generator throw.
/// </summary>
public sealed class DiagnosticsTests
{
    /// <summary>One case per diagnostic id. The class is named after the id so the snapshot reads well.</summary>
    public static readonly (string Id, string Source)[] Cases =
    {
        ("CNN0001", """
            [Network]
            [Input(4, 4, 1)]
            [Relu]
            public class Cnn0001 { }
            """),
        ("CNN0002", """
            [Network]
            [Input(4, 4, 1)]
            public partial class Cnn0002 { }

            [Relu]
            public partial class Cnn0002 { }
            """),
        ("CNN0003", """
            [Network]
            [Relu]
            public partial class Cnn0003 { }
            """),
        ("CNN0004", """
            [Network]
            [Input(4, 4, 1)]
            [Relu]
            [Input(8, 8, 3)]
            public partial class Cnn0004 { }
            """),
        ("CNN0005", """
            [Network]
            [Relu]
            [Input(4, 4, 1)]
            public partial class Cnn0005 { }
            """),
        ("CNN0006", """
            [Network]
            [Input(4, 4, 1)]
            public partial class Cnn0006 { }
            """),
        ("CNN0007", """
            [Network]
            [Input(8, 8, 1)]
            [Conv(3, 0, 8)]
            public partial class Cnn0007 { }
            """),
        ("CNN0008", """
            [Network]
            [Input(8, 8, 1)]
            [Conv(3, 3, 8, PadLeft = -1)]
            public partial class Cnn0008 { }
            """),
        ("CNN0009", """
            [Network]
            [Input(8, 8, 3)]
            [Conv(3, 3, 4, Depth = 1)]
            public partial class Cnn0009 { }
            """),
        ("CNN0010", """
            [Network]
            [Input(4, 4, 2)]
            [FullyConnected(10, Inputs = 30)]
            public partial class Cnn0010 { }
            """),
        ("CNN0011", """
            [Network]
            [Input(4, 6, 1)]
            [Conv(5, 3, 1)]
            public partial class Cnn0011 { }
            """),
        ("CNN0012", """
            [Network]
            [Input(8, 9, 1)]
            [Conv(3, 3, 1, Stride = 2)]
            public partial class Cnn0012 { }
            """),
        ("CNN0013", """
            [Network]
            [Input(4, 4, 1)]
            [FullyConnected(3)]
            [Softmax]
            [Relu]
            public partial class Cnn0013 { }
            """),
        ("CNN0014", """
            [Network]
            [Input(4, 4, 1)]
            [FullyConnected(16)]
            [Conv(1, 1, 1)]
            public partial class Cnn0014 { }
            """),
        ("CNN0015", """
            [Network]
            [Input(65536, 65536, 1)]
            [Relu]
            public partial class Cnn0015 { }
            """),
        ("CNN0016", """
            [Network]
            [Input(8, 8, 1)]
            [MaxPool(2, 2, Padding = 2)]
            public partial class Cnn0016 { }
            """),
        ("CNN0017", """
            public class Outer0017
            {
                [Network]
                [Input(4, 4, 1)]
                [Relu]
                public partial class Cnn0017 { }
            }
            """),
        ("CNN0021", """
            [Network]
            [Input(4, 4, 1)]
            [Relu]
            public static partial class Cnn0021 { }
            """),
        ("CNN0022", """
            [Network]
            [Input(4, 4, 1)]
            [Conv(3, 3, 2, Name = "my conv")]
            public partial class Cnn0022 { }
            """),
        ("CNN0023", """
            [Network]
            [Input(4, 4, 1)]
            [Conv(3, 3, 2, Name = "Relu1")]
            [Relu]
            public partial class Cnn0023 { }
            """),
        ("CNN0024", """
            [Network]
            [Input(4, 4, 2)]
            [Conv(1, 1, 2)]
            [Relu]
            [Add("Relu2")]
            public partial class Cnn0024 { }
            """),
        ("CNN0025", """
            [Network]
            [Input(4, 4, 2)]
            [Conv(1, 1, 2, From = "later")]
            [Relu(Name = "later")]
            public partial class Cnn0025 { }
            """),
        ("CNN0026", """
            [Network]
            [Input(4, 4, 2)]
            [Conv(1, 1, 2)]
            [Add]
            public partial class Cnn0026 { }
            """),
        ("CNN0027", """
            [Network]
            [Input(8, 8, 2)]
            [Conv(3, 3, 2, Name = "body")]
            [Add("Input")]
            public partial class Cnn0027 { }
            """),
        ("CNN0028", """
            [Network]
            [Input(8, 8, 2)]
            [MaxPool(2, 2)]
            [Concat("Input")]
            public partial class Cnn0028 { }
            """),
        ("CNN0029", """
            [Network]
            [Input(8, 8, 2)]
            [Conv(1, 1, 4, Name = "unused")]
            [Conv(3, 3, 2, From = "Input")]
            public partial class Cnn0029 { }
            """),
        ("CNN0042", """
            [Network]
            [Input(4, 4, 8)]
            [Slice(6, 4)]
            public partial class Cnn0042 { }
            """),
        ("CNN0043", """
            [Network]
            [Input(4, 4, 6)]
            [ChannelShuffle(4)]
            public partial class Cnn0043 { }
            """),
        ("CNN0044", """
            [Network]
            [Input(4, 4, 1)]
            [Upsample(2, Mode = (UpsampleMode)7)]
            public partial class Cnn0044 { }
            """),
        ("CNN0045", """
            [Network]
            [Input(4, 4, 1)]
            [Upsample(2, AlignCorners = true)]
            public partial class Cnn0045 { }
            """),
        ("CNN0046", """
            [Network]
            [Input(4, 4, 1)]
            [Pad(0)]
            [Conv(3, 3, 1)]
            public partial class Cnn0046 { }
            """),
        ("CNN0035", """
            [Network]
            [Input(8, 8, 6)]
            [Conv(3, 3, 8, Groups = 4)]
            public partial class Cnn0035 { }
            """),
        ("CNN0036", """
            [Network]
            [Input(4, 4, 3)]
            [Normalize(new[] { 0.5f, 0.5f }, new[] { 0.2f, 0.2f, 0.2f })]
            public partial class Cnn0036 { }
            """),
        ("CNN0037", """
            [Network]
            [Input(4, 4, 2)]
            [Normalize(new[] { 0.5f, 0.5f }, new[] { 0.2f, 0f })]
            public partial class Cnn0037 { }
            """),
        ("CNN0038", """
            [Network]
            [Input(4, 4, 1)]
            [ConvTranspose(3, 3, 2, Stride = 2, OutputPadding = 2)]
            public partial class Cnn0038 { }
            """),
        ("CNN0039", """
            [Network]
            [Input(1, 1, 1)]
            [ConvTranspose(1, 1, 1, Padding = 1)]
            public partial class Cnn0039 { }
            """),
        ("CNN0040", """
            [Network]
            [Input(4, 4, 1)]
            [ConvTranspose(2, 2, 1, Stride = 2, Padding = 2)]
            public partial class Cnn0040 { }
            """),
        ("CNN0041", """
            [Network]
            [Input(4, 4, 1)]
            [BatchNorm(Epsilon = -1f)]
            public partial class Cnn0041 { }
            """),
        ("CNN0018", """
            [Network(Weights = "nowhere.weights")]
            [Input(4, 4, 1)]
            [Conv(3, 3, 2)]
            public partial class Cnn0018 { }
            """),
        ("CNN0049", """
            [Network(Weights = "gone.weights")]
            [Input(4, 4, 1)]
            [Conv(3, 3, 2)]
            public partial class Cnn0049 { }
            """),
        ("CNN0019", """
            [Network(Weights = "Model/w20.weights")]
            [Input(4, 4, 1)]
            [Conv(3, 3, 3)]
            public partial class Cnn0019 { }
            """),
        ("CNN0020", """
            [Network(Weights = "unmeasured.weights")]
            [Input(4, 4, 1)]
            [Conv(3, 3, 2)]
            public partial class Cnn0020 { }
            """),
        ("CNN0030", """
            [Network]
            [Input(4, 4, 1)]
            [Clip(6, 0)]
            public partial class Cnn0030 { }
            """),
        ("CNN0031", """
            [Network]
            [Input(4, 4, 1)]
            [LeakyRelu(Slope = float.NaN)]
            public partial class Cnn0031 { }
            """),
        ("CNN0032", """
            [Network]
            [Input(4, 4, 1)]
            [LogSoftmax]
            [Relu]
            public partial class Cnn0032 { }
            """),
        ("CNN0033", """
            [Network]
            [Input(4, 4, 1)]
            [Gelu(Approximate = (GeluApproximation)5)]
            public partial class Cnn0033 { }
            """),
        ("CNN0034", """
            [Network]
            [Input(4, 4, 1)]
            [Dropout(Probability = 1.5f)]
            public partial class Cnn0034 { }
            """),
    };

    /// <summary>
    /// The project's weights files as CnnGen's build targets describe them: w20.weights measured at 80 bytes
    /// (20 floats), unmeasured.weights without the metadata (targets not imported).
    /// </summary>
    internal static GeneratorDriver DriverWithWeightsFiles() => GeneratorHarness.CreateDriver(
        null,
        new AdditionalText[] { new InMemoryAdditionalText("/project/Model/w20.weights"), new InMemoryAdditionalText("/project/unmeasured.weights"), new InMemoryAdditionalText("/project/gone.weights") },
        new AdditionalFileOptions(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["/project/Model/w20.weights"] = new Dictionary<string, string> { ["build_metadata.AdditionalFiles.CnnGenByteLength"] = "80" },
            ["/project/gone.weights"] = new Dictionary<string, string> { ["build_metadata.AdditionalFiles.CnnGenByteLength"] = "-1" }, // listed, but not on disk
        }));

    private static string SourceOf(string id) => GeneratorHarness.Usings + "\n" + Cases.Single(c => c.Id == id).Source + "\n";

    /// <summary>The generator's diagnostics for <paramref name="source"/>, after checking that it did not throw.</summary>
    internal static Diagnostic[] Diagnose(string source)
    {
        GeneratorRun run = GeneratorHarness.Run(DriverWithWeightsFiles(), GeneratorHarness.CreateCompilation(new[] { source }));
        run.ThrowIfGeneratorFailed();
        return run.GeneratorDiagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The text a diagnostic points at.</summary>
    internal static string LocationText(Diagnostic d) =>
        d.Location.SourceTree is { } tree ? tree.GetText().ToString(d.Location.SourceSpan) : "<no source>";

    /// <summary><c>CNN0007 Error (5,12)-(5,13) `0`: message</c>, lines and columns 1-based.</summary>
    internal static string Format(Diagnostic d)
    {
        FileLinePositionSpan span = d.Location.GetLineSpan();
        return $"{d.Id} {d.Severity} ({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})-({span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1}) `{LocationText(d)}`: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>Asserts a diagnostic's id, severity, the text it points at, its 1-based start line, and message fragments.</summary>
    private static void AssertDiagnostic(Diagnostic d, string id, DiagnosticSeverity severity, string locationText, int line, params string[] messageParts)
    {
        Assert.Equal(id, d.Id);
        Assert.Equal(severity, d.Severity);
        Assert.Equal(locationText, LocationText(d));
        Assert.Equal(line, d.Location.GetLineSpan().StartLinePosition.Line + 1);
        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        foreach (string part in messageParts)
        {
            Assert.Contains(part, message, StringComparison.Ordinal);
        }
    }

    private static Diagnostic Single(string id) => Assert.Single(Diagnose(SourceOf(id)));

    // The sources start with two using lines and a blank line, so the case's first line is line 4.

    [Fact]
    public void Cnn0001_ClassNotPartial() =>
        AssertDiagnostic(Single("CNN0001"), "CNN0001", DiagnosticSeverity.Error, "Cnn0001", 7, "'Cnn0001'", "partial");

    [Fact]
    public void Cnn0002_AttributesOnSeveralDeclarations() =>
        AssertDiagnostic(Single("CNN0002"), "CNN0002", DiagnosticSeverity.Error, "Cnn0002", 6, "'Cnn0002'");

    [Fact]
    public void Cnn0003_MissingInput() =>
        AssertDiagnostic(Single("CNN0003"), "CNN0003", DiagnosticSeverity.Error, "Network", 4, "'Cnn0003'", "[Input(width, height, depth)]");

    [Fact]
    public void Cnn0004_RepeatedInput() =>
        AssertDiagnostic(Single("CNN0004"), "CNN0004", DiagnosticSeverity.Error, "Input(8, 8, 3)", 7, "exactly one [Input]");

    [Fact]
    public void Cnn0005_InputNotFirst() =>
        AssertDiagnostic(Single("CNN0005"), "CNN0005", DiagnosticSeverity.Error, "Input(4, 4, 1)", 6, "comes after [Relu]");

    [Fact]
    public void Cnn0006_NoLayers() =>
        AssertDiagnostic(Single("CNN0006"), "CNN0006", DiagnosticSeverity.Error, "Input(4, 4, 1)", 5, "'Cnn0006'");

    [Fact]
    public void Cnn0007_NotPositive_PointsAtTheArgument() =>
        AssertDiagnostic(Single("CNN0007"), "CNN0007", DiagnosticSeverity.Error, "0", 6, "Conv1", "height is 0", "at least 1");

    [Fact]
    public void Cnn0008_NegativePadding() =>
        AssertDiagnostic(Single("CNN0008"), "CNN0008", DiagnosticSeverity.Error, "PadLeft = -1", 6, "Conv1", "PadLeft is -1");

    [Fact]
    public void Cnn0009_DepthMismatch() =>
        AssertDiagnostic(Single("CNN0009"), "CNN0009", DiagnosticSeverity.Error, "Depth = 1", 6, "Conv1", "depth 1", "8×8×3", "Depth = 3");

    [Fact]
    public void Cnn0010_InputsMismatch() =>
        AssertDiagnostic(Single("CNN0010"), "CNN0010", DiagnosticSeverity.Error, "Inputs = 30", 6, "Fc1", "expects 30 inputs", "4×4×2", "flattens to 32", "Inputs = 32");

    [Fact]
    public void Cnn0011_WindowTooLarge_OnlyOnTheAxisThatDoesNotFit()
    {
        // Width: 5 > 4 does not fit; height: 3 ≤ 6 fits.
        Diagnostic d = Single("CNN0011");
        AssertDiagnostic(d, "CNN0011", DiagnosticSeverity.Error, "5", 6, "Conv1", "width window of 5", "padded input of 4", "(4 − 5 + 2·0)/1 + 1 < 1");
    }

    [Fact]
    public void Cnn0011_APoolWindowTooLargeBothWays_IsReportedOnce_OnItsWidth()
    {
        Diagnostic d = Assert.Single(Diagnose(GeneratorHarness.Usings + "\n[Network, Input(4, 3, 2), MaxPool(6, 5)] public partial class Big { }\n"));
        AssertDiagnostic(d, "CNN0011", DiagnosticSeverity.Error, "6", 4, "MaxPool1", "width × height window of 6×5", "padded input of 4×3", "< 1 and (");
    }

    [Fact]
    public void Cnn0011_APoolWindowTooTall_IsOnItsHeight()
    {
        Diagnostic d = Assert.Single(Diagnose(GeneratorHarness.Usings + "\n[Network, Input(8, 3, 2), MaxPool(2, 4)] public partial class Tall { }\n"));
        AssertDiagnostic(d, "CNN0011", DiagnosticSeverity.Error, "4", 4, "MaxPool1", "height window of 4", "padded input of 3");
    }

    [Fact]
    public void Cnn0012_InexactDivision_IsAWarning_OnTheAxisThatDoesNotTile()
    {
        // width: (8 − 3)/2 + 1 = 3.5, one column never read; height: (9 − 3)/2 + 1 = 4 exactly.
        AssertDiagnostic(Single("CNN0012"), "CNN0012", DiagnosticSeverity.Warning, "Stride = 2", 6, "Conv1", "(8 − 3 + 2·0)/2 + 1 = 3.5", "width", "last 1 column ");
    }

    [Fact]
    public void Cnn0013_LayerAfterSoftmax() =>
        AssertDiagnostic(Single("CNN0013"), "CNN0013", DiagnosticSeverity.Error, "Relu", 8, "[Relu] comes after [Softmax]");

    [Fact]
    public void Cnn0014_SpatialAfterFullyConnected() =>
        AssertDiagnostic(Single("CNN0014"), "CNN0014", DiagnosticSeverity.Error, "Conv(1, 1, 1)", 7, "[Conv]", "follows Fc1");

    [Fact]
    public void Cnn0015_TooLarge() =>
        AssertDiagnostic(Single("CNN0015"), "CNN0015", DiagnosticSeverity.Error, "Input(65536, 65536, 1)", 5, "4,294,967,296");

    [Fact]
    public void Cnn0016_PoolPaddingTooLarge() =>
        AssertDiagnostic(Single("CNN0016"), "CNN0016", DiagnosticSeverity.Error, "Padding = 2", 6, "MaxPool1", "padding of 2", "window of 2");

    [Fact]
    public void Cnn0017_ContainingTypeNotPartial() =>
        AssertDiagnostic(Single("CNN0017"), "CNN0017", DiagnosticSeverity.Error, "Cnn0017", 9, "'Cnn0017'", "'Outer0017'");

    [Fact]
    public void Cnn0021_ClassNotInstantiable() =>
        AssertDiagnostic(Single("CNN0021"), "CNN0021", DiagnosticSeverity.Error, "Cnn0021", 7, "'Cnn0021'", "is static", "remove the 'static' modifier");

    [Fact]
    public void AbstractNetwork_IsNotInstantiableEither()
    {
        Diagnostic d = Assert.Single(Diagnose(GeneratorHarness.Usings + "\n[Network, Input(4, 4, 1), Relu] public abstract partial class Shape { }\n"));
        Assert.Equal("CNN0021", d.Id);
        Assert.Contains("is abstract", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Cnn0035_GroupsDoNotDivide_SuggestsTheLargestThatDoes() =>
        AssertDiagnostic(Single("CNN0035"), "CNN0035", DiagnosticSeverity.Error, "Groups = 4", 6, "Conv1", "the input depth 6 is not a multiple of Groups = 4", "use Groups = 2");

    [Fact]
    public void Cnn0035_FiltersNotAMultipleOfGroups()
    {
        Diagnostic d = Assert.Single(Diagnose(GeneratorHarness.Usings + "\n[Network, Input(8, 8, 4), Conv(3, 3, 6, Groups = 4)] public partial class A { }\n"));
        AssertDiagnostic(d, "CNN0035", DiagnosticSeverity.Error, "Groups = 4", 4, "filters 6 is not a multiple of Groups = 4", "use Groups = 2");
    }

    [Fact]
    public void Groups_BelowOne_IsNotPositive()
    {
        Diagnostic d = Assert.Single(Diagnose(GeneratorHarness.Usings + "\n[Network, Input(8, 8, 4), Conv(3, 3, 4, Groups = 0)] public partial class A { }\n"));
        AssertDiagnostic(d, "CNN0007", DiagnosticSeverity.Error, "Groups = 0", 4, "Groups is 0", "the number of groups");
    }

    [Fact]
    public void Cnn0036_NormalizeLength_PointsAtTheArray() =>
        AssertDiagnostic(Single("CNN0036"), "CNN0036", DiagnosticSeverity.Error, "new[] { 0.5f, 0.5f }", 6, "Normalize1", "mean has 2 values", "4×4×3 has 3 channels");

    [Fact]
    public void Cnn0037_NormalizeStdNotPositive() =>
        AssertDiagnostic(Single("CNN0037"), "CNN0037", DiagnosticSeverity.Error, "new[] { 0.2f, 0f }", 6, "Normalize1", "std[1] is 0", "greater than 0");

    [Fact]
    public void Cnn0038_OutputPaddingTooLarge() =>
        AssertDiagnostic(Single("CNN0038"), "CNN0038", DiagnosticSeverity.Error, "OutputPadding = 2", 6, "ConvTranspose1", "OutputPadding = 2 is not smaller than the stride 2", "from 0 to 2 − 1");

    [Fact]
    public void Cnn0039_TransposeOutputEmpty_OnEachAxis()
    {
        Diagnostic[] all = Diagnose(SourceOf("CNN0039"));
        Assert.Equal(2, all.Length);
        AssertDiagnostic(all[0], "CNN0039", DiagnosticSeverity.Error, "Padding = 1", 6, "ConvTranspose1", "(1 − 1)·1 − 2·1 + (1 − 1) + 0 + 1 = -1");
    }

    [Fact]
    public void Cnn0040_TransposePaddingUnread_IsAWarning() =>
        AssertDiagnostic(Single("CNN0040"), "CNN0040", DiagnosticSeverity.Warning, "Padding = 2", 6, "ConvTranspose1", "Padding = 2 is at least the kernel width of 2", "below 2");

    [Fact]
    public void Cnn0041_InvalidEpsilon() =>
        AssertDiagnostic(Single("CNN0041"), "CNN0041", DiagnosticSeverity.Error, "Epsilon = -1f", 6, "BatchNorm1", "Epsilon is -1", "1e-5");

    [Fact]
    public void Cnn0018_WeightsFileMissing() =>
        AssertDiagnostic(Single("CNN0018"), "CNN0018", DiagnosticSeverity.Error, "Weights = \"nowhere.weights\"", 4,
            "'nowhere.weights'", "w20.weights, unmeasured.weights, gone.weights", "<AdditionalFiles Include=\"nowhere.weights\" />");

    [Fact]
    public void Cnn0049_WeightsFileNotFound() =>
        AssertDiagnostic(Single("CNN0049"), "CNN0049", DiagnosticSeverity.Error, "Weights = \"gone.weights\"", 4,
            "'gone.weights'", "'/project/gone.weights' does not exist", "cnngen import");

    [Fact]
    public void Cnn0019_WeightsSizeMismatch() =>
        AssertDiagnostic(Single("CNN0019"), "CNN0019", DiagnosticSeverity.Error, "Weights = \"Model/w20.weights\"", 4,
            "holds 80 bytes", "ParameterCount = 30 floats (120 bytes)"); // 3 filters of 3·3·1 + 3 biases

    [Fact]
    public void Cnn0020_WeightsNotMeasured() =>
        AssertDiagnostic(Single("CNN0020"), "CNN0020", DiagnosticSeverity.Warning, "Weights = \"unmeasured.weights\"", 4,
            "'unmeasured.weights'", "CnnGen.targets");

    [Fact]
    public void WeightsFileOfTheRightSize_IsAcceptedAndGivesAParameterlessConstructor()
    {
        string source = GeneratorHarness.Usings + "\n[Network(Weights = \"w20.weights\")] [Input(4, 4, 1)] [Conv(3, 3, 2)] public partial class Fits { }\n";
        GeneratorRun run = GeneratorHarness.Run(DriverWithWeightsFiles(), GeneratorHarness.CreateCompilation(new[] { source }));
        run.ThrowIfGeneratorFailed();
        Assert.Empty(run.GeneratorDiagnostics);
        string generated = Assert.Single(run.GeneratedSources).SourceText.ToString();
        Assert.Contains("public Fits()", generated);
        Assert.Contains("\"CnnGen.Weights.w20.weights\"", generated);
    }

    /// <summary>Diagnostics carry real source locations, so the compiler applies <c>#pragma warning disable</c> to them.</summary>
    [Fact]
    public void PragmaWarningDisable_SuppressesAWarning()
    {
        string source = GeneratorHarness.Usings + """

            #pragma warning disable CNN0012
            [Network, Input(8, 8, 1), Conv(3, 3, 2, Stride = 2)] public partial class Suppressed { }
            #pragma warning restore CNN0012
            [Network, Input(8, 8, 1), Conv(3, 3, 2, Stride = 2)] public partial class Reported { }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        run.ThrowIfGeneratorFailed();
        Diagnostic[] reported = run.DriverDiagnostics.Where(d => d.Id == "CNN0012" && !d.IsSuppressed).ToArray();
        Assert.Equal(2, reported.Length); // width and height of Reported, nothing of Suppressed
        Assert.All(reported, d => Assert.Contains("Conv(3, 3, 2, Stride = 2)] public partial class Reported", d.Location.SourceTree!.GetText().Lines[d.Location.GetLineSpan().StartLinePosition.Line].ToString()));
    }

    [Fact]
    public void Cnn0042_SliceOutOfRange_OnTheArgumentThatOverruns()
    {
        AssertDiagnostic(Single("CNN0042"), "CNN0042", DiagnosticSeverity.Error, "4", 6,
            "Slice1: start 6 and count 4 take channels 6 to 9, but its input 4×4×8 has channels 0 to 7", "use count = 2", "start of at most 4");
        Diagnostic start = Assert.Single(Diagnose(GeneratorHarness.Usings + """
            [Network]
            [Input(4, 4, 3)]
            [Slice(-1, 2)]
            public partial class SliceStart { }
            """));
        AssertDiagnostic(start, "CNN0042", DiagnosticSeverity.Error, "-1", 5, "start is -1", "use a start from 0 to 2");
    }

    [Fact]
    public void Cnn0043_ShuffleGroupsMismatch_ListsTheDivisors() =>
        AssertDiagnostic(Single("CNN0043"), "CNN0043", DiagnosticSeverity.Error, "4", 6, "4 groups do not divide the 6 channels of its input 4×4×6", "(1, 2, 3, 6)");

    [Fact]
    public void Cnn0044_UnknownUpsampleMode() =>
        AssertDiagnostic(Single("CNN0044"), "CNN0044", DiagnosticSeverity.Error, "Mode = (UpsampleMode)7", 6, "Mode is 7", "UpsampleMode.Bilinear");

    [Fact]
    public void Cnn0045_AlignCornersNeedsBilinear() =>
        AssertDiagnostic(Single("CNN0045"), "CNN0045", DiagnosticSeverity.Error, "AlignCorners = true", 6, "set Mode = UpsampleMode.Bilinear");

    [Fact]
    public void Cnn0046_PadAddsNothing_IsAWarning_AndTheNetworkIsGenerated() =>
        AssertDiagnostic(Single("CNN0046"), "CNN0046", DiagnosticSeverity.Warning, "Pad(0)", 6, "Pad1 pads every side with 0");

    [Fact]
    public void ShapeKinds_ReuseTheCommonChecks_OnTheirArguments()
    {
        Diagnostic[] all = Diagnose(GeneratorHarness.Usings + """
            [Network]
            [Input(4, 4, 6)]
            [Slice(0, 0)]
            public partial class A { }

            [Network]
            [Input(4, 4, 6)]
            [ChannelShuffle(0)]
            public partial class B { }

            [Network]
            [Input(4, 4, 6)]
            [Upsample(2, ScaleY = 0)]
            public partial class C { }

            [Network]
            [Input(4, 4, 6)]
            [Pad(1, PadTop = -2)]
            public partial class D { }

            [Network]
            [Input(4, 4, 6)]
            [FullyConnected(8)]
            [Upsample(2)]
            public partial class E { }
            """);
        Assert.Equal(
            new[] { ("CNN0007", "0"), ("CNN0007", "0"), ("CNN0007", "ScaleY = 0"), ("CNN0008", "PadTop = -2"), ("CNN0014", "Upsample(2)") },
            all.Select(d => (d.Id, LocationText(d))));
    }

    [Fact]
    public void Cnn0030_ClipBoundsReversed() =>
        AssertDiagnostic(Single("CNN0030"), "CNN0030", DiagnosticSeverity.Error, "6", 6, "Clip1", "min 6 is greater than max 0", "[Clip(0, 6)]");

    [Fact]
    public void Cnn0031_NotFiniteArgument() =>
        AssertDiagnostic(Single("CNN0031"), "CNN0031", DiagnosticSeverity.Error, "Slope = float.NaN", 6, "LeakyRelu1", "Slope is NaN", "a finite number");

    [Fact]
    public void Cnn0031_ClipMayBeInfiniteButNotNaN()
    {
        Assert.Empty(Diagnose(GeneratorHarness.Usings + """
            [Network]
            [Input(4, 4, 1)]
            [Clip(float.NegativeInfinity, 6)]
            public partial class OneSided { }
            """));
        Diagnostic d = Assert.Single(Diagnose(GeneratorHarness.Usings + """
            [Network]
            [Input(4, 4, 1)]
            [Elu(Alpha = 1)]
            [Clip(0, max: float.NaN)]
            public partial class NaNBound { }
            """));
        AssertDiagnostic(d, "CNN0031", DiagnosticSeverity.Error, "max: float.NaN", 6, "Clip1", "max is NaN");
    }

    [Fact]
    public void Cnn0032_LayerAfterLogSoftmax() =>
        AssertDiagnostic(Single("CNN0032"), "CNN0032", DiagnosticSeverity.Error, "Relu", 7, "[Relu] comes after [LogSoftmax]");

    [Fact]
    public void Cnn0033_UnknownGeluApproximation() =>
        AssertDiagnostic(Single("CNN0033"), "CNN0033", DiagnosticSeverity.Error, "Approximate = (GeluApproximation)5", 6, "Gelu1", "Approximate = 5", "GeluApproximation.Tanh");

    [Fact]
    public void Cnn0034_DropoutProbability_IsAWarning_AndTheNetworkIsGenerated()
    {
        AssertDiagnostic(Single("CNN0034"), "CNN0034", DiagnosticSeverity.Warning, "Probability = 1.5f", 6, "Dropout1", "Probability = 1.5");
        GeneratorRun run = GeneratorHarness.Run(SourceOf("CNN0034"));
        Assert.Contains("public void Forward(global::System.ReadOnlySpan<float> input, global::System.Span<float> output)", run.Source("Cnn0034"), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryDescriptor_HasACase()
    {
        Type descriptors = GeneratorHarness.GeneratorAssembly.GetType("CnnGen.Generator.Diagnostics.DiagnosticDescriptors", throwOnError: true)!;
        string[] ids = descriptors.GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id)
            .Where(id => id != "CNN0099") // internal error: no valid input may trigger it
            .OrderBy(id => id, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(ids, Cases.Select(c => c.Id).OrderBy(id => id, StringComparer.Ordinal));
    }

    [Fact]
    public void EachCase_ReportsItsOwnId()
    {
        foreach ((string id, _) in Cases)
        {
            Diagnostic[] all = Diagnose(SourceOf(id));
            Assert.True(all.Length > 0 && all.All(d => d.Id == id), $"{id}: got {string.Join("; ", all.Select(Format))}");
        }
    }

    [Fact]
    public void Snapshot_OfEveryDiagnostic()
    {
        var text = new StringBuilder();
        foreach ((string id, _) in Cases)
        {
            text.Append("## ").AppendLine(id);
            foreach (Diagnostic d in Diagnose(SourceOf(id)))
            {
                text.AppendLine(Format(d));
            }
            text.AppendLine();
        }
        Snapshot.Verify("Diagnostics", text.ToString(), "txt");
    }

    [Fact]
    public void ZeroStride_IsReportedOnce()
    {
        Diagnostic[] all = Diagnose(GeneratorHarness.Usings + """
            [Network]
            [Input(8, 8, 1)]
            [Conv(3, 3, 1, Stride = 0)]
            public partial class ZeroStride { }
            """);
        Diagnostic d = Assert.Single(all);
        AssertDiagnostic(d, "CNN0007", DiagnosticSeverity.Error, "Stride = 0", 5, "Stride is 0");
    }

    [Fact]
    public void ZeroPoolStride_IsReportedOnce()
    {
        Diagnostic[] all = Diagnose(GeneratorHarness.Usings + """
            [Network]
            [Input(8, 8, 1)]
            [MaxPool(2, 2, Stride = 0)]
            public partial class ZeroPoolStride { }
            """);
        Diagnostic d = Assert.Single(all);
        AssertDiagnostic(d, "CNN0007", DiagnosticSeverity.Error, "Stride = 0", 5, "Stride is 0");
    }

    [Fact]
    public void SeveralProblems_AreAllReported_EachOnItsArgument()
    {
        Diagnostic[] all = Diagnose(GeneratorHarness.Usings + """
            [Network]
            [Input(0, 8, 1)]
            [Relu]
            public partial class A { }

            [Network]
            [Input(8, 8, 1)]
            [Conv(3, 3, -2, PadTop = -1, Dilation = 0)]
            public partial class B { }
            """);
        Assert.Equal(
            new[] { ("CNN0007", "0"), ("CNN0007", "-2"), ("CNN0008", "PadTop = -1"), ("CNN0007", "Dilation = 0") }.OrderBy(x => x.Item2, StringComparer.Ordinal),
            all.Select(d => (d.Id, LocationText(d))).OrderBy(x => x.Item2, StringComparer.Ordinal));
    }

    [Fact]
    public void Diagnostics_PointIntoTheUsersSource()
    {
        // A real source location is what lets #pragma warning disable and editor squiggles work.
        foreach ((string id, _) in Cases)
        {
            foreach (Diagnostic d in Diagnose(SourceOf(id)))
            {
                Assert.True(d.Location.IsInSource, Format(d));
                Assert.Equal("Source0.cs", d.Location.SourceTree!.FilePath);
            }
        }
    }

    public static IEnumerable<object[]> Garbage() => new[]
    {
        "[Network] [Input(",
        "[Network] [Input(4, 4, 1)] [Conv(3, 3, ] public partial class A { }",
        "[Network] [Input(\"a\", 2, 3)] [Relu] public partial class A { }",
        "[Network] [Input(1, 2)] [Relu] public partial class A { }",
        "[Network] [Input(1, 2, 3, 4)] [Relu] public partial class A { }",
        "[Network] [Input(4, 4, 1)] [Conv(3, 3, 1, CeilMode = true)] public partial class A { }",
        "[Network] [Input(4, 4, 1)] [MaxPool(2, 2, CeilMode = \"yes\")] public partial class A { }",
        "[Network] [Input(4, 4, 1)] [Conv(1, 1, 1, Stride = 1, Stride = 2)] public partial class A { }",
        "[Network] [Input(4, 4, 1)] [Conv(1, 1, 1, Nonsense = 2)] public partial class A { }",
        "[Network] [Network] [Input(4, 4, 1)] [Relu] public partial class A { }",
        "[Network] [Input(int.MaxValue, int.MaxValue, int.MaxValue)] [Conv(int.MaxValue, int.MaxValue, int.MaxValue, Stride = int.MaxValue, Dilation = int.MaxValue)] public partial class A { }",
        "[Network] [Input(int.MaxValue, 1, 1)] [Conv(1, 1, 1, Padding = int.MaxValue)] public partial class A { }",
        "[Network] [Input(1, 1, 1)] [Conv(1, 1, 1, PadLeft = 1500000000, PadRight = 1500000000)] public partial class A { }",
        "[Network] [Input(1, 1, 1)] [Conv(1, 1, 1, PadTop = 1500000000, PadBottom = 1500000000, PadLeft = 2)] public partial class A { }",
        "[Network] [Input(2, 2, 1)] [MaxPool(int.MaxValue, 1, PadLeft = int.MaxValue - 1, PadRight = int.MaxValue - 1, CeilMode = true)] public partial class A { }",
        "[Network] [Input(1, 1, 1)] [FullyConnected(int.MaxValue)] public partial class A { }",
        "[Network] [Input(1, 1, 1)] [FullyConnected(int.MinValue)] public partial class A { }",
        "[Network] [Input(-1, -1, -1)] [Conv(-3, -3, -3, Stride = -1, Padding = -1, Dilation = -1)] public partial class A { }",
        "[Network] [Input(4, 4, 1)] [Conv(3, 3, 1, StrideX = 0, StrideY = -1, DilationX = 0)] [MaxPool(0, 0)] [AvgPool(-1, 2, Padding = 5)] public partial class A { }",
        "[Network] [Input(4, 4, 1)] [AvgPool(5, 5, Padding = 1, CeilMode = true, Stride = 100)] public partial class A { }",
        "[Network] [Softmax] [Softmax] [Input(4, 4, 1)] [Input(4, 4, 1)] [Softmax] [Conv(1,1,1)] public partial class A { }",
        "[Network] public partial class A { }",
        "[Network] [Input(4, 4, 1)] [Relu] public static partial class A { }",
        "[Network] [Input(4, 4, 1)] [Relu] public partial struct S { }",
        "[Network] [Input(4, 4, 1)] [Relu] public partial interface I { }",
        "[Network] [Input(4, 4, 1)] [Relu] public partial class A<T> where T : struct { }",
        "[Network] [Input(4, 4, 1)] [Relu] partial class A { } partial class A { public void Forward(System.ReadOnlySpan<float> x, System.Span<float> y) { } }",
        "[Network] [Input(4, 4, 1)] [Relu] public partial class @class { }",
        "[Network] [Input(4, 4, 1)] [Relu] public partial class",
        "[Network] [Input(4, 4, 1)] [Relu] delegate void D();",
        "[Network] [Input(4, 4, 1)] [Relu] enum E { }",
        "class C { [Network] [Input(4, 4, 1)] [Relu] void M() { } }",
        "[Network] [Input(4, 4, 1)] [Upsample(int.MaxValue)] [Pad(int.MaxValue)] public partial class A { }",
        "[Network] [Input(4, 4, 1)] [Pad(int.MaxValue, PadLeft = int.MinValue)] [Slice(int.MinValue, int.MaxValue)] public partial class A { }",
        "[Network] [Input(4, 4, 3)] [Slice(2, int.MaxValue)] [ChannelShuffle(int.MinValue)] [Upsample(-1, Mode = (UpsampleMode)(-1))] public partial class A { }",
        "[Network] [Input(4, 4, 1)] [Upsample(2, ScaleX = 1073741824)] [GlobalMaxPool] public partial class A { }",
        "[Network] [Input(4, 4, 1)] [Upsample(2, Mode = \"bilinear\")] [Pad(\"1\")] public partial class A { }",
        "[Network] [Input(4, 4, 1)] [Clip(float.NaN, float.NaN)] [HardSigmoid(Alpha = float.PositiveInfinity, Beta = float.NaN)] [Elu(Alpha = -float.Epsilon)] public partial class A { }",
        "[Network] [Input(4, 4, 1)] [Gelu(Approximate = (GeluApproximation)(-1))] [LogSoftmax] [LogSoftmax] [Softmax] [PRelu] public partial class A { }",
        "[Network] [Input(4, 4, 1)] [Dropout(Probability = float.NaN)] [Flatten] [Dropout] public partial class A { }",
        "[Network] [Input(1, 1, 1)] [PRelu] [PRelu(From = \"Input\")] [Add(\"PRelu1\")] [PRelu] public partial class A { }",
        "[Network] [Input(4, 4, 3)] [Normalize(null, null)] public partial class A { }",
        "[Network] [Input(4, 4, 3)] [Normalize(new float[0], new[] { float.NaN, float.PositiveInfinity, -1f })] public partial class A { }",
        "[Network] [Input(4, 4, 2)] [BatchNorm(Epsilon = float.NaN)] [Conv(3, 3, 2, Groups = int.MaxValue)] public partial class A { }",
        "[Network] [Input(int.MaxValue, 1, 1)] [ConvTranspose(int.MaxValue, 1, 1, Stride = int.MaxValue, Padding = int.MinValue, OutputPadding = -1)] public partial class A { }",
        "[Network] [Input(65536, 65536, 1)] [ConvTranspose(3, 3, 1, Stride = 65536)] public partial class A { }",
        "[Network] [Input(100000, 1, 1)] [ConvTranspose(3, 3, 1, Stride = 100000)] public partial class A { }",
        "[Network] [Input(46341, 46341, 1)] [ConvTranspose(2, 2, 2, Stride = 2)] public partial class A { }",
        "[Network] [Input(4, 4, 1)] [FullyConnected(4)] [ConvTranspose(1, 1, 1)] [BatchNorm] public partial class A { }",
    }.Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_NeverThrows(string body)
    {
        foreach (string usings in new[] { GeneratorHarness.Usings, "" })
        {
            GeneratorRun run = GeneratorHarness.Run(usings + body + "\n");
            Assert.Empty(run.Exceptions);
            Assert.DoesNotContain(run.DriverDiagnostics, d => d.Id is "CS8785" or "CS8784");
            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "CNN0099");
            // Whatever was generated must at least parse.
            foreach (GeneratedSourceResult generated in run.GeneratedSources)
            {
                Assert.DoesNotContain(generated.SyntaxTree.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
            }
        }
    }
}
