namespace CnnGen.Onnx.Import;

/// <summary>Window arithmetic shared by the importer and the exporter, with the same rules as CnnGen's generator.</summary>
internal static class Geometry
{
    /// <summary>
    /// Output size along one axis: <c>floor((in + before + after − dilation·(F − 1) − 1) / stride) + 1</c>, or in ceil mode
    /// rounded up, dropping a last window that would start in the trailing padding (PyTorch and ONNX Runtime).
    /// Returns a value below 1 when the window does not fit.
    /// </summary>
    public static long OutputSize(long size, long window, long stride, long before, long after, long dilation, bool ceil)
    {
        long span = size + before + after - (dilation * (window - 1) + 1);
        if (span < 0)
        {
            return 0;
        }
        if (!ceil)
        {
            return span / stride + 1;
        }
        long up = (span + stride - 1) / stride + 1;
        if ((up - 1) * stride >= size + before)
        {
            up--;
        }
        return up;
    }

    /// <summary>ONNX <c>auto_pad</c> SAME_UPPER/SAME_LOWER: total padding so that output = ceil(in / stride), split with the odd one after (upper) or before (lower).</summary>
    public static (int Before, int After) SamePadding(int size, int window, int stride, int dilation, bool upper)
    {
        long output = (size + stride - 1) / stride;
        long total = (output - 1) * stride + (long)dilation * (window - 1) + 1 - size;
        if (total < 0)
        {
            total = 0;
        }
        long small = total / 2;
        long large = total - small;
        return upper ? ((int)small, (int)large) : ((int)large, (int)small);
    }
}
