using System;
using System.ComponentModel;

namespace CnnGen.Internal;

/// <summary>
/// Construction-time helper of generated networks: keeps the taps of a conv's window that can read the input and drops
/// the ones that only ever read padding. Not meant to be called by user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KeptTaps
{
    /// <summary>
    /// Compacts, in place at <paramref name="offset"/>, the weights <c>[planes][kernelHeight][kernelWidth]</c> (planes =
    /// filters × channels per group) to <c>[planes][rows][columns]</c>, the block of taps starting at
    /// (<paramref name="firstRow"/>, <paramref name="firstColumn"/>), and moves the <paramref name="biases"/> that
    /// follow them to right after the kept taps. Every value moves down or stays, so one forward pass is safe.
    /// </summary>
    public static void Keep(float[] parameters, int offset, int planes, int kernelHeight, int kernelWidth,
        int firstRow, int firstColumn, int rows, int columns, int biases)
    {
        Span<float> p = parameters.AsSpan(offset);
        int kept = 0;
        for (int plane = 0; plane < planes; plane++)
        {
            for (int row = 0; row < rows; row++)
            {
                int from = (plane * kernelHeight + firstRow + row) * kernelWidth + firstColumn;
                p.Slice(from, columns).CopyTo(p.Slice(kept, columns));
                kept += columns;
            }
        }
        p.Slice(planes * kernelHeight * kernelWidth, biases).CopyTo(p.Slice(kept, biases));
    }
}
