namespace CnnGen.Generator.Emit;

/// <summary>Which span a region lives in.</summary>
internal enum Storage
{
    /// <summary>The caller's input span (read only).</summary>
    Input,

    /// <summary>The caller's output span.</summary>
    Output,

    /// <summary>The thread's scratch array.</summary>
    Scratch,
}

/// <summary>
/// Where a layer's volume lives: element (c, y, x) is at
/// <c>Offset + Origin + c·PlaneStride + y·RowStride + x</c> of <see cref="Storage"/>.
/// A padded region has room around the volume (<c>Origin</c> skips the top and left borders)
/// whose values are written once, when the scratch array is created, and never again.
/// </summary>
internal sealed record Region(Storage Storage, int Offset, int RowStride, int PlaneStride, int Origin, int Length)
{
    /// <summary>A dense C,H,W volume of <paramref name="length"/> values with rows of <paramref name="width"/>.</summary>
    public static Region Dense(Storage storage, int offset, int width, int height, int length) =>
        new(storage, offset, width, width * height, 0, length);

    /// <summary>Offset of element (0, 0, 0) in its storage.</summary>
    public int Start => Offset + Origin;

    /// <summary>Whether <paramref name="volume"/> is stored without gaps here (no border), so it can be walked as one run of values.</summary>
    public bool IsDense(Shapes.Volume volume) => RowStride == volume.Width && PlaneStride == volume.Width * volume.Height;
}
