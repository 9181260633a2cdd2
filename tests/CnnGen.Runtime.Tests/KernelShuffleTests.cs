using System.Runtime.Intrinsics;
using Xunit;

namespace CnnGen.Runtime.Tests;

/// <summary>
/// The lane shuffles the generated <c>Vector128</c> kernels call (strided column gathers, 2×2/2 transposed-conv
/// interleaves) against plain indexing, on this machine's branch of each (shufps/unpck on x64; the generated
/// kernels' child runs in the generator tests check the same paths inside whole networks).
/// </summary>
public class KernelShuffleTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Columns_TakesEveryStrideThInput(int stride)
    {
        var row = new float[3 * stride + 1]; // exactly the inputs read: nothing after the last
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = i + 0.5f;
        }
        Vector128<float> columns = Kernels.Columns(ref row[0], stride);
        for (int lane = 0; lane < 4; lane++)
        {
            Assert.Equal(row[lane * stride], columns.GetElement(lane));
        }
    }

    [Fact]
    public void Interleave_AlternatesEvenAndOdd()
    {
        Vector128<float> even = Vector128.Create(0f, 2f, 4f, 6f), odd = Vector128.Create(1f, 3f, 5f, 7f);
        Assert.Equal(Vector128.Create(0f, 1f, 2f, 3f), Kernels.InterleaveLower(even, odd));
        Assert.Equal(Vector128.Create(4f, 5f, 6f, 7f), Kernels.InterleaveUpper(even, odd));
    }
}
