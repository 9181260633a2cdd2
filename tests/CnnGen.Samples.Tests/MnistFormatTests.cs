using System;
using DigitsWeb;
using Xunit;

namespace CnnGen.Samples.Tests;

/// <summary>The browser sample's preprocessing: a drawing becomes a 28×28 MNIST-like image.</summary>
public sealed class MnistFormatTests
{
    private const int Size = 280;

    [Fact]
    public void NoInkGivesNoDigitAndABlackImage()
    {
        var pixels = new float[28 * 28];
        Array.Fill(pixels, 0.5f);

        Assert.False(MnistFormat.Prepare(new byte[Size * Size], Size, Size, pixels));
        Assert.All(pixels, p => Assert.Equal(0f, p));
    }

    [Fact]
    public void InkIsScaledToTwentyPixelsAndCentredByItsCentreOfMass()
    {
        // A solid 50-wide, 100-tall bar near the top-left corner: scaled by 20/100 to 10×20 pixels of 1.0.
        byte[] ink = Rectangle(left: 10, top: 5, width: 50, height: 100);
        var pixels = new float[28 * 28];

        Assert.True(MnistFormat.Prepare(ink, Size, Size, pixels));

        (int left, int top, int right, int bottom) = Bounds(pixels);
        Assert.Equal((10, 20), (right - left, bottom - top));
        // Centre of mass of a uniform 10×20 block is its middle: it lands on the frame's centre (14, 14).
        Assert.Equal((9, 4), (left, top));
        Assert.All(pixels, p => Assert.True(p == 0f || p == 1f));
        Assert.Equal(200f, Sum(pixels));
    }

    [Fact]
    public void HeavierSideShiftsTheBoxAndStaysInsideTheFrame()
    {
        // An L: a full-height bar on the left and a foot along the bottom; the mass sits left of and
        // below the box centre, so the box moves right and up, but never out of the frame.
        byte[] ink = Rectangle(left: 100, top: 40, width: 30, height: 200);
        Add(ink, Rectangle(left: 100, top: 210, width: 150, height: 30));
        var pixels = new float[28 * 28];

        Assert.True(MnistFormat.Prepare(ink, Size, Size, pixels));

        (int left, int top, int right, int bottom) = Bounds(pixels);
        Assert.Equal(20, bottom - top);
        Assert.True(left > (28 - (right - left)) / 2, $"box at x {left}–{right} should sit right of centre");
        Assert.True(top < 4, $"box at y {top}–{bottom} should sit above centre");
        Assert.InRange(left, 0, 28 - (right - left));
        Assert.InRange(top, 0, 8);
    }

    [Fact]
    public void WrongSizesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => MnistFormat.Prepare(new byte[10], Size, Size, new float[784]));
        Assert.Throws<ArgumentException>(() => MnistFormat.Prepare(new byte[Size * Size], Size, Size, new float[100]));
    }

    private static byte[] Rectangle(int left, int top, int width, int height)
    {
        var ink = new byte[Size * Size];
        for (int y = top; y < top + height; y++)
        {
            ink.AsSpan(y * Size + left, width).Fill(255);
        }
        return ink;
    }

    private static void Add(byte[] ink, byte[] more)
    {
        for (int i = 0; i < ink.Length; i++)
        {
            ink[i] = Math.Max(ink[i], more[i]);
        }
    }

    private static (int Left, int Top, int Right, int Bottom) Bounds(float[] pixels)
    {
        int left = 28, top = 28, right = 0, bottom = 0;
        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x < 28; x++)
            {
                if (pixels[y * 28 + x] > 0)
                {
                    (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x + 1), Math.Max(bottom, y + 1));
                }
            }
        }
        return (left, top, right, bottom);
    }

    private static float Sum(float[] pixels)
    {
        float sum = 0;
        foreach (float p in pixels)
        {
            sum += p;
        }
        return sum;
    }
}
