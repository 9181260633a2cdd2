using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CnnGen.CodeFixes.Tests;

/// <summary>CNN0009, CNN0010, CNN0012: the fix writes the argument and value the diagnostic carries.</summary>
public sealed class SetArgumentTests
{
    private static readonly SetArgumentCodeFixProvider Provider = new();

    [Fact]
    public async Task Replaces_a_wrong_Depth_in_place()
    {
        const string Before = """
            using CnnGen;

            [Network]
            [Input(8, 8, 3)]
            [Conv(3, 3, 4, Depth = 1, Padding = 1)]
            [FullyConnected(2)]
            public partial class Net { }
            """;
        const string After = """
            using CnnGen;

            [Network]
            [Input(8, 8, 3)]
            [Conv(3, 3, 4, Depth = 3, Padding = 1)]
            [FullyConnected(2)]
            public partial class Net { }
            """;
        await FixHarness.AssertCleanAsync(await FixHarness.FixAsync(Provider, Before, "CNN0009", "Set Depth = 3", After));
    }

    [Fact]
    public async Task Replaces_a_wrong_Inputs_in_place()
    {
        const string Before = """
            using CnnGen;

            [Network]
            [Input(4, 4, 2)]
            [FullyConnected(10, Inputs = 4 * 4)]
            public partial class Net { }
            """;
        const string After = """
            using CnnGen;

            [Network]
            [Input(4, 4, 2)]
            [FullyConnected(10, Inputs = 32)]
            public partial class Net { }
            """;
        await FixHarness.AssertCleanAsync(await FixHarness.FixAsync(Provider, Before, "CNN0010", "Set Inputs = 32", After));
    }

    [Fact]
    public async Task Pads_a_pool_whose_default_stride_does_not_tile()
    {
        // (7 − 2)/2 + 1 = 3.5 along the width only; the diagnostic is on the whole attribute (no Stride written).
        const string Before = """
            using CnnGen;

            [Network]
            [Input(7, 8, 1)]
            [MaxPool(2, 2)]
            [FullyConnected(2)]
            public partial class Net { }
            """;
        const string After = """
            using CnnGen;

            [Network]
            [Input(7, 8, 1)]
            [MaxPool(2, 2, PadRight = 1)]
            [FullyConnected(2)]
            public partial class Net { }
            """;
        await FixHarness.AssertCleanAsync(await FixHarness.FixAsync(Provider, Before, "CNN0012", "Set PadRight = 1", After));
    }

    [Fact]
    public async Task Raises_a_stated_PadRight()
    {
        // (28 − 5 + 0 + 0)/2 + 1 = 12.5: one more column on the right tiles it; the height already has PadBottom = 1.
        const string Before = """
            using CnnGen;

            [Network]
            [Input(28, 28, 1)]
            [Conv(5, 5, 4, Stride = 2, PadRight = 0, PadBottom = 1)]
            [FullyConnected(2)]
            public partial class Net { }
            """;
        const string After = """
            using CnnGen;

            [Network]
            [Input(28, 28, 1)]
            [Conv(5, 5, 4, Stride = 2, PadRight = 1, PadBottom = 1)]
            [FullyConnected(2)]
            public partial class Net { }
            """;
        await FixHarness.AssertCleanAsync(await FixHarness.FixAsync(Provider, Before, "CNN0012", "Set PadRight = 1", After));
    }

    [Fact]
    public async Task Fixes_both_axes_one_after_the_other()
    {
        const string Before = """
            using CnnGen;

            [Network]
            [Input(28, 28, 1)]
            [Conv(5, 5, 4, Stride = 2)]
            [FullyConnected(2)]
            public partial class Net { }
            """;
        Document document = FixHarness.CreateDocument(Before);
        var run = await FixHarness.RunGeneratorAsync(document);
        Assert.Equal(new[] { "PadRight", "PadBottom" }, run.GeneratorDiagnostics.Select(d => d.Properties["CnnGen.FixArgument"]));

        foreach (string title in new[] { "Set PadRight = 1", "Set PadBottom = 1" })
        {
            Diagnostic first = (await FixHarness.RunGeneratorAsync(document)).GeneratorDiagnostics.First();
            Microsoft.CodeAnalysis.CodeActions.CodeAction action = Assert.Single(await FixHarness.FixesAsync(Provider, document, first));
            Assert.Equal(title, action.Title);
            document = await FixHarness.ApplyAsync(document, action);
        }

        Assert.Equal("""
            using CnnGen;

            [Network]
            [Input(28, 28, 1)]
            [Conv(5, 5, 4, Stride = 2, PadRight = 1, PadBottom = 1)]
            [FullyConnected(2)]
            public partial class Net { }
            """, (await document.GetTextAsync()).ToString());
        await FixHarness.AssertCleanAsync(document);
    }

    [Fact]
    public async Task Offers_nothing_for_a_diagnostic_without_a_fix_value()
    {
        // CNN0012 with the properties stripped, as an older generator would report it.
        Document document = FixHarness.CreateDocument("""
            using CnnGen;

            [Network]
            [Input(7, 8, 1)]
            [MaxPool(2, 2)]
            [FullyConnected(2)]
            public partial class Net { }
            """);
        Diagnostic reported = await FixHarness.SingleDiagnosticAsync(document, "CNN0012");
        Diagnostic bare = Diagnostic.Create(reported.Descriptor, reported.Location);
        Assert.Empty(await FixHarness.FixesAsync(Provider, document, bare));
    }
}
