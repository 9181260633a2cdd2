using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Xunit;

namespace CnnGen.CodeFixes.Tests;

/// <summary>The "same padding" refactoring on <c>[Conv]</c>: offered exactly for odd square kernels without padding.</summary>
public sealed class SamePaddingTests
{
    private static readonly SamePaddingRefactoringProvider Provider = new();

    private static string Network(string conv) => $$"""
        using CnnGen;

        [Network]
        [Input(8, 8, 2)]
        {{conv}}
        [FullyConnected(2, Inputs = 8 * 8 * 4)]
        public partial class Net { }
        """;

    [Theory]
    [InlineData("[Conv(3, 3, 4)]", "[Conv(3, 3, 4, Padding = 1)]", "Pad to keep the size: Padding = 1")]
    [InlineData("[Conv(5, 5, 4, Depth = 2)]", "[Conv(5, 5, 4, Depth = 2, Padding = 2)]", "Pad to keep the size: Padding = 2")]
    [InlineData("[Conv(width: 3, height: 3, filters: 4)]", "[Conv(width: 3, height: 3, filters: 4, Padding = 1)]", "Pad to keep the size: Padding = 1")]
    [InlineData("[Conv(3, 3, 4, Dilation = 2)]", "[Conv(3, 3, 4, Dilation = 2, Padding = 2)]", "Pad to keep the size: Padding = 2")]
    [InlineData("[Conv(3, 3, 4, DilationX = 3, DilationY = 3)]", "[Conv(3, 3, 4, DilationX = 3, DilationY = 3, Padding = 3)]", "Pad to keep the size: Padding = 3")]
    public async Task Pads_an_odd_square_kernel_so_the_size_stays(string conv, string expected, string title)
    {
        Document document = FixHarness.CreateDocument(Network(conv));
        CodeAction action = Assert.Single(await FixHarness.RefactoringsAsync(Provider, document, "Conv("));
        Assert.Equal(title, action.Title);

        Document padded = await FixHarness.ApplyAsync(document, action);

        Assert.Equal(Network(expected), (await padded.GetTextAsync()).ToString());
        // The FullyConnected layer states Inputs = 8·8·4, so a clean run proves the output is still 8 × 8.
        await FixHarness.AssertCleanAsync(padded);
    }

    [Theory]
    [InlineData("[Conv(4, 4, 4)]")] // even kernel: no symmetric padding keeps the size
    [InlineData("[Conv(3, 5, 4)]")] // not square
    [InlineData("[Conv(1, 1, 4)]")] // nothing to pad
    [InlineData("[Conv(3, 3, 4, Padding = 0)]")] // padding already chosen
    [InlineData("[Conv(3, 3, 4, PadLeft = 1)]")]
    [InlineData("[Conv(3, 3, 4, DilationX = 2)]")] // the kernel spans 5 × 3
    [InlineData("[MaxPool(3, 3)]")] // not a convolution
    public async Task Is_not_offered_where_it_does_not_apply(string layer)
    {
        Document document = FixHarness.CreateDocument(Network(layer));
        Assert.Empty(await FixHarness.RefactoringsAsync(Provider, document, layer.Substring(1, 4)));
    }

    [Fact]
    public async Task Reads_constant_kernel_sizes()
    {
        const string Before = """
            using CnnGen;

            [Network]
            [Input(8, 8, 2)]
            [Conv(Net.Kernel, Net.Kernel, 4)]
            [FullyConnected(2)]
            public partial class Net { public const int Kernel = 7; }
            """;
        Document document = FixHarness.CreateDocument(Before);
        CodeAction action = Assert.Single(await FixHarness.RefactoringsAsync(Provider, document, "Conv("));
        Document padded = await FixHarness.ApplyAsync(document, action);
        Assert.Equal(Before.Replace("[Conv(Net.Kernel, Net.Kernel, 4)]", "[Conv(Net.Kernel, Net.Kernel, 4, Padding = 3)]"), (await padded.GetTextAsync()).ToString());
        await FixHarness.AssertCleanAsync(padded);
    }
}
