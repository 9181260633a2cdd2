using System;
using System.IO;
using StbImageSharp;

namespace Mnist;

/// <summary>Turns an image file into the 28×28 input the network expects (values in [0, 1], white digit on black).</summary>
public static class DigitImage
{
    /// <summary>Reads a PNG (or JPEG, BMP, …), converts it to grey, scales it to 28×28 and inverts it when the background is light.</summary>
    /// <exception cref="InvalidDataException">The file is not an image StbImageSharp can decode.</exception>
    public static float[] Load(string path)
    {
        ImageResult image;
        try
        {
            using FileStream stream = File.OpenRead(path);
            image = ImageResult.FromStream(stream, ColorComponents.Grey);
        }
        catch (Exception e) when (e is not IOException and not UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path} is not an image this sample can read ({e.Message}).", e);
        }
        float[] pixels = Resize(image.Data, image.Width, image.Height, LeNet.InputWidth, LeNet.InputHeight);

        // MNIST digits are white on black; a dark-on-light drawing is inverted.
        if (BorderMean(pixels, LeNet.InputWidth, LeNet.InputHeight) > 0.5f)
        {
            for (int i = 0; i < pixels.Length; i++)
            {
                pixels[i] = 1f - pixels[i];
            }
        }
        return pixels;
    }

    /// <summary>Area-averaging resize of 8-bit grey pixels to <paramref name="width"/> × <paramref name="height"/> values in [0, 1].</summary>
    private static float[] Resize(byte[] grey, int sourceWidth, int sourceHeight, int width, int height)
    {
        var result = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            int y0 = y * sourceHeight / height, y1 = Math.Max(y0 + 1, (y + 1) * sourceHeight / height);
            for (int x = 0; x < width; x++)
            {
                int x0 = x * sourceWidth / width, x1 = Math.Max(x0 + 1, (x + 1) * sourceWidth / width);
                float sum = 0;
                for (int sy = y0; sy < y1; sy++)
                {
                    for (int sx = x0; sx < x1; sx++)
                    {
                        sum += grey[sy * sourceWidth + sx];
                    }
                }
                result[y * width + x] = sum / ((y1 - y0) * (x1 - x0) * 255f);
            }
        }
        return result;
    }

    private static float BorderMean(float[] pixels, int width, int height)
    {
        float sum = 0;
        int count = 0;
        for (int x = 0; x < width; x++)
        {
            sum += pixels[x] + pixels[(height - 1) * width + x];
            count += 2;
        }
        for (int y = 1; y < height - 1; y++)
        {
            sum += pixels[y * width] + pixels[y * width + width - 1];
            count += 2;
        }
        return sum / count;
    }
}
