using System;

namespace DigitsWeb;

/// <summary>
/// Turns a drawing into what MNIST digits look like: the ink's bounding box scaled (aspect ratio
/// kept, averaged over the source pixels it covers) to fit a 20×20 box, placed in a 28×28 frame so
/// that its centre of mass is at the frame's centre; values in [0, 1], white digit on black.
/// </summary>
public static class MnistFormat
{
    /// <summary>Side of the output frame.</summary>
    public const int FrameSize = 28;

    /// <summary>Side of the box the digit's longer side is scaled to.</summary>
    public const int BoxSize = 20;

    /// <summary>
    /// Writes the 28×28 image of the ink in <paramref name="ink"/> (<paramref name="width"/> ×
    /// <paramref name="height"/> bytes, 0 = no ink) to <paramref name="pixels"/>. Allocation-free.
    /// </summary>
    /// <returns>Whether there was any ink; without ink <paramref name="pixels"/> is all zero.</returns>
    public static bool Prepare(ReadOnlySpan<byte> ink, int width, int height, Span<float> pixels)
    {
        if (ink.Length != width * height || pixels.Length != FrameSize * FrameSize)
        {
            throw new ArgumentException($"Expected {width}×{height} ink values and {FrameSize * FrameSize} pixels.");
        }
        pixels.Clear();

        // Bounding box of the ink: [left, right) × [top, bottom).
        int left = width, right = 0, top = height, bottom = 0;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = ink.Slice(y * width, width);
            int first = row.IndexOfAnyExcept((byte)0);
            if (first < 0)
            {
                continue;
            }
            int last = row.LastIndexOfAnyExcept((byte)0);
            left = Math.Min(left, first);
            right = Math.Max(right, last + 1);
            top = Math.Min(top, y);
            bottom = y + 1;
        }
        if (right <= left)
        {
            return false;
        }

        // Scale the box so that its longer side is BoxSize pixels.
        int inkWidth = right - left, inkHeight = bottom - top, side = Math.Max(inkWidth, inkHeight);
        int boxWidth = Math.Max(1, (int)Math.Round((double)inkWidth * BoxSize / side));
        int boxHeight = Math.Max(1, (int)Math.Round((double)inkHeight * BoxSize / side));
        Span<float> box = stackalloc float[BoxSize * BoxSize];
        float mass = 0, massX = 0, massY = 0;
        for (int by = 0; by < boxHeight; by++)
        {
            int y0 = top + by * inkHeight / boxHeight, y1 = Math.Max(y0 + 1, top + (by + 1) * inkHeight / boxHeight);
            for (int bx = 0; bx < boxWidth; bx++)
            {
                int x0 = left + bx * inkWidth / boxWidth, x1 = Math.Max(x0 + 1, left + (bx + 1) * inkWidth / boxWidth);
                int sum = 0;
                for (int sy = y0; sy < y1; sy++)
                {
                    ReadOnlySpan<byte> row = ink.Slice(sy * width + x0, x1 - x0);
                    for (int i = 0; i < row.Length; i++)
                    {
                        sum += row[i];
                    }
                }
                float value = sum / (255f * (y1 - y0) * (x1 - x0));
                box[by * BoxSize + bx] = value;
                mass += value;
                massX += value * (bx + 0.5f);
                massY += value * (by + 0.5f);
            }
        }

        // Shift the box so that its centre of mass lands on the frame's centre, staying inside the frame.
        int offsetX = Math.Clamp((int)MathF.Round(FrameSize / 2f - massX / mass), 0, FrameSize - boxWidth);
        int offsetY = Math.Clamp((int)MathF.Round(FrameSize / 2f - massY / mass), 0, FrameSize - boxHeight);
        for (int by = 0; by < boxHeight; by++)
        {
            box.Slice(by * BoxSize, boxWidth).CopyTo(pixels.Slice((offsetY + by) * FrameSize + offsetX, boxWidth));
        }
        return true;
    }
}
