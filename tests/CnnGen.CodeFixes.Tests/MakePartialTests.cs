using System.Threading.Tasks;
using Xunit;

namespace CnnGen.CodeFixes.Tests;

/// <summary>CNN0001 and CNN0017: the fix adds <c>partial</c> where C# wants it and the generator is then satisfied.</summary>
public sealed class MakePartialTests
{
    private static readonly MakePartialCodeFixProvider Provider = new();

    [Fact]
    public async Task Adds_partial_after_the_other_modifiers()
    {
        const string Before = """
            using CnnGen;

            [Network]
            [Input(8, 8, 1)]
            [FullyConnected(2)]
            public sealed class Net { }
            """;
        const string After = """
            using CnnGen;

            [Network]
            [Input(8, 8, 1)]
            [FullyConnected(2)]
            public sealed partial class Net { }
            """;
        await FixHarness.AssertCleanAsync(await FixHarness.FixAsync(Provider, Before, "CNN0001", "Make 'Net' partial", After));
    }

    [Fact]
    public async Task Adds_partial_in_front_of_a_bare_class_keeping_its_indentation()
    {
        const string Before = """
            namespace Models
            {
                [CnnGen.Network]
                [CnnGen.Input(8, 8, 1)]
                [CnnGen.FullyConnected(2)]
                class Net
                {
                }
            }
            """;
        const string After = """
            namespace Models
            {
                [CnnGen.Network]
                [CnnGen.Input(8, 8, 1)]
                [CnnGen.FullyConnected(2)]
                partial class Net
                {
                }
            }
            """;
        await FixHarness.AssertCleanAsync(await FixHarness.FixAsync(Provider, Before, "CNN0001", "Make 'Net' partial", After));
    }

    [Fact]
    public async Task Makes_a_record_partial()
    {
        const string Before = """
            using CnnGen;

            [Network, Input(8, 8, 1), FullyConnected(2)]
            public record Net;
            """;
        const string After = """
            using CnnGen;

            [Network, Input(8, 8, 1), FullyConnected(2)]
            public partial record Net;
            """;
        await FixHarness.AssertCleanAsync(await FixHarness.FixAsync(Provider, Before, "CNN0001", "Make 'Net' partial", After));
    }

    [Fact]
    public async Task Makes_every_enclosing_type_that_is_not_partial_partial()
    {
        const string Before = """
            using CnnGen;

            public static class Models
            {
                public partial class Vision
                {
                    internal class Digits
                    {
                        [Network]
                        [Input(8, 8, 1)]
                        [FullyConnected(2)]
                        public partial class Net { }
                    }
                }
            }
            """;
        const string After = """
            using CnnGen;

            public static partial class Models
            {
                public partial class Vision
                {
                    internal partial class Digits
                    {
                        [Network]
                        [Input(8, 8, 1)]
                        [FullyConnected(2)]
                        public partial class Net { }
                    }
                }
            }
            """;
        await FixHarness.AssertCleanAsync(await FixHarness.FixAsync(Provider, Before, "CNN0017", "Make 'Models', 'Digits' partial", After));
    }
}
