using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace CnnGen.Internal;

/// <summary>Argument checks shared by generated networks. Not meant to be called by user code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Guard
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    public static void Length(int actual, int expected, string what, string parameterName)
    {
        if (actual != expected)
        {
            ThrowLength(actual, expected, what, parameterName);
        }
    }

    /// <summary>
    /// Checks the arguments of a generated <see cref="IBatchTail.ForwardTail"/> and returns the number of items.
    /// </summary>
    public static int Tail(int features, int tailInputLength, int output, int outputLength, int scratch, int scratchLength, int maxDegreeOfParallelism)
    {
        if (features % tailInputLength != 0)
        {
            throw new ArgumentException($"Expected a multiple of the tail's {tailInputLength} input values but got {features}.", "features");
        }
        int count = features / tailInputLength;
        if ((long)count * outputLength != output)
        {
            throw new ArgumentException($"Expected {(long)count * outputLength} output values ({count} items × {outputLength}) but got {output}.", "output");
        }
        if ((long)count * scratchLength > scratch)
        {
            throw new ArgumentException($"Expected at least {(long)count * scratchLength} scratch values ({count} items × {scratchLength}) but got {scratch}.", "scratch");
        }
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException("maxDegreeOfParallelism", maxDegreeOfParallelism, "Expected -1 (every core) or a positive number of threads.");
        }
        return count;
    }

    [DoesNotReturn]
    private static void ThrowLength(int actual, int expected, string what, string parameterName) =>
        throw new ArgumentException($"Expected {expected} {what} but got {actual}.", parameterName);
}
