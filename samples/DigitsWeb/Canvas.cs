using System;
using System.Runtime.InteropServices.JavaScript;

namespace DigitsWeb;

/// <summary>The drawing canvas, run by <c>wwwroot/digits.js</c>; .NET only reads its ink.</summary>
internal static partial class Canvas
{
    /// <summary>Name the script module is imported under (Program.cs).</summary>
    public const string ModuleName = "digits";

    /// <summary>Canvas size in canvas pixels (square); the page may show it smaller or larger.</summary>
    public const int Size = 280;

    /// <summary>
    /// Lets the user draw on the canvas with the given id (mouse, pen or touch) and calls
    /// <paramref name="inkChanged"/> at most once per animation frame while the drawing changes.
    /// </summary>
    [JSImport("attach", ModuleName)]
    public static partial void Attach(string canvasId, int size, [JSMarshalAs<JSType.Function>] Action inkChanged);

    /// <summary>Copies the ink (alpha, 0–255) of every canvas pixel, row by row, into <paramref name="ink"/> (<see cref="Size"/>² bytes) without allocating.</summary>
    [JSImport("readInk", ModuleName)]
    public static partial void ReadInk([JSMarshalAs<JSType.MemoryView>] Span<byte> ink);

    /// <summary>Wipes the canvas.</summary>
    [JSImport("clear", ModuleName)]
    public static partial void Clear();
}
