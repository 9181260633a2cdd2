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

    [DoesNotReturn]
    private static void ThrowLength(int actual, int expected, string what, string parameterName) =>
        throw new ArgumentException($"Expected {expected} {what} but got {actual}.", parameterName);
}
