using CnnGen.Geometry;

namespace CnnGen.Onnx.Import;

/// <summary>ONNX-only window arithmetic; the layer formulas themselves are in <see cref="LayerMath"/>.</summary>
internal static class AutoPad
{
    /// <summary>ONNX <c>auto_pad</c> SAME_UPPER/SAME_LOWER: total padding so that output = ceil(in / stride), split with the odd one after (upper) or before (lower).</summary>
    public static (int Before, int After) Same(int size, int window, int stride, int dilation, bool upper)
    {
        long output = ((long)size + stride - 1) / stride;
        long total = (output - 1) * stride + LayerMath.DilatedWindow(window, dilation) - size;
        if (total < 0)
        {
            total = 0;
        }
        long small = total / 2;
        long large = total - small;
        return upper ? ((int)small, (int)large) : ((int)large, (int)small);
    }
}
